"""Helpers for tests that need Django started afresh, e.g. under production settings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

# The PostgreSQL server the suite may create throwaway databases on (production refuses SQLite).
POSTGRES_SERVER = os.environ.get("TEST_POSTGRES_SERVER", "postgres://postgres@127.0.0.1:5432")

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "a-production-like-secret-key-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "avyia.example.org",
    "FIELD_ENCRYPTION_KEYS": "bzO6oWWcAzXEqA0dfTVyI8ywtNO8ycB_dDWsdoQ7WfA=",
    "BLIND_INDEX_KEY": "a-production-like-blind-index-key",
    "SITE_URL": "https://avyia.example.org",
    # Read, never connected to, by tests that only start Django; tests that touch the database
    # replace it with their own (postgres_database below).
    "DATABASE_URL": f"{POSTGRES_SERVER}/avyia_production_unused",
    # Nothing is sent: the tests that send mail in production mode set their own backend.
    "EMAIL_URL": "smtp://127.0.0.1:9",
    "ON_CALL_EMAIL": "on-call@avyia.test",
}


@contextmanager
def postgres_database(purpose: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test's subprocesses; dropped afterwards.

    Named after the checkout and the process, so suites run side by side never share one."""
    import psycopg

    checkout = re.sub(r"[^a-z0-9]+", "_", PROJECT_DIR.name.lower())
    name = f"avyia_{checkout}_{purpose}_{os.getpid()}"
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_SERVER}/{name}"
    finally:
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_django(
    code: str | None = None,
    *,
    args: list[str] | None = None,
    env: dict[str, str] | None = None,
    drop: tuple[str, ...] = (),
) -> subprocess.CompletedProcess:
    """Run Python code (after django.setup()) or a manage.py command in a fresh interpreter."""
    # The browser tests' async-safety switch must not leak into a check of deployment settings.
    dropped = {*drop, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env = {k: v for k, v in os.environ.items() if k not in dropped}
    full_env.update(env or {})
    if code is not None:
        command = [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
            "'avyia_site.settings'); django.setup()\n" + code,
        ]
    else:
        command = [sys.executable, "manage.py", *(args or [])]
    return subprocess.run(
        command, cwd=PROJECT_DIR, env=full_env, capture_output=True, text=True, timeout=120
    )
