"""HTML_CodeSniffer (through pa11y, WCAG 2 AA) on the pages patients reach, served by gunicorn.

A second accessibility engine beside axe-core (the browser tests) and Lighthouse: each engine finds
things the others miss. Audited, in every language of the site: each content page, the first step
of the screening request, its check page and its confirmation (after walking a fictitious demo
patient through the real form), a page that does not exist (404) and a page that fails (500).
Every page is first fetched to make sure it answers with the status it should, so an audit of an
error page in place of the real one cannot pass. Exits non-zero on any error.

Run from the project root through `make pa11y` (scripts/pa11y installs pa11y from the lock file).
Environment: CHROME_PATH (default /usr/bin/chromium), PA11Y_REPORTS (a directory to keep the JSON
results in).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

from scripts.served_site import PROJECT_DIR, ServedSite, served_site

PA11Y_PAGES = PROJECT_DIR / "scripts" / "pa11y_pages.cjs"
STANDARD = "WCAG2AA"
# HTML_CodeSniffer rules switched off, each with the reason; pa11y reports the rest. Empty: every
# rule applies. A rule goes here only when it is wrong for this site, never to hide a real problem.
RULES_SWITCHED_OFF: dict[str, str] = {}
CHROME_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]
PA11Y_TIMEOUT_MS = 60_000
# The demo patient's number (intake.demo): fictitious name, example.org e-mail, 555 phone.
DEMO_PATIENT = 90
_CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class AuditedPage:
    path: str
    status: int
    cookies: str = ""
    # Something only the intended page has, where a wrong one would answer with the same status.
    shows: str = ""


@dataclass
class Visitor:
    """One browser's cookies, going through the site over plain HTTP."""

    base_url: str
    jar: CookieJar = field(default_factory=CookieJar)

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def open(self, path: str, fields: dict[str, Any] | None = None) -> tuple[int, str, str]:
        """GET (or POST `fields`) and follow redirects: (status, final path, body)."""
        data = urllib.parse.urlencode(fields, doseq=True).encode() if fields is not None else None
        try:
            with self.opener.open(self.base_url + path, data=data, timeout=30) as response:
                status, url, body = response.status, response.url, response.read()
        except urllib.error.HTTPError as error:
            status, url, body = error.code, error.url, error.read()
        return status, url.removeprefix(self.base_url), body.decode()

    def send_form(self, path: str, fields: dict[str, Any]) -> str:
        """Open the form page at `path`, send it with `fields`; the path it leads to."""
        status, _, body = self.open(path)
        token = _CSRF_TOKEN.search(body)
        if status != 200 or token is None:
            sys.exit(f"{path} answered {status} without a form to send.")
        status, landed, _ = self.open(path, {**fields, "csrfmiddlewaretoken": token[1]})
        if status != 200 or landed == path:
            sys.exit(f"{path} did not take the demo patient's answers (status {status}).")
        return landed

    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.jar)


def screening_pages(site: ServedSite, language: str) -> Iterator[AuditedPage]:
    """The check page with a draft on it, then the confirmation, walked through the real form.

    A generator: the check page is audited before its form is sent, which removes the draft.
    """
    from django.utils import translation

    from intake import journey
    from intake.demo import demo_form_data

    answers = demo_form_data(DEMO_PATIENT)
    visitor = Visitor(site.base_url)
    with translation.override(language):
        steps = journey.steps()
        check = journey.check_url()
        consents = [question.name for question in journey.final_section().questions]
    for number, section in enumerate(steps):
        names = [question.name for question in section.questions]
        fields = {name: answers[name] for name in names if name in answers}
        if number == 0:
            fields["website"] = ""
        with translation.override(language):
            visitor.send_form(journey.step_url(section), fields)
    yield AuditedPage(check, 200, visitor.cookie_header())
    received = visitor.send_form(check, {name: answers[name] for name in consents})
    # The confirmation answers 200 without a request too; the reference shows it is the real one.
    yield AuditedPage(received, 200, visitor.cookie_header(), shows="reference-box__code")


