#!/usr/bin/env python3
"""Load test for the screening form: many patients at once, through gunicorn, on a real database.

Starts gunicorn (4 workers by default) on a fresh database (a SQLite file, or a new PostgreSQL
database when DATABASE_URL points at PostgreSQL), then has 16 concurrent clients each fetch a
freshly served form and post a valid request (CSRF cookie and token, one-time form token), follow
the redirect and read the reference. It prints the throughput and checks that every request was
acknowledged, that exactly that many were stored, and that no response was a server error.

    .venv/bin/python scripts/bench_screening.py                 # 500 requests, 16 clients
    .venv/bin/python scripts/bench_screening.py --requests 2000 --clients 32 --workers 8

Exits 1 when any request was lost, duplicated or answered with a 5xx.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

PROJECT_DIR = Path(__file__).resolve().parent.parent
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE_RE = re.compile(r'class="reference-box__code">([^<]+)<')


def answers(routine: dict[str, object], number: int) -> dict[str, object]:
    """A complete, valid screening request; each one a different (fictitious) patient."""
    return {
        **routine,
        "pain_conditions": ["fibromyalgia", "back_neck"],
        "peg_pain": str(number % 11),
        "current_medicines": f"test medicine {number}",
        "phq2_down": str(number % 4),
        "first_name": "Bench",
        "last_name": f"Patient{number}",
        "date_of_birth": "1975-06-15",
        "email": f"bench.patient{number}@example.org",
        "phone": f"(206) 555-{number % 10000:04d}",
        "zip_code": ("98101", "98402", "98201", "99201")[number % 4],
        "contact_method": "email",
        "contact_time": "any",
        "website": "",
    }


# --- The server and its database ----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def django_env(base: dict[str, str], **extra: str) -> dict[str, str]:
    env = {k: v for k, v in base.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(extra)
    return env


def run_manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


@contextmanager
def fresh_database(workdir: Path, database_url: str):
    """A new, empty database: a SQLite file, or a new database on the PostgreSQL server."""
    if not database_url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{workdir / 'bench.sqlite3'}", "SQLite"
        return
    import psycopg

    base = urlsplit(database_url)
    name = f"avyia_bench_{secrets.token_hex(4)}"
    admin_url = urlunsplit(base._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(base._replace(path=f"/{name}")), "PostgreSQL"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def gunicorn(env: dict[str, str], workers: int, log_path: Path):
    port = free_port()
    server_env = dict(
        env,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(workers),
        GUNICORN_LOG_LEVEL="warning",
        GUNICORN_MAX_REQUESTS="0",
    )
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
            cwd=PROJECT_DIR,
            env=server_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise SystemExit(f"gunicorn exited early; see {log_path}")
                try:
                    if requests.get(base_url + "/healthz", timeout=10).status_code == 200:
                        break
                except requests.RequestException:
                    # Still starting (refused) or slow to boot on a busy machine (timed out).
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not answer /healthz within 60 s")
                time.sleep(0.2)
            # Warm every worker (imports, ZIP data) so the timing measures steady state.
            with ThreadPoolExecutor(workers * 2) as pool:
                warm = [base_url + "/screening/"] * (workers * 4)
                list(pool.map(lambda url: requests.get(url, timeout=60), warm))
            yield base_url
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- The patients -------------------------------------------------------------------------------


@dataclass
class Outcome:
    statuses: list[int] = field(default_factory=list)
    acknowledged: int = 0
    references: list[str] = field(default_factory=list)
    post_seconds: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def one_patient(
    base_url: str, pages: list, routine: dict[str, object], number: int, outcome: Outcome
) -> None:
    """One patient's whole request: every step, the check page, then the confirmation."""
    statuses: list[int] = []
    data = answers(routine, number)
    with requests.Session() as session:
        try:
            form = session.get(base_url + "/screening/", timeout=60)
            statuses.append(form.status_code)
            csrf = CSRF_RE.search(form.text)
            if form.status_code != 200 or not csrf:
                raise RuntimeError(f"form page answered {form.status_code}")
            started = time.perf_counter()
            for url, names in pages:
                fields = {name: data[name] for name in names if name in data}
                posted = session.post(
                    base_url + url,
                    data={**fields, "csrfmiddlewaretoken": csrf.group(1)},
                    headers={"Referer": base_url + url},
                    allow_redirects=False,
                    timeout=60,
                )
                statuses.append(posted.status_code)
                if posted.status_code != 302:
                    raise RuntimeError(f"{url} answered {posted.status_code}")
            post_seconds = time.perf_counter() - started
            location = posted.headers.get("Location", "")
            if location != "/screening/received/":
                raise RuntimeError(f"the check page sent the patient to {location}")
            confirmation = session.get(base_url + location, timeout=60)
            statuses.append(confirmation.status_code)
            reference = REFERENCE_RE.search(confirmation.text)
            if confirmation.status_code != 200 or not reference:
                raise RuntimeError(f"confirmation answered {confirmation.status_code}")
        except Exception as exc:
            with outcome.lock:
                outcome.problems.append(f"patient {number}: {exc}")
                outcome.statuses.extend(statuses)
            return
        with outcome.lock:
            outcome.statuses.extend(statuses)
            outcome.acknowledged += 1
            outcome.references.append(reference.group(1).strip())
            outcome.post_seconds.append(post_seconds)


