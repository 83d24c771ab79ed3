"""The command line on the real sample index: search, export, stats and clear errors."""
from __future__ import annotations

import json

from click.testing import CliRunner

from search_service.cli import main


def _run(config, *args):
    result = CliRunner().invoke(main, ["--data-dir", config.data_dir, *args], catch_exceptions=False)
    return result


def test_search_prints_documents_and_facets(sample_index):
    config, _ = sample_index
    result = _run(config, "search", "")
    assert result.exit_code == 0, result.output
    assert "documents" in result.output.splitlines()[0]
    assert "person:" in result.output


def test_search_json_with_a_person_filter(sample_index):
    config, _ = sample_index
    everything = json.loads(_run(config, "search", "--json").output)
    person = everything["facets"]["person"][0]
    narrowed = json.loads(_run(config, "search", "--json", "--person", person["value"]).output)
    assert narrowed["total"] == person["count"]
    assert all(hit["id"] for hit in narrowed["hits"])


def test_export_gives_one_record_per_document(sample_index, sample_gold):
    config, _ = sample_index
    result = _run(config, "export")
    records = [json.loads(line) for line in result.output.splitlines()]
    assert len(records) == len(sample_gold)
    keys = {"id", "source", "title", "published", "person", "organisation", "place", "published_year", "mentioned_years"}
    assert all(set(r) == keys for r in records)
    dated = [r for r in records if r["published"]]
    assert dated and all(r["published_year"] == int(r["published"][:4]) for r in dated)


def test_stats(sample_index, sample_gold):
    config, _ = sample_index
    info = json.loads(_run(config, "stats", "--json").output)
    assert info["backend"] == "tantivy"
    assert info["documents"] == len(sample_gold)


def test_errors_are_one_line_not_a_traceback(tmp_path):
    runner = CliRunner()
    missing = runner.invoke(main, ["--data-dir", str(tmp_path / "d"), "index", str(tmp_path / "nowhere")])
    assert "Traceback" not in missing.output
    no_args = runner.invoke(main, ["--data-dir", str(tmp_path / "d"), "index"])
    assert no_args.exit_code == 2 and "Give at least one file or folder" in no_args.output
    bad_config = tmp_path / "settings.toml"
    bad_config.write_text("unknown_key = 1\n")
    result = runner.invoke(main, ["--config", str(bad_config), "stats"])
    assert result.exit_code == 1
    assert "Unknown setting 'unknown_key'" in result.output
    assert "Traceback" not in result.output


def test_search_on_an_empty_data_dir_says_zero(tmp_path):
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "empty"), "search", "anything"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("0 documents")


def test_evaluate_with_a_file_for_the_corpus_is_one_line(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"file": "a.txt", "person": [], "organisation": [], "place": []}\n')
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "d"), "evaluate", str(gold), "--gold", str(gold)])
    assert result.exit_code == 1
    assert "is not a folder" in result.output and "Traceback" not in result.output
