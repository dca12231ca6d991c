"""Throwaway databases for tests that need several processes on one real database."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.support import run_django


def postgres_in_use() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@contextmanager
def migrated_database(directory: Path) -> Iterator[str]:
    """A freshly migrated database URL of the kind this test run uses; dropped afterwards.

    SQLite (the default): a file in `directory`. PostgreSQL (when DATABASE_URL says so): a new
    database on the same server.
    """
    if not postgres_in_use():
        url = f"sqlite:///{directory / 'shared.sqlite3'}"
        _migrate(url)
        yield url
        return

    import psycopg

    base = urlsplit(os.environ["DATABASE_URL"])
    name = f"avyia_test_{secrets.token_hex(4)}"
    admin_url = urlunsplit(base._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = urlunsplit(base._replace(path=f"/{name}"))
        _migrate(url)
        yield url
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _migrate(url: str) -> None:
    result = run_django(args=["migrate", "--noinput", "-v0"], env={"DATABASE_URL": url})
    if result.returncode != 0:
        raise RuntimeError(f"migrate failed:\n{result.stderr}")
