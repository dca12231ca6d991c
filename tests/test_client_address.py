"""Reading the client address behind our proxies without trusting what anyone else wrote."""

import gc

import pytest
from django.test import Client, RequestFactory

from core.client_address import client_ip
from tests.intake.screening_support import post_screening


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded_for", "expected"),
    [
        ([], "10.0.0.2", "203.0.113.9", "10.0.0.2"),  # no proxy trusted: the header is ignored
        (["10.0.0.2"], "10.0.0.2", "203.0.113.9", "203.0.113.9"),
        (["10.0.0.0/8"], "10.0.0.2", "198.51.100.66, 203.0.113.9", "203.0.113.9"),  # forged left
        (["10.0.0.0/8"], "10.0.0.2", "198.51.100.66, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (["10.0.0.2"], "10.0.0.2", "", "10.0.0.2"),  # nothing forwarded: the proxy itself
        (["10.0.0.2"], "10.0.0.2", "not-an-address, 203.0.113.9", "203.0.113.9"),
        (["10.0.0.2"], "10.0.0.2", "203.0.113.9, not-an-address", "10.0.0.2"),
        (["::1", "127.0.0.1"], "::1", "2001:db8::7", "2001:db8::7"),
        # A client that reaches the app server directly forges whatever it likes: ignored.
        (["127.0.0.1"], "198.51.100.20", "203.0.113.9", "198.51.100.20"),
    ],
)
def test_client_ip_believes_forwarded_for_only_from_configured_proxies(
    settings, proxies, remote, forwarded_for, expected
):
    settings.TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded_for)

    assert client_ip(request) == expected


@pytest.mark.django_db
def test_a_direct_client_cannot_escape_the_screening_rate_limit_with_forged_addresses(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.SCREENING_RATE_LIMIT = "2/hour"
    statuses = [
        post_screening(
            Client(),
            remote_addr="198.51.100.20",
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        ).status_code
        for n in range(3)
    ]

    assert statuses == [302, 302, 429]


@pytest.mark.django_db
def test_behind_our_proxy_each_forwarded_client_has_its_own_limit(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.SCREENING_RATE_LIMIT = "1/hour"
    statuses = [
        post_screening(
            Client(), remote_addr="127.0.0.1", headers={"X-Forwarded-For": f"203.0.113.{n}"}
        ).status_code
        for n in range(2)
    ]

    assert statuses == [302, 302]


def test_forwarding_headers_from_an_untrusted_peer_are_dropped(settings):
    from core.client_address import ForwardedHeadersMiddleware

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    seen = {}

    def view(request):
        seen.update(request.META)
        return None

    middleware = ForwardedHeadersMiddleware(view)
    middleware(
        RequestFactory().get(
            "/",
            REMOTE_ADDR="198.51.100.20",
            HTTP_X_FORWARDED_PROTO="https",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    )
    assert "HTTP_X_FORWARDED_PROTO" not in seen
    assert "HTTP_X_FORWARDED_FOR" not in seen

    seen.clear()
    middleware(RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_PROTO="https"))
    assert seen["HTTP_X_FORWARDED_PROTO"] == "https"


def test_gunicorn_binds_loopback_by_default():
    import runpy

    from tests.support import PROJECT_DIR

    config = runpy.run_path(str(PROJECT_DIR / "gunicorn.conf.py"))
    assert config["bind"].startswith("127.0.0.1:")
    # Workers are forked from a master that has loaded the site (and its ZIP code index) once,
    # and what it loaded is frozen so the workers' collectors leave the shared pages alone.
    assert config["preload_app"] is True
    try:
        config["when_ready"](None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        (["10.0.0.2"], {"REMOTE_ADDR": "10.0.0.2"}, "10.0.0.2"),  # no header at all
        ([], {}, ""),  # no socket address either
        (["10.0.0.0/8"], {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": " , ,"}, "10.0.0.2"),
        (
            ["10.0.0.0/8"],
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.9, , 10.0.0.1,"},
            "203.0.113.9",
        ),
        # Every hop ours: the leftmost of them is as far as we can see.
        (
            ["10.0.0.0/8"],
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "10.0.0.5"},
            "10.0.0.5",
        ),
        # An IPv4 proxy seen through an IPv6 socket.
        (
            ["127.0.0.1"],
            {"REMOTE_ADDR": "::ffff:127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
            "203.0.113.9",
        ),
        (
            ["127.0.0.1"],
            {"REMOTE_ADDR": "garbage", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
            "garbage",
        ),
        # nginx through the unix socket: the address it wrote is the client.
        (["unix"], {"REMOTE_ADDR": "", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "203.0.113.9"),
        (
            ["unix"],
            {"REMOTE_ADDR": "", "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.9"},
            "203.0.113.9",
        ),
        # A loopback peer is not the socket: its header is not believed.
        (
            ["unix"],
            {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
            "127.0.0.1",
        ),
    ],
)
def test_client_ip_with_missing_headers_and_empty_entries(settings, proxies, meta, expected):
    settings.TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/")
    request.META.pop("REMOTE_ADDR", None)
    request.META.update(meta)

    assert client_ip(request) == expected


def test_trusted_proxies_are_addresses_or_networks_and_blank_entries_are_ignored():
    from ipaddress import ip_network

    from core.client_address import parse_networks

    # " unix " as read from the environment: a new string, equal to "unix" but not the same object.
    assert parse_networks([" 10.0.0.1/8 ", "", "  ", "::1", " unix "]) == (
        ip_network("10.0.0.0/8"),
        ip_network("::1/128"),
    )
    for not_a_network in ("not-a-network", "www.example.org", "unix-socket"):
        with pytest.raises(ValueError):
            parse_networks([not_a_network])


@pytest.mark.parametrize(
    ("proxies", "address", "trusted"),
    [
        ([], "127.0.0.1", False),
        (["127.0.0.1"], "127.0.0.1", True),
        (["127.0.0.1"], " 127.0.0.1 ", True),
        (["127.0.0.1"], "127.0.0.2", False),
        (["127.0.0.1"], "::ffff:127.0.0.1", True),
        (["::ffff:127.0.0.1"], "::ffff:127.0.0.1", False),  # compared as the IPv4 address
        (["127.0.0.1"], "", False),
        (["10.0.0.0/8", "192.168.0.0/16"], "192.168.4.4", True),
        # Through the app server's unix socket (no address): only when "unix" is listed, and
        # listing it trusts no TCP peer, loopback included.
        (["unix"], "", True),
        ([" unix "], "", True),
        (["unix"], "127.0.0.1", False),
        (["unix", "10.0.0.0/8"], "10.0.0.3", True),
        ([], "", False),
    ],
)
def test_is_trusted_proxy(settings, proxies, address, trusted):
    from core.client_address import is_trusted_proxy

    settings.TRUSTED_PROXIES = proxies

    assert is_trusted_proxy(address) is trusted


def test_forwarding_headers_from_our_proxy_are_kept(settings):
    from core.client_address import FORWARDING_HEADERS, ForwardedHeadersMiddleware

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    seen = {}
    headers = {header: "x" for header in FORWARDING_HEADERS}

    def view(request):
        seen.update(request.META)
        return "response"

    assert (
        ForwardedHeadersMiddleware(view)(
            RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", **headers)
        )
        == "response"
    )
    assert {h: seen.get(h) for h in FORWARDING_HEADERS} == headers


def test_the_proxy_list_is_parsed_once_and_reused():
    from core.client_address import _networks

    assert _networks(("127.0.0.1", "10.0.0.0/8")) is _networks(("127.0.0.1", "10.0.0.0/8"))
