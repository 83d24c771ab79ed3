"""Bounded load run: a fixed number of keep-alive clients, a fixed number of requests,
against gunicorn (``gunicorn.conf.py``, 2 workers) on the embedded engine.

    .venv/bin/python -m benchmarks.load_bench                       # 50,000 docs, 8 clients, 11,000 requests
    .venv/bin/python -m benchmarks.load_bench --docs 5000 --requests 3000 --clients 4   # quick look

1. Builds (or reuses, with ``--data-dir``) an index of N generated articles with
   :mod:`benchmarks.query_bench`'s generator, written straight through the Tantivy
   backend (no spaCy).
2. Starts gunicorn on a free loopback port exactly like production (access log on).
3. Warms up (``--warmup`` requests with the same clients), then runs ``--clients``
   threads, each on one keep-alive connection, until ``--requests`` requests are done. The mix: JSON search (common word, rare
   word, phrase, word + two filters, deep page), the search page, its htmx
   fragment, facet value search and document pages.
4. Samples every worker's resident memory (VmRSS) each ``--sample-every``
   completed requests, and reports throughput, p50/p90/p99/max latency, errors
   and memory growth per worker. ``--json FILE`` writes all figures.

Workers are recycled by gunicorn after 10,000-11,000 requests each
(``max_requests``); with two workers 12,000 requests in all stay below that, so
the memory figures follow the same two processes throughout.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from benchmarks.query_bench import Generator, build_index, query_mix  # noqa: E402
from reliability_fixtures import Gunicorn, get, rss_kib  # noqa: E402

FRAGMENT = {"HX-Request": "true", "HX-Target": "search-region"}


def request_mix(gen: Generator, docs: int, count: int, seed: int = 3) -> list[tuple[str, str, dict]]:
    """(kind, path, headers) for ``count`` requests, seeded."""
    rng = random.Random(seed)
    searches = query_mix(gen, max(40, count // 2), seed=seed)
    mix = []
    for i in range(count):
        kind, params = searches[i % len(searches)]
        slot = i % 10
        if slot < 5:
            mix.append((f"api {kind}", "/api/search?" + urlencode(params), {}))
        elif slot == 5:
            mix.append(("page", "/search?" + urlencode(params), {}))
        elif slot == 6:
            mix.append(("fragment", "/search?" + urlencode(params), FRAGMENT))
        elif slot == 7:
            prefix = rng.choice(gen.people)[: rng.randint(2, 5)].lower()
            mix.append(("facet", "/api/facets/person?" + urlencode({"prefix": prefix, **params}), {}))
        elif slot == 8:
            mix.append(("document", f"/documents/gen-{rng.randrange(docs):06d}", {}))
        else:
            mix.append(("deep page", "/api/search?" + urlencode({**params, "page": rng.randint(2, 50)}), {}))
    return mix


class Client(threading.Thread):
    """One keep-alive connection working through the shared request list."""

    def __init__(self, port: int, run: "Run"):
        super().__init__(daemon=True)
        self.port, self.run_state = port, run
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def run(self) -> None:
        state = self.run_state
        while (item := state.take()) is not None:
            kind, path, headers = item
            started = time.perf_counter()
            try:
                self.conn.request("GET", path, headers=headers)
                response = self.conn.getresponse()
                response.read()
                status = response.status
                if response.getheader("connection", "").lower() == "close":
                    self.conn.close()  # http.client reconnects on the next request
            except (OSError, http.client.HTTPException) as exc:
                status = f"{type(exc).__name__}"
                self.conn.close()
            state.done(kind, status, (time.perf_counter() - started) * 1000)


class Run:
    """Shared state of one load run: the work list, results and memory samples."""

    def __init__(self, mix, workers: list[int], sample_every: int):
        self.mix, self.workers, self.sample_every = mix, workers, sample_every
        self.next = 0
        self.latencies: dict[str, list[float]] = {}
        self.statuses: dict[str, int] = {}
        self.samples: list[dict] = []
        self.completed = 0
        self.lock = threading.Lock()

    def take(self):
        with self.lock:
            if self.next >= len(self.mix):
                return None
            self.next += 1
            return self.mix[self.next - 1]

    def done(self, kind: str, status, ms: float) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(ms)
            self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
            self.completed += 1
            if self.completed % self.sample_every == 0:
                self.sample()

    def sample(self) -> None:
        """Resident memory of each worker now: all of it, and its anonymous (heap) part."""
        self.samples.append({"requests": self.completed,
                             "rss_mib": {pid: round(memory_kib(pid, "VmRSS") / 1024, 1) for pid in self.workers},
                             "anon_mib": {pid: round(memory_kib(pid, "RssAnon") / 1024, 1) for pid in self.workers}})


def warm_up(server: Gunicorn, mix, count: int) -> None:
    """Fresh connections until every worker has answered ``count / workers`` requests
    (keep-alive connections may all land on one worker)."""
    need = count // len(server.worker_pids())
    for i in range(count * 10):
        _, path, headers = mix[i % len(mix)]
        get(server.port, path, headers=headers)
        if i % 50 == 49:
            served: dict[int, int] = {}
            for pid, _, _ in server.access_lines():
                served[pid] = served.get(pid, 0) + 1
            if len(served) == len(server.worker_pids()) and min(served.values()) >= need:
                return


def memory_kib(pid: int, field: str) -> int:
    """A memory figure of /proc/<pid>/status in KiB (VmRSS = rss_kib)."""
    if field == "VmRSS":
        return rss_kib(pid)
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def summary(values: list[float]) -> dict:
    return {"n": len(values), "p50": round(percentile(values, 50), 1), "p90": round(percentile(values, 90), 1),
            "p99": round(percentile(values, 99), 1), "max": round(max(values), 1)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=11_000)
    parser.add_argument("--warmup", type=int, default=1_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample-every", type=int, default=1000)
    parser.add_argument("--data-dir", type=Path, help="keep the generated index here (reused when it matches)")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    args = parser.parse_args(argv)

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="load-bench-")) / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    gen = Generator()
    build_seconds = build_index(data_dir, args.docs, gen)
    mix = request_mix(gen, args.docs, args.warmup + args.requests)

    with Gunicorn(data_dir, workers=args.workers, log_dir=data_dir.parent / "load-logs") as server:
        workers = server.worker_pids()
        warm_up(server, mix, args.warmup)
        run = Run(mix[args.warmup:], workers, args.sample_every)
        run.sample()
        clients = [Client(server.port, run) for _ in range(args.clients)]
        started = time.perf_counter()
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        elapsed = time.perf_counter() - started
        load = os.getloadavg()[0]
        workers_after = server.worker_pids()
        per_worker = {}
        for pid, _, _ in server.access_lines():
            per_worker[pid] = per_worker.get(pid, 0) + 1

    every = [ms for values in run.latencies.values() for ms in values]
    errors = sum(n for status, n in run.statuses.items() if status != "200")
    first, last = run.samples[0], run.samples[-1]
    growth = {pid: round(last["rss_mib"][pid] - first["rss_mib"][pid], 1) for pid in workers}
    anon_growth = {pid: round(last["anon_mib"][pid] - first["anon_mib"][pid], 1) for pid in workers}
    report = {
        "docs": args.docs, "index_build_seconds": round(build_seconds, 1), "clients": args.clients,
        "workers": args.workers, "requests": len(every), "seconds": round(elapsed, 1),
        "throughput_rps": round(len(every) / elapsed, 1), "latency_ms": summary(every),
        "by_kind": {kind: summary(values) for kind, values in sorted(run.latencies.items())},
        "statuses": run.statuses, "errors": errors, "rss_samples": run.samples,
        "rss_growth_mib": growth, "anon_growth_mib": anon_growth, "workers_unchanged": workers_after == workers,
        "requests_per_worker_incl_warmup": per_worker, "load_average_1min": round(load, 1),
        "cpus": os.cpu_count(),
    }
    print(f"{args.docs:,} documents (index build {build_seconds:.0f} s, 0 = reused), {args.workers} workers, "
          f"{args.clients} keep-alive clients, {len(every):,} requests in {elapsed:.1f} s")
    print(f"throughput {report['throughput_rps']} req/s; latency p50 {report['latency_ms']['p50']} ms, "
          f"p90 {report['latency_ms']['p90']} ms, p99 {report['latency_ms']['p99']} ms, "
          f"max {report['latency_ms']['max']} ms; errors {errors}; statuses {run.statuses}")
    for kind, figures in report["by_kind"].items():
        print(f"    {kind:18s} n={figures['n']:5d}  p50 {figures['p50']:7.1f}  p99 {figures['p99']:7.1f} ms")
    print("worker RSS / anonymous RSS (MiB) every", args.sample_every, "requests after the warm-up:")
    for sample in run.samples:
        print(f"    {sample['requests']:6d}  " + "  ".join(
            f"{pid}: {mib:6.1f} / {sample['anon_mib'][pid]:6.1f}" for pid, mib in sample["rss_mib"].items()))
    print(f"growth over the run: RSS {growth}, anonymous {anon_growth} MiB; "
          f"workers unchanged: {report['workers_unchanged']}; "
          f"requests per worker (incl. warm-up): {per_worker}")
    print(f"load average during the run: {load:.1f} (1 min) on {os.cpu_count()} CPUs")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
