"""Staff accounts: a user in one of the two roles, with one authenticator app for sign-in.

Clinic managers look after them in the admin: invite a colleague (a one-time link to set a
password and enrol an authenticator), give someone a new authenticator (the old one stops at once),
deactivate an account, lift one person's sign-in pause, change their e-mail address. Each is
audited and e-mailed to the person it concerns, by the task worker. A one-time link goes only to
an address: an account without one gets one first.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.audit import audit_record
from core.models import AuditEvent

from ..models import StaffEnrolment

# Role names as `createstaff --role` takes them, and the groups the roles migration creates.
ROLE_GROUPS = {"reviewer": "Intake reviewer", "manager": "Clinic manager"}
# How long an enrolment link works: long enough for a weekend, short enough to be worth little.
ENROLMENT_VALID_FOR = timedelta(hours=72)
Purpose = StaffEnrolment.Purpose


def _new_user(*, username: str, role: str, email: str, full_name: str) -> AbstractBaseUser:
    User = get_user_model()
    if role not in ROLE_GROUPS:
        raise ValidationError(f"Unknown role {role!r}: choose one of {', '.join(ROLE_GROUPS)}.")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(f"A user named {username!r} already exists.")
    first_name, _, last_name = full_name.strip().partition(" ")
    return User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=True,
        is_active=True,
    )


def _add_to_role(user: AbstractBaseUser, role: str) -> None:
    group = Group.objects.filter(name=ROLE_GROUPS[role]).first()
    if group is None:
        raise ValidationError(f"The {ROLE_GROUPS[role]!r} group is missing: run migrate first.")
    user.groups.add(group)


@transaction.atomic
def staff_user_create(
    *, username: str, password: str, role: str, email: str = "", full_name: str = ""
) -> tuple[AbstractBaseUser, TOTPDevice]:
    """Create an active staff user in a role's group, with a new authenticator device."""
    user = _new_user(username=username, role=role, email=email, full_name=full_name)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    _add_to_role(user, role)
    return user, staff_mfa_enrol(user=user)


@transaction.atomic
def staff_mfa_enrol(*, user: AbstractBaseUser) -> TOTPDevice:
    """Give a user a new authenticator device, replacing any they had (a lost or new phone)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def staff_role(user: AbstractBaseUser) -> str:
    """The user's role in words ("Clinic manager"), or "" when in neither group."""
    names = set(user.groups.values_list("name", flat=True))
    return next((group for group in ROLE_GROUPS.values() if group in names), "")


# --- What managers do, audited and told to the person ---------------------------------------


def _audit(actor: AbstractBaseUser, detail: str) -> None:
    audit_record(action=AuditEvent.Action.ACCOUNT, actor=actor, detail=detail)


def _tell(user: AbstractBaseUser, what: str, actor: AbstractBaseUser, **extra) -> None:
    """Queue the e-mail to the person concerned, sent once this transaction commits."""
    from ..tasks import staff_account_email_deliver  # here: the task module imports services

    staff_account_email_deliver.enqueue(
        user_id=user.pk,
        what=what,
        actor_name=actor.get_full_name() or actor.get_username(),
        **extra,
    )


def _enrolment_start(*, user: AbstractBaseUser, purpose: str, actor: AbstractBaseUser) -> None:
    # One open link at a time: a new one ends any earlier one.
    StaffEnrolment.objects.filter(user=user, used_at__isnull=True).update(expires_at=timezone.now())
    enrolment = StaffEnrolment.objects.create(
        user=user,
        purpose=purpose,
        created_by=actor,
        expires_at=timezone.now() + ENROLMENT_VALID_FOR,
    )
    _tell(user, purpose, actor, enrolment_id=enrolment.pk)


@transaction.atomic
def staff_invite(
    *, username: str, full_name: str, email: str, role: str, actor: AbstractBaseUser
) -> AbstractBaseUser:
    """Create an account with no password and no authenticator, and e-mail its owner a one-time
    link to set both."""
    if not email:
        raise ValidationError("An invitation needs an e-mail address to go to.")
    user = _new_user(username=username, role=role, email=email, full_name=full_name)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    _add_to_role(user, role)
    _audit(actor, f"invited {username} as {ROLE_GROUPS[role]}")
    _enrolment_start(user=user, purpose=Purpose.INVITE, actor=actor)
    return user


def _link_address_check(user: AbstractBaseUser) -> None:
    if not user.email:
        raise ValidationError(
            f"No e-mail address to send the one-time link to: add one for {user.get_username()} "
            "first (“Add an e-mail address”)."
        )


def authenticator_enrolled(user: AbstractBaseUser) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def staff_mfa_reset(*, user: AbstractBaseUser, actor: AbstractBaseUser) -> None:
    """Remove the user's authenticator now (its codes stop working at once, and a session it
    verified is no longer staff) and e-mail a one-time link to enrol a new one."""
    _link_address_check(user)
    TOTPDevice.objects.filter(user=user).delete()
    _audit(actor, f"reset the authenticator of {user.get_username()}")
    _enrolment_start(user=user, purpose=Purpose.RESET, actor=actor)


