"""Staff sessions end after 15 minutes idle, 12 hours at most, and on a password change."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import time_machine
from django.conf import settings
from django.test import Client

from core.staff_sessions import LAST_SEEN_AT, SIGNED_IN_AT

from .support import ADMIN, LOGIN, QUEUE, verified_session


def _age_session(client: Client, *, idle_minutes: float = 0, signed_in_hours: float = 0) -> None:
    session = client.session
    now = time.time()
    session[LAST_SEEN_AT] = int(now - idle_minutes * 60)
    session[SIGNED_IN_AT] = int(now - signed_in_hours * 3600)
    session.save()


def test_a_staff_session_ends_after_15_minutes_without_a_request(reviewer_client):
    _age_session(reviewer_client, idle_minutes=16, signed_in_hours=1)

    response = reviewer_client.get(QUEUE, follow=True)

    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert "signed out after 15 minutes without activity" in response.content.decode()
    assert "_auth_user_id" not in reviewer_client.session


def test_a_staff_session_used_within_15_minutes_continues(reviewer_client):
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        _age_session(reviewer_client, idle_minutes=14, signed_in_hours=1)

        assert reviewer_client.get(QUEUE).status_code == 200
        # The request counted as activity: it is the last one seen, so 14 minutes more are idle
        # time of 14 minutes, not 28.
        assert reviewer_client.session[LAST_SEEN_AT] == int(time.time())
        clock.shift(timedelta(minutes=14))
        assert reviewer_client.get(QUEUE).status_code == 200


def test_a_staff_session_ends_12_hours_after_sign_in_however_active(reviewer_client):
    _age_session(reviewer_client, idle_minutes=1, signed_in_hours=12.1)

    response = reviewer_client.get(ADMIN, follow=True)

    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert "sessions last at most 12 hours" in response.content.decode()


def test_the_staff_session_cookie_and_stored_session_outlive_the_idle_time_by_the_grace(
    reviewer_client,
):
    # The server ends the session after 15 idle minutes; the cookie lasts an hour more, so the
    # request that comes after the end is still known to be this person's (nothing typed is lost).
    response = reviewer_client.get(ADMIN)

    lifetime = 15 * 60 + int(settings.STAFF_SESSION_ENDED_GRACE.total_seconds())
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == lifetime
    assert reviewer_client.session.get_expiry_age() == lifetime


def test_a_patients_session_keeps_the_normal_lifetime(client):
    # The screening confirmation keeps the reference in an anonymous session.
    session = client.session
    session["screening_reference"] = "ABCD-EFGH"
    session.save()

    response = client.get("/screening/received/")

    assert response.status_code == 200
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert client.session["screening_reference"] == "ABCD-EFGH"


def test_a_session_cookie_leaves_public_pages_alone(client):
    # A patient who sent a request carries a session cookie; content pages must not read it.
    session = client.session
    session["screening_reference"] = "ABCD-EFGH"
    session.save()

    response = client.get("/chronic-pain/")

    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


def test_a_password_change_ends_the_users_other_sessions(reviewer):
    user, device = reviewer
    office = verified_session(Client(), user, device)
    laptop = verified_session(Client(), user, device)

    changed = laptop.post(
        "/staff/password_change/",
        {
            "old_password": "a long staff password 42",
            "new_password1": "another long password 77",
            "new_password2": "another long password 77",
        },
    )

    assert changed.status_code == 302
    assert laptop.get(ADMIN).status_code == 200  # the session that changed it carries on
    assert office.get(ADMIN).status_code == 302  # every other session is over


def test_every_admin_response_forbids_caching(reviewer_client, client):
    for response in (
        reviewer_client.get(ADMIN),
        reviewer_client.get(QUEUE),
        reviewer_client.get("/staff/no-such-page/"),
        client.get(LOGIN),
        client.get(ADMIN),
    ):
        assert "no-store" in response["Cache-Control"], response.request["PATH_INFO"]
