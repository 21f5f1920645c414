"""The extractive answer: the retrieved sentences that best answer the question, quoted and cited."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from bot.answering.models import Citation, Passage
from bot.answering.ranking.words import jaccard, local_idf, mentions, term_overlap, vocabulary
from bot.answering.stages import Candidate, Scores
from index.dates import parse_day
from index.text import BYLINE, query_terms, split_sentences

# "Who wrote/reported/edited ...?": bylines and credit lines answer these, short as they are.
AUTHORSHIP = re.compile(
    r"\b(who|which|whose|name)\b.*\b(wrote|write|written|writes|writer|reported|reporting|reporters?|"
    r"edited|editing|editors?|authors?|byline|journalists?|correspondents?)\b", re.I)


@dataclass(frozen=True)
class Weights:
    """How sentence scores are combined (tuned on the dev set)."""

    overlap: float = 0.3
    rank: float = 0.1
    near_duplicate: float = 0.6
    embed_top: int = 10  # only the best candidates by words and rank are embedded (latency)
    option: float = 0.3  # bonus for naming one of the options a question lists
    credit: float = 0.5  # bonus for a byline or credit line when the question asks who wrote it
    context_after: int = 1  # sentences of context quoted after a chosen sentence
    recency: float = 0.0  # bonus for an article published on the day the question is asked (see recency())
    half_life_days: float = 30.0  # ... halved for every half-life between publication and the question


# "WASHINGTON (Reuters) – ", "LONDON, Jan 5 (Reuters) - ", "NEW YORK (AP) — ": where, not what; never shown first;
# "(AP) — " alone where the place ended in a full stop and was split off as a sentence ("OKEMOS, Mich. (AP) — ")
DATELINE = re.compile(r"^(?:[A-Z][A-Z.'’-]+(?:[ ,]+[A-Z][A-Za-z.'’-]*){0,5}(?:,? [A-Z][a-z]{2,8}\.? \d{1,2})?)?"
                      r"\s*\((?:Reuters|AP|AFP|CNN|Bloomberg|dpa)\)\s*[–—-]+\s+")
QUESTION_END = re.compile(r"\?[\"'”’)\]]*$")  # a question quoted in an article asks; it is no evidence
# "MORE:Breaking down the budget", "Best Super Bowl ads:All 59 ranked": a link to another story, inlined by the
# page without a space after its label; a headline, no evidence ("Detroit:A veteran was honored ..." is a sentence);
# a label may end in a year ("Cicadas 2024:2 broods to emerge"), never in a time ("at 2:18")
LINK_LABEL = re.compile(r"^([A-Z][\w'’&.,-]*(?: [\w'’&.,-]+){0,5})(?:(?<!\d)|(?<= (?:19|20)\d\d)):"
                        r"(?=[A-Z\"“‘']|(?<=\d:)\d)")
LINK_WORDS = {"more", "related", "icymi", "update", "updated", "story", "read", "read more", "read this", "also",
              "also read", "see also", "learn more", "past coverage", "watch", "video", "photos", "review",
              "previously", "earlier", "recommended", "people are also reading"}
LINK_SHOUTED = re.compile(r"^(?:READ MORE|READ|RELATED|RELATED COVERAGE|MORE|ICYMI|SEE ALSO|ALSO READ|WATCH):\s")
# "Dec. 21:Papa John's CEO … steps down": a timeline's dated link, inlined like the labels above (no full stop)
DATED_LINK = re.compile(r"^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}(?:, \d{4})?"
                        r":(?=[A-Z\"“‘'])")
# "For the latest updates on the wildfires, please read …", "For more information, visit …": about the page
PAGE_POINTER = re.compile(r"^For (?:the latest|more(?! than)|live)\b[^.]{0,150}?\b(?:visit|read|see|follow|go to|click|"
                          r"check out|sign up|contact|call|keep reading)\b")
# "Editor's note: This page is a summary of news on the LA fires for Sunday", "…: A version of this article
# originally appeared in the weekly weather newsletter", "…: For the latest news on …, please see": about the page
PAGE_NOTE = re.compile(r"^Editor['’]s [Nn]ote:\s+(?:(?:This|The|A version of this|An earlier version of this) "
                       r"(?:page|story|file|article|post|blog|live blog|column|report|newsletter)\b|This is a regular "
                       r"feature\b|For the latest\b|Read (?:this|our)\b|Follow (?:the latest|our)\b|Click here\b|"
                       r"If you do not see\b|You can follow\b|To relive\b|We have made this story\b|Sign up\b)")
# an investing column's disclosure ("The Motley Fool has positions in and recommends …"): about the column, not news
DISCLOSURE = re.compile(r"\bhas a disclosure policy\b|\bha(?:s|ve) (?:no )?positions? in (?:and recommends|any of the "
                        r"stocks mentioned)\b|\bis a member of The Motley Fool['’]s board of directors\b")
# a list item's label left in the chunk before (": Following the …"), or a list's bullet ("∎ More than 12,000 …")
LEADING_MARK = re.compile(r"^(?:[:;,]|[•∎►●■▪◆])\s+")
# "MLB SALARIES: Baseball's top 25…": a shouted label before a headline with no full stop is a link too
SHOUTED_LABEL = re.compile(r"^[A-Z][A-Z0-9'’&. -]{2,40}:\s")
# a photo gallery's or reading list's link, a bibliography, and a fact-check's claim under review are no evidence
NOT_EVIDENCE_LABEL = re.compile(r"^(?:Photos?|Videos?|Gallery|Sources|(?:The )?[Cc]laim|You (?:may|might) (?:also )?"
                                r"(?:want to read|like|be interested in)|Also see|See also"
                                r"|(?:[\w'’&.-]+ ){0,4}(?:[Cc]overage|[Ss]tories|[Rr]eading|[Ll]inks))\s*:\s")
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")


def not_evidence(text: str) -> bool:
    """A question the article asks, a link to another story, a labelled line that is no evidence (a gallery's
    link, a bibliography, a fact-check's claim under review), or a column's disclosure."""
    return bool(QUESTION_END.search(text)) or headline_fragment(text) or bool(DISCLOSURE.search(text))


def headline_fragment(text: str) -> bool:
    """A story's link inlined ('READ MORE: …', 'Label:Headline' with a link word or no full stop, 'SHOUTED: Headline'
    with no full stop) or a labelled line that is no evidence ('Photos: …', 'Sources: …', 'The claim: …')."""
    if LINK_SHOUTED.match(text) or NOT_EVIDENCE_LABEL.match(text) or PAGE_NOTE.match(text) or PAGE_POINTER.match(text):
        return True
    if (shouted := SHOUTED_LABEL.match(text)) and not SENTENCE_END.search(text[shouted.end():].strip()):
        return True
    if dated := DATED_LINK.match(text):
        return not SENTENCE_END.search(text[dated.end():].strip())
    label = LINK_LABEL.match(text)
    if not label:
        return False
    return label.group(1).lower() in LINK_WORDS or not SENTENCE_END.search(text[label.end():].strip())


def candidates(passages: Sequence[Passage], min_chars: int = 25) -> tuple[Candidate, ...]:
    """Every distinct sentence of the passages (overlapping chunks repeat some), datelines and stray leading marks
    cut, questions and inlined headlines left out."""
    seen: set[tuple[str, int]] = set()
    out: list[Candidate] = []
    for rank, p in enumerate(passages):
        for i, (s, e) in enumerate(split_sentences(p.text)):
            key = (p.article_id, p.start + s)
            text = p.text[s:e]
            if lead := DATELINE.match(text) or LEADING_MARK.match(text):
                s, text = s + lead.end(), text[lead.end():]
            if key in seen or (len(text) < min_chars and not BYLINE.match(text)) or not_evidence(text):
                continue
            seen.add(key)
            out.append(Candidate(p, rank, i, p.start + s, p.start + e, text))
    return tuple(out)


OPTIONS = re.compile(r"\(([^()]+,[^()]+)\)\s*\??\s*$")


def question_options(question: str) -> list[str]:
    """Options a quiz-style question lists at its end: 'Who won? (Ann, Bo, Cy)'."""
    match = OPTIONS.search(question.strip())
    if not match:
        return []
    parts = re.split(r",\s*(?:or\s+)?|\s+or\s+", match.group(1))
    return [p.strip(" \"'“”‘’") for p in parts if p.strip(" \"'“”‘’")][:8]


def question_body(question: str) -> str:
    """The question without the options it lists."""
    match = OPTIONS.search(question.strip())
    return question.strip()[: match.start()] if match else question


def score(question: str, qvec: np.ndarray, cands: Sequence[Candidate], embed: Callable, weights: Weights,
          asked_on: date | None = None) -> Scores:
    """Score by shared rare words, passage rank and recency, then add meaning (cosine) for the best few.

    The best few (Scores.top) are the embedded ones, which the learned ranker scores again.
    """
    if not cands:
        return Scores(np.zeros(0), np.zeros(0), np.zeros(0), ())
    terms = query_terms(question)
    vocabs = [vocabulary(c.text) for c in cands]
    idf = local_idf(terms, vocabs)
    options = question_options(question)
    authorship = bool(AUTHORSHIP.search(question))
    fresh = recency({c.passage.published for c in cands}, asked_on or date.today(), weights.recency,
                    weights.half_life_days)
    overlap, hand = [], []
    for c, vocab in zip(cands, vocabs):
        overlap.append(term_overlap(terms, idf, vocab))
        value = weights.overlap * overlap[-1] + weights.rank / (1 + c.rank) + fresh[c.passage.published]
        if options and mentions(c.text, options):
            value += weights.option
        if authorship and c.is_credit:
            value += weights.credit
        hand.append(value)
    top = sorted(range(len(cands)), key=lambda i: hand[i], reverse=True)[: weights.embed_top]
    cosine = [0.0] * len(cands)
    for i, cos in zip(top, embed([cands[i].text for i in top]) @ qvec):
        cosine[i] = float(cos)
        hand[i] += cosine[i]
    return Scores(np.array(overlap), np.array(hand), np.array(cosine), tuple(top))


def recency(published: set[str], asked_on: date, weight: float, half_life_days: float) -> dict[str, float]:
    """Bonus per publication date: weight, halved per half-life between publication and the day asked.

    News questions are about the news of their day ('this week', 'the latest'); an undated article
    gets nothing, nor one published after the day asked (hindsight, for `--as-of` and dated evals;
    a day's grace for time zones), and with a weight of 0 dates play no part.
    """
    out = {}
    for value in published:
        day = parse_day(value) if weight and value else None
        age = (asked_on - day).days if day else None
        out[value] = weight * 0.5 ** (max(age, 0) / half_life_days) if age is not None and age >= -1 else 0.0
    return out


def select(cands: Sequence[Candidate], n: int, weights: Weights, by: Sequence[float] | None = None) -> list[Candidate]:
    """Greedy choice, best first by `by` (else in the given order), that skips near-duplicates of what is chosen."""
    order = sorted(range(len(cands)), key=lambda i: by[i], reverse=True) if by is not None else range(len(cands))
    chosen: list[Candidate] = []
    for s in (cands[i] for i in order):
        if len(chosen) >= n:
            break
        if any(jaccard(s.text, c.text) > weights.near_duplicate for c in chosen):
            continue
        chosen.append(s)
    return chosen


def below_headings(chosen: list[Candidate], ranked: Sequence[Candidate], keep: str | None = None,
                   shown: Callable[[Candidate], bool] | None = None) -> list[Candidate]:
    """A sub-heading gives way to the sentence under it, ranked or not: the body says it in a sentence ('Met Gala
    2024 theme, explained' / 'In November, Vogue and the Met revealed the 2024 Met Gala theme is …'; 'Trump calls
    DeepSeek a ‘wakeup call’' / 'Trump said DeepSeek’s technology should act as a “wakeup call” …'); `keep`: a
    short answer shown, which stays in the sentence that leads; `shown`: what a conversation showed already ("tell
    me more"), whose headings are left out."""
    out: list[Candidate] = []
    for c in chosen:
        body = body_under(c, ranked) if c.is_subheading else None
        if body is not None and shown is not None and shown(body):
            continue  # the heading of what was shown says nothing more
        if body is not None and not (keep and c is chosen[0] and keep not in body.text):
            c = body
        if all(c is not o for o in out):
            out.append(c)
    return out or chosen


def body_under(heading: Candidate, ranked: Sequence[Candidate]) -> Candidate | None:
    """The sentence right under a heading in its passage: the ranked one, else read from the passage unless a ranked
    sentence overlaps it (overlapping chunks: it would be quoted twice)."""
    def under(b: Candidate) -> bool:
        return b.passage.chunk_id == heading.passage.chunk_id and b.index == heading.index + 1

    if body := next((b for b in ranked if under(b)), None):
        return body
    if (body := next((b for b in candidates([heading.passage]) if under(b)), None)) is None:
        return None
    article = [b for b in ranked if b.passage.article_id == body.passage.article_id]
    if same := next((b for b in article if b.start == body.start), None):
        return same
    return None if any(b.start < body.end and body.start < b.end for b in article) else replace(body, rank=heading.rank)


def compose(chosen: list[Candidate], context_after: int = 1) -> tuple[str, list[Citation]]:
    """Order the sentences (the best first, then by article and position); one numbered source per article."""
    # the best sentence leads; the rest follow grouped by article, in reading order
    order: dict[str, int] = {}
    for s in chosen:
        order.setdefault(s.passage.article_id, len(order))
    ordered = chosen[:1] + sorted(chosen[1:], key=lambda s: (order[s.passage.article_id], s.start))
    parts: list[str] = []
    pieces: dict[str, list[tuple[int, int, Passage]]] = {}  # article -> its quoted spans, in the order cited
    for group in _merge_adjacent(ordered):
        first, last = group[0], group[-1]
        spans = pieces.setdefault(first.passage.article_id, [])
        spans.append((first.start, _context_end(last, context_after), first.passage))
        parts.append(" ".join(s.text for s in group) + f" [{list(pieces).index(first.passage.article_id) + 1}]")
    return " ".join(parts), [_article_citation(n, spans) for n, spans in enumerate(pieces.values(), 1)]


def _article_citation(n: int, spans: list[tuple[int, int, Passage]]) -> Citation:
    """One article's citation: its quoted spans, overlapping ones joined, the one cited first leading."""
    merged: list[list] = []  # [start, end, text]
    for start, end, p in sorted(spans, key=lambda span: span[0]):
        text = p.text[start - p.start:end - p.start]
        if merged and start <= merged[-1][1]:  # overlapping spans: the article is contiguous there
            if end > merged[-1][1]:
                merged[-1][2] += p.text[merged[-1][1] - p.start:end - p.start]
                merged[-1][1] = end
            continue
        merged.append([start, end, text])
    # the quote of the sentence cited first leads (a short answer is a span of it); the others follow in order
    lead = next(i for i, (start, end, _) in enumerate(merged) if start <= spans[0][0] < end)
    rest = [text for i, (_, _, text) in enumerate(merged) if i != lead]
    first = citation(n, spans[0][2], merged[lead][0], merged[lead][1])
    return first.model_copy(update={"quote": merged[lead][2], "more_quotes": rest})


def citation(n: int, p: Passage, start: int, end: int) -> Citation:
    """Citation n quoting the article from start to end (offsets inside passage p)."""
    return Citation(
        n=n, article_id=p.article_id, title=p.title, source=p.source, author=p.author,
        published=p.published, url=p.link, quote=p.text[start - p.start:end - p.start], start=start, end=end,
    )


def _context_end(last: Candidate, after: int) -> int:
    """Article offset where the quote ends: a sentence or so past the claim, within its passage."""
    spans = split_sentences(last.passage.text)
    stop = min(len(spans) - 1, last.index + after)
    return last.passage.start + max(spans[stop][1], last.end - last.passage.start)


def _merge_adjacent(ordered: list[Candidate]) -> list[list[Candidate]]:
    """Consecutive sentences of one passage share one citation."""
    groups: list[list[Candidate]] = []
    for s in ordered:
        prev = groups[-1][-1] if groups else None
        if prev and prev.passage.chunk_id == s.passage.chunk_id and s.index - prev.index == 1:
            groups[-1].append(s)
        else:
            groups.append([s])
    return groups
