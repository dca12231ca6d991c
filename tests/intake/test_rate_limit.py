"""The per-address rate limit: parsing, windows, and exactness across processes."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from intake.crypto import client_address_hash
from intake.models import ScreeningRateWindow
from intake.services import (
    ScreeningRateLimited,
    parse_rate,
    rate_limit_count,
    screening_rate_limit_check,
)
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
def test_the_previous_window_counts_for_the_part_of_it_still_inside_the_period(settings):
    settings.SCREENING_RATE_LIMIT = "2/hour"
    address = "192.0.2.1"
    start = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)

    screening_rate_limit_check(client_address=address, now=start + timedelta(minutes=1))
    screening_rate_limit_check(client_address=address, now=start + timedelta(minutes=50))
    with pytest.raises(ScreeningRateLimited) as limited:
        screening_rate_limit_check(client_address=address, now=start + timedelta(minutes=55))
    # 5 minutes to the next window, then half of it: the two from this one then weigh 1.
    assert limited.value.retry_after == 35 * 60
    with pytest.raises(ScreeningRateLimited):
        # Two in the last hour still, at the next window's start.
        screening_rate_limit_check(client_address=address, now=start + timedelta(hours=1))

    screening_rate_limit_check(client_address=address, now=start + timedelta(hours=1, minutes=30))

    assert sorted(ScreeningRateWindow.objects.values_list("window_start", "count")) == [
        (start, 2),
        (start + timedelta(hours=1), 1),
    ]


@pytest.mark.django_db
def test_windows_no_limit_counts_any_more_are_forgotten(settings):
    settings.SCREENING_RATE_LIMIT = "2/hour"
    settings.SCREENING_DRAFT_RATE_LIMIT = "3/2hours"
    start = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    for hours in range(6):
        screening_rate_limit_check(client_address="192.0.2.1", now=start + timedelta(hours=hours))

    # The longest limit counts two windows of two hours: nothing older than four hours is kept.
    assert sorted(ScreeningRateWindow.objects.values_list("window_start", flat=True)) == [
        start + timedelta(hours=hours) for hours in range(1, 6)
    ]


@pytest.mark.django_db
def test_a_refused_request_does_not_add_to_the_count(settings):
    settings.SCREENING_RATE_LIMIT = "1/hour"
    screening_rate_limit_check(client_address="192.0.2.2")
    for _ in range(3):
        with pytest.raises(ScreeningRateLimited):
            screening_rate_limit_check(client_address="192.0.2.2")

    assert ScreeningRateWindow.objects.get().count == 1


CLIENT = textwrap.dedent(
    """
    import json, sys
    from datetime import UTC, datetime

    import time_machine
    from django.test import Client
    from tests.intake.screening_support import post_screening

    attempts = int(sys.argv[1])
    # Both processes on one injected clock, in the middle of one window, whatever the real time.
    with time_machine.travel(datetime(2026, 3, 1, 12, 30, tzinfo=UTC)):
        client = Client()
        print("ready", flush=True)
        sys.stdin.readline()  # both begin posting when the test says go
        statuses = [
            post_screening(client, remote_addr="198.51.100.77").status_code
            for _ in range(attempts)
        ]
    print(json.dumps(statuses))
    """
)

COUNT = textwrap.dedent(
    """
    import json
    from intake.crypto import client_address_hash
    from intake.models import ScreeningRateWindow, ScreeningRequest
    windows = ScreeningRateWindow.objects.filter(address_hash=client_address_hash("198.51.100.77"))
    print(json.dumps({
        "requests": ScreeningRequest.objects.count(),
        "window_counts": list(windows.values_list("count", flat=True)),
    }))
    """
)


def _django_command(code: str, *args: str) -> list[str]:
    return [
        sys.executable,
        "-c",
        "import sys, django, os; sys.path.insert(0, os.getcwd()); "
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'avyia_site.settings'); "
        "django.setup()\n" + code,
        *args,
    ]


def _django(code: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        _django_command(code, *args),
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def _together(code: str, *args: str, env: dict[str, str], processes: int) -> list[tuple]:
    """Run `code` in several processes, each set up and waiting, then let them all go at once."""
    running = [
        subprocess.Popen(
            _django_command(code, *args),
            cwd=PROJECT_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    for process in running:
        while (line := process.stdout.readline()) and line.strip() != "ready":
            pass
    for process in running:
        process.stdin.write("go\n")
        process.stdin.flush()
    return [(process, *process.communicate(timeout=180)) for process in running]


def test_the_limit_holds_exactly_across_two_processes(tmp_path: Path):
    import os

    with migrated_database(tmp_path) as url:
        env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DATABASE_URL": url,
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "SCREENING_RATE_LIMIT": "5/hour",
            "SCREENING_MIN_FILL_SECONDS": "0",
        }
        runs = _together(CLIENT, "6", env=env, processes=2)
        counted = _django(COUNT, env=env)

    for process, _, stderr in runs:
        assert process.returncode == 0, stderr
    statuses = [s for _, stdout, _ in runs for s in json.loads(stdout.strip().splitlines()[-1])]
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
    for _ in range(20):
        screening_rate_limit_check(client_address="192.0.2.3")

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
    ("rate", "accepted_at", "refused_at", "retry_after"),
    [
        # This window is full: wait for its end, then until enough of it has slid out.
        ("1/hour", ["10:00"], "10:55:30", 3600 - 3330 + 3600),
        ("1/hour", ["10:00"], "10:59:59.8", 1 + 3600),  # 0.2 s left, rounded up
        ("5/hour", ["10:00"] * 5, "10:30", 1800 + 720),  # then 4/5 of the next: 12 min
        # Room in this window: wait until enough of the previous one has slid out.
        ("2/hour", ["09:10", "09:50"], "10:10", 1800 - 600),
        ("2/hour", ["09:10", "09:50"], "10:29:59.5", 1),
        ("3/hour", ["09:10", "09:20", "09:50", "10:20"], "10:21", 2400 - 1260),
        ("10/15minutes", ["10:14"] * 10, "10:15", 90),
    ],
)
def test_retry_after_is_the_first_moment_one_more_passes(
    settings, rate, accepted_at, refused_at, retry_after
):
    settings.SCREENING_RATE_LIMIT = rate

    def at(clock: str) -> datetime:
        return datetime.fromisoformat(f"2026-03-01T{clock}+00:00")

    for clock in accepted_at:
        screening_rate_limit_check(client_address="192.0.2.4", now=at(clock))
    with pytest.raises(ScreeningRateLimited) as limited:
        screening_rate_limit_check(client_address="192.0.2.4", now=at(refused_at))

    assert limited.value.retry_after == retry_after
    moment = at(refused_at) + timedelta(seconds=retry_after)
    with pytest.raises(ScreeningRateLimited):
        screening_rate_limit_check(client_address="192.0.2.4", now=moment - timedelta(seconds=1))
    screening_rate_limit_check(client_address="192.0.2.4", now=moment)


@pytest.mark.django_db
def test_no_burst_passes_at_a_window_boundary(settings):
    # The review's case: five just before the hour and five just after were all accepted.
    settings.SCREENING_RATE_LIMIT = "5/hour"
    before = datetime(2026, 3, 1, 10, 59, 30, tzinfo=UTC)
    accepted = 0
    for second in range(60):
        try:
            screening_rate_limit_check(
                client_address="192.0.2.9", now=before + timedelta(seconds=second)
            )
        except ScreeningRateLimited:
            continue
        accepted += 1

    assert accepted == 5


@pytest.mark.django_db
def test_exactly_the_limit_is_accepted_and_one_more_is_refused(settings):
    settings.SCREENING_RATE_LIMIT = "3/minute"
    now = datetime(2026, 3, 1, 10, 0, 30, tzinfo=UTC)

    for _ in range(3):
        screening_rate_limit_check(client_address="192.0.2.5", now=now)
    with pytest.raises(ScreeningRateLimited):
        screening_rate_limit_check(client_address="192.0.2.5", now=now)

    # Another address, and new drafts from this one, have their own counts.
    screening_rate_limit_check(client_address="192.0.2.6", now=now)
    rate_limit_count(setting="SCREENING_DRAFT_RATE_LIMIT", client_address="192.0.2.5", now=now)
    assert sorted(ScreeningRateWindow.objects.values_list("count", flat=True)) == [1, 1, 3]


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

    screening_rate_limit_check(client_address="192.0.2.7", now=now)

    assert ScreeningRateWindow.objects.get(address_hash=key).count == 2
    assert ScreeningRateWindow.objects.filter(pk=old.pk).exists()  # only the creator cleans up
    with pytest.raises(ScreeningRateLimited):
        screening_rate_limit_check(client_address="192.0.2.7", now=now)
