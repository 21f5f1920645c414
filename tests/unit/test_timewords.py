"""Time words in questions become date windows relative to the day asked; names and verbs do not."""

from __future__ import annotations

from datetime import date

import pytest

from bot.answering.time.timewords import read_window

THURSDAY = date(2025, 6, 5)  # the day asked in every case below


def window(question: str, asked_on: date = THURSDAY) -> tuple[str | None, str | None]:
    w = read_window(question, asked_on)
    return (w.since.isoformat() if w.since else None, w.until.isoformat() if w.until else None)


@pytest.mark.parametrize("question, since, until", [
    # today / yesterday: the day, and the news of it published up to the day asked
    ("What happened in Gaza today?", "2025-06-05", "2025-06-05"),
    ("What did the Fed say yesterday?", "2025-06-04", "2025-06-05"),
    ("Who resigned last night?", "2025-06-04", "2025-06-05"),
    # this week: the last seven days; last week: the calendar week before this one
    ("What did the central bank do this week?", "2025-05-30", "2025-06-05"),
    ("What did the central bank do earlier this week?", "2025-05-30", "2025-06-05"),
    ("Who won the vote last week?", "2025-05-26", "2025-06-01"),
    ("What happened in the past week?", "2025-05-29", "2025-06-05"),
    ("What happened over the weekend?", "2025-05-31", "2025-06-03"),
    # this month (so far) / last month (the whole calendar month)
    ("How many jobs were added this month?", "2025-06-01", "2025-06-05"),
    ("What was inflation last month?", "2025-05-01", "2025-05-31"),
    # on <weekday>: the last such day and the two days of reporting after it
    ("Who won the election on Sunday?", "2025-06-01", "2025-06-03"),
    ("What share did AfD get in Sunday's election?", "2025-06-01", "2025-06-03"),
    ("Biden gave his farewell address Wednesday. Where?", "2025-06-04", "2025-06-05"),
    ("What did Starmer say last Thursday?", "2025-05-29", "2025-05-31"),
    ("What happened on Thursday?", "2025-06-05", "2025-06-05"),
    # in <month> [year]: the last such month up to the day asked, or the month of the year given
    ("Who won the election in March?", "2025-03-01", "2025-03-31"),
    ("Which hurricane hit the Caribbean in October?", "2024-10-01", "2024-10-31"),
    ("What happened in March 2024?", "2024-03-01", "2024-03-31"),
    ("Who became pope in May of this year?", "2025-05-01", "2025-05-31"),
    ("What happened in mid-March?", "2025-03-01", "2025-03-31"),
    ("What did the June figures show in June?", "2025-06-01", "2025-06-05"),
    # in <year>
    ("What happened in Syria in 2024?", "2024-01-01", "2024-12-31"),
    ("How many measles cases so far this year?", "2025-01-01", "2025-06-05"),
    ("Who won the Ballon d'Or last year?", "2024-01-01", "2024-12-31"),
    # absolute days (dateparser reads them)
    ("What happened on 12 May 2025?", "2025-05-12", "2025-05-14"),
    ("What happened on May 12?", "2025-05-12", "2025-05-14"),
    ("What was announced on 2025-05-20?", "2025-05-20", "2025-05-22"),
    ("On July 4, 1776, the Continental Congress met in which city?", "1776-07-04", "1776-07-06"),
    # since / before / after / until
    ("What's happened to the strike since Monday?", "2025-06-02", "2025-06-05"),
    ("What has changed since March?", "2025-03-01", "2025-06-05"),
    ("Who ran the company before 2020?", None, "2019-12-31"),
    ("What happened after May 3?", "2025-05-04", "2025-06-05"),
    ("What was agreed until April?", None, "2025-04-30"),
    # between … and …, from … to …
    ("What happened between 3 March and 5 April?", "2025-03-03", "2025-04-05"),
    ("What happened from November to February?", "2024-11-01", "2025-02-28"),
    # holidays, with a preposition (their names are searched otherwise)
    ("What happened over Thanksgiving?", "2024-11-28", "2024-11-30"),
    ("What has changed since Christmas?", "2024-12-25", "2025-06-05"),
    ("What happened at Easter?", "2025-04-20", "2025-04-22"),
    ("Who won on New Year's Eve?", "2024-12-31", "2025-01-02"),
    # N ago, the past N
    ("What happened two weeks ago?", "2025-05-19", "2025-05-25"),
    ("What did the PM say in the past 3 days?", "2025-06-02", "2025-06-05"),
    # recently, lately, days ago
    ("Which pop star was recently diagnosed with scurvy?", "2025-05-06", "2025-06-05"),
    ("A lunar lander touched down on the moon days ago. What was its name?", "2025-05-29", "2025-06-05"),
    ("What magnitude was the recent earthquake?", "2025-05-06", "2025-06-05"),
])
def test_time_words_become_a_window(question, since, until):
    assert window(question) == (since, until)


