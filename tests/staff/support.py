"""Helpers for the staff-admin tests: staff members in their roles, real TOTP sign-in, requests."""

from __future__ import annotations

import importlib
from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from intake.models import Appointment, ScreeningRequest
from intake.staff.accounts import staff_user_create
from pages.models import Clinician

PASSWORD = "a long staff password 42"
ADMIN = "/staff/"
LOGIN = "/staff/login/"
QUEUE = "/staff/intake/screeningrequest/"

ROLES_MIGRATION = importlib.import_module("intake.migrations.0003_staff_roles")
FHIR_MIGRATION = importlib.import_module("intake.migrations.0004_fhir_export_permission")
QUEUE_MIGRATION = importlib.import_module("intake.migrations.0007_work_queue")
ACCOUNTS_MIGRATION = importlib.import_module("intake.migrations.0011_duplicates_sounds_enrolment")
CLINIC_MIGRATION = importlib.import_module("pages.migrations.0010_clinic_profile_from_settings")
CLINICIANS_MIGRATION = importlib.import_module("pages.migrations.0016_managers_keep_the_clinicians")


def ensure_roles() -> None:
    """The role migrations' groups, again: a transactional test's flush empties every table."""
    for name, codenames in ROLES_MIGRATION.ROLES.items():
        if name in FHIR_MIGRATION.ROLES:
            codenames = [*codenames, FHIR_MIGRATION.CODENAME]
        codenames = [
            *codenames,
            *QUEUE_MIGRATION.GRANTS.get(name, []),
            *ACCOUNTS_MIGRATION.GRANTS.get(name, []),
        ]
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            # The audit trail's permission moved to core with its model (core.0001).
            Permission.objects.filter(
                content_type__app_label__in=("intake", "core"), codename__in=codenames
            )
        )
        if name == CLINIC_MIGRATION.MANAGER:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="pages",
                    codename__in=[*CLINIC_MIGRATION.MANAGER_GRANTS, *CLINICIANS_MIGRATION.GRANTS],
                )
            )


def staff_member(role: str, username: str | None = None):
    """A new staff user in a role, with their enrolled authenticator device."""
    return staff_user_create(username=username or f"{role}-one", password=PASSWORD, role=role)


def current_code(device: TOTPDevice) -> str:
    """The code the staff member's authenticator app shows right now, from the enrolled secret."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client: Client, user, device: TOTPDevice, **extra):
    """Sign in through the admin's real login form with the password and a TOTP code."""
    return client.post(
        LOGIN,
        {
            "username": user.get_username(),
            "password": PASSWORD,
            "otp_token": current_code(device),
            "next": ADMIN,
        },
        **extra,
    )


def verified_session(client: Client, user, device: TOTPDevice) -> Client:
    """A session as the real sign-in leaves it, for tests about something other than sign-in.

    A TOTP code is accepted once only, so a second session for the same person in the same
    30 seconds cannot come from the form.
    """
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def change_url(screening_request) -> str:
    return reverse("admin:intake_screeningrequest_change", args=[screening_request.pk])


def review_post(client: Client, screening_request, **fields):
    """Save the review page as a browser would: the request's current values and version, plus
    the fields given."""
    screening_request.refresh_from_db()
    data = {
        "status": screening_request.status,
        "assigned_to": screening_request.assigned_to_id or "",
        "new_note": "",
        "version": screening_request.version,
        **fields,
    }
    return client.post(change_url(screening_request), data)


def clinician() -> Clinician:
    """A clinician patients can be booked with."""
    person, _ = Clinician.objects.get_or_create(
        name="Dana Ortiz", defaults={"credentials": "RN", "role": "Gives infusions at home"}
    )
    return person


def appointment_on_record(screening_request, actor, *, hours_ahead: int = 48) -> Appointment:
    """An upcoming appointment stored as it is (no e-mail, no audit): what "scheduled" needs."""
    return Appointment.objects.create(
        screening_request=screening_request,
        starts_at=timezone.now() + timedelta(hours=hours_ahead),
        kind=Appointment.Kind.VIDEO,
        place="https://video.example.org/room/42",
        clinician=clinician(),
        booked_by=actor,
    )


def appointment_as_the_move_needs(screening_request, to_status: str, actor) -> None:
    """An appointment ahead for a move into "scheduled", none for any other: so that only the
    rule under test decides (leaving "scheduled" needs the appointment cancelled first)."""
    booked = screening_request.appointments.filter(state=Appointment.State.BOOKED)
    if to_status == ScreeningRequest.Status.SCHEDULED:
        if not booked.exists():
            appointment_on_record(screening_request, actor)
    else:
        booked.update(state=Appointment.State.CANCELLED)
