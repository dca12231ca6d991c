"""Write an encrypted backup archive of the database and the media folder."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, backup_create, backup_key_generate


class Command(BaseCommand):
    help = (
        "Write PATH: the database (pg_dump, or SQLite's backup API) and the media folder, "
        "encrypted with age for BACKUP_RECIPIENT or BACKUP_KEY. --generate-key prints a new key."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", type=Path)
        parser.add_argument(
            "--generate-key", action="store_true", help="print a new BACKUP_KEY and its recipient"
        )

    def handle(self, *args, path: Path | None, generate_key: bool, **options) -> None:
        if generate_key:
            key, recipient = backup_key_generate()
            self.stdout.write(f"BACKUP_KEY={key}\nBACKUP_RECIPIENT={recipient}")
            return
        if path is None:
            raise CommandError("Give the archive's path, e.g. /var/backups/avyia/2026-12-07.age")
        try:
            backup_create(path=path)
        except (BackupError, ImproperlyConfigured) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup written to {path} ({path.stat().st_size} bytes, encrypted).")
