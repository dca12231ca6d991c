"""What more than one data migration does, written once."""

from __future__ import annotations

from .crypto import request_blind_indexes


def blind_indexes_rebuild(screening_request_model) -> None:
    """Every request's blind indexes from the one definition (intake.crypto), limited to the
    columns the migration's historical model has (a later migration adds more)."""
    columns = {field.name for field in screening_request_model._meta.concrete_fields}
    rows = screening_request_model.objects.only(
        "pk", "email", "phone", "last_name", "date_of_birth"
    )
    for row in rows:
        indexes = request_blind_indexes(
            email=row.email,
            phone=row.phone,
            last_name=row.last_name,
            date_of_birth=row.date_of_birth,
        )
        screening_request_model.objects.filter(pk=row.pk).update(
            **{name: value for name, value in indexes.items() if name in columns}
        )
