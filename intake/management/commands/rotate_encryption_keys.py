"""Re-encrypt all patient data under the newest key and rebuild the blind indexes."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from intake.crypto import DecryptionError
from intake.staff.keys import encryption_keys_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value under the first key in FIELD_ENCRYPTION_KEYS and "
        "recompute every e-mail and phone blind index with the current BLIND_INDEX_KEY. Run it "
        "after putting a new key first (keep the old keys listed until it has finished)."
    )

    def handle(self, *args, **options) -> None:
        try:
            result = encryption_keys_rotate()
        except DecryptionError as exc:
            raise CommandError(
                f"{exc} Keep every old key in FIELD_ENCRYPTION_KEYS (after the new one) until "
                "rotation has finished."
            ) from exc
        self.stdout.write(
            f"Re-encrypted {result.values} value(s) in {result.rows} row(s) under the newest key; "
            f"rebuilt {result.blind_indexes_changed} search index(es). "
            "Old keys can now be removed from FIELD_ENCRYPTION_KEYS."
        )
