"""Time words in a question ("this week", "on Sunday", "in March", "since Monday", "the latest"):
the date window they name, relative to the day asked, and the question without them for searching.

Absolute dates ("12 May 2025", "July 4, 1776", "2025-05-12") are read by dateparser; which words
are dates at all, and how wide a window each names, are decided by the rules here: dateparser's
`search_dates` also finds "May" in "Theresa May", "march on", "the Sunday" of "the Sunday Times" and
"September 11" of the attacks, and returns days where a question means a week or a month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.answering.time.timespans import NEWS_TAIL, RECENT_DAYS, Point, resolve
from index.text import query_terms

MON = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
       r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?P<year>(?:19|20)\d\d)"  # a year alone: this century or the last
FULL_YEAR = r"(?P<year>1\d{3}|20\d\d)"  # a year beside a day or month: any ("July 4, 1776")
NUM = r"(?P<n>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|few|couple of)"
UNIT = r"(?P<unit>day|week|month|year)s?"
WEEKDAY = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"

# Every form a date point takes, most specific first; each match becomes a Point.
FORMS = [
    ("iso", rf"\b{YEAR}-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"),
    ("numeric", r"\b[0-3]?\d[/.][0-3]?\d[/.](?P<year>(?:19|20)\d\d)\b"),
    ("day_month", rf"\b(?:the\s+)?{DAY}(?:\s+of)?\s+{MON}(?:,?\s+{FULL_YEAR})?\b"),
    ("month_day", rf"\b{MON}\s+{DAY}\b(?!\s*(?:%|,\d))(?:,?\s+{FULL_YEAR})?\b"),
    ("month", rf"\b{MON}(?:,?\s+(?:{FULL_YEAR}|(?:of\s+)?(?P<rel>this|last)\s+year))?\b"),
    ("ago", rf"\b(?:{NUM}\s+)?{UNIT}\s+ago\b"),
    ("span", rf"\b(?:(?:in|over|during|for)\s+)?(?:the\s+)?(?:past|last|previous)\s+{NUM}\s+{UNIT}\b"),
    ("recent", r"\b(?:recently|lately|in\s+recent\s+(?P<runit>days|weeks|months)|recent)\b"),
    ("period", r"\b(?:(?:earlier|later)\s+)?(?:(?P<which>this|last|past|previous|the\s+past|the\s+last)\s+|over\s+the\s+)"
               r"(?P<per>week|weekend|month|year)\b"),
    ("weekday", rf"\b(?:(?P<mod>last|this|past)\s+)?{WEEKDAY}(?P<poss>['’]s)?"
                r"(?:\s+(?:morning|afternoon|evening|night))?\b"),
    ("relday", r"\b(?P<rel>today|tonight|yesterday|last\s+night|the\s+day\s+before\s+yesterday|"
               r"this\s+(?:morning|afternoon|evening))\b"),
    ("holiday", r"\b(?P<hol>new\s+year['’]?s(?:\s+day|\s+eve)?|valentine['’]?s\s+day|easter(?:\s+sunday|\s+monday)?|"
                r"memorial\s+day|independence\s+day|the\s+fourth\s+of\s+july|labou?r\s+day|halloween|thanksgiving|"
                r"christmas(?:\s+day|\s+eve)?|boxing\s+day)(?P<wkend>\s+weekend)?\b"),
    ("year", rf"\b{YEAR}\b(?![-/.,]\d)"),
]
FORM_RES = [(name, re.compile(rx, re.I)) for name, rx in FORMS]
CUE = re.compile(r"\b(?P<cue>between|from|since|after|before|until|till|through|by|during|throughout|of|as\s+of|"
                 r"up\s+to|starting|beginning|so\s+far\s+in|(?:(?:in|on)\s+(?:the\s+)?)?(?:early|late|mid)|in|on|over|at)"
                 r"\s*-?\s*$", re.I)
JOIN = re.compile(r"^\s*(?:and|to|until|till|through|-|–)\s*", re.I)
# "what's the latest on X", "any news about X", "what's new with X": the freshest passages first
LATEST = re.compile(
    r"\b(?:(?:what(?:['’]s|\s+is|\s+are)|any|give\s+me|tell\s+me|show\s+me)\s+)?(?:the\s+)?"
    r"(?:(?:very\s+)?latest|newest)"
    r"(?:\s+(?:news|developments?|updates?|headlines|stories)(?:\s+(?:on|about|with|in|regarding|from|for)\b)?"
    r"|\s+(?:on|about|with|in|regarding|from|for)\b|(?=\s*[?.!]?\s*$))?"
    r"|\b(?:what(?:['’]s|\s+is)|anything)\s+new\s+(?:on|about|with|in|for)\b"
    r"|\b(?:any|what(?:['’]s|\s+are)\s+the)\s+(?:news|updates?)\s+(?:on|about|with|regarding)\b"
    r"|\bupdates?\s+on\b", re.I)
SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“(]\s*)$")
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")  # time words inside a quotation are the quote's, not the question's
OPTIONS = re.compile(r"\(([^()]+,[^()]+)\)\s*\??\s*$")  # nor those of a quiz's options: 'When? (May, June)'

# the question looks ahead: a month or weekday without a year is the next one, and its news is the latest
FUTURE = re.compile(r"\b(?:will|won['’]t|shall|set\s+to|is\s+to|are\s+to|going\s+to|plans?\s+to|planning\s+to|"
                    r"expected\s+to|scheduled|slated|upcoming|ahead\s+of|in\s+preparation\s+for|"
                    r"(?:could|might|may|would)\s+(?:be|impose|take|make|move|face|hold))\b|['’]ll\b", re.I)


@dataclass(frozen=True)
class Window:
    """The dates a question asks about (either end may be open), and the question without its time words."""

    since: date | None = None
    until: date | None = None
    phrase: str = ""  # the time words as written ("this week"), for telling the user
    latest: bool = False  # "the latest on X": freshest first
    query: str = ""  # the question without its time words (what is searched)
    upcoming: bool = False  # the words name days after the day asked: the latest news is searched instead

    @property
    def dated(self) -> bool:
        """Does it name dates (not only 'the latest')?"""
        return bool(self.since or self.until)


def read_window(question: str, asked_on: date) -> Window:
    """The window a question's time words name relative to asked_on (empty Window when there are none)."""
    latest = [m.span() for m in LATEST.finditer(question)]
    quoted = [m.span() for rx in (QUOTED, OPTIONS) for m in rx.finditer(question)]
    points = _points(question, asked_on, latest + quoted)
    spans = [(p.start, p.end) for p in points] + latest
    query = _without(question, spans) if spans else question
    if not points and latest:  # "the latest on X": the last weeks' news, freshest first
        since = asked_on - timedelta(days=RECENT_DAYS)
        return Window(since, asked_on, "the latest", True, query)
    if not points:
        return Window(query=query)
    since, until = _combine(points)
    phrase = _phrase(question, [(p.start, p.end) for p in points])
    if since and since > asked_on:  # "in 2026", "on Sunday" ahead of it: what is known so far
        return Window(asked_on - timedelta(days=RECENT_DAYS), asked_on, phrase, bool(latest), query, upcoming=True)
    if until and until > asked_on:
        until = asked_on  # nothing is published after the day asked
    return Window(since, until, phrase, bool(latest), query)


