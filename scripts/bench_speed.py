"""`make bench`: the site's speed figures, each against the ceiling measured in the same run.

gunicorn with WhiteNoise serving the site's own stylesheet is the fastest anything Django serves
can be, so every throughput figure is a ratio to it, measured in interleaved rounds (stylesheet,
then the thing measured, then again) on the same server: on shared cores the machine's speed
drifts within a minute, and a ratio taken within one round cancels most of that. Each figure is
the median of its rounds' ratios; each round prints the load average, so a noisy machine shows.

1. A cached content page against the stylesheet, file cache, 2 workers (goal >= 0.9).
2. The same with Redis as the shared cache, 4 workers (goal >= 0.9).
3. Complete stepwise screening requests per 1,000 stylesheet requests, 16 clients, 4 workers
   (goal >= 6). A request is what a browser does: the first page, each step posted and the next
   page read, the check page posted and the confirmation read.
4. The home page with everything it loads, Brotli, headers included (goal <= 60 KB).

Every site runs on a throwaway SQLite database with the example clinic profile loaded (prices,
people), as a live site shows it, and only on 127.0.0.1. Environment: BENCH_SECONDS (per
measurement, default 4), BENCH_ROUNDS (default 9), BENCH_CONNECTIONS (wrk, default 16),
BENCH_CLIENTS (screening clients, default 16), BENCH_PATH (content page, default /chronic-pain/),
BENCH_REDIS_URL (default redis://127.0.0.1:6379/11), BENCH_PORT (default a free port),
BENCH_FIGURES (some of file-cache,redis,stepwise,home-page; default all).
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

from scripts.bench_screening import answers, request_pages, routine_answers
from scripts.served_site import ServedSite, served_site

SECONDS = int(os.environ.get("BENCH_SECONDS", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "9"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
CLIENT_PROCESSES = min(CLIENTS, 4)
PAGE_PATH = os.environ.get("BENCH_PATH", "/chronic-pain/")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
PORT = int(os.environ["BENCH_PORT"]) if os.environ.get("BENCH_PORT") else None
HEADERS = ("Accept-Encoding: br",)
# No patient is kept waiting longer than this, whatever the machine's load.
REQUEST_TIMEOUT = 60

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE_RE = re.compile(r'class="reference-box__code">([^<]+)<')
CSS_URL_RE = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


@dataclass(frozen=True)
class Goal:
    name: str
    target: float
    at_least: bool  # True: the figure must reach the target; False: stay under it

    def met(self, figure: float) -> bool:
        return figure >= self.target if self.at_least else figure <= self.target

    def words(self) -> str:
        return f"{'>=' if self.at_least else '<='} {self.target:g}"


@dataclass
class Figure:
    goal: Goal
    rounds: list[float] = field(default_factory=list)
    unit: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.rounds)


# --- Measuring ----------------------------------------------------------------------------------


def load_average() -> str:
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def wrk(url: str, *, seconds: int = SECONDS, connections: int = CONNECTIONS) -> float:
    """Requests per second wrk reached; every response must have been a 2xx."""
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s"]
    command += ["--timeout", "10s"]
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
    with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
        if response.headers.get("Content-Encoding") != "br":
            sys.exit(f"{url} did not come Brotli-compressed")
        return len(response.read())


class Patient:
    """A minimal browser for the stepwise request: cookies, form posts, redirects followed.

    Each request is one connection, as gunicorn's sync worker serves it. The patient says it has
    nothing more to send as soon as the request is out (a half-close): the worker, which waits
    for its client to close before it takes the next connection, is then never kept waiting on a
    client process the busy machine has not scheduled yet, just as nginx in front of it closes at
    once. (A general-purpose client such as requests keeps the worker waiting meanwhile.)
    """

    def __init__(self, base_url: str, answered: list[float]) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.cookies: dict[str, str] = {}
        self.answered = answered
        self.sent = 0

    def get(self, path: str) -> tuple[str, str]:
        """The page at `path` after any redirects: its path and its text."""
        return self._follow("GET", path, b"")

    def post(self, path: str, data: dict[str, object]) -> tuple[str, str]:
        return self._follow("POST", path, urlencode(data, doseq=True).encode())

    def _follow(self, method: str, path: str, body: bytes) -> tuple[str, str]:
        for _ in range(5):
            status, headers, text = self._request(method, path, body)
            if status not in (301, 302, 303):
                if status != 200:
                    raise RuntimeError(f"{method} {path} answered {status}")
                return path, text
            method, path, body = "GET", urlsplit(headers["location"]).path, b""
        raise RuntimeError(f"too many redirects from {path}")

    def _request(self, method: str, path: str, body: bytes) -> tuple[int, dict[str, str], str]:
        lines = [f"{method} {path} HTTP/1.0", f"Host: {self.host}:{self.port}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "POST":
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
                f"Referer: http://{self.host}:{self.port}{path}",
            ]
        with socket.create_connection((self.host, self.port), timeout=REQUEST_TIMEOUT) as sock:
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
            sock.shutdown(socket.SHUT_WR)
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        self.answered.append(time.monotonic())
        self.sent += 1
        head, _, content = b"".join(chunks).partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            if name.lower() == "set-cookie":
                cookie = SimpleCookie(value.strip())
                for key, morsel in cookie.items():
                    if morsel["max-age"] == "0":
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = morsel.value
            headers[name.lower()] = value.strip()
        return int(status_line.split()[1]), headers, content.decode()


def stepwise_request(
    base_url: str, pages: list, routine: dict[str, object], number: int, answered: list[float]
) -> int:
    """One patient's whole request as a browser sends it; returns its number of HTTP requests.

    The time each response arrived is added to `answered`.
    """
    data = answers(routine, number)
    patient = Patient(base_url, answered)
    at, text = patient.get(pages[0][0])
    for url, names in pages:
        token = CSRF_RE.search(text)
        if at != url or not token:
            raise RuntimeError(f"expected the form at {url}, got {at}")
        fields = {name: data[name] for name in names if name in data}
        at, text = patient.post(url, {**fields, "csrfmiddlewaretoken": token.group(1)})
    if not REFERENCE_RE.search(text):
        raise RuntimeError(f"no confirmation at {at}")
    return patient.sent


def stepwise_requests_per_second(
    base_url: str, *, seconds: float, offset: int, per_request: int
) -> float:
    """Whole requests per second with CLIENTS patients at once, for `seconds`.

    Counted as HTTP responses within the window divided by the responses one whole request
    takes, so requests still under way when the window opens or closes count for what was done.
    The patients are spread over CLIENT_PROCESSES processes: gunicorn's sync worker waits for the
    client to close each connection, and one Python process's threads, taking turns on one lock,
    would keep the workers waiting where nginx (or a browser's own machine) would not.
    """
    # The count starts a moment after the patients do, once every client process is running.
    start = time.monotonic() + 0.5
    end = start + seconds
    per_process = -(-CLIENTS // CLIENT_PROCESSES)
    with ProcessPoolExecutor(
        CLIENT_PROCESSES, mp_context=multiprocessing.get_context("fork")
    ) as pool:
        results = [
            pool.submit(
                _patients,
                base_url,
                end,
                offset + process * 1_000_000,
                min(per_process, CLIENTS - process * per_process),
            )
            for process in range(CLIENT_PROCESSES)
        ]
        answered = [moment for result in results for moment in result.result()]
    within = sum(1 for moment in answered if start <= moment <= end)
    return within / per_request / seconds


def _patients(base_url: str, end: float, offset: int, count: int) -> list[float]:
    """`count` patients one after another until `end`; when each response arrived."""
    pages, routine = _journey
    answered: list[float] = []
    numbers = iter(range(offset, offset + 1_000_000))
    lock = threading.Lock()

    def patient() -> None:
        while time.monotonic() < end:
            with lock:
                number = next(numbers)
            stepwise_request(base_url, pages, routine, number, answered)

    with ThreadPoolExecutor(count) as pool:
        for future in [pool.submit(patient) for _ in range(count)]:
            future.result()
    return answered


_journey: tuple[list, dict[str, object]] = ([], {})


class _Resources(HTMLParser):
    """Every URL a browser loads for a page: stylesheets, scripts, images, icons, the manifest."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        rel = set((found.get("rel") or "").split())
        if tag == "link" and rel & {"stylesheet", "icon", "apple-touch-icon", "manifest"}:
            self.urls.append(found.get("href") or "")
        elif tag in {"script", "img"} and found.get("src"):
            self.urls.append(found["src"] or "")


def wire_bytes(url: str) -> tuple[int, str]:
    """Body and headers as sent with Brotli asked for; also the body, decoded when it is text."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "br"})
    with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
        body = response.read()
        headers = sum(len(k) + len(v) + 4 for k, v in response.getheaders())
        text = ""
        if response.headers.get_content_type() in {"text/html", "text/css"}:
            if response.headers.get("Content-Encoding") == "br":
                import brotli

                text = brotli.decompress(body).decode()
            else:
                text = body.decode()
        return len(body) + headers, text


def page_weight(base_url: str, path: str) -> dict[str, int]:
    """Bytes on the wire of a page and everything it loads (CSS url()s included), by URL."""
    sizes: dict[str, int] = {}
    queue = [base_url + path]
    while queue:
        url = queue.pop(0)
        if url in sizes or not url.startswith(base_url):
            continue
        sizes[url], text = wire_bytes(url)
        if url == base_url + path:
            parser = _Resources()
            parser.feed(text)
            queue += [urljoin(url, found) for found in parser.urls if found]
        elif text:
            queue += [urljoin(url, found) for found in CSS_URL_RE.findall(text)]
    return sizes


# --- The figures --------------------------------------------------------------------------------


def seed_example_clinic(site: ServedSite) -> None:
    site.manage("seed_example_clinic")


@contextmanager
def bench_site(workers: int, **extra_env: str) -> Iterator[ServedSite]:
    env = {
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_LOG_LEVEL": "warning",
        "GUNICORN_MAX_REQUESTS": "0",
        "SCREENING_RATE_LIMIT": "off",
        "SCREENING_DRAFT_RATE_LIMIT": "off",
        "SCREENING_MIN_FILL_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        **extra_env,
    }
    with served_site(extra_env=env, port=PORT, prepare=seed_example_clinic) as site:
        yield site


def interleaved(figure: Figure, label: str, measure: Callable[[], float], ceiling: str) -> None:
    """ROUNDS rounds of (stylesheet, measure): each round's figure is measure / stylesheet."""
    for number in range(1, ROUNDS + 1):
        # Every other round the other way round, so a machine speeding up or slowing down
        # within a round favours neither side.
        if number % 2:
            static, measured = wrk(ceiling), measure()
        else:
            measured, static = measure(), wrk(ceiling)
        figure.rounds.append(measured / static * (1000 if figure.unit else 1))
        print(
            f"  round {number}: stylesheet {static:,.0f}/s, {label} {measured:,.2f}/s"
            f" -> {figure.rounds[-1]:.2f}  ({load_average()})"
        )


def content_page_figure(goal: Goal, workers: int, **extra_env: str) -> Figure:
    figure = Figure(goal)
    with bench_site(workers, **extra_env) as site:
        page, stylesheet = site.base_url + PAGE_PATH, site.static_url("css/site.css")
        print(
            f"{goal.name}: {page} ({check_encoding(page):,} bytes br) against "
            f"{stylesheet.removeprefix(site.base_url)} ({check_encoding(stylesheet):,} bytes br)"
        )
        # Warm up: every worker renders and compresses the page once.
        for url in (page, stylesheet):
            wrk(url, seconds=2)
        interleaved(figure, "page", lambda: wrk(page), stylesheet)
    return figure


def stepwise_figure(goal: Goal) -> Figure:
    global _journey
    figure = Figure(goal, unit="per 1,000")
    with bench_site(4) as site:
        _journey = (request_pages(site.env), routine_answers(site.env))
        stylesheet = site.static_url("css/site.css")
        offset = 0
        # Warm up: every worker compiles every template once.
        with ThreadPoolExecutor(CLIENTS) as pool:
            warm_up = [
                pool.submit(stepwise_request, site.base_url, *_journey, number, [])
                for number in range(CLIENTS * 2)
            ]
            sent = max(future.result() for future in warm_up)
        print(
            f"{goal.name}: {CLIENTS} patients at once, each request {sent} HTTP requests, "
            f"against the stylesheet"
        )

        def measure() -> float:
            nonlocal offset
            offset += 100_000
            return stepwise_requests_per_second(
                site.base_url, seconds=SECONDS, offset=offset, per_request=sent
            )

        interleaved(figure, "whole requests", measure, stylesheet)
    return figure


def home_page_figure(goal: Goal) -> Figure:
    figure = Figure(goal, unit="KB")
    with bench_site(1) as site:
        sizes = page_weight(site.base_url, "/")
    for url, size in sorted(sizes.items(), key=lambda item: -item[1]):
        print(f"  {size:>8,}  {url.removeprefix(site.base_url)}")
    figure.rounds.append(sum(sizes.values()) / 1024)
    print(f"{goal.name}: {figure.rounds[0]:.1f} KB ({load_average()})")
    return figure


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: sudo apt-get install wrk")
    print(
        f"{ROUNDS} interleaved rounds of {SECONDS} s, wrk with {CONNECTIONS} connections and "
        f"Accept-Encoding: br; {os.cpu_count()} cores; {load_average()}"
    )
    measures = {
        "file-cache": lambda: content_page_figure(
            Goal("content page / stylesheet, file cache, 2 workers", 0.9, True), 2
        ),
        "redis": lambda: content_page_figure(
            Goal("content page / stylesheet, Redis as the shared cache, 4 workers", 0.9, True),
            4,
            CACHE_URL=REDIS_URL,
        ),
        "stepwise": lambda: stepwise_figure(
            Goal(
                f"stepwise requests per 1,000 stylesheet requests, {CLIENTS} clients, 4 workers",
                6,
                True,
            )
        ),
        "home-page": lambda: home_page_figure(
            Goal("home page with everything it loads, Brotli, KB", 60, False)
        ),
    }
    chosen = os.environ.get("BENCH_FIGURES", ",".join(measures)).split(",")
    figures = [measures[name.strip()]() for name in chosen]
    print(f"\n{'figure':<72} {'median':>7}  goal     rounds")
    for figure in figures:
        verdict = "met" if figure.goal.met(figure.median) else "MISSED"
        rounds = ", ".join(f"{r:.2f}" for r in figure.rounds)
        print(
            f"{figure.goal.name:<72} {figure.median:>7.2f}  {figure.goal.words():<8} "
            f"{verdict:<6}  ({rounds})"
        )
    print(f"machine at the end: {load_average()}")
    if not all(figure.goal.met(figure.median) for figure in figures):
        sys.exit(1)


if __name__ == "__main__":
    main()
