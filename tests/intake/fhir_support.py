"""Requests made the way the site makes them, for the FHIR export tests."""

from __future__ import annotations

import time
from typing import Any

from intake import questionnaire
from intake.demo import routine_answers
from intake.form_token import form_token_issue
from intake.forms import ScreeningRequestForm
from intake.models import ScreeningRequest
from intake.questionnaire import Kind
from intake.services import screening_request_create


def request_from_form(data: dict[str, Any], *, language: str, number: int) -> ScreeningRequest:
    """Through the real form and the real service, as the site stores a patient's request."""
    form = ScreeningRequestForm(
        {**data, "website": "", "form_token": form_token_issue(served_at=time.time() - 120)}
    )
    assert form.is_valid(), form.errors.as_text()
    return screening_request_create(
        answers=form.cleaned_data,
        answers_as_seen=form.answers_as_seen(),
        submission_token=form.token.token_id,
        client_address=f"192.0.2.{number % 250}",
        language=language,
        notify_staff=False,
    )


def calm_answers() -> dict[str, Any]:
    """POST data for a request that raises nothing, with every contact detail left blank."""
    data = routine_answers()
    data.update(
        {
            "zip_code": "98101",
            "first_name": "Marisol",
            "last_name": "Quenneville",
            "date_of_birth": "1979-04-23",
            "contact_time": "morning",
        }
    )
    return data


def answers_raising_each_flag() -> list[tuple[str, dict[str, Any]]]:
    """For every flag an answer can raise, answers that raise it (and the question's follow-up)."""
    cases = []
    definition = questionnaire.SCREENING
    for question in definition.questions():
        for choice in question.choices:
            for flag in question.raised_flags(choice.code):
                value = [str(choice.code)] if question.kind == Kind.MANY else str(choice.code)
                answers = {question.name: value}
                for follow_up in definition.questions():
                    trigger = follow_up.asked_when
                    if trigger and trigger.holds(answers) and follow_up.choices:
                        answers[follow_up.name] = [str(follow_up.choices[0].code)]
                cases.append((flag.code, answers))
    return cases
