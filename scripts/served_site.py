"""Start the site under gunicorn on a throwaway SQLite database, for benchmarks and audits.

Everything lives in a temporary directory (database, collected static files, file cache), so a run
never touches the development database or `var/staticfiles`. The server listens on a free port on
127.0.0.1 with the checked-in `gunicorn.conf.py`, as `make run` serves the site.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
PYTHON = PROJECT_DIR / ".venv" / "bin" / "python"


@dataclass(frozen=True)
class ServedSite:
    base_url: str
    workdir: Path
    env: dict[str, str]
    log: Path

    def static_url(self, name: str) -> str:
        """The hashed URL of a collected static file, e.g. "css/site.css"."""
        manifest = json.loads(
            (Path(self.env["DJANGO_STATIC_ROOT"]) / "staticfiles.json").read_text()
        )
        return f"{self.base_url}/static/{manifest['paths'][name]}"

    def manage(self, *args: str) -> str:
        """Run a manage.py command against this site's database and cache; returns its output."""
        result = subprocess.run(
            [str(PYTHON), "manage.py", *args],
            cwd=PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            sys.stderr.write(result.stdout + result.stderr)
            raise RuntimeError(f"manage.py {args[0]} failed (its output is above)")
        return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def served_site(
    *,
    extra_env: dict[str, str] | None = None,
    gunicorn_args: tuple[str, ...] = (),
    static_root: Path | None = None,
    port: int | None = None,
    prepare: Callable[[ServedSite], None] | None = None,
) -> Iterator[ServedSite]:
    """Migrate a fresh SQLite database, collect static files and run gunicorn until exit.

    `static_root` reuses files already collected there instead of collecting afresh; `port` is
    the port to listen on (a free one by default); `prepare(site)` runs after the migrations,
    before the server starts (to load data, say).
    """
    with tempfile.TemporaryDirectory(prefix="avyia-served-") as tmp:
        workdir = Path(tmp)
        port = port or free_port()
        env = {
            **os.environ,
            "DJANGO_ENV": "local",
            "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
            "DJANGO_STATIC_ROOT": str(static_root or workdir / "static"),
            "CACHE_URL": f"filecache://{workdir / 'cache'}",
            "SITE_URL": f"http://127.0.0.1:{port}",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            **(extra_env or {}),
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        site = ServedSite(
            base_url=f"http://127.0.0.1:{port}",
            workdir=workdir,
            env=env,
            log=workdir / "gunicorn.log",
        )
        site.manage("migrate", "--noinput", "-v0")
        if static_root is None:
            site.manage("collectstatic", "--noinput", "-v0")
        if prepare is not None:
            prepare(site)
        with site.log.open("wb") as log:
            server = subprocess.Popen(
                [str(PYTHON.parent / "gunicorn"), "--config", "gunicorn.conf.py", *gunicorn_args],
                cwd=PROJECT_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_until_healthy(site, server)
            yield site
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_healthy(site: ServedSite, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.stderr.write(site.log.read_text()[-4000:])
            raise RuntimeError("gunicorn exited during start-up (its log is above)")
        try:
            with urllib.request.urlopen(site.base_url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz within 60 seconds")
