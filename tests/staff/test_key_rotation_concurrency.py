"""Key rotation on a live site: a nurse's save made while a batch is rotated is kept.

PostgreSQL only: there a batch's rows are locked from its read to its write. On SQLite the
batch's transaction holds the database's one write lock from its start (IMMEDIATE), so no save
can come in between by construction.
"""

from __future__ import annotations

import threading

import pytest
from cryptography.fernet import Fernet
from django.db import connection, models
from django.db.models.functions import Cast

from intake.models import ScreeningRequest
from intake.staff import keys
from intake.staff.keys import encryption_keys_rotate

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises every write transaction"
    ),
]

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
NEW_PHONE = "+12065550199"


def _stored_token(screening_request: ScreeningRequest) -> str:
    return (
        ScreeningRequest.objects.filter(pk=screening_request.pk)
        .annotate(raw=Cast("phone", output_field=models.TextField()))
        .values_list("raw", flat=True)
        .get()
    )


def test_a_phone_number_saved_while_its_row_is_rotated_is_kept(settings, make_request, monkeypatch):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    screening_request = make_request()
    old_token = _stored_token(screening_request)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    saved = threading.Event()
    nurse = threading.Thread(target=lambda: _nurse_saves(screening_request.pk, saved))
    rotate_text = keys.rotate_text

    def rotate_while_a_nurse_saves(token: str) -> str:
        if token == old_token and not nurse.is_alive() and not saved.is_set():
            nurse.start()
            # The row is locked: her save waits for this batch to commit.
            assert not saved.wait(0.5)
        return rotate_text(token)

    monkeypatch.setattr(keys, "rotate_text", rotate_while_a_nurse_saves)
    encryption_keys_rotate()
    nurse.join(10)

    assert saved.is_set()
    assert ScreeningRequest.objects.get(pk=screening_request.pk).phone == NEW_PHONE


def _nurse_saves(pk: int, saved: threading.Event) -> None:
    try:
        ScreeningRequest.objects.filter(pk=pk).update(phone=NEW_PHONE)
    finally:
        connection.close()  # this thread's own connection
        saved.set()
