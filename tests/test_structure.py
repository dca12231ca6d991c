"""The apps import one way: operations, then intake, then pages, then core; none imports the
project package (avyia_site: settings, URLs, WSGI). The layers are declared in pyproject.toml
([tool.importlinter]) and checked by import-linter, here and by anyone running `lint-imports`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import PROJECT_DIR

LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")


def lint_imports(project: Path, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        **options,
    )


def test_the_apps_import_downwards_only_with_no_cycle():
    result = lint_imports(PROJECT_DIR)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("app", "imports"),
    [
        ("core", "from pages import clinic"),  # the shared app reaching up
        ("pages", "from intake import models"),  # the old pages <-> intake cycle
        ("intake", "from avyia_site import urls"),  # an app importing the project package
    ],
)
def test_an_import_that_climbs_back_up_is_refused(tmp_path, app, imports):
    copy = tmp_path / "project"
    for part in ("avyia_site", "operations", "intake", "pages", "core"):
        for source in (PROJECT_DIR / part).rglob("*.py"):
            target = copy / source.relative_to(PROJECT_DIR)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(source.read_text())
    (copy / "pyproject.toml").write_text((PROJECT_DIR / "pyproject.toml").read_text())
    (copy / app / "climbing.py").write_text(imports + "\n")

    result = lint_imports(copy, env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"})

    assert result.returncode != 0
    assert f"{app}.climbing" in result.stdout
