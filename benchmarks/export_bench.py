"""Export and batch search on N generated documents: speed and memory.

    .venv/bin/python -m benchmarks.export_bench --docs 50000 --data-dir /tmp/eb50k

1. Generates N articles with :mod:`benchmarks.query_bench`'s generator (the same
   seeded corpus; the index is reused when --data-dir already holds it).
2. Export through the web app: gunicorn (``gunicorn.conf.py``, one worker) streams
   ``/api/export?format=csv|jsonl&sort=newest`` (every document) to a client that
   reads and counts it; the worker's VmRSS is sampled every 50 ms from /proc.
3. Export through the CLI: ``search-service search --sort newest --format csv
   --all -o /dev/null`` in its own process, VmRSS sampled the same way.
   For both: documents/s, RSS before the export, at each quarter of it, and the peak.
4. Batch search: the 900 generated person names and 100 organisation and place
   names (1,000 lines) run through ``search.batch.run_batch`` on the Tantivy index
   in this process (what ``search-service batch`` runs); total time and the
   median / p95 per name, measured once.
"""
from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.query_bench import Generator, build_index, free_port, percentile, start_gunicorn  # noqa: E402
from search_service.backends import open_backend  # noqa: E402
from search_service.config import load_settings  # noqa: E402
from search_service.search.batch import parse_batch, run_batch  # noqa: E402

CLI = str(Path(sys.executable).with_name("search-service"))


def rss_mib(pid: int, field: str = "VmRSS") -> float | None:
    """A memory line of /proc/<pid>/status in MiB (VmRSS; RssAnon = heap, without mapped index files)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


class Sampler(threading.Thread):
    """(seconds, VmRSS MiB) of one process every ``interval`` until stopped."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval, self.samples, self._stop_event = pid, interval, [], threading.Event()
        self.started = time.perf_counter()

    def run(self) -> None:
        while not self._stop_event.is_set():
            rss, anon = rss_mib(self.pid), rss_mib(self.pid, "RssAnon")
            if rss is not None and anon is not None:
                self.samples.append((time.perf_counter() - self.started, rss, anon))
            time.sleep(self.interval)

    def stop(self) -> list[tuple[float, float]]:
        self._stop_event.set()
        self.join()
        return self.samples


def profile(samples: list[tuple[float, float, float]]) -> str:
    """VmRSS and RssAnon at the start, at each quarter of the run, and their peaks."""
    if not samples:
        return "no samples"
    end = samples[-1][0]
    marks = [min(samples, key=lambda s: abs(s[0] - q * end)) for q in (0, 0.25, 0.5, 0.75, 1.0)]
    return ("VmRSS MiB at 0/25/50/75/100 % of the run: " + " / ".join(f"{m[1]:.0f}" for m in marks)
            + f" (peak {max(s[1] for s in samples):.0f}); RssAnon: " + " / ".join(f"{m[2]:.0f}" for m in marks)
            + f" (peak {max(s[2] for s in samples):.0f})")


def web_export(data_dir: Path, fmt: str) -> tuple[int, float, int, str]:
    port = free_port()
    proc, _ = start_gunicorn(data_dir, port, workers=1)
    try:
        worker = int(Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()[0])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        conn.request("GET", "/healthz")
        conn.getresponse().read()
        before = rss_mib(worker)
        sampler = Sampler(worker)
        sampler.start()
        started = time.perf_counter()
        conn.request("GET", f"/api/export?format={fmt}&sort=newest")
        response = conn.getresponse()
        lines, size = 0, 0
        while True:
            chunk = response.read(1 << 16)
            if not chunk:
                break
            size += len(chunk)
            lines += chunk.count(b"\n")
        elapsed = time.perf_counter() - started
        samples = sampler.stop()
        total = int(response.getheader("X-Total-Count"))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return total, elapsed, size, f"worker RSS before {before:.0f} MiB; {profile(samples)}; {lines:,} lines"


def cli_export(data_dir: Path) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCH_")}
    started = time.perf_counter()
    proc = subprocess.Popen([CLI, "--data-dir", str(data_dir), "search", "--sort", "newest", "--format", "csv",
                             "--all", "-o", os.devnull], env=env, stderr=subprocess.PIPE)
    sampler = Sampler(proc.pid)
    sampler.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - started
    samples = sampler.stop()
    if proc.returncode:
        raise SystemExit(f"CLI export failed: {err.decode()[-500:]}")
    return elapsed, profile(samples)


def batch(data_dir: Path, gen: Generator) -> tuple[int, float, list[float], int]:
    names = gen.people[:900] + (gen.orgs + gen.places)[:100]
    settings = load_settings({"DATA_DIR": str(data_dir)}, environ={})
    backend = open_backend(settings)
    try:
        queries, _ = parse_batch("\n".join(names), max_queries=len(names))
        times, matched = [], 0
        started = last = time.perf_counter()
        for row in run_batch(backend, queries, top=settings.batch_top_documents, limits=settings.limits):
            now = time.perf_counter()
            times.append((now - last) * 1000)
            last = now
            matched += bool(row.total)
        total = time.perf_counter() - started
    finally:
        backend.close()
    return len(names), total, times, matched


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--data-dir", type=Path, help="keep the generated index here (default: a temp dir)")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="export-bench-")) / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    gen = Generator()
    build_seconds = build_index(data_dir, args.docs, gen)
    print(f"documents: {args.docs:,}   index build: {build_seconds:.1f} s (0 = reused)   data: {data_dir}")
    for fmt in ("csv", "jsonl"):
        total, elapsed, size, memory = web_export(data_dir, fmt)
        print(f"web export {fmt:5s}: {total:,} documents, {size / 2**20:.0f} MiB in {elapsed:.1f} s "
              f"= {total / elapsed:,.0f} documents/s; {memory}")
    elapsed, memory = cli_export(data_dir)
    print(f"CLI export csv  : {args.docs:,} documents in {elapsed:.1f} s (process start included) "
          f"= {args.docs / elapsed:,.0f} documents/s; {memory}")
    count, total, times, matched = batch(data_dir, gen)
    print(f"batch: {count:,} names ({matched:,} with matches) in {total:.1f} s; per name median "
          f"{statistics.median(times):.1f} ms, p95 {percentile(times, 95):.1f} ms, max {max(times):.1f} ms")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
