"""Send the staff notices and patient receipts whose e-mail did not go out."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from intake.services import screening_notices_retry


class Command(BaseCommand):
    help = (
        "Send the new-request e-mail to INTAKE_NOTIFY_EMAIL for every screening request whose "
        "notice failed (or was never tried). Safe to run from cron every few minutes."
    )

    def handle(self, *args, **options) -> None:
        sent, failed = screening_notices_retry()
        self.stdout.write(f"Staff notices sent: {sent}. Still failing: {failed}.")
        if failed:
            raise CommandError(f"{failed} staff notice(s) could not be sent; see the log.")
