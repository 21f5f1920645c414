"""LangChain faces of the answer service: a retriever over the hybrid search, and the answer chain.

Kept apart so that only callers wanting a Runnable import langchain_core's runnables (about a second of
start-up, most of it langsmith's models), not every `newsbot ask`.
"""

from __future__ import annotations

from collections.abc import Callable

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import ConfigDict

from bot.answering.retriever import HybridRetriever


class NewsRetriever(BaseRetriever):
    """A LangChain retriever over newsbot's index: passages as Documents with their citation metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    hybrid: HybridRetriever

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        """LangChain entry point: the hybrid search's passages, each a Document."""
        return [
            Document(page_content=p.text, id=p.chunk_id, metadata=p.model_dump(exclude={"text"}))
            for p in self.hybrid.search(query).passages
        ]


def answer_chain(answer_question: Callable) -> Runnable:
    """The answer as a Runnable from Question to Answer: LangChain's callbacks, tracing and stream/batch wrap
    the whole answer (the pool behind it stays with `AnswerService.respond`)."""
    return RunnableLambda(lambda question: answer_question(question)[0], name="newsbot_answer")
