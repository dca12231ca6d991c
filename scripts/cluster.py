"""The production topology on one machine: `make cluster`, under supervisord.

supervisord runs what the systemd units in deploy/systemd run: two app servers
(avyia-app@.service, each on its own unix socket) and the task worker (avyia-worker.service), their
ExecStart and Environment read from the unit files, with /srv/avyia read as this checkout and
/run/avyia-app as a private socket directory only nginx's user may enter. nginx serves the
production site file (deploy/nginx.conf) in front, started once both app servers answer. Redis is
the one on 6379, or a redis-server of its own under supervisord; PostgreSQL the running server,
with a database of the cluster's own. supervisord restarts whatever dies; Ctrl+C stops everything.

`running_cluster()` runs it in the background for the topology tests and the benchmark;
RUNTIME_DIR/cluster.json tells them where the front door and the app servers' sockets are.
"""

from __future__ import annotations

import argparse
import contextlib
import grp
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from deploy.render_nginx import render_cluster_conf, render_nginx_conf  # noqa: E402

BIN = Path(sys.executable).parent
UNITS = PROJECT_DIR / "deploy" / "systemd"
APP_SERVERS = ("1", "2")
# nginx's workers when the cluster runs as root; the socket directory belongs to their group.
NGINX_USER, NGINX_GROUP = "nobody", "nogroup"


def log(message: str) -> None:
    print(f"[cluster] {message}", flush=True)


def unit_command(unit: str, *, instance: str, sockets: Path) -> tuple[str, dict[str, str]]:
    """A unit's ExecStart and Environment, with production paths mapped onto this checkout."""
    text = (UNITS / unit).read_text()
    paths = {
        "%i": instance,
        "/srv/avyia/.venv/bin/": f"{BIN}/",
        "/srv/avyia": str(PROJECT_DIR),
        "/run/avyia-app": str(sockets),
    }

    def mapped(value: str) -> str:
        for production, here in paths.items():
            value = value.replace(production, here)
        return value

    (command,) = re.findall(r"^ExecStart=(.+)$", text, re.M)
    env = dict(line.split("=", 1) for line in re.findall(r"^Environment=(.+)$", text, re.M))
    return mapped(command), {name: mapped(value) for name, value in env.items()}


def app_socket(sockets: Path, instance: str) -> Path:
    _command, env = unit_command("avyia-app@.service", instance=instance, sockets=sockets)
    return Path(env["GUNICORN_BIND"].removeprefix("unix:"))


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


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP to an app server's unix socket (what nginx does)."""

    def __init__(self, path: str, timeout: float = 5) -> None:
        super().__init__("127.0.0.1", timeout=timeout)
        self.socket_path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


def healthy(*, port: int | None = None, socket_path: Path | None = None) -> bool:
    if socket_path is not None:
        conn: http.client.HTTPConnection = UnixHTTPConnection(str(socket_path), timeout=2)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def socket_directory(port: int) -> Path:
    """A short private directory for the app servers' sockets (a socket path has ~100 bytes).

    Only nginx's user may enter it: as root, group-owned by nginx's workers' group and setgid, so
    the sockets created in it are theirs too; otherwise the invoking user's alone."""
    path = Path(tempfile.mkdtemp(prefix=f"avyia-{port}-"))
    if os.geteuid() == 0:
        gid = grp.getgrnam(NGINX_GROUP).gr_gid
        for directory in (path, *(path / n for n in APP_SERVERS)):
            directory.mkdir(exist_ok=True)
            os.chown(directory, 0, gid)
            directory.chmod(0o2750)
    else:
        for n in APP_SERVERS:
            (path / n).mkdir(mode=0o700)
    return path


def supervisord_conf(
    runtime: Path, sockets: Path, nginx: str, nginx_conf: Path, redis_port: int | None
) -> str:
    programs: dict[str, tuple[str, dict[str, str], int, bool]] = {}
    if redis_port:
        redis_server = shutil.which("redis-server")
        if not redis_server:
            sys.exit("Redis is not answering on 127.0.0.1:6379 and redis-server is missing.")
        command = f"{redis_server} --port {redis_port} --bind 127.0.0.1 --save ''"
        programs["redis"] = (command, {}, 1, True)
    for n in APP_SERVERS:
        command, env = unit_command("avyia-app@.service", instance=n, sockets=sockets)
        if os.geteuid() == 0:
            # gunicorn gives its socket its own group: as root, nginx's workers' group instead
            # (in production the unit's group, which nginx's user joins).
            env["GUNICORN_CMD_ARGS"] = f"--group {NGINX_GROUP}"
        programs[f"app{n}"] = (command, env, 10, True)
    command, env = unit_command("avyia-worker.service", instance="", sockets=sockets)
    programs["worker"] = (command, env, 20, True)
    # nginx waits for the app servers (it would mark a booting one as down): started by hand.
    programs["nginx"] = (
        f"{nginx} -p {runtime / 'nginx'} -c {nginx_conf} -g 'daemon off;'",
        {},
        30,
        False,
    )

    def quoted(value: str) -> str:
        return '"' + value.replace("%", "%%").replace('"', '\\"') + '"'

    lines = [
        "[unix_http_server]",
        f"file={sockets / 'supervisor.sock'}",
        "chmod=0700",
        "[supervisord]",
        f"logfile={runtime / 'supervisord.log'}",
        f"pidfile={runtime / 'supervisord.pid'}",
        f"childlogdir={runtime}",
        "nodaemon=true",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
        "[supervisorctl]",
        f"serverurl=unix://{sockets / 'supervisor.sock'}",
    ]
    for name, (command, env, priority, autostart) in programs.items():
        lines += [
            f"[program:{name}]",
            f"command={command.replace('%', '%%')}",
            f"directory={PROJECT_DIR}",
            f"priority={priority}",
            f"autostart={'true' if autostart else 'false'}",
            "autorestart=true",
            "startsecs=1",
            "startretries=100",
            # Its own process group, stopped whole: gunicorn's workers go with their master.
            "stopasgroup=true",
            "killasgroup=true",
            "stopwaitsecs=35",
            "redirect_stderr=true",
            f"stdout_logfile={runtime / (name + '.log')}",
        ]
        if env:
            lines.append("environment=" + ",".join(f"{k}={quoted(v)}" for k, v in env.items()))
    return "\n".join(lines) + "\n"


