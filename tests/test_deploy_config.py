"""deploy/nginx.conf: the production proxy agrees with the app's limits and never retries a POST."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from deploy.render_nginx import TEMPLATE, render_cluster_conf, render_nginx_conf

DEPLOY = Path(TEMPLATE).parent


def directives(name: str) -> list[str]:
    text = "\n".join(line.split("#")[0] for line in TEMPLATE.read_text().splitlines())
    return [m.group(1).strip() for m in re.finditer(rf"^\s*{name}\s+([^;]+);", text, re.M)]


def test_nginx_body_limits_are_the_apps():
    patients, staff = directives("client_max_body_size")
    assert int(patients.removesuffix("k")) * 1024 == settings.REQUEST_BODY_MAX_BYTES
    assert int(staff.removesuffix("m")) * 1024 * 1024 == settings.STAFF_UPLOAD_MAX_BYTES


def test_nginx_tries_another_app_server_but_never_resends_a_post():
    (next_upstream,) = directives("proxy_next_upstream")
    # Only a failed connection or a timeout: an app server's own 503 is the patient's answer.
    assert set(next_upstream.split()) == {"error", "timeout"}


def test_nginx_replaces_the_forwarded_for_header_and_buffers_slow_clients():
    assert directives("proxy_set_header") and "X-Forwarded-For $remote_addr" in directives(
        "proxy_set_header"
    )
    assert directives("proxy_request_buffering") == ["on"]
    assert directives("proxy_buffering") == ["on"]
    for timeout in ("client_header_timeout", "client_body_timeout", "send_timeout"):
        (value,) = directives(timeout)
        assert int(value.rstrip("s")) <= 30


def test_every_value_must_be_filled_in(tmp_path):
    text = render_nginx_conf(
        runtime_dir=str(tmp_path),
        listen=["127.0.0.1:8299"],
        server_name="localhost",
        app_servers=["127.0.0.1:8297", "127.0.0.1:8298"],
    )
    assert not re.findall(r"@[A-Z_]+@", text)
    assert text.count("max_fails=1 fail_timeout=5s;") == 2


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_check(conf: Path, prefix: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [NGINX, "-t", "-p", str(prefix), "-c", str(conf)],
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_the_site_file_passes_nginx_check_inside_debians_own_nginx_conf(tmp_path):
    """As production installs it: rendered for TLS and unix sockets, included by Debian's
    /etc/nginx/nginx.conf in place of sites-enabled (no directive of ours may clash with it)."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=avyia.example.org", "-keyout", str(tmp_path / "key.pem"), "-out",
         str(tmp_path / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    tls = tmp_path / "avyia-tls.conf"
    tls.write_text(
        (DEPLOY / "tls" / "avyia-tls.conf")
        .read_text()
        .replace(
            "/etc/letsencrypt/live/avyia.example.org/fullchain.pem", str(tmp_path / "cert.pem")
        )
        .replace("/etc/letsencrypt/live/avyia.example.org/privkey.pem", str(tmp_path / "key.pem"))
    )
    site = tmp_path / "avyia"
    site.write_text(
        render_nginx_conf(
            runtime_dir=str(tmp_path),
            listen=["443 ssl", "80"],
            server_name="avyia.example.org",
            app_servers=[
                "unix:/run/avyia-app/1/gunicorn.sock",
                "unix:/run/avyia-app/2/gunicorn.sock",
            ],
            tls_include=str(tls),
        )
    )
    debian = Path("/etc/nginx/nginx.conf").read_text()
    assert "include /etc/nginx/sites-enabled/*;" in debian
    conf = tmp_path / "nginx.conf"
    conf.write_text(debian.replace("include /etc/nginx/sites-enabled/*;", f"include {site};"))

    result = nginx_check(conf, tmp_path)

    assert result.returncode == 0, result.stderr
    assert "[warn]" not in result.stderr and "[emerg]" not in result.stderr, result.stderr


def test_make_cluster_wraps_the_same_site_file_in_a_conf_nginx_accepts(tmp_path):
    site = tmp_path / "avyia-site.conf"
    site.write_text(
        render_nginx_conf(
            runtime_dir=str(tmp_path),
            listen=["127.0.0.1:8299"],
            server_name="localhost",
            app_servers=[f"unix:{tmp_path}/1.sock", f"unix:{tmp_path}/2.sock"],
        )
    )
    conf = tmp_path / "nginx.conf"
    conf.write_text(render_cluster_conf(runtime_dir=str(tmp_path), site=str(site)))

    result = nginx_check(conf, tmp_path)

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("admin_url", ["staff/", "clinic-office/", "/team.admin/"])
def test_large_bodies_are_allowed_only_on_the_photo_pages_under_the_admin_url(tmp_path, admin_url):
    text = render_nginx_conf(
        runtime_dir=str(tmp_path),
        listen=["127.0.0.1:8299"],
        server_name="localhost",
        app_servers=["127.0.0.1:8297"],
        admin_url=admin_url,
    )
    large = re.findall(r"location ~ \"([^\"]+)\" \{[^}]*client_max_body_size 11m;", text)

    assert len(large) == 1
    pattern = re.compile(large[0].replace("\\.", "[.]"))
    prefix = "/" + admin_url.strip("/") + "/"
    for path in (
        f"{prefix}pages/clinician/add/",
        f"{prefix}pages/clinician/12/change/",
        f"{prefix}pages/clinicprofile/1/change/",
    ):
        assert pattern.match(path), path
    for path in (
        f"{prefix}login/",
        f"{prefix}pages/faqentry/add/",
        f"{prefix}pages/clinician/12/delete/",
        "/staff/login/",
        "/screening/",
    ):
        assert not pattern.match(path), path


def test_the_admin_url_comes_from_the_same_variable_as_the_apps(tmp_path, monkeypatch):
    monkeypatch.setenv("DJANGO_ADMIN_URL", "front-desk")
    text = render_nginx_conf(
        runtime_dir=str(tmp_path),
        listen=["127.0.0.1:8299"],
        server_name="localhost",
        app_servers=["127.0.0.1:8297"],
    )

    assert '"^/front-desk/pages/(clinician/' in text
    assert "/staff/" not in "\n".join(line.split("#")[0] for line in text.splitlines())
