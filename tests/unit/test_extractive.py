"""The extractive step on hand-built passages: candidates, scoring, selection and composed citations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fakes.reader import embed, row

from bot.answering.models import Passage
from bot.answering.ranking import extractive
from bot.answering.stages import Candidate

ARTICLE = ("The council met on Monday. The mayor opened the Skerrow bridge after nine years of work. "
           "Residents cheered. The bridge cost 40 million euros, the council said.")


def passage(cid="a-1", art="a", text=ARTICLE, start=0, **meta) -> Passage:
    return Passage.of(row(cid, art, text, start, **meta))


@dataclass(frozen=True)
class Scored:
    """A candidate beside its scores, for reading a test."""

    candidate: Candidate
    score: float
    overlap: float
    cosine: float

    @property
    def text(self) -> str:
        return self.candidate.text


def scored(question: str, passages: list[Passage], weights=None, asked_on=None) -> list[Scored]:
    cands = extractive.candidates(passages)
    s = extractive.score(question, embed([question])[0], cands, embed, weights or extractive.Weights(), asked_on)
    out = [Scored(c, s.hand[i], s.overlap[i], s.cosine[i]) for i, c in enumerate(cands)]
    return sorted(out, key=lambda x: -x.score)


def test_candidates_are_distinct_sentences_with_article_offsets():
    first = passage("a-1", text=ARTICLE)
    # an overlapping chunk of the same article repeats its last sentence: it is a candidate once
    tail = ARTICLE[ARTICLE.index("The bridge cost"):]
    second = passage("a-2", text=tail + " Work starts next week on the road.", start=ARTICLE.index("The bridge cost"))
    sents = extractive.candidates([first, second])
    texts = [s.text for s in sents]
    assert texts.count(tail) == 1
    assert "Residents cheered." not in texts  # shorter than a sentence worth quoting
    for s in sents:
        own = s.passage
        assert own.text[s.start - own.start:s.end - own.start] == s.text


def test_rare_shared_words_outscore_common_ones():
    p = passage()
    best = scored("How much did the Skerrow bridge cost?", [p])[0]
    assert best.text.startswith("The bridge cost 40 million euros")
    assert best.overlap > 0 and best.cosine != 0.0


def test_only_the_best_few_are_embedded():
    texts = " ".join(f"Sentence number {i} talks about the weather in town." for i in range(15))
    sents = scored("weather in town", [passage(text=texts)], extractive.Weights(embed_top=4))
    assert sum(1 for s in sents if s.cosine != 0.0) == 4


def test_a_sentence_naming_an_option_gains():
    p = passage()
    plain = {s.text: s.score for s in scored("What did the mayor open?", [p])}
    quiz = {s.text: s.score for s in scored("What did the mayor open? (a tunnel, the Skerrow bridge)", [p])}
    opened = next(t for t in plain if t.startswith("The mayor opened"))
    assert quiz[opened] - plain[opened] > 0.2


def test_credit_line_answers_who_wrote_it():
    text = "The mayor opened the bridge on Monday morning.\n(Reporting by Ann Lee; Editing by Bo Chan)"
    best = scored("Who reported the article?", [passage(text=text)])[0]
    assert best.candidate.is_credit and "Ann Lee" in best.text


def test_recency_bonus_halves_per_half_life_and_ignores_hindsight():
    fresh = extractive.recency({"2025-03-01", "2025-01-30", "2025-03-05", ""}, date(2025, 3, 1), 0.3, 30)
    assert fresh["2025-03-01"] == 0.3 and abs(fresh["2025-01-30"] - 0.15) < 0.01
    assert fresh["2025-03-05"] == 0.0 and fresh[""] == 0.0


def test_select_skips_near_duplicates_and_stops_at_n():
    a = "The mayor opened the Skerrow bridge after nine years of work on Monday."
    b = "The mayor opened the Skerrow bridge after nine years of work, on Monday."
    c = "The bridge cost 40 million euros, the council said on Monday."
    sents = extractive.candidates([passage(text=f"{a} {b} {c}")])
    chosen = extractive.select(sents, 2, extractive.Weights(), by=[1.0, 2.0, 3.0])
    assert [s.text for s in chosen] == [c, b]  # best first by the scores given
    assert [s.text for s in extractive.select(sents, 2, extractive.Weights())] == [a, c]  # in the order given
    assert len(extractive.select(sents, 1, extractive.Weights())) == 1


def test_compose_leads_with_the_best_and_quotes_exact_text():
    other = passage("b-1", "b", "Elsewhere, the regional governor praised the bridge project warmly.")
    sents = extractive.candidates([passage(), other])
    by_text = {s.text: s for s in sents}
    best = by_text["The bridge cost 40 million euros, the council said."]
    second = by_text["The mayor opened the Skerrow bridge after nine years of work."]
    third = by_text["Elsewhere, the regional governor praised the bridge project warmly."]
    text, citations = extractive.compose([best, third, second], context_after=0)
    assert text.startswith(best.text + " [1]") and text.endswith(third.text + " [2]")
    assert text.count("[1]") == 2  # both sentences of article a cite its one source
    assert [(c.n, c.article_id) for c in citations] == [(1, "a"), (2, "b")]  # one source per article
    # its quotes in reading order, exact article text (no context asked for), the gap between them marked
    # the passage of the sentence cited first leads its source's quotes; the others follow in reading order
    assert (citations[0].quote, citations[0].more_quotes) == (best.text, [second.text])
    assert citations[1].quote == third.text and citations[1].more_quotes == []


def test_datelines_are_cut_and_questions_are_no_evidence():
    text = ("WASHINGTON (Reuters) – The mayor opened the Skerrow bridge after nine years. "
            "How long is tonight's council debate? The bridge cost 40 million euros, the council said.")
    sents = extractive.candidates([passage(text=text)])
    assert [s.text for s in sents] == ["The mayor opened the Skerrow bridge after nine years.",
                                       "The bridge cost 40 million euros, the council said."]
    assert text[sents[0].start:sents[0].end] == sents[0].text  # offsets still quote the article exactly
    split = extractive.candidates([passage(text="OKEMOS, Mich. (AP) — From maternity clothing to handbags, fashion sells.")])
    assert [s.text for s in split] == ["From maternity clothing to handbags, fashion sells."]  # the place ended a sentence
    listed = "LOS ANGELES — Wildfires destroyed thousands of homes.\n\n∎ More than 12,000 structures were damaged."
    assert [s.text for s in extractive.candidates([passage(text=listed)])] == [
        "LOS ANGELES — Wildfires destroyed thousands of homes.",  # the place may be the answer ("where …?"): kept
        "More than 12,000 structures were damaged."]  # a list's bullet cut


def test_inlined_headlines_are_no_evidence_but_a_placed_sentence_is():
    text = ("MORE:Breaking down education funding in Delaware's proposed 2025 budget\n\n"
            "Best Super Bowl ads:All 59 commercials ranked by the Ad Meter\n\n"
            "READ MORE: ‘Consider chemical hazards’ in the baby foods you sell, FDA warns manufacturers\n\n"
            "Cicadas 2024:2 broods to emerge together in US for first time in over 200 years\n\n"
            "June 26, 2015:The Supreme Court legalized same-sex marriage across the United States.\n\n"
            "Dec. 21:Papa John's CEO, pizza titan John Schnatter, steps down\n\n"
            "Dover:The state's literacy scores fell for a third year, the department said.\n\n"
            "The council met at 7:30 p.m. and voted for the budget.")
    kept = [s.text for s in extractive.candidates([passage(text=text)])]
    assert kept == ["June 26, 2015:The Supreme Court legalized same-sex marriage across the United States.",
                    "Dover:The state's literacy scores fell for a third year, the department said.",
                    "The council met at 7:30 p.m. and voted for the budget."]


def test_labelled_lines_that_are_no_evidence_are_left_out():
    text = ("The claim: The CDC withdrew its PCR test because it cannot tell flu from COVID-19\n\n"
            "Our rating: False, because the CDC replaced one test with another that detects both viruses.\n\n"
            "Photos: Scenes from the Kansas City parade\n\n"
            "Sources: \"History of Delaware,\" by J. Thomas Scharf; \"Delaware: A Guide to the First State.\"\n\n"
            "MLB SALARIES: Baseball's top 25 highest-paid players in 2024\n\n"
            "USA TODAY Coverage: Hunter Biden goes to court as fight continues between GOP and White House\n\n"
            "More stories: What to know about the Delaware primary.\n\n"
            "FAST FACT: About 50,000 visitors attended the festival's events.\n\n"
            "Editor's Note: This page is a summary of news on the LA fires for Sunday, Jan. 12.\n\n"
            "Editor's note: The launch was scrubbed Monday.\n\n"
            "Editor’s Note: A version of this article originally appeared in the weekly weather newsletter.\n\n"
            "Editor's note: For the latest news on the Israel-Hamas conflict, please see our live coverage.\n\n"
            "Editor's note: An earlier version of this story incorrectly said the vote was on Monday.\n\n"
            "For the latest updates on the wildfires, please read USA TODAY's live updates for Monday.\n\n"
            "For more information, visit the district's website or call the office.\n\n"
            "For more than 150 years, the clock tower has marked the hours over the square.\n\n"
            "Suzanne Frey, an executive at Alphabet, is a member of The Motley Fool's board of directors. "
            "The Motley Fool has positions in and recommends Alphabet, Nvidia and Pfizer. "
            "Sean Williams has no position in any of the stocks mentioned. The Motley Fool has a disclosure policy.")
    kept = [s.text for s in extractive.candidates([passage(text=text)])]
    assert kept == ["Our rating: False, because the CDC replaced one test with another that detects both viruses.",
                    "FAST FACT: About 50,000 visitors attended the festival's events.",
                    "Editor's note: The launch was scrubbed Monday.",  # a note about the news, not the page
                    "For more than 150 years, the clock tower has marked the hours over the square."]


def test_a_chunk_starting_at_a_list_items_colon_quotes_from_its_first_word():
    text = ": Following a parade in Monterey Park, 11 people were killed at a dance studio. The studio was popular."
    first = extractive.candidates([passage(text=text)])[0]
    assert first.text.startswith("Following a parade") and text[first.start:first.end] == first.text


def test_adjacent_sentences_of_one_passage_share_a_citation():
    sents = extractive.candidates([passage()])
    opened = next(s for s in sents if s.text.startswith("The mayor opened"))
    met = next(s for s in sents if s.text.startswith("The council met"))
    text, citations = extractive.compose([met, opened], context_after=0)
    assert len(citations) == 1 and text.endswith("[1]")
    assert citations[0].quote == ARTICLE[:opened.end]


GALA = ("The gala raised $22 million last year.\n\nMet Gala 2024 theme, explained\n\nIn November, the Met revealed "
        "the theme is Sleeping Beauties.\n\nBest dressed of the night, in order:\n\nZendaya, in a gown.")


def test_a_sub_heading_gives_way_to_the_sentence_under_it():
    sents = extractive.candidates([passage(text=GALA)])
    heading, body, raised, listed = (next(s for s in sents if s.text.startswith(w))
                                     for w in ("Met Gala", "In November", "The gala", "Best dressed"))
    assert heading.is_subheading and not body.is_subheading and not raised.is_subheading
    assert not listed.is_subheading  # a line leading into a list ends in a colon
    assert not extractive.candidates([passage(text="Dates.\n\nSunday, Feb. 16: BAFTA Film Awards\n\nMore.")])[0].is_subheading
    assert extractive.below_headings([heading, raised, body], sents) == [body, raised]
    assert extractive.below_headings([heading], [heading]) == [body]  # not ranked: read from the passage
    told = lambda c: c.text.startswith("In November")  # noqa: E731  "tell me more" after the body was shown
    assert extractive.below_headings([heading, raised], [heading, raised], shown=told) == [raised]  # nor its heading
    last = extractive.candidates([passage(text="An intro sentence long enough.\n\nThe end of the story, explained\n")])[-1]
    assert last.is_subheading and extractive.below_headings([last], [last]) == [last]  # nothing under it: it stays
    at = GALA.index("In November")  # a second chunk of the article, overlapping the first from the body on
    later = extractive.candidates([passage("a-2", text=GALA[at:], start=at)])
    assert extractive.below_headings([heading], later)[0] is later[0]  # the ranked copy of the body, once
    tail = GALA.index("the theme is")
    cut = extractive.candidates([passage("a-3", text=GALA[tail:], start=tail)])
    assert extractive.below_headings([heading], cut) == [heading]  # a ranked sentence overlaps it: not quoted twice
    assert extractive.below_headings([heading], sents, keep="2024") == [heading]  # a bold answer only it holds
    text, _ = extractive.compose(extractive.below_headings([heading, body], sents), context_after=0)
    assert text.startswith("In November") and "explained" not in text


def test_quiz_options_are_parsed_from_the_end():
    q = "Who won the prize? (Ann Lee, Bo Chan or Cy Dee)"
    assert extractive.question_options(q) == ["Ann Lee", "Bo Chan", "Cy Dee"]
    assert extractive.question_body(q) == "Who won the prize? "
    assert extractive.question_options("Who won (again)?") == []


def test_question_words_match_the_text_accents_aside():
    from bot.answering.ranking.words import vocabulary

    text = vocabulary("Beyoncé released “Cowboy Carter” before a show in São Paulo.")
    assert text.has("beyonce") and text.has("beyoncé") and text.has("sao") and text.has("released")
    assert vocabulary("Beyonce sang.").has("beyoncé")  # typed with the accent, printed without
    assert not text.has("pokemon")
