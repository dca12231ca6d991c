"""Helpers for the screening-request tests: a valid set of answers and form tokens."""

from __future__ import annotations

import time
from typing import Any

from django.test import Client

from intake.demo import routine_answers
from intake.form_token import form_token_issue

PATIENT = {
    "first_name": "Marisol",
    "last_name": "Quenneville",
    "email": "Marisol.Quenneville@example.com",
    "phone": "(206) 555-0187",
    "phone_e164": "+12065550187",
    "date_of_birth": "1979-04-23",
    "zip_code": "98103",
    "current_medicines": "gabapentin 300 mg nightly, zanzibar-tea",
    "pain_condition_other": "hollowbrook syndrome",
    "treatment_other": "larkspur acupuncture",
}


def form_token(*, seconds_ago: float = 60, token_id: str | None = None) -> str:
    """A signed form token as the form page issues it, served `seconds_ago`."""
    return form_token_issue(served_at=time.time() - seconds_ago, token_id=token_id)


def valid_answers(**overrides: Any) -> dict[str, Any]:
    """POST data for a complete, valid, routine request (in area, nothing flagged)."""
    data = routine_answers()
    data.update(
        {
            "pain_duration": "over_1_year",
            "pain_conditions": ["crps", "other"],
            "pain_condition_other": PATIENT["pain_condition_other"],
            "pain_feelings": ["burning", "shooting"],
            "peg_pain": "6",
            "peg_enjoyment": "5",
            "peg_activity": "7",
            "treatments_tried": ["medicines", "other"],
            "treatment_other": PATIENT["treatment_other"],
            "treatment_helped": "a_little",
            "surgery_planned": "no",
            "current_medicines": PATIENT["current_medicines"],
            "phq2_down": "1",
            "first_name": PATIENT["first_name"],
            "last_name": PATIENT["last_name"],
            "date_of_birth": PATIENT["date_of_birth"],
            "email": PATIENT["email"],
            "phone": PATIENT["phone"],
            "zip_code": PATIENT["zip_code"],
            "contact_method": "phone",
            "contact_time": "morning",
            "how_heard": "doctor",
            "website": "",
            "form_token": form_token(),
        }
    )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post_screening(client: Client, *, remote_addr: str | None = None, **overrides: Any):
    """POST a valid request to the form, with some answers replaced (None leaves one out)."""
    extra = {"REMOTE_ADDR": remote_addr} if remote_addr else {}
    return client.post("/screening/", valid_answers(**overrides), **extra)