def supervisorctl(conf: Path, *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "supervisorctl"), "-c", str(conf), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description="Run nginx, two app servers and a task worker.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("CLUSTER_PORT", 8200)))
    parser.add_argument("--database", default=os.environ.get("CLUSTER_DATABASE", "avyia_cluster"))
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

    runtime = Path(args.runtime_dir).resolve()
    (runtime / "nginx").mkdir(parents=True, exist_ok=True)
    nginx = ensure_nginx()
    sockets = socket_directory(args.port)
    front = f"http://127.0.0.1:{args.port}"

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.setdefault("DATABASE_URL", ensure_database(args.postgres, args.database))
    redis_port = None
    if "CACHE_URL" not in env:
        url = f"redis://127.0.0.1:6379/{args.redis_db}"
        if not redis_answers(url):
            redis_port = args.port + 9
            url = f"redis://127.0.0.1:{redis_port}/0"
        env["CACHE_URL"] = url
    env.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("SITE_URL", front)
    env.setdefault("WEB_CONCURRENCY", str(args.workers))
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=PROJECT_DIR, env=env, check=True
        )

    site = runtime / "avyia-site.conf"
    site.write_text(
        render_nginx_conf(
            runtime_dir=str(runtime / "nginx"),
            listen=[f"127.0.0.1:{args.port}"],
            server_name="127.0.0.1 localhost",
            app_servers=[f"unix:{app_socket(sockets, n)}" for n in APP_SERVERS],
        )
    )
    nginx_conf = runtime / "nginx.conf"
    user = f"{NGINX_USER} {NGINX_GROUP}" if os.geteuid() == 0 else ""
    nginx_conf.write_text(
        render_cluster_conf(runtime_dir=str(runtime / "nginx"), site=str(site), user=user)
    )
    conf = runtime / "supervisord.conf"
    conf.write_text(supervisord_conf(runtime, sockets, nginx, nginx_conf, redis_port))

    supervisor = subprocess.Popen(
        [str(BIN / "supervisord"), "-c", str(conf)], cwd=PROJECT_DIR, env=env
    )

    def forward(_signum: int = signal.SIGTERM, _frame=None) -> None:
        # supervisord stops every program (nginx first, by priority) and exits; main() then
        # returns from its wait and cleans up.
        with contextlib.suppress(ProcessLookupError):
            supervisor.send_signal(signal.SIGTERM)

    def stop(reason: str = "") -> None:
        if reason:
            log(reason)
        log("stopping...")
        forward()
        supervisor.wait()
        shutil.rmtree(sockets, ignore_errors=True)
        (runtime / "cluster.json").unlink(missing_ok=True)
        log("stopped.")
        sys.exit(1 if reason else 0)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)

    def ready(condition) -> bool:
        return wait_until(lambda: supervisor.poll() is not None or condition(), 90) and (
            supervisor.poll() is None
        )

    for n in APP_SERVERS:
        if not ready(lambda n=n: healthy(socket_path=app_socket(sockets, n))):
            stop(f"The app server {n} did not start; see {runtime}/app{n}.log.")
    supervisorctl(conf, "start", "nginx")
    if not ready(lambda: healthy(port=args.port)):
        stop(f"The front door did not answer; see the logs in {runtime}.")
    state = {
        "front": front,
        "apps": [{"name": f"app{n}", "socket": str(app_socket(sockets, n))} for n in APP_SERVERS],
        "supervisord_conf": str(conf),
    }
    (runtime / "cluster.json").write_text(json.dumps(state, indent=2))
    log(f"logs and state in {runtime}; supervisorctl -c {conf} status")
    print(f"AVYIA cluster is up: {front}/  (Ctrl+C stops everything)", flush=True)
    supervisor.wait()
    stop()


@contextlib.contextmanager
def running_cluster(
    *, port: int, database: str, runtime: Path, env: dict[str, str], fresh: bool = True
) -> Iterator[dict]:
    """Run `make cluster` in the background (for tests and benchmarks) until the block ends.

    Yields its state (cluster.json: front door, app servers' sockets) plus `database_url`."""
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
    log_path = runtime / "cluster.log"
    with log_path.open("w") as log_file:
        process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve())],
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
            process.wait(90)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def program_pid(state: dict, name: str) -> int:
    """The process id supervisord has for a program (0 while it is not running)."""
    output = supervisorctl(Path(state["supervisord_conf"]), "pid", name)
    return int(output) if output.isdigit() else 0


if __name__ == "__main__":
    main()
