"""Form fields for the questionnaire's questions: one kind of question, one kind of field.

Like a form builder (Wagtail's, for instance), the fields are made from declared questions, so a
question added to the questionnaire is asked without touching the form.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
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

OLDEST_BIRTH_YEAR = 1900


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


def _text_input(question: Question, **attrs: Any) -> forms.TextInput:
    if question.autocomplete:
        attrs["autocomplete"] = question.autocomplete
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def _choices(question: Question) -> list[tuple[Any, str]]:
    return [(choice.code, choice.label) for choice in question.choices]


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
            return forms.DateField(
                input_formats=["%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y"],
                widget=forms.DateInput(
                    attrs={
                        "class": "form-control",
                        "type": "date",
                        "autocomplete": question.autocomplete,
                        "min": f"{OLDEST_BIRTH_YEAR}-01-01",
                        "max": timezone.localdate().isoformat(),
                    },
                    format="%Y-%m-%d",
                ),
                error_messages={
                    "invalid": _(
                        "Please enter your date of birth as month, day and year, for example "
                        "03/27/1980."
                    )
                },
            )
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
