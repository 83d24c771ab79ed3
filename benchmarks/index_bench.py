"""Indexing throughput: the whole pipeline against bare spaCy NER on the same texts.

    python benchmarks/index_bench.py --docs 1000

Writes ``--docs`` generated articles to a temporary folder, then in one run
measures (1) bare ``nlp.pipe`` over their texts with the same components,
batch size and processes as the indexer, and (2) ``index_paths`` on the folder
into a fresh Tantivy index (read → metadata → chunk → NER → entity rules →
write). Prints documents/s and tokens/s of each and their ratio. Each
measurement is repeated ``--repeat`` times and the median is reported.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.generate_articles import write_corpus  # noqa: E402
from indexer.pipeline import index_paths  # noqa: E402
from search_service.backends import open_backend  # noqa: E402
from search_service.config import Settings, load_settings  # noqa: E402


def bare_ner(texts: list[str], config: Settings) -> float:
    from indexer.enrich import nlp_for_benchmark

    nlp, pipe_kwargs = nlp_for_benchmark(config)
    started = time.perf_counter()
    for _ in nlp.pipe(texts, **pipe_kwargs):
        pass
    return time.perf_counter() - started


def full_pipeline(folder: Path, config: Settings, run: int) -> float:
    run_config = config.replace(data_dir=str(Path(config.data_dir) / f"run{run}"))
    backend = open_backend(run_config)
    started = time.perf_counter()
    summary = index_paths([folder], backend, run_config)
    elapsed = time.perf_counter() - started
    assert summary.indexed > 0 and not summary.failed, summary.format()
    backend.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        paths = write_corpus(folder, args.docs)
        texts = [p.read_text(encoding="utf-8") for p in paths]
        config = load_settings({"DATA_DIR": str(Path(tmp) / "data")})
        from indexer.enrich import nlp_for_benchmark

        nlp, _ = nlp_for_benchmark(config)
        tokens = sum(len(nlp.tokenizer(t)) for t in texts)
        bare, full = [], []
        for run in range(args.repeat):  # interleaved, so drift on a noisy machine hits both alike
            bare.append(bare_ner(texts, config))
            full.append(full_pipeline(folder, config, run))
        bare_s, full_s = statistics.median(bare), statistics.median(full)
        print(f"documents: {len(texts)}, tokens: {tokens}, words/doc: {sum(len(t.split()) for t in texts) / len(texts):.0f}")
        print(f"bare nlp.pipe : {len(texts) / bare_s:8.1f} docs/s {tokens / bare_s:10.0f} tokens/s  (median of {args.repeat}: {bare_s:.2f} s; runs {', '.join(f'{x:.2f}' for x in bare)})")
        print(f"full pipeline : {len(texts) / full_s:8.1f} docs/s {tokens / full_s:10.0f} tokens/s  (median of {args.repeat}: {full_s:.2f} s; runs {', '.join(f'{x:.2f}' for x in full)})")
        print(f"pipeline / bare NER throughput: {bare_s / full_s:.1%}")


if __name__ == "__main__":
    main()
