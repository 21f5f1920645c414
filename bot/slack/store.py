"""The conversation store: answers given in Slack (for threads, sharing and votes) and the 👍/👎 votes on them."""

from __future__ import annotations

import json
import time
import uuid

from sqlalchemy import Column, Engine, Float, Integer, MetaData, Table, Text, insert, select

from bot.answering.models import Answer, Turn
from index.db import create_schema

metadata = MetaData()

# Text, not VARCHAR(n): Slack ids and timestamps have no documented maximum, and PostgreSQL enforces n.
answers = Table(
    "slack_answers",
    metadata,
    Column("answer_id", Text, primary_key=True),
    Column("channel", Text, nullable=False, index=True),
    Column("thread_ts", Text, nullable=False, index=True),
    Column("user", Text, nullable=False),
    Column("question", Text, nullable=False),
    Column("payload", Text, nullable=False),  # the Answer as JSON (text, citations, answered)
    Column("created_at", Float, nullable=False),
)

votes = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("answer_id", Text, nullable=False, index=True),
    Column("user", Text, nullable=False),
    Column("vote", Integer, nullable=False),  # +1 or -1
    Column("created_at", Float, nullable=False),
)


class ConversationStore:
    """Answers and votes in the index's database (SQLite in the data dir, or the shared server)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        # several bot processes may start at once against a new shared database: take turns
        create_schema(engine, metadata.create_all)

    def save(self, channel: str, thread_ts: str, user: str, answer: Answer) -> str:
        """Remember an answer; returns its id (the value of its buttons)."""
        answer_id = uuid.uuid4().hex
        payload = answer.model_dump_json(include={"question", "answered", "answer", "citations", "note"})
        with self.engine.begin() as conn:
            conn.execute(insert(answers).values(
                answer_id=answer_id, channel=channel, thread_ts=thread_ts, user=user,
                question=answer.question, payload=payload, created_at=time.time()))
        return answer_id

    def load(self, answer_id: str) -> Answer | None:
        """A saved answer, or None for an unknown id."""
        with self.engine.connect() as conn:
            row = conn.execute(select(answers.c.payload).where(answers.c.answer_id == answer_id)).first()
        return Answer.model_validate_json(row.payload) if row else None

    def thread(self, channel: str, thread_ts: str, limit: int = 4) -> list[Turn]:
        """The last questions and answers of a thread, oldest first."""
        query = (select(answers.c.question, answers.c.payload)
                 .where((answers.c.channel == channel) & (answers.c.thread_ts == thread_ts))
                 .order_by(answers.c.created_at.desc()).limit(limit))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [Turn(question=r.question, answer=json.loads(r.payload)["answer"]) for r in reversed(rows)]

    def vote(self, answer_id: str, user: str, vote: int) -> bool:
        """Record a vote (a user's later vote on the same answer replaces it); False if unknown."""
        if self.load(answer_id) is None:
            return False
        with self.engine.begin() as conn:
            conn.execute(votes.delete().where((votes.c.answer_id == answer_id) & (votes.c.user == user)))
            conn.execute(insert(votes).values(answer_id=answer_id, user=user, vote=vote, created_at=time.time()))
        return True

    def votes(self) -> list[dict]:
        """Every vote with its question, answer and citations, newest first."""
        query = (select(votes.c.vote, votes.c.user, votes.c.created_at, answers.c.question, answers.c.payload,
                        answers.c.channel)
                 .join_from(votes, answers, votes.c.answer_id == answers.c.answer_id)
                 .order_by(votes.c.created_at.desc()))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        out = []
        for r in rows:
            payload = json.loads(r.payload)
            out.append({"vote": r.vote, "user": r.user, "channel": r.channel, "at": r.created_at,
                        "question": r.question, "answer": payload["answer"], "citations": payload["citations"]})
        return out
