"""Write an encrypted backup archive of the database and the media folder."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from operations.backups import (
    BackupError,
    backup_archive_path,
    backup_create,
    backup_key_generate,
    backups_prune,
)


class Command(BaseCommand):
    help = (
        "Write PATH (or, when PATH is a folder, avyia-<UTC time>.age in it): the database "
        "(pg_dump, or SQLite's backup API) and the media folder, encrypted with age for "
        "BACKUP_RECIPIENT or BACKUP_KEY. --keep-days N then deletes the folder's archives older "
        "than N days. --generate-key prints a new key."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", type=Path)
        parser.add_argument("--keep-days", type=int, help="in a folder: delete older archives")
        parser.add_argument(
            "--generate-key", action="store_true", help="print a new BACKUP_KEY and its recipient"
        )

    def handle(
        self, *args, path: Path | None, keep_days: int | None, generate_key: bool, **options
    ) -> None:
        if generate_key:
            key, recipient = backup_key_generate()
            self.stdout.write(f"BACKUP_KEY={key}\nBACKUP_RECIPIENT={recipient}")
            return
        if path is None:
            raise CommandError("Give the archive's path, e.g. /var/backups/avyia/2026-12-07.age")
        if keep_days is not None and not path.is_dir():
            raise CommandError("--keep-days needs PATH to be the backup folder.")
        now = timezone.now()
        folder = path if path.is_dir() else None
        if folder is not None:
            path = backup_archive_path(folder, now=now)
        try:
            backup_create(path=path)
        except (BackupError, ImproperlyConfigured) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup written to {path} ({path.stat().st_size} bytes, encrypted).")
        if folder is not None and keep_days is not None:
            deleted = backups_prune(directory=folder, keep_days=keep_days, now=now)
            self.stdout.write(f"Archives older than {keep_days} days deleted: {len(deleted)}.")
