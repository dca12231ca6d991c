"""The admin keeps the site's strict Content-Security-Policy: it needs nothing relaxed.

Checked in a real browser by tests/browser/test_admin.py, where any CSP violation is a console
error that fails the test.
"""

from __future__ import annotations

from tests.test_headers import EXPECTED_CSP, parse_csp

from .support import ADMIN, LOGIN, QUEUE, change_url


def test_every_admin_page_has_the_strict_policy(reviewer_client, client, make_request):
    screening_request = make_request()
    for response in (
        client.get(LOGIN),
        reviewer_client.get(ADMIN),
        reviewer_client.get(QUEUE),
        reviewer_client.get(change_url(screening_request)),
    ):
        assert response.status_code == 200
        assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP
        assert response["X-Robots-Tag"] == "noindex, nofollow"
