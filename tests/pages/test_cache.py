"""Whole-page caching of the content pages, through the real middleware stack and database.

A page served from the cache renders no template, so the templates Django reports rendering tell a
hit from a miss.
"""

from __future__ import annotations

import gzip
import json
import logging

import brotli
import pytest
from django.conf import settings
from django.test import Client
from django.test.signals import template_rendered
from django.test.utils import override_settings

from pages.cache import bump_content_version
from pages.models import FaqEntry
from pages.services import faq_entry_save
from tests.support import PRODUCTION_ENV, run_django

pytestmark = pytest.mark.django_db

CONTENT_PATHS = ["/", "/chronic-pain/", "/faq/", "/privacy/", "/consumer-health-data-privacy/"]
# Headers that legitimately differ between two responses: none of ours, only the clock's.
TIME_HEADERS = {"date", "expires"}


def get(client: Client, path: str, **headers: str):
    """GET a page; returns the response and the templates rendered to answer it."""
    templates: list[str] = []

    def record(sender, template, **kwargs):
        templates.append(template.name)

    template_rendered.connect(record)
    try:
        response = client.get(path, headers=headers)
    finally:
        template_rendered.disconnect(record)
    return response, templates


def comparable_headers(response) -> dict[str, str]:
    return {k.lower(): v for k, v in response.items() if k.lower() not in TIME_HEADERS}


# --- Hits and misses ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", CONTENT_PATHS)
def test_second_request_is_served_from_cache_with_identical_body_and_headers(client, path):
    miss, miss_templates = get(client, path, accept_encoding="br")
    hit, hit_templates = get(client, path, accept_encoding="br")

    assert miss.status_code == hit.status_code == 200
    assert miss_templates, "the first request renders the page"
    assert hit_templates == [], "the second request comes from the cache"
    assert hit.content == miss.content
    assert comparable_headers(hit) == comparable_headers(miss)


def test_hit_carries_every_security_header_of_a_fresh_page(client):
    miss, _ = get(client, "/chronic-pain/")
    hit, hit_templates = get(client, "/chronic-pain/")

    assert hit_templates == []
    for header in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "Cross-Origin-Resource-Policy",
        "Cross-Origin-Opener-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "X-Frame-Options",
        "Content-Type",
    ):
        assert hit[header] == miss[header], header


def test_hit_under_production_settings_carries_hsts_like_a_fresh_page(
    tmp_path, production_database_url
):
    result = run_django(
        """
import json
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
client = Client()
responses = [client.get("/chronic-pain/", HTTP_HOST="avyia.example.org", secure=True,
                        HTTP_ACCEPT_ENCODING="br") for _ in range(2)]
print(json.dumps([{"status": r.status_code, "headers": dict(r.headers)} for r in responses]))
""",
        env={
            **PRODUCTION_ENV,
            "DATABASE_URL": production_database_url,
            "CACHE_URL": f"filecache://{tmp_path / 'cache'}",
        },
    )
    assert result.returncode == 0, result.stderr
    miss, hit = json.loads(result.stdout.strip().splitlines()[-1])

    assert miss["status"] == hit["status"] == 200
    assert "max-age=" in hit["headers"]["Strict-Transport-Security"]
    assert hit["headers"] == miss["headers"]


def test_head_request_gets_the_headers_of_a_get_without_the_body(client):
    page, _ = get(client, "/faq/", accept_encoding="br")

    head = client.head("/faq/", headers={"accept-encoding": "br"})

    assert head.status_code == 200
    assert head.content == b""
    assert comparable_headers(head) == comparable_headers(page)


# --- Revalidation ---------------------------------------------------------------------------------


def test_pages_ask_browsers_to_revalidate_every_time(client):
    response, _ = get(client, "/faq/")

    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"max-age=0", "must-revalidate"} <= directives
    assert response["ETag"].startswith(('W/"', '"'))


