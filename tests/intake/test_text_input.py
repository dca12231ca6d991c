"""Text a patient types: normalised and trimmed, and refused when it hides something."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from intake.form_fields import question_field
from intake.questionnaire import SCREENING, Kind
from intake.text_input import (
    FILLERS,
    clean_free_text,
    clean_name,
    clean_text,
    dedupe_choices,
    validate_zip_code,
)


@pytest.fixture(autouse=True)
def english():
    # The messages are checked in English, whatever language another test module left active.
    with translation.override("en"):
        yield


def refused(function, value, code: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        function(value)
    assert excinfo.value.code == code
    assert excinfo.value.messages[0].startswith("Please")


@pytest.mark.parametrize("value", ["98101", "98101-1234", "00501"])
def test_a_us_zip_code_in_ascii_digits_is_accepted(value):
    validate_zip_code(value)


@pytest.mark.parametrize(
    "value",
    [
        "\u0669\u0668\u0661\u0660\u0661",  # Arabic-Indic digits
        "\uff19\uff18\uff11\uff10\uff11",  # full-width digits
        "\u06f9\u06f8\u06f1\u06f0\u06f1",  # Extended Arabic-Indic digits
        "98101\n",
        "\n98101",
        " 98101",
        "9810",
        "981011",
        "98101-123",
        "98101 1234",
        "98101-",
        "",
    ],
)
def test_a_zip_code_in_other_digits_or_with_anything_around_it_is_refused(value):
    refused(validate_zip_code, value, "zip_code")


def test_names_are_normalised_to_nfc_and_trimmed():
    decomposed = "Jose\u0301"  # e + combining acute, as some keyboards send it

    cleaned = clean_name(f"  {decomposed}\u00a0")

    assert cleaned == "José"
    assert unicodedata.is_normalized("NFC", cleaned)


@pytest.mark.parametrize("value", ["O'Brien", "Anne-Marie", "李", "Nguyễn Văn", "Zoë", "Ólafur"])
def test_real_names_in_any_script_are_kept(value):
    assert clean_name(value) == unicodedata.normalize("NFC", value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("\u200b\u200b", "empty"),  # zero-width spaces only
        ("\u200d\u200c", "empty"),  # joiners only
        ("\u0301\u0308", "empty"),  # combining marks only
        ("\u200b\u0301", "empty"),
        ("Jane\u202eenaJ", "bidi"),  # right-to-left override
        ("\u2066Jane\u2069", "bidi"),  # isolates
        ("Ja\x00ne", "control"),
        ("Jane\x1b[31m", "control"),
        ("Jane\x7f", "control"),
        ("Ja\u0085ne", "control"),  # C1 control (NEL)
        ("Ja\nne", "control"),
        ("\ufeffJane", "bom"),
        ("Ja\ufeffne", "bom"),
        ("12345", "no_letter"),
        ("-- '", "no_letter"),
    ],
)
def test_names_hiding_or_lacking_something_are_refused_with_a_clear_message(value, code):
    refused(clean_name, value, code)


def test_one_line_text_refuses_control_characters_but_free_text_keeps_line_breaks():
    refused(clean_text, "gabapentin\n300 mg", "control")

    assert clean_free_text("gabapentin 300 mg\r\nibuprofen\tas needed\r") == (
        "gabapentin 300 mg\nibuprofen\tas needed"
    )
    assert clean_free_text("   ") == ""
    refused(lambda v: clean_free_text(v, required=True), "  ", "empty")
    refused(clean_free_text, "ibuprofen\x00", "control")
    refused(clean_free_text, "ibuprofen \u202e", "bidi")


def test_duplicate_choices_are_kept_once_in_the_order_given():
    assert dedupe_choices(["crps", "other"] * 450) == ["crps", "other"]
    assert dedupe_choices(["b", "a", "b"]) == ["b", "a"]
    assert dedupe_choices([]) == []


@given(st.text())
def test_whatever_a_name_field_receives_it_is_either_refused_or_stored_clean(value):
    try:
        cleaned = clean_name(value)
    except ValidationError:
        return
    assert cleaned == cleaned.strip()
    assert unicodedata.is_normalized("NFC", cleaned)
    assert any(unicodedata.category(ch).startswith("L") for ch in cleaned)
    assert not any(unicodedata.category(ch) == "Cc" for ch in cleaned)
    assert "\ufeff" not in cleaned
    assert not any("\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069" for ch in cleaned)


@given(st.text())
def test_whatever_a_zip_field_receives_only_ascii_zip_codes_pass(value):
    try:
        validate_zip_code(value)
    except ValidationError:
        return
    assert value.isascii() and value.replace("-", "").isdigit() and len(value) in {5, 10}


# Every Unicode format character, line and paragraph separator, and the fillers that draw nothing.
HIDDEN = (
    frozenset(
        chr(code)
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in {"Cf", "Zl", "Zp"}
    )
    | FILLERS
)
TYPED_QUESTIONS = [
    question
    for question in SCREENING.questions()
    if question.kind in {Kind.TEXT, Kind.NAME, Kind.LONG_TEXT, Kind.EMAIL}
]


@pytest.mark.parametrize("question", TYPED_QUESTIONS, ids=lambda question: question.name)
def test_every_typed_answer_is_stored_without_any_hidden_character_or_refused_plainly(question):
    field = question_field(question)
    sample = "name@example.com" if question.kind == Kind.EMAIL else "Jane"
    for hidden in sorted(HIDDEN):
        middle = len(sample) // 2 + 1  # in an e-mail address: its domain
        for value in (sample[:middle] + hidden + sample[middle:], hidden + sample, hidden * 3):
            try:
                cleaned = field.clean(value)
            except ValidationError as error:
                assert all(message.startswith(("Please", "Answer")) for message in error.messages)
                continue
            assert not HIDDEN.intersection(cleaned), (question.name, hex(ord(hidden)))


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [
        ("Ja\u200bne", "Jane"),  # zero-width space inside a name
        ("Jane\u200f", "Jane"),  # right-to-left mark
        ("\u061cJane", "Jane"),  # Arabic letter mark
        ("Ja\u00adne", "Jane"),  # soft hyphen
    ],
)
def test_invisible_characters_that_carry_no_letter_are_removed_from_a_name(value, cleaned):
    assert clean_name(value) == cleaned


@pytest.mark.parametrize(
    "value",
    [
        "\u3164",  # Hangul filler: looks blank to staff
        "\u3164\u3164 \u3164",
        "Jane\U000e0041",  # a tag character
        "Ja\u2028ne",  # line separator in a one-line answer
        "Ja\u2029ne",
        "Jane\u2062",  # invisible times
        "Jane\ufff9",  # interlinear annotation
    ],
)
def test_a_name_with_a_hidden_or_blank_character_is_refused_with_a_clear_message(value):
    refused(clean_name, value, "hidden")


def test_unicode_line_separators_in_free_text_become_line_breaks():
    assert clean_free_text("gabapentin\u2028ibuprofen\u2029naproxen") == (
        "gabapentin\nibuprofen\nnaproxen"
    )


def test_an_email_address_with_a_hidden_character_in_its_domain_is_refused():
    field = question_field(next(q for q in TYPED_QUESTIONS if q.kind == Kind.EMAIL))

    with pytest.raises(ValidationError) as error:
        field.clean("jane@exa\u200bmple.com")

    assert "Please remove the hidden or blank characters" in error.value.messages[-1]
