"""Running `make cluster` for a test module, and talking to it as patients and staff would."""

from __future__ import annotations

import json
import os
import socket
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import requests
import urllib3
from requests.adapters import HTTPAdapter

from scripts.bench_screening import REFERENCE_RE
from scripts.cluster import program_pid, running_cluster
from tests.intake.screening_support import step_posts, valid_answers
from tests.support import PROJECT_DIR


class _UnixConnection(urllib3.connection.HTTPConnection):
    def __init__(self, socket_path: str, **kwargs) -> None:
        super().__init__("127.0.0.1", **kwargs)
        self.socket_path = socket_path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


class _UnixPool(urllib3.HTTPConnectionPool):
    def __init__(self, socket_path: str, **kwargs) -> None:
        super().__init__("127.0.0.1", **kwargs)
        self.socket_path = socket_path

    def _new_conn(self) -> _UnixConnection:
        return _UnixConnection(self.socket_path, timeout=self.timeout.connect_timeout)


class AppServerAdapter(HTTPAdapter):
    """Requests to an app server go to its unix socket, as nginx's do (as root, the tests may
    open it). Each app server keeps a name like http://127.0.0.1:8251 that nothing listens on:
    one host for both, so cookies (a staff session) follow a client from one to the other."""

    def __init__(self, socket_path: str) -> None:
        super().__init__()
        self.socket_path = socket_path

    def get_connection_with_tls_context(self, request, verify, proxies=None, cert=None):
        return _UnixPool(self.socket_path)

    def request_url(self, request, proxies):
        return request.path_url


@dataclass
class RunningCluster:
    front: str
    nodes: list[str]
    sockets: list[str]
    database_url: str
    runtime: Path

    def state(self) -> dict:
        return json.loads((self.runtime / "cluster.json").read_text())

    def session(self) -> requests.Session:
        """A client that reaches the front door over TCP and each app server over its socket."""
        session = requests.Session()
        for node, path in zip(self.nodes, self.sockets, strict=True):
            session.mount(node + "/", AppServerAdapter(path))
        return session

    def app_pid(self, n: int) -> int:
        """The process id of app server n's gunicorn master (0 while supervisord restarts it)."""
        return program_pid(self.state(), self.state()["apps"][n]["name"])

    def sql(self, query: str, params: list | None = None) -> list[tuple]:
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            return conn.execute(query, params or []).fetchall()

    def manage_shell(self, code: str) -> str:
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        env.update(DATABASE_URL=self.database_url, DJANGO_TRUSTED_PROXIES="127.0.0.1")
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return result.stdout.strip()


@contextmanager
def cluster(
    *, port: int, database: str, runtime: Path, env: dict[str, str]
) -> Iterator[RunningCluster]:
    """`make cluster` on `port` (nginx) and the two ports after it (app servers), fresh database."""
    with running_cluster(port=port, database=database, runtime=runtime, env=env) as state:
        yield RunningCluster(
            front=state["front"],
            nodes=[f"http://127.0.0.1:{port + n}" for n in range(1, len(state["apps"]) + 1)],
            sockets=[app["socket"] for app in state["apps"]],
            database_url=state["database_url"],
            runtime=runtime,
        )


def screening_post(
    session: requests.Session, base: str, *, timeout: float = 20, **headers: str
) -> tuple[requests.Response, str]:
    """A valid screening request sent step by step as a browser would (CSRF cookie and token),
    each patient with an e-mail address of their own: the last response, and the reference the
    confirmation shows ("" when the request was not acknowledged)."""
    if "csrftoken" not in session.cookies:
        session.get(f"{base}/screening/", timeout=timeout, headers=headers)
    data = valid_answers(email=f"patient.{os.urandom(8).hex()}@example.org")
    response = None
    for url, fields in step_posts(data):
        fields = {**fields, "csrfmiddlewaretoken": session.cookies["csrftoken"]}
        response = session.post(
            base + url, data=fields, allow_redirects=False, timeout=timeout, headers=headers
        )
        if response.status_code != 302:
            return response, ""
    confirmation = session.get(base + response.headers["Location"], timeout=timeout)
    found = REFERENCE_RE.search(confirmation.text)
    return response, found.group(1).strip() if found else ""


# --- A mail server the tests can stop and start --------------------------------------------------


class _SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 test SMTP")
        in_data, lines = False, []
        while raw := self.rfile.readline():
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if in_data:
                if line == ".":
                    in_data = False
                    self.server.messages.append("\n".join(lines))
                    lines = []
                    self.reply("250 queued")
                else:
                    lines.append(line[1:] if line.startswith("..") else line)
                continue
            verb = line[:4].upper()
            if verb == "EHLO":
                self.reply("250 test")
            elif verb == "DATA":
                in_data = True
                self.reply("354 go ahead")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


class MailServer(socketserver.ThreadingTCPServer):
    """A minimal SMTP server on loopback that keeps every message it accepts."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int) -> None:
        super().__init__(("127.0.0.1", port), _SMTPHandler)
        self.messages: list[str] = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.shutdown()
        self.server_close()


def free_port_is_closed(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0
