"""Shared fixtures: fast test settings and the browser harness.

Browser tests run against the live server with WhiteNoise serving the collected static files (as in
production: hashed names, Brotli), not Django's static finders. Every page a test visits is checked
with axe-core; any console error or request to another host fails the test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test.utils import override_settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session", autouse=True)
def _fast_test_settings() -> Iterator[None]:
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "fragments": settings.CACHES["fragments"],
        },
        # Each test clears the cache; no process may remember a version from the last one.
        CONTENT_VERSION_MAX_AGE=0,
    ):
        yield


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _default_language() -> None:
    # A request under /es/ leaves Spanish active on the thread; a template rendered without a
    # request in the next test would otherwise come out in Spanish.
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest):
    """pytest-django's live server, with static files left to WhiteNoise in the middleware."""
    from pytest_django.live_server_helper import LiveServer

    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if not manifest.exists():
        pytest.fail("Static files are not collected: run `make test` or `manage.py collectstatic`.")
    server = LiveServer("127.0.0.1:0", start=False)
    server.thread.static_handler = lambda app: app
    server.start()
    yield server
    server.stop()


# --- Browser -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make test`, which installs it.")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


class SiteBrowser:
    """A Playwright page on the live server that records what a careful reviewer would object to."""

    def __init__(self, page, base_url: str) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.page = page
        self.base_url = base_url
        self.host = urlsplit(base_url).netloc
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self._expected_error_documents: set[str] = set()
        self._axe = Axe()
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.console_errors.append(f"page error: {exc}"))
        page.route("**/*", self._route)

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        # Chromium logs a failed status for the document itself, e.g. a 404 page a test asked for.
        if message.location.get("url") in self._expected_error_documents:
            return
        self.console_errors.append(message.text)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).netloc == self.host:
            route.continue_()
        else:
            self.foreign_requests.append(url)
            route.abort()

    def visit(self, path: str, *, check: bool = True, status: int = 200):
        if status >= 400:
            self._expected_error_documents.add(self.base_url + path)
        response = self.page.goto(self.base_url + path)
        assert response.status == status, f"{path}: {response.status}"
        self.page.wait_for_load_state("load")
        if check:
            self.assert_accessible()
        return response

    def assert_accessible(self) -> None:
        results = self._axe.run(self.page)
        assert results.violations_count == 0, results.generate_report()

    def assert_clean(self) -> None:
        assert not self.console_errors, f"console errors: {self.console_errors}"
        assert not self.foreign_requests, f"requests to other hosts: {self.foreign_requests}"


@pytest.fixture
def site(page, live_server) -> Iterator[SiteBrowser]:
    browser = SiteBrowser(page, live_server.url)
    yield browser
    browser.assert_clean()


def pytest_itemcollected(item: pytest.Item) -> None:
    # Marked as each test is collected, before `-m "not browser"` selects: the PostgreSQL suite
    # leaves the browser tests out.
    if {"site", "page", "browser"} & set(getattr(item, "fixturenames", ())):
        item.add_marker(pytest.mark.browser)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Transactional tests (the browser's live server among them) empty the tables when they end,
    # migrations' rows included. pytest's own grouping by parametrised fixtures can move them ahead
    # of tests that need those rows, so they run after every other test, and the browser last.
    items.sort(
        key=lambda item: (_flushes_tables(item), item.get_closest_marker("browser") is not None)
    )


def _flushes_tables(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or {"transactional_db", "live_server"} & fixtures
    )


@pytest.fixture
def production_database_url() -> Iterator[str]:
    """An empty PostgreSQL database for a test that runs Django in production mode."""
    from tests.support import postgres_database

    with postgres_database("production") as url:
        yield url


# --- The clinic profile: empty (a new database) unless a test fills it -------------------------


# Neither asks for `db`: a transactional browser test would then be ordered among the others, and
# its flush would empty the tables under them. Each test's django_db mark gives the database.
@pytest.fixture
def example_clinic():
    """The complete example profile, loaded the way `manage.py seed_example_clinic` loads it."""
    from pages.services import clinic_profile_load_example

    return clinic_profile_load_example(actor_label="tests")


@pytest.fixture
def set_clinic_facts():
    """Change facts through the same service as the admin's save (the pages refresh at once)."""

    from pages.models import ClinicProfile
    from pages.services import clinic_profile_save

    def set_facts(**facts) -> ClinicProfile:
        profile = ClinicProfile.objects.first() or ClinicProfile()
        for name, value in facts.items():
            setattr(profile, name, value)
        return clinic_profile_save(profile=profile, changed_fields=list(facts), actor_label="tests")

    return set_facts
