"""What a question asks for, by rules a reader can follow: a person, a place, a number, a date, a title…

The rules look at the question word and, for "which/what NOUN", at the noun: "which country" asks
for a country, "what film" for a title, "how many" for a number. Questions that ask why or how,
or what someone said or did, are explanatory: they get sentences, never a short answer.
"""

from __future__ import annotations

import re
from enum import Enum


class Kind(str, Enum):
    """The type of answer a question asks for."""

    PERSON = "person"
    ORG = "organisation"
    COUNTRY = "country"
    STATE = "state"
    CITY = "city"
    PLACE = "place"
    DATE = "date"
    NUMBER = "number"
    MONEY = "money"
    PERCENT = "percent"
    DURATION = "duration"
    WORK = "title"
    EVENT = "event"
    ENTITY = "entity"  # a named thing of no kind the rules know
    EXPLAIN = "explanatory"

    @property
    def factoid(self) -> bool:
        """Does a short answer make sense (a name, a number, a date), not an explanation?"""
        return self is not Kind.EXPLAIN


# the noun after "which/what" (or its plural) names the answer's type
NOUNS: dict[Kind, str] = {
    Kind.COUNTRY: "country countries nation nations",
    Kind.STATE: "state states province provinces",
    Kind.CITY: "city cities town towns capital village villages",
    Kind.PLACE: "place places island islands region regions continent river mountain sea ocean park area county "
                "neighborhood neighbourhood location site venue border coast lake resort destination airport "
                "estuary territory territories planet",
    Kind.ORG: "alliance alliances bloc coalition federation band bands parliament senate museum museums company companies firm firms brand brands retailer retailers chain airline airlines automaker "
              "carmaker bank banks agency agencies organization organisation organizations group groups party "
              "parties team teams club clubs university universities school network networks outlet newspaper "
              "publication platform app government department court committee union manufacturer startup "
              "business businesses store stores restaurant league broadcaster studio charity institution tech giant "
              "corporation conglomerate automaker company's",
    Kind.WORK: "film films movie movies book books novel novels show shows series song songs album albums play "
               "musical game games documentary podcast painting poem sitcom drama memoir opera ballet artwork "
               "track single hit",
    Kind.EVENT: "event events festival tournament championship race summit ceremony competition election war "
                "conference match storm hurricane holiday",
    Kind.DATE: "year years month months day days date decade",
    # common things: a named answer is unlikely ("which sea animal" is not a place)
    Kind.ENTITY: "animal animals species creature creatures bird birds fish plant plants food foods dish dishes "
                 "drink drinks vaccine vaccines drug drugs disease diseases virus illness ingredient product "
                 "products currency technology device vehicle word term phrase item items crop language sport "
                 "comet submarine metal metals symbol goods genre colour color",
    Kind.PERSON: "person people man woman men women singer actor actress president leader minister player "
                 "celebrity ceo billionaire artist author star athlete figure politician senator governor judge "
                 "rapper musician director chef scientist official founder pope king queen prince princess "
                 "candidate coach quarterback comedian host journalist executive lawmaker member footballer golfer "
                 "designer writer poet novelist entrepreneur mayor chancellor premier nominee pitcher striker "
                 "tycoon mogul influencer youtuber boxer driver cyclist swimmer skater runner legend icon "
                 "spokesperson spokesman spokeswoman billionaires heir veteran astronaut pharaoh superhero "
                 "character brit",
    Kind.EXPLAIN: "reason reasons cause causes purpose motive goal aim explanation",
}
NOUN_KIND = {noun: kind for kind, nouns in NOUNS.items() for noun in nouns.split()}
# "which/what" and the words after it, up to the verb: "which US state announced", "what new streaming service"
WHICH = re.compile(r"\b(?:which|what)\s+((?:[\w'’-]+\s*){1,4})", re.I)
RUN_ENDS = frozenset("is are was were has have had did does do will would can could should may might be been "
                     "of in on at to for from by with that who which as and or the a an its their this".split())
