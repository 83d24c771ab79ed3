"""Reindex memory and the curation loop's speed on generated collections.

    python -m benchmarks.reindex_bench --docs 10000 --data-dir /tmp/rb10k
    python -m benchmarks.reindex_bench --docs 50000 --data-dir /tmp/rb50k
    python -m benchmarks.reindex_bench --first-index 1000 --data-dir /tmp/rb-first
    python -m benchmarks.reindex_bench --again --data-dir /tmp/rb50k   # steps 2-3 again

With ``--docs N``: writes N generated articles (``benchmarks/generate_articles``) straight
into a Tantivy index, with their NER output in the analysis store as a real first
indexing leaves it (the spans the templates put in, so no spaCy is needed), then runs
in turn, each in a fresh child process whose peak RSS (``ru_maxrss``) and wall time
are reported:

1. ``reindex`` — every document's entity rules run from the stored NER output (what a
   rule edit costs), corpus resolution streamed, everything rewritten;
2. ``reindex`` again — records now stored too (what a curation edit costs with reindex);
3. ``entities apply`` of a one-line curation change (a ``[[rename]]`` of one organisation).

With ``--first-index M``: the first indexing of M generated article files with real
spaCy NER (``index_paths`` into a fresh index), for the apply/first-index ratio.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.generate_articles import article_with_spans, write_corpus  # noqa: E402
from indexer.analysis_store import AnalysisStore, content_key, model_id  # noqa: E402
from indexer.enrich import DEFAULT_MODEL  # noqa: E402
from indexer.pipeline import build_article  # noqa: E402
from indexer.chunking import ChunkSettings  # noqa: E402
from indexer.readers import RawDocument  # noqa: E402
from search_service.backends import open_backend  # noqa: E402
from search_service.config import load_settings  # noqa: E402

#: The one-line curation change applied in step 3 (an organisation the generator uses).
CURATION = '[[rename]]\nfrom = "Meridian Bank"\nto = "Meridian Banking Group"\n'


def _config(data_dir: Path, **extra) -> dict:
    return load_settings({"DATA_DIR": str(data_dir), **extra}, environ={})


def generate(data_dir: Path, docs: int, seed: int = 7) -> float:
    """Write ``docs`` generated articles and their NER output; return the seconds it took."""
    started = time.perf_counter()
    config = _config(data_dir)
    backend = open_backend(config)
    store = AnalysisStore.for_data_dir(data_dir)
    model = model_id(config.spacy_model or DEFAULT_MODEL)
    chunking = ChunkSettings.from_settings(config)
    rng = random.Random(seed)
    with backend.writer() as writer:
        for n in range(docs):
            text, spans = article_with_spans(rng, n)
            source = f"/generated/article-{n:06d}.txt"
            article = build_article(RawDocument(source=source, source_hash=content_key(text), text=text,
                                                source_label=f"article-{n:06d}.txt"), chunking)
            writer.add(article)
            content = content_key(article.text)
            store.put_spans(model, content, spans)
            store.set_document(article.id, source, content)
            if n % 2000 == 1999:
                writer.commit()
                store.commit()
    store.close()
    backend.close()
    return time.perf_counter() - started


class MemorySampler:
    """Peak anonymous and file-backed resident memory of this process, sampled from /proc.

    ``ru_maxrss`` also counts the pages of memory-mapped index files a process has read
    (page cache, shared and dropped under pressure): reading every stored article of a
    large index maps most of it. The anonymous share is the process's own memory.
    """

    def __init__(self, interval: float = 0.2):
        self.peak = {"RssAnon": 0, "RssFile": 0}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                if key in self.peak:
                    self.peak[key] = max(self.peak[key], int(value.split()[0]))

    def _run(self, interval: float) -> None:
        while not self._stop.wait(interval):
            self._sample()

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join()
        self._sample()
        return {"peak_anon_mib": round(self.peak["RssAnon"] / 1024, 1),
                "peak_file_mib": round(self.peak["RssFile"] / 1024, 1)}


def step(name: str, data_dir: Path, curation: Path | None) -> dict:
    """Run one step in this process; wall seconds and this process's peak RSS."""
    sampler = MemorySampler()
    extra = {"ENTITIES_FILE": str(curation)} if curation else {}
    config = _config(data_dir, **extra)
    backend = open_backend(config)
    started = time.perf_counter()
    if name == "reindex":
        from indexer.pipeline import reindex

        summary = reindex(backend, config)
        detail = {"documents": summary.indexed, "ner_texts": summary.ner_texts}
    elif name == "apply":
        from indexer.curate import apply_curation

        summary = apply_curation(backend, config)
        detail = {"documents": summary.documents, "changed": summary.changed, "ner_texts": summary.ner_texts}
    else:
        from indexer.pipeline import index_paths

        summary = index_paths([data_dir.parent / "corpus"], backend, config)
        detail = {"documents": summary.indexed, "ner_texts": summary.ner_texts}
    seconds = time.perf_counter() - started
    return {"step": name, "seconds": round(seconds, 2),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1), **sampler.stop(),
            **detail}


def _child(name: str, data_dir: Path, curation: Path | None = None) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.reindex_bench", "--step", name, "--data-dir", str(data_dir)]
    if curation:
        cmd += ["--curation", str(curation)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, help="generated articles for the reindex/apply steps")
    parser.add_argument("--first-index", type=int, help="generated article files to index with real NER")
    parser.add_argument("--data-dir", type=Path, help="work folder (emptied first; default: a temporary one)")
    parser.add_argument("--again", action="store_true",
                        help="re-run the steps on an existing --data-dir (written by an earlier --docs run)")
    parser.add_argument("--step", choices=["reindex", "apply", "index"], help=argparse.SUPPRESS)
    parser.add_argument("--curation", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:  # inside a child process
        print(json.dumps(step(args.step, args.data_dir, args.curation)))
        return 0
    work = args.data_dir or Path(tempfile.mkdtemp(prefix="reindex-bench-"))
    data = work / "data"
    if args.again:
        curation = work / "entities.toml"
        print(json.dumps(_child("reindex", data)), flush=True)
        print(json.dumps(_child("apply", data, curation)), flush=True)
        return 0
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    if args.first_index:
        write_corpus(work / "corpus", args.first_index)
        print(json.dumps({"first_index_docs": args.first_index, **_child("index", data)}))
    if args.docs:
        print(json.dumps({"docs": args.docs, "generate_seconds": round(generate(data, args.docs), 1)}), flush=True)
        curation = work / "entities.toml"
        curation.write_text(CURATION, encoding="utf-8")
        print(json.dumps(_child("reindex", data)), flush=True)
        print(json.dumps(_child("reindex", data)), flush=True)
        print(json.dumps(_child("apply", data, curation)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
