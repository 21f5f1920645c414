"""The conversation store: answers given in Slack (for threads, sharing and votes), 👍/👎 votes on them, and why."""

from __future__ import annotations

import json
import time
import uuid

from sqlalchemy import Engine, insert, select

from bot.answering.models import TURNS_KEPT, Answer, Turn
from index import migrate
from index.schema import feedback as votes
from index.schema import feedback_reasons as reasons
from index.schema import slack_answers as answers

REASONS = {"wrong_article": "wrong article", "outdated": "outdated", "not_answered": "did not answer it",
           "other": "other"}


class ConversationStore:
    """Answers and votes in the index's database (SQLite in the data dir, or the shared server)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        migrate.ensure(engine)

    def save(self, channel: str, thread_ts: str, user: str, answer: Answer) -> str:
        """Remember an answer; returns its id (the value of its buttons)."""
        answer_id = uuid.uuid4().hex
        payload = answer.model_dump_json(include={"question", "answered", "answer", "citations", "note", "short_answer",
                                                "searched"})
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

    def thread(self, channel: str, thread_ts: str, limit: int = TURNS_KEPT) -> list[Turn]:
        """The last questions and answers of a thread, oldest first."""
        query = (select(answers.c.question, answers.c.payload)
                 .where((answers.c.channel == channel) & (answers.c.thread_ts == thread_ts))
                 .order_by(answers.c.created_at.desc()).limit(limit))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [Turn.of(r.question, Answer.model_validate_json(r.payload)) for r in reversed(rows)]

    def vote(self, answer_id: str, user: str, vote: int) -> bool:
        """Record a vote (a user's later vote on the same answer replaces it); False if unknown."""
        if self.load(answer_id) is None:
            return False
        with self.engine.begin() as conn:
            conn.execute(votes.delete().where((votes.c.answer_id == answer_id) & (votes.c.user == user)))
            conn.execute(insert(votes).values(answer_id=answer_id, user=user, vote=vote, created_at=time.time()))
        return True

    def give_reason(self, answer_id: str, user: str, reason: str, comment: str = "") -> bool:
        """Record why a user voted 👎 (a later reason replaces theirs); False for an unknown answer or reason."""
        if reason not in REASONS or self.load(answer_id) is None:
            return False
        with self.engine.begin() as conn:
            conn.execute(reasons.delete().where((reasons.c.answer_id == answer_id) & (reasons.c.user == user)))
            conn.execute(insert(reasons).values(answer_id=answer_id, user=user, reason=reason,
                                                comment=comment[:2000], created_at=time.time()))
        return True

    def votes(self) -> list[dict]:
        """Every vote with its question, answer, citations and reason, newest first."""
        why = reasons.alias("why")
        query = (select(votes.c.vote, votes.c.user, votes.c.created_at, answers.c.question, answers.c.payload,
                        answers.c.channel, why.c.reason, why.c.comment)
                 .join_from(votes, answers, votes.c.answer_id == answers.c.answer_id)
                 .outerjoin(why, (why.c.answer_id == votes.c.answer_id) & (why.c.user == votes.c.user))
                 .order_by(votes.c.created_at.desc()))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        out = []
        for r in rows:
            payload = json.loads(r.payload)
            out.append({"vote": r.vote, "user": r.user, "channel": r.channel, "at": r.created_at,
                        "question": r.question, "answer": payload["answer"], "citations": payload["citations"],
                        "reason": r.reason if r.vote < 0 else None, "comment": (r.comment or "") if r.vote < 0 else ""})
        return out

    def recent_questions(self, user: str, limit: int = 5) -> list[dict]:
        """A user's last questions, newest first, with where they were answered."""
        query = (select(answers.c.question, answers.c.channel, answers.c.thread_ts, answers.c.created_at)
                 .where(answers.c.user == user).order_by(answers.c.created_at.desc()).limit(limit))
        with self.engine.connect() as conn:
            return [r._asdict() for r in conn.execute(query)]


def summarize(all_votes: list[dict], limit: int = 10) -> dict:
    """Why answers were voted 👎 (counts by reason) and the articles cited by the worst-rated answers."""
    why: dict[str, int] = {}
    articles: dict[str, dict] = {}
    for v in all_votes:
        if v["vote"] < 0 and v.get("reason"):
            label = REASONS.get(v["reason"], v["reason"])
            why[label] = why.get(label, 0) + 1
        for c in {c["article_id"]: c for c in v["citations"]}.values():  # one vote per article per answer
            a = articles.setdefault(c["article_id"], {"article_id": c["article_id"], "title": c.get("title", ""),
                                                      "url": c.get("url", ""), "up": 0, "down": 0})
            a["up" if v["vote"] > 0 else "down"] += 1
    worst = sorted((a for a in articles.values() if a["down"]), key=lambda a: (a["up"] - a["down"], -a["down"]))
    return {"reasons": dict(sorted(why.items(), key=lambda kv: -kv[1])), "worst_articles": worst[:limit]}

