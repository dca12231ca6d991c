"""Keeping the patient-data keys and the stored data in step: rotation and the start-up check.

FIELD_ENCRYPTION_KEYS lists Fernet keys newest first. To rotate, put a new key in front, restart,
run `manage.py rotate_encryption_keys` (every encrypted value is re-encrypted under the newest key
and every blind index is recomputed with the current BLIND_INDEX_KEY), then drop the old key.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import DatabaseError, models, transaction
from django.db.models.functions import Cast

from ..crypto import (
    DecryptionError,
    email_blind_index,
    multi_fernet,
    request_blind_indexes,
    rotate_text,
)
from ..fields import EncryptedField
from ..models import ScreeningRequest

BATCH_SIZE = 200


class KeyMismatchError(RuntimeError):
    """The configured keys do not fit the data already stored."""


@dataclass
class RotationResult:
    rows: int = 0
    values: int = 0
    blind_indexes_changed: int = 0


def encrypted_models() -> list[tuple[type[models.Model], list[str]]]:
    """Every model with encrypted fields, and the names of those fields."""
    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]
        if names:
            found.append((model, names))
    return found


def _raw_tokens(model: type[models.Model], names: list[str]) -> models.QuerySet:
    """Rows as stored: the Fernet tokens themselves, not the decrypted values."""
    return model.objects.order_by("pk").annotate(
        **{f"raw_{name}": Cast(name, output_field=models.TextField()) for name in names}
    )


def _rotate_model(model: type[models.Model], names: list[str], result: RotationResult) -> None:
    last_pk = None
    while True:
        batch_qs = _raw_tokens(model, names)
        if last_pk is not None:
            batch_qs = batch_qs.filter(pk__gt=last_pk)
        # Read and rewritten in one transaction, the rows locked: a nurse's save in between
        # would otherwise be overwritten with the old value.
        with transaction.atomic():
            batch = list(
                batch_qs.select_for_update().values("pk", *[f"raw_{name}" for name in names])[
                    :BATCH_SIZE
                ]
            )
            if not batch:
                return
            for row in batch:
                # Value(output_field=TextField) writes the new token as it is, not encrypted again.
                updates = {
                    name: models.Value(rotate_text(row[f"raw_{name}"]), models.TextField())
                    for name in names
                    if row[f"raw_{name}"] is not None
                }
                model.objects.filter(pk=row["pk"]).update(**updates)
                result.values += len(updates)
                result.rows += 1
        last_pk = batch[-1]["pk"]


INDEX_COLUMNS = tuple(
    f.name for f in ScreeningRequest._meta.concrete_fields if f.name.endswith("_index")
)


def _rebuild_blind_indexes(result: RotationResult) -> None:
    last_pk = None
    while True:
        batch_qs = ScreeningRequest.objects.order_by("pk").only(
            "pk", "email", "phone", "last_name", "date_of_birth", *INDEX_COLUMNS
        )
        if last_pk is not None:
            batch_qs = batch_qs.filter(pk__gt=last_pk)
        with transaction.atomic():
            batch = list(batch_qs.select_for_update()[:BATCH_SIZE])
            if not batch:
                return
            for screening_request in batch:
                indexes = request_blind_indexes(
                    email=screening_request.email,
                    phone=screening_request.phone,
                    last_name=screening_request.last_name,
                    date_of_birth=screening_request.date_of_birth,
                )
                if any(
                    getattr(screening_request, name) != value for name, value in indexes.items()
                ):
                    ScreeningRequest.objects.filter(pk=screening_request.pk).update(**indexes)
                    result.blind_indexes_changed += 1
        last_pk = batch[-1].pk


def encryption_keys_rotate() -> RotationResult:
    """Re-encrypt every encrypted value under the newest key and recompute every blind index.

    Safe to run again after an interruption: a value already under the newest key is simply
    re-encrypted, and blind indexes are always computed from the decrypted values.
    """
    result = RotationResult()
    for model, names in encrypted_models():
        _rotate_model(model, names, result)
    _rebuild_blind_indexes(result)
    return result


def encryption_keys_verify() -> None:
    """Raise KeyMismatchError unless the keys decrypt the stored data and match its indexes.

    Decrypts the newest row of each model with encrypted fields and recomputes that request's
    blind indexes. An empty database (or one not yet migrated) passes.
    """
    multi_fernet()  # a malformed key fails here, with a message naming its position
    for model, _names in encrypted_models():
        try:
            row = model.objects.order_by("-pk").first()
        except DecryptionError as exc:
            raise KeyMismatchError(
                "FIELD_ENCRYPTION_KEYS cannot decrypt the stored patient data: the key that "
                "encrypted it is missing or wrong. Restore the right keys (see the README's "
                "operations section)."
            ) from exc
        except DatabaseError:
            continue  # table not created yet: nothing stored to check
        if isinstance(row, ScreeningRequest) and email_blind_index(row.email) != row.email_index:
            raise KeyMismatchError(
                "BLIND_INDEX_KEY differs from the key the stored search indexes were made with. "
                "Run `manage.py rotate_encryption_keys` to rebuild them, or restore the old key."
            )
