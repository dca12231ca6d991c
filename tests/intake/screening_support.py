"""Helpers for the screening-request tests: a valid set of answers and form tokens."""

from __future__ import annotations

import time
from typing import Any
from unittest import mock

from django.core.management import call_command
from django.test import Client
from django.utils import translation

from intake import journey
from intake.crypto import blind_index
from intake.demo import routine_answers
from intake.drafts import SESSION_DRAFT_KEY
from intake.form_fields import BirthDateWidget
from intake.form_token import form_token_issue
from intake.models import ScreeningDraft

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


def _birth_date_boxes(fields: dict[str, Any]) -> dict[str, Any]:
    """A date of birth posted as a browser sends it: month, day and year in boxes of their own."""
    written = fields.get("date_of_birth")
    boxes = BirthDateWidget().decompress(written) if isinstance(written, str) else []
    if not any(boxes):
        return fields
    fields = {k: v for k, v in fields.items() if k != "date_of_birth"}
    return {
        **fields,
        **{f"date_of_birth_{p}": v for p, v in zip(BirthDateWidget.parts, boxes, strict=True)},
    }


def step_posts(data: dict[str, Any], *, language: str = "en") -> list[tuple[str, dict[str, Any]]]:
    """The (URL, POST data) of each page of the request, in order, with the answers in `data`;
    the URLs in `language` ("es": under /es/)."""
    posts = []
    with translation.override(language):
        for section in journey.steps():
            names = [q.name for q in section.questions]
            if section == journey.steps()[0]:
                names.append("website")
            fields = {k: data[k] for k in names if k in data}
            posts.append((journey.step_url(section), _birth_date_boxes(fields)))
        final = [q.name for q in journey.final_section().questions]
        posts.append((journey.check_url(), {k: data[k] for k in final if k in data}))
    return posts


def post_screening(
    client: Client,
    *,
    remote_addr: str | None = None,
    headers: dict[str, str] | None = None,
    seconds_taken: float = 60,
    language: str = "en",
    **overrides: Any,
):
    """Send a valid request step by step, with some answers replaced (None leaves one out), as a
    patient who started `seconds_taken` ago, in `language` (its URLs: "es" under /es/).

    Returns the last response: the redirect to the confirmation, or the first page that
    answered with anything but a redirect (a step with errors, a refusal).
    """
    extra = {"REMOTE_ADDR": remote_addr} if remote_addr else {}
    data = valid_answers(**overrides)
    response = None
    extra["headers"] = headers or {}
    posts = step_posts(data, language=language)
    for url, fields in posts:
        response = client.post(url, fields, **extra)
        if url == posts[0][0]:
            draft_started(client, seconds_ago=seconds_taken)
        if response.status_code != 302 or url == posts[-1][0]:
            return response
    return response


def run_queued_tasks() -> None:
    """What the task worker does: run every task that is due, then stop.

    The worker closes connections between tasks, as Django does between requests; inside a test's
    transaction (PostgreSQL) that would end the test's connection, so here it keeps it.
    """
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def draft_started(client: Client, *, seconds_ago: float) -> None:
    """Make this browser's draft look as if the patient began it `seconds_ago`."""
    key = client.session.get(SESSION_DRAFT_KEY)
    if key is not None:
        ScreeningDraft.objects.filter(key_hash=blind_index("screening-draft:" + key)).update(
            form_token=form_token(seconds_ago=seconds_ago)
        )


def walk_to_check(client: Client, *, language: str = "en", **overrides: Any) -> dict[str, Any]:
    """Send every step (not the check page) with valid answers, in `language`; returns the
    answers used."""
    data = valid_answers(**overrides)
    posts = step_posts(data, language=language)
    for url, fields in posts[:-1]:
        response = client.post(url, fields)
        assert response.status_code == 302, (url, response.content.decode()[:3000])
        if url == posts[0][0]:
            draft_started(client, seconds_ago=60)
    return data
