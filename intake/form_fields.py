"""Form fields for the questionnaire's questions: one kind of question, one kind of field.

Like a form builder (Wagtail's, for instance), the fields are made from declared questions, so a
question added to the questionnaire is asked without touching the form.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from .questionnaire import Kind, Question
from .text_input import (
    ZIP_CODE_RE,
    clean_free_text,
    clean_name,
    clean_text,
    dedupe_choices,
    validate_no_hidden_characters,
)


class InlineRadioSelect(forms.RadioSelect):
    """Radio buttons laid out in a row (the 0 to 10 scales)."""


class CheckedTextField(forms.CharField):
    """Text normalised (NFC, trimmed) and refused when it hides characters nobody can see."""

    def __init__(self, *, cleaner, **kwargs: Any) -> None:
        self.cleaner = cleaner
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        return self.cleaner(value) if value else value


class ChoicesOnceField(forms.TypedMultipleChoiceField):
    """Several choices, each kept once however often it was posted."""

    def to_python(self, value: Any) -> list:
        return dedupe_choices(super().to_python(value))


class BirthDateWidget(forms.MultiWidget):
    """Month, day and year in three number boxes, in US order, as GOV.UK and the NHS ask for a
    date of birth: quicker to type than a calendar is to page back through, and each box tells the
    browser which part of a remembered birthday goes in it."""

    parts = ("month", "day", "year")
    labels = {"month": _("Month"), "day": _("Day"), "year": _("Year")}
    # The boxes an error is about (QuestionsForm sets them): only those are marked wrong.
    wrong_parts: tuple[str, ...] = ()

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        boxes = {
            part: forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": f"bday-{part}"})
            for part in self.parts
        }
        super().__init__(boxes, attrs)

    def decompress(self, value: Any) -> list[str]:
        if isinstance(value, datetime.date):
            return [str(value.month), str(value.day), str(value.year)]
        if isinstance(value, list | tuple):
            return [str(v or "") for v in (*value, "", "", "")[:3]]
        if isinstance(value, str) and (born := _written_date(value)):
            return [str(born.month), str(born.day), str(born.year)]
        if isinstance(value, str) and len(parts := re.split(r"[/-]", value.strip())) == 3:
            # Not a date, but written as one: the parts where they go, to be checked as typed.
            return parts[1:] + parts[:1] if len(parts[0]) == 4 else parts
        return ["", "", ""]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        if not any(f"{name}_{part}" in data for part in self.parts) and name in data:
            # The answer kept whole: a draft's [month, day, year], or a date written out.
            whole = data[name] if isinstance(data, dict) else data.get(name)
            return self.decompress(whole)
        return super().value_from_datadict(data, files, name)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        own_id = context["widget"]["attrs"].get("id")
        for part, box in zip(self.parts, context["widget"]["subwidgets"], strict=True):
            box["part"] = part
            box["label"] = self.labels[part]
            box["wrong"] = part in self.wrong_parts
            if own_id:
                # Named by part (id_date_of_birth_month), not by position as Django names them.
                box["attrs"]["id"] = f"{own_id}_{part}"
        return context


def _typed_parts(value: Any) -> tuple[str, str, str]:
    month, day, year = (str(v).strip() for v in BirthDateWidget().decompress(value))
    return month, day, year


def _written_date(text: str) -> datetime.date | None:
    """A date written out whole (2024-03-27 or 03/27/2024), as earlier pages posted it."""
    for pattern in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


class BirthDateField(forms.Field):
    """A date from the three boxes, with a message that says which part is wrong."""

    widget = BirthDateWidget
    default_error_messages = {
        "missing": _("Your date of birth must include %(parts)s."),
        "numbers": _("Please use numbers only in your date of birth, for example 3 27 1980."),
        "year": _("Please enter the year of your birth with 4 numbers, for example 1980."),
        "invalid": _("Your date of birth must be a real date, for example 3 27 1980."),
    }
    missing_words = {"month": _("a month"), "day": _("a day"), "year": _("a year")}

    @staticmethod
    def wrong_parts(value: Any) -> tuple[str, ...]:
        """The boxes a date's error is about, as GOV.UK marks them: the empty ones, else those
        with more than numbers, else a year of other than 4 numbers, else all three (no such
        date, or an age out of range)."""
        given = dict(zip(BirthDateWidget.parts, _typed_parts(value), strict=True))
        empty = tuple(part for part, text in given.items() if not text)
        if empty:
            return empty
        not_numbers = tuple(p for p, text in given.items() if not re.fullmatch(r"[0-9]+", text))
        if not_numbers:
            return not_numbers
        if len(given["year"]) != 4:
            return ("year",)
        return BirthDateWidget.parts

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        month, day, year = _typed_parts(value)
        given = {"month": month, "day": day, "year": year}
        if not any(given.values()):
            return None
        missing = [str(self.missing_words[part]) for part, text in given.items() if not text]
        if missing:
            parts = (
                missing[0]
                if len(missing) == 1
                else _("%(first)s and %(second)s")
                % {
                    "first": missing[0],
                    "second": missing[1],
                }
            )
            raise forms.ValidationError(
                self.error_messages["missing"], code="missing", params={"parts": parts}
            )
        if not all(re.fullmatch(r"[0-9]+", text) for text in given.values()):
            raise forms.ValidationError(self.error_messages["numbers"], code="numbers")
        if len(year) != 4:
            raise forms.ValidationError(self.error_messages["year"], code="year")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


def _text_input(question: Question, **attrs: Any) -> forms.TextInput:
    if question.autocomplete:
        attrs["autocomplete"] = question.autocomplete
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def _choices(question: Question) -> list[tuple[Any, str]]:
    return [(choice.code, choice.label) for choice in question.offered]


def _coerce(question: Question):
    return int if question.choices and isinstance(question.choices[0].code, int) else str


def _field_for(question: Question) -> forms.Field:
    choice_error = {"invalid_choice": _("Please choose one of the answers shown.")}
    match question.kind:
        case Kind.ONE | Kind.SCALE:
            widget = InlineRadioSelect if question.kind == Kind.SCALE else forms.RadioSelect
            return forms.TypedChoiceField(
                choices=_choices(question),
                coerce=_coerce(question),
                widget=widget(attrs={"class": "form-check-input"}),
                error_messages=choice_error,
            )
        case Kind.MANY:
            return ChoicesOnceField(
                choices=_choices(question),
                coerce=_coerce(question),
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                error_messages=choice_error,
            )
        case Kind.SELECT:
            return forms.ChoiceField(
                choices=[("", _("Choose one (optional)")), *_choices(question)],
                widget=forms.Select(attrs={"class": "form-select"}),
                error_messages=choice_error,
            )
        case Kind.TEXT | Kind.NAME:
            return CheckedTextField(
                cleaner=clean_name if question.kind == Kind.NAME else clean_text,
                max_length=question.max_length,
                widget=_text_input(question),
            )
        case Kind.LONG_TEXT:
            return CheckedTextField(
                cleaner=clean_free_text,
                max_length=question.max_length,
                widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
            )
        case Kind.BIRTH_DATE:
            return BirthDateField()
        case Kind.EMAIL:
            return forms.EmailField(
                max_length=question.max_length,
                # The address is checked as typed: a hidden character in its domain passes IDNA.
                validators=[validate_no_hidden_characters],
                widget=forms.EmailInput(
                    attrs={"class": "form-control", "autocomplete": question.autocomplete}
                ),
                error_messages={
                    "invalid": _("Please enter an e-mail address like name@example.com.")
                },
            )
        case Kind.PHONE:
            return PhoneNumberField(
                region="US",
                # A plain input, so a number comes back exactly as the patient typed it.
                widget=forms.TextInput(
                    attrs={
                        "class": "form-control",
                        "type": "tel",
                        "autocomplete": question.autocomplete,
                    }
                ),
                error_messages={
                    "invalid": _("Please enter a US phone number, for example (206) 555-0123.")
                },
            )
        case Kind.ZIP:
            return forms.RegexField(
                regex=ZIP_CODE_RE,
                max_length=question.max_length,
                widget=_text_input(question, inputmode="numeric"),
                error_messages={
                    "invalid": _("Please enter a 5-digit ZIP code, for example 98101.")
                },
            )
        case Kind.AGREE:
            return forms.BooleanField(
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
            )
    raise ValueError(f"No form field for a {question.kind} question ({question.name})")


def question_field(question: Question) -> forms.Field:
    """The form field that asks `question`, with its wording, help and error messages."""
    field = _field_for(question)
    field.label = question.text
    field.help_text = question.help_text
    # A conditional question is checked by the form once its condition is known.
    field.required = not question.optional and question.asked_when is None
    field.error_messages["required"] = question.required_message or _(
        "Answer this question: %(question)s"
    ) % {"question": question.text}
    if question.max_length:
        field.error_messages["max_length"] = _(
            "Please shorten this to %(limit_value)d characters or fewer (it has %(show_value)d)."
        )
    field.question = question
    return field
