"""The sentence check of an LLM answer: a sentence is shown only when it cites a passage that says what it says.

Each sentence of the model's reply is judged on its own:
- "echo": it repeats the prompt's markup (passage tags, escaped article text, "Question:", chat-template tokens);
- "uncited": it carries no [n] naming a supplied passage;
- "unsupported": its content words do not come from its cited passages. Words the question or the prompt
  supplied are no evidence (a model that echoes the question shares words with every passage), and
  words found in neither the passages nor the question count as invented.
The kept sentences, in order, are the answer; while the model streams, only complete sentences are judged,
so what a front end shows is always a prefix of the final checked answer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from bot.answering.llm import injection
from bot.answering.ranking import extractive
from bot.answering.ranking.words import Vocabulary, local_idf, term_overlap
from index.text import query_terms, split_sentences

MARKER = re.compile(r"([ \t]*)\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
LEADING_MARKERS = re.compile(r"^(?:\s*\[\d{1,3}(?:\s*,\s*\d{1,3})*\])+")
UNFINISHED_MARKER = re.compile(r"[ \t]*\[[\d,\s]*$")
PARTIAL_LEAD = re.compile(r"^\s*(?:\[[\d,\s]*\]?\s*)*$")  # nothing yet but (half-written) markers
CITED_END = re.compile(r"\][.!?…]+[\"'”’)]*\s+(?=\S)")  # "[2]. next": a sentence ends here whatever follows
END_PUNCT = re.compile(r"[.!?…]+[\"'”’)]*\s*$")
MARKUP = re.compile(
    r"</?passages?\b|</?turn\b|\bid=\"\d+\"|&lt;|&gt;|&quot;|\b(?:title|source|date|warning)=\""
    r"|(?:^|\n)\s*(?:question|follow-up question|standalone question)\s*:"
    r"|\[/?(?:system|user|inst)\]|<\|[a-z_]+\|>|</?(?:start|end)_of_turn>|</?s>",
    re.I,
)
INVENTED_SHARE = 1 / 3  # at most this share of a sentence's content words may be in neither passage nor question
SHOWN_SHARE = 0.8  # a sentence this much made of the stems of one thing the conversation showed says it again


def stems(text: str) -> set[str]:
    """Content words cut to six letters, so 'Ukraine' meets 'Ukrainian' and 'deterring' meets 'deter'."""
    return {w[:6] if len(w) > 6 else w for w in query_terms(text)}


def passage_ids(group: str, n_passages: int) -> list[int]:
    """Passage numbers in one marker that name a supplied passage."""
    return [k for k in map(int, re.findall(r"\d+", group)) if 1 <= k <= n_passages]


@dataclass(frozen=True)
class Unit:
    """One sentence of the reply: as written (markers after it moved in), without markers, and what it cites."""

    text: str
    claim: str
    ids: tuple[int, ...]


@dataclass(frozen=True)
class Verdict:
    """A sentence and why it is rejected ('' when it is kept)."""

    unit: Unit
    reason: str


def _attach(text: str, markers: str) -> str:
    """'…again.' + '[2]' -> '…again [2].': markers opening the next sentence belong to this one."""
    markers = " ".join(m.strip() for m in re.findall(r"\[[^\]]*\]", markers))
    end = END_PUNCT.search(text)
    if not end:
        return f"{text} {markers}"
    return f"{text[:end.start()].rstrip()} {markers}{text[end.start():].rstrip()}"


def _at_cited_ends(raw: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence span cut after each cited full stop: a model's next sentence may begin in lower case."""
    cuts = [start] + [m.end() for m in CITED_END.finditer(raw, start, end)] + [end]
    return [(a, len(raw[:b].rstrip()) if b < end else b) for a, b in pairwise(cuts) if raw[a:b].strip()]


def units(raw: str, n_passages: int, final: bool = True) -> list[Unit]:
    """The reply's sentences; unless final, only those that can no longer change (the next one has begun)."""
    spans = [piece for span in split_sentences(raw) for piece in _at_cited_ends(raw, *span)]
    texts: list[str] = []
    for i, (s, e) in enumerate(spans):
        sentence = raw[s:e]
        lead = LEADING_MARKERS.match(sentence)
        if lead and texts:
            texts[-1] = _attach(texts[-1], lead.group(0))
            sentence = sentence[lead.end():].strip()
        if not final and i == len(spans) - 1:
            if PARTIAL_LEAD.match(sentence) and texts:  # the sentence before may still gain a marker
                texts.pop()
            break
        if sentence:
            texts.append(sentence)
    out = []
    for text in texts:
        ids = [k for m in MARKER.finditer(text) for k in passage_ids(m.group(2), n_passages)]
        out.append(Unit(text, MARKER.sub("", text).strip(), tuple(dict.fromkeys(ids))))
    return out