@transaction.atomic
def staff_deactivate(*, user: AbstractBaseUser, actor: AbstractBaseUser) -> None:
    """Deactivate an account (never deleted: the history keeps who did what). Its sessions end
    at their next request, and any enrolment link stops working."""
    if user.pk == actor.pk:
        raise ValidationError("You cannot deactivate your own account.")
    user.is_active = False
    user.save(update_fields=["is_active"])
    StaffEnrolment.objects.filter(user=user, used_at__isnull=True).update(expires_at=timezone.now())
    _audit(actor, f"deactivated {user.get_username()}")
    _tell(user, "deactivated", actor)


@transaction.atomic
def staff_reactivate(*, user: AbstractBaseUser, actor: AbstractBaseUser) -> None:
    """Let the person sign in again; without an authenticator (deactivation ended their link),
    they are sent a new one-time link to enrol, as an invitation or a new authenticator."""
    enrolled = authenticator_enrolled(user)
    if not enrolled:
        _link_address_check(user)
    user.is_active = True
    user.save(update_fields=["is_active"])
    _audit(actor, f"reactivated {user.get_username()}")
    if enrolled:
        _tell(user, "reactivated", actor)
    else:
        purpose = Purpose.RESET if user.has_usable_password() else Purpose.INVITE
        _enrolment_start(user=user, purpose=purpose, actor=actor)


@transaction.atomic
def staff_email_change(*, user: AbstractBaseUser, email: str, actor: AbstractBaseUser) -> None:
    """Give the person a new e-mail address (where their links and notices go); they are told
    there."""
    email = email.strip()
    if not email:
        raise ValidationError("Give an e-mail address, e.g. jo.rivera@example.org.")
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError("Enter an e-mail address like jo.rivera@example.org.") from None
    user.email = email
    user.save(update_fields=["email"])
    _audit(actor, f"changed the e-mail address of {user.get_username()}")
    _tell(user, "email_changed", actor)


@transaction.atomic
def staff_sign_in_pause_lift(*, user: AbstractBaseUser, actor: AbstractBaseUser) -> int:
    """Lift this person's sign-in pause (from every address), no one else's."""
    lifted = axes_reset(username=user.get_username())
    _audit(actor, f"lifted the sign-in pause of {user.get_username()}")
    _tell(user, "pause_lifted", actor)
    return lifted


def sign_in_paused_until(username: str, *, ip_address: str | None = None) -> datetime | None:
    """When the username's sign-in pause ends (from one address, or the latest from any), or None
    when it is not paused."""
    cool_off = get_cool_off()
    if not username or cool_off is None:
        return None
    attempts = AccessAttempt.objects.filter(
        username=username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    if ip_address is not None:
        attempts = attempts.filter(ip_address=ip_address)
    latest = attempts.order_by("-attempt_time").values_list("attempt_time", flat=True).first()
    if latest is None or latest + cool_off <= timezone.now():
        return None
    return latest + cool_off


# --- The enrolment link ------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    # The token is 256 random bits: a plain hash is enough to keep it out of the database.
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def enrolment_link_issue(enrolment: StaffEnrolment) -> str:
    """A new one-time link for the enrolment (an earlier one for it stops working)."""
    token = secrets.token_urlsafe(32)
    StaffEnrolment.objects.filter(pk=enrolment.pk).update(token_hash=_token_hash(token))
    return settings.SITE_URL + reverse("admin:staff_enrol_link", args=[token])


def enrolment_open(*, token: str = "", pk: int | None = None) -> StaffEnrolment | None:
    """The enrolment a link or session names, if it is unused, in time, and its user active."""
    enrolments = StaffEnrolment.objects.select_related("user").filter(
        used_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True
    )
    if pk is not None:
        return enrolments.filter(pk=pk).first()
    return enrolments.filter(token_hash=_token_hash(token)).first() if token else None


@transaction.atomic
def enrolment_complete(*, enrolment: StaffEnrolment, password: str = "") -> TOTPDevice:
    """Use the link once: set the password (an invitation) and enrol a new authenticator, whose
    QR code the page then shows this one time."""
    enrolment = StaffEnrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.used_at is not None or enrolment.expires_at <= timezone.now():
        raise ValidationError("This link has been used or has expired.")
    user = enrolment.user
    if enrolment.purpose == Purpose.INVITE:
        password_validation.validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
    elif not user.check_password(password):
        raise ValidationError("That is not your password.", code="password")
    enrolment.used_at = timezone.now()
    enrolment.save(update_fields=["used_at"])
    audit_record(
        action=AuditEvent.Action.ACCOUNT,
        actor=user,
        detail=f"{user.get_username()} enrolled an authenticator "
        f"({enrolment.get_purpose_display().lower()})",
    )
    return staff_mfa_enrol(user=user)
