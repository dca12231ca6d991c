"""Fill the work queue with clearly fictitious requests to try the staff admin."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from intake.demo import demo_requests_exist, demo_requests_seed


class Command(BaseCommand):
    help = (
        "Create a set of clearly fictitious screening requests (Demo Patient 01, ...; example.org "
        "e-mail addresses; 555-01xx numbers) across every priority and status, through the same "
        "form and service as a patient's request."
    )

    def handle(self, *args, **options) -> None:
        if demo_requests_exist():
            self.stdout.write("The demo requests are already there; nothing added.")
            return
        created = demo_requests_seed()
        urgent = sum(1 for r in created if r.priority <= r.Priority.URGENT)
        self.stdout.write(
            f"Created {len(created)} demo requests ({urgent} urgent). Sign in to the admin to "
            "see them in the work queue."
        )
