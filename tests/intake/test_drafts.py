"""Drafts: a patient's answers between steps, on the server, encrypted, tied to one browser, gone
after a day, and turned into a request exactly once."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from intake.drafts import SESSION_DRAFT_KEY
from intake.models import ScreeningDraft, ScreeningRequest

from .screening_support import PATIENT, post_screening, step_posts, walk_to_check

pytestmark = pytest.mark.django_db


def _raw_draft_row() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM intake_screeningdraft")
        return repr(cursor.fetchall())


def test_answers_between_steps_are_encrypted_and_found_by_a_hash_of_the_session_key(client):
    walk_to_check(client)

    raw = _raw_draft_row()
    for secret in (PATIENT["last_name"], PATIENT["email"], PATIENT["current_medicines"], "98103"):
        assert secret not in raw
    key = client.session[SESSION_DRAFT_KEY]
    assert key not in raw
    assert ScreeningDraft.objects.get().answers["last_name"] == PATIENT["last_name"]


def test_no_answer_is_ever_in_a_cookie_or_a_url(client):
    data = walk_to_check(client)

    cookies = " ".join(morsel.value for morsel in client.cookies.values())
    assert PATIENT["last_name"] not in cookies
    for url, _ in step_posts(data):
        assert "?" not in url


def test_another_browser_never_sees_a_draft(client):
    walk_to_check(client)
    other = Client()

    assert other.get("/screening/check/")["Location"] == "/screening/"
    page = other.get("/screening/about-you/")
    assert page.status_code == 302
    assert PATIENT["last_name"] not in other.get("/screening/").content.decode()


def test_a_draft_left_longer_than_its_lifetime_is_not_resumed_and_is_purged(client, settings):
    settings.SCREENING_DRAFT_HOURS = 24
    walk_to_check(client)
    ScreeningDraft.objects.update(updated_at=timezone.now() - datetime.timedelta(hours=25))

    assert client.get("/screening/check/")["Location"] == "/screening/"
    call_command("purge_screening_requests", verbosity=0)
    assert not ScreeningDraft.objects.exists()


def test_a_draft_within_its_lifetime_resumes_and_survives_the_purge(client):
    walk_to_check(client)
    ScreeningDraft.objects.update(updated_at=timezone.now() - datetime.timedelta(hours=23))
    call_command("purge_screening_requests", verbosity=0)

    assert client.get("/screening/check/").status_code == 200
    assert ScreeningDraft.objects.count() == 1


def test_the_draft_session_ends_when_the_browser_closes(client):
    walk_to_check(client)

    # The raw cookie is checked in test_shared_computer; the draft still expires on its own.
    assert client.session.get_expire_at_browser_close()


def test_sending_turns_the_draft_into_one_request_and_forgets_it(client):
    assert post_screening(client).status_code == 302

    assert ScreeningRequest.objects.count() == 1
    assert not ScreeningDraft.objects.exists()
    assert SESSION_DRAFT_KEY not in client.session