HOW_NUMBER = re.compile(r"\bhow\s+(many|much|long|old|far|big|large|tall|high|often|deep|fast|heavy)\b", re.I)
MONEY_WORDS = re.compile(r"\b(cost|costs|pay|paid|worth|raise[ds]?|spend|spent|fine[ds]?|price|prices|charge[ds]?|"
                         r"fund(?:ing)?|budget|salary|bill|deal|sold|sell|bid|donat\w*|owe[ds]?|dollars?|"
                         r"valued?|revenue|profit|loss|tariffs?)\b", re.I)
PERCENT_Q = re.compile(r"\bwhat\s+(?:percentage|percent|share|proportion|fraction|rate)\b", re.I)
EXPLAIN_Q = re.compile(r"^\s*(?:why|how(?!\s+(?:many|much|long|old|far|big|large|tall|high|often|deep|fast|heavy)\b))\b"
                       r"|\bwhy\b|\bwhat\s+(?:did|does|do|has|have|was|were|is|are)\s+[\w\s'’-]{0,60}?\b"
                       r"(?:say|said|do|doing|happen|happened|mean|means|claim|argue|announce|reveal|plan|want|"
                       r"propose|cause|caused|rule|decide|find|conclude|order|warn|suggest|recommend|agree|"
                       r"tell|report|show|promise|demand|urge|admit|deny|confirm|insist|predict|determine|"
                       r"acknowledge|respond|discover)\b"
                       r"|\bwhat\s+(?:happened|caused|led|is\s+the\s+reason|was\s+the\s+reason)\b",
                       re.I)


# "what is the name of the …", "which of the following …", "what type of …": the noun comes after
FILLER = re.compile(r"\b(which|what)\s+(?:(?:is|was|are|were)\s+)?(?:(?:the|a|an)\s+)?"
                    r"(?:(?:name|type|kind|sort|form)\s+of\s+)?(?:(?:the|a|an|these|those)\s+)?(?:following\s+)?",
                    re.I)


def classify(question: str) -> Kind:
    """The kind of answer the question asks for (see the module docstring)."""
    q = FILLER.sub(r"\1 ", " ".join(question.split()))
    if match := HOW_NUMBER.search(q):
        word = match.group(1).lower()
        if word == "long":
            return Kind.DURATION
        if word == "much" and MONEY_WORDS.search(q):
            return Kind.MONEY
        return Kind.NUMBER
    if PERCENT_Q.search(q):
        return Kind.PERCENT
    if EXPLAIN_Q.search(q):
        return Kind.EXPLAIN
    if re.search(r"\bwhen\b|\bwhat\s+time\b", q, re.I):
        return Kind.DATE
    if re.search(r"\bwhere\b", q, re.I):
        return Kind.PLACE
    if kind := _noun_kind(q):
        return kind
    if re.search(r"\bwho(?:m|se)?\b", q, re.I):
        return Kind.PERSON
    if re.search(r"\b(?:which|what|name)\b", q, re.I):
        return Kind.ENTITY
    return Kind.EXPLAIN


def _noun_kind(q: str) -> Kind | None:
    """The type named by the head noun of the first "which/what …" phrase that names one.

    The phrase runs to the verb (a small word or an -ly adverb ends it); its head is the last word
    the table knows: "which sea animal" asks for an animal, "which large company recently" a company.
    """
    for match in WHICH.finditer(q):
        run = []
        for word in match.group(1).lower().replace("’", "'").split():
            if word in RUN_ENDS or word.endswith("ly"):
                break
            run.append(word.removesuffix("'s"))
            if word.endswith("'s"):  # "which alliance's members": the alliance is asked for
                break
        kinds = [NOUN_KIND.get(w) or NOUN_KIND.get(w.rstrip("s")) for w in run]
        if known := [k for k in kinds if k]:
            return known[-1]
        if run:  # a noun the table does not know: a named thing
            return Kind.ENTITY
    return None
