"""Time expressions in sentences written for these tests, with known answers."""

from __future__ import annotations

from datetime import date

import pytest

from rashomon.annotate.nlp import load_spacy
from rashomon.annotate.times import find_times, resolve_time

THURSDAY = date(2021, 5, 20)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("Wednesday", ("2021-05-19", None, "day")),  # most recent Wednesday before a Thursday
        ("on Thursday", ("2021-05-20", None, "day")),  # the publication day itself
        ("Friday", ("2021-05-14", None, "day")),  # never a day after publication
        ("last Thursday", ("2021-05-13", None, "day")),
        ("next Monday", ("2021-05-24", None, "day")),
        ("yesterday", ("2021-05-19", None, "day")),
        ("today", ("2021-05-20", None, "day")),
        ("last week", ("2021-05-10", "2021-05-16", "week")),
        ("last month", ("2021-04-01", "2021-04-30", "month")),
        ("last year", ("2020-01-01", "2020-12-31", "year")),
        ("in March", ("2021-03-01", "2021-03-31", "month")),
        ("mid-June", ("2021-06-11", "2021-06-20", "month")),
        ("this summer", ("2021-06-01", "2021-08-31", "season")),
        ("on 19 May", ("2021-05-19", None, "day")),
        ("May 19, 2021", ("2021-05-19", None, "day")),
        ("Wednesday, May 19, 2021", ("2021-05-19", None, "day")),
        ("July 2018", ("2018-07-01", "2018-07-31", "month")),
        ("2017-2021", ("2017-01-01", "2021-12-31", "year")),
        ("two days", (None, None, None)),
    ],
)
def test_resolve_against_a_thursday(expression, expected):
    assert resolve_time(expression, THURSDAY) == expected


def test_last_year_in_january_is_the_previous_year():
    assert resolve_time("last month", date(2021, 1, 5)) == ("2020-12-01", "2020-12-31", "month")


@pytest.mark.parametrize("expression", ["Wednesday", "yesterday", "last week", "in March", "19 May"])
def test_without_a_publication_date_relative_expressions_are_unresolved(expression):
    assert resolve_time(expression, None) == (None, None, None)


def test_without_a_publication_date_absolute_dates_still_resolve():
    assert resolve_time("May 19, 2021", None) == ("2021-05-19", None, "day")
    assert resolve_time("July 2018", None) == ("2018-07-01", "2018-07-31", "month")


def test_find_times_in_dated_text_with_offsets():
    text = (
        "The envoys met on Wednesday. Yesterday the ministry confirmed it. "
        "May I add that a summit is planned for mid-June, after talks in March?"
    )
    doc = load_spacy()(text)
    found = {t.text: t for t in find_times(text, doc.ents, "2021-05-20")}
    assert found["Wednesday"].value == "2021-05-19"
    assert found["Yesterday"].value == "2021-05-19"
    assert (found["mid-June"].value, found["mid-June"].value_end) == ("2021-06-11", "2021-06-20")
    assert found["March"].grain == "month"
    assert "May" not in found  # the modal verb is not a month
    for expression in found.values():
        assert text[expression.start : expression.end] == expression.text


def test_the_longest_overlapping_expression_wins():
    text = "They met on Wednesday, May 19, 2021, in the capital."
    (only,) = find_times(text, (), "2021-05-20")
    assert only.text == "Wednesday, May 19, 2021"
    assert only.value == "2021-05-19"


def test_an_unresolvable_model_span_gives_way_to_the_dates_inside_it():
    class Ent:  # a spaCy DATE entity as the small model sometimes draws it
        def __init__(self, text, start, end):
            self.start_char, self.end_char, self.label_ = start, end, "DATE"

    text = "The festival runs June 29 to July 18 this year."
    span = Ent(text, text.index("June"), text.index(" this"))
    found = find_times(text, [span], "2021-05-20")
    assert [(t.text, t.value) for t in found][:2] == [("June 29", "2021-06-29"), ("July 18", "2021-07-18")]
