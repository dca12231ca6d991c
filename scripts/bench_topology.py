"""Throughput through nginx in one run of `make cluster` (its app servers are on unix sockets).

For each way in it prints: the content page against the main stylesheet, the screening form's first
page against the stylesheet (both with `Accept-Encoding: br`, wrk), and full patient flows per
second with 16 clients. A flow is one whole screening request as a patient sends it: the first
page, each step and the check page posted, the confirmation read (10 HTTP requests). The cluster
runs its own PostgreSQL database and Redis as the shared cache, as in production. Memory of each
gunicorn worker is printed at the end: its peak, and the part it does not share with the master.

    .venv/bin/python -m scripts.bench_topology       (or `make bench`)

Each wrk figure is the median of BENCH_ROUNDS (default 3) rounds taken in turn (stylesheet, page,
form, again).

Environment: BENCH_SECONDS (per wrk measurement, default 5), BENCH_CONNECTIONS (default 16),
BENCH_FLOWS (patients per flow measurement, default 300), BENCH_PORT (nginx; default 8280, app
servers on the next two), WEB_CONCURRENCY (gunicorn workers per app server, default 2).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from scripts.bench_screening import Outcome, one_patient, request_pages, routine_answers
from scripts.bench_speed import check_encoding, wrk
from scripts.cluster import program_pid, running_cluster

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WARM_UP_FLOWS = 32


def stylesheet_path(base: str) -> str:
    import re
    import urllib.request

    with urllib.request.urlopen(base + "/chronic-pain/") as response:
        match = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', response.read().decode())
    if not match:
        raise SystemExit("No stylesheet link on /chronic-pain/")
    return match.group(1)


def flows_per_second(base: str, patients: int, clients: int, offset: int) -> tuple[float, Outcome]:
    """Whole requests per second: every step, the check page and the confirmation."""
    env = dict(os.environ)
    pages, routine = request_pages(env), routine_answers(env)
    outcome = Outcome()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for number in range(patients):
            pool.submit(one_patient, base, pages, routine, offset + number, outcome)
    elapsed = time.perf_counter() - started
    return outcome.acknowledged / elapsed, outcome


def memory_mb(pids: list[int]) -> dict[int, tuple[float, float]]:
    """Per worker: peak resident memory, and the memory it alone holds now (not shared with the
    master it was forked from, so what one more worker costs)."""
    figures = {}
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        kilobytes = {
            line.split(":")[0]: int(line.split()[1])
            for text in (status, rollup)
            for line in text.splitlines()
            if line.startswith(("VmHWM:", "Private_Clean:", "Private_Dirty:"))
        }
        private = kilobytes["Private_Clean"] + kilobytes["Private_Dirty"]
        figures[pid] = (kilobytes["VmHWM"] / 1024, private / 1024)
    return figures


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


def main() -> None:
    seconds = int(os.environ.get("BENCH_SECONDS", "5"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "16"))
    patients = int(os.environ.get("BENCH_FLOWS", "300"))
    port = int(os.environ.get("BENCH_PORT", "8280"))
    options = {"seconds": seconds, "connections": connections, "threads": min(2, connections)}
    env = {
        "SCREENING_RATE_LIMIT": "off",
        "SCREENING_DRAFT_RATE_LIMIT": "off",
        "SCREENING_MIN_FILL_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
    }
    with (
        tempfile.TemporaryDirectory(prefix="avyia-bench-") as tmp,
        running_cluster(
            port=port, database="avyia_bench_topology", runtime=Path(tmp) / "cluster", env=env
        ) as state,
    ):
        # The app servers listen only on unix sockets nginx alone may open (wrk speaks TCP):
        # measured through the front door.
        ways = {"through nginx": state["front"]}
        css = stylesheet_path(state["front"])
        print(
            f"cluster: nginx {state['front']}, 2 app servers x {env['WEB_CONCURRENCY']} sync "
            f"workers, PostgreSQL, Redis cache; wrk {seconds} s, {connections} connections, br"
        )
        print(
            f"page {check_encoding(state['front'] + '/chronic-pain/'):,} bytes br; "
            f"stylesheet {check_encoding(state['front'] + css):,} bytes br"
        )
        offset = 0
        for way, base in ways.items():
            for url in (base + "/chronic-pain/", base + css, base + "/screening/"):
                wrk(url, **{**options, "seconds": 2})  # warm up every worker
            # Interleaved rounds, medians: on shared cores the machine's speed drifts within a
            # minute, and back-to-back measurements would compare two different machines.
            rounds = [
                (
                    wrk(base + css, **options),
                    wrk(base + "/chronic-pain/", **options),
                    wrk(base + "/screening/", **options),
                )
                for _ in range(ROUNDS)
            ]
            static, page, form = (statistics.median(r[i] for r in rounds) for i in range(3))
            # A few whole requests first, so every worker has compiled every page's template.
            flows_per_second(base, WARM_UP_FLOWS, 16, offset)
            offset += WARM_UP_FLOWS
            rate, outcome = flows_per_second(base, patients, 16, offset)
            offset += patients
            print(f"\n{way} ({base})")
            print(f"  stylesheet                 {static:>9,.0f} requests/s")
            print(
                f"  content page /chronic-pain/ {page:>8,.0f} requests/s  ratio {page / static:.2f}"
            )
            print(
                f"  screening form, first page {form:>9,.0f} requests/s  ratio {form / static:.2f}"
            )
            post_ms = statistics.median(outcome.post_seconds) * 1000 if outcome.post_seconds else 0
            print(
                f"  full flows (16 clients)    {rate:>9,.1f} per second  "
                f"({rate * len(outcome.statuses) / max(outcome.acknowledged, 1):,.0f} HTTP "
                f"requests/s; {outcome.acknowledged}/{patients} acknowledged, median time from "
                f"first step to sent {post_ms:.0f} ms)"
            )
            if outcome.problems:
                print("  problems: " + "; ".join(outcome.problems[:5]))
        pids = [p for app in state["apps"] for p in worker_pids(program_pid(state, app["name"]))]
        memory = memory_mb(pids)
        if memory:
            peaks, private = zip(*memory.values(), strict=True)
            print(
                f"\nmemory per gunicorn worker ({len(memory)} workers): peak resident "
                f"max {max(peaks):.0f} MB (median {statistics.median(peaks):.0f} MB), of which "
                f"its own, not shared with the master: max {max(private):.0f} MB "
                f"(median {statistics.median(private):.0f} MB)"
            )


if __name__ == "__main__":
    main()
