"""The evaluation command: scoring maths, gold-file errors, and the sample corpus against its gold."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from indexer.evaluate import GoldError, evaluate, format_report, read_gold, score
from indexer.pipeline import article_id
from search_service.config import load_settings
from search_service.models import Article, Entity

REPO = Path(__file__).resolve().parents[1]


def test_score_counts_folded_names_per_type_and_years(tmp_path):
    corpus = tmp_path
    (corpus / "a.txt").write_text("x")
    art = Article(
        id=article_id(str((corpus / "a.txt").resolve()), None), text="x", published=dt.date(2020, 5, 1),
        entities=[Entity("person", "JIRI DVORNIK"), Entity("person", "Velin"), Entity("place", "Osk")],
        mentioned_years=[1992],
    )
    gold = [{"file": "a.txt", "record": None, "published_year": 2020, "mentioned_years": [1992],
             "person": ["Jiří Dvorník"], "organisation": ["Velin Trust"], "place": ["Osk"]}]
    result = score([art], gold, corpus)
    assert result["types"]["person"] == pytest.approx(
        {"precision": 0.5, "recall": 1.0, "f1": 2 / 3, "tp": 1, "fp": 1, "fn": 0})
    assert result["types"]["organisation"]["recall"] == 0.0
    assert result["all"]["tp"] == 2 and result["all"]["fp"] == 1 and result["all"]["fn"] == 1
    assert result["years_exact"] == 1.0
    report = format_report(result, details=True)
    assert "all three" in report and "years exact: 1/1" in report and "missing ['Velin Trust']" in report


def test_wrong_years_and_missing_documents_are_reported(tmp_path):
    gold = [{"file": "gone.txt", "record": None, "published_year": 2020, "mentioned_years": [1999],
             "person": [], "organisation": [], "place": []}]
    result = score([], gold, tmp_path)
    assert result["years_exact"] == 0.0 and result["missing_documents"] == ["gone.txt"]
    assert "not found in corpus: gone.txt" in format_report(result)


def test_bad_gold_line_is_named(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"file": "a.txt"}\n{oops\n')
    with pytest.raises(GoldError, match=r"gold.jsonl line 2: invalid JSON"):
        read_gold(path)


@pytest.mark.slow
def test_sample_corpus_meets_the_target_and_beats_the_baseline():
    gold = REPO / "indexer" / "sample_gold.jsonl"
    corpus = REPO / "indexer" / "sample_corpus"
    config = load_settings({"NLP_PROCESSES": 1, "NLP_BATCH_SIZE": 32, "DATA_DIR": ""}, environ={})
    rules = evaluate(gold, corpus, config)
    baseline = evaluate(gold, corpus, config.replace(entity_rules="basic"))
    assert rules["missing_documents"] == []
    assert rules["all"]["f1"] >= 0.90
    assert rules["years_exact"] == 1.0
    assert rules["all"]["f1"] > baseline["all"]["f1"] + 0.1
