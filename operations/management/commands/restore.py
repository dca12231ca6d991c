"""Restore an encrypted backup archive into an empty database, then check the keys fit it."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from intake.staff.keys import KeyMismatchError, encryption_keys_verify
from operations.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore PATH (made by `manage.py backup`) into the empty database DATABASE_URL names, "
        "with BACKUP_KEY; then apply newer migrations and run the start-up key check."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options) -> None:
        if not path.is_file():
            raise CommandError(f"No backup archive at {path}.")
        try:
            result = backup_restore(path=path)
        except (BackupError, ImproperlyConfigured) as exc:
            raise CommandError(str(exc)) from exc
        # A backup made before a code update is brought up to the code's schema.
        call_command("migrate", verbosity=0, interactive=False)
        try:
            encryption_keys_verify()
        except (KeyMismatchError, ImproperlyConfigured) as exc:
            raise CommandError(f"Restored, but the keys do not fit the data: {exc}") from exc
        self.stdout.write(
            f"Restored the {result.engine} backup of {result.created_at} "
            f"({result.media_files} media files); the patient-data keys fit the data."
        )
