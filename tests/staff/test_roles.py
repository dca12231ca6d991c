"""The two roles, created by a migration, and `manage.py createstaff` with MFA enrolment."""

from __future__ import annotations

import re
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .support import ADMIN, LOGIN, PASSWORD, ROLES_MIGRATION

REVIEWER = {
    "view_screeningrequest",
    "change_screeningrequest",
    "view_statuschange",
    "view_internalnote",
    "add_internalnote",
}
MANAGER = REVIEWER | {
    "export_screeningrequest",
    "delete_screeningrequest",
    "purge_screeningrequest",
    "view_auditevent",
}


def _codenames(name: str) -> set[str]:
    return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))


def test_the_roles_migration_creates_both_groups_with_their_permissions():
    Group.objects.all().delete()
    historical = MigrationLoader(connection).project_state(("intake", "0003_staff_roles")).apps

    ROLES_MIGRATION.create_roles(historical, None)

    assert _codenames("Intake reviewer") == REVIEWER
    assert _codenames("Clinic manager") == MANAGER


def test_the_roles_migration_is_reversible():
    historical = MigrationLoader(connection).project_state(("intake", "0003_staff_roles")).apps

    ROLES_MIGRATION.remove_roles(historical, None)

    assert not Group.objects.filter(name__in=["Intake reviewer", "Clinic manager"]).exists()


def _createstaff(monkeypatch, *args: str) -> str:
    monkeypatch.setenv("DJANGO_STAFF_PASSWORD", PASSWORD)
    out = StringIO()
    call_command("createstaff", *args, "--noinput", stdout=out)
    return out.getvalue()


def _secret(output: str) -> str:
    uri = re.search(r"otpauth://totp/\S+", output).group(0)
    return parse_qs(urlsplit(uri).query)["secret"][0]


def test_createstaff_makes_a_staff_user_in_the_role_and_prints_the_enrolment(monkeypatch):
    output = _createstaff(monkeypatch, "jordan", "--role", "manager", "--name", "Jordan Lee")

    device = TOTPDevice.objects.get(user__username="jordan")
    assert device.user.is_staff and device.user.is_active
    assert list(device.user.groups.values_list("name", flat=True)) == ["Clinic manager"]
    assert device.user.get_full_name() == "Jordan Lee"
    assert "otpauth://totp/AVYIA%20staff%3Ajordan?secret=" in output
    assert "█" in output  # the QR code drawn in the terminal
    assert "scan this QR code" in output


def test_the_printed_key_makes_codes_that_sign_in(monkeypatch):
    import base64

    output = _createstaff(monkeypatch, "sam")
    key = base64.b32decode(_secret(output))
    client = Client()

    response = client.post(
        LOGIN, {"username": "sam", "password": PASSWORD, "otp_token": f"{totp(key):06d}"}
    )

    assert response.status_code == 302
    assert client.get(ADMIN).status_code == 200


def test_createstaff_refuses_a_weak_password_or_a_taken_name(monkeypatch):
    _createstaff(monkeypatch, "robin")

    with pytest.raises(CommandError, match="already exists"):
        _createstaff(monkeypatch, "Robin")
    monkeypatch.setenv("DJANGO_STAFF_PASSWORD", "short")
    with pytest.raises(CommandError, match="too short"):
        call_command("createstaff", "alex", "--noinput", stdout=StringIO())


def test_reset_mfa_replaces_a_lost_authenticator(monkeypatch):
    first = _secret(_createstaff(monkeypatch, "casey"))

    second = _secret(_createstaff(monkeypatch, "casey", "--reset-mfa"))

    assert first != second
    device = TOTPDevice.objects.get(user__username="casey")
    assert _secret(device.config_url) == second
