"""Stage 1, plan: the standalone query, the window its time words name, and the one widening policy."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from bot.answering.models import HEDGE, Turn
from bot.answering.ranking.commonwords import FLOOR, zipf
from bot.answering.ranking.words import same_word, vocabulary
from bot.answering.stages import Candidate, Plan, Question
from bot.answering.time.timescope import merge, span_words, told
from bot.answering.time.timewords import Window, read_window
from index.query import Filters
from index.reader import IndexReader
from index.text import query_terms

Rewrite = Callable[[str, list[Turn]], str | None]  # an LLM's standalone rewrite of a follow-up, or None
Cited = Callable[[tuple[str, ...], list[str]], bool]  # do these articles hold every one of these words?


# words that ask rather than name: a conversation's subject is what its questions name
ASKING = frozenset("mean means meant say says said tell think thinks happen happened happens know explain "
                   "describe called call long take takes took many much react reacted reacts respond responded "
                   "responds reply replied comment commented".split())
# what a follow-up asked of its subject ("how long did it last?", "when will they vote?"): no subject word itself
# ("who founded it?", "why did Nvidia shares fall?" — the verb ending a question about a short noun phrase)
ASKED_OF = re.compile(r"\b(?:did|does|do|will|would|can|could|should|has|have|had|is|was|were|are)\s+"
                      r"(?:he|she|it|they|we|you|him|them)\s+([a-z]+)|^\s*(?:and\s+)?(?:who|what|which)\s+([a-z]+)\s+"
                      r"(?:it|him|her|them|this|that)\b|\b(?:did|does|do|will|would|can|could|should)\s+"
                      r"(?:(?!(?:about|on|in|of|for|to|with|from|at|by|over)\s)[a-z0-9'’-]+\s+){1,3}([a-z]+)\s*[?.!]*$")


def standalone(question: Question, rewrite: Rewrite | None = None, cited: Cited | None = None,
               subject: str | None = None) -> str:
    """A follow-up made searchable on its own: rewritten by the LLM, else its own words and then the subject's
    (`subject`: its subject words, when the caller has them already)."""
    if not question.history:
        return question.text
    if rewrite and (text := rewrite(question.text, list(question.history))):
        return text
    subject = subject_words(question, cited) if subject is None else subject
    return f"{question.text} {subject}" if subject else question.text


WALK_BACK = 6  # turns a follow-up's subject reaches back through ("tell me more", "why?" name nothing)


def subject_words(question: Question, cited: Cited | None = None) -> str:
    """What a follow-up leaves out: the words its conversation's last questions name that it does not
    (`cited`: what the articles the turn before cited hold, when known; see `leans`)."""
    history = question.history[-WALK_BACK - 1:]
    if not history or not leans(question.text, history[-1], cited):
        return ""
    own = query_terms(question.text)
    named: list[str] = []
    for i in range(len(history) - 1, max(-1, len(history) - 1 - WALK_BACK), -1):  # back to the topic
        turn = history[i]
        if MORE.match(turn.question):  # "tell me more", "go on": no words of the topic, which lies further back
            continue
        leaned = leans(turn.question, history[i - 1] if i else None, cited)
        asked = {w for found in ASKED_OF.findall(turn.question.lower()) for w in found if w} if leaned else set()
        named += [w for w in query_terms(turn.question) if w not in ASKING and w not in asked]
        if not leaned:
            break
    named += answer_names(question.history[-1])
    kept = dict.fromkeys(w for w in named if not any(same_word(w, o) for o in own))
    return " ".join(kept)


ANSWER_NAMES = 4  # the last answer's names a follow-up's subject takes, at most


def answer_names(turn: Turn) -> list[str]:
    """The names the last answer led with ("Oppenheimer", "Cillian Murphy"): what a follow-up's "it" or "he" is
    as often as the question's words ("who directed it?" after "who won best actor?"); none from a hedge or a
    refusal, which are not answers."""
    if not turn.cited or not turn.answer or turn.answer.startswith(HEDGE):
        return []
    lead = turn.answer.split("[1]")[0]
    names = (w.lower().removesuffix("'s").removesuffix("’s") for w in re.findall(r"[A-Z][\w'’-]*\w", lead))
    return list(dict.fromkeys(w for w in names if len(w) > 1 and zipf(w) < FLOOR and not tells_time(w)))[:ANSWER_NAMES]


def tells_time(word: str) -> bool:
    """Would the word set a window if searched ("Wednesday", "today")? A name taken from an answer must not."""
    window = read_window(word, date(2000, 1, 1))
    return window.dated or window.latest


def judged_text(p: Plan) -> str:
    """The question the gate weighs: a follow-up that asks nothing of its own ("why?", "what did they say?") is
    judged as its standalone query, or it has no words for the articles to hold and is always refused."""
    own = [w for w in query_terms(p.question.text) if w not in ASKING]
    return p.query if p.subject and not own else p.question.text


def weighed_subject(p: Plan) -> str:
    """The subject words the ranker weighs beside a follow-up's own: only when it names nothing itself ("who
    built it?" is about the thread's rocket; "and what did Russia say?" is about what Russia said), reacts to
    it, or speaks of nothing in a thread that cited its story ("what did Biden say?" after the bridge collapse:
    what Biden said about that; the cited article's speaker sentence still leads, `learned.speaker_first`)."""
    q = p.question.text.lower()
    about = REACTS.search(q) or (SAYS.search(q) and p.prefer)
    return "" if names_its_subject(p.question.text) and not about else p.subject


def leans(question: str, before: Turn | None, cited: Cited | None = None) -> bool:
    """Does a question lean on the turn before it? When it refers back or names nothing (`leans_on_thread`), or
    when it is short and every name it gives stands in the articles that turn cited: "what did Macron get?"
    after the backstop story, which says "Macron also did not get a firm nod on the backstop"."""
    if before is None:
        return False
    if leans_on_thread(question):
        return True
    names = [w.strip(".,;:!?'\"’“”()").lower() for w in given_names(question)]
    return bool(cited and before.cited and names and len(query_terms(question)) <= SHORT
                and cited(tuple(before.cited), names))


SHORT = 4  # query words: a follow-up this short is a turn of the conversation, not a new topic


def given_names(question: str) -> list[str]:
    """The names a question gives (capitalised words or numbers after its first word: Starmer, 737)."""
    return [w for w in question.split()[1:] if re.match(r"[A-Z]\w|\d", w) and w != "I"]


def leans_on_thread(question: str) -> bool:
    """One that refers back, or a short one naming nothing of its own, takes its subject from the conversation."""
    return refers_back(question) or (len(query_terms(question)) <= SHORT and not names_its_subject(question))


def names_its_subject(question: str) -> bool:
    """Does the question name something (a capitalised name or a number after its first word: Starmer, 737)?"""
    return bool(given_names(question))


# "how did Trump react?", "did the company comment?": a reaction with nothing reacted to asks about the thread's news
REACTS = re.compile(r"\b(?:react|respond|reply|comment)(?:ed|s)?\s*[?.!]*$")
# "what did Biden say?": words with nothing spoken of are about the thread's news too (the ranker weighs who
# speaks, `learned.speaker_first`, not the subject: the speaker's sentence need not name it)
SAYS = re.compile(r"\b(?:say|says|said|think|thinks)\s*[?.!]*$")


def refers_back(question: str) -> bool:
    """Follow-ups lean on the thread: 'and what did Russia say?', 'what about him?'."""
    q = question.lower().strip()
    words = set(re.findall(r"[a-z]+", q))  # "about it?" refers back as "about it" does
    weak = words & {"that", "this", "there", "its", "their"}  # "in its constitution" may point inside the question
    strong = words & {"he", "she", "they", "it", "him", "her", "them", "his"}
    return q.startswith(("and ", "what about", "how about", "but ", "so ", "also")) or bool(strong) or bool(
        weak and not names_its_subject(question)) or bool(REACTS.search(q) or SAYS.search(q))


# "tell me more", "go on", "anything else?": the thread's last question again, without what was already shown
MORE = re.compile(r"^\s*(?:(?:and|ok(?:ay)?|so|please),?\s+)?(?:tell me (?:more|everything)(?: about (?:it|that|this))?|"
                  r"more(?: details| info(?:rmation)?| on (?:it|that|this))?|go on|keep going|continue|"
                  r"anything else|what else|details)(?:,? please)?\s*[?.!]*\s*$", re.IGNORECASE)


def asks_more(question: Question) -> bool:
    """Does the question ask for more on the thread's last answered question?"""
    return bool(question.history) and bool(MORE.match(question.text))


def more_of(question: Question) -> tuple[Question, tuple[str, ...], tuple[str, ...]]:
    """The question "tell me more" asks again (the thread's last that was not itself one), what the thread showed,
    and the articles its answers since cited."""
    history = question.history
    at = max((i for i, t in enumerate(history) if not MORE.match(t.question)), default=len(history) - 1)
    again = Question(history[at].question, question.asked_on, history[:at], question.filters)
    hedged = history[at].answer.startswith(HEDGE)  # a story that may not answer it: no more of it unhedged
    cited = () if hedged else tuple(dict.fromkeys(a for t in history[at:] for a in t.cited))
    shown = [text for t in history if t.cited for text in (t.answer, *t.quotes)]  # a refusal showed nothing
    return again, shown_parts(shown), cited


SHOWN_PART = 40  # characters: a shorter piece of a trimmed quote ("… he said …") says nothing on its own


def shown_parts(texts: list[str]) -> tuple[str, ...]:
    """The pieces of what was shown: answers cut at their citation marks, quotes at their "…" trims."""
    parts = (part.strip() for text in texts for part in re.split(r"\[\d+(?:,\s*\d+)*\]|…", text))
    return tuple(dict.fromkeys(part for part in parts if part))


def repeats(p: Plan, c: Candidate) -> bool:
    """Was the sentence shown in the conversation's answers or their quotes (which "tell me more" does not repeat)?
    Shown whole, or a long piece of it was (a trimmed quote)."""
    return any(c.text in part or (len(part) >= SHOWN_PART and part in c.text) for part in p.shown)


def on_thread(p: Plan, c: Candidate) -> bool:
    """May a sentence follow a follow-up's lead? Only one about its thread (`about_thread`): a sentence of another
    story is filler ('who would he meet in Washington?' → '… ran into Damon's co-star' at the Golden Globes; 'how
    did Trump react?' → Walz reacting to Trump); after a question that stands alone, every sentence may."""
    return not p.prefer or about_thread(p, c)


def about_thread(p: Plan, c: Candidate) -> bool:
    """Is a sentence about a follow-up's thread: from an article it cited, or naming a word of its subject?"""
    return c.passage.article_id in p.prefer or any(vocabulary(c.text).has(w) for w in p.subject.split())


def cited_before(question: Question, subject: str | None = None) -> tuple[str, ...]:
    """The articles the conversation's last answer cited (a follow-up about "it" is most likely there);
    `subject`: the follow-up's subject words, when the caller has them already."""
    subject = subject_words(question) if subject is None else subject
    return tuple(question.history[-1].cited) if question.history and subject else ()


def cited_words(index: IndexReader, limit: int = 400) -> Cited:
    """`Cited` read from the index: do the chunks of these articles hold every one of these words?"""

    def holds(article_ids: tuple[str, ...], words: list[str]) -> bool:
        chunks = index.chunks_in(Filters(article_ids=article_ids), limit)
        return all(any(vocabulary(c.text).has(w) for c in chunks) for w in words)

    return holds


def plan(question: Question, query: str, index: IndexReader, time_words: bool = True,
         subject: str | None = None) -> Plan:
    """Where to search: the window's dates within the filters, widened at once when they cannot hold an answer
    (`subject`: the question's subject words, when the caller has them already)."""
    filters = question.filters
    window = read_window(query, question.asked_on) if time_words else Window(query=query)
    subject = subject_words(question, cited_words(index)) if subject is None else subject
    about = {"prefer": cited_before(question, subject), "subject": subject}
    if not window.dated:
        return Plan(question, query, window, filters, filters, "freshest first" if window.latest else "",
                    search_text=window.query, **about)
    # widened: everything the filters allow up to the day asked (what the archive held then), with a
    # day's grace for time zones as the recency bonus has
    wide = merge(filters, Window(until=question.asked_on + timedelta(days=1))) or filters
    merged = merge(filters, window)
    first = Plan(question, query, window, merged, wide, told(window), search_text=window.query, **about)
    if merged is None:
        return widen(first, f"“{window.phrase}” is outside the dates given")
    articles = index.article_count(merged)
    if articles == 0:  # searched beyond for the nearest older articles; refused when nothing since could tell
        widened = widen(first, f"nothing was published {span_words(window.since, window.until)}")
        return replace(widened, stale=nothing_since(index, filters, window, question.asked_on))
    return replace(first, articles=articles)


def nothing_since(index: IndexReader, filters: Filters | None, window: Window, asked_on: date) -> bool:
    """No article from the window's start to the day asked: older news cannot tell what happened then ("this
    week", "Sunday's vote" on an index behind the news); "in 2019" may be told by later articles, so it widens."""
    if window.since is None:
        return False
    since = merge(filters, Window(since=window.since, until=asked_on + timedelta(days=1)))
    return since is not None and index.article_count(since) == 0


def widen(p: Plan, why: str) -> Plan:
    """The plan searched beyond its window (the question as asked, everything up to the day asked), saying why."""
    return replace(p, window=replace(p.window, since=None, until=None), filters=p.wide, note=why, widened=True,
                   articles=None, search_text=p.query)


def unanswered(p: Plan) -> Plan:
    """Nothing in the window answered: the widened plan."""
    return replace(widen(p, f"nothing {span_words(p.window.since, p.window.until)} answers it"), ageless=True)


def off_topic(p: Plan) -> Plan:
    """The window holds nothing near the question that the archive beyond it holds: the widened plan."""
    return widen(p, f"nothing on this {span_words(p.window.since, p.window.until)}")