def django_print(env: dict[str, str], code: str) -> str:
    """The last line a snippet prints with Django set up (the project's own settings)."""
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=PROJECT_DIR,
        env=dict(env, DJANGO_SETTINGS_MODULE="avyia_site.settings"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        raise SystemExit(f"{code} failed:\n{result.stderr}")
    return result.stdout.strip().splitlines()[-1]


def stored_count(env: dict[str, str]) -> int:
    return int(
        django_print(
            env, "from intake.models import ScreeningRequest as R; print(R.objects.count())"
        )
    )


def request_pages(env: dict[str, str]) -> list:
    """Each page a patient posts to, with the questions it asks, read from the questionnaire."""
    code = (
        "import json; from intake import journey as j; "
        "pages = [(j.step_url(s), [q.name for q in s.questions]) for s in j.steps()]; "
        "pages.append((j.check_url(), [q.name for q in j.final_section().questions])); "
        "print(json.dumps(pages))"
    )
    return json.loads(django_print(env, code))


def routine_answers(env: dict[str, str]) -> dict[str, object]:
    """Every question answered so that nothing is flagged, read from the questionnaire."""
    code = "import json; from intake.demo import routine_answers as r; print(json.dumps(r()))"
    return json.loads(django_print(env, code))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=500, help="screening requests to post")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="a PostgreSQL URL to bench on a new database on that server; SQLite otherwise",
    )
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="avyia-bench-"))
    try:
        with fresh_database(workdir, options.database_url) as (database_url, database_kind):
            env = django_env(
                dict(os.environ),
                DATABASE_URL=database_url,
                SCREENING_RATE_LIMIT="off",
                SCREENING_DRAFT_RATE_LIMIT="off",
                SCREENING_MIN_FILL_SECONDS="0",
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            )
            # Its own collected files: a stale shared copy would serve an old manifest.
            env["DJANGO_STATIC_ROOT"] = str(workdir / "static")
            run_manage(env, "collectstatic", "--noinput", "-v0")
            run_manage(env, "migrate", "--noinput", "-v0")

            print(
                f"Screening form load test: {options.requests} requests from "
                f"{options.clients} clients, gunicorn with {options.workers} workers, "
                f"{database_kind}."
            )
            outcome = Outcome()
            routine = routine_answers(env)
            pages = request_pages(env)
            with gunicorn(env, options.workers, workdir / "gunicorn.log") as base_url:
                started = time.perf_counter()
                with ThreadPoolExecutor(options.clients) as pool:
                    for number in range(options.requests):
                        pool.submit(one_patient, base_url, pages, routine, number, outcome)
                elapsed = time.perf_counter() - started
            stored = stored_count(env)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    server_errors = sum(1 for status in outcome.statuses if status >= 500)
    unique_references = len(set(outcome.references))
    timings = sorted(outcome.post_seconds) or [0.0]
    print(f"  elapsed:              {elapsed:.2f} s")
    rate = options.requests / elapsed
    print(f"  throughput:           {rate:.1f} requests/s (every step, then confirmation)")
    print(f"  HTTP responses:       {len(outcome.statuses) / elapsed:.1f} /s")
    print(
        f"  steps + send latency: median {statistics.median(timings) * 1000:.0f} ms, "
        f"p95 {timings[int(len(timings) * 0.95) - 1] * 1000:.0f} ms, "
        f"max {timings[-1] * 1000:.0f} ms"
    )
    print(f"  posted:               {options.requests}")
    print(f"  acknowledged:         {outcome.acknowledged}")
    print(f"  stored:               {stored}")
    print(f"  unique references:    {unique_references}")
    print(f"  server errors (5xx):  {server_errors}")
    for problem in outcome.problems[:10]:
        print(f"  problem: {problem}")

    ok = (
        outcome.acknowledged == options.requests
        and stored == options.requests
        and unique_references == options.requests
        and server_errors == 0
    )
    print("  result:               " + ("OK" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
