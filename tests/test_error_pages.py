"""Styled error pages that show no traceback and no request data."""

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_404_is_styled_and_links_home(client):
    response = client.get("/no-such-page/?name=Jane")

    assert response.status_code == 404
    body = response.content.decode()
    assert "<h1>We could not find that page</h1>" in body
    assert "/static/css/site." in body
    assert "Jane" not in body


def test_500_shows_no_traceback():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "Traceback" not in body
    assert "988" in body


def test_csrf_failure_is_a_calm_403():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/screening/", {"first_name": "Jane"})

    assert response.status_code == 403
    body = response.content.decode()
    assert "Please try again" in body
    assert "Jane" not in body
