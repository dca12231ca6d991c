"""Create a staff user in a role and print their authenticator enrolment: the first step."""

from __future__ import annotations

import getpass
import io
import os
from urllib.parse import parse_qs, urlsplit

import segno
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from intake.staff.accounts import ROLE_GROUPS, staff_mfa_enrol, staff_user_create

PASSWORD_ENV = "DJANGO_STAFF_PASSWORD"  # noqa: S105 (the variable's name, not a password)


class Command(BaseCommand):
    help = (
        "Create a staff user as an intake reviewer or clinic manager and print the QR code and "
        "otpauth:// link to enrol their authenticator app. With --reset-mfa, enrol a new "
        "authenticator for an existing user instead."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ROLE_GROUPS), default="reviewer")
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="", help="Full name, shown to colleagues.")
        parser.add_argument(
            "--reset-mfa",
            action="store_true",
            help="Replace the authenticator of an existing user (lost or new phone).",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Take the password from the {PASSWORD_ENV} environment variable.",
        )

    def handle(self, *args, username: str, role: str, email: str, name: str, **options) -> None:
        if options["reset_mfa"]:
            user = get_user_model().objects.filter(username=username, is_staff=True).first()
            if user is None:
                raise CommandError(f"There is no staff user named {username!r}.")
            device = staff_mfa_enrol(user=user)
            self.stdout.write(f"New authenticator for {username}; the old one no longer works.")
        else:
            password = self._password(options["interactive"])
            try:
                user, device = staff_user_create(
                    username=username, password=password, role=role, email=email, full_name=name
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            self.stdout.write(self.style.SUCCESS(f"Created {username} as {ROLE_GROUPS[role]!r}."))
        self._print_enrolment(device)

    def _password(self, interactive: bool) -> str:
        if not interactive:
            password = os.environ.get(PASSWORD_ENV, "")
            if not password:
                raise CommandError(f"Set {PASSWORD_ENV} to use --noinput.")
            return password
        password = getpass.getpass("Password (12 characters or more): ")
        if password != getpass.getpass("Password again: "):
            raise CommandError("The two passwords differ.")
        return password

    def _print_enrolment(self, device: TOTPDevice) -> None:
        uri = device.config_url
        qr = io.StringIO()
        segno.make(uri, error="m").terminal(out=qr, compact=True)
        secret = parse_qs(urlsplit(uri).query)["secret"][0]
        grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        self.stdout.write(
            "\nEnrol the sign-in code (do this now, in private):\n"
            "1. Open an authenticator app on the staff member's phone (for example Google "
            "Authenticator, Microsoft Authenticator, 2FAS or FreeOTP) and scan this QR code:\n"
        )
        self.stdout.write(qr.getvalue())
        self.stdout.write(
            f"   or type this key by hand: {grouped}\n"
            f"   or open this link on the phone: {uri}\n"
            "2. Sign in at the admin with the username, the password and the 6-digit code the "
            "app shows for AVYIA staff.\n"
            "Anyone holding this QR code or key can make sign-in codes: do not keep it, e-mail it "
            "or paste it anywhere."
        )
