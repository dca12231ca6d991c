"""Throughput of a cached content page against the site's main stylesheet, on one gunicorn server.

Both are requested with `Accept-Encoding: br`, as a browser does, so the page comes
Brotli-compressed from the page cache and the stylesheet as WhiteNoise's precompressed `.br` file.
Prints requests per second for each and their ratio; the target is a ratio of 0.8 or better.

Run from the project root: `.venv/bin/python -m scripts.bench_content` (or `make bench`).
Environment: WEB_CONCURRENCY (gunicorn workers; default from gunicorn.conf.py),
BENCH_SECONDS (per measurement, default 8), BENCH_ROUNDS (alternating measurements of each, the
median counts; default 3), BENCH_CONNECTIONS (default 16), BENCH_PATH (content page, default
/chronic-pain/), BENCH_CACHE_URL (the shared cache; default a file cache, as on one machine).
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import urllib.request

from scripts.served_site import ServedSite, served_site

TARGET_RATIO = 0.8
HEADERS = ("Accept-Encoding: br",)


def wrk(url: str, *, seconds: int, connections: int, threads: int) -> float:
    """Requests per second wrk reached; every response must have been a 2xx."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    for header in HEADERS:
        command += ["-H", header]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in output:
        sys.exit(f"wrk saw failed requests for {url}:\n{output}")
    if "Socket errors" in output:
        print(f"note: {url}: {output.split('Socket errors: ')[1].splitlines()[0]}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not match:
        sys.exit(f"Could not read wrk's output for {url}:\n{output}")
    return float(match.group(1))


def check_encoding(url: str) -> int:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "br"})
    with urllib.request.urlopen(request) as response:
        if response.headers.get("Content-Encoding") != "br":
            sys.exit(f"{url} did not come Brotli-compressed")
        return len(response.read())


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: sudo apt-get install wrk")
    seconds = int(os.environ.get("BENCH_SECONDS", "8"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "16"))
    path = os.environ.get("BENCH_PATH", "/chronic-pain/")
    extra_env = (
        {"CACHE_URL": os.environ["BENCH_CACHE_URL"]} if "BENCH_CACHE_URL" in os.environ else {}
    )
    options = {"seconds": seconds, "connections": connections, "threads": min(2, connections)}

    with served_site(extra_env=extra_env) as site:
        page_url = site.base_url + path
        static_url = site.static_url("css/site.css")
        describe(site, page_url, static_url, seconds=seconds, rounds=rounds)
        # Warm up: every worker renders and compresses the page once, and the page cache fills.
        for url in (page_url, static_url):
            wrk(url, **{**options, "seconds": 2})
        content, static = [], []
        # Alternating rounds, so a slow spell on a shared machine hits both sides alike.
        for _ in range(rounds):
            content.append(wrk(page_url, **options))
            static.append(wrk(static_url, **options))

    content_rps, static_rps = statistics.median(content), statistics.median(static)
    ratio = content_rps / static_rps
    print()
    print(f"{'content page ' + path:<44} {content_rps:>10,.0f} requests/s  {rates(content)}")
    print(
        f"{'static file ' + static_url.split('/static/')[1]:<44} {static_rps:>10,.0f} requests/s"
        f"  {rates(static)}"
    )
    verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
    label = "ratio content / static (medians)"
    print(f"{label:<44} {ratio:>10.2f}  ({verdict} the {TARGET_RATIO} target)")
    if ratio < TARGET_RATIO:
        sys.exit(1)


def rates(values: list[float]) -> str:
    return "(rounds: " + ", ".join(f"{v:,.0f}" for v in values) + ")"


def describe(
    site: ServedSite, page_url: str, static_url: str, *, seconds: int, rounds: int
) -> None:
    workers = os.environ.get("WEB_CONCURRENCY", f"{2 * (os.cpu_count() or 1) + 1} (2 x cores + 1)")
    cache = site.env["CACHE_URL"].split("://")[0]
    print(f"gunicorn on {site.base_url}: {workers} sync workers, SQLite, {cache} shared cache")
    print(f"content page: {page_url} ({check_encoding(page_url):,} bytes, br)")
    print(f"static file:  {static_url} ({check_encoding(static_url):,} bytes, br)")
    print(
        f"wrk: {rounds} rounds of {seconds} s each, {os.environ.get('BENCH_CONNECTIONS', '16')} "
        "connections, Accept-Encoding: br"
    )


if __name__ == "__main__":
    main()
