"""Staff accounts: a user in one of the two roles, with one authenticator app for sign-in."""

from __future__ import annotations

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

# Role names as `createstaff --role` takes them, and the groups the roles migration creates.
ROLE_GROUPS = {"reviewer": "Intake reviewer", "manager": "Clinic manager"}


@transaction.atomic
def staff_user_create(
    *, username: str, password: str, role: str, email: str = "", full_name: str = ""
) -> tuple[AbstractBaseUser, TOTPDevice]:
    """Create an active staff user in a role's group, with a new authenticator device."""
    User = get_user_model()
    if role not in ROLE_GROUPS:
        raise ValidationError(f"Unknown role {role!r}: choose one of {', '.join(ROLE_GROUPS)}.")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(f"A user named {username!r} already exists.")
    first_name, _, last_name = full_name.strip().partition(" ")
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=True,
        is_active=True,
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    group = Group.objects.filter(name=ROLE_GROUPS[role]).first()
    if group is None:
        raise ValidationError(f"The {ROLE_GROUPS[role]!r} group is missing: run migrate first.")
    user.groups.add(group)
    return user, staff_mfa_enrol(user=user)


@transaction.atomic
def staff_mfa_enrol(*, user: AbstractBaseUser) -> TOTPDevice:
    """Give a user a new authenticator device, replacing any they had (a lost or new phone)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
