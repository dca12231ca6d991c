"""A content change shows at once on every gunicorn worker, not only in the process that saved it.

Real gunicorn with several worker processes on a SQLite file, and the shared cache the content
version lives in: the file cache one machine's workers share, and Redis as several app servers
would share it. Each worker's page cache is warmed, the content is changed from another process,
and every later response, whichever worker sends it, must show the change.
"""

from __future__ import annotations

import time
import urllib.request
import uuid
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings

from scripts.served_site import ServedSite, served_site

WORKERS = 3
REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 0


def fetch(url: str) -> tuple[str, str]:
    """The worker that answered and the page it sent."""
    request = urllib.request.Request(url, headers={"Connection": "close"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
        assert response.status == 200
        return response.headers["X-Worker-Pid"], response.read().decode()


def pages_from_every_worker(url: str, *, each: int = 2, limit: int = 900) -> dict[str, list[str]]:
    """Request `url` until every worker has answered at least `each` times."""
    answers: dict[str, list[str]] = defaultdict(list)
    with ThreadPoolExecutor(max_workers=2 * WORKERS) as pool:
        sent = 0
        while sent < limit:
            for pid, body in pool.map(fetch, [url] * 2 * WORKERS):
                answers[pid].append(body)
            sent += 2 * WORKERS
            if len(answers) >= WORKERS and all(len(b) >= each for b in answers.values()):
                return answers
    pytest.fail(f"{len(answers)} of {WORKERS} workers answered in {limit} requests")


def run_in_another_process(site: ServedSite, code: str) -> str:
    return site.manage("shell", "--no-imports", "-c", code).strip()


def save_question(site: ServedSite, pk: int | None, question: str) -> int:
    """Save an FAQ entry the way the admin does (the service bumps the content version)."""
    return int(
        run_in_another_process(
            site,
            f"""
from pages.models import FaqEntry
from pages.services import faq_entry_save
entry = FaqEntry.objects.get(pk={pk}) if {pk!r} else FaqEntry(answer="<p>Yes.</p>", order=0)
entry.question = {question!r}
print(faq_entry_save(entry=entry).pk)
""",
        )
    )


@pytest.fixture
def redis_cache_url() -> Iterator[str]:
    redis = pytest.importorskip("redis")
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT} ({error})")
    # Keys of this run's own, so another suite on the same Redis neither interferes nor loses its
    # keys when this one cleans up.
    prefix = f"avyia-test-{uuid.uuid4().hex}"
    yield f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}?key_prefix={prefix}"
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


@pytest.fixture(params=["file cache", "redis"])
def shared_cache_url(request, tmp_path) -> str:
    if request.param == "redis":
        return request.getfixturevalue("redis_cache_url")
    return f"filecache://{tmp_path / 'shared-cache'}"


VERSION_MAX_AGE = 1.0  # the production default: an edit may take a second to show everywhere


def test_faq_change_shows_on_every_worker_within_a_second(shared_cache_url):
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if not manifest.exists():
        pytest.fail("Static files are not collected: run `make test` or `manage.py collectstatic`.")

    with served_site(
        extra_env={
            "WEB_CONCURRENCY": str(WORKERS),
            "CACHE_URL": shared_cache_url,
            "CONTENT_VERSION_MAX_AGE": str(VERSION_MAX_AGE),
        },
        gunicorn_args=("tests.pages.worker_pid_wsgi:application",),
        static_root=settings.STATIC_ROOT,
    ) as site:
        url = site.base_url + "/faq/"
        pk = save_question(site, None, "Is the first question here?")
        warmed = pages_from_every_worker(url)
        assert all(
            "Is the first question here?" in page for pages in warmed.values() for page in pages
        )

        # Changed in the database behind the cache's back: every worker still serves its cached
        # page, which shows the pages really are cached per worker.
        run_in_another_process(
            site,
            "from pages.models import FaqEntry; "
            f"FaqEntry.objects.filter(pk={pk}).update(question='Changed without telling anyone?')",
        )
        cached = pages_from_every_worker(url)
        assert all(
            "Is the first question here?" in page for pages in cached.values() for page in pages
        )

        # Saved as staff save it: the next response from every worker shows it.
        save_question(site, pk, "Does the change show everywhere at once?")
        # Each worker asks the shared cache again once its copy is CONTENT_VERSION_MAX_AGE old.
        time.sleep(VERSION_MAX_AGE + 0.2)
        after = pages_from_every_worker(url)

    for pid, pages in after.items():
        for page in pages:
            assert "Does the change show everywhere at once?" in page, f"worker {pid} was stale"
            assert "Is the first question here?" not in page


def save_clinic_phone(site: ServedSite, phone: str) -> None:
    """Change the clinic's phone number the way a manager does (the service bumps the version)."""
    run_in_another_process(
        site,
        f"""
from pages.models import ClinicProfile
from pages.services import clinic_profile_save
profile = ClinicProfile.objects.first()
profile.phone = {phone!r}
clinic_profile_save(profile=profile, changed_fields=["phone"], actor_label="test")
""",
    )


def test_clinic_profile_save_shows_on_every_workers_pages_and_screening_steps(shared_cache_url):
    """The header, footer and crisis messages are kept per process (the fragment cache): a
    profile saved in another process shows in all of them, on content pages and on the
    screening request's steps alike, in both languages."""
    with served_site(
        extra_env={
            "WEB_CONCURRENCY": str(WORKERS),
            "CACHE_URL": shared_cache_url,
            "CONTENT_VERSION_MAX_AGE": str(VERSION_MAX_AGE),
        },
        gunicorn_args=("tests.pages.worker_pid_wsgi:application",),
        static_root=settings.STATIC_ROOT,
        prepare=lambda site: site.manage("seed_example_clinic"),
    ) as site:
        # With a query string the step is rendered for its visitor, not the shared blank copy.
        urls = [
            site.base_url + path
            for path in ("/chronic-pain/", "/screening/?from=test", "/es/screening/?from=test")
        ]
        save_clinic_phone(site, "(206) 555-0141")
        time.sleep(VERSION_MAX_AGE + 0.2)
        before = {url: pages_from_every_worker(url) for url in urls}
        save_clinic_phone(site, "(206) 555-0142")
        time.sleep(VERSION_MAX_AGE + 0.2)
        after = {url: pages_from_every_worker(url) for url in urls}

    for url in urls:
        assert all("555-0141" in page for pages in before[url].values() for page in pages), url
        for pid, pages in after[url].items():
            for page in pages:
                assert "555-0142" in page, f"worker {pid} was stale on {url}"
                assert "555-0141" not in page, f"worker {pid} was stale on {url}"
