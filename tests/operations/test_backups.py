"""`manage.py backup` / `restore`: seed, back up, drop, restore; every request reads back.

Each step is a fresh Django process, as the timer and an administrator would run it."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pyrage
import pytest
from django.conf import settings

from tests.support import POSTGRES_SERVER, PRODUCTION_ENV, postgres_database, run_django

BACKUP_KEY = str(pyrage.x25519.Identity.generate())
OTHER_BACKUP_KEY = str(pyrage.x25519.Identity.generate())

SEED = """
from django.core.management import call_command
from django.contrib.auth import get_user_model
from core.models import AuditEvent
from intake.models import ScreeningRequest
from core.audit import audit_record
call_command("migrate", verbosity=0)
call_command("seed_demo_requests", verbosity=0)
staff = get_user_model().objects.create_user("drill-reviewer", password="x" * 20)
for r in ScreeningRequest.objects.all():
    audit_record(action=AuditEvent.Action.VIEW, actor=staff, reference=r.reference)
"""

# Every request decrypted field by field, and the whole audit trail, as JSON.
SNAPSHOT = """
import json
from core.models import AuditEvent
from intake.models import ScreeningRequest
from intake.staff.keys import encrypted_models
rows = {}
for model, names in encrypted_models():
    for obj in model.objects.order_by("pk"):
        rows[f"{model.__name__}:{obj.pk}"] = [str(getattr(obj, name)) for name in names]
audit = [
    [e.occurred_at.isoformat(), e.actor_username, e.action, e.reference, e.detail,
     e.actor.username if e.actor else None]
    for e in AuditEvent.objects.order_by("pk")
]
print(json.dumps({"rows": rows, "audit": audit}))
"""


def _snapshot(env: dict[str, str]) -> dict:
    result = run_django(SNAPSHOT, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _manage(env: dict[str, str], *args: str):
    return run_django(args=list(args), env=env)


@pytest.fixture
def site_env(tmp_path):
    """A site on a fresh database of the kind the suite runs on (CI runs the suite on both), with
    its media folder."""
    media = tmp_path / "media"
    (media / "clinicians").mkdir(parents=True)
    (media / "clinicians" / "portrait.webp").write_bytes(b"RIFF-a-photo")
    env = {
        **PRODUCTION_ENV,
        "DJANGO_ENV": "local",
        "BACKUP_KEY": BACKUP_KEY,
        "DJANGO_MEDIA_ROOT": str(media),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        yield {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}"}
    else:
        with postgres_database("backup") as url:
            yield {**env, "DATABASE_URL": url}


def _drop_database(env: dict[str, str]) -> None:
    """Lose the database (and the photos) as a failed disk would."""
    url = env["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    else:
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    photo = Path(env["DJANGO_MEDIA_ROOT"]) / "clinicians" / "portrait.webp"
    photo.unlink(missing_ok=True)


def test_the_restore_drill(site_env, tmp_path):
    """Seed, back up from a host holding only the public recipient, drop, restore; on the way,
    every way a restore can go wrong is refused with a message saying so."""
    identity = pyrage.x25519.Identity.from_str(BACKUP_KEY)
    backup_host = {**site_env, "BACKUP_KEY": "", "BACKUP_RECIPIENT": str(identity.to_public())}
    seeded = run_django(SEED, env=site_env)
    assert seeded.returncode == 0, seeded.stderr
    before = _snapshot(site_env)
    assert len(before["rows"]) > 20 and len(before["audit"]) > 20
    archive = tmp_path / "backups" / "avyia.age"

    backed_up = _manage(backup_host, "backup", str(archive))
    assert backed_up.returncode == 0, backed_up.stderr

    # Encrypted: nothing of the database shows, and only its owner may read the file.
    data = archive.read_bytes()
    assert data.startswith(b"age-encryption.org/v1\n")
    assert b"PGDMP" not in data and b"SQLite format" not in data
    assert not any(event[3].encode() in data for event in before["audit"])
    assert archive.stat().st_mode & 0o777 == 0o600

    not_empty = _manage(site_env, "restore", str(archive))
    assert not_empty.returncode != 0 and "The database is not empty" in not_empty.stderr
    assert _snapshot(site_env) == before

    _drop_database(site_env)
    without_key = _manage(backup_host, "restore", str(archive))
    assert without_key.returncode != 0 and "BACKUP_KEY is not set" in without_key.stderr
    wrong_key = _manage({**site_env, "BACKUP_KEY": OTHER_BACKUP_KEY}, "restore", str(archive))
    assert wrong_key.returncode != 0
    assert "BACKUP_KEY cannot open this archive" in wrong_key.stderr

    other_data_key = "Vq7M0kKJm2mB3rX8lJq3y5Yw0s6o9Zc1d2e3f4g5h6I="
    mismatch = _manage(
        {**site_env, "FIELD_ENCRYPTION_KEYS": other_data_key}, "restore", str(archive)
    )
    assert mismatch.returncode != 0
    assert "the keys do not fit the data" in mismatch.stderr
    assert "FIELD_ENCRYPTION_KEYS cannot decrypt" in mismatch.stderr

    _drop_database(site_env)
    restored = _manage(site_env, "restore", str(archive))

    assert restored.returncode == 0, restored.stderr
    assert "the patient-data keys fit the data" in restored.stdout
    assert _snapshot(site_env) == before
    photo = Path(site_env["DJANGO_MEDIA_ROOT"]) / "clinicians" / "portrait.webp"
    assert photo.read_bytes() == b"RIFF-a-photo"
