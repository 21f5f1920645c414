"""`newsbot eval` and the benchmarks' scoring: question sets, gold matching, the run and its report."""
