"""Candidate short answers of a kind in a sentence: names, gazetteer places, dates, amounts, quoted titles.

A candidate is a span of the sentence (so it is always an exact substring of the quote). Spans whose
words all appear in the question are no answer to it ("Who did Trump meet?" — not "Trump").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answering.ranking import gazetteer
from bot.answering.ranking.answer_types import Kind
from bot.answering.ranking.words import same_word
from index.text import STOPWORDS, query_terms

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
          "Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept?\\.?|Oct\\.?|Nov\\.?|Dec\\.?")
WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
YEAR = r"(?:19|20)\d\d"
DATE = re.compile(
    rf"\b(?:(?:{WEEKDAYS}),?\s+)?(?:(?:{MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+{YEAR})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})(?:\s+{YEAR})?|(?:{MONTHS})\s+{YEAR}"
    rf"|(?:{MONTHS})(?=[\s,.])|(?:{WEEKDAYS})|{YEAR})\b")
NUMBER_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
                "hundred|hundreds|thousand|thousands|dozen|dozens")
SCALE = r"(?:\s*(?:million|billion|trillion|thousand|hundred|bn|m|k)\b)?"
NUMERAL = rf"(?:\d[\d,]*(?:\.\d+)?{SCALE}|(?:{NUMBER_WORDS})(?:[\s-](?:{NUMBER_WORDS}))*{SCALE})"
MONEY = re.compile(rf"(?:[$£€¥]\s?\d[\d,]*(?:\.\d+)?{SCALE}|\b{NUMERAL}\s+(?:dollars|euros|pounds|yen|yuan|"
                   rf"rupees|francs|pesos|won|rubles)\b|\bUS\$\s?\d[\d,.]*{SCALE})", re.I)
PERCENT = re.compile(rf"\b{NUMERAL}\s?(?:%|percent\b|per cent\b|percentage points\b)", re.I)
UNITS = "seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century"
DURATION = re.compile(rf"\b(?:{NUMERAL}|a|an|half an?)[\s-](?:{UNITS})\b(?:[\s-]long)?", re.I)
NUMBER = re.compile(rf"(?:[$£€¥]\s?)?\b{NUMERAL}(?:\s?%)?", re.I)
QUOTED = re.compile(r"[\"“‘]([^\"“”‘’]{2,80}?)[\"”’]")
# capitalised words, joined by the small words names contain ("Bank of England", "Jay-Z", "McDonald's")
NAME = re.compile(r"(?:[A-Z][\w'’.&-]*|\d+[A-Z][\w-]*)(?:\s+(?:(?:of|the|de|del|da|di|du|dos|van|von|der|al|el|"
                  r"bin|ibn|la|le|&)\s+)*(?:[A-Z][\w'’.&-]*|\d[\w-]*))*")
# a dateline ("WASHINGTON") or a describing word ("Ohio-based") is no answer
NOT_A_NAME = re.compile(r"^[A-Z]{7,}$|-(?:[Bb]ased|[Ll]ed|[Bb]acked|[Bb]orn|[Mm]ade|[Oo]wned|[Rr]un|[Ss]tyle)$")
DESCRIBER = re.compile(r"^\S+-(?:based|led|backed|born|owned|run)\s+", re.I)  # "Ohio-based Joann" -> "Joann"
ORG_WORDS = re.compile(r"\b(?:Inc|Corp|Co|Ltd|LLC|Group|Party|Association|Department|Agency|University|Bank|"
                       r"Company|Council|Commission|Committee|Court|Ministry|Institute|Foundation|Union|Club|"
                       r"Airlines?|Motors|Network|News|Times|Post|Service|Board|Authority|Federation|League|"
                       r"Organi[sz]ation|Society|Studios?|Records|Entertainment|Holdings|Technologies)\b|^[A-Z]{2,6}$")
EVENT_WORDS = re.compile(r"\b(?:Games|Cup|Summit|Festival|Awards?|Election|War|Championships?|Olympics|Open|"
                         r"Grand Prix|Series|Bowl|Week|Conference|Expo|Marathon|Tour|Prize|Oscars|Grammys|Emmys|"
                         r"Euros?|World Cup|Globes)\b")
# place words that no person's name holds, and those that surnames can be ("Park", "Bay", "Lake")
ONLY_PLACE = r"Island|Islands|River|Mountains|Strait|Canal|Peninsula|Gulf|County|Province|Region|Airport|Desert"
PLACE_OR_SURNAME = r"Sea|Mountain|Mount|Park|Bay|Lake|Valley|Coast|Border|Beach|Harbou?r"
PLACE_WORDS = re.compile(rf"\b(?:{ONLY_PLACE}|{PLACE_OR_SURNAME})\b")
# named places and gatherings are no person ("Libertarian National Convention", "Buckley's Tavern" for "who?")
NOT_PERSON_WORDS = re.compile(r"\b(?:Convention|Hall of Fame|Tavern|Restaurant|Hotel|Cent(?:er|re)|Stadium|Arena|"
                              r"Church|Cathedral|Museum|Theat(?:er|re)|School|College|Hospital|Bridge|Street|Avenue|"
                              rf"Square|Palace|Caucus|Assembly|Congress|Parliament|Senate|{ONLY_PLACE})\b")
# a person named with a title is no organisation ("Vice President Kamala Harris" for "which university?")
TITLED_PERSON = re.compile(r"^(?:(?:Vice|Former|First|Deputy|Prime|Chief)\s+)*(?:President|Minister|Sen\.?|Senator|"
                           r"Rep\.?|Gov\.?|Governor|Mayor|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Judge|Justice|Pope|King|Queen|"
                           r"Prince|Princess|Lady|Sir|Secretary|Chancellor|Speaker)\s+[A-Z]")
# "which month/year/day": the date must name one
DATE_UNIT = re.compile(r"\b(?:which|what)\s+(month|year|day)\b", re.I)
UNIT_HOLDS = {"month": re.compile(rf"\b(?:{MONTHS})"), "year": re.compile(rf"\b{YEAR}\b"),
              "day": re.compile(rf"\b(?:{WEEKDAYS})\b|\d")}
EDITION = re.compile(rf"\s{YEAR}$")  # "Copa America 2024": an event's edition, no team, person or place
PLACE_LEAD = re.compile(r"\b(?:in|at|near|from|to|into|across|outside|inside)\s+$")
SENTENCE_STARTERS = frozenset("a an the in on at but and or so as if it its this that these those he she they we "
                              "i you his her their our after before when while since for with by from".split())
DETERMINER = re.compile(r"^(?:The|A|An)\s+")


@dataclass(frozen=True)
class Candidate:
    """A possible short answer: its text and where it sits in the sentence."""

    text: str
    start: int
    end: int
    kind: Kind


def names(sentence: str) -> list[tuple[int, int, str]]:
    """Runs of capitalised words, without a sentence-initial common word or a possessive 's."""
    out = []
    for m in NAME.finditer(sentence):
        start, text = m.start(), m.group(0)
        first = text.split()[0]
        if start == _first_word(sentence) and first.lower() in SENTENCE_STARTERS | STOPWORDS:
            rest = text[len(first):].lstrip()
            if not rest:
                continue
            start, text = m.end() - len(rest), rest
        text = re.sub(r"['’]s?$", "", text)
        if (lead := DESCRIBER.match(text) or re.match(r"(?:The|A|An)\s+(?=\S)", text)) and lead.end() < len(text):
            start, text = start + lead.end(), text[lead.end():]
        if not re.search(r"\.\w\.$", text):  # "U.S." keeps its full stop; a sentence's last word does not
            text = text.rstrip(".-")
        if text and not re.fullmatch(rf"(?:{MONTHS}|{WEEKDAYS})", text) and not NOT_A_NAME.search(text):
            out.append((start, start + len(text), text))
    return out