@pytest.mark.parametrize("question", [
    "What did Theresa May say about Brexit?",  # May the name
    "May Day protests: who organised them?",  # May at the start, no preposition: not a month
    "Will the unions march on Washington?",  # march the verb
    "Thousands march in Paris: why?",
    "What did the Sunday Times report about the minister?",  # the newspaper
    "Sunday Times journalists were arrested where?",
    "Who planned the September 11 attacks?",  # a named event, not a window
    "What did USA Today report about the storm?",  # the newspaper, not today
    "How big were Black Friday sales?",  # a named day
    "Who won the 2024 election?",  # the year is part of the topic: searched as a word
    "Which film may win the prize?",
    "Who was the Super Tuesday winner?",
    "Lincoln's Gettysburg Address begins, “Four score and seven years ago”: what follows?",  # a quotation's
    "Which US holiday falls on the third Monday of February?",  # a rule, not a day
    "Who led the Thanksgiving parade?",  # a holiday's name in a name
    "When did the strike end? (in March, in April, in May, in June)",  # a quiz's options
])
def test_names_and_verbs_are_not_dates(question):
    w = read_window(question, THURSDAY)
    assert (w.since, w.until, w.latest) == (None, None, False), w


def test_the_latest_and_whats_new_ask_for_the_freshest_first():
    w = read_window("What's the latest on the rail strike?", THURSDAY)
    assert w.latest and (w.since, w.until) == (date(2025, 5, 6), THURSDAY) and w.query == "the rail strike?"
    w = read_window("What is the latest estimate of the deficit?", THURSDAY)
    assert w.latest and w.query == "estimate of the deficit?"
    w = read_window("What's new on the strike since Monday?", THURSDAY)
    assert w.latest and (w.since, w.until) == (date(2025, 6, 2), THURSDAY) and w.query == "the strike?"
    assert read_window("Any news about the ceasefire?", THURSDAY).latest


def test_the_question_is_searched_without_its_time_words():
    w = read_window("What did the central bank do this week?", THURSDAY)
    assert w.query == "What did the central bank do?" and w.phrase == "this week"
    w = read_window("Who won the election in March?", THURSDAY)
    assert w.query == "Who won the election?" and w.phrase == "in March"
    # nothing but time words left: the question is searched as asked
    assert read_window("What happened yesterday?", THURSDAY).query == "What happened yesterday?"


def test_a_question_without_time_words_has_no_window():
    w = read_window("What does Starmer mean by backstop?", THURSDAY)
    assert not w.dated and not w.latest and w.query == "What does Starmer mean by backstop?"


def test_expressions_narrow_each_other_and_never_reach_past_the_day_asked():
    assert window("What happened in March last year?") == ("2024-03-01", "2024-03-31")
    assert window("What was said on Sunday in June?") == ("2025-06-01", "2025-06-03")
    assert window("What happened in June?", date(2025, 6, 10)) == ("2025-06-01", "2025-06-10")


def test_a_day_without_a_year_is_the_last_one_up_to_the_day_asked():
    assert window("What happened on December 24?") == ("2024-12-24", "2024-12-26")
    assert window("What happened in December?", date(2026, 1, 3)) == ("2025-12-01", "2025-12-31")


def test_days_still_to_come_search_the_latest_news_instead():
    friday = date(2025, 5, 16)
    w = read_window("Poland will elect a new president on Sunday. Who leads the polls?", friday)
    assert w.upcoming and (w.since, w.until) == (date(2025, 4, 16), friday) and w.phrase == "on Sunday"
    assert read_window("Which band's story will be released in April 2028?", friday).upcoming
    # looking ahead, a month without a year is the next one: the coming February, not last year's
    w = read_window("Which two NFL teams are set to face off at the Super Bowl in February?", date(2025, 1, 31))
    assert w.upcoming and w.until == date(2025, 1, 31)


def test_since_an_event_that_began_in_a_year_reads_as_since_that_year():
    w = read_window("How much aid has Ukraine been given since its war with Russia began in 2022?", THURSDAY)
    assert (w.since, w.until) == (date(2022, 1, 1), THURSDAY)
    assert window("What tariff applies from 3 April?") == ("2025-04-03", "2025-06-05")


def test_a_range_ends_at_the_first_such_day_after_it_starts():
    asked = date(2025, 8, 28)
    q = "How many hot dogs are eaten in the US between Memorial Day weekend and Labor Day?"
    assert window(q, asked) == ("2025-05-24", "2025-08-28")  # Labor Day is still to come: up to the day asked
    assert window("What happened from March to May?", date(2025, 4, 10)) == ("2025-03-01", "2025-04-10")
    assert window("What happened between Monday and Wednesday?") == ("2025-06-02", "2025-06-04")


def test_a_holiday_a_few_days_off_is_the_coming_one():
    q = "Which turkeys did the president pardon before Thanksgiving this week?"
    assert window(q, date(2025, 11, 25)) == ("2025-11-19", "2025-11-25")
