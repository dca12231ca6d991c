"""The front door's own answers: the header baseline on every response, large bodies only where
a photo is uploaded (under whatever DJANGO_ADMIN_URL says), an app server's 503 passed on as is."""

from __future__ import annotations

import io
import os
import shutil
import socket
import tempfile
from pathlib import Path

import psycopg
import pytest
import requests
from PIL import Image

from tests.test_headers import parse_csp

from .support import cluster
from .test_nodes import PASSWORD, code_for

pytestmark = pytest.mark.topology

PORT = 8254
DATABASE = "avyia_topo_edge"
ADMIN = "/clinic-office/"
BASELINE = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options")
MEGABYTE = 1024 * 1024


@pytest.fixture(scope="module")
def site():
    # Not under pytest's own temporary directory (open to root only): nginx's workers run as
    # nobody and write a body larger than their buffer (a photo) to a file under the runtime.
    runtime = Path(tempfile.mkdtemp(prefix="avyia-topology-edge-"))
    runtime.chmod(0o755)
    try:
        with cluster(
            port=PORT,
            database=DATABASE,
            runtime=runtime / "cluster",
            env={
                "DJANGO_ADMIN_URL": ADMIN.strip("/"),
                "SCREENING_MIN_FILL_SECONDS": "0",
            },
        ) as running:
            yield running
    finally:
        shutil.rmtree(runtime, ignore_errors=True)


def raw_head(request: bytes) -> tuple[int, list[tuple[str, str]]]:
    """Send bytes as they are (no client library would send these) and read the status line and
    every header, repeated ones included."""
    with socket.create_connection(("127.0.0.1", PORT), timeout=10) as conn:
        conn.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
    head = data.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = [tuple(part.strip() for part in line.split(":", 1)) for line in head[1:]]
    return status, headers


def get(path: str, *extra_headers: bytes) -> bytes:
    lines = [f"GET {path} HTTP/1.1".encode(), b"Host: 127.0.0.1", *extra_headers]
    return b"\r\n".join([*lines, b"Connection: close", b"", b""])


def assert_baseline_once(headers: list[tuple[str, str]]) -> None:
    names = [name.lower() for name, _ in headers]
    for name in BASELINE:
        assert names.count(name.lower()) == 1, (name, headers)


def test_every_response_carries_the_header_baseline_once(site):
    cases = {
        "nginx 400": (b"NOT HTTP AT ALL\r\n\r\n", {400}),
        "nginx 405": (b"TRACE / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", {405}),
        "nginx 414": (get("/" + "a" * 20_000), {414}),
        "nginx cookie too large": (get("/", b"Cookie: a=" + b"b" * 20_000), {400}),
        # Under nginx's 16 kB per header, over gunicorn's 8 kB: gunicorn's own bare answer.
        "gunicorn 431": (get("/", b"X-Long: " + b"c" * 10_000), {400, 431}),
        "a content page": (get("/"), {200}),
        "the staff sign-in": (get(f"{ADMIN}login/"), {200}),
        "the health check": (get("/healthz"), {200}),
    }
    for name, (request, statuses) in cases.items():
        status, headers = raw_head(request)

        assert status in statuses, (name, status)
        assert_baseline_once(headers)
    # The app's own policy passes unchanged (the admin's is its own).
    app = site.session().get(f"{site.nodes[0]}{ADMIN}login/", timeout=10)
    front = requests.get(f"{site.front}{ADMIN}login/", timeout=10)
    assert parse_csp(front.headers["Content-Security-Policy"]) == parse_csp(
        app.headers["Content-Security-Policy"]
    )


def photo_bytes(size: int = MEGABYTE) -> bytes:
    side = int((size / 1.2) ** 0.5)
    buffer = io.BytesIO()
    Image.frombytes("L", (side, side), os.urandom(side * side)).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def clinic_manager(site):
    key = site.manage_shell(
        "from intake.staff.accounts import staff_user_create\n"
        f"user, device = staff_user_create(username='edge-manager', password={PASSWORD!r}, "
        "role='manager')\n"
        "user.is_superuser = True\n"
        "user.save()\n"
        "print(device.key)"
    )
    return "edge-manager", key.splitlines()[-1]


