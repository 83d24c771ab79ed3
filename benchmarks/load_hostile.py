"""Response times of the hostile requests, on a large index.

    .venv/bin/python -m benchmarks.load_hostile --docs 50000 --data-dir /tmp/load/data

Every input of ``tests/reliability_fixtures.py`` (``HOSTILE_QUERIES`` on each of
``HOSTILE_PATHS``, and ``HOSTILE_URLS``) is sent ``--repeat`` times

* through gunicorn (production config, loopback), which itself answers request
  lines over 4,094 bytes with a 400 before the app sees them, and
* straight to the WSGI app in this process (Flask test client), so the 100 KB
  inputs reach the application code too.

Prints the slowest inputs and the status codes seen; exits non-zero on any 5xx.
The index is built as in :mod:`benchmarks.query_bench` (no spaCy) and reused.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from benchmarks.query_bench import Generator, build_index  # noqa: E402
from reliability_fixtures import HOSTILE_PATHS, HOSTILE_QUERIES, HOSTILE_URLS, Gunicorn, get  # noqa: E402
from search_service.config import load_settings  # noqa: E402
from search_service.web import create_app  # noqa: E402


def requests() -> list[tuple[str, str]]:
    items = [(f"{label} on {path}", f"{path}?{query}") for label, query in HOSTILE_QUERIES for path in HOSTILE_PATHS]
    return items + HOSTILE_URLS


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--show", type=int, default=12, help="how many of the slowest inputs to list")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="load-hostile-")) / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    build_index(data_dir, args.docs, Generator())

    items = requests()
    results = {}  # label -> {"gunicorn": (status, worst ms), "app": (status, worst ms)}
    with Gunicorn(data_dir, workers=2, log_dir=data_dir.parent / "hostile-logs") as server:
        for label, path in items:
            worst, status = 0.0, None
            for _ in range(args.repeat):
                started = time.perf_counter()
                status, _, _ = get(server.port, path)
                worst = max(worst, (time.perf_counter() - started) * 1000)
            results[label] = {"gunicorn": (status, worst)}
    client = create_app(load_settings({"DATA_DIR": str(data_dir)}, environ={})).test_client()
    client.get("/healthz")  # open the index outside the measurement
    for label, path in items:
        worst, status = 0.0, None
        for _ in range(args.repeat):
            started = time.perf_counter()
            status = client.get(path).status_code
            worst = max(worst, (time.perf_counter() - started) * 1000)
        results[label]["app"] = (status, worst)

    for where in ("gunicorn", "app"):
        statuses: dict[int, int] = {}
        for figures in results.values():
            statuses[figures[where][0]] = statuses.get(figures[where][0], 0) + 1
        slowest = sorted(results.items(), key=lambda item: -item[1][where][1])
        times = sorted(figures[where][1] for figures in results.values())
        print(f"{where}: {len(results)} hostile requests x{args.repeat} on {args.docs:,} documents; "
              f"statuses {dict(sorted(statuses.items()))}; median of worst {times[len(times) // 2]:.1f} ms; "
              f"slowest {times[-1]:.1f} ms")
        for label, figures in slowest[: args.show]:
            status, ms = figures[where]
            print(f"    {ms:8.1f} ms  {status}  {label}")
    server_errors = [label for label, figures in results.items() if any(f[0] >= 500 for f in figures.values())]
    if server_errors:
        print("5xx answers:", server_errors)
    return 1 if server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