def _phrase(question: str, spans: list[tuple[int, int]]) -> str:
    """The time words as written, joined."""
    return ", ".join(question[a:b].strip() for a, b in sorted(spans))


def _combine(points: list[Point]) -> tuple[date | None, date | None]:
    """Several expressions narrow each other ('in March' + 'this year'); when they cannot, the first counts."""
    since, until = points[0].first, points[0].last
    for p in points[1:]:
        s = max(filter(None, (since, p.first)), default=None)
        u = min(filter(None, (until, p.last)), default=None)
        if not (s and u and s > u):
            since, until = s, u
    return since, until


def _without(question: str, spans: list[tuple[int, int]]) -> str:
    """The question with the spans cut out and the punctuation tidied; the question itself if nothing is left."""
    out, pos = [], 0
    for a, b in sorted(spans):
        if a >= pos:
            out.append(question[pos:a])
            pos = b
    out.append(question[pos:])
    text = re.sub(r"\s+", " ", " ".join(out))
    text = re.sub(r"\s+([,.?!;:])", r"\1", text)
    text = re.sub(r"^[\s,;:]+|(?<=[,;:])[\s,;:]+(?=[?.!]|$)", "", text).strip()
    text = re.sub(r"[,;:]+(?=[?.!]?$)", "", text).strip()
    return text if query_terms(text) else question


def _matches(question: str) -> list[tuple[str, re.Match]]:
    """Non-overlapping matches of the forms, the earliest (then the longest, then the most specific) first."""
    found = [(m.start(), -(m.end() - m.start()), i, name, m) for i, (name, rx) in enumerate(FORM_RES)
             for m in rx.finditer(question)]
    out, taken = [], -1
    for start, _, _, name, m in sorted(found, key=lambda f: f[:3]):
        if start >= taken:
            out.append((name, m))
            taken = m.end()
    return out


