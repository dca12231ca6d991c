"""Fill a local site's clinic profile with a complete example, so every section shows."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.audit import command_actor_label
from pages.clinic import FILLED_ON_A_NEW_DATABASE
from pages.models import ClinicProfile
from pages.services import clinic_profile_load_example


class Command(BaseCommand):
    help = (
        "Load a complete example clinic profile (fictional people, prices and a 555-01xx number) "
        "into a local database. Refused in production. With --if-empty, only when no fact has "
        "been entered yet."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Leave a profile that already has any fact alone (what `make run` uses).",
        )

    def handle(self, *args, if_empty: bool = False, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "Refused: DJANGO_ENV=production. A live site's profile holds the clinic's real "
                "facts; a manager enters them in the staff admin."
            )
        if if_empty and _has_any_fact():
            self.stdout.write("The clinic profile already has facts; left as it is.")
            return
        clinic_profile_load_example(actor_label=command_actor_label("seed_example_clinic"))
        self.stdout.write(
            "Loaded the example clinic profile. Every value is an example: "
            "`manage.py clinic_check` lists them."
        )


def _has_any_fact() -> bool:
    profile = ClinicProfile.objects.first()
    if profile is None:
        return False
    return any(
        getattr(profile, field.name) not in (None, "")
        for field in ClinicProfile._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in FILLED_ON_A_NEW_DATABASE
    )
