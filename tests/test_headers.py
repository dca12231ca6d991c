"""The security headers on every page, in local and in production settings."""

import json

import pytest

from tests.support import PRODUCTION_ENV, run_django

EXPECTED_CSP = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "manifest-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def parse_csp(header: str) -> dict[str, str]:
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        if name:
            directives[name] = value.strip()
    return directives


def assert_baseline_headers(headers: dict[str, str]) -> None:
    assert parse_csp(headers["Content-Security-Policy"]) == EXPECTED_CSP
    policy = headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in policy
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_local_page_carries_the_security_headers(client):
    response = client.get("/")

    assert response.status_code == 200
    assert_baseline_headers(response.headers)
    assert "Strict-Transport-Security" not in response.headers


def test_production_page_carries_the_security_headers_and_hsts(production_database_url):
    result = run_django(
        """
import json
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
insecure = Client().get("/", HTTP_HOST="avyia.example.org")
response = Client().get("/", HTTP_HOST="avyia.example.org", secure=True)
print(json.dumps({"status": response.status_code, "headers": dict(response.headers),
                  "insecure": [insecure.status_code, insecure.headers.get("Location")]}))
""",
        env={**PRODUCTION_ENV, "DATABASE_URL": production_database_url},
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])

    assert outcome["status"] == 200
    assert_baseline_headers(outcome["headers"])
    hsts = outcome["headers"]["Strict-Transport-Security"]
    assert "includeSubDomains" in hsts and "preload" in hsts
    assert int(hsts.split("max-age=")[1].split(";")[0]) >= 31536000
    assert outcome["insecure"] == [301, "https://avyia.example.org/"]


@pytest.mark.django_db
def test_admin_asks_not_to_be_indexed(client):
    response = client.get("/staff/login/")

    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "X-Robots-Tag" not in client.get("/").headers
