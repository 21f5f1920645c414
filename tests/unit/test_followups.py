"""What a follow-up leaves out is filled from its conversation (hand-built conversations, no index)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.answering.models import Turn
from bot.answering.plan import cited_before, standalone, subject_words
from bot.answering.stages import Question

DAY = date(2025, 2, 26)


def ask(text: str, *turns: Turn) -> Question:
    return Question(text, DAY, tuple(turns))


def test_a_follow_up_keeps_its_own_words_first_and_gets_the_subject():
    backstop = Turn(question="what does Starmer mean by backstop?", cited=["a1", "a2"])
    q = ask("and what did Russia say about it?", backstop)
    assert subject_words(q) == "starmer backstop"  # what it names, not what it asks ("mean")
    assert standalone(q) == "and what did Russia say about it? starmer backstop"
    assert cited_before(q) == ("a1", "a2")


def test_words_the_follow_up_already_names_are_not_added_again():
    q = ask("what did Starmer say about it?", Turn(question="what does Starmer mean by backstop?"))
    assert subject_words(q) == "backstop"


def test_a_chain_of_short_questions_reaches_back_to_the_topic():
    grounded = Turn(question="why were the 737 Max 9 planes grounded?", cited=["boeing"])
    inspect = Turn(question="how long does an inspection take?", cited=["faa"])
    q = ask("what did Calhoun say about it?", grounded, inspect)
    assert subject_words(q).split() == ["inspection", "737", "max", "9", "planes", "grounded"]
    assert cited_before(q) == ("faa",)  # the last answer's articles are searched first


def test_a_question_that_stands_alone_is_searched_as_asked():
    q = ask("Which European nation voted to enshrine abortion rights in its constitution?",
            Turn(question="what does Starmer mean by backstop?", cited=["a1"]))
    assert standalone(q) == q.text and subject_words(q) == "" and cited_before(q) == ()
    assert standalone(ask("and what did Russia say?")) == "and what did Russia say?"  # no conversation yet


def test_a_short_question_naming_its_own_subject_stands_alone():
    earlier = (Turn(question="what does Boeing mean by transparency?"), Turn(question="how long does it take?"))
    assert subject_words(ask("why did Starmer resign?", *earlier)) == ""
    assert subject_words(ask("how long did it take?", *earlier)) == "boeing transparency"  # back to the topic


def test_what_an_earlier_follow_up_asked_is_not_the_subject():
    earlier = (Turn(question="why were the 737 Max 9 planes grounded?"), Turn(question="how long did it last?"))
    assert subject_words(ask("who decided it?", *earlier)).split() == ["737", "max", "9", "planes", "grounded"]
    earlier = (Turn(question="what does Starmer mean by backstop?"), Turn(question="when will they vote on it?"))
    assert subject_words(ask("and what did Russia say about it?", *earlier)) == "starmer backstop"
    deepseek = Turn(question="What is DeepSeek?", cited=["ai"])
    earlier = (deepseek, Turn(question="why did the Nvidia shares fall?"), Turn(question="who founded it?"))
    holds = lambda articles, names: True  # noqa: E731  the cited article names Nvidia
    assert subject_words(ask("what did Trump say?", *earlier), holds).split() == ["nvidia", "shares", "deepseek"]
    earlier = (Turn(question="What did Starmer say about Ukraine?"), Turn(question="when did he say it?"))
    assert subject_words(ask("why?", *earlier)) == "starmer ukraine"  # "about Ukraine" is no verb asked


def test_a_short_follow_up_naming_what_the_cited_article_holds_leans_on_the_thread():
    backstop = Turn(question="what does Starmer mean by backstop?", cited=["seed"])

    def holds(article_ids: tuple[str, ...], words: list[str]) -> bool:  # the seed names Macron and Trump
        return article_ids == ("seed",) and set(words) <= {"macron", "trump"}

    q = ask("what did Macron get?", backstop)
    assert subject_words(q) == ""  # what the articles hold unknown: a question naming its subject stands alone
    assert subject_words(q, holds) == "starmer backstop"
    assert standalone(q, None, holds) == "what did Macron get? starmer backstop"
    assert subject_words(ask("what did Zelensky get?", backstop), holds) == ""  # a name the story lacks: a new topic
    assert subject_words(ask("why did Macron call an early parliamentary election?", backstop), holds) == ""  # long
    chain = (backstop, Turn(question="what did Macron get?", cited=["seed"]))
    assert subject_words(ask("who would he meet?", *chain), holds) == "macron starmer backstop"  # back through it
    assert subject_words(ask("who would he meet?", *chain)) == "macron"  # without: the chain stopped at Macron


def test_what_someone_said_with_nothing_spoken_of_asks_about_the_thread():
    bridge = Turn(question="Which city was rocked this week by a major bridge collapse?", cited=["bridge"])
    assert subject_words(ask("what did Biden say?", bridge)) == "city rocked major bridge collapse"
    assert subject_words(ask("what does Moore think?", bridge)) == "city rocked major bridge collapse"
    assert subject_words(ask("what did Biden say about the border?", bridge)) == ""  # names what was spoken of
    from bot.answering.plan import weighed_subject
    from bot.answering.stages import Plan
    from bot.answering.time.timewords import Window

    q = ask("what did Biden say?", bridge)
    cited = Plan(q, q.text, Window(query=q.text), None, None, prefer=("bridge",), subject=subject_words(q))
    assert weighed_subject(cited) == "city rocked major bridge collapse"  # what Biden said about the cited story
    assert weighed_subject(replace(cited, prefer=())) == ""  # nothing cited: who speaks decides, not the subject


def _said(*texts: str):
    from fakes.reader import row

    from bot.answering.models import Passage
    from bot.answering.stages import Candidate

    return [Candidate(Passage.of(row(f"a-{i}", "a", t)), i, 0, 0, len(t), t) for i, t in enumerate(texts)]


def test_what_x_said_leads_with_a_sentence_x_says_it_in_when_near_the_best():
    import numpy as np

    from bot.answering.ranking.learned import speaker_first

    ranked = _said("Starmer said the backstop would deter Russian President Putin.",  # names Russia, Starmer speaks
                   "Trump blindsided Europe by calling Putin.",
                   "Russia again on Wednesday said it could not consider any options.")
    q = "and what did Russia say about it?"
    assert speaker_first(q, ranked, np.array([0.21, 0.13, 0.076])) == [2]  # 0.36 of the best's probability
    assert speaker_first(q, ranked, np.array([0.21, 0.13, 0.05])) == []  # too far below the best: not relevant
    assert speaker_first("what did Starmer say?", ranked, np.array([0.21, 0.13, 0.076])) == [0]
    assert speaker_first("what did the talks achieve?", ranked, np.array([0.21, 0.13, 0.076])) == []


def test_what_x_said_about_it_is_looked_for_first_in_the_articles_the_thread_cited():
    import numpy as np

    from bot.answering.ranking.learned import speaker_first

    ranked = _said(*[f"Filler sentence number {i} about the talks." for i in range(12)],
                   "Russia again on Wednesday said it could not consider any options.")
    ranked[3] = _said("Putin said the threat of war was growing, and Russia has said it would respond.")[0]
    ranked = [c if i < 12 else replace(c, passage=c.passage.model_copy(update={"article_id": "seed"}))
              for i, c in enumerate(ranked)]
    probs = np.array([0.2] + [0.15] * 11 + [0.07])
    q = "and what did Russia say about it?"
    assert speaker_first(q, ranked, probs) == [3]  # no thread: the first speaker among the best ten
    assert speaker_first(q, ranked, probs, cited=("seed",)) == [12]  # the cited article's, though ranked 13th
    # however low: a long thread's subject words, which the speaker's sentence need not hold, weigh it down
    assert speaker_first(q, ranked, np.array([0.2] + [0.15] * 11 + [0.01]), cited=("seed",)) == [12]


def test_a_follow_up_finds_its_own_word_in_the_cited_articles_passage_about_the_subject():
    from fakes.reader import row

    from bot.answering.models import Passage
    from bot.answering.threads import in_cited_thread
    from bot.answering.stages import Candidate, Plan
    from bot.answering.time.timewords import Window

    def sentence(article: str, passage: str, text: str) -> Candidate:
        at = passage.index(text)
        return Candidate(Passage.of(row(f"{article}-1", article, passage)), 0, 0, at, at + len(text), text)

    ruling = "The Alabama Supreme Court ruled that frozen embryos are children. Doctors paused IVF treatments."
    ranked = [sentence("blog", "Biden has 206 delegates. Doctors say turnout rose.", "Doctors say turnout rose."),
              sentence("other", ruling, "Doctors paused IVF treatments."),
              sentence("blog", ruling, "Doctors paused IVF treatments.")]
    q = ask("how did doctors react?", Turn(question="What did the Alabama Supreme Court rule about embryos?"))
    subject = subject_words(q)
    plan = Plan(q, q.text, Window(query=q.text), None, None, prefer=("blog",), subject=subject)
    assert in_cited_thread(plan, ranked) == 2  # cited, about the ruling, and naming doctors
    assert in_cited_thread(replace(plan, prefer=("elsewhere",)), ranked) is None  # the thread cited none of them
    assert in_cited_thread(replace(plan, question=ask("how did it go?", *q.history)), ranked) is None  # no own word


def test_why_or_what_they_said_finds_a_reason_or_someones_words_in_the_cited_articles_passage():
    from fakes.reader import row

    from bot.answering.models import Passage
    from bot.answering.stages import Candidate, Plan
    from bot.answering.threads import in_cited_thread
    from bot.answering.time.timewords import Window

    def sentence(article: str, passage: str, text: str) -> Candidate:
        at = passage.index(text)
        return Candidate(Passage.of(row(f"{article}-1", article, passage)), 0, 0, at, at + len(text), text)

    story = ("Boeing grounded the 737 Max 9. The FAA ordered the grounding after a door plug blew out. "
             "“Safety is our priority,” the FAA said.")
    ranked = [sentence("other", story, "The FAA ordered the grounding after a door plug blew out."),
              sentence("blog", story, "Boeing grounded the 737 Max 9."),
              sentence("blog", story, "The FAA ordered the grounding after a door plug blew out."),
              sentence("blog", story, "“Safety is our priority,” the FAA said.")]
    topic = Turn(question="Which Boeing planes were grounded?", cited=["blog"])

    def at(text: str) -> int | None:
        q = ask(text, topic)
        return in_cited_thread(Plan(q, q.text, Window(query=text), None, None, prefer=("blog",),
                                    subject=subject_words(q)), ranked)

    assert at("why?") == 2  # the cited article's sentence giving a reason, not the same words elsewhere
    assert at("and how come?") == 2
    assert at("what did they say?") == 3  # someone's words
    assert at("how did it go?") is None  # asks for nothing a sentence could be seen to hold
    assert at("what did Airbus say?") is None  # a speaker the sentences do not name: speaker_first's to find


def test_a_follow_ups_later_sentences_keep_to_the_thread():
    from fakes.reader import row

    from bot.answering.models import Passage
    from bot.answering.plan import on_thread
    from bot.answering.stages import Candidate, Plan
    from bot.answering.time.timewords import Window

    def sentence(article: str, text: str) -> Candidate:
        return Candidate(Passage.of(row(f"{article}-1", article, text)), 0, 0, 0, len(text), text)

    q = ask("who would he meet in Washington?", Turn(question="what does Starmer mean by backstop?", cited=["seed"]))
    thread = Plan(q, q.text, Window(query=q.text), None, None, prefer=("seed",), subject=subject_words(q))
    globes = sentence("globes", "Matt Damon entered and immediately ran into his co-star Jason Bateman.")
    assert not on_thread(thread, globes)  # another story, naming nothing of the thread: filler
    assert on_thread(thread, sentence("seed", "Macron agreed with Trump on peacekeepers."))  # the cited article
    assert on_thread(thread, sentence("other", "Starmer flew to Washington on Thursday."))  # names the subject
    assert not on_thread(thread, sentence("other", "Zelensky flew to Washington in December."))  # only its own word
    alone = Plan(q, q.text, Window(query=q.text), None, None)
    assert on_thread(alone, globes)  # a question that stands alone: every sentence may follow


def test_a_follow_ups_lead_about_another_story_gives_way_to_one_about_the_thread():
    import numpy as np
    from fakes.reader import row

    from bot.answering.models import Passage
    from bot.answering.ranking.answer_types import Kind
    from bot.answering.ranking.answerability import Verdict
    from bot.answering.ranking.learned import Judgement
    from bot.answering.stages import Candidate, Plan
    from bot.answering.threads import thread_hedged
    from bot.answering.time.timewords import Window

    def sentence(article: str, text: str) -> Candidate:
        return Candidate(Passage.of(row(f"{article}-1", article, text)), 0, 0, 0, len(text), text)

    walz = sentence("walz", "Walz reacted to comments made by Trump's chief of staff.")
    wakeup = sentence("ai", "Trump said DeepSeek's technology should act as a wakeup call.")
    q = ask("how did Trump react?", Turn(question="What is DeepSeek?", cited=["deepseek"]))
    thread = Plan(q, q.text, Window(query=q.text), None, None, prefer=("deepseek",), subject=subject_words(q))
    judged = Judgement(Kind.EXPLAIN, (walz, wakeup), np.array([0.6, 0.3]), np.array([0.5, 0.5]), None, 0.0,
                       Verdict(0.9, "answered"), {})
    assert subject_words(q) == "deepseek"  # a reaction with nothing reacted to leans on the thread
    assert [c.text for c in thread_hedged(judged, thread).ranked] == [wakeup.text, walz.text]
    assert thread_hedged(replace(judged, probs=np.array([0.6, 0.1])), thread).ranked[0] is walz  # too far below
    assert thread_hedged(judged, replace(thread, subject="", prefer=())).ranked[0] is walz  # no thread
    assert thread_hedged(judged, replace(thread, prefer=())).ranked[0] is walz  # nothing cited: no story to keep to


def test_a_long_threads_cited_passage_is_about_its_subject_with_three_of_its_words():
    from fakes.reader import row

    from bot.answering.models import Passage
    from bot.answering.stages import Candidate, Plan
    from bot.answering.threads import in_cited_thread
    from bot.answering.time.timewords import Window

    text = "Trump said DeepSeek's AI, which sank Nvidia, should act as a wakeup call for American industries."
    said = Candidate(Passage.of(row("ai-1", "ai", text)), 0, 0, 0, len(text), text)
    q = ask("what did Trump say?", Turn(question="What is DeepSeek?", cited=["ai"]))
    long = "founded nvidia shares fall deepseek hangzhou-based apple ai"  # every turn lent a word
    plan = Plan(q, q.text, Window(query=q.text), None, None, prefer=("ai",), subject=long)
    assert in_cited_thread(plan, [said]) == 0  # deepseek, ai, nvidia: three of eight, not half
    assert in_cited_thread(replace(plan, subject="founded nvidia shares fall apple ai"), [said]) is None  # two of six


def test_an_answered_why_leads_with_a_reason_and_a_lead_without_the_rare_word_asked_is_hedged():
    import numpy as np
    from fakes.reader import row

    from bot.answering.models import Passage
    from bot.answering.ranking.answer_types import Kind
    from bot.answering.ranking.answerability import Verdict
    from bot.answering.ranking.learned import Judgement
    from bot.answering.stages import Candidate, Plan
    from bot.answering.threads import thread_hedged
    from bot.answering.time.timewords import Window

    def sentence(text: str) -> Candidate:
        return Candidate(Passage.of(row("bridge-1", "bridge", text)), 0, 0, 0, len(text), text)

    collapse = sentence("A container ship struck the Key Bridge in Baltimore, which collapsed.")
    power = sentence("The ship lost power after its engines failed, officials said.")
    later = sentence("Three years and four months later, the mayor's phone rang in the night.")
    topic = Turn(question="What happened to the Key Bridge in Baltimore?", cited=["bridge"])

    def judged_for(text: str, *ranked: Candidate, probs=(0.6, 0.3, 0.2)) -> Judgement:
        q = ask(text, topic)
        plan = Plan(q, q.text, Window(query=text), None, None, prefer=("bridge",), subject=subject_words(q))
        return thread_hedged(Judgement(Kind.EXPLAIN, ranked, np.array(probs[:len(ranked)]), np.zeros(len(ranked)),
                                       None, 0.0, Verdict(0.9, "answered"), {}), plan)

    why = judged_for("why?", collapse, power, later)
    assert why.ranked[0] is power and why.verdict.outcome == "answered"  # the reason leads, as sure as before
    too_far = judged_for("why?", collapse, power, probs=(0.6, 0.1))
    assert too_far.ranked[0] is collapse and too_far.verdict.outcome == "tentative"  # a lead giving no reason
    rebuild = judged_for("how long will it take to rebuild?", later, collapse)
    assert rebuild.verdict.outcome == "tentative" and rebuild.ranked[0] is later  # "rebuild" nowhere in its passage
    assert judged_for("did the engines fail?", power).verdict.outcome == "answered"  # its passage holds "engines"
    assert judged_for("who is involved?", collapse).verdict.outcome == "answered"  # an everyday word asks, no more


def test_a_follow_up_takes_the_names_the_last_answer_led_with():
    from bot.answering.plan import answer_names

    lead = '"Oppenheimer" won seven awards on Sunday, including Cillian Murphy\'s best actor win. [1] Nolan thanked.'
    actor = Turn(question="Who won the Oscar for best actor?", answer=lead, cited=["oscars"])
    assert answer_names(actor) == ["oppenheimer", "cillian", "murphy"]  # not "Sunday" (a window), not after [1]
    assert subject_words(ask("who directed it?", actor)) == "won oscar best actor oppenheimer cillian murphy"
    assert answer_names(actor.model_copy(update={"cited": []})) == []  # refused: no answer to name anything
    assert answer_names(actor.model_copy(update={"answer": "The articles may not answer this directly; the closest "
                                                           "passages: Oppenheimer led. [1]"})) == []  # a hedge
    assert subject_words(ask("Which airline grounded its 737 Max 9 planes?", actor)) == ""  # stands alone still


def test_tell_me_more_asks_the_threads_last_question_again_without_what_was_shown():
    from bot.answering.plan import MORE, asks_more, more_of

    for text in ("tell me more", "Tell me more about it.", "and tell me more", "more details please", "go on",
                 "anything else?", "what else?", "ok, more"):
        assert MORE.match(text), text
    for text in ("what else did it win?", "tell me more about Boeing", "more than 30 people died?"):
        assert not MORE.match(text), text
    grounded = Turn(question="why were the 737 Max 9 planes grounded?", answer="A door plug blew out. [1]", cited=["b"])
    more = Turn(question="tell me more", answer="The FAA grounded 171 planes. [1]", cited=["b"])
    q = ask("go on", grounded, more)
    again, shown, cited = more_of(q)
    assert asks_more(q) and not asks_more(ask("go on"))  # no thread: nothing to say more about
    assert again.text == grounded.question and again.history == () and again.asked_on == DAY
    assert shown == ("A door plug blew out.", "The FAA grounded 171 planes.") and cited == ("b",)
    hedge = grounded.model_copy(update={"answer": "The articles may not answer this directly; the closest passages: "
                                                  "A door plug blew out. [1]"})
    assert more_of(ask("go on", hedge))[2] == ()  # no more of a story that may not answer it
    refused = Turn(question="why were the 737 Max 9 planes grounded?", answer="The indexed articles do not cover this.")
    assert more_of(ask("tell me more", refused))[1] == ()  # a refusal showed nothing


def test_with_nothing_more_the_refusal_says_so_rather_than_that_nothing_covers_it():
    import numpy as np

    from bot.answering.compose import refusal
    from bot.answering.models import Searched
    from bot.answering.stages import Plan, Pool
    from bot.answering.time.timewords import Window

    q = ask("why were the 737 Max 9 planes grounded?")
    plan = Plan(q, q.text, Window(query=q.text), None, None)
    pool = Pool(plan, np.zeros(3), (), Searched(articles=40))
    assert refusal("tell me more", pool).answer.startswith("The indexed articles do not cover this. I searched 40")
    more = Pool(replace(plan, shown=("A door plug blew out. [1]",)), np.zeros(3), (), Searched(articles=40))
    answer = refusal("tell me more", more)
    assert not answer.answered and answer.answer.startswith(
        "The indexed articles say nothing more on “why were the 737 Max 9 planes grounded?” than this conversation")


def test_a_follow_up_asking_nothing_of_its_own_is_judged_as_its_standalone_query():
    from bot.answering.plan import judged_text
    from bot.answering.stages import Plan
    from bot.answering.time.timewords import Window

    bridge = Turn(question="What happened to the Key Bridge in Baltimore?", cited=["bridge"])
    for text, judged in (("why?", "why? key bridge baltimore"), ("what did they say?", "what did they say? key bridge "
                         "baltimore"), ("who was on the ship?", "who was on the ship?")):  # its own words: as asked
        q = ask(text, bridge)
        p = Plan(q, standalone(q), Window(query=text), None, None, subject=subject_words(q))
        assert judged_text(p) == judged, text
    alone = ask("why?")
    assert judged_text(Plan(alone, "why?", Window(query="why?"), None, None)) == "why?"


def test_a_subject_reaches_back_through_turns_that_name_nothing():
    topic = Turn(question="What happened to the Key Bridge in Baltimore?", cited=["bridge"])
    chatter = [Turn(question=t, cited=["bridge"]) for t in ("tell me more", "why?", "go on", "what did they say?")]
    assert subject_words(ask("who is involved?", topic, *chatter)) == "key bridge baltimore"  # not "go"


def test_what_was_quoted_under_an_answer_counts_as_shown():
    from fakes.reader import row

    from bot.answering.models import Passage
    from bot.answering.plan import more_of, repeats
    from bot.answering.stages import Candidate, Plan
    from bot.answering.time.timewords import Window

    def sentence(text: str) -> Candidate:
        return Candidate(Passage.of(row("seed-1", "seed", text)), 0, 0, 0, len(text), text)

    quoted = "“… my concern is if there is a ceasefire without a backstop, it will simply give him (Putin) the opportunity …”"
    backstop = Turn(question="what does Starmer mean by backstop?", answer="Starmer wants a backstop. [1]",
                    cited=["seed"], quotes=["Starmer wants a backstop.", quoted])
    q = ask("tell me more", backstop)
    plan = Plan(q, q.text, Window(query=q.text), None, None, shown=more_of(q)[1])
    assert repeats(plan, sentence("Starmer wants a backstop."))  # the answer's sentence
    assert repeats(plan, sentence("“… my concern is if there is a ceasefire without a backstop, it will simply give him "
                                  "(Putin) the opportunity to wait and to come again,” he said."))  # its trimmed quote
    assert not repeats(plan, sentence("Macron also did not get a firm nod on the backstop idea."))
    assert not repeats(plan, sentence("He said."))  # a short piece of a quote says nothing on its own
    said = Turn(question="what did she say?", answer="“I’m devastated,” she said. [1]", cited=["seed"])
    plan = Plan(q, q.text, Window(query=q.text), None, None, shown=more_of(ask("go on", said))[1])
    assert repeats(plan, sentence("“I’m devastated,” she said."))  # a short quoted sentence, quote marks and all