def test_matching_etag_gets_304_without_a_body(client):
    first, _ = get(client, "/faq/", accept_encoding="br")

    revalidated, templates = get(client, "/faq/", accept_encoding="br", if_none_match=first["ETag"])

    assert revalidated.status_code == 304
    assert revalidated.content == b""
    assert revalidated["ETag"] == first["ETag"]
    assert revalidated["Cache-Control"] == first["Cache-Control"]
    assert "Accept-Encoding" in revalidated["Vary"]
    assert templates == []


def test_etag_matches_in_any_encoding_and_among_several_tags(client):
    first, _ = get(client, "/faq/", accept_encoding="gzip")

    listed = f'"stale", {first["ETag"]}'
    revalidated, _ = get(client, "/faq/", accept_encoding="br", if_none_match=listed)

    assert revalidated.status_code == 304


def test_a_stale_etag_gets_the_full_page(client):
    response, _ = get(client, "/faq/", if_none_match='W/"0123456789abcdef"')

    assert response.status_code == 200
    assert b"</html>" in response.content


def test_changed_content_gets_a_new_etag(client):
    first, _ = get(client, "/faq/")
    entry = faq_entry_save(
        entry=FaqEntry(question="Can I bring a friend?", answer="<p>Yes.</p>", order=999)
    )

    after, _ = get(client, "/faq/", if_none_match=first["ETag"])

    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert entry.question.encode() in after.content


# --- Encodings ------------------------------------------------------------------------------------


def test_brotli_gzip_and_identity_bodies_are_the_same_page(client):
    identity, _ = get(client, "/chronic-pain/")
    br, _ = get(client, "/chronic-pain/", accept_encoding="gzip, deflate, br, zstd")
    gz, _ = get(client, "/chronic-pain/", accept_encoding="gzip, deflate")

    assert "Content-Encoding" not in identity
    assert br["Content-Encoding"] == "br"
    assert gz["Content-Encoding"] == "gzip"
    assert brotli.decompress(br.content) == identity.content
    assert gzip.decompress(gz.content) == identity.content
    assert len(br.content) < len(gz.content) < len(identity.content)
    for response in (identity, br, gz):
        assert int(response["Content-Length"]) == len(response.content)
        assert "Accept-Encoding" in response["Vary"]
        assert response["ETag"] == identity["ETag"]


def test_an_encoding_refused_with_q_zero_is_not_sent(client):
    response, _ = get(client, "/chronic-pain/", accept_encoding="br;q=0, gzip")

    assert response["Content-Encoding"] == "gzip"


def test_each_encoding_is_compressed_once_per_content_version(client):
    _, first = get(client, "/chronic-pain/", accept_encoding="br")
    _, gzip_templates = get(client, "/chronic-pain/", accept_encoding="gzip")
    _, identity_templates = get(client, "/chronic-pain/")

    assert first and gzip_templates == [] and identity_templates == []


# --- No per-user state ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", CONTENT_PATHS)
def test_content_pages_set_no_cookie_and_do_not_vary_on_cookies(client, path):
    response, _ = get(client, path)

    assert response.cookies == {}
    assert "Set-Cookie" not in response
    assert "cookie" not in response.get("Vary", "").lower()


def test_content_page_leaves_pending_messages_alone_and_stays_cacheable(client):
    # A message waiting in its cookie, as after a redirect from a form: reading it would mean
    # a cookie and a page that varies per visitor.
    client.cookies["messages"] = "pending"

    first, _ = get(client, "/")
    second, templates = get(client, "/")

    assert first.status_code == 200
    assert first.cookies == {} and second.cookies == {}
    assert "cookie" not in first.get("Vary", "").lower()
    assert templates == []


@pytest.mark.urls("tests.pages.urls_shared_page_in_private_places")
def test_response_that_set_a_cookie_is_not_stored(client):
    first, first_templates = get(client, "/privacy-with-cookie/")
    assert first.cookies, "the page set its cookie"

    client.cookies.clear()
    again, again_templates = get(client, "/privacy-with-cookie/")
    assert first_templates and again_templates, "the response that set a cookie was kept"
    assert again.cookies, "a stored copy would have lost the cookie"
    assert "ETag" not in again


