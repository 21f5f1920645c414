"""Benchmarks: newsbot against the LangChain tutorial pipeline, on the shared dev corpus."""
