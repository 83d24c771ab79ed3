"""Search during writes: gunicorn (2 workers) keeps answering while ``index`` and
then ``reindex`` run in another process, and every worker sees each commit.

A bounded request loop (three client threads, a new connection per request so the
kernel spreads them over both workers) runs on loopback for the whole write. Every
request carries a sequence number; the access log (worker PID per line) tells which
worker answered it.
"""
from __future__ import annotations

import json
import subprocess
import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest

from reliability_fixtures import CLI, Gunicorn, cli_env, get, raw_request, status_of, write_short_articles
from web_fixtures import corpus, web_config, write_articles

pytestmark = pytest.mark.slow

NEW = 300  # new articles written by `index` (commits after 200, then at the end)
NEW_WORD = "quokkaferry"  # appears only in the new articles
COMMITTED_STATES = {0, 200, NEW}
FRAGMENT = {"HX-Request": "true", "HX-Target": "search-region"}
MAX_REQUESTS = 40_000  # hard bounds of the loop
MAX_SECONDS = 240


@dataclass
class Answer:
    seq: int
    started: float
    path: str
    status: int  # 0: the request itself failed (connection error, timeout)
    total: int | None = None  # documents found, for the marker query
    error: str = ""


class RequestLoop:
    """Client threads issuing a fixed mix of requests until stopped (or a bound is hit)."""

    PATHS = [
        ("/api/search?q=" + NEW_WORD, {}),
        ("/search?q=harbour+ferry", {}),
        ("/search?q=" + NEW_WORD, FRAGMENT),
        ("/api/search?q=ferry&person=Olek+Brandt&sort=newest", {}),
        ("/api/facets/person?prefix=ol", {}),
        ("/documents/harbour-ferry", {}),
        ("/healthz", {}),
    ]

    def __init__(self, port: int, threads: int = 3):
        self.port = port
        self.answers: list[Answer] = []
        self._seq = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]
        self.started = time.monotonic()

    def start(self) -> "RequestLoop":
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _next(self) -> int | None:
        with self._lock:
            if self._seq >= MAX_REQUESTS or time.monotonic() - self.started > MAX_SECONDS:
                return None
            self._seq += 1
            return self._seq

    def _run(self) -> None:
        while not self._stop.is_set() and (seq := self._next()) is not None:
            base, headers = self.PATHS[seq % len(self.PATHS)]
            path = f"{base}{'&' if '?' in base else '?'}n={seq}"  # unknown parameter: ignored by the app
            answer = Answer(seq, time.monotonic(), path, 0)
            try:
                status, _, body = get(self.port, path, timeout=30, headers=headers)
                answer.status = status
                if status == 200 and base.startswith("/api/search?q=" + NEW_WORD):
                    answer.total = json.loads(body)["total"]
            except Exception as exc:  # noqa: BLE001 - a failed request is a result, recorded
                answer.error = f"{type(exc).__name__}: {exc}"
            with self._lock:
                self.answers.append(answer)

    def marker_answers(self, after: float = 0.0, before: float = float("inf")) -> list[Answer]:
        with self._lock:
            return [a for a in self.answers if a.total is not None and after < a.started < before]


def _seq_to_worker(server: Gunicorn) -> dict[int, int]:
    pids = {}
    for pid, _, request_line in server.access_lines():
        target = request_line.split(" ")[1] if " " in request_line else ""
        if n := parse_qs(urlsplit(target).query).get("n"):
            pids[int(n[-1])] = pid
    return pids


def _run_to_end(args: list[str], data_dir, log) -> float:
    """Run a CLI command to completion; return the time it ended."""
    with open(log, "w") as out:
        done = subprocess.run([CLI, *args], env=cli_env(data_dir), stdout=out, stderr=subprocess.STDOUT,
                              timeout=600)
    assert done.returncode == 0, log.read_text()[-2000:]
    return time.monotonic()