# --- What is never cached -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/staff/login/", "/no-such-page/", "/robots.txt"])
def test_pages_outside_the_content_pages_are_rendered_every_time(client, path):
    first, first_templates = get(client, path)
    second, second_templates = get(client, path)

    assert first_templates and second_templates
    assert first.status_code == second.status_code
    assert "ETag" not in second
    assert second.get("Cache-Control", "") != "max-age=0, must-revalidate, public"


@pytest.mark.parametrize("path", ["/screening/", "/es/screening/"])
def test_the_forms_first_page_is_never_a_shared_copy(path):
    # Its blank form is rendered once (intake.blank_form), but each visitor gets a response of
    # their own: their CSRF token and cookie, no validator, and no cache may keep it.
    first, second = Client().get(path), Client().get(path)

    assert first.status_code == second.status_code == 200
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert first.content != second.content
    assert "ETag" not in second
    assert "no-store" in second["Cache-Control"] and "public" not in second["Cache-Control"]


@pytest.mark.urls("tests.pages.urls_shared_page_in_private_places")
@pytest.mark.parametrize(
    "path", ["/screening/privacy-copy/", "/es/screening/privacy-copy/", "/staff/privacy-copy/"]
)
def test_nothing_under_the_screening_form_or_the_admin_is_cached_whatever_the_view(client, path):
    _, first = get(client, path)
    response, second = get(client, path)

    assert response.status_code == 200
    assert first and second
    assert "ETag" not in response


def test_form_posts_to_a_content_path_are_not_cached(client):
    get(client, "/faq/")

    response = client.post("/faq/")

    assert response.status_code == 405
    assert "ETag" not in response


def test_query_strings_are_served_the_cached_page(client):
    # Content pages never read the query string, so tracking links cost no rendering and add
    # nothing to the cache.
    _, first = get(client, "/faq/")

    for n in range(20):
        response, templates = get(client, f"/faq/?utm_source=newsletter{n}")
        assert response.status_code == 200
        assert templates == []
    assert first


def test_a_disallowed_host_gets_the_same_400_with_or_without_a_cached_page(client):
    fresh = Client().get("/faq/", headers={"host": "evil.example"})
    get(client, "/faq/")  # now cached

    cached = client.get("/faq/", headers={"host": "evil.example"})

    assert fresh.status_code == cached.status_code == 400
    assert comparable_headers(cached) == comparable_headers(fresh)


# --- Invalidation ---------------------------------------------------------------------------------


def test_bumping_the_content_version_renders_the_page_afresh(client):
    get(client, "/chronic-pain/")
    _, cached = get(client, "/chronic-pain/")

    bump_content_version()
    _, after_bump = get(client, "/chronic-pain/")

    assert cached == [] and after_bump


def test_saving_an_faq_entry_shows_on_the_next_request(client):
    entry = faq_entry_save(
        entry=FaqEntry(question="Is parking available?", answer="<p>Usually.</p>", order=998)
    )
    get(client, "/faq/")
    entry.question = "Where should the nurse park?"

    faq_entry_save(entry=entry)
    response, _ = get(client, "/faq/")

    assert b"Where should the nurse park?" in response.content
    assert b"Is parking available?" not in response.content


def test_a_change_committed_by_a_transaction_is_never_served_stale(
    client, django_capture_on_commit_callbacks
):
    # A page rendered after the save but before the commit must not outlive the commit.
    with django_capture_on_commit_callbacks(execute=True):
        entry = faq_entry_save(
            entry=FaqEntry(question="Do you treat migraine?", answer="<p>Ask.</p>", order=997)
        )
        during, _ = get(client, "/faq/")
    after, templates = get(client, "/faq/")

    assert templates, "the commit moved the version on again"
    assert entry.question.encode() in after.content
    assert during.status_code == 200


def test_a_cache_outage_serves_pages_uncached_instead_of_failing(client, caplog):
    unreachable = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    with override_settings(CACHES=unreachable), caplog.at_level(logging.ERROR):
        first, first_templates = get(client, "/chronic-pain/")
        second, second_templates = get(client, "/chronic-pain/")

    assert first.status_code == second.status_code == 200
    assert first_templates and second_templates
    assert "Content version unavailable" in caplog.text