def _first_word(sentence: str) -> int:
    """Offset of the sentence's first word (after quotes and brackets)."""
    m = re.search(r"\w", sentence)
    return m.start() if m else 0


def find(kind: Kind, sentence: str, question: str, subject: str = "", strict: bool = False) -> list[Candidate]:
    """Candidates of the kind in the sentence that the question does not already name; subject: the words a
    follow-up leaves out ("he" for Starmer), whose full names ("Keir Starmer") are no answer either.

    strict: a short answer's candidates, held to their kind more closely (`_of_kind`); the ranker's type
    features count the looser spans it was fit with."""
    asked = _plain_words(f"{question} {subject}")
    referent = _plain_words(subject)
    spans = _spans(kind, sentence)
    if strict:
        spans = _of_kind(kind, spans, question)
    seen, out = set(), []
    for start, end, text in spans:
        words = _plain_words(text)
        # a span of the question itself, inflections and plurals included ("Golden Globes" for "Golden Globe")
        if not words or all(any(same_word(w, a) for a in asked) for w in words) or (text, start) in seen:
            continue
        if referent and _surname(text) in referent:  # "British Prime Minister Keir Starmer" is who "he" is
            continue
        seen.add((text, start))
        out.append(Candidate(text, start, end, kind))
    return out


def _surname(name: str) -> str:
    """The last word of a name, plain ("Keir Starmer" → "starmer")."""
    words = name.split()
    return words[-1].lower().replace(".", "").strip("'’") if words else ""


