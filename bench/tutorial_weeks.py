"""The tutorial pipeline on each quiz week's own corpus, asked the week's questions bare: gold in top-k.

    python -m bench.tutorial_weeks ../shared/eval/realtimeqa-train OUT.json [WEEK,WEEK,...]

Same recipe as bench/tutorial.py (RecursiveCharacterTextSplitter(1000, 200), Chroma, similarity
top-k) and the same model; its vectors come from newsbot's fp32 ONNX export of the model, which gives
PyTorch's vectors (cosine > 0.9999, tests/integration/test_embedder.py) several times faster, so 52
weeks fit in minutes. Scoring is newsbot's own (bot/evaluation/scoring.py).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from bot.evaluation.scoring import gold_rank


def week_documents(articles: Path):
    """A week's articles as LangChain Documents."""
    from langchain_core.documents import Document

    docs = []
    for path in sorted(articles.glob("*.json")):
        obj = json.loads(path.read_text(encoding="utf-8"))
        docs.append(Document(page_content=obj["text"], metadata={"source": obj.get("url", ""), "title": obj.get("title", "")}))
    return docs


def main(argv: list[str] | None = None) -> int:
    """Index each week with the tutorial recipe and record each bare question's gold rank."""
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from bot.evaluation.weeks import load_weeks
    from bot.settings import Settings
    from index.embedding import make_embedder
    from index.embedding.base import as_langchain

    root, out = Path(argv[0]), Path(argv[1])
    only = set(argv[2].split(",")) if len(argv) > 2 else None  # some weeks only, as `newsbot eval --only`
    embeddings = as_langchain(make_embedder(Settings(NEWSBOT_EMBEDDING_BACKEND="onnx")))
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    ranks: dict[str, int | None] = {}
    for week in (w for w in load_weeks(root) if only is None or w.name in only):
        with tempfile.TemporaryDirectory() as tmp:
            store = Chroma.from_documents(splitter.split_documents(week_documents(week.articles)), embeddings,
                                          persist_directory=tmp, collection_name=f"w{week.name}")
            retriever = store.as_retriever(search_kwargs={"k": 10})
            for q in week.questions:
                ranks[q.id] = gold_rank([d.page_content for d in retriever.invoke(q.question)], q.gold)
        print(f"tutorial {week.name}: {len(week.questions)} questions", file=sys.stderr)
    out.write_text(json.dumps(ranks))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
