"""Signing in to the staff admin: a password and a TOTP code, lockout after repeated failures."""

from __future__ import annotations

import datetime
import re

from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin_site import StaffAuthenticationForm
from core.dates import clinic_datetime_text

from .support import ADMIN, LOGIN, PASSWORD, current_code, sign_in

FAILED = StaffAuthenticationForm.SIGN_IN_FAILED


def _attempt(client: Client, user, *, password: str = PASSWORD, code: str = "000000", **extra):
    return client.post(
        LOGIN,
        {"username": user.get_username(), "password": password, "otp_token": code, "next": ADMIN},
        **extra,
    )


def test_a_signed_in_staff_user_without_a_verified_device_cannot_open_the_admin(client, reviewer):
    user, _device = reviewer
    client.force_login(user)  # password only, as if the second factor were skipped

    response = client.get(ADMIN)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_password_and_the_current_code_from_the_enrolled_device_open_the_admin(client, reviewer):
    response = sign_in(client, *reviewer)

    assert response.status_code == 302
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_the_right_password_with_a_wrong_code_is_refused(client, reviewer):
    user, device = reviewer
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"

    response = _attempt(client, user, code=wrong)

    assert response.status_code == 200
    assert FAILED in response.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_the_right_password_without_a_code_is_refused(client, reviewer):
    user, _device = reviewer

    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_a_code_is_accepted_once_only(reviewer):
    user, device = reviewer
    code = current_code(device)
    first, second = Client(), Client()

    assert _attempt(first, user, code=code).status_code == 302
    refused = _attempt(second, user, code=code)

    assert refused.status_code == 200
    assert second.get(ADMIN).status_code == 302


def test_a_user_with_no_enrolled_device_gets_the_same_message_and_the_page_says_whom_to_ask(
    client, reviewer
):
    user, _device = reviewer
    TOTPDevice.objects.filter(user=user).delete()

    response = _attempt(client, user, code="123456")

    page = response.content.decode()
    assert FAILED in page
    assert "A clinic manager sends you a link" in page


def _errors(response) -> str:
    """What the sign-in page says went wrong: its error note and the fields' errors."""
    page = response.content.decode()
    notes = re.findall(r'<div class="errornote".*?</div>|<ul class="errorlist".*?</ul>', page, re.S)
    return "\n".join(notes)


def test_one_failure_message_whatever_failed_so_the_page_is_no_password_oracle(reviewer):
    user, device = reviewer
    wrong_code = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"

    wrong_password = _errors(_attempt(Client(), user, password="not it", code=wrong_code))
    right_password = _errors(_attempt(Client(), user, code=wrong_code))
    unknown_user = _errors(
        Client().post(LOGIN, {"username": "nobody", "password": "x", "otp_token": wrong_code})
    )
    TOTPDevice.objects.filter(user=user).delete()
    no_device = _errors(_attempt(Client(), user, code=wrong_code))

    assert FAILED in wrong_password
    assert wrong_password == right_password == unknown_user == no_device


def test_without_a_code_the_answer_does_not_depend_on_the_password(reviewer):
    user, _device = reviewer

    right = Client().post(LOGIN, {"username": user.username, "password": PASSWORD})
    wrong = Client().post(LOGIN, {"username": user.username, "password": "not it"})

    assert _errors(right) == _errors(wrong)
    assert FAILED in _errors(right)


def test_a_wrong_code_counts_towards_the_lockout(client, reviewer):
    user, device = reviewer
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"

    _attempt(client, user, code=wrong)

    assert AccessAttempt.objects.get(username=user.username).failures_since_start == 1


# --- Lockout (django-axes) ------------------------------------------------------------------------


def _fail_five_times(user, address: str = "203.0.113.7") -> None:
    for _ in range(5):
        _attempt(Client(), user, password="not the password", REMOTE_ADDR=address)


def test_five_failures_lock_the_username_from_that_address_even_with_the_right_details(reviewer):
    user, device = reviewer
    _fail_five_times(user)

    response = sign_in(Client(), user, device, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in paused" in page
    # Until when, in the clinic's time zone: the pause started with the fifth failure.
    attempt = AccessAttempt.objects.get(username=user.username)
    until = attempt.attempt_time + settings.AXES_COOLOFF_TIME
    assert f'<time datetime="{until.isoformat()}">{clinic_datetime_text(until)}</time>' in page
    assert settings.CLINIC_TIME_ZONE in page
    assert "0:30:00" not in page
    assert "no-store" in response["Cache-Control"]


def test_the_lockout_holds_that_username_and_address_together_only(reviewer):
    user, device = reviewer
    _fail_five_times(user, address="203.0.113.7")

    # Locking the username everywhere would let anyone keep staff out of their work.
    response = sign_in(Client(), user, device, REMOTE_ADDR="198.51.100.20")

    assert response.status_code == 302


def test_axes_reset_lifts_the_lockout(reviewer):
    user, device = reviewer
    _fail_five_times(user)

    call_command("axes_reset", verbosity=0)

    assert sign_in(Client(), user, device, REMOTE_ADDR="203.0.113.7").status_code == 302


def test_the_lockout_ends_after_the_cool_off(reviewer):
    user, device = reviewer
    _fail_five_times(user)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))

    assert sign_in(Client(), user, device, REMOTE_ADDR="203.0.113.7").status_code == 302


def test_four_failures_do_not_lock(reviewer):
    user, device = reviewer
    for _ in range(4):
        _attempt(Client(), user, password="not the password", REMOTE_ADDR="203.0.113.7")

    assert sign_in(Client(), user, device, REMOTE_ADDR="203.0.113.7").status_code == 302


def test_behind_a_trusted_proxy_the_lockout_uses_the_forwarded_client_address(settings, reviewer):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    user, _device = reviewer

    # The left-most entry is whatever the client claimed; our proxy appended the real address.
    _attempt(
        Client(),
        user,
        password="not the password",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.50",
    )

    assert AccessAttempt.objects.get().ip_address == "203.0.113.50"


def test_a_direct_client_cannot_escape_the_lockout_with_forged_forwarded_addresses(
    settings, reviewer
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    user, device = reviewer
    for n in range(5):
        _attempt(
            Client(),
            user,
            password="not the password",
            REMOTE_ADDR="198.51.100.20",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )

    response = sign_in(
        Client(), user, device, REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR="192.0.2.77"
    )

    assert response.status_code == 429