def test_large_bodies_pass_only_to_the_photo_pages_under_the_admin_url(site, clinic_manager):
    large = {"upload": ("portrait.jpg", photo_bytes(), "image/jpeg")}

    # Anywhere else, the sign-in page and the old default prefix included: nginx's 413.
    for path in (f"{ADMIN}login/", "/staff/login/", "/staff/pages/clinician/add/", "/faq/"):
        refused = requests.post(f"{site.front}{path}", files=large, timeout=20)
        assert refused.status_code == 413, path
        assert "too large to send" in refused.text

    # The upload page passes it on; the app takes it only from staff signed in with both factors.
    add = f"{site.front}{ADMIN}pages/clinician/add/"
    anonymous = requests.post(add, files=large, timeout=20)
    assert anonymous.status_code == 400
    assert "We could not read what your browser sent" in anonymous.text

    username, key = clinic_manager
    staff = requests.Session()
    staff.get(f"{site.front}{ADMIN}login/", timeout=10)
    signed_in = staff.post(
        f"{site.front}{ADMIN}login/",
        data={
            "username": username,
            "password": PASSWORD,
            "otp_token": code_for(key),
            "next": ADMIN,
            "csrfmiddlewaretoken": staff.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=10,
    )
    assert signed_in.status_code == 302, signed_in.text[:2000]
    staff.get(add, timeout=10)
    added = staff.post(
        add,
        data={
            "name": "Alex Example",
            "credentials": "MD",
            "role": "Medical director",
            "order": "0",
            "_save": "Save",
            "csrfmiddlewaretoken": staff.cookies["csrftoken"],
        },
        files=large,
        headers={"Referer": add},
        allow_redirects=False,
        timeout=30,
    )
    assert added.status_code == 302, added.text[:2000]
    assert site.sql("SELECT photo FROM pages_clinician")[0][0].endswith(".webp")


def _database_read_only(site, on: bool) -> None:
    # New sessions read-only (or not), then every open one ended, as a failover would.
    admin_url = site.database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        setting = (
            "SET default_transaction_read_only = on"
            if on
            else "RESET default_transaction_read_only"
        )
        conn.execute(f'ALTER DATABASE "{DATABASE}" {setting}')
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [DATABASE],
        )


def test_an_app_servers_503_reaches_the_patient_and_never_takes_the_content_pages_down(site):
    patient = requests.Session()
    patient.get(f"{site.front}/screening/", timeout=10)
    _database_read_only(site, True)
    try:
        health = [requests.get(f"{site.front}/healthz", timeout=10) for _ in range(4)]
        step = patient.post(
            f"{site.front}/screening/",
            data={"zip_code": "98103", "csrfmiddlewaretoken": patient.cookies["csrftoken"]},
            allow_redirects=False,
            timeout=10,
        )
        pages = [requests.get(f"{site.front}{path}", timeout=10) for path in ("/", "/faq/") * 4]
    finally:
        _database_read_only(site, False)

    # The app servers' own 503s, as they sent them.
    assert [response.status_code for response in health] == [503] * 4
    assert all(response.text == "database unavailable\n" for response in health)
    assert step.status_code == 503
    assert "We could not save your request just now" in step.text
    assert 'value="98103"' in step.text
    assert int(step.headers["Retry-After"]) > 0
    # And neither app server was taken for down: the content pages kept coming.
    assert [response.status_code for response in pages] == [200] * 8

    # Writable again: every worker's next request finds it so (no kept read-only connection).
    app_servers = site.session()
    for node in site.nodes:
        assert [app_servers.get(f"{node}/healthz", timeout=10).status_code for _ in range(6)] == [
            200
        ] * 6
