"""One very large text file through the real indexer: time, peak memory, result.

    .venv/bin/python -m benchmarks.load_big_file --mb 20

Writes one ``.txt`` file of about ``--mb`` megabytes of generated news prose
(:mod:`benchmarks.generate_articles`, invented names) with a unique word at its
very end, runs ``search-service index`` on it as a subprocess (``--processes``
spaCy processes, default 1 as in the tests) and reports wall time, CPU time and
the child's peak resident memory. Then checks the result: one document, the
last word searchable, and how big and how slow its document page and API
answer are.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from benchmarks.generate_articles import article  # noqa: E402
from reliability_fixtures import CLI, cli_env  # noqa: E402

TAIL_WORD = "zebratailword"


def write_big_file(path: Path, megabytes: float, seed: int = 1) -> int:
    rng, parts, size, n = random.Random(seed), [], 0, 0
    while size < megabytes * 1024 * 1024:
        text = article(rng, n)
        parts.append(text)
        size += len(text.encode("utf-8"))
        n += 1
    parts.append(f"\nThe last sentence of the file ends with {TAIL_WORD}.\n")
    path.write_text("".join(parts), encoding="utf-8")
    return path.stat().st_size


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=20)
    parser.add_argument("--processes", type=int, default=1, help="NLP_PROCESSES for the indexer")
    parser.add_argument("--work-dir", type=Path)
    parser.add_argument("--pages-only", action="store_true",
                        help="reuse the index already in --work-dir; only measure search and pages")
    args = parser.parse_args(argv)
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="load-big-file-"))
    folder, data = work / "input", work / "data"
    if args.pages_only:
        return measure_pages(data, work)
    folder.mkdir(parents=True, exist_ok=True)
    size = write_big_file(folder / "huge.txt", args.mb)

    env = cli_env(data, SEARCH_NLP_PROCESSES=str(args.processes))
    started = time.perf_counter()
    with open(work / "index.out", "w") as out_file, open(work / "index.err", "w") as err_file:
        proc = subprocess.Popen([CLI, "index", str(folder), "--json"], env=env, stdout=out_file, stderr=err_file)
    # wait4 reports this child's own peak RSS and CPU time.
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    out, err = (work / "index.out").read_text(), (work / "index.err").read_text()
    print(f"file: {size / 1024 / 1024:.1f} MB; index run: exit {proc.returncode}, wall {elapsed:.0f} s, "
          f"CPU {usage.ru_utime + usage.ru_stime:.0f} s, peak RSS {usage.ru_maxrss / 1024:.0f} MiB")
    if proc.returncode != 0:
        print(err[-2000:])
        return 1
    summary = json.loads(out)
    print("summary:", {k: summary[k] for k in ("indexed", "skipped", "failed", "warnings")})
    return measure_pages(data, work)


def measure_pages(data: Path, work: Path) -> int:
    """Search for the file's last word, then time the search page, document page parts and API answer."""
    from search_service.config import load_settings
    from search_service.web import create_app

    client = create_app(load_settings({"DATA_DIR": str(data)}, environ={})).test_client()
    stats = client.get("/healthz").get_json()
    hits = client.get(f"/api/search?q={TAIL_WORD}").get_json()
    print(f"documents: {stats['documents']}; '{TAIL_WORD}' (last line) found: {hits['total']}")
    doc_id = hits["results"][0]["id"] if hits["results"] else None
    # The hit's passage link leads to the part of the page holding the last word.
    passage_link = hits["results"][0]["passages"][0]["url"].split("#")[0] if hits["results"] else None
    for label, path in (("search page", f"/search?q={TAIL_WORD}"),
                        ("document page (first part)", f"/documents/{doc_id}"),
                        ("document page (part of the hit)", passage_link),
                        ("API document", f"/api/documents/{doc_id}")):
        t = time.perf_counter()
        response = client.get(path)
        print(f"{label}: {response.status_code}, {len(response.data) / 1024 / 1024:.1f} MB, "
              f"{(time.perf_counter() - t) * 1000:.0f} ms")
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; work dir {work}")
    return 0 if hits["total"] == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
