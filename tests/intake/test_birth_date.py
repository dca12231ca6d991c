"""The date of birth, typed in three boxes (month, day, year): every way it can be wrong says
which, and every age from 18 to 120 is accepted."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone, translation

from intake.forms import MAX_AGE, MIN_AGE, QuestionsForm, answer_shown
from intake.questionnaire import SCREENING

QUESTION = SCREENING.question("date_of_birth")
PARTS = ("month", "day", "year")


def errors_for(month: str, day: str, year: str) -> list[str]:
    data = {"date_of_birth_month": month, "date_of_birth_day": day, "date_of_birth_year": year}
    form = QuestionsForm(data, questions=[QUESTION])
    form.is_valid()
    return form.errors.get("date_of_birth", [])


def years_ago(years: int, *, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    day = 28 if (today.month, today.day) == (2, 29) else today.day
    return today.replace(year=today.year - years, day=day) + datetime.timedelta(days=days)


@pytest.mark.parametrize("given", list(itertools.product([True, False], repeat=3)))
def test_each_box_left_empty_is_named(given):
    typed = dict(zip(PARTS, ("4", "12", "1974"), strict=True))
    values = [typed[part] if kept else "" for part, kept in zip(PARTS, given, strict=True)]
    errors = errors_for(*values)
    if all(given):
        assert errors == []
    elif not any(given):
        assert errors == ["Please enter your date of birth."]
    else:
        (message,) = errors
        assert message.startswith("Your date of birth must include")
        missing = [part for part, kept in zip(PARTS, given, strict=True) if not kept]
        assert all(f"a {part}" in message for part in missing)


@pytest.mark.parametrize(
    ("month", "day", "year", "message"),
    [
        ("April", "12", "1974", "numbers only"),
        ("4", "12", "74", "with 4 numbers"),
        ("13", "12", "1974", "must be a real date"),
        ("2", "30", "1974", "must be a real date"),
        ("0", "12", "1974", "must be a real date"),
    ],
)
def test_a_date_that_is_not_one_says_what_to_fix(month, day, year, message):
    (error,) = errors_for(month, day, year)
    assert message in error


@pytest.mark.parametrize("age", range(MIN_AGE - 1, MAX_AGE + 3))
def test_every_age_from_18_to_120_is_accepted_and_no_other(age):
    born = years_ago(age)
    errors = errors_for(str(born.month), str(born.day), str(born.year))
    if MIN_AGE <= age <= MAX_AGE:
        assert errors == []
    elif age < MIN_AGE:
        assert "18 or older" in errors[0]
    else:
        assert errors == ["Please check the year of your birth: it would make you older than 120."]


def test_the_day_before_121_is_still_120_and_a_future_date_is_refused():
    born = years_ago(MAX_AGE + 1, days=1)
    assert errors_for(str(born.month), str(born.day), str(born.year)) == []
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    (error,) = errors_for(str(tomorrow.month), str(tomorrow.day), str(tomorrow.year))
    assert "in the future" in error


@pytest.mark.parametrize(
    ("language", "shown"), [("en", "April 12, 1974"), ("es", "12 de abril de 1974")]
)
def test_the_check_page_shows_a_date_people_read_in_their_language(language, shown):
    with translation.override(language):
        assert answer_shown(QUESTION, ["4", "12", "1974"]) == shown
        assert answer_shown(QUESTION, datetime.date(1974, 4, 12)) == shown
        # Not yet a date (left with Back): the boxes as typed, never an error.
        assert answer_shown(QUESTION, ["4", "", "1974"]) == "4 / 1974"


# What is typed -> the boxes marked wrong (the summary links to the first of them).
MARKED = [
    (("", "", ""), PARTS),
    (("4", "", "1974"), ("day",)),
    (("", "12", ""), ("month", "year")),
    (("4", "x1", "1974"), ("day",)),
    (("April", "12", "19a4"), ("month", "year")),
    (("4", "12", "74"), ("year",)),
    (("2", "30", "1974"), PARTS),  # no such date
    (("1", "1", "1900"), PARTS),  # older than 120
    (("1", "1", str(timezone.localdate().year - 5)), PARTS),  # younger than 18
]


@pytest.mark.parametrize(("typed", "marked"), MARKED)
def test_only_the_boxes_an_error_is_about_are_marked_and_the_summary_links_the_first(typed, marked):
    data = dict(zip((f"date_of_birth_{part}" for part in PARTS), typed, strict=True))
    form = QuestionsForm(data, questions=[QUESTION])
    assert not form.is_valid()
    html = str(form["date_of_birth"].subwidgets[0].data["subwidgets"])
    boxes = form["date_of_birth"].field.widget.get_context(
        "date_of_birth", form["date_of_birth"].value(), {"id": "id_date_of_birth"}
    )["widget"]["subwidgets"]

    assert tuple(box["part"] for box in boxes if box["wrong"]) == marked, html
    [item] = form.error_summary()
    assert item["anchor"] == f"id_date_of_birth_{marked[0]}"


def test_a_date_with_no_error_marks_no_box():
    data = {"date_of_birth_month": "4", "date_of_birth_day": "12", "date_of_birth_year": "1974"}
    form = QuestionsForm(data, questions=[QUESTION])
    assert form.is_valid()
    boxes = form["date_of_birth"].field.widget.get_context(
        "date_of_birth", form["date_of_birth"].value(), {"id": "id_date_of_birth"}
    )["widget"]["subwidgets"]
    assert not any(box["wrong"] for box in boxes)
