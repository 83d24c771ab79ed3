"""Cost of the entity rules against the NER they clean up, on one core.

    python benchmarks/rules_bench.py [FOLDER ...] [--generated 200] [--spans FILE]

Reads the given folders (default: the bundled sample corpus) plus ``--generated``
generated articles, runs bare NER over every text once (timed), then the rules
(span repair, types, context, resolution and years: ``Enricher.analyse``) on the
cached spans (timed). The word lists and the gazetteer the rules use load once per
process; their load time is reported apart, then included in the share.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.generate_articles import write_corpus  # noqa: E402
from indexer.enrich import Enricher, load_ner_pipeline  # noqa: E402
from indexer.readers import RawDocument, read_paths  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def texts_of(folders: list[Path]) -> list[str]:
    return [doc.text for doc in read_paths(folders) if isinstance(doc, RawDocument) and doc.text]


def load_word_lists() -> float:
    """Load the given names, surnames, common words and gazetteer (what the first article would pay)."""
    from indexer.entities.names import given_names, is_common_word, surnames

    started = time.perf_counter()
    given_names(), surnames(), is_common_word("harvest")
    try:
        from indexer.entities import gazetteer
    except ImportError:  # an older checkout measured for comparison
        pass
    else:
        gazetteer.kind("Velin"), gazetteer.is_area("Velin")
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[REPO / "indexer" / "sample_corpus"])
    parser.add_argument("--generated", type=int, default=200)
    parser.add_argument("--spans", type=Path, help="keep texts, NER spans and NER time in this file and reuse "
                        "them, to time the rules of two checkouts on the same NER output")
    args = parser.parse_args(argv)
    if args.spans and args.spans.exists():
        texts, spans, ner = json.loads(args.spans.read_text(encoding="utf-8"))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            folders = list(args.folders)
            if args.generated:
                write_corpus(Path(tmp), args.generated)
                folders.append(Path(tmp))
            texts = texts_of(folders)
        nlp = load_ner_pipeline()
        started = time.perf_counter()
        spans = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts, batch_size=32)]
        ner = time.perf_counter() - started
        if args.spans:
            args.spans.write_text(json.dumps([texts, spans, ner]), encoding="utf-8")
    spans = [[tuple(span) for span in doc_spans] for doc_spans in spans]
    lists = load_word_lists()
    started = time.perf_counter()
    for text, ents in zip(texts, spans):
        Enricher.analyse(text, ents)
    rules = time.perf_counter() - started
    print(f"{len(texts)} texts: NER {ner:.2f} s, rules {rules:.2f} s ({100 * rules / ner:.1f} % of NER), "
          f"word lists and gazetteer loaded once in {lists:.2f} s ({100 * (rules + lists) / ner:.1f} % with them)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
