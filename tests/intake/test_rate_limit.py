"""The per-address rate limit: parsing, windows, and exactness across processes."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from intake.crypto import client_address_hash
from intake.models import ScreeningRateWindow
from intake.services import ScreeningRateLimited, parse_rate, screening_rate_limit_check
from tests.support import PROJECT_DIR

from .databases import migrated_database


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5/hour", (5, timedelta(hours=1))),
        ("10/minute", (10, timedelta(minutes=1))),
        ("3/15minutes", (3, timedelta(minutes=15))),
        ("100 / day", (100, timedelta(days=1))),
        ("off", None),
        ("OFF", None),
    ],
)
def test_rates_are_read_from_the_setting(text, expected):
    assert parse_rate(text) == expected


@pytest.mark.parametrize("text", ["five per hour", "5/fortnight", "5"])
def test_a_malformed_rate_is_refused_clearly(text):
    with pytest.raises(ValueError, match="SCREENING_RATE_LIMIT"):
        parse_rate(text)


@pytest.mark.django_db
def test_the_count_starts_again_in_the_next_window_and_old_windows_are_forgotten(settings):
    settings.SCREENING_RATE_LIMIT = "2/hour"
    key = client_address_hash("192.0.2.1")
    start = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)

    screening_rate_limit_check(address_hash=key, now=start + timedelta(minutes=1))
    screening_rate_limit_check(address_hash=key, now=start + timedelta(minutes=50))
    with pytest.raises(ScreeningRateLimited) as limited:
        screening_rate_limit_check(address_hash=key, now=start + timedelta(minutes=55))
    assert limited.value.retry_after == 5 * 60

    screening_rate_limit_check(address_hash=key, now=start + timedelta(hours=1, minutes=1))

    assert list(ScreeningRateWindow.objects.values_list("window_start", "count")) == [
        (start + timedelta(hours=1), 1)
    ]


@pytest.mark.django_db
def test_a_refused_request_does_not_add_to_the_count(settings):
    settings.SCREENING_RATE_LIMIT = "1/hour"
    key = client_address_hash("192.0.2.2")

    screening_rate_limit_check(address_hash=key)
    for _ in range(3):
        with pytest.raises(ScreeningRateLimited):
            screening_rate_limit_check(address_hash=key)

    assert ScreeningRateWindow.objects.get().count == 1


CLIENT = textwrap.dedent(
    """
    import json, sys, time
    from django.test import Client
    from tests.intake.screening_support import post_screening

    start_at, attempts = float(sys.argv[1]), int(sys.argv[2])
    client = Client()
    time.sleep(max(0.0, start_at - time.time()))
    statuses = [
        post_screening(client, remote_addr="198.51.100.77").status_code for _ in range(attempts)
    ]
    print(json.dumps(statuses))
    """
)

COUNT = textwrap.dedent(
    """
    import json
    from intake.models import ScreeningRateWindow, ScreeningRequest
    print(json.dumps({
        "requests": ScreeningRequest.objects.count(),
        "window_counts": list(ScreeningRateWindow.objects.values_list("count", flat=True)),
    }))
    """
)


def _django(code: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    command = [
        sys.executable,
        "-c",
        "import sys, django, os; sys.path.insert(0, os.getcwd()); "
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'avyia_site.settings'); "
        "django.setup()\n" + code,
        *args,
    ]
    return subprocess.run(
        command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=180
    )


def test_the_limit_holds_exactly_across_two_processes(tmp_path: Path):
    import os

    with migrated_database(tmp_path) as url:
        env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DATABASE_URL": url,
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            # Windows are fixed; a day-long one keeps a run from straddling a window boundary.
            "SCREENING_RATE_LIMIT": "5/day",
            "SCREENING_MIN_FILL_SECONDS": "0",
        }
        start_at = str(time.time() + 4)  # both processes begin posting at the same moment
        with ThreadPoolExecutor(2) as pool:
            runs = list(pool.map(lambda _: _django(CLIENT, start_at, "6", env=env), range(2)))
        counted = _django(COUNT, env=env)

    for run in runs:
        assert run.returncode == 0, run.stderr
    statuses = [s for run in runs for s in json.loads(run.stdout.strip().splitlines()[-1])]
    assert len(statuses) == 12
    assert statuses.count(302) == 5
    assert statuses.count(429) == 7
    assert counted.returncode == 0, counted.stderr
    assert json.loads(counted.stdout.strip().splitlines()[-1]) == {
        "requests": 5,
        "window_counts": [5],
    }


# --- Switches, windows and boundaries ---------------------------------------------------------


@pytest.mark.parametrize("text", ["off", " Off ", "none", "NONE", "0", "", "   "])
def test_every_off_spelling_turns_the_limit_off(text):
    assert parse_rate(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5/hours", (5, timedelta(hours=1))),
        (" 5 / 2 Hours ", (5, timedelta(hours=2))),
        ("7/30seconds", (7, timedelta(seconds=30))),
        ("1/DAY", (1, timedelta(days=1))),
    ],
)
def test_plural_case_and_multiples_are_read(text, expected):
    assert parse_rate(text) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["off", "0", ""])
def test_with_the_limit_off_nothing_is_counted_or_refused(settings, text):
    settings.SCREENING_RATE_LIMIT = text
    key = client_address_hash("192.0.2.3")

    for _ in range(20):
        screening_rate_limit_check(address_hash=key)

    assert not ScreeningRateWindow.objects.exists()


@pytest.mark.parametrize(
    ("now", "period", "start"),
    [
        (datetime(2026, 3, 1, 10, 59, 59, 999000, tzinfo=UTC), 3600, datetime(2026, 3, 1, 10, 0)),
        (datetime(2026, 3, 1, 11, 0, tzinfo=UTC), 3600, datetime(2026, 3, 1, 11, 0)),
        (datetime(2026, 3, 1, 10, 44, 10, tzinfo=UTC), 900, datetime(2026, 3, 1, 10, 30)),
        (datetime(2026, 3, 1, 23, 59, tzinfo=UTC), 86400, datetime(2026, 3, 1, 0, 0)),
    ],
)
def test_windows_start_on_whole_periods_in_utc(now, period, start):
    from intake.services import _window_start

    assert _window_start(now, timedelta(seconds=period)) == start.replace(tzinfo=UTC)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("after_start", "retry_after"),
    [
        (timedelta(minutes=55, milliseconds=500), 5 * 60),  # 299.5 s left: rounded up
        (timedelta(minutes=59, seconds=59, milliseconds=800), 1),  # 0.2 s left: one second
        (timedelta(minutes=30), 30 * 60),
        (timedelta(seconds=1), 3599),
    ],
)
def test_retry_after_rounds_the_time_left_in_the_window_up(settings, after_start, retry_after):
    settings.SCREENING_RATE_LIMIT = "1/hour"
    key = client_address_hash("192.0.2.4")
    start = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)

    screening_rate_limit_check(address_hash=key, now=start)
    with pytest.raises(ScreeningRateLimited) as limited:
        screening_rate_limit_check(address_hash=key, now=start + after_start)

    assert limited.value.retry_after == retry_after


@pytest.mark.django_db
def test_exactly_the_limit_is_accepted_and_one_more_is_refused(settings):
    settings.SCREENING_RATE_LIMIT = "3/minute"
    key = client_address_hash("192.0.2.5")
    now = datetime(2026, 3, 1, 10, 0, 30, tzinfo=UTC)

    for _ in range(3):
        screening_rate_limit_check(address_hash=key, now=now)
    with pytest.raises(ScreeningRateLimited):
        screening_rate_limit_check(address_hash=key, now=now)

    other = client_address_hash("192.0.2.6")
    screening_rate_limit_check(address_hash=other, now=now)  # another address has its own count
    assert ScreeningRateWindow.objects.get(address_hash=other).count == 1


@pytest.mark.django_db
def test_a_window_created_by_another_process_first_is_incremented_not_lost(settings, monkeypatch):
    """Force the race: our UPDATE finds no row, then another process inserts it before we do."""
    from django.db.models.query import QuerySet

    settings.SCREENING_RATE_LIMIT = "2/hour"
    key = client_address_hash("192.0.2.7")
    now = datetime(2026, 3, 1, 10, 5, tzinfo=UTC)
    old = ScreeningRateWindow.objects.create(
        address_hash="an ended window", window_start=now - timedelta(hours=3), count=1
    )
    real_update = QuerySet.update
    raced = []

    def update_losing_the_race(queryset, **kwargs):
        if queryset.model is ScreeningRateWindow and not raced:
            raced.append(True)
            ScreeningRateWindow.objects.create(
                address_hash=key, window_start=datetime(2026, 3, 1, 10, tzinfo=UTC), count=1
            )
            return 0  # our UPDATE ran before the other process's INSERT
        return real_update(queryset, **kwargs)

    monkeypatch.setattr(QuerySet, "update", update_losing_the_race)

    screening_rate_limit_check(address_hash=key, now=now)

    assert ScreeningRateWindow.objects.get(address_hash=key).count == 2
    assert ScreeningRateWindow.objects.filter(pk=old.pk).exists()  # only the creator cleans up
    with pytest.raises(ScreeningRateLimited):
        screening_rate_limit_check(address_hash=key, now=now)
