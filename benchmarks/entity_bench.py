"""Entity pages and the related-entities panel on N generated documents.

    .venv/bin/python -m benchmarks.entity_bench --docs 50000 --data-dir /tmp/bench/data

1. Builds (or reuses) the generated index of :mod:`benchmarks.query_bench` — the
   same seeded articles, names Zipf-distributed, so a few people appear in many
   documents and most in few.
2. Entity pages over HTTP: starts gunicorn (2 workers, facet cache off) and asks
   for ``/entities/<type>/<value>`` (the HTML page) and its JSON, one value per
   request from a seeded mix — a third from the most frequent names, a third
   from the middle of the pools, a third from the tail — and prints median and p95.
3. The related panel, in one process on the same index: the query mix of
   ``query_bench`` (common term, rare term, phrase, term + two filters), each
   query timed as ``backend.search`` alone and as ``backend.search`` +
   ``backend.related``, interleaved, so both medians come from one run on one
   machine state. The collection-wide counts behind related entities are computed
   once per index state; the warm-up pays for them, as the first search after a
   commit would.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.query_bench import (  # noqa: E402
    Generator, build_index, free_port, percentile, query_mix, start_gunicorn, timed_get,
)
from search_service.backends import open_backend  # noqa: E402
from search_service.config import load_settings  # noqa: E402
from search_service.search import SearchRequest  # noqa: E402


def entity_mix(gen: Generator, count: int, seed: int = 7) -> list[tuple[str, str]]:
    """(type, value) pairs: heads, middles and tails of the generated name pools."""
    rng = random.Random(seed)
    pools = {"person": gen.people, "organisation": gen.orgs, "place": gen.places}
    mix = []
    for i in range(count):
        etype = ("person", "organisation", "place")[i % 3]
        pool = pools[etype]
        band = (i // 3) % 3
        if band == 0:
            index = rng.randint(0, 4)
        elif band == 1:
            index = rng.randint(5, len(pool) // 4)
        else:
            index = rng.randint(len(pool) // 4, len(pool) - 1)
        mix.append((etype, pool[index]))
    return mix


def time_entity_pages(data_dir: Path, gen: Generator, count: int, workers: int) -> dict[str, list[float]]:
    port = free_port()
    proc, _ = start_gunicorn(data_dir, port, workers, facet_cache=0)
    times: dict[str, list[float]] = {"/entities/… (HTML page)": [], "/api/entities/… (JSON)": []}
    missing = 0
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for etype, value in entity_mix(gen, 30, seed=99):  # warm-up: page cache, background counts
            conn.request("GET", f"/api/entities/{etype}/{quote(value)}")
            conn.getresponse().read()
        for etype, value in entity_mix(gen, count):
            path = f"/{etype}/{quote(value)}"
            conn.request("HEAD", "/api/entities" + path)  # a tail name may be in no document
            response = conn.getresponse()
            response.read()
            if response.status == 404:
                missing += 1
                continue
            times["/entities/… (HTML page)"].append(timed_get(conn, "/entities" + path, {}))
            times["/api/entities/… (JSON)"].append(timed_get(conn, "/api/entities" + path, {}))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    if missing:
        print(f"({missing} of {count} generated names are in no document and were skipped)")
    return times


def time_related(data_dir: Path, gen: Generator, count: int) -> dict[str, dict[str, list[float]]]:
    config = load_settings({"DATA_DIR": str(data_dir), "FACET_CACHE_SIZE": 0}, environ={})
    backend = open_backend(config)
    results: dict[str, dict[str, list[float]]] = {"search": {}, "search + related": {}}
    try:
        for _, params in query_mix(gen, 40, seed=99):  # warm-up, background counts included
            request = SearchRequest.build(q=params["q"], filters=_filters(params))
            backend.search(request)
            backend.related(request)
        for kind, params in query_mix(gen, count):
            request = SearchRequest.build(q=params["q"], filters=_filters(params))
            started = time.perf_counter()
            backend.search(request)
            results["search"].setdefault(kind, []).append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            backend.search(request)
            backend.related(request)
            results["search + related"].setdefault(kind, []).append((time.perf_counter() - started) * 1000)
    finally:
        backend.close()
    return results


def _filters(params: dict) -> dict:
    filters = {}
    if "person" in params:
        filters["person"] = [params["person"]]
    if "year" in params:
        filters["published_year"] = [params["year"]]
    return filters


def _line(name: str, values: list[float]) -> str:
    return (f"{name:28s} n={len(values):4d}  median {statistics.median(values):6.1f} ms  "
            f"p95 {percentile(values, 95):6.1f} ms")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=300, help="entity pages timed (after 30 warm-up)")
    parser.add_argument("--queries", type=int, default=400, help="searches timed each way (after 40 warm-up)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data-dir", type=Path, help="keep the generated index here (default: a temp dir)")
    args = parser.parse_args(argv)

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="entity-bench-")) / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    gen = Generator()
    build_seconds = build_index(data_dir, args.docs, gen)
    pages = time_entity_pages(data_dir, gen, args.pages, args.workers)
    related = time_related(data_dir, gen, args.queries)

    print(f"documents: {args.docs:,}   index build: {build_seconds:.1f} s (0 = reused)   data: {data_dir}")
    print("entity pages over HTTP (gunicorn, 2 workers):")
    for name, values in pages.items():
        print("  " + _line(name, values))
    print("search with and without the related panel (in process, interleaved, facet cache off):")
    medians = {}
    for name, kinds in related.items():
        every = [t for times in kinds.values() for t in times]
        medians[name] = statistics.median(every)
        print("  " + _line(name, every))
        for kind, times in kinds.items():
            print("      " + _line(kind, times))
    added = medians["search + related"] / medians["search"] - 1
    print(f"the related panel adds {added * 100:.1f} % to the search median")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
