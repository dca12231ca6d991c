"""Lighthouse scores (mobile preset) for every content page, served by gunicorn as in production.

Prints a table of performance, accessibility, best-practices and SEO scores for each page, the
audits that cost points, and exits non-zero when any score is below the floor.

Run from the project root through `make lighthouse` (scripts/lighthouse installs Lighthouse).
Environment: CHROME_PATH (default /usr/bin/chromium), LIGHTHOUSE_MIN_SCORE (default 95),
LIGHTHOUSE_REPORTS (a directory to keep the JSON reports in).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.served_site import PROJECT_DIR, served_site

PATHS = [
    "/",
    "/chronic-pain/",
    "/ketamine-for-chronic-pain/",
    "/at-home-ketamine-therapy/",
    "/cost/",
    "/faq/",
    "/privacy/",
    "/consumer-health-data-privacy/",
    "/terms/",
    "/es/",
    "/es/chronic-pain/",
    "/es/language-assistance/",
]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
LIGHTHOUSE = PROJECT_DIR / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
    " --disable-component-update --disable-sync --no-first-run"
)
# Lighthouse now and then fails to record a trace on a busy machine (NO_NAVSTART); a run that
# failed that way says nothing about the page, so it is tried again.
ATTEMPTS = 3


def audit(url: str, report: Path, env: dict[str, str]) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={report}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
    ]
    for attempt in range(1, ATTEMPTS + 1):
        if subprocess.run(command, env=env).returncode == 0:
            return json.loads(report.read_text())
        print(f"Lighthouse could not audit {url} (attempt {attempt} of {ATTEMPTS}).")
    sys.exit(f"Lighthouse failed on {url} {ATTEMPTS} times.")


def lost_points(result: dict) -> list[str]:
    """Audits that counted towards a category's score and did not pass."""
    weighted = {
        ref["id"]
        for category in result["categories"].values()
        for ref in category["auditRefs"]
        if ref.get("weight")
    }
    return [
        f"{audit['id']}: {audit['title']}"
        for audit_id, audit in result["audits"].items()
        if audit_id in weighted and audit.get("score") is not None and audit["score"] < 1
    ]


def main() -> None:
    floor = int(os.environ.get("LIGHTHOUSE_MIN_SCORE", "95"))
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    reports = Path(os.environ.get("LIGHTHOUSE_REPORTS") or tempfile.mkdtemp(prefix="lighthouse-"))
    reports.mkdir(parents=True, exist_ok=True)

    rows, failures = [], []
    with served_site() as site:
        for path in PATHS:
            name = path.strip("/").replace("/", "-") or "home"
            result = audit(site.base_url + path, reports / f"{name}.json", env)
            scores = {c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES}
            rows.append((path, scores, lost_points(result)))
            failures += [f"{path} {c} {s}" for c, s in scores.items() if s < floor]

    print()
    print(f"{'page':<30}" + "".join(f"{c:>16}" for c in CATEGORIES))
    for path, scores, _ in rows:
        print(f"{path:<30}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES))
    for path, _, lost in rows:
        for item in lost:
            print(f"  {path}: {item}")
    print(f"JSON reports: {reports}")
    if failures:
        print(f"Below {floor}: {', '.join(failures)}")
        sys.exit(1)
    print(f"Every score is {floor} or more.")


if __name__ == "__main__":
    main()
