"""deploy/nginx.conf, run in front of stand-in app servers: it refuses what the app would, never
sends a POST twice, and passes the client address and whole bodies only."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings

from deploy.render_nginx import TEMPLATE, render_cluster_conf, render_nginx_conf

DEPLOY = Path(TEMPLATE).parent


class AppServer:
    """A stand-in app server on loopback that records what nginx passes it; `broken` ones read
    the request and close the connection without answering (an app server that died mid-request).
    """

    def __init__(self, *, broken: bool = False):
        received = self.received = []
        arrived = self.arrived = []  # requests whose head has reached the server

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                arrived.append(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                received.append((self.command, self.path, dict(self.headers), len(body)))
                if broken:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.address = f"127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def nginx_in_front_of(app_servers: list[AppServer], tmp_path: Path) -> Iterator[str]:
    """The site file, as `make cluster` runs it, in front of `app_servers`; yields its base URL."""
    port = free_port()
    site = tmp_path / "avyia-site.conf"
    site.write_text(
        render_nginx_conf(
            runtime_dir=str(tmp_path),
            listen=[f"127.0.0.1:{port}"],
            server_name="localhost",
            app_servers=[app.address for app in app_servers],
            admin_url="staff/",
        )
    )
    conf = tmp_path / "nginx.conf"
    user = "root root" if os.geteuid() == 0 else ""
    conf.write_text(render_cluster_conf(runtime_dir=str(tmp_path), site=str(site), user=user))
    nginx = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        else:
            pytest.fail(f"nginx did not start: {nginx.stderr.read1().decode()}")
        yield f"http://127.0.0.1:{port}"
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        for app in app_servers:
            app.server.shutdown()


def post(url: str, body: bytes, **headers: str) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_nginx_refuses_a_body_over_the_apps_limit_and_passes_one_at_it(tmp_path):
    app = AppServer()
    limit, photo_limit = settings.REQUEST_BODY_MAX_BYTES, settings.STAFF_UPLOAD_MAX_BYTES
    with nginx_in_front_of([app], tmp_path) as front:
        at_limit = post(f"{front}/screening/", b"x" * limit)
        over = post(f"{front}/screening/", b"x" * (limit + 1))
        photo = post(f"{front}/staff/pages/clinician/add/", b"x" * photo_limit)
        photo_over = post(f"{front}/staff/pages/clinician/add/", b"x" * (photo_limit + 1))

    assert at_limit[0] == 200 and photo[0] == 200
    assert over[0] == photo_over[0] == 413
    assert "too large to send" in over[1]
    # Only the two bodies within the limits reached the app, whole.
    assert [(path, size) for _, path, _, size in app.received] == [
        ("/screening/", limit),
        ("/staff/pages/clinician/add/", photo_limit),
    ]


def test_nginx_never_sends_a_post_to_a_second_app_server(tmp_path):
    # The broken server is listed first, so a fresh nginx tries it first.
    broken, healthy = AppServer(broken=True), AppServer()
    with nginx_in_front_of([broken, healthy], tmp_path) as front:
        statuses = [post(f"{front}/screening/", f"attempt={n}".encode())[0] for n in range(4)]

    lost = [request for request in broken.received if request[0] == "POST"]
    assert lost, "no POST went to the broken app server"
    # The one it took is not sent again: the patient is told to try again (a calm 503).
    assert statuses.count(503) == len(lost)
    assert statuses.count(200) == len(healthy.received) == 4 - len(lost)


def test_nginx_sends_a_get_to_the_other_app_server_when_one_fails(tmp_path):
    broken, healthy = AppServer(broken=True), AppServer()
    with nginx_in_front_of([broken, healthy], tmp_path) as front:
        statuses = [
            urllib.request.urlopen(f"{front}/faq/", timeout=20).status  # noqa: S310
            for _ in range(4)
        ]

    assert statuses == [200] * 4
    assert broken.received, "no GET went to the broken app server"
    assert len(healthy.received) == 4


def test_nginx_replaces_the_forwarded_for_header_and_holds_a_body_until_it_is_whole(tmp_path):
    app = AppServer()
    with nginx_in_front_of([app], tmp_path) as front:
        port = int(front.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(
                b"POST /screening/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n"
                b"X-Forwarded-For: 203.0.113.9\r\nConnection: close\r\n\r\nzip_c"
            )
            time.sleep(0.5)
            before_the_rest = list(app.arrived)
            conn.sendall(b"ode=1")
            answer = conn.recv(4096)

    assert before_the_rest == []  # a slow client never holds an app server's worker
    assert answer.startswith(b"HTTP/1.1 200")
    ((_, _, headers, size),) = app.received
    assert size == 10
    assert headers["X-Forwarded-For"] == "127.0.0.1"


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