def pages_to_audit(site: ServedSite) -> Iterator[AuditedPage]:
    from django.conf import settings
    from django.utils import translation

    from intake import journey
    from pages.urls import CONTENT_PAGES
    from scripts.audit_urls import AUDIT_SERVER_ERROR_PATH

    for language, _ in settings.LANGUAGES:
        prefix = "" if language == settings.LANGUAGE_CODE else f"/{language}"
        for route, _, _ in CONTENT_PAGES:
            yield AuditedPage(f"{prefix}/{route}", 200)
        with translation.override(language):
            yield AuditedPage(journey.step_url(journey.steps()[0]), 200)
        yield from screening_pages(site, language)
        yield AuditedPage(f"{prefix}/no-such-page/", 404)
        yield AuditedPage(f"{prefix}/{AUDIT_SERVER_ERROR_PATH}", 500)


def answers_as_expected(site: ServedSite, page: AuditedPage) -> str:
    """Why the page cannot be audited as it is, or "" when it answers as a patient would see it."""
    request = urllib.request.Request(site.base_url + page.path)
    if page.cookies:
        request.add_header("Cookie", page.cookies)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            status, body = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode()
    if status != page.status:
        return f"answered {status}, not {page.status}"
    return "" if page.shows in body else f"does not show {page.shows!r}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class CodeSniffer:
    """pa11y in one Chromium for the whole run (scripts/pa11y_pages.cjs), one page at a time."""

    def __init__(self) -> None:
        options = {
            "standard": STANDARD,
            "runners": ["htmlcs"],
            "ignore": sorted(RULES_SWITCHED_OFF),
            "timeout": PA11Y_TIMEOUT_MS,
            "chromeLaunchConfig": {
                "executablePath": os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
                "args": CHROME_ARGS,
            },
        }
        self.process = subprocess.Popen(
            ["node", str(PA11Y_PAGES), json.dumps(options)],
            cwd=PROJECT_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def errors(self, url: str, *, cookies: str) -> list[dict[str, Any]]:
        # The check and confirmation pages belong to the browser that walked the form.
        headers = {"Cookie": cookies} if cookies else {}
        self.process.stdin.write(json.dumps({"url": url, "headers": headers}) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline() or '{"error": "pa11y stopped"}')
        if "error" in answer:
            sys.exit(f"pa11y could not audit {url}: {answer['error']}")
        if answer["pageUrl"] != url:
            # Redirected (a lost cookie, a missing draft): the page meant was never audited.
            sys.exit(f"pa11y was sent from {url} to {answer['pageUrl']}.")
        return [issue for issue in answer["issues"] if issue["type"] == "error"]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


def main() -> None:
    reports = Path(os.environ.get("PA11Y_REPORTS") or tempfile.mkdtemp(prefix="pa11y-"))
    reports.mkdir(parents=True, exist_ok=True)
    extra_env = {
        "DJANGO_SETTINGS_MODULE": "scripts.audit_settings",
        # Two requests from one address, sent as fast as a script sends them.
        "SCREENING_RATE_LIMIT": "off",
        "SCREENING_MIN_FILL_SECONDS": "0",
    }
    failures: list[str] = []
    with served_site(extra_env=extra_env) as site:
        # This process reads the site's own definitions (languages, pages, screening steps).
        os.environ.update(site.env)
        import django

        django.setup()
        print(f"HTML_CodeSniffer ({STANDARD}):")
        sniffer = CodeSniffer()
        for page in pages_to_audit(site):
            problem = answers_as_expected(site, page)
            if problem:
                failures.append(f"{page.path} {problem}")
                print(f"  {page.path}: {problem}, not audited")
                continue
            errors = sniffer.errors(site.base_url + page.path, cookies=page.cookies)
            name = page.path.strip("/").replace("/", "-") or "home"
            (reports / f"{name}.json").write_text(json.dumps(errors, indent=2))
            print(f"  {page.path} ({page.status}): {len(errors)} errors")
            for error in errors:
                print(f"    {error['code']}\n      {error['message']}\n      {error['context']}")
            failures += [f"{page.path} {error['code']}" for error in errors]
        sniffer.close()

    if RULES_SWITCHED_OFF:
        print("Rules switched off:")
        for rule, reason in RULES_SWITCHED_OFF.items():
            print(f"  {rule}: {reason}")
    else:
        print("No rule is switched off.")
    print(f"JSON results: {reports}")
    if failures:
        print(f"{len(failures)} problems:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("No errors on any page.")


if __name__ == "__main__":
    main()
