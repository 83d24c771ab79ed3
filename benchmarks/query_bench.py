"""Query latency of the web app under gunicorn, on N generated documents.

    .venv/bin/python -m benchmarks.query_bench --docs 10000
    .venv/bin/python -m benchmarks.query_bench --docs 50000 --queries 400

1. Generates N synthetic articles (words drawn from a Zipf-like vocabulary,
   people/organisations/places from generated name pools, dates and mentioned
   years) and writes them through the real Tantivy backend — no spaCy. The
   data directory is kept, so a second run with the same --data-dir and --docs
   skips this step.
2. Starts gunicorn (``gunicorn.conf.py``, 2 workers) on a free loopback port and
   times start-up: process start → first ``/healthz`` answered (the worker has
   imported the app and opened the index).
3. Runs a bounded, seeded query mix — common term, rare term, phrase, term plus
   two filters — sequentially over one keep-alive connection, each query once
   against ``/api/search`` and once as the htmx fragment of ``/search``; prints
   median and p95 per endpoint and per query kind.
4. Reports each worker's resident memory (VmRSS, with its anonymous and
   file-backed parts) from ``/proc/<pid>/status``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from search_service.backends import open_backend  # noqa: E402
from search_service.config import load_settings  # noqa: E402
from search_service.models import Article, Entity, Passage  # noqa: E402

SYLLABLES = ["ka", "lo", "mi", "ter", "sun", "bra", "vel", "no", "dri", "pa", "sel", "or", "tan", "qui", "ber",
             "lu", "ma", "ren", "sto", "fa", "gi", "hol", "zen", "di", "ca", "mer", "vo", "ne", "ri", "tu"]
FIRST = ["Alvar", "Brisa", "Cato", "Delphine", "Eskil", "Fenna", "Gideon", "Hedda", "Ilario", "Jorun", "Kasimir",
         "Liesel", "Marek", "Nanna", "Otmar", "Perpetua", "Quirin", "Rosalind", "Sten", "Tamsin", "Ulla", "Vidar",
         "Wilma", "Xaver", "Ysolde", "Zeno", "Aurel", "Bodil", "Cosmo", "Dagny"]
LAST = ["Aaskov", "Birkeland", "Corvino", "Drammen", "Eggert", "Falkvik", "Grell", "Hoxha", "Ilves", "Jastrow",
        "Kivistö", "Lauridsen", "Mottram", "Nyqvist", "Orrell", "Pavlica", "Quarles", "Rundgren", "Søberg", "Tolliver",
        "Ulvang", "Vesterby", "Wexford", "Yarrow", "Zell", "Ambrose", "Brückner", "Castell", "Dunmore", "Elling"]
ORG_A = ["Nordvale", "Cinder", "Bluefjord", "Harrowgate", "Silvermere", "Eastmarch", "Kestrel", "Oakhaven",
         "Redwater", "Thornbury", "Wintermoor", "Glasswick"]
ORG_B = ["Trust", "Council", "Institute", "Union", "Shipping", "Bank", "Foundation", "Press", "Railways",
         "Chamber", "Museum", "Authority"]
PLACE_A = ["Vel", "Mar", "Tor", "Ash", "Brin", "Kel", "Lun", "Ost", "Ry", "Sol", "Dun", "Fen"]
PLACE_B = ["havn", "by", "stad", "mouth", "holm", "vik", "ford", "wick", "dal", "port", "ness", "ton"]


class Generator:
    """Seeded synthetic articles with true passage and mention offsets."""

    def __init__(self, seed: int = 11, vocabulary: int = 30_000):
        self.rng = random.Random(seed)
        words = set()
        while len(words) < vocabulary:
            words.add("".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(1, 4))))
        self.words = sorted(words, key=lambda w: (len(w), w))  # short words are the common ones
        weights = [1.0 / (rank + 1) ** 1.07 for rank in range(len(self.words))]
        total, acc = sum(weights), 0.0
        self.cum = []
        for w in weights:
            acc += w / total
            self.cum.append(acc)
        self.people = [f"{f} {l}" for f in FIRST for l in LAST]  # 900 people
        self.orgs = [f"{a} {b}" for a in ORG_A for b in ORG_B]  # 144 organisations
        self.places = [a + b for a in PLACE_A for b in PLACE_B]  # 144 places
        self.bigrams: list[str] = []

    def _zipf(self, pool: list[str], k: int) -> list[str]:
        # Names are Zipf-distributed too: a few people appear in many documents.
        return [pool[min(int(self.rng.paretovariate(1.1)) - 1, len(pool) - 1)] for _ in range(k)]

    def article(self, n: int) -> Article:
        rng = self.rng
        people = list(dict.fromkeys(self._zipf(self.people, rng.randint(2, 5))))
        orgs = list(dict.fromkeys(self._zipf(self.orgs, rng.randint(1, 3))))
        places = list(dict.fromkeys(self._zipf(self.places, rng.randint(1, 3))))
        names = [("person", p) for p in people] + [("organisation", o) for o in orgs] + [("place", p) for p in places]
        mentions: dict[tuple[str, str], list] = {key: [] for key in names}
        years = sorted({rng.randint(1900, 2024) for _ in range(rng.randint(0, 3))})
        text, passages, sentences_in_passage, passage_start = "", [], 0, 0
        for s in range(rng.randint(18, 30)):  # ~300-500 words
            words = rng.choices(self.words, cum_weights=self.cum, k=rng.randint(10, 22))
            if s == 3:
                self.bigrams.append(" ".join(words[2:4]))
            sentence = " ".join(words).capitalize()
            if rng.random() < 0.45:
                etype, name = rng.choice(names)
                cut = rng.randint(0, len(sentence))
                cut = sentence.rfind(" ", 0, cut) + 1 if " " in sentence[:cut] else 0
                sentence = f"{sentence[:cut]}{name} {sentence[cut:]}"
                mentions[(etype, name)].append((len(text) + cut, len(text) + cut + len(name)))
            if years and rng.random() < 0.15:
                sentence += f" in {rng.choice(years)}"
            text += sentence + ". "
            sentences_in_passage += 1
            if sentences_in_passage == 8:
                passages.append(Passage(len(passages), passage_start, len(text) - 1))
                passage_start, sentences_in_passage = len(text), 0
        text = text.rstrip()
        if passage_start < len(text):
            passages.append(Passage(len(passages), passage_start, len(text)))
        published = dt.date(1990, 1, 1) + dt.timedelta(days=rng.randint(0, 35 * 365))
        return Article(
            id=f"gen-{n:06d}", text=text, title=" ".join(rng.choices(self.words[:3000], k=6)).capitalize(),
            source=f"generated/{n // 1000:03d}/{n:06d}.txt", source_hash=f"{n:x}", published=published,
            passages=passages, mentioned_years=years,
            entities=[Entity(t, name, spans) for (t, name), spans in mentions.items() if spans],
        )


def build_index(data_dir: Path, docs: int, gen: Generator) -> float:
    """Write ``docs`` generated articles unless the same build is already there."""
    marker = data_dir / "query_bench.json"
    config = load_settings({"DATA_DIR": str(data_dir)}, environ={})
    if marker.exists() and json.loads(marker.read_text())["docs"] == docs:
        for n in range(docs):  # regenerate to rebuild the query material identically
            gen.article(n)
        return 0.0
    started = time.perf_counter()
    backend = open_backend(config)
    with backend.rebuild() as writer:
        for n in range(docs):
            writer.add(gen.article(n))
    backend.close()
    marker.write_text(json.dumps({"docs": docs}))
    return time.perf_counter() - started


def query_mix(gen: Generator, count: int, seed: int = 5) -> list[tuple[str, dict]]:
    """(kind, params) pairs: common term, rare term, phrase, term + two filters."""
    rng = random.Random(seed)
    mix = []
    for i in range(count):
        kind = ("common", "rare", "phrase", "two-filter")[i % 4]
        if kind == "common":
            params = {"q": rng.choice(gen.words[:40])}
        elif kind == "rare":
            params = {"q": rng.choice(gen.words[5000:20000])}
        elif kind == "phrase":
            params = {"q": f'"{rng.choice(gen.bigrams)}"'}
        else:
            params = {"q": rng.choice(gen.words[:300]), "person": gen.people[rng.randint(0, 20)],
                      "year": str(rng.randint(1995, 2024))}
        mix.append((kind, params))
    return mix


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(data_dir: Path, port: int, workers: int, facet_cache: int = 64) -> tuple[subprocess.Popen, float]:
    env = {**os.environ, "SEARCH_DATA_DIR": str(data_dir), "SEARCH_BIND": f"127.0.0.1:{port}",
           "SEARCH_WORKERS": str(workers), "SEARCH_ACCESS_LOG": "", "SEARCH_FACET_CACHE_SIZE": str(facet_cache)}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(REPO / "gunicorn.conf.py"), "search_service:create_app()"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return proc, time.perf_counter() - started
        except OSError:
            if proc.poll() is not None or time.perf_counter() - started > 60:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.02)


def timed_get(conn: http.client.HTTPConnection, path: str, headers: dict) -> float:
    started = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}: {body[:200]!r}")
    return elapsed * 1000


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def worker_memory(master: int) -> list[dict]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    memory = []
    for pid in children:
        fields = {}
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile"):
                fields[key] = int(value.split()[0]) / 1024  # MiB
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                fields["Pss"] = int(line.split()[1]) / 1024  # this worker's share of shared pages
        memory.append({"pid": int(pid), **fields, "mapped": mapped_index_files(int(pid))})
    return memory


def mapped_index_files(pid: int) -> dict[str, float]:
    """Resident MiB of the worker's mapped index files, by Tantivy file kind (.idx, .pos, .fast …)."""
    by_kind: dict[str, float] = {}
    kind = None
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = line.split()
        if "-" in head[0] and len(head) >= 5:  # a mapping's header line: address range, perms, …, path
            path = head[5] if len(head) > 5 else ""
            kind = (Path(path).suffix or None) if "/index/" in path else None
        elif kind and head[0] == "Rss:":
            by_kind[kind] = by_kind.get(kind, 0.0) + int(head[1]) / 1024
    return dict(sorted(by_kind.items(), key=lambda item: -item[1]))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=400, help="queries per endpoint (after 40 warm-up)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data-dir", type=Path, help="keep the generated index here (default: a temp dir)")
    parser.add_argument("--facet-cache", type=int, default=0,
                        help="SEARCH_FACET_CACHE_SIZE for the workers (default 0: every search counts its facets; "
                             "the same query is sent to both endpoints, so a cache would flatter the second)")
    args = parser.parse_args(argv)

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="query-bench-")) / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    gen = Generator()
    build_seconds = build_index(data_dir, args.docs, gen)
    port = free_port()
    proc, startup = start_gunicorn(data_dir, port, args.workers, args.facet_cache)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        fragment_headers = {"HX-Request": "true", "HX-Target": "search-region"}
        endpoints = {"/api/search": {}, "/search (htmx fragment)": fragment_headers}
        first_search = timed_get(conn, "/api/search?" + urlencode({"q": gen.words[0]}), {})
        for _, params in query_mix(gen, 40, seed=99):  # warm-up: page cache, both code paths
            timed_get(conn, "/api/search?" + urlencode(params), {})
            timed_get(conn, "/search?" + urlencode(params), fragment_headers)
        results: dict[str, dict[str, list[float]]] = {name: {} for name in endpoints}
        for kind, params in query_mix(gen, args.queries):
            for name, headers in endpoints.items():
                path = ("/api/search?" if name == "/api/search" else "/search?") + urlencode(params, doseq=True)
                results[name].setdefault(kind, []).append(timed_get(conn, path, headers))
        memory = worker_memory(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    print(f"documents: {args.docs:,}   index build: {build_seconds:.1f} s (0 = reused)   data: {data_dir}")
    print(f"facet cache per worker: {args.facet_cache} searches")
    print(f"gunicorn start → first /healthz: {startup * 1000:.0f} ms; first search (cold): {first_search:.1f} ms")
    for name, kinds in results.items():
        every = [t for times in kinds.values() for t in times]
        print(f"{name:26s} n={len(every):4d}  median {statistics.median(every):6.1f} ms  "
              f"p95 {percentile(every, 95):6.1f} ms")
        for kind, times in kinds.items():
            print(f"    {kind:12s} n={len(times):4d}  median {statistics.median(times):6.1f} ms  "
                  f"p95 {percentile(times, 95):6.1f} ms")
    for m in memory:
        print(f"worker {m['pid']}: VmRSS {m['VmRSS']:.0f} MiB (anon {m['RssAnon']:.0f}, file {m['RssFile']:.0f}), "
              f"PSS {m['Pss']:.0f} MiB")
        print("    mapped index by file kind: " + ", ".join(f"{k} {v:.0f}" for k, v in m["mapped"].items() if v >= 0.5))
    print(f"load average during the run: {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
