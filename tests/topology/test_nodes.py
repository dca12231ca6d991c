"""Two app servers behind nginx act as one site: content, staff sessions and limits are shared."""

from __future__ import annotations

import os
import pwd
import socket
import subprocess
import time

import pytest
import requests
from bs4 import BeautifulSoup
from django_otp.oath import totp

from .support import cluster, screening_post

pytestmark = pytest.mark.topology

PASSWORD = "a long staff password 42"
# How long each app process may keep the content version it read (CONTENT_VERSION_MAX_AGE).
VERSION_MAX_AGE = 1.0


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with cluster(
        port=8250,
        database="avyia_topo_nodes",
        runtime=tmp_path_factory.mktemp("nodes") / "cluster",
        env={
            "SCREENING_RATE_LIMIT": "3/hour",
            "SCREENING_DRAFT_RATE_LIMIT": "off",
            "SCREENING_MIN_FILL_SECONDS": "0",
            "CONTENT_VERSION_MAX_AGE": str(VERSION_MAX_AGE),
        },
    ) as running:
        yield running


@pytest.fixture(scope="module")
def manager(site):
    """A manager who may also edit the FAQ, with an enrolled authenticator: (name, key)."""
    key = site.manage_shell(
        "from django.contrib.auth.models import Permission\n"
        "from intake.staff.accounts import staff_user_create\n"
        f"user, device = staff_user_create(username='topo-manager', password={PASSWORD!r}, "
        "role='manager')\n"
        "user.user_permissions.add(*Permission.objects.filter(content_type__app_label='pages'))\n"
        "print(device.key)"
    )
    return "topo-manager", key.splitlines()[-1]


def code_for(key_hex: str, *, after: int | None = None) -> str:
    """The current TOTP code; a code is accepted once, so wait for a fresh one when asked."""
    while after is not None and int(time.time()) // 30 == after:
        time.sleep(0.5)
    return f"{totp(bytes.fromhex(key_hex)):06d}"


