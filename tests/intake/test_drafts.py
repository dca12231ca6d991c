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


def test_expired_sessions_are_purged_with_the_drafts(client):
    from django.contrib.sessions.models import Session

    walk_to_check(client)
    live = client.session.session_key
    Client().post("/screening/", {"zip_code": "98103"})  # another browser's draft and session
    Session.objects.exclude(session_key=live).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )

    call_command("purge_screening_requests", verbosity=0)

    assert list(Session.objects.values_list("session_key", flat=True)) == [live]


# --- New drafts per client address ------------------------------------------------------------


def _start(address: str):
    return Client(REMOTE_ADDR=address).post("/screening/", {"zip_code": "98103"})


def test_new_drafts_per_address_are_capped_with_the_calm_429_and_the_answer_kept(settings):
    settings.SCREENING_DRAFT_RATE_LIMIT = "4/hour"
    from django.contrib.sessions.models import Session

    started = [_start("203.0.113.50").status_code for _ in range(4)]
    refused = _start("203.0.113.50")

    assert started == [302] * 4
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    body = refused.content.decode()
    assert "cannot take another request from this connection" in body
    assert 'value="98103"' in body
    assert "no-store" in refused["Cache-Control"]
    assert ScreeningDraft.objects.count() == 4
    assert Session.objects.count() == 4  # the refused one started no session either
    assert _start("203.0.113.51").status_code == 302  # another address has its own count


def test_the_default_cap_on_new_drafts_is_thirty_an_hour():
    from django.conf import settings

    assert settings.SCREENING_DRAFT_RATE_LIMIT == "30/hour"
    statuses = [_start("203.0.113.52").status_code for _ in range(31)]

    assert statuses == [302] * 30 + [429]


def test_steps_after_the_first_and_a_resumed_draft_are_not_counted_as_new(client, settings):
    settings.SCREENING_DRAFT_RATE_LIMIT = "1/hour"

    walk_to_check(client)  # every step, one draft
    # An answer changed: the same draft.
    assert client.post("/screening/", {"zip_code": "98104"}).status_code == 302

    assert ScreeningDraft.objects.count() == 1


def test_the_cap_on_new_drafts_can_be_turned_off(settings):
    settings.SCREENING_DRAFT_RATE_LIMIT = "off"

    assert {_start("203.0.113.53").status_code for _ in range(40)} == {302}