def _plain_words(text: str) -> set[str]:
    """A text's content words, abbreviations undotted, compounds split ("U.S." is "US"; "Bowl-themed" holds "Bowl")."""
    out = set()
    for term in query_terms(text):
        plain = term.replace(".", "")
        out.add(plain)
        out.update(p for p in plain.split("-") if len(p) > 1 and p not in STOPWORDS)
    return out


def _spans(kind: Kind, sentence: str) -> list[tuple[int, int, str]]:
    """Every span of the kind, before the question's own words are taken out."""
    if kind in PATTERNS:
        return [(m.start(), m.end(), m.group(0).strip()) for m in PATTERNS[kind].finditer(sentence)]
    if kind is Kind.WORK:
        return [(m.start(1), m.end(1), m.group(1).strip(" ,.")) for m in QUOTED.finditer(sentence)] + names(sentence)
    found = names(sentence)
    if kind is Kind.COUNTRY:
        return _in(found, gazetteer.countries())
    if kind is Kind.STATE:
        return _in(found, gazetteer.subdivisions())
    if kind is Kind.CITY:
        return _in(found, gazetteer.cities()) or _after_place_words(found, sentence)
    if kind is Kind.PLACE:
        places = gazetteer.places()
        return _in(found, places) + [s for s in found if PLACE_WORDS.search(s[2])] + _after_place_words(found, sentence)
    if kind is Kind.PERSON:
        places = gazetteer.regions()
        return [s for s in found if s[2] not in places and s[2] not in gazetteer.DEMONYMS
                and not ORG_WORDS.search(s[2])]
    if kind is Kind.ORG:
        return [s for s in found if ORG_WORDS.search(s[2])] + [s for s in found if not ORG_WORDS.search(s[2])]
    if kind is Kind.EVENT:
        return [s for s in found if EVENT_WORDS.search(s[2])] + _quoted(sentence)
    return found + _quoted(sentence)  # ENTITY: any name or quoted phrase


def _of_kind(kind: Kind, spans: list[tuple[int, int, str]], question: str) -> list[tuple[int, int, str]]:
    """The spans a short answer of the kind can be: no gathering, venue or edition for "who?", no titled person,
    nationality or edition for "which company?", a month for "which month?"."""
    if kind is Kind.PERSON:
        return [s for s in spans if not (NOT_PERSON_WORDS.search(s[2]) or EVENT_WORDS.search(s[2])
                                         or EDITION.search(s[2]))]
    if kind is Kind.ORG:
        return [s for s in spans if s[2] not in gazetteer.DEMONYMS and not TITLED_PERSON.match(s[2])
                and not EDITION.search(s[2])]
    if kind is Kind.DATE and (unit := DATE_UNIT.search(question)):
        return [s for s in spans if UNIT_HOLDS[unit.group(1).lower()].search(s[2])]
    return spans


def _in(spans, gazetteer_names) -> list[tuple[int, int, str]]:
    """Name spans that are, or contain, a gazetteer name (the name itself is the candidate)."""
    out = []
    for start, end, text in spans:
        stripped = DETERMINER.sub("", text)
        if stripped in gazetteer_names:
            out.append((end - len(stripped), end, stripped))
            continue
        words = stripped.split()
        for n in range(min(4, len(words)), 0, -1):  # longest sub-run first: "New York" before "York"
            hits = [" ".join(words[i:i + n]) for i in range(len(words) - n + 1)]
            hit = next((h for h in hits if h in gazetteer_names), None)
            if hit:
                offset = text.index(hit)
                out.append((start + offset, start + offset + len(hit), hit))
                break
    return out


def _after_place_words(spans, sentence: str) -> list[tuple[int, int, str]]:
    """Names right after 'in', 'at', 'near', 'from' … ('talks in Kananaskis')."""
    return [s for s in spans if PLACE_LEAD.search(sentence[max(0, s[0] - 12):s[0]])]


def _quoted(sentence: str) -> list[tuple[int, int, str]]:
    """Short quoted phrases (titles, nicknames)."""
    return [(m.start(1), m.end(1), m.group(1).strip(" ,.")) for m in QUOTED.finditer(sentence)
            if len(m.group(1).split()) <= 8]


PATTERNS: dict[Kind, re.Pattern] = {Kind.DATE: DATE, Kind.MONEY: MONEY, Kind.PERCENT: PERCENT,
                                    Kind.DURATION: DURATION, Kind.NUMBER: NUMBER}
