"""Helpers for the reliability tests and the load benchmark: real processes only.

* :func:`cli` / :func:`cli_env` run the installed ``search-service`` command in a
  subprocess with a clean ``SEARCH_*`` environment;
* :func:`write_short_articles` writes small generated articles (invented names,
  one unique marker word each) so spaCy indexes a few hundred in seconds;
* :class:`Gunicorn` starts the production server (``gunicorn -c gunicorn.conf.py
  'search_service:create_app()'``) on a free loopback port with the worker PID in
  every access-log line, so a test can tell which worker answered;
* :func:`wait_until`, :func:`free_port`, :func:`worker_pids`, :func:`rss_kib`.
"""
from __future__ import annotations

import http.client
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # benchmarks/ is a folder of the repo, not an installed package
    sys.path.insert(0, str(REPO))

from benchmarks.generate_articles import FIRST, LAST, ORG_HEAD, ORG_NAME, PLACES, TEMPLATES, TOPICS  # noqa: E402

BIN = Path(sys.executable).parent
CLI = str(BIN / "search-service")
GUNICORN = str(BIN / "gunicorn")
#: Access-log line: worker pid, status, then the request line (method, path?query, protocol).
ACCESS_FORMAT = '%(p)s %(s)s "%(r)s"'
_ACCESS_LINE = re.compile(r'^<(\d+)> (\d{3}) "(.*)"$')


def cli_env(data_dir: str | os.PathLike | None = None, **extra: str) -> dict:
    """The caller's environment without any ``SEARCH_*`` setting, plus one spaCy process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCH_")}
    env["SEARCH_NLP_PROCESSES"] = "1"
    if data_dir is not None:
        env["SEARCH_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


def cli(*args: str, data_dir=None, timeout: float = 300, **popen) -> subprocess.CompletedProcess:
    """Run ``search-service <args>`` to completion; output captured as text."""
    return subprocess.run([CLI, *map(str, args)], env=popen.pop("env", None) or cli_env(data_dir),
                          capture_output=True, text=True, timeout=timeout, **popen)


def short_article(rng: random.Random, n: int, sentences: int = 3, extra: str = "") -> str:
    """A headline, a date line and a few news sentences; ``marker(n)`` appears once."""
    person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    org = f"{rng.choice(ORG_NAME)} {rng.choice(ORG_HEAD)}"
    topic = rng.choice(TOPICS)
    body = " ".join(
        rng.choice(TEMPLATES).format(person=person, org=org, topic=topic, place=rng.choice(PLACES),
                                     place2=rng.choice(PLACES), year=rng.randint(1950, 2024),
                                     count=rng.randint(100, 9000))
        for _ in range(sentences)
    )
    date = f"{rng.randint(2005, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return f"{topic.capitalize()} note {n}\ndate {date}\n\n{body} Reference {marker(n)}. {extra}\n"


def marker(n: int) -> str:
    """A word that occurs in article ``n`` only (letters and digits: one index term)."""
    return f"relmark{n:05d}"


def write_short_articles(folder: Path, count: int, seed: int = 11, start: int = 0, extra: str = "") -> list[Path]:
    """Write ``count`` short articles as ``folder/note-<n>.txt``; return their paths."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(start, start + count):
        path = folder / f"note-{n:05d}.txt"
        path.write_text(short_article(rng, n, extra=extra), encoding="utf-8")
        paths.append(path)
    return paths


