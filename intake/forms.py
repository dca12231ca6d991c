"""The eligibility-screening request form, built from the questionnaire definition.

Validation happens here (and only here); the spam checks (honeypot, one-time token, minimum fill
time) live in `clean()`, so a rejected form comes back with every answer the patient typed.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable
from typing import Any

import phonenumbers
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import questionnaire
from .form_fields import BirthDateField, BirthDateWidget, question_field
from .form_token import FormToken, TokenProblem, form_token_read
from .questionnaire import Kind, Question, scoring
from .questionnaire.model import When

MIN_AGE = 18
# Nobody alive is older: an older age is a mistyped year.
MAX_AGE = 120


class QuestionsForm(forms.Form):
    """Fields for some of the questionnaire's questions: one step, or the whole questionnaire.

    `known` holds answers already given on other steps, for questions that depend on them.
    """

    def __init__(
        self,
        *args: Any,
        questions: Iterable[Question] | None = None,
        known: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire.SCREENING
        self.questions = list(self.questionnaire.questions() if questions is None else questions)
        self.known = known or {}
        for question in self.questions:
            self.fields[question.name] = question_field(question)

    # --- Field checks -------------------------------------------------------------------------

    def _clean_fields(self) -> None:
        super()._clean_fields()
        for question in self.questions:
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
        elif age > MAX_AGE:
            problem = _(
                "Please check the year of your birth: it would make you older than %(age)d."
            ) % {"age": MAX_AGE}
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
        for question in self.questions:
            if question.default is not None and cleaned.get(question.name) in (None, ""):
                cleaned[question.name] = question.default
        self._check_conditional_answers(cleaned)
        self._check_exclusive_choices(cleaned)
        return cleaned

    def _check_conditional_answers(self, cleaned: dict[str, Any]) -> None:
        answers = {**self.known, **cleaned}
        for question in self.questions:
            if question.name in self.errors or cleaned.get(question.name) not in (None, "", []):
                continue
            asked = question.asked_when is None or question.asked_when.holds(answers)
            needed = not question.optional or (
                question.required_when is not None and question.required_when.holds(answers)
            )
            if asked and needed and (question.asked_when or question.required_when):
                self.add_error(question.name, str(question.required_message))

    def _check_exclusive_choices(self, cleaned: dict[str, Any]) -> None:
        for question in self.questions:
            chosen = cleaned.get(question.name)
            if not isinstance(chosen, list) or len(chosen) < 2:
                continue
            for choice in question.choices:
                if choice.exclusive and choice.code in chosen:
                    self.add_error(
                        question.name,
                        _("You chose “%(choice)s” and another answer: please choose one only.")
                        % {"choice": choice.label},
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
                if isinstance(widget, BirthDateWidget):
                    widget.wrong_parts = BirthDateField.wrong_parts(self[name].value())

    # --- What the templates and the service need ---------------------------------------------

    def posted(self) -> dict[str, Any]:
        """The answers known so far with those just posted (valid or not) over them."""
        getlist = getattr(self.data, "getlist", None)
        if getlist is None:
            return {**self.known, **self.data}
        return {**self.known, **{name: getlist(name) for name in self.data}}

    def crisis(self) -> str:
        """ "acute", "positive" or "": the crisis message the answers so far call for (posted
        answers count, valid or not)."""
        answers = self.posted()
        if scoring.asq_acute(self.questionnaire, answers):
            return "acute"
        return "positive" if scoring.asq_positive(self.questionnaire, answers) else ""

    def crisis_declined(self) -> bool:
        """A suicide-risk question declined: the crisis message says so in its own words."""
        return scoring.asq_declined(self.questionnaire, self.posted())

    def crisis_when(self) -> When:
        return scoring.asq_positive_when(self.questionnaire)

    def declined_when(self) -> When:
        return scoring.asq_declined_when(self.questionnaire)

    def acute_when(self) -> When:
        return scoring.asq_acute_when(self.questionnaire)

    def parts(self) -> list[dict[str, Any]]:
        """The parts of the page, each with its bound fields, in the order the patient sees them."""
        names = {q.name for q in self.questions}
        return [
            {
                "part": part,
                "fields": [self[q.name] for q in part.questions if q.name in names],
                # The shared lead-in, which every question of the part is described by.
                "stem_id": f"stem-{part.questions[0].name}" if part.stem else "",
            }
            for section in self.questionnaire.sections
            for part in section.parts
            if any(q.name in names for q in part.questions)
        ]

    def error_summary(self) -> list[dict[str, str]]:
        """Every error, in page order, with the id of the input it belongs to."""
        items = [{"message": message, "anchor": ""} for message in self.non_field_errors()]
        for question in self.questions:
            if question.name not in self.errors:
                continue
            field = self[question.name]
            anchor = field.auto_id
            if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                anchor = f"{field.auto_id}_0"  # the first option of the group
            elif isinstance(field.field.widget, BirthDateWidget):
                # The first box the error is about.
                anchor = f"{field.auto_id}_{field.field.widget.wrong_parts[0]}"
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


class ScreeningRequestForm(QuestionsForm):
    """The whole request, every question, as it is finally sent, with the checks against bots."""

    # Not shown to people: the one-time token and the honeypot.
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)
    website = forms.CharField(required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.token: FormToken | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._check_not_a_bot(cleaned)
        return cleaned

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


def answer_shown(question: Question, value: Any) -> str:
    """An answer in words, as the patient chose or typed it."""
    if question.kind == Kind.AGREE:
        return _("Yes") if value else _("No")
    if value in (None, "", []) and question.default is not None:
        value = question.default
    if question.kind == Kind.BIRTH_DATE:
        return _birth_date_shown(value)
    if value in (None, "", []):
        return _("Not answered")
    if question.choices:
        values = value if isinstance(value, list) else [value]
        return "; ".join(question.choice_label(v) for v in values)
    return str(value)


def _birth_date_shown(value: Any) -> str:
    """A date of birth in the reader's language ("April 12, 1974", "12 de abril de 1974")."""
    try:
        born = BirthDateField().to_python(value)
    except forms.ValidationError:
        # Not a date yet (a step left with Back): the boxes as typed.
        return " / ".join(part for part in BirthDateWidget().decompress(value) if part)
    return date_format(born, "DATE_FORMAT") if born else _("Not answered")
