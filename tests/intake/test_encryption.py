"""Encryption at rest: field round trips, key rotation, wrong keys, blind indexes, raw storage."""

from __future__ import annotations

import datetime
import json
import textwrap
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connection

from intake.crypto import (
    DecryptionError,
    blind_index,
    decrypt_text,
    email_blind_index,
    encrypt_text,
    multi_fernet,
    phone_blind_index,
    rotate_text,
)
from intake.models import ScreeningRequest
from tests.support import run_django

from .screening_support import PATIENT, post_screening

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
ENCRYPTED_COLUMNS = [
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "phone",
    "zip_code",
    "county",
    "contact_method",
    "contact_time",
    "how_heard",
    "answers",
]


def test_text_round_trips_and_the_token_hides_the_text(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    token = encrypt_text("Zoë Quenneville, 98103")

    assert "Quenneville" not in token
    assert token.startswith("gAAAA")
    assert decrypt_text(token) == "Zoë Quenneville, 98103"


def test_the_same_text_encrypts_differently_each_time(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    assert encrypt_text("same") != encrypt_text("same")


def test_an_old_key_second_in_the_list_still_decrypts(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    old_token = encrypt_text("written under the old key")

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]

    assert decrypt_text(old_token) == "written under the old key"
    assert Fernet(NEW_KEY.encode()).extract_timestamp(encrypt_text("x").encode())  # new key writes


def test_rotation_re_encrypts_under_the_newest_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    old_token = encrypt_text("rotate me")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]

    rotated = rotate_text(old_token)

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert decrypt_text(rotated) == "rotate me"
    with pytest.raises(DecryptionError):
        decrypt_text(old_token)


def test_a_wrong_key_raises_a_clear_error_not_ciphertext(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    token = encrypt_text("secret")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    with pytest.raises(DecryptionError, match="FIELD_ENCRYPTION_KEYS"):
        decrypt_text(token)


def test_a_malformed_key_names_its_position_but_never_the_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, "not-a-fernet-key"]

    with pytest.raises(ImproperlyConfigured) as excinfo:
        multi_fernet()

    assert "entry 2" in str(excinfo.value)
    assert "not-a-fernet-key" not in str(excinfo.value)


@pytest.mark.django_db
def test_a_stored_request_reads_back_decrypted_and_its_columns_hold_only_tokens(client):
    post_screening(client)
    stored = ScreeningRequest.objects.get()

    assert stored.first_name == PATIENT["first_name"]
    assert stored.last_name == PATIENT["last_name"]
    assert stored.date_of_birth == datetime.date(1979, 4, 23)
    assert stored.email == PATIENT["email"]
    assert stored.phone == PATIENT["phone_e164"]
    assert stored.zip_code == PATIENT["zip_code"]
    assert stored.county == "King"
    assert stored.answers["values"]["current_medicines"] == PATIENT["current_medicines"]

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(ENCRYPTED_COLUMNS)} FROM intake_screeningrequest"  # noqa: S608
        )
        raw = cursor.fetchone()
    for column, value in zip(ENCRYPTED_COLUMNS, raw, strict=True):
        assert value.startswith("gAAAA"), column
        assert decrypt_text(value)  # a real token under the current key


@pytest.mark.django_db
def test_no_patient_text_is_stored_in_plain_in_any_column(client):
    post_screening(client)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM intake_screeningrequest")
        row = " ".join(str(value) for value in cursor.fetchone())

    assert ScreeningRequest.objects.get().reference in row  # the scan sees plain columns
    for secret in _patient_strings():
        assert secret.lower() not in row.lower(), secret


@pytest.mark.django_db
def test_loading_a_request_with_the_wrong_key_raises_instead_of_showing_ciphertext(
    client, settings
):
    post_screening(client)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    with pytest.raises(DecryptionError):
        ScreeningRequest.objects.get()
    # The plain columns the queue needs still load without touching encrypted ones.
    assert ScreeningRequest.objects.only("reference", "priority").get().priority


@pytest.mark.django_db
def test_encrypted_fields_cannot_be_searched_except_for_null():
    with pytest.raises(FieldError, match="blind index"):
        ScreeningRequest.objects.filter(email="a@example.org").count()
    with pytest.raises(FieldError):
        ScreeningRequest.objects.filter(last_name__icontains="quen").count()

    assert ScreeningRequest.objects.filter(email__isnull=False).count() == 0


@pytest.mark.django_db
def test_staff_find_a_request_by_exact_email_or_phone_through_the_blind_index(client):
    post_screening(client)

    by_email = ScreeningRequest.objects.filter(
        email_index=email_blind_index("  marisol.QUENNEVILLE@example.com ")
    )
    by_phone = ScreeningRequest.objects.filter(phone_index=phone_blind_index("206.555.0187"))

    assert by_email.count() == 1
    assert by_phone.count() == 1
    assert not ScreeningRequest.objects.filter(
        email_index=email_blind_index("someone.else@example.com")
    ).exists()


def test_blind_indexes_normalise_and_depend_on_the_key(settings):
    settings.BLIND_INDEX_KEY = "first-key"
    first = email_blind_index("Ann@Example.org")

    assert first == email_blind_index(" ann@example.org ")
    assert phone_blind_index("+1 (206) 555-0187") == phone_blind_index("2065550187")
    assert phone_blind_index("not a phone") is None
    assert "ann" not in first
    assert len(first) == 64
    assert blind_index("same", key="k1") != blind_index("same", key="k2")

    settings.BLIND_INDEX_KEY = "second-key"
    assert email_blind_index("ann@example.org") != first


def _patient_strings() -> list[str]:
    return [
        PATIENT["first_name"],
        PATIENT["last_name"],
        PATIENT["email"],
        PATIENT["phone_e164"],
        "2065550187",
        "555-0187",
        "1979-04-23",
        PATIENT["current_medicines"],
        "zanzibar-tea",
        PATIENT["pain_condition_other"],
        PATIENT["treatment_other"],
        "98103",
    ]


SUBMIT_THROUGH_THE_VIEW = textwrap.dedent(
    """
    import json
    from django.test import Client
    from intake.models import ScreeningRequest
    from tests.intake.screening_support import post_screening

    client = Client()
    assert client.get("/screening/").status_code == 200
    response = post_screening(client)
    assert response.status_code == 302, response.status_code
    assert response["Location"] == "/screening/received/"
    print(json.dumps({"reference": ScreeningRequest.objects.get().reference}))
    """
)


def test_a_copy_of_the_database_file_reveals_no_name_contact_or_free_text(tmp_path: Path):
    database = tmp_path / "copy.sqlite3"
    env = {
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SCREENING_MIN_FILL_SECONDS": "0",
    }
    migrated = run_django(args=["migrate", "--noinput", "-v0"], env=env)
    assert migrated.returncode == 0, migrated.stderr

    submitted = run_django(SUBMIT_THROUGH_THE_VIEW, env=env)
    assert submitted.returncode == 0, submitted.stderr

    reference = json.loads(submitted.stdout.strip().splitlines()[-1])["reference"]
    files = [p for p in tmp_path.iterdir() if p.name.startswith("copy.sqlite3")]
    raw = b"".join(p.read_bytes() for p in files)
    assert reference.encode() in raw  # the scan does see what is stored in plain
    for secret in _patient_strings():
        for spelling in {secret, secret.lower(), secret.upper()}:
            assert spelling.encode() not in raw, secret
