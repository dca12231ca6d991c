"""Delete requests that ended longer ago than the retention period (run it daily)."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand

from core.audit import command_actor_label
from intake.drafts import drafts_purge
from intake.staff.retention import (
    audit_events_expire,
    requests_held_for_protocol,
    requests_past_retention,
    screening_requests_purge,
)
from intake.staff.unsaved import unsaved_reviews_expire


class Command(BaseCommand):
    help = (
        "Delete screening requests that were closed, found not a candidate or withdrawn more "
        "than SCREENING_RETENTION_MONTHS ago, with their notes and history (each deletion is "
        "audited by reference code), audit events older than AUDIT_RETENTION_YEARS, and "
        "unfinished drafts untouched for SCREENING_DRAFT_HOURS, and expired sessions (each new "
        "draft starts one)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many would be deleted."
        )

    def handle(self, *args, dry_run: bool, **options) -> None:
        months = settings.SCREENING_RETENTION_MONTHS
        held = list(requests_held_for_protocol().values_list("reference", flat=True))
        if held:
            self.stdout.write(
                f"Kept {len(held)} request(s) past retention: a positive suicide-risk screen "
                f"with no protocol on record ({', '.join(held)}). Confirm the protocol on each "
                "(reopen it for review) before it can be deleted."
            )
        if dry_run:
            count = requests_past_retention().count()
            self.stdout.write(f"{count} request(s) ended more than {months} months ago.")
            return
        references = screening_requests_purge(
            actor_label=command_actor_label("purge_screening_requests")
        )
        expired = audit_events_expire()
        drafts = drafts_purge()
        unsaved_reviews_expire()
        # What `manage.py clearsessions` does, whichever session engine is configured.
        import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
        self.stdout.write(
            f"Deleted {len(references)} request(s) that ended more than {months} months ago, "
            f"{expired} audit event(s) older than {settings.AUDIT_RETENTION_YEARS} years, "
            f"{drafts} unfinished draft(s) and every expired session."
        )
