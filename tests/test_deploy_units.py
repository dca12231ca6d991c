"""deploy/systemd, deploy/logrotate, deploy/tls: the production kit checked by the tools that
will run it (Debian's systemd-analyze and logrotate; `make test` installs them)."""

from __future__ import annotations

import configparser
import itertools
import re
import shlex
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import get_commands

from scripts.cluster import supervisord_conf
from tests.support import PROJECT_DIR

DEPLOY = PROJECT_DIR / "deploy"
UNITS = DEPLOY / "systemd"
UNIT_FILES = sorted(p for p in UNITS.iterdir() if p.is_file())
SERVICES = [p for p in UNIT_FILES if p.suffix == ".service"]
TIMERS = [p for p in UNIT_FILES if p.suffix == ".timer"]
SYSTEMD_ANALYZE = shutil.which("systemd-analyze") or "/usr/bin/systemd-analyze"


def values(unit: Path, key: str) -> list[str]:
    return re.findall(rf"^{key}=(.*)$", unit.read_text(), re.M)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The units as installed, with /srv/avyia read as this checkout so that every ExecStart
    names a program that exists; the shared hardening drop-in beside them."""
    target = tmp_path_factory.mktemp("systemd")
    for source in UNITS.rglob("*"):
        if source.is_file():
            path = target / source.relative_to(UNITS)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(source.read_text().replace("/srv/avyia", str(PROJECT_DIR)))
    return target


def analyze(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SYSTEMD_ANALYZE, *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_the_kit_has_the_app_server_worker_and_a_timer_per_scheduled_job():
    names = {p.name for p in UNIT_FILES}
    assert {"avyia-app@.service", "avyia-worker.service", "avyia.target"} <= names
    for job in ("alert-overdue", "purge", "clearsessions", "backup"):
        assert {f"avyia-{job}.service", f"avyia-{job}.timer"} <= names


@pytest.mark.parametrize("unit", UNIT_FILES, ids=lambda p: p.name)
def test_systemd_analyze_verify_finds_nothing_to_say(installed, unit):
    result = analyze("verify", "--man=no", str(installed / unit.name), cwd=installed)

    assert result.returncode == 0, result.stderr
    # verify exits 0 on unknown keys and bad values ("..., ignoring"): any line is a finding.
    assert result.stderr.strip() == ""


@pytest.mark.parametrize("service", SERVICES, ids=lambda p: p.name)
def test_every_service_is_hardened_and_rated_ok_by_systemd(installed, service):
    # A template is rated as an instance of it.
    name = service.name.replace("@.service", "@1.service")
    if name != service.name:
        shutil.copy(installed / service.name, installed / name)

    result = analyze(
        "security", "--offline=yes", "--no-pager", "--threshold=20", name, cwd=installed
    )

    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    assert "Overall exposure level" in result.stdout


def test_the_hardening_drop_in_runs_every_service_as_the_site_user_with_a_read_only_system():
    hardening = UNITS / "avyia-.service.d" / "hardening.conf"
    for key, value in {
        "User": "avyia",
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "PrivateTmp": "yes",
        "CapabilityBoundingSet": "",
    }.items():
        assert values(hardening, key) == [value]
    for service in SERVICES:
        assert not values(service, "User"), f"{service.name} overrides the site user"


@pytest.mark.parametrize("service", SERVICES, ids=lambda p: p.name)
def test_every_service_runs_a_command_this_site_has(service):
    (command,) = values(service, "ExecStart")
    argv = shlex.split(command)
    assert argv[0].startswith("/srv/avyia/.venv/bin/")
    if argv[1:2] == ["manage.py"]:
        assert argv[2] in get_commands(), f"{service.name}: no manage.py {argv[2]}"
    else:
        assert argv == ["/srv/avyia/.venv/bin/gunicorn", "--config", "gunicorn.conf.py"]


def test_the_app_server_listens_only_on_a_unix_socket_and_trusts_only_it():
    app = UNITS / "avyia-app@.service"
    env = dict(v.split("=", 1) for v in values(app, "Environment"))

    assert env["GUNICORN_BIND"] == "unix:/run/avyia-app/%i/gunicorn.sock"
    assert env["DJANGO_TRUSTED_PROXIES"] == "unix"
    assert values(app, "RuntimeDirectory") == ["avyia-app/%i"]
    assert values(app, "RuntimeDirectoryMode") == ["0750"]


def next_elapses(installed: Path, timer: Path, count: int) -> list[datetime]:
    (spec,) = values(timer, "OnCalendar")
    result = analyze("calendar", f"--iterations={count}", spec, cwd=installed)
    assert result.returncode == 0, result.stderr
    found = re.findall(r"\(in UTC\): \w+ (\S+ \S+) UTC", result.stdout)
    return [datetime.fromisoformat(moment) for moment in found]


@pytest.mark.parametrize(
    ("job", "every"),
    [
        ("alert-overdue", timedelta(minutes=5)),
        ("purge", timedelta(days=1)),
        ("clearsessions", timedelta(days=1)),
        ("backup", timedelta(days=1)),
    ],
)
def test_each_timer_runs_its_job_as_often_as_the_readme_says(installed, job, every):
    timer = UNITS / f"avyia-{job}.timer"
    moments = next_elapses(installed, timer, 4)

    assert len(moments) == 4
    assert {b - a for a, b in itertools.pairwise(moments)} == {every}
    assert values(timer, "Persistent") == ["true"]  # a run missed while down happens at boot


def test_backups_are_kept_thirty_days_and_written_with_only_the_public_key():
    backup = UNITS / "avyia-backup.service"
    (command,) = values(backup, "ExecStart")

    assert command.endswith("manage.py backup /var/backups/avyia --keep-days 30")
    assert values(backup, "EnvironmentFile") == ["/etc/avyia/backup.env"]
    assert values(backup, "ReadWritePaths") == ["/var/backups/avyia"]


def test_logrotate_accepts_the_nginx_log_rotation(tmp_path):
    logrotate = shutil.which("logrotate") or "/usr/sbin/logrotate"
    result = subprocess.run(
        [
            logrotate,
            "--debug",
            "--state",
            str(tmp_path / "state"),
            str(DEPLOY / "logrotate" / "avyia"),
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower(), result.stderr
    assert "rotating pattern: /var/log/nginx/avyia-*.log" in result.stderr


def test_the_tls_renewal_hook_checks_nginx_before_reloading_it(tmp_path):
    hook = DEPLOY / "tls" / "renewal-hook.sh"
    assert hook.stat().st_mode & 0o111
    assert subprocess.run(["sh", "-n", str(hook)], capture_output=True).returncode == 0

    # With a broken configuration it stops before the reload (stand-in nginx and systemctl).
    (tmp_path / "nginx").write_text("#!/bin/sh\necho 'nginx: configuration failed' >&2\nexit 1\n")
    (tmp_path / "systemctl").write_text(f"#!/bin/sh\ntouch {tmp_path}/reloaded\n")
    for tool in ("nginx", "systemctl"):
        (tmp_path / tool).chmod(0o755)
    broken = subprocess.run(
        [str(hook)], env={"PATH": f"{tmp_path}:/usr/bin:/bin"}, capture_output=True, text=True
    )
    assert broken.returncode != 0 and not (tmp_path / "reloaded").exists()

    (tmp_path / "nginx").write_text("#!/bin/sh\nexit 0\n")
    fine = subprocess.run([str(hook)], env={"PATH": f"{tmp_path}:/usr/bin:/bin"})
    assert fine.returncode == 0 and (tmp_path / "reloaded").exists()


def test_make_cluster_runs_the_commands_of_the_units_under_supervisord(tmp_path):
    sockets = tmp_path / "sockets"
    parser = configparser.RawConfigParser()
    parser.read_string(
        supervisord_conf(tmp_path, sockets, "/usr/sbin/nginx", tmp_path / "nginx.conf", None)
    )
    bin_dir = str(Path(sys.executable).parent)

    def production(program: str) -> str:
        command = parser[f"program:{program}"]["command"]
        return command.replace(f"{bin_dir}/", "/srv/avyia/.venv/bin/")

    (app,) = values(UNITS / "avyia-app@.service", "ExecStart")
    (worker,) = values(UNITS / "avyia-worker.service", "ExecStart")
    assert production("app1") == production("app2") == app
    assert production("worker") == worker
    for n in ("1", "2"):
        program = parser[f"program:app{n}"]
        assert f'GUNICORN_BIND="unix:{sockets}/{n}/gunicorn.sock"' in program["environment"]
        assert 'DJANGO_TRUSTED_PROXIES="unix"' in program["environment"]
        assert program["autorestart"] == "true" and program["stopasgroup"] == "true"
