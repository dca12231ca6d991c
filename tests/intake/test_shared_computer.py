"""A shared computer keeps nothing: every cookie the screening form sets ends with the browser
session, every step and the check page offer "Delete my answers and start again" (a POST that
deletes the draft at once and says so), and the confirmation says the answers are no longer shown.
"""

from __future__ import annotations

import http.client
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import translation

from intake import journey
from intake.drafts import SESSION_DRAFT_KEY
from intake.models import ScreeningDraft

from .screening_support import PATIENT, post_screening, step_posts, valid_answers, walk_to_check

LANGUAGES = ["en", "es"]
DELETE_LABEL = {
    "en": "Delete my answers and start again",
    "es": "Borrar mis respuestas y empezar de nuevo",
}
DELETED = {
    "en": "Your answers are deleted. Nothing you told us is kept on this device.",
    "es": "Borramos sus respuestas. En este dispositivo no queda nada de lo que nos dijo.",
}
NO_LONGER_SHOWN = {
    "en": "Your answers are no longer shown on this device.",
    "es": "Sus respuestas ya no se muestran en este dispositivo.",
}
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _quick(settings):
    settings.SCREENING_MIN_FILL_SECONDS = 0
    settings.SCREENING_RATE_LIMIT = "off"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(response) -> str:
    return " ".join(soup(response).main.get_text(" ").split())


def every_page_url(language: str) -> list[str]:
    with translation.override(language):
        return [journey.step_url(s) for s in journey.steps()] + [journey.check_url()]


# --- Cookies, as the browser receives them --------------------------------------------------------


class RawBrowser:
    """A browser reduced to what matters here: it keeps cookies and records every Set-Cookie
    header exactly as the server sent it."""

    def __init__(self, base_url: str) -> None:
        self.netloc = urlsplit(base_url).netloc
        self.cookies: dict[str, str] = {}
        self.set_cookie_headers: list[str] = []

    def request(self, method: str, path: str, fields: dict | None = None):
        connection = http.client.HTTPConnection(self.netloc, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if method == "POST":
            body = urlencode(fields or {}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.netloc}{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        page = response.read().decode()
        for header in response.msg.get_all("Set-Cookie") or []:
            self.set_cookie_headers.append(header)
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        connection.close()
        return response.status, page

    def post_form(self, path: str, fields: dict, *, action: str = "") -> int:
        """Open the page at `path` and send its form (to `action`, if another address)."""
        _status, page = self.request("GET", path)
        token = TOKEN_RE.search(page).group(1)
        fields = {**fields, "csrfmiddlewaretoken": token}
        return self.request("POST", action or path, fields)[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_cookie_the_request_sets_ends_with_the_browser_session(live_server, language):
    browser = RawBrowser(live_server.url)
    posts = step_posts(valid_answers(), language=language)
    for url, fields in posts:
        assert browser.post_form(url, fields) == 302, url
    received = "/es/screening/received/" if language == "es" else "/screening/received/"
    assert browser.request("GET", received)[0] == 200
    # A second request begun, then deleted.
    for url, fields in posts[:3]:
        assert browser.post_form(url, fields) == 302, url
    assert browser.post_form(posts[3][0], {}, action="/screening/delete/") == 302

    sent = {SimpleCookie(h).popitem()[0] for h in browser.set_cookie_headers}
    assert {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "messages"} <= sent
    for header in browser.set_cookie_headers:
        _name, morsel = SimpleCookie(header).popitem()
        attributes = [part.strip().split("=")[0].lower() for part in header.split(";")[1:]]
        if not morsel.value:
            # Only a cookie being removed may carry a date (in the past).
            assert "max-age=0" in header.lower(), header
            continue
        assert "expires" not in attributes, header
        assert "max-age" not in attributes, header
        assert "httponly" in attributes, header
        assert re.search(r";\s*SameSite=Lax", header, re.IGNORECASE), header


# --- Delete my answers and start again ----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_step_and_the_check_page_offer_to_delete_the_answers(client, language):
    walk_to_check(client, language=language)
    delete_url = "/es/screening/delete/" if language == "es" else "/screening/delete/"

    for url in every_page_url(language):
        page = soup(client.get(url))
        (form,) = page.select("main form.delete-answers")
        assert form["method"] == "post" and form["action"] == delete_url, url
        assert form.select_one("input[name=csrfmiddlewaretoken]")
        assert form.select_one("button[type=submit]").get_text(strip=True) == DELETE_LABEL[language]
        # Its own form, never inside the one that sends the answers.
        assert form.find_parent("form") is None


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("from_page", range(len(journey.steps()) + 1))
def test_delete_removes_the_draft_at_once_and_says_so(client, language, from_page):
    walk_to_check(client, language=language)
    page_url = every_page_url(language)[from_page]
    first_url = every_page_url(language)[0]
    action = soup(client.get(page_url)).select_one("main form.delete-answers")["action"]

    response = client.post(action)

    assert response.status_code == 302 and response["Location"] == first_url
    assert not ScreeningDraft.objects.exists()
    assert SESSION_DRAFT_KEY not in client.session
    start = client.get(first_url)
    assert DELETED[language] in text_of(start)
    assert PATIENT["zip_code"] not in start.content.decode()
    assert not soup(start).select_one(".draft-welcome")
    for url in every_page_url(language)[1:]:
        assert client.get(url)["Location"] == first_url
    # Said once: the next visit is the plain first page.
    assert DELETED[language] not in text_of(client.get(first_url))


@pytest.mark.django_db
def test_the_delete_address_deletes_nothing_on_a_get(client):
    walk_to_check(client)

    response = client.get("/screening/delete/")

    assert response["Location"] == "/screening/"
    assert ScreeningDraft.objects.count() == 1
    assert client.get("/screening/check/").status_code == 200


@pytest.mark.django_db
def test_delete_leaves_another_browsers_draft_alone(client):
    walk_to_check(client)
    other = client.__class__()
    walk_to_check(other)

    other.post("/screening/delete/")

    assert ScreeningDraft.objects.count() == 1
    assert client.get("/screening/check/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_confirmation_says_the_answers_are_no_longer_shown_and_delete_forgets_it(
    client, language
):
    received = "/es/screening/received/" if language == "es" else "/screening/received/"
    assert post_screening(client, language=language).status_code == 302

    page = client.get(received)
    assert NO_LONGER_SHOWN[language] in text_of(page)
    assert soup(page).select_one(".reference-box__code")

    client.post("/screening/delete/")
    assert not soup(client.get(received)).select_one(".reference-box__code")
