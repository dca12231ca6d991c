"""Patient-data keys: rotation, blind-index rebuild, and refusing to start with the wrong key."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from intake.crypto import DecryptionError
from intake.models import InternalNote, ScreeningRequest
from intake.staff.keys import KeyMismatchError, encryption_keys_verify
from intake.staff.review import internal_note_create
from tests.support import PRODUCTION_ENV, postgres_database, run_django

from .support import QUEUE

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
FIELDS = ["first_name", "last_name", "date_of_birth", "email", "phone", "zip_code", "answers"]


def _raw(table: str, columns: list[str]) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")  # noqa: S608
        return cursor.fetchone()


@pytest.fixture
def stored_under_old_key(settings, make_request, reviewer):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    screening_request = make_request(current_medicines="duloxetine 60 mg")
    internal_note_create(
        screening_request=screening_request, author=reviewer[0], text="Prefers mornings."
    )
    return ScreeningRequest.objects.get(pk=screening_request.pk)


def test_rotation_moves_every_value_to_the_newest_key(settings, stored_under_old_key):
    before = _raw("intake_screeningrequest", FIELDS)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(DecryptionError):
        ScreeningRequest.objects.get()  # the new key alone cannot read old data yet

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert ScreeningRequest.objects.get().email == stored_under_old_key.email  # old key still reads
    call_command("rotate_encryption_keys", stdout=None)

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]  # the old key is gone
    after = ScreeningRequest.objects.get()
    for field in FIELDS:
        assert getattr(after, field) == getattr(stored_under_old_key, field), field
    assert InternalNote.objects.get().text == "Prefers mornings."
    new_fernet = Fernet(NEW_KEY.encode())
    for old_token, new_token in zip(before, _raw("intake_screeningrequest", FIELDS), strict=True):
        assert new_token != old_token
        new_fernet.decrypt(new_token.encode())  # each value now opens with the new key alone
    new_fernet.decrypt(_raw("intake_internalnote", ["text"])[0].encode())


def test_rotation_without_the_old_key_stops_and_says_why(settings, stored_under_old_key):
    from django.core.management.base import CommandError

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    with pytest.raises(CommandError, match="Keep every old key"):
        call_command("rotate_encryption_keys")


def test_a_new_blind_index_key_needs_a_rebuild_before_search_works_again(
    settings, make_request, reviewer_client
):
    settings.BLIND_INDEX_KEY = "the first blind index key"
    screening_request = make_request()
    settings.BLIND_INDEX_KEY = "the second blind index key"

    def found() -> list[str]:
        # The queue's search form posts the term, which comes back as its blind index.
        response = reviewer_client.post(
            QUEUE + "search/", {"q": screening_request.email}, follow=True
        )
        return [r.reference for r in response.context["cl"].result_list]

    assert found() == []
    with pytest.raises(KeyMismatchError, match="BLIND_INDEX_KEY"):
        encryption_keys_verify()

    call_command("rotate_encryption_keys")

    assert found() == [screening_request.reference]
    encryption_keys_verify()


# --- Start-up -------------------------------------------------------------------------------------

STORE_ONE_REQUEST = """
from django.core.management import call_command
from intake.demo import demo_request_create
call_command("migrate", verbosity=0)
demo_request_create(1)
"""


@pytest.fixture(scope="module")
def database_with_a_request():
    with postgres_database("keys") as url:
        env = {
            **PRODUCTION_ENV,
            "DJANGO_ENV": "local",
            "DATABASE_URL": url,
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        created = run_django(STORE_ONE_REQUEST, env=env)
        assert created.returncode == 0, created.stderr
        yield {**env, "DJANGO_ENV": "production"}


def test_production_refuses_to_start_with_a_wrong_encryption_key(database_with_a_request):
    env = {**database_with_a_request, "FIELD_ENCRYPTION_KEYS": NEW_KEY}

    started = run_django("import avyia_site.wsgi", env=env)

    assert started.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS cannot decrypt the stored patient data" in started.stderr
    assert "gAAAA" not in started.stderr + started.stdout  # never ciphertext shown as data


def test_production_refuses_to_start_with_a_changed_blind_index_key(database_with_a_request):
    env = {**database_with_a_request, "BLIND_INDEX_KEY": "a different blind index key"}

    started = run_django("import avyia_site.wsgi", env=env)

    assert started.returncode != 0
    assert "rotate_encryption_keys" in started.stderr


def test_production_starts_with_the_right_keys(database_with_a_request):
    started = run_django("import avyia_site.wsgi; print('started')", env=database_with_a_request)

    assert started.returncode == 0, started.stderr
    assert started.stdout.strip().endswith("started")


def test_the_loaded_site_holds_the_zip_index_and_no_database_connection(database_with_a_request):
    # gunicorn forks its workers from the process that loaded avyia_site.wsgi (preload_app): a
    # connection left open by the key check would be shared by every worker.
    started = run_django(
        "import avyia_site.wsgi\n"
        "from django.db import connection\n"
        "from pages.service_area import _zip_index\n"
        "print(connection.connection is None, _zip_index.cache_info().currsize)",
        env=database_with_a_request,
    )

    assert started.returncode == 0, started.stderr
    assert started.stdout.split() == ["True", "1"]


def test_the_database_check_reports_a_wrong_key_before_migrate_or_make_run(
    database_with_a_request,
):
    env = {**database_with_a_request, "DJANGO_ENV": "local", "FIELD_ENCRYPTION_KEYS": NEW_KEY}

    checked = run_django(args=["check", "--database", "default"], env=env)
    migrated = run_django(args=["migrate", "--noinput"], env=env)

    assert checked.returncode != 0
    assert "intake.E001" in checked.stderr
    assert migrated.returncode != 0
    assert "intake.E001" in migrated.stderr
