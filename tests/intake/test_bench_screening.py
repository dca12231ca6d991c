"""Concurrency: patients sending at once through gunicorn with 4 workers lose nothing and see no
5xx. 16 clients share 96 requests here; `make bench` sends 500 and prints the throughput."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from tests.support import PROJECT_DIR

REQUESTS = 96


def test_concurrent_requests_through_gunicorn_are_all_stored_once():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run(
        [
            sys.executable,
            "scripts/bench_screening.py",
            "--requests",
            str(REQUESTS),
            "--clients",
            "16",
            "--workers",
            "4",
        ],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )

    output = result.stdout
    assert result.returncode == 0, output + result.stderr

    def figure(name: str) -> int:
        return int(re.search(rf"^\s+{name}:\s+(\d+)", output, re.MULTILINE).group(1))

    assert figure("posted") == REQUESTS
    assert figure("acknowledged") == REQUESTS
    assert figure("stored") == REQUESTS
    assert figure(r"unique references") == REQUESTS
    assert figure(r"server errors \(5xx\)") == 0
    expected = (
        "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    )
    assert f"16 clients, gunicorn with 4 workers, {expected}" in output
