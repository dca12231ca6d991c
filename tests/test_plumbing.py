"""robots.txt, sitemap.xml, security.txt, favicons and the health check."""

import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from tests.support import PROJECT_DIR, run_django

pytestmark = pytest.mark.django_db


def test_robots_keeps_crawlers_off_the_confirmation_and_hides_the_admin(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /screening/received/" in body
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in body
    assert settings.ADMIN_URL.strip("/") not in body


def test_sitemap_lists_every_public_page_on_the_site_url(client):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = {
        loc.text for loc in ET.fromstring(response.content).findall("s:url/s:loc", namespace)
    }
    expected_paths = [
        "/",
        "/chronic-pain/",
        "/ketamine-for-chronic-pain/",
        "/at-home-ketamine-therapy/",
        "/cost/",
        "/faq/",
        "/screening/",
        "/privacy/",
        "/consumer-health-data-privacy/",
        "/terms/",
        "/language-assistance/",
    ]
    expected_paths += ["/es" + path for path in expected_paths]
    assert locations == {settings.SITE_URL + path for path in expected_paths}
    for path in expected_paths:
        assert client.get(path).status_code == 200, path


def test_security_txt_names_a_contact_and_a_near_expiry(client, example_clinic):
    response = client.get("/.well-known/security.txt")

    assert response.status_code == 200
    fields = dict(
        line.split(": ", 1) for line in response.content.decode().splitlines() if ": " in line
    )
    assert fields["Contact"] == f"mailto:{example_clinic.email}"
    expires = datetime.fromisoformat(fields["Expires"])
    assert timezone.now() < expires < timezone.now() + timedelta(days=365)


def test_favicons_are_served(client):
    ico = client.get("/favicon.ico")
    assert ico.status_code == 200
    assert b"".join(ico.streaming_content)[:4] == b"\x00\x00\x01\x00"

    home = client.get("/").content.decode()
    assert 'rel="icon"' in home and ".svg" in home


def test_healthz_answers_ok_without_cookie_or_session(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert not response.cookies
    assert "Vary" not in response.headers


def test_healthz_answers_a_probe_by_ip_address_in_production(production_database_url):
    from tests.support import PRODUCTION_ENV

    result = run_django(
        """
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
probe = Client().get("/healthz", HTTP_HOST="10.0.0.7")
page = Client().get("/", HTTP_HOST="10.0.0.7")
print(probe.status_code, page.status_code)
""",
        env={**PRODUCTION_ENV, "DATABASE_URL": production_database_url},
    )
    # The probe gets a plain 200 over HTTP; any other page by address is refused (host check).
    assert result.stdout.split()[-2:] == ["200", "400"], result.stderr


def test_healthz_is_503_when_the_database_is_unreachable():
    result = run_django(
        'from django.test import Client; print(Client().get("/healthz").status_code)',
        env={"DATABASE_URL": "postgres://nobody@127.0.0.1:9/nowhere"},
    )
    assert result.stdout.strip().splitlines()[-1] == "503", result.stderr


def test_phone_links_dial_an_e164_number(client, set_clinic_facts):
    set_clinic_facts(phone="(206) 555-0142")

    body = client.get("/terms/").content.decode()

    assert 'href="tel:+12065550142"' in body
    assert 'href="tel:(' not in body


def test_not_browser_leaves_out_every_browser_test():
    selected = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-m",
            "not browser",
            "tests/browser",
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    everything = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "tests/browser"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert "::" in everything.stdout
    assert "::" not in selected.stdout, selected.stdout
