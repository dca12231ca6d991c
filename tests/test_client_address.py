"""Reading the client address behind proxies without trusting what the client wrote."""

import pytest
from django.test import RequestFactory

from avyia_site.client_address import client_ip


@pytest.mark.parametrize(
    ("proxy_count", "forwarded_for", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.2"),  # no proxy trusted: the header is ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.66, 203.0.113.9", "203.0.113.9"),  # a forged left entry is ignored
        (2, "198.51.100.66, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.2"),  # fewer hops than promised: fall back to the socket
    ],
)
def test_client_ip_trusts_only_the_configured_proxies(
    settings, proxy_count, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = proxy_count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)

    assert client_ip(request) == expected