def sign_in(session: requests.Session, base: str, username: str, password: str, code: str):
    session.get(f"{base}/staff/login/", timeout=10)
    return session.post(
        f"{base}/staff/login/",
        data={
            "username": username,
            "password": password,
            "otp_token": code,
            "next": "/staff/",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=10,
    )


def form_fields(html: str, form_id: str) -> dict[str, list[str] | str]:
    form = BeautifulSoup(html, "html.parser").find("form", id=form_id)
    data: dict = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in {"submit", "button", "file"}:
            continue
        if field.name == "textarea":
            data[name] = field.text
        elif field.name == "select":
            data[name] = [o["value"] for o in field.find_all("option") if o.has_attr("selected")]
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        else:
            data[name] = field.get("value", "")
    return data


def test_a_staff_sign_in_on_one_node_continues_on_the_other_and_an_faq_edit_shows_everywhere(
    site, manager
):
    node_a, node_b = site.nodes
    username, key = manager
    staff = site.session()
    assert sign_in(staff, node_a, username, PASSWORD, code_for(key)).status_code == 302

    # The same session on the other app server: still signed in, no new sign-in asked.
    queue = staff.get(f"{node_b}/staff/", allow_redirects=False, timeout=10)
    assert queue.status_code == 200

    # Read /faq/ on node B first, so its memory holds the page before the edit.
    assert site.session().get(f"{node_b}/faq/", timeout=10).status_code == 200
    entry_id = site.sql("SELECT id FROM pages_faqentry WHERE published ORDER BY id LIMIT 1")[0][0]
    change = f"{node_a}/staff/pages/faqentry/{entry_id}/change/"
    data = form_fields(staff.get(change, timeout=10).text, "faqentry_form")
    marker = f"Edited on node A at {time.time():.0f}."
    data["answer"] = f"<p>{marker}</p>"
    saved = staff.post(change, data=data, allow_redirects=False, timeout=10)
    assert saved.status_code == 302, saved.text[:2000]

    # The content version lives in the shared Redis cache; node B asks for it again once its own
    # copy is VERSION_MAX_AGE old, so the edit shows there (and through nginx) within that time.
    time.sleep(VERSION_MAX_AGE + 0.2)
    assert marker in site.session().get(f"{node_b}/faq/", timeout=10).text
    assert marker in requests.get(f"{site.front}/faq/", timeout=10).text


def test_the_screening_rate_limit_counts_across_both_nodes(site):
    # Straight to each app server as nginx would send it: from loopback, with the client address.
    client = {"X-Forwarded-For": "203.0.113.77"}
    statuses = []
    for n in range(4):
        session = site.session()
        response, _reference = screening_post(session, site.nodes[n % 2], **client)
        statuses.append(response.status_code)

    assert statuses == [302, 302, 302, 429]


def test_the_sign_in_lockout_counts_across_both_nodes(site, manager):
    username, key = manager
    client = {"X-Forwarded-For": "203.0.113.88"}
    for n in range(5):
        session = site.session()
        session.headers.update(client)
        sign_in(session, site.nodes[n % 2], username, "not the password", "000000")

    session = site.session()
    session.headers.update(client)
    locked = sign_in(session, site.nodes[1], username, PASSWORD, code_for(key))
    assert locked.status_code == 429

    # Another address is not locked out (the lockout is per username and address).
    other = site.session()
    other.headers.update({"X-Forwarded-For": "203.0.113.89"})
    started = int(time.time()) // 30
    response = sign_in(other, site.nodes[0], username, PASSWORD, code_for(key, after=started))
    assert response.status_code == 302


def test_the_front_door_refuses_what_the_site_cannot_use_at_once_with_the_header_baseline(site):
    baseline = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options")

    # A body announced as a terabyte is refused before a byte of it is read.
    with socket.create_connection(("127.0.0.1", 8250), timeout=5) as conn:
        started = time.monotonic()
        conn.sendall(
            b"POST /screening/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000000000\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n\r\n"
        )
        head = conn.recv(4096).decode("latin-1")
    assert head.startswith("HTTP/1.1 413"), head
    assert time.monotonic() - started < 2
    assert all(f"\r\n{name}:" in head for name in baseline), head

    for path, words in (("/screening/", "sends no files"), ("/es/screening/", "no envía archivos")):
        multipart = requests.post(
            f"{site.front}{path}", files={"scan": ("scan.pdf", b"x" * 1000)}, timeout=10
        )
        assert multipart.status_code == 415
        assert all(name in multipart.headers for name in baseline)
        assert "charset=utf-8" in multipart.headers["Content-Type"]
        assert words in multipart.text

    assert requests.put(f"{site.front}/healthz", timeout=10).status_code == 405
    head = requests.head(f"{site.front}/healthz", timeout=10)
    assert head.status_code == 200
    assert all(name in head.headers for name in baseline)

    static = requests.get(f"{site.front}/favicon.ico", timeout=10)
    assert static.status_code == 200
    assert all(name in static.headers for name in baseline)
    assert "Access-Control-Allow-Origin" not in static.headers


CONNECT_AS = """
import socket, sys
s = socket.socket(socket.AF_UNIX)
try:
    s.connect(sys.argv[1])
    print("connected")
except OSError as exc:
    print(type(exc).__name__)
"""


def test_app_servers_listen_only_on_sockets_that_nginx_alone_may_open(site):
    # No TCP port to forge X-Forwarded-For on: the old app ports refuse, loopback included.
    for port in (8251, 8252):
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0

    if os.geteuid() != 0:
        pytest.skip("needs root to try the sockets as other users")
    other_user = pwd.getpwnam("daemon").pw_uid
    nginx_user = pwd.getpwnam("nobody")

    def connect_as(uid: int, gid: int, path: str) -> str:
        def drop() -> None:
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)

        result = subprocess.run(
            # The system's Python: another user may not read this one's installation.
            ["/usr/bin/python3", "-c", CONNECT_AS, path],
            preexec_fn=drop,
            capture_output=True,
            text=True,
            timeout=20,
        )
        return result.stdout.strip()

    for path in site.sockets:
        assert connect_as(other_user, other_user, path) == "PermissionError"
        assert connect_as(nginx_user.pw_uid, nginx_user.pw_gid, path) == "connected"
