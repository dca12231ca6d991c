"""Encrypted backups of the database (and the clinicians' photos), and restoring them.

An archive is a tar file (a manifest, the database, the media folder) encrypted with age
(https://age-encryption.org, the rage implementation through pyrage): age streams in 64 KB chunks,
so a large database is never held in memory whole; any archive can be opened with the standard
`age -d -i key.txt` when this code is not at hand; and a backup host may hold only the public
recipient (`BACKUP_RECIPIENT`), so it can write backups it cannot read. `BACKUP_KEY` is an age
identity (`AGE-SECRET-KEY-1...`), kept apart from the patient-data keys: restoring needs both.

PostgreSQL is dumped with `pg_dump --format=custom` and restored with `pg_restore`; SQLite is copied
with its online backup API (a consistent copy while the site writes).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyrage
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.utils import timezone

FORMAT = "avyia-backup-1"
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite3": "database.sqlite3"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class RestoreResult:
    engine: str
    created_at: str
    media_files: int


def _identity() -> pyrage.x25519.Identity:
    if not settings.BACKUP_KEY:
        raise ImproperlyConfigured("BACKUP_KEY is not set (an age identity, AGE-SECRET-KEY-1...).")
    try:
        return pyrage.x25519.Identity.from_str(settings.BACKUP_KEY.strip())
    except pyrage.IdentityError as exc:
        raise ImproperlyConfigured(
            "BACKUP_KEY is not an age identity (AGE-SECRET-KEY-1...)."
        ) from exc


def _recipient() -> pyrage.x25519.Recipient:
    if settings.BACKUP_RECIPIENT:
        try:
            return pyrage.x25519.Recipient.from_str(settings.BACKUP_RECIPIENT.strip())
        except pyrage.RecipientError as exc:
            raise ImproperlyConfigured(
                "BACKUP_RECIPIENT is not an age recipient (age1...)."
            ) from exc
    return _identity().to_public()


def backup_key_generate() -> tuple[str, str]:
    """A new BACKUP_KEY and the BACKUP_RECIPIENT that goes with it."""
    identity = pyrage.x25519.Identity.generate()
    return str(identity), str(identity.to_public())


def _engine() -> str:
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    if engine not in DATABASE_FILES:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine}.")
    return engine


def _postgres_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    # Fixed programs (pg_dump, pg_restore) with arguments from our own settings.
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:500]}")


def _dump_database(engine: str, target: Path) -> None:
    if engine == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target)], _postgres_env())
        return
    connections["default"].close()
    source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


def backup_create(*, path: Path) -> Path:
    """Write an encrypted archive of the database and the media folder to `path`."""
    recipient = _recipient()
    engine = _engine()
    with tempfile.TemporaryDirectory(prefix="avyia-backup-") as work:  # mode 0700
        work_dir = Path(work)
        database = work_dir / DATABASE_FILES[engine]
        _dump_database(engine, database)
        manifest = {"format": FORMAT, "engine": engine, "created_at": timezone.now().isoformat()}
        (work_dir / MANIFEST).write_text(json.dumps(manifest))
        plain = work_dir / "backup.tar"
        with tarfile.open(plain, "w") as tar:
            tar.add(work_dir / MANIFEST, arcname=MANIFEST)
            tar.add(database, arcname=database.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                tar.add(media, arcname=MEDIA)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        pyrage.encrypt_file(str(plain), str(partial), [recipient])
        partial.chmod(0o600)
        partial.replace(path)  # never a half-written archive under the real name
    return path


ARCHIVE_PREFIX = "avyia-"
ARCHIVE_SUFFIX = ".age"


def backup_archive_path(directory: Path, *, now: datetime) -> Path:
    """The archive's name in a backup folder: avyia-20261207-023012.age (UTC), sorting by age."""
    return directory / f"{ARCHIVE_PREFIX}{now.astimezone(UTC):%Y%m%d-%H%M%S}{ARCHIVE_SUFFIX}"


def backups_prune(*, directory: Path, keep_days: int, now: datetime) -> list[Path]:
    """Delete this folder's archives older than `keep_days` (by the time in their names); the
    newest is always kept, however old. Returns the deleted paths."""
    archives = sorted(directory.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}"))
    cutoff = now - timedelta(days=keep_days)
    deleted = []
    for archive in archives[:-1]:
        stamp = archive.name.removeprefix(ARCHIVE_PREFIX).removesuffix(ARCHIVE_SUFFIX)
        try:
            made = datetime.strptime(stamp, "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
        except ValueError:
            continue  # not one of ours: left alone
        if made < cutoff:
            archive.unlink()
            deleted.append(archive)
    return deleted


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def _restore_database(engine: str, source: Path) -> None:
    if engine == "postgresql":
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                "--dbname",
                _postgres_env()["PGDATABASE"],
                str(source),
            ],
            _postgres_env(),
        )
        return
    connections["default"].close()
    backup = sqlite3.connect(source)
    target = sqlite3.connect(settings.DATABASES["default"]["NAME"])
    try:
        backup.backup(target)
    finally:
        target.close()
        backup.close()


def backup_restore(*, path: Path) -> RestoreResult:
    """Restore an archive into the configured database, which must be empty, and its media.

    The caller runs the start-up key check afterwards (the restored data must fit the keys)."""
    identity = _identity()
    engine = _engine()
    if not _database_is_empty():
        raise BackupError(
            "The database is not empty. Restore into a new, empty database (see the README)."
        )
    with tempfile.TemporaryDirectory(prefix="avyia-restore-") as work:
        work_dir = Path(work)
        plain = work_dir / "backup.tar"
        try:
            pyrage.decrypt_file(str(path), str(plain), [identity])
        except pyrage.DecryptError as exc:
            raise BackupError(
                "BACKUP_KEY cannot open this archive: it was made with another backup key, or the "
                "file is damaged."
            ) from exc
        with tarfile.open(plain) as tar:
            tar.extractall(work_dir / "archive", filter="data")
        archive = work_dir / "archive"
        manifest = json.loads((archive / MANIFEST).read_text())
        if manifest.get("format") != FORMAT:
            raise BackupError("This is not an AVYIA backup archive.")
        if manifest["engine"] != engine:
            raise BackupError(
                f"This backup is of a {manifest['engine']} database; DATABASE_URL is {engine}."
            )
        _restore_database(engine, archive / DATABASE_FILES[engine])
        media_files = 0
        if (archive / MEDIA).is_dir():
            media_root = Path(settings.MEDIA_ROOT)
            for source in (archive / MEDIA).rglob("*"):
                if source.is_file():
                    target = media_root / source.relative_to(archive / MEDIA)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(source.read_bytes())
                    media_files += 1
    return RestoreResult(engine=engine, created_at=manifest["created_at"], media_files=media_files)
