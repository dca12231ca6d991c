"""Is the clinic profile ready for a live site? Lists each missing fact and each example value,
then the photos that are welcome but not required."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from pages.clinic import clinic_profile_problems, clinic_profile_suggestions


class Command(BaseCommand):
    help = (
        "List each fact the clinic profile is missing and each value that is still an example. "
        "Exits non-zero until the profile is complete."
    )

    def handle(self, *args, **options) -> None:
        problems = clinic_profile_problems()
        suggestions = clinic_profile_suggestions()
        for problem in problems:
            self.stdout.write(f"- {problem}")
        if suggestions:
            self.stdout.write("Optional:" if problems else "Optional, before going live:")
            for suggestion in suggestions:
                self.stdout.write(f"  - {suggestion}")
        if not problems:
            self.stdout.write("The clinic profile is complete: no missing facts, no examples.")
            return
        raise CommandError(
            f"The clinic profile is not ready to go live: {len(problems)} to fix "
            "(staff admin: Clinic profile)."
        )
