"""A database that stops taking writes: every step answers like the check page (the calm 503 with
the answers typed), and the site recovers at the next request once writes work again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.db import connection

from intake.models import ScreeningDraft, ScreeningRequest
from tests.support import run_django

from .databases import migrated_database
from .screening_support import draft_started, step_posts, valid_answers

# One connection's own state; on PostgreSQL it applies to the transactions that begin after it.
READ_ONLY = {
    "sqlite": "PRAGMA query_only = ON",
    "postgresql": "SET default_transaction_read_only = on",
}
WRITABLE = {
    "sqlite": "PRAGMA query_only = OFF",
    "postgresql": "SET default_transaction_read_only = off",
}


def _set(statements: dict[str, str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statements[connection.vendor])


def shows_answer(page: BeautifulSoup, name: str, value: object) -> bool:
    """Whether the page's form holds `value` for `name` as the patient typed or chose it."""
    for one in map(str, value if isinstance(value, list) else [value]):
        field = page.select_one(f'input[name="{name}"][value="{one}"]')
        if field is not None and field.get("type") in {"radio", "checkbox"}:
            if not field.has_attr("checked"):
                return False
        elif field is None:
            area = page.select_one(f'textarea[name="{name}"]')
            chosen = page.select_one(f'select[name="{name}"] option[value="{one}"][selected]')
            if chosen is None and (area is None or area.text.strip() != one):
                return False
    return True


@pytest.mark.django_db(transaction=True)
def test_every_step_gives_the_calm_503_with_the_answers_typed_when_writes_fail(client):
    posts = step_posts(valid_answers())[:-1]
    for number, (url, fields) in enumerate(posts):
        steps_done = ScreeningDraft.objects.values_list("steps_done", flat=True).first()
        _set(READ_ONLY)
        try:
            refused = client.post(url, fields)
        finally:
            _set(WRITABLE)

        page = BeautifulSoup(refused.content.decode(), "html.parser")
        assert refused.status_code == 503, url
        assert int(refused["Retry-After"]) > 0
        assert "no-store" in refused["Cache-Control"]
        assert "We could not save your request just now" in page.select_one("main").get_text()
        for name, value in fields.items():
            if name != "website" and value not in ("", []):
                assert shows_answer(page, name, value), (url, name)
        assert ScreeningDraft.objects.values_list("steps_done", flat=True).first() == steps_done
        assert client.post(url, fields).status_code == 302, url
        if number == 0:
            draft_started(client, seconds_ago=60)
    assert len(ScreeningDraft.objects.get().steps_done) == len(posts)
    assert not ScreeningRequest.objects.exists()


# In a fresh interpreter on a database of its own (a file, for SQLite), so closing a connection
# really closes it: a request that found the database read-only, then Django's end of request
# (which the test client leaves out), then the same request again on a new connection.
RECOVERY = """
import json
from django.db import close_old_connections, connection
from django.test import Client
from tests.intake.screening_support import draft_started, step_posts, valid_answers
from tests.intake.test_database_outage import READ_ONLY

def answered_read_only_then_again(send):
    with connection.cursor() as cursor:
        cursor.execute(READ_ONLY[connection.vendor])  # as a connection opened read-only stays
    first = send().status_code
    close_old_connections()
    return [first, send().status_code]

client = Client()
statuses = {"/healthz": answered_read_only_then_again(lambda: client.get("/healthz"))}
for number, (url, fields) in enumerate(step_posts(valid_answers())):
    statuses[url] = answered_read_only_then_again(lambda: client.post(url, fields))
    if number == 0:
        draft_started(client, seconds_ago=60)
print(json.dumps(statuses))
"""


def test_a_worker_writes_again_at_its_next_request_once_the_database_does(tmp_path: Path):
    with migrated_database(tmp_path) as url:
        run = run_django(
            RECOVERY,
            env={
                "DATABASE_URL": url,
                "DJANGO_ALLOWED_HOSTS": "testserver",
                "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            },
        )

    assert run.returncode == 0, run.stderr
    statuses = json.loads(run.stdout.strip().splitlines()[-1])
    assert statuses.pop("/healthz") == [503, 200]
    assert len(statuses) == len(step_posts(valid_answers()))
    assert all(pair == [503, 302] for pair in statuses.values()), statuses
