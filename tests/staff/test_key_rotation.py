"""Key rotation and the start-up key check, counted exactly and searched afterwards.

The scope of the key-rotation mutation check (`make mutation`): fast, in-process, no subprocess.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

from intake.crypto import email_blind_index, phone_blind_index
from intake.models import InternalNote, ScreeningRequest
from intake.staff import keys
from intake.staff.keys import (
    KeyMismatchError,
    RotationResult,
    encryption_keys_rotate,
    encryption_keys_verify,
)
from intake.staff.review import internal_note_create

pytestmark = pytest.mark.django_db

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def _encrypted_values() -> int:
    """Non-null encrypted values stored, counted from the models' own fields."""
    total = 0
    for model, names in keys.encrypted_models():
        for name in names:
            total += model.objects.filter(**{f"{name}__isnull": False}).count()
    return total


def _rows() -> int:
    return sum(model.objects.count() for model, _names in keys.encrypted_models())


def _found_by_phone(phone: str) -> list[int]:
    return list(
        ScreeningRequest.objects.filter(phone_index=phone_blind_index(phone)).values_list(
            "pk", flat=True
        )
    )


def _found_by_email(email: str) -> list[int]:
    return list(
        ScreeningRequest.objects.filter(email_index=email_blind_index(email)).values_list(
            "pk", flat=True
        )
    )


@pytest.fixture
def five_requests(settings, make_request, reviewer, monkeypatch):
    """Five requests (one without a phone) and a note, under the old keys, in batches of two."""
    monkeypatch.setattr(keys, "BATCH_SIZE", 2)
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    settings.BLIND_INDEX_KEY = "the first blind index key"
    made = [make_request() for _ in range(4)]
    made.append(make_request(phone="", contact_method="email"))
    internal_note_create(screening_request=made[0], author=reviewer[0], text="Prefers mornings.")
    return made


def test_rotation_counts_every_row_and_value_and_changes_no_index_under_the_same_key(
    settings, five_requests
):
    rows, values = _rows(), _encrypted_values()
    assert rows >= 6 and values > rows  # five requests and a note, several fields each
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]

    result = encryption_keys_rotate()

    assert result == RotationResult(rows=rows, values=values, blind_indexes_changed=0)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert InternalNote.objects.get().text == "Prefers mornings."
    for screening_request in ScreeningRequest.objects.all():
        assert _found_by_phone(screening_request.phone or "none") == (
            [screening_request.pk] if screening_request.phone else []
        )


def test_a_new_blind_index_key_rebuilds_every_index_and_phone_search_works_after(
    settings, five_requests
):
    settings.BLIND_INDEX_KEY = "the second blind index key"
    assert _found_by_phone(five_requests[1].phone) == []

    result = encryption_keys_rotate()

    assert result.blind_indexes_changed == 5
    for screening_request in five_requests[:4]:
        assert _found_by_phone(screening_request.phone) == [screening_request.pk]
        assert _found_by_email(screening_request.email) == [screening_request.pk]
    no_phone = ScreeningRequest.objects.get(pk=five_requests[4].pk)
    assert no_phone.phone_index == ""
    assert _found_by_email(no_phone.email) == [no_phone.pk]
    # Run again (after an interruption, say): nothing left to change.
    assert encryption_keys_rotate().blind_indexes_changed == 0
    encryption_keys_verify()


def test_rotation_of_an_empty_database_counts_nothing():
    assert encryption_keys_rotate() == RotationResult(rows=0, values=0, blind_indexes_changed=0)


def test_the_start_up_check_reads_the_newest_request_for_the_blind_index_key(
    settings, make_request
):
    settings.BLIND_INDEX_KEY = "the first blind index key"
    make_request()
    settings.BLIND_INDEX_KEY = "the second blind index key"
    make_request()

    encryption_keys_verify()  # the newest request fits the current key
    settings.BLIND_INDEX_KEY = "the first blind index key"
    with pytest.raises(KeyMismatchError, match="BLIND_INDEX_KEY"):
        encryption_keys_verify()  # only the oldest fits: the newest decides


def test_the_start_up_check_reads_the_newest_row_for_the_encryption_key(settings, make_request):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    make_request()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    make_request()

    encryption_keys_verify()
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    with pytest.raises(KeyMismatchError, match="FIELD_ENCRYPTION_KEYS cannot decrypt"):
        encryption_keys_verify()


def test_the_start_up_check_passes_an_empty_database_but_not_a_malformed_key(settings):
    encryption_keys_verify()

    settings.FIELD_ENCRYPTION_KEYS = ["not-a-fernet-key"]
    with pytest.raises(ImproperlyConfigured, match="entry 1"):
        encryption_keys_verify()


def test_the_start_up_check_skips_a_table_not_created_yet(monkeypatch, make_request, settings):
    settings.BLIND_INDEX_KEY = "the first blind index key"
    make_request()
    settings.BLIND_INDEX_KEY = "the second blind index key"

    def missing_table(*_args, **_kwargs):
        raise DatabaseError("no such table")

    not_migrated = SimpleNamespace(objects=SimpleNamespace(order_by=missing_table))
    monkeypatch.setattr(keys, "encrypted_models", lambda: [(not_migrated, ["x"])])
    encryption_keys_verify()  # the unreadable table is skipped, not reported as a key problem

    monkeypatch.setattr(
        keys, "encrypted_models", lambda: [(not_migrated, ["x"]), (ScreeningRequest, ["email"])]
    )
    with pytest.raises(KeyMismatchError):
        encryption_keys_verify()  # and the next model is still checked


def test_encrypted_models_lists_each_model_with_its_encrypted_fields():
    found = dict(keys.encrypted_models())

    assert "email" in found[ScreeningRequest]
    assert "email_index" not in found[ScreeningRequest]
    assert found[InternalNote] == ["text"]
    assert all(names for names in found.values())


def test_rebuilding_the_indexes_reads_each_request_once_in_batches(five_requests):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        keys._rebuild_blind_indexes(RotationResult())

    reads = [q for q in queries if q["sql"].startswith("SELECT") and "screeningrequest" in q["sql"]]
    assert len(reads) == 4  # batches of 2, 2 and 1, then the empty one that ends it