def _wait_for_both_workers(loop: RequestLoop, server: Gunicorn, after: float, need: int = 5) -> dict[int, list]:
    """Marker answers started after ``after``, grouped by worker, once each worker has ``need``."""
    deadline = time.monotonic() + 60
    while True:
        workers = _seq_to_worker(server)
        by_pid: dict[int, list] = {}
        for answer in loop.marker_answers(after=after):
            if answer.seq in workers:
                by_pid.setdefault(workers[answer.seq], []).append(answer)
        if len(by_pid) >= 2 and all(len(v) >= need for v in by_pid.values()) or time.monotonic() > deadline:
            return by_pid
        time.sleep(0.2)


def test_gunicorn_answers_every_request_while_index_and_reindex_run(tmp_path):
    data = tmp_path / "data"
    write_articles(web_config(data), corpus())  # 8 articles are live before the run
    write_short_articles(tmp_path / "new", NEW, extra=f"The {NEW_WORD} sailed.")

    with Gunicorn(data, workers=2, log_dir=tmp_path / "logs") as server:
        workers_before = server.worker_pids()
        loop = RequestLoop(server.port).start()
        try:
            index_started = time.monotonic()
            index_done = _run_to_end(["index", str(tmp_path / "new")], data, tmp_path / "index.log")
            after_index = _wait_for_both_workers(loop, server, after=index_done)
            reindex_done = _run_to_end(["reindex"], data, tmp_path / "reindex.log")
            after_reindex = _wait_for_both_workers(loop, server, after=reindex_done)
        finally:
            loop.stop()
        workers_after = server.worker_pids()
        _, _, health = get(server.port, "/healthz")

    answers = loop.answers
    seen = sorted({a.total for a in loop.marker_answers()})
    print(f"\n{len(answers)} requests in {answers[-1].started - answers[0].started:.1f} s; marker totals seen {seen}; "
          f"after index per worker {[len(v) for v in after_index.values()]}, "
          f"after reindex {[len(v) for v in after_reindex.values()]}")
    failed = [a for a in answers if a.status != 200]
    assert not failed, f"{len(failed)} of {len(answers)} requests failed, e.g. {failed[:3]}"
    assert len(answers) >= 100
    assert workers_after == workers_before  # no worker died or was replaced

    # Readers only ever see committed states, never a half-written batch.
    assert {a.total for a in loop.marker_answers()} <= COMMITTED_STATES
    assert all(a.total == 0 for a in loop.marker_answers(before=index_started))
    # Once `index` has ended, every worker sees every new document on its next request...
    assert len(after_index) == 2, f"only workers {list(after_index)} answered after the index run"
    assert all(a.total == NEW for answers_of in after_index.values() for a in answers_of)
    # ...and during and after the reindex switch nothing disappears.
    assert all(a.total == NEW for a in loop.marker_answers(after=index_done))
    assert len(after_reindex) == 2
    assert json.loads(health)["documents"] == NEW + len(corpus())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("raw-http") / "data"
    write_articles(web_config(data), corpus())
    with Gunicorn(data, workers=1, log_dir=data.parent / "logs") as running:
        yield running


RAW = [
    b"GET /search?q=\xff\xfe HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    b"GET /api/search?q=caf\xe9 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    b"GET /documents/\xff HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    b"GET /search?q=" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    b"GET /search HTTP/1.1\r\nHost: localhost\r\nX-Big: " + b"b" * 20_000 + b"\r\nConnection: close\r\n\r\n",
    b"GET /search?q=%ff%fe%c3%28 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    b"GARBAGE\r\n\r\n",
]


@pytest.mark.parametrize("request_bytes", RAW, ids=["raw-ff", "raw-latin1", "raw-path", "100KB-line",
                                                    "20KB-header", "escaped-invalid", "garbage"])
def test_malformed_http_gets_a_4xx_or_200_from_gunicorn(server, request_bytes):
    status = status_of(raw_request(server.port, request_bytes))
    assert status < 500
    assert get(server.port, "/healthz")[0] == 200  # and the server is fine afterwards
