"""The configuration contract: production refuses to start half-configured and passes --deploy."""

import json
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.support import PRODUCTION_ENV, run_django

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_lists_exactly_the_variables_production_requires():
    # The sentence after "Set `DJANGO_ENV=production` with" names every required variable.
    production = README.read_text().split("### Production", 1)[1]
    sentence = production.split("with all of", 1)[1].split(".", 1)[0]
    listed = re.findall(r"`([A-Z_]+)`", sentence)

    assert sorted(listed) == sorted(settings.REQUIRED_IN_PRODUCTION)
    assert len(listed) == len(set(listed))


@pytest.mark.parametrize("variable", settings.REQUIRED_IN_PRODUCTION)
def test_production_refuses_to_start_without_a_required_setting(variable):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != variable}
    result = run_django(args=["check"], env=env, drop=(variable,))

    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [f"{variable} is required when DJANGO_ENV=production."]


@pytest.mark.parametrize(
    "url", ["sqlite:////srv/avyia/db.sqlite3", "sqlite://:memory:", "mysql://avyia@db/avyia"]
)
def test_production_refuses_any_database_but_postgresql(url):
    result = run_django(args=["check"], env={**PRODUCTION_ENV, "DATABASE_URL": url})

    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == ["DATABASE_URL must be a postgres:// address when DJANGO_ENV=production."]


def test_production_passes_check_deploy_with_no_warnings():
    result = run_django(args=["check", "--deploy", "--fail-level", "WARNING"], env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_are_https_only():
    result = run_django(
        """
import json
from django.conf import settings as s
print(json.dumps({
    "redirect": s.SECURE_SSL_REDIRECT,
    "hsts": s.SECURE_HSTS_SECONDS,
    "sub": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "preload": s.SECURE_HSTS_PRELOAD,
    "session": s.SESSION_COOKIE_NAME,
    "csrf": s.CSRF_COOKIE_NAME,
    "secure": [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE],
    "httponly": [s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY],
    "samesite": [s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE],
    "proxy": getattr(s, "SECURE_PROXY_SSL_HEADER", None),
}))
""",
        env=PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)

    assert values["redirect"] is True
    assert values["hsts"] >= 365 * 24 * 3600
    assert values["sub"] and values["preload"]
    assert values["session"].startswith("__Secure-")
    assert values["csrf"].startswith("__Secure-")
    assert values["secure"] == [True, True]
    assert values["httponly"] == [True, True]
    assert values["samesite"] == ["Lax", "Lax"]
    assert values["proxy"] is None


def test_proxy_ssl_header_is_trusted_only_when_asked():
    result = run_django(
        "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)",
        env={
            **PRODUCTION_ENV,
            "DJANGO_SECURE_PROXY_SSL_HEADER": "true",
            "DJANGO_TRUSTED_PROXIES": "10.0.0.1",
        },
    )
    assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_behind_a_proxy_production_needs_the_proxy_addresses():
    result = run_django(
        args=["check"],
        env={**PRODUCTION_ENV, "DJANGO_SECURE_PROXY_SSL_HEADER": "true"},
        drop=("DJANGO_TRUSTED_PROXIES",),
    )

    assert result.returncode != 0
    assert result.stderr.strip() == (
        "DJANGO_TRUSTED_PROXIES is required when DJANGO_SECURE_PROXY_SSL_HEADER is on."
    )


def test_a_proxy_count_is_refused_because_it_trusts_anyone():
    result = run_django(args=["check"], env={"DJANGO_TRUSTED_PROXY_COUNT": "1"})

    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXIES" in result.stderr


def test_malformed_proxy_addresses_are_refused():
    result = run_django(args=["check"], env={"DJANGO_TRUSTED_PROXIES": "10.0.0.1,nginx"})

    assert result.returncode != 0
    assert result.stderr.startswith("DJANGO_TRUSTED_PROXIES:")


@pytest.mark.parametrize("site_url", [None, "http://avyia.example.org"])
def test_production_refuses_to_start_without_an_https_site_url(site_url):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SITE_URL"}
    if site_url:
        env["SITE_URL"] = site_url
    result = run_django(args=["check"], env=env, drop=("SITE_URL",))

    assert result.returncode != 0
    assert "SITE_URL" in result.stderr


def test_production_trusts_its_own_site_url_for_csrf():
    result = run_django(
        "from django.conf import settings; print(settings.CSRF_TRUSTED_ORIGINS)",
        env=PRODUCTION_ENV,
    )
    assert result.stdout.strip() == "['https://avyia.example.org']"


def test_passwords_need_twelve_characters():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("Tr0ub4dor&3")
    validate_password("correct horse battery staple")


def test_sqlite_default_uses_wal_and_immediate_transactions(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite-specific")
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # The in-memory test database cannot use WAL; a file database does (checked below).
    assert mode in {"wal", "memory"}


def test_sqlite_file_database_runs_in_wal_mode(tmp_path):
    result = run_django(
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])",
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
    )
    assert result.stdout.strip() == "wal", result.stderr


def test_check_deploy_refuses_uncompiled_translations(tmp_path):
    # The message file, without its compiled twin.
    source = Path(settings.LOCALE_PATHS[0]) / "es" / "LC_MESSAGES" / "django.po"
    locale = tmp_path / "es" / "LC_MESSAGES"
    locale.mkdir(parents=True)
    shutil.copy(source, locale / "django.po")

    result = run_django(
        "from django.core.management import call_command\n"
        f"from django.conf import settings; settings.LOCALE_PATHS = [{str(tmp_path)!r}]\n"
        "call_command('check', deploy=True)",
        env=PRODUCTION_ENV,
    )

    assert result.returncode != 0
    assert "pages.E001" in result.stderr


def test_locally_the_site_url_follows_the_port_make_run_serves():
    on_8123 = run_django(
        "from django.conf import settings; print(settings.SITE_URL)",
        env={"PORT": "8123"},
        drop=("SITE_URL",),
    )
    default = run_django(
        "from django.conf import settings; print(settings.SITE_URL)", drop=("SITE_URL", "PORT")
    )

    assert on_8123.stdout.split()[-1] == "http://127.0.0.1:8123"
    assert default.stdout.split()[-1] == "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    ("drop", "finding"),
    [("EMAIL_URL", "operations.W001"), ("ON_CALL_EMAIL", "operations.W002")],
)
def test_check_deploy_warns_when_notices_and_alerts_would_reach_nobody(drop, finding):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != drop}
    result = run_django(
        args=["check", "--deploy", "--fail-level", "WARNING"], env=env, drop=(drop,)
    )

    assert result.returncode != 0
    assert finding in result.stdout + result.stderr


def test_a_cache_url_s_key_prefix_reaches_the_redis_cache():
    # Several sites, or test runs, share one Redis database apart only by their keys' prefix.
    result = run_django(
        "from django.core.cache import cache; print(cache.make_key('version'))",
        env={"CACHE_URL": "redis://127.0.0.1:6379/0?key_prefix=clinic-a"},
    )

    assert result.stdout.strip() == "clinic-a:1:version", result.stderr
