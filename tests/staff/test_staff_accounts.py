"""Staff accounts in the admin, for clinic managers: invite (a one-time link that shows the QR code
once), a new authenticator (the old one stops at once), deactivate, lift one person's sign-in
pause, a new e-mail address. Every action audited and e-mailed (by the task worker) to the person
it concerns; a one-time link only to an address the account has."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEvent
from intake.models import StaffEnrolment
from intake.staff.accounts import ROLE_GROUPS
from tests.intake.screening_support import run_queued_tasks

from .support import ADMIN, LOGIN, PASSWORD, QUEUE, current_code, sign_in, staff_member

pytestmark = pytest.mark.django_db

ACCOUNTS = "/staff/auth/user/"
INVITE = "/staff/auth/user/invite/"
NEW_PASSWORD = "a brand new nurse password 7"


@pytest.fixture(autouse=True)
def _outbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _action(user, action: str) -> str:
    return reverse("admin:staff_action", args=[user.pk, action])


def _link(message) -> str:
    match = re.search(r"https?://\S+/staff/auth/user/enrol/\S+/", message.body)
    assert match, message.body
    return urlsplit(match.group(0)).path


def _mail_to(address: str) -> list:
    run_queued_tasks()
    return [m for m in mail.outbox if address in m.to]


def _account_events() -> list[str]:
    return list(
        AuditEvent.objects.filter(action=AuditEvent.Action.ACCOUNT)
        .order_by("pk")
        .values_list("detail", flat=True)
    )


def _invite(manager_client, **fields):
    data = {
        "full_name": "Jo Rivera",
        "username": "jrivera",
        "email": "jo.rivera@example.org",
        "role": "reviewer",
        **fields,
    }
    return manager_client.post(INVITE, data)


def test_a_manager_invites_a_nurse_who_sets_a_password_sees_the_qr_once_and_signs_in(
    manager_client,
):
    response = _invite(manager_client)

    nurse = get_user_model().objects.get(username="jrivera")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:auth_user_change", args=[nurse.pk])
    assert not nurse.has_usable_password()
    assert not TOTPDevice.objects.filter(user=nurse).exists()
    assert list(nurse.groups.values_list("name", flat=True)) == [ROLE_GROUPS["reviewer"]]
    assert _account_events() == ["invited jrivera as Intake reviewer"]
    # The token exists only in the e-mail: nothing stored holds it.
    assert StaffEnrolment.objects.get(user=nurse).token_hash is None
    [message] = _mail_to("jo.rivera@example.org")
    link = _link(message)
    token = link.split("/")[-2]
    stored = StaffEnrolment.objects.get(user=nurse).token_hash
    assert stored == hashlib.sha256(token.encode()).hexdigest() and token not in stored
    assert "jrivera" in message.body

    nurse_browser = Client()
    opened = nurse_browser.get(link)
    assert opened.status_code == 302  # the token leaves the address bar at once
    form = nurse_browser.get(opened["Location"])
    assert "Set your password" in form.content.decode()
    assert "no-store" in form["Cache-Control"]
    shown = nurse_browser.post(
        opened["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    page = shown.content.decode()
    assert 'src="data:image/svg+xml' in page
    assert "shown only once" in page
    assert "no-store" in shown["Cache-Control"]

    # Once only: the link and the page are spent.
    assert nurse_browser.get(link).status_code == 410
    assert nurse_browser.get(opened["Location"]).status_code == 410
    assert Client().get(link).status_code == 410

    device = TOTPDevice.objects.get(user=nurse)
    signed_in = Client().post(
        LOGIN,
        {
            "username": "jrivera",
            "password": NEW_PASSWORD,
            "otp_token": current_code(device),
            "next": ADMIN,
        },
    )
    assert signed_in.status_code == 302
    assert "jrivera enrolled an authenticator (invitation)" in _account_events()


def test_an_invitation_is_refused_in_words_for_a_taken_username_or_a_missing_email(
    manager_client, reviewer
):
    taken = _invite(manager_client, username=reviewer[0].username)
    assert "already exists" in taken.content.decode()
    spaced = _invite(manager_client, username="jo rivera!")
    assert spaced.status_code == 200
    assert "valid username" in spaced.content.decode()
    missing = _invite(manager_client, email="")
    assert missing.status_code == 200
    assert "This field is required" in missing.content.decode()
    assert _account_events() == []


def test_a_weak_password_is_refused_and_the_link_still_works(manager_client):
    _invite(manager_client)
    link = _link(_mail_to("jo.rivera@example.org")[0])
    browser = Client()
    page = browser.get(link)["Location"]

    weak = browser.post(page, {"new_password1": "password", "new_password2": "password"})

    assert weak.status_code == 200
    assert "data:image/svg+xml" not in weak.content.decode()
    assert StaffEnrolment.objects.get().used_at is None


def test_a_new_authenticator_stops_the_old_one_at_once_and_needs_the_password(
    manager_client, reviewer
):
    nurse, old_device = reviewer
    nurse.email = "nurse@example.org"
    nurse.save()
    nurse_client = Client()
    assert sign_in(nurse_client, nurse, old_device).status_code == 302
    old_code = current_code(old_device)

    manager_client.post(_action(nurse, "reset-authenticator"))

    # The session the old authenticator verified is no longer staff, and its codes fail.
    assert nurse_client.get(QUEUE).status_code == 302
    assert not TOTPDevice.objects.filter(pk=old_device.pk).exists()
    refused = Client().post(
        LOGIN, {"username": nurse.username, "password": PASSWORD, "otp_token": old_code}
    )
    assert refused.status_code == 200
    assert _account_events() == [f"reset the authenticator of {nurse.username}"]
    [message] = _mail_to("nurse@example.org")
    assert "no longer work" in message.body

    browser = Client()
    page = browser.get(_link(message))["Location"]
    wrong = browser.post(page, {"password": "not my password"})
    assert "not your password" in wrong.content.decode()
    assert AccessAttempt.objects.get(username=nurse.username).failures_since_start == 1
    shown = browser.post(page, {"password": PASSWORD})
    assert 'src="data:image/svg+xml' in shown.content.decode()
    new_device = TOTPDevice.objects.get(user=nurse)
    assert sign_in(Client(), nurse, new_device).status_code == 302


def test_deactivating_signs_the_person_out_and_is_told_to_them(manager_client, manager, reviewer):
    nurse, device = reviewer
    nurse.email = "nurse@example.org"
    nurse.save()
    nurse_client = Client()
    sign_in(nurse_client, nurse, device)

    manager_client.post(_action(nurse, "deactivate"))

    nurse.refresh_from_db()
    assert not nurse.is_active
    assert nurse_client.get(QUEUE).status_code == 302
    assert "deactivated" in _mail_to("nurse@example.org")[0].subject
    # Never oneself: the clinic would be left without anyone to undo it.
    own = manager_client.post(_action(manager[0], "deactivate"), follow=True)
    assert "cannot deactivate your own account" in own.content.decode()
    manager[0].refresh_from_db()
    assert manager[0].is_active
    manager_client.post(_action(nurse, "reactivate"))
    nurse.refresh_from_db()
    assert nurse.is_active
    assert _account_events() == [
        f"deactivated {nurse.username}",
        f"reactivated {nurse.username}",
    ]


def test_lifting_one_persons_pause_leaves_everyone_elses(manager_client, reviewer):
    nurse, device = reviewer
    nurse.email = "nurse@example.org"
    nurse.save()
    other, other_device = staff_member("reviewer", username="reviewer-two")
    for user in (nurse, other):
        for _ in range(5):
            Client().post(
                LOGIN,
                {"username": user.username, "password": "wrong", "otp_token": "000000"},
                REMOTE_ADDR="203.0.113.9",
            )
    listing = manager_client.get(ACCOUNTS).content.decode()
    assert listing.count("<strong>Paused</strong> until") == 2
    page = manager_client.get(reverse("admin:auth_user_change", args=[nurse.pk]))
    assert "Lift the sign-in pause" in page.content.decode()

    manager_client.post(_action(nurse, "lift-pause"))

    assert sign_in(Client(), nurse, device, REMOTE_ADDR="203.0.113.9").status_code == 302
    assert sign_in(Client(), other, other_device, REMOTE_ADDR="203.0.113.9").status_code == 429
    assert _account_events() == [f"lifted the sign-in pause of {nurse.username}"]
    assert "lifted" in _mail_to("nurse@example.org")[0].subject


def test_only_managers_see_and_use_staff_accounts(reviewer_client, reviewer, manager):
    assert reviewer_client.get(ACCOUNTS).status_code == 403
    assert reviewer_client.get(INVITE).status_code == 403
    assert reviewer_client.post(_action(manager[0], "deactivate")).status_code == 403
    assert "Staff accounts" not in reviewer_client.get(ADMIN).content.decode()
    manager[0].refresh_from_db()
    assert manager[0].is_active


def test_an_action_is_a_post_and_an_unknown_one_is_refused(manager_client, reviewer):
    assert manager_client.get(_action(reviewer[0], "deactivate")).status_code == 405
    assert manager_client.post(_action(reviewer[0], "delete")).status_code == 403


def test_a_link_sent_twice_works_only_in_the_newest_email(manager_client, reviewer):
    nurse, _device = reviewer
    nurse.email = "nurse@example.org"
    nurse.save()
    manager_client.post(_action(nurse, "reset-authenticator"))
    first = _link(_mail_to("nurse@example.org")[0])
    manager_client.post(_action(nurse, "reset-authenticator"))
    second = _link(_mail_to("nurse@example.org")[-1])

    assert Client().get(first).status_code == 410
    assert Client().get(second).status_code == 302


# --- An account without an e-mail address -----------------------------------------------------


def test_without_an_address_a_link_is_refused_until_a_manager_adds_one(manager_client, reviewer):
    nurse, _device = reviewer
    assert not nurse.email
    page = manager_client.get(reverse("admin:auth_user_change", args=[nurse.pk])).content.decode()
    assert "has no e-mail address" in page
    assert "gets an e-mail saying so" not in page

    refused = manager_client.post(_action(nurse, "reset-authenticator"), follow=True)
    assert "No e-mail address to send the one-time link to" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=nurse).exists()  # the old one still works

    for wrong in ["", "not-an-address", "jo@"]:
        said = manager_client.post(_action(nurse, "change-email"), {"email": wrong}, follow=True)
        assert "e-mail address" in said.content.decode()
        nurse.refresh_from_db()
        assert not nurse.email
    manager_client.post(_action(nurse, "change-email"), {"email": " nina@example.org "})
    nurse.refresh_from_db()
    assert nurse.email == "nina@example.org"
    assert "e-mail address" in _mail_to("nina@example.org")[0].subject

    manager_client.post(_action(nurse, "reset-authenticator"))
    assert not TOTPDevice.objects.filter(user=nurse).exists()
    assert _link(_mail_to("nina@example.org")[-1])
    assert _account_events() == [
        f"changed the e-mail address of {nurse.username}",
        f"reset the authenticator of {nurse.username}",
    ]


@pytest.mark.parametrize("enrolled", [True, False])
def test_reactivating_someone_without_an_authenticator_sends_a_link_to_enrol(
    manager_client, reviewer, enrolled
):
    nurse, device = reviewer
    nurse.email = "nurse@example.org"
    nurse.save()
    if not enrolled:
        device.delete()
    manager_client.post(_action(nurse, "deactivate"))

    said = manager_client.post(_action(nurse, "reactivate"), follow=True).content.decode()

    assert f"Reactivated {nurse.username}." in said
    last = _mail_to("nurse@example.org")[-1]
    if enrolled:
        assert "reactivated" in last.subject
        assert "authenticator app" in last.body
    else:
        # The password still works; the link adds an authenticator.
        assert "new authenticator" in last.subject
        assert StaffEnrolment.objects.filter(user=nurse, used_at__isnull=True).count() == 1
        assert _link(last)


@pytest.mark.parametrize(
    "action", ["deactivate", "lift-pause", "reset-authenticator", "reactivate"]
)
def test_what_an_action_says_never_starts_with_the_username(manager_client, reviewer, action):
    nurse, _device = reviewer
    nurse.email = "nurse@example.org"
    nurse.save()
    if action == "reactivate":
        manager_client.post(_action(nurse, "deactivate"), follow=True)  # its message read
    response = manager_client.post(_action(nurse, action), follow=True)

    [said] = [str(m) for m in response.context["messages"]]
    assert not said.lower().startswith(nurse.username.lower()), said
