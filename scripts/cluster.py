"""The production topology on one machine: `make cluster`.

nginx (deploy/nginx.conf, the production file) in front of two gunicorn app servers on separate
loopback ports, PostgreSQL (the running service; this script creates its own database), Redis as the
shared cache, and the task worker. Prints the front door once it answers, restarts any process that
dies (as a process manager would), and stops everything on Ctrl+C, SIGTERM or exit.

Settings pass through from the environment (e.g. SCREENING_RATE_LIMIT, EMAIL_URL); the script only
fills in what the topology needs and the caller did not set. It writes the ports and process ids to
RUNTIME_DIR/cluster.json for the tests that run against it (tests/topology/).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from deploy.render_nginx import render_nginx_conf  # noqa: E402

PYTHON = sys.executable


def log(message: str) -> None:
    print(f"[cluster] {message}", flush=True)


@dataclass
class Child:
    name: str
    command: list[str]
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen | None = None
    restarts: int = 0
    started_at: float = field(default=0.0)

    def start(self) -> None:
        log_file = self.log_path.open("ab")
        # A session of its own: stopping (or a test's kill -9) reaches gunicorn's workers too.
        self.process = subprocess.Popen(
            self.command,
            cwd=PROJECT_DIR,
            env=self.env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log_file.close()
        self.started_at = time.monotonic()

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal_group(self, sig: int) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)

    def stop(self, timeout: float = 10) -> None:
        if self.process is None:
            return
        self.signal_group(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.signal_group(signal.SIGKILL)
            self.process.wait()
        # Workers of a gunicorn master killed earlier may linger in the group.
        self.signal_group(signal.SIGKILL)


def ensure_nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("Installing Debian's nginx...")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "nginx"], check=True, env=env)
        return shutil.which("nginx") or "/usr/sbin/nginx"
    sys.exit("make cluster needs nginx: run 'sudo apt-get install nginx'.")


def ensure_database(admin_url: str, name: str) -> str:
    """Create the cluster's own database on the running PostgreSQL if it is missing."""
    import psycopg

    try:
        with psycopg.connect(f"{admin_url}/postgres", autocommit=True, connect_timeout=5) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
                log(f"Created PostgreSQL database {name}.")
    except psycopg.OperationalError as exc:
        sys.exit(f"PostgreSQL is not answering at {admin_url} ({exc}); start it first.")
    return f"{admin_url}/{name}"


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def wait_for(url: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


class Cluster:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.runtime = Path(args.runtime_dir).resolve()
        self.front_port = args.port
        self.app_ports = [args.port + 1, args.port + 2]
        self.children: list[Child] = []
        self.stopping = False

    # --- set-up --------------------------------------------------------------------------------

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        front = f"http://127.0.0.1:{self.front_port}"
        if "DATABASE_URL" not in env:
            env["DATABASE_URL"] = ensure_database(self.args.postgres, self.args.database)
        if "CACHE_URL" not in env:
            url = f"redis://127.0.0.1:6379/{self.args.redis_db}"
            if not redis_answers(url):
                url = self.start_redis()
            env["CACHE_URL"] = url
        env.setdefault("DJANGO_TRUSTED_PROXIES", "127.0.0.1")
        env.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
        env.setdefault("SITE_URL", front)
        env.setdefault("WEB_CONCURRENCY", str(self.args.workers))
        return env

    def start_redis(self) -> str:
        port = self.front_port + 9
        redis_server = shutil.which("redis-server")
        if not redis_server:
            sys.exit("Redis is not answering on 127.0.0.1:6379 and redis-server is missing.")
        child = Child(
            "redis",
            [redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
            dict(os.environ),
            self.runtime / "redis.log",
        )
        child.start()
        self.children.append(child)
        url = f"redis://127.0.0.1:{port}/0"
        for _ in range(50):
            if redis_answers(url):
                return url
            time.sleep(0.1)
        sys.exit("redis-server did not start; see " + str(child.log_path))

    def prepare(self, env: dict[str, str]) -> None:
        for command in (
            ["manage.py", "migrate", "--noinput", "-v0"],
            ["manage.py", "collectstatic", "--noinput", "-v0"],
        ):
            subprocess.run([PYTHON, *command], cwd=PROJECT_DIR, env=env, check=True)

    def nginx_conf(self) -> Path:
        path = self.runtime / "nginx.conf"
        path.write_text(
            render_nginx_conf(
                runtime_dir=str(self.runtime / "nginx"),
                listen=[f"127.0.0.1:{self.front_port}"],
                server_name="127.0.0.1 localhost",
                app_servers=[f"127.0.0.1:{port}" for port in self.app_ports],
            )
        )
        return path

    # --- running -------------------------------------------------------------------------------

    def start(self) -> None:
        self.runtime.mkdir(parents=True, exist_ok=True)
        (self.runtime / "nginx").mkdir(exist_ok=True)
        if os.geteuid() == 0:
            # nginx's workers run as nobody and write their temporary files here.
            os.chmod(self.runtime / "nginx", 0o777)  # noqa: S103 - a private test directory
        nginx = ensure_nginx()
        env = self.environment()
        self.prepare(env)
        conf = self.nginx_conf()
        for n, port in enumerate(self.app_ports):
            self.children.append(
                Child(
                    f"app{n + 1}",
                    [PYTHON, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
                    {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                    self.runtime / f"app{n + 1}.log",
                )
            )
        self.children.append(
            Child(
                "worker",
                [PYTHON, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.5"],
                env,
                self.runtime / "worker.log",
            )
        )
        self.children.append(
            Child(
                "nginx",
                [nginx, "-p", str(self.runtime / "nginx"), "-c", str(conf), "-g", "daemon off;"],
                env,
                self.runtime / "nginx.log",
            )
        )
        nginx_child = self.children.pop()
        for child in self.children:
            if not child.running():
                child.start()
        # nginx last, once both app servers answer: it would mark a booting one as down.
        for port in self.app_ports:
            if not wait_for(f"http://127.0.0.1:{port}/healthz", timeout=60):
                self.stop()
                sys.exit(f"The app server on port {port} did not start; see {self.runtime}.")
        self.children.append(nginx_child)
        nginx_child.start()
        self.write_state()
        front = f"http://127.0.0.1:{self.front_port}/"
        if not wait_for(front + "healthz", timeout=60):
            self.stop()
            sys.exit(f"The front door did not answer; see the logs in {self.runtime}.")
        log(f"logs and state in {self.runtime}")
        print(f"AVYIA cluster is up: {front}  (Ctrl+C stops everything)", flush=True)

    def write_state(self) -> None:
        state = {
            "front": f"http://127.0.0.1:{self.front_port}",
            "apps": [
                {"url": f"http://127.0.0.1:{port}", "pid": child.pid}
                for port, child in zip(self.app_ports, self.app_children(), strict=True)
            ],
            "children": {child.name: child.pid for child in self.children},
            "supervisor": os.getpid(),
        }
        tmp = self.runtime / "cluster.json.tmp"
        tmp.write_text(json.dumps(state, indent=2))
        tmp.replace(self.runtime / "cluster.json")

    def app_children(self) -> list[Child]:
        return [c for c in self.children if c.name.startswith("app")]

    def supervise(self) -> None:
        while not self.stopping:
            for child in self.children:
                if self.stopping or child.running():
                    continue
                code = child.process.returncode if child.process else None
                log(f"{child.name} exited ({code}); restarting it.")
                # Whatever is left of its process group (gunicorn workers) goes first.
                child.signal_group(signal.SIGKILL)
                time.sleep(0.5)
                child.restarts += 1
                child.start()
                self.write_state()
            time.sleep(0.2)

    def stop(self, *_args) -> None:
        if self.stopping:
            return
        self.stopping = True
        log("stopping...")
        # The front door first, so nothing new arrives; the worker finishes its task.
        for child in reversed(self.children):
            child.stop()
        (self.runtime / "cluster.json").unlink(missing_ok=True)
        log("stopped.")


@contextlib.contextmanager
def running_cluster(
    *, port: int, database: str, runtime: Path, env: dict[str, str], fresh: bool = True
) -> Iterator[dict]:
    """Run this script in the background (for tests and benchmarks) until the block ends.

    Yields its state (cluster.json: front door, app servers, process ids) plus `database_url`.
    """
    postgres = os.environ.get("CLUSTER_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    if fresh:
        import psycopg

        with psycopg.connect(f"{postgres}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    runtime.mkdir(parents=True, exist_ok=True)
    full_env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env.update(
        CLUSTER_PORT=str(port),
        CLUSTER_RUNTIME_DIR=str(runtime),
        CLUSTER_DATABASE=database,
        CLUSTER_POSTGRES=postgres,
        **env,
    )
    full_env.pop("DATABASE_URL", None)
    log_path = runtime / "supervisor.log"
    with log_path.open("w") as log_file:
        process = subprocess.Popen(
            [PYTHON, str(Path(__file__).resolve())],
            cwd=PROJECT_DIR,
            env=full_env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 180
        while "AVYIA cluster is up" not in log_path.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the cluster did not come up:\n{log_path.read_text()}")
            time.sleep(0.3)
        state = json.loads((runtime / "cluster.json").read_text())
        yield {**state, "database_url": f"{postgres}/{database}", "runtime": runtime}
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description="Run nginx, two app servers and a task worker.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("CLUSTER_PORT", 8200)))
    parser.add_argument(
        "--database", default=os.environ.get("CLUSTER_DATABASE", "avyia_cluster"), help="PG name"
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("CLUSTER_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server URL without a database name",
    )
    parser.add_argument("--redis-db", type=int, default=int(os.environ.get("CLUSTER_REDIS_DB", 11)))
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server")
    parser.add_argument(
        "--runtime-dir", default=os.environ.get("CLUSTER_RUNTIME_DIR", "var/cluster")
    )
    args = parser.parse_args()

    cluster = Cluster(args)

    def on_signal(signum, _frame) -> None:
        cluster.stop()
        sys.exit(128 + signum)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        cluster.start()
        cluster.supervise()
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
