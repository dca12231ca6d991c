"""E-mail ON_CALL_EMAIL about acute or urgent requests not reached in time and unsent notices."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.alerts import on_call_alerts_send


class Command(BaseCommand):
    help = (
        "Alert ON_CALL_EMAIL when an acute request is not reached within its due time, an urgent "
        "one is overdue, or a staff notice did not go out; repeated every ON_CALL_REPEAT_MINUTES. "
        "Sends the e-mails itself; safe to run from a timer and twice at once."
    )

    def handle(self, *args, **options) -> None:
        if not settings.ON_CALL_EMAIL:
            raise CommandError("ON_CALL_EMAIL is not set: nobody would be alerted.")
        sent, failed = on_call_alerts_send()
        if options["verbosity"] >= 1 or sent or failed:
            self.stdout.write(f"On-call alerts sent: {sent}. Not sent: {failed}.")
        if failed:
            raise CommandError(f"{failed} on-call alert(s) could not be sent; see the log.")
