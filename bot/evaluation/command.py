"""`newsbot eval`: index a folder into a temporary data dir if asked, answer a question set, print its figures."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from bot.evaluation.questions import load_questions
from bot.evaluation.runner import evaluate, format_table
from bot.terminal.progress import progress_bar
from index.errors import BadInput
from index.settings import Settings


def run_eval(args, settings: Settings) -> int:
    """Answer a question set and print its figures."""
    from bot.app import build_service

    questions = load_questions(args.questions)
    with tempfile.TemporaryDirectory(prefix="newsbot-eval-") as tmp:
        if args.articles:
            settings = settings.model_copy(update={"data_dir": Path(tmp)})
            _index_for_eval(settings, args.articles)
        service = build_service(settings)
        with progress_bar("evaluating", enabled=sys.stderr.isatty()) as advance:
            report = evaluate(service, questions, progress=advance)
    if args.json:
        print(json.dumps(report.to_dict(per_question=args.per_question), ensure_ascii=False))
        return 0
    print(format_table(report))
    if args.per_question:
        for o in report.outcomes:
            mark = "✓" if o.gold_in_answer else ("refused" if not o.answered else "✗")
            print(f"{mark:8} rank={o.gold_rank or '-':<3} {o.latency_ms:6.0f}ms  {o.question}  [gold: {' | '.join(o.gold)}]")
    return 0


def _index_for_eval(settings: Settings, articles: Path) -> None:
    """Index the eval articles into the (temporary) data dir."""
    from index.store import open_index
    from index.sync import Indexer

    if not articles.exists():
        raise BadInput(f"no such folder: {articles}")
    with progress_bar("indexing", enabled=sys.stderr.isatty()) as advance:
        report = Indexer(open_index(settings), settings, progress=advance).sync([articles])
    print(report.summary(), file=sys.stderr)
