"""Score entity and year extraction against a gold file (``search-service evaluate``).

Gold is JSON Lines, one object per article::

    {"file": "river_cleanup.txt", "record": null, "published_year": 2019, "mentioned_years": [1998],
     "person": ["Halina Brenner"], "organisation": [...], "place": [...]}

``file`` is relative to the corpus folder; ``record`` is the record id inside a
JSON/JSONL file (null for one-document files). Scores are document-level: for
each article and type, the set of predicted facet values is compared with the
gold set, names matched after folding (case, diacritics, punctuation).
Precision / recall / F1 are micro-averaged over articles, per type and for the
three entity types together. Years are exact when an article's
``mentioned_years`` set and ``published_year`` both equal the gold.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from search_service.models import ENTITY_TYPES, Article

from .entities.normalise import fold


class GoldError(ValueError):
    """The gold file cannot be read; the message names the line."""


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: set[str], gold: set[str]) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    def scores(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": p, "recall": r, "f1": f, "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class DocumentDiff:
    """What one article got wrong (for the detailed report)."""

    file: str
    missing: dict[str, list[str]] = field(default_factory=dict)
    extra: dict[str, list[str]] = field(default_factory=dict)
    years: tuple[list[int], list[int]] | None = None  # (predicted, gold) when they differ


def read_gold(path: str | os.PathLike) -> list[dict]:
    """Gold records from a JSON Lines file; a bad line raises :class:`GoldError` naming it."""
    records = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldError(f"{path} line {number}: invalid JSON ({exc.msg})") from None
            if not isinstance(record, dict) or not isinstance(record.get("file"), str):
                raise GoldError(f"{path} line {number}: expected an object with a 'file' key")
            record["_line"] = number
            records.append(record)
    return records


def _article_key(corpus_dir: Path, file: str, record: str | None) -> str:
    from .pipeline import article_id  # same id the pipeline gives the article

    return article_id(str((corpus_dir / file).resolve()), record)


def score(articles: list[Article], gold: list[dict], corpus_dir: str | os.PathLike) -> dict:
    """Compare analysed ``articles`` with ``gold`` records; see the module docstring for the measures."""
    corpus_dir = Path(corpus_dir)
    by_id = {a.id: a for a in articles}
    counts = {t: Counts() for t in ENTITY_TYPES}
    years_exact, diffs, missing_docs = 0, [], []
    for record in gold:
        article = by_id.get(_article_key(corpus_dir, record["file"], record.get("record")))
        label = record["file"] + (f"#{record['record']}" if record.get("record") else "")
        if article is None:
            missing_docs.append(label)
            article = Article(id="", text="")
        diff = DocumentDiff(label)
        for etype in ENTITY_TYPES:
            predicted = {fold(n): n for n in article.names(etype)}
            expected = {fold(n): n for n in record.get(etype) or []}
            counts[etype].add(set(predicted), set(expected))
            if set(predicted) != set(expected):
                diff.missing[etype] = sorted(expected[k] for k in set(expected) - set(predicted))
                diff.extra[etype] = sorted(predicted[k] for k in set(predicted) - set(expected))
        got_years = sorted(set(article.mentioned_years))
        want_years = sorted(set(record.get("mentioned_years") or []))
        if got_years == want_years and article.published_year == record.get("published_year"):
            years_exact += 1
        else:
            diff.years = (got_years + [f"published {article.published_year}"],
                          want_years + [f"published {record.get('published_year')}"])
        if diff.missing or diff.years:
            diffs.append(diff)
    total = Counts()
    for c in counts.values():
        total.tp, total.fp, total.fn = total.tp + c.tp, total.fp + c.fp, total.fn + c.fn
    return {
        "documents": len(gold),
        "types": {t: counts[t].scores() for t in ENTITY_TYPES},
        "all": total.scores(),
        "years_exact": years_exact / len(gold) if gold else 1.0,
        "years_exact_count": years_exact,
        "missing_documents": missing_docs,
        "diffs": diffs,
    }


def evaluate(gold_path: str | os.PathLike, corpus_dir: str | os.PathLike | None, settings) -> dict:
    """Analyse ``corpus_dir`` (default: the gold file's folder + ``sample_corpus``) and score it against the gold."""
    from .pipeline import analyse_paths

    gold = read_gold(gold_path)
    if corpus_dir is None:
        corpus_dir = Path(gold_path).parent / "sample_corpus"
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise GoldError(f"{corpus_dir} is not a folder: give the folder of the texts the gold file describes")
    # Evaluation must not touch the user's entity registry: keep it in memory.
    articles = analyse_paths([corpus_dir], settings)
    return score(articles, gold, corpus_dir)


def format_report(result: dict, details: bool = False) -> str:
    """A plain-text table of precision / recall / F1 per type, all types together, and year exactness."""
    lines = [f"{'type':<14}{'precision':>10}{'recall':>10}{'F1':>8}{'tp':>6}{'fp':>6}{'fn':>6}"]
    rows = list(result["types"].items()) + [("all three", result["all"])]
    for name, s in rows:
        lines.append(f"{name:<14}{s['precision']:>10.3f}{s['recall']:>10.3f}{s['f1']:>8.3f}"
                     f"{s['tp']:>6}{s['fp']:>6}{s['fn']:>6}")
    lines.append(f"years exact: {result['years_exact_count']}/{result['documents']} documents "
                 f"({result['years_exact']:.3f})")
    for doc in result["missing_documents"]:
        lines.append(f"not found in corpus: {doc}")
    if details:
        for diff in result["diffs"]:
            lines.append(f"- {diff.file}")
            for etype in ENTITY_TYPES:
                if diff.missing.get(etype) or diff.extra.get(etype):
                    lines.append(f"    {etype}: missing {diff.missing.get(etype)} extra {diff.extra.get(etype)}")
            if diff.years:
                lines.append(f"    years: got {diff.years[0]} want {diff.years[1]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m indexer.evaluate GOLD [CORPUS_DIR] [--details] [--raw]`` (the CLI wraps :func:`evaluate`)."""
    import argparse

    from search_service.config import load_settings

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold")
    parser.add_argument("corpus_dir", nargs="?")
    parser.add_argument("--details", action="store_true", help="list each article's misses")
    parser.add_argument("--raw", action="store_true", help="baseline: raw NER with basic clean-up only")
    args = parser.parse_args(argv)
    settings = load_settings({"entity_rules": "basic"} if args.raw else None)
    print(format_report(evaluate(args.gold, args.corpus_dir, settings), details=args.details))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