def _points(question: str, asked_on: date, exclude: list[tuple[int, int]]) -> list[Point]:
    """The time expressions of a question that are dates (not names), with their cues and ranges applied."""
    points: list[Point] = []
    matches = [(n, m) for n, m in _matches(question) if not any(a <= m.start() < b for a, b in exclude)]
    ahead = bool(FUTURE.search(question))
    i = 0
    while i < len(matches):
        name, m = matches[i]
        cue = CUE.search(question[: m.start()])
        cue_word = _cue_word(cue.group("cue"), question[: m.start()]) if cue else ""
        point = resolve(name, m, asked_on, ahead) if _is_date(name, m, question, cue_word) else None
        i += 1
        if point is None:
            continue
        start = cue.start() if cue else m.start()
        if cue_word in ("between", "from") and i < len(matches):
            nxt_name, nxt = matches[i]
            join = JOIN.match(question[m.end(): nxt.start()])
            # the range's end is the first such day on or after its start ("from November to February")
            if join and join.end() == nxt.start() - m.end() and (other := resolve(nxt_name, nxt, point.first, True)):
                points.append(Point(start, nxt.end(), "range", point.first, other.last, False))
                i += 1
                continue
        points.append(_apply_cue(cue_word, point, start, asked_on))
    return points


def _cue_word(cue: str, before: str) -> str:
    """The cue's meaning: 'in early', 'mid' read as 'in'; 'since the war began in 2022' as 'since'."""
    cue = re.sub(r"\s+", " ", cue.lower())
    if cue in ("in", "on") and re.search(r"\bsince\b[^,.;:?!]*$", before[: -len(cue) - 1], re.I):
        return "since"
    return "in" if re.search(r"early|late|mid", cue) or cue in ("over", "at") else cue


def _apply_cue(cue: str, p: Point, start: int, asked_on: date) -> Point:
    """'since X', 'before X', 'after X', 'until X' open one end; 'in/on X' (or none) is X itself."""
    if cue in ("since", "starting", "beginning", "as of", "from"):
        return Point(start, p.end, p.kind, p.first, asked_on, False)
    if cue == "after":
        return Point(start, p.end, p.kind, p.last + timedelta(days=1), asked_on, False)
    if cue == "before":
        return Point(start, p.end, p.kind, None, p.first - timedelta(days=1), False)
    if cue in ("until", "till", "by", "up to"):
        return Point(start, p.end, p.kind, None, p.last, False)
    if p.alone and p.kind == "day":  # the day and the news that follows it
        p = replace(p, last=p.last + timedelta(days=NEWS_TAIL))
    return replace(p, start=start)


def _is_date(name: str, m: re.Match, question: str, cue: str) -> bool:
    """Dates, not names: 'May' the name, 'march' the verb, 'the Sunday Times', 'the September 11 attacks'."""
    text, after = m.group(0), question[m.end():]
    year = "year" in m.re.groupindex and m.group("year")
    if name in ("month", "day_month", "month_day"):
        word = m.group("mon")
        if word.lower() in ("may", "mar", "march") and not word[0].isupper():
            return False  # the verbs ("may", "march on"); months are written with a capital
        if name == "month" and not (year or m.group("rel")):
            return bool(cue) and cue not in ("of",)  # "in March"; not "May" alone, nor "the cost of May"
        return bool(year or cue)  # "on September 11"; not "the September 11 attacks"
    if name in ("year", "holiday"):
        return bool(cue)  # "in 2024", "since Christmas"; not "the 2024 election", "the Thanksgiving parade"
    if name == "weekday":
        if re.search(r"\b(?:first|second|third|fourth|fifth|last|every|each)\s+$", question[: m.start()], re.I) \
                and not m.group("mod") or re.match(r"\s+of\b", after):
            return False  # "the third Monday of February", "every Sunday": a rule, not a day
        if cue or m.group("mod"):
            return True
        if re.search(r"[A-Z][\w'’-]*\s+$", question[: m.start()]):
            return False  # "Black Friday", "Super Tuesday", "Bloody Sunday"
        if m.group("poss"):
            return True  # "Sunday's election"
        if re.search(r"\b(?:the|a|an)\s+$", question[: m.start()], re.I):
            return False  # "the Sunday Times", "a Sunday drive"
        return not re.match(r"\s+[A-Z]", after)  # "Sunday Times reported" is a newspaper
    if name == "relday":
        # lower case, unless it starts a sentence: "USA Today" and the Beatles' "Yesterday" are names
        return text[0].islower() or bool(SENTENCE_START.search(question[: m.start()]))
    return True