class SentenceCheck:
    """Judges the sentences of replies to one prompt: its passages, its question and its instructions."""

    def __init__(self, passages: list, question: str, prompt_text: str, shown: tuple[str, ...] = ()):
        self.passages = passages
        self.shown = [words for words in map(stems, shown) if words]  # what the conversation already showed
        self.question = stems(question)
        self.borrowed = self.question | stems(prompt_text)
        self.words = [stems(injection.without_injections(p.text)) | stems(p.title or "") for p in passages]
        self._verdicts: dict[Unit, str] = {}

    def reason(self, unit: Unit) -> str:
        """Why the sentence may not be shown, or '' when it may."""
        if unit not in self._verdicts:
            self._verdicts[unit] = self._judge(unit)
        return self._verdicts[unit]

    def _judge(self, unit: Unit) -> str:
        if MARKUP.search(unit.text):
            return "echo"
        if not unit.ids:
            return "uncited"
        words = stems(unit.claim)
        if not words:  # "Yes [1]." says nothing a passage could contradict
            return ""
        cited = set().union(*(self.words[k - 1] for k in unit.ids))
        evidence = (words & cited) - self.borrowed
        invented = words - cited - self.question
        if not evidence or len(invented) > max(1.0, len(words) * INVENTED_SHARE):
            return "unsupported"
        if any(len(words & told) >= SHOWN_SHARE * len(words) for told in self.shown):
            return "shown"  # "tell me more" answered with what was told already
        return ""

    def verdicts(self, raw: str, final: bool = True) -> list[Verdict]:
        """Every (complete) sentence with its verdict; after an echo nothing more is trusted, and repeats go."""
        out: list[Verdict] = []
        seen: set[str] = set()
        for unit in units(raw, len(self.passages), final):
            reason = "echo" if out and out[-1].reason == "echo" else self.reason(unit)
            if not reason and unit.claim.lower() in seen:
                reason = "repeat"  # a model caught in a loop
            seen.add(unit.claim.lower())
            out.append(Verdict(unit, reason))
        return out

    def kept(self, raw: str, final: bool = True) -> list[Unit]:
        """The sentences that may be shown, in order."""
        return [v.unit for v in self.verdicts(raw, final) if not v.reason]


def renumber(text: str, n_passages: int, partial: bool = False) -> tuple[str, list[int]]:
    """Drop markers naming no passage, renumber the rest 1..k by first use; also the cited passages in order."""
    order: dict[int, int] = {}

    def sub(match: re.Match) -> str:
        ids = passage_ids(match.group(2), n_passages)
        if not ids:
            return ""  # with the space before it, so no gap is left before the full stop
        return match.group(1) + "".join(f"[{order.setdefault(k, len(order) + 1)}]" for k in ids)

    out = MARKER.sub(sub, text)
    if partial:  # a marker still being written ("[", "[1") shows once it is complete
        out = UNFINISHED_MARKER.sub("", out)
    return out.strip(), list(order)


def claims(text: str, n_passages: int) -> dict[int, list[str]]:
    """The sentences of the answer that cite each passage, markers removed."""
    out: dict[int, list[str]] = {}
    for unit in units(text, n_passages):
        for k in unit.ids:
            out.setdefault(k, []).append(unit.claim)
    return out


def quote_span(p, claim_texts: list[str], vectors: dict | None = None) -> tuple[int, int]:
    """Article offsets covering the passage sentence that best supports each claim; the passage if none can be told."""
    sents = extractive.candidates([p])
    vocabs = [Vocabulary(s.text) for s in sents]
    claim_texts = [c for c in claim_texts if query_terms(c)]
    chosen = []
    for claim in claim_texts if sents else []:
        terms = query_terms(claim)
        idf = local_idf(terms, vocabs)
        scores = [term_overlap(terms, idf, v) for v in vocabs]
        if vectors is not None:  # meaning, for claims that paraphrase
            scores = [a + float(vectors[s.text] @ vectors[claim]) for a, s in zip(scores, sents)]
        best = max(range(len(sents)), key=scores.__getitem__)
        if scores[best] > 0:
            chosen.append(sents[best])
    if not chosen:
        return p.start, p.end
    return min(s.start for s in chosen), max(s.end for s in chosen)


def shown_text(kept: list[Unit], n_passages: int) -> str:
    """The kept sentences as the user sees them: markers renumbered by first use."""
    return renumber(" ".join(u.text for u in kept), n_passages)[0]


def check_citations(kept: list[Unit], passages: list, embed: Callable | None = None) -> tuple[str, list]:
    """The kept sentences with their markers numbered by first use, and a quoted citation for each passage cited."""
    text, order = renumber(" ".join(u.text for u in kept), len(passages))
    by_passage: dict[int, list[str]] = {}
    for unit in kept:
        for k in unit.ids:
            by_passage.setdefault(k, []).append(unit.claim)
    vectors = None
    if embed is not None and order:  # one batch for every claim and candidate sentence: encoding calls are dear
        texts = [c for k in order for c in by_passage.get(k, [])]
        texts += [s.text for k in order for s in extractive.candidates([passages[k - 1]])]
        unique = list(dict.fromkeys(texts))
        vectors = dict(zip(unique, embed(unique)))
    citations = []
    for n, k in enumerate(order, 1):
        start, end = quote_span(passages[k - 1], by_passage.get(k, []), vectors)
        citations.append(extractive.citation(n, passages[k - 1], start, end))
    return text, citations


def main_reason(verdicts: list[Verdict]) -> str:
    """Why a reply with no sentence kept is rejected: an echo anywhere, else the commonest reason."""
    reasons = Counter(v.reason for v in verdicts if v.reason)
    if not reasons:
        return "uncited"  # nothing at all was written
    return "echo" if reasons["echo"] else max(("unsupported", "uncited", "repeat", "shown"), key=lambda r: reasons[r])


LEFT_OUT = {"echo": "repeated the prompt", "uncited": "cited no passage",
            "unsupported": "said what its passage does not", "repeat": "said again what it had said",
            "shown": "said again what this conversation showed"}


def left_out_note(verdicts: list[Verdict]) -> str:
    """The note on a partly kept answer: how many sentences were left out, and why."""
    reasons = Counter(v.reason for v in verdicts if v.reason)
    n = sum(reasons.values())
    if not n:
        return ""
    why = "; ".join(f"{c} {LEFT_OUT[r]}" if n > 1 else LEFT_OUT[r] for r, c in reasons.items())
    return (f"{'One sentence' if n == 1 else f'{n} sentences'} of the language model's answer "
            f"{'was' if n == 1 else 'were'} left out: {why}.")
