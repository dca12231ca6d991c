"""The first page for a new visitor: rendered once per language and content version, each visitor
given only their own CSRF token, and never anything of another patient's."""

from __future__ import annotations

import datetime
import re
from unittest import mock

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone
from django.utils.html import escape

from pages.cache import bump_content_version

from .screening_support import PATIENT, step_posts, valid_answers, walk_to_check

pytestmark = pytest.mark.django_db

TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STEP_TEMPLATE = "intake/screening_step.html"


def _visit(path: str = "/screening/"):
    client = Client(enforce_csrf_checks=True)
    return client, client.get(path)


def test_the_first_page_is_rendered_once_then_served_with_each_visitors_own_token():
    _first_client, first = _visit()
    client, second = _visit()

    assert STEP_TEMPLATE in [t.name for t in first.templates]
    assert second.templates == []  # not rendered again
    first_token = TOKEN_RE.search(first.content.decode()).group(1)
    second_token = TOKEN_RE.search(second.content.decode()).group(1)
    assert first_token != second_token
    assert first.content.decode().replace(first_token, "") == second.content.decode().replace(
        second_token, ""
    )
    # The token works: the first step posts with it and the cookie the page set.
    where = dict(step_posts(valid_answers()))["/screening/"]
    posted = client.post("/screening/", {**where, "csrfmiddlewaretoken": second_token})
    assert posted.status_code == 302
    assert posted["Location"] == "/screening/pain/"


def test_a_page_without_a_token_cookie_gets_one():
    _client, page = _visit()

    assert page.cookies["csrftoken"].value
    assert page["Cache-Control"].startswith("max-age=0")
    assert "no-store" in page["Cache-Control"]


def test_a_content_change_renders_it_again():
    _visit()
    bump_content_version()
    _client, again = _visit()

    assert STEP_TEMPLATE in [t.name for t in again.templates]


def test_a_new_day_renders_it_again():
    _visit()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with mock.patch("intake.blank_form.timezone.localdate", return_value=tomorrow):
        _client, next_day = _visit()

    assert STEP_TEMPLATE in [t.name for t in next_day.templates]


def test_each_language_has_its_own_page():
    _visit("/screening/")
    _client, spanish = _visit("/es/screening/")
    _client, english = _visit("/screening/")

    assert '<html lang="es"' in spanish.content.decode()
    assert 'action="/es/screening/"' in spanish.content.decode()
    assert '<html lang="en"' in english.content.decode()
    assert english.templates == []


def test_a_patient_with_a_draft_sees_their_answers_and_no_one_else_does(client):
    _visit()
    walk_to_check(client)

    own = client.get("/screening/")
    _other, stranger = _visit()

    assert STEP_TEMPLATE in [t.name for t in own.templates]
    assert 'value="98103"' in own.content.decode()
    assert "98103" not in stranger.content.decode()
    assert PATIENT["last_name"] not in stranger.content.decode()
    assert stranger.templates == []


@pytest.mark.parametrize("query", ["utm_source=leaflet", "&&"])
def test_a_query_string_is_rendered_for_that_visitor_alone(query):
    _client, tagged = _visit(f"/screening/?{query}")
    _client, plain = _visit()

    assert STEP_TEMPLATE in [t.name for t in tagged.templates]
    assert f'action="/screening/?{escape(query)}"' in tagged.content.decode()
    assert 'action="/screening/"' in plain.content.decode()


def test_a_message_waiting_for_a_visitor_is_shown_to_them_alone_and_never_kept():
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(messages.INFO, "You have been signed out of the staff pages.")
    carrier = HttpResponse()
    storage.update(carrier)
    staff = Client()
    staff.cookies["messages"] = carrier.cookies["messages"].value

    rendered = staff.get("/screening/")
    _client, next_visitor = _visit()

    # Rendered for that visitor alone (a deleted draft says so this way), never the shared page.
    assert STEP_TEMPLATE in [t.name for t in rendered.templates]
    assert "signed out" in rendered.content.decode()
    assert "signed out" not in next_visitor.content.decode()


def test_a_visitor_who_already_has_a_token_cookie_can_post_with_the_pages_token():
    client, _first = _visit()
    again = client.get("/screening/")
    token = TOKEN_RE.search(again.content.decode()).group(1)

    where = dict(step_posts(valid_answers()))["/screening/"]
    posted = client.post("/screening/", {**where, "csrfmiddlewaretoken": token})
    assert again.templates == []
    assert posted.status_code == 302