def wait_until(predicate, timeout: float, interval: float = 0.02, what: str = "condition"):
    """Poll ``predicate`` until it returns something truthy; return that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    """Direct child processes of ``pid`` (Linux /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    return sorted(set(found))


def rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` in KiB (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class Gunicorn:
    """The production server on a free loopback port (use as a context manager).

    Started exactly like the README's deployment command; the access log (to a file)
    carries the worker PID of every request.
    """

    def __init__(self, data_dir, workers: int = 2, log_dir=None, threads: int = 4, env: dict | None = None):
        self.port = free_port()
        self.workers = workers
        self.log_dir = Path(log_dir or data_dir)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.access_log = self.log_dir / "access.log"
        self.error_log = self.log_dir / "gunicorn.log"
        self.env = {**cli_env(data_dir), "SEARCH_THREADS": str(threads), **(env or {})}
        self.proc: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> "Gunicorn":
        self.access_log.unlink(missing_ok=True)  # only this server's requests
        args = [GUNICORN, "-c", str(REPO / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(self.workers), "--access-logfile", str(self.access_log),
                "--access-logformat", ACCESS_FORMAT, "--error-logfile", str(self.error_log),
                # gunicorn 23+ binds ~/.gunicorn/gunicorn.ctl by default: shared by every server of a user.
                "--no-control-socket",
                "search_service:create_app()"]
        self.proc = subprocess.Popen(args, cwd=REPO, env=self.env, stdin=subprocess.DEVNULL)
        wait_until(self._ready, timeout, interval=0.1, what=f"gunicorn on port {self.port} ({self.error_log})")
        return self

    def _ready(self) -> bool:
        if self.proc.poll() is not None:
            raise AssertionError(f"gunicorn exited with {self.proc.returncode}: {self.error_log.read_text()[-2000:]}")
        try:
            status, _, _ = get(self.port, "/healthz", timeout=2)
        except OSError:
            return False
        return status == 200 and len(self.worker_pids()) == self.workers

    def worker_pids(self) -> list[int]:
        return children(self.proc.pid) if self.proc else []

    def access_lines(self) -> list[tuple[int, int, str]]:
        """(worker pid, status, request line) of every logged request so far."""
        lines = []
        for line in self.access_log.read_text(encoding="utf-8", errors="replace").splitlines():
            if m := _ACCESS_LINE.match(line):
                lines.append((int(m.group(1)), int(m.group(2)), m.group(3)))
        return lines

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # graceful: workers finish their requests
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> "Gunicorn":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def get(port: int, path: str, timeout: float = 30, conn: http.client.HTTPConnection | None = None,
        headers: dict | None = None) -> tuple[int, dict, bytes]:
    """One GET on loopback: (status, headers with lower-case names, body). ``conn`` keeps the connection alive."""
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        if own:
            conn.close()


def raw_request(port: int, request: bytes, timeout: float = 30) -> bytes:
    """Send raw bytes (e.g. a request line with invalid UTF-8) and return the raw answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status_of(raw_response: bytes) -> int:
    """The status code of a raw HTTP/1.x response."""
    return int(raw_response.split(b" ", 2)[1])


# --- hostile queries (shared by tests/test_reliability_queries.py and benchmarks/load_hostile.py) -------

HUGE = 100 * 1024  # a 100 KB query

#: (label, query string after "?") — raw, already URL-encoded where needed.
HOSTILE_QUERIES: list[tuple[str, str]] = [
    ("unbalanced quote", 'q=%22harbour+ferry'),
    ("quote at the end", 'q=harbour%22'),
    ("only quotes", 'q=%22%22%22'),
    ("unbalanced bracket", 'q=%28harbour'),
    ("closing brackets", 'q=harbour%29%29%29'),
    ("nested open brackets", 'q=' + '%28' * 500 + 'ferry'),
    ("square and curly brackets", 'q=%5Bferry+%7Bharbour'),
    ("lone minus", 'q=-'),
    ("lone plus", 'q=%2B'),
    ("lone AND", 'q=AND'),
    ("lone OR", 'q=OR'),
    ("lone NOT", 'q=NOT'),
    ("operators only", 'q=AND+OR+NOT+%26%26+%7C%7C+%21+-+%2B'),
    ("dangling operator", 'q=ferry+AND'),
    ("tilde caret colon", 'q=~+%5E+%3A'),
    ("100 KB of words", 'q=' + 'harbour+' * (HUGE // 8)),
    ("100 KB single word", 'q=' + 'a' * HUGE),
    ("100 KB of brackets", 'q=' + '%28' * (HUGE // 3)),
    ("100 KB of quotes", 'q=' + '%22' * (HUGE // 3)),
    ("field syntax: known field", 'q=title%3Aharbour'),
    ("field syntax: internal fields", 'q=kind%3Apassage+doc_id%3Apayload+source_key%3A%2A'),
    ("field syntax: unknown field", 'q=secret%3Avalue'),
    ("field syntax: empty value", 'q=title%3A'),
    ("field syntax: range", 'q=published_year%3A%5B1900+TO+2100%5D'),
    ("field syntax: set", 'q=person%3A+IN+%5Ba+b%5D'),
    ("field syntax: all fields", 'q=%2A%3A%2A'),
    ("regex syntax", 'q=%2F.%2A%2F'),
    ("regex bomb", 'q=%2F%28a%2B%29%2B%24%2F'),
    ("regex meta in a prefix", 'q=harb%5B%28.%2A%7B1000000%7D'),
    ("long prefix", 'q=' + 'ferry' * 40 + '%2A'),
    ("leading wildcard", 'q=%2Aarbour'),
    ("leading question mark", 'q=%3Farbour'),
    ("wildcards both sides", 'q=%2Aarb%2A'),
    ("star alone", 'q=%2A'),
    ("fuzzy and slop", 'q=harbour~100+%22harbour+ferry%22~100000'),
    ("absurd boosts", 'q=harbour%5E1e308+ferry%5E-1+lane%5Enan'),
    ("control and zero-width characters", 'q=har%00bour%E2%80%8B%07%1B%5B31m'),
    ("right-to-left and combining marks", 'q=%E2%80%AEruobrah+e%CC%81%CC%81%CC%81'),
    ("emoji", 'q=%F0%9F%9A%A2+ferry'),
    ("lone surrogate escape", 'q=%ED%A0%80'),
    ("invalid UTF-8 percent escapes", 'q=%FF%FE%C3%28'),
    ("huge page", 'page=99999999999999999999999999'),
    ("negative page", 'page=-5'),
    ("page zero", 'page=0'),
    ("page not a number", 'page=abc'),
    ("float page", 'page=1e9'),
    ("huge size", 'size=100000000'),
    ("negative size", 'size=-1'),
    ("huge facet size", 'facet_size=99999999999'),
    ("unknown sort", 'sort=%3Bdrop'),
    ("unknown parameters", 'foo=bar&__proto__=x&q%5B%5D=1'),
    ("repeated q", 'q=ferry&q=harbour&q=%22'),
    ("repeated page and sort", 'page=2&page=-1&sort=newest&sort=bogus'),
    ("a facet value repeated 1000 times", '&'.join(f'person=P{i}' for i in range(1000))),
    ("excluded values repeated", '&'.join(f'not_place=X{i}' for i in range(200))),
    ("year not a number", 'year=abc&mentioned_year=1e5'),
    ("year out of range", 'year=-5&year=99999999999999999999&mentioned_year=0'),
    ("facet value 100 KB", 'person=' + 'x' * HUGE),
    ("facet value with syntax", 'person=%22%29+OR+%2A%3A%2A&organisation=%5C'),
]

#: Paths (besides /search and /api/search) that take user text; each gets every hostile query string.
HOSTILE_PATHS = ["/search", "/api/search", "/facets/person", "/api/facets/place"]

#: Other hostile requests: (label, path with query).
HOSTILE_URLS: list[tuple[str, str]] = [
    ("facet prefix 100 KB", "/api/facets/person?prefix=" + "a" * HUGE),
    ("facet prefix with regex meta", "/api/facets/person?prefix=.%2A%5B%28%7B%5C"),
    ("facet prefix invalid UTF-8", "/facets/organisation?prefix=%FF%FE"),
    ("unknown facet name", "/api/facets/__class__"),
    ("facet name invalid UTF-8", "/facets/%FF"),
    ("document id with dots", "/documents/..%2F..%2Fetc%2Fpasswd"),
    ("document id 100 KB", "/api/documents/" + "d" * HUGE),
    ("document id invalid UTF-8", "/documents/%FF%FE"),
    ("document id NUL", "/api/documents/%00"),
    ("document id with markup", "/documents/%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
]
