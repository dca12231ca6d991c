"""The eligibility-screening request form, built from the questionnaire definition.

Validation happens here (and only here); the spam checks (honeypot, one-time token, minimum fill
time) live in `clean()`, so a rejected form comes back with every answer the patient typed.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

import phonenumbers
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from . import questionnaire
from .form_fields import OLDEST_BIRTH_YEAR, question_field
from .form_token import FormToken, TokenProblem, form_token_read
from .questionnaire import Kind, Question, scoring
from .questionnaire.model import When

MIN_AGE = 18


class ScreeningRequestForm(forms.Form):
    """Everything a patient tells us when asking to be screened."""

    # Not shown to people: the one-time token and the honeypot (rendered by the template).
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)
    website = forms.CharField(required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire.SCREENING
        self.token: FormToken | None = None
        for question in self.questionnaire.questions():
            self.fields[question.name] = question_field(question)

    # --- Field checks -------------------------------------------------------------------------

    def _clean_fields(self) -> None:
        super()._clean_fields()
        for question in self.questionnaire.questions():
            if question.name not in self.cleaned_data:
                continue
            if question.kind == Kind.BIRTH_DATE:
                self._check_birth_date(question)
            elif question.kind == Kind.PHONE:
                self._check_phone(question)

    def _check_birth_date(self, question: Question) -> None:
        born: datetime.date = self.cleaned_data[question.name]
        today = timezone.localdate()
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if born > today:
            problem = _("This date is in the future. Please check your date of birth.")
        elif born.year < OLDEST_BIRTH_YEAR:
            problem = _("Please check the year of your birth.")
        elif age < MIN_AGE:
            problem = _(
                "You need to be 18 or older to ask for a screening. If you are younger, please "
                "ask a parent or your doctor to call us."
            )
        else:
            return
        self.add_error(question.name, problem)

    def _check_phone(self, question: Question) -> None:
        number = self.cleaned_data[question.name]
        if not number:
            return
        if phonenumbers.region_code_for_number(number) != "US":
            self.add_error(
                question.name, _("Please enter a US phone number, for example (206) 555-0123.")
            )
        else:
            self.cleaned_data[question.name] = number.as_e164

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._check_conditional_answers(cleaned)
        self._check_not_a_bot(cleaned)
        return cleaned

    def _check_conditional_answers(self, cleaned: dict[str, Any]) -> None:
        for question in self.questionnaire.questions():
            if question.asked_when is None or question.name in self.errors:
                continue
            asked = question.asked_when.holds(cleaned)
            if not asked:
                cleaned[question.name] = ""  # an answer to a question not asked does not count
            elif not question.optional and cleaned.get(question.name) in (None, "", []):
                self.add_error(question.name, str(question.required_message))

    def _check_not_a_bot(self, cleaned: dict[str, Any]) -> None:
        if cleaned.get("website"):
            raise forms.ValidationError(
                _("We could not send your request. Please check your answers and send it again."),
                code="trap",
            )
        try:
            self.token = form_token_read(self.data.get("form_token", ""))
        except TokenProblem as problem:
            if problem.code == "expired":
                raise forms.ValidationError(
                    _(
                        "This form was open for a long time, so we need you to send it again. "
                        "Your answers are still here."
                    ),
                    code="token_expired",
                ) from None
            raise forms.ValidationError(
                _(
                    "We could not check that this form came from our website. Your answers are "
                    "still here: please send it again."
                ),
                code="token_invalid",
            ) from None
        waited = time.time() - self.token.served_at
        if waited < settings.SCREENING_MIN_FILL_SECONDS:
            raise forms.ValidationError(
                _(
                    "That was quicker than we expected. Please check your answers and send the "
                    "form again."
                ),
                code="too_fast",
            )

    def full_clean(self) -> None:
        super().full_clean()
        # Django marks single inputs itself; radio and checkbox groups need it on every option.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                    widget.attrs["aria-invalid"] = "true"

    # --- What the templates and the service need ---------------------------------------------

    def _posted(self) -> dict[str, Any]:
        """The answers as posted (valid or not), lists for multiple choices."""
        getlist = getattr(self.data, "getlist", None)
        if getlist is None:
            return dict(self.data)
        return {name: getlist(name) for name in self.data}

    def asq_answered_yes(self) -> bool:
        """Whether any suicide-risk question was answered yes, as posted (valid or not)."""
        return scoring.asq_positive(self.questionnaire, self._posted())

    def asq_acute(self) -> bool:
        """Whether the patient said they are having thoughts of killing themselves right now."""
        return scoring.asq_acute(self.questionnaire, self._posted())

    def crisis_when(self) -> When:
        return scoring.asq_positive_when(self.questionnaire)

    def acute_when(self) -> When:
        return scoring.asq_acute_when(self.questionnaire)

    def sections(self) -> list[dict[str, Any]]:
        """The sections, parts and bound fields in the order the patient sees them."""
        return [
            {
                "section": section,
                "number": number,
                "parts": [
                    {"part": part, "fields": [self[q.name] for q in part.questions]}
                    for part in section.parts
                ],
            }
            for number, section in enumerate(self.questionnaire.sections, start=1)
        ]

    def error_summary(self) -> list[dict[str, str]]:
        """Every error, in page order, with the id of the input it belongs to."""
        items = [{"message": message, "anchor": ""} for message in self.non_field_errors()]
        for question in self.questionnaire.questions():
            if question.name not in self.errors:
                continue
            field = self[question.name]
            anchor = field.auto_id
            if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                anchor = f"{field.auto_id}_0"  # the first option of the group
            items += [{"message": message, "anchor": anchor} for message in field.errors]
        return items

    def answers_as_seen(self) -> list[dict[str, Any]]:
        """Every question and answer as the patient saw them, grouped by section."""
        return [
            {
                "section": str(section.title),
                "answers": [
                    {
                        "question": str(q.text),
                        "answer": answer_shown(q, self.cleaned_data.get(q.name)),
                    }
                    for q in section.questions
                    if q.asked_when is None or self.cleaned_data.get(q.name) not in (None, "", [])
                ],
            }
            for section in self.questionnaire.sections
        ]


def answer_shown(question: Question, value: Any) -> str:
    """An answer in words, as the patient chose or typed it."""
    if question.kind == Kind.AGREE:
        return _("Yes") if value else _("No")
    if value in (None, "", []):
        return _("Not answered")
    if question.choices:
        values = value if isinstance(value, list) else [value]
        return "; ".join(question.choice_label(v) for v in values)
    if isinstance(value, datetime.date):
        return value.strftime("%m/%d/%Y")
    return str(value)
