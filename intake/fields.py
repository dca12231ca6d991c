"""Model fields whose values are encrypted at rest with the keys in FIELD_ENCRYPTION_KEYS.

Written over `cryptography`'s MultiFernet because the maintained packages derive their keys from
SECRET_KEY and salts instead of taking rotatable Fernet keys from FIELD_ENCRYPTION_KEYS.

Each value is stored as a Fernet token in a text column. Tokens are randomised, so encrypted
fields cannot be filtered or sorted on: only `isnull` is allowed, and exact search goes through
the blind-index columns instead (see intake.crypto).
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.exceptions import FieldError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .crypto import decrypt_text, encrypt_text


class EncryptedField(models.TextField):
    """Base class: subclasses turn their Python value into text and back."""

    description = "A value encrypted at rest"
    searchable_lookups = frozenset({"isnull"})

    def to_text(self, value: Any) -> str:
        return str(value)

    def from_text(self, text: str) -> Any:
        return text

    def get_lookup(self, lookup_name: str):
        if lookup_name not in self.searchable_lookups:
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted and cannot be searched with "
                f"'{lookup_name}'; search through a blind index instead."
            )
        return super().get_lookup(lookup_name)

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return encrypt_text(self.to_text(value))

    def from_db_value(self, value: str | None, expression, connection) -> Any:
        if value is None:
            return None
        return self.from_text(decrypt_text(value))

    def to_python(self, value: Any) -> Any:
        return value

    def value_to_string(self, obj: models.Model) -> str:
        # Serialisation (dumpdata) writes plaintext: the value as the application sees it.
        return self.to_text(self.value_from_object(obj))


class EncryptedTextField(EncryptedField):
    description = "Text encrypted at rest"

    def to_python(self, value: Any) -> str | None:
        return value if value is None or isinstance(value, str) else str(value)


class EncryptedDateField(EncryptedField):
    description = "A date encrypted at rest"

    def to_text(self, value: datetime.date | str) -> str:
        return value.isoformat() if isinstance(value, datetime.date) else str(value)

    def from_text(self, text: str) -> datetime.date:
        return datetime.date.fromisoformat(text)

    def to_python(self, value: Any) -> datetime.date | None:
        if value is None or isinstance(value, datetime.date):
            return value
        return datetime.date.fromisoformat(str(value))

    def formfield(self, **kwargs: Any):
        from django import forms

        return models.Field.formfield(self, **{"form_class": forms.DateField, **kwargs})


class EncryptedJSONField(EncryptedField):
    description = "JSON encrypted at rest"

    def to_text(self, value: Any) -> str:
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)

    def from_text(self, text: str) -> Any:
        return json.loads(text)

    def formfield(self, **kwargs: Any):
        from django import forms

        return models.Field.formfield(self, **{"form_class": forms.JSONField, **kwargs})


class FlagCodesField(models.CharField):
    """A list of short flag codes stored as ",code,code," so `flags__has="code"` works everywhere.

    A JSON list would need JSON containment lookups, which SQLite lacks; a delimited string gives
    one portable LIKE query on both SQLite and PostgreSQL.
    """

    description = "A list of flag codes"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    @staticmethod
    def _to_list(value: Any) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            return [code for code in value.split(",") if code]
        return list(value)

    def from_db_value(self, value: str | None, expression, connection) -> list[str]:
        return self._to_list(value)

    def to_python(self, value: Any) -> list[str]:
        return self._to_list(value)

    def get_prep_value(self, value: Any) -> str:
        if isinstance(value, str):
            return value  # already a lookup pattern or stored form
        codes = self._to_list(value)
        for code in codes:
            if "," in code or not code:
                raise ValueError(f"Invalid flag code {code!r}")
        return "," + ",".join(codes) + "," if codes else ""

    def value_to_string(self, obj: models.Model) -> str:
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        # Choices and blank checks apply to the list, not to the stored string.
        if not self.editable:
            return
        if not self.blank and not value:
            super().validate(value, model_instance)

    def run_validators(self, value: Any) -> None:
        super().run_validators(self.get_prep_value(value))

    def formfield(self, **kwargs: Any):
        return None


@FlagCodesField.register_lookup
class HasFlag(models.lookups.Contains):
    """`flags__has="code"`: the list contains exactly that code."""

    lookup_name = "has"

    def get_prep_lookup(self) -> str:
        return f",{self.rhs},"

    def get_rhs_op(self, connection, rhs: str) -> str:
        return connection.operators["contains"] % rhs
