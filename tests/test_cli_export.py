"""``search-service search --format csv|jsonl [--all]`` and ``search-service batch``
on the real sample index (Tantivy, real spaCy)."""
from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from search_service.backends import open_backend
from search_service.cli import main
from search_service.search import SearchRequest
from search_service.search.export import BOM, COLUMNS


def _run(config, *args, **kwargs):
    return CliRunner().invoke(main, ["--data-dir", config.data_dir, *args], catch_exceptions=False, **kwargs)


def _engine_ids(config, **kwargs) -> tuple[int, list[str]]:
    backend = open_backend(config)
    try:
        ids, page = [], 1
        while True:
            result = backend.search(SearchRequest.build(page=page, size=10, **kwargs))
            if not result.hits:
                return result.total, ids
            ids += [h.id for h in result.hits]
            page += 1
    finally:
        backend.close()


def test_search_all_as_csv_and_jsonl_lists_every_match_in_order(sample_index):
    config, _ = sample_index
    total, ids = _engine_ids(config, q="the", sort="oldest")
    assert total > 10  # more than one page
    out = _run(config, "search", "the", "--sort", "oldest", "--format", "csv", "--all")
    assert out.exit_code == 0, out.output
    assert out.stdout.startswith(BOM)
    rows = list(csv.reader(io.StringIO(out.stdout[len(BOM):])))
    assert rows[0] == list(COLUMNS) and [r[0] for r in rows[1:]] == ids
    assert all(r[COLUMNS.index("document_url")] == f"/documents/{r[0]}" for r in rows[1:])
    out = _run(config, "search", "the", "--sort", "oldest", "--format", "jsonl", "--all")
    assert [json.loads(line)["id"] for line in out.stdout.splitlines()] == ids


def test_search_format_without_all_writes_the_requested_page(sample_index, tmp_path):
    config, _ = sample_index
    _, ids = _engine_ids(config, sort="newest")
    target = tmp_path / "page.jsonl"
    out = _run(config, "search", "--sort", "newest", "--size", "3", "--page", "2", "--format", "jsonl", "-o", str(target))
    assert out.exit_code == 0, out.output
    assert [json.loads(line)["id"] for line in target.read_text(encoding="utf-8").splitlines()] == ids[3:6]


def test_cap_is_the_last_line_and_a_note(sample_index):
    config, _ = sample_index
    out = CliRunner().invoke(
        main, ["--data-dir", config.data_dir, "search", "--format", "jsonl", "--all"],
        env={"SEARCH_EXPORT_MAX_DOCUMENTS": "2"}, catch_exceptions=False)
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == 3 and lines[-1]["truncated"] is True and lines[-1]["exported"] == 2
    assert "Export stopped at the limit of 2 documents" in out.stderr


def test_all_needs_a_file_format(sample_index):
    config, _ = sample_index
    out = CliRunner().invoke(main, ["--data-dir", config.data_dir, "search", "--all"])
    assert out.exit_code == 2 and "--all needs --format" in out.output


def test_batch_of_names_and_csv_with_filters(sample_index, tmp_path):
    config, _ = sample_index
    backend = open_backend(config)
    try:
        people = [fv.value for fv in backend.search(SearchRequest.build()).facets["person"][:3]]
        places = [fv.value for fv in backend.search(SearchRequest.build()).facets["place"][:1]]
    finally:
        backend.close()
    names = tmp_path / "names.txt"
    names.write_text("\n".join([people[0].upper(), *people[1:], "Nobody Inparticular"]) + "\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["--data-dir", config.data_dir, "batch", str(names)],
                                             catch_exceptions=False)
    assert out.exit_code == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout.lstrip(BOM))))
    assert [r["query"] for r in rows] == [people[0].upper(), *people[1:], "Nobody Inparticular"]
    # Each count is the search page's count for the name as a phrase (case folded the same way).
    for row in rows:
        total, ids = _engine_ids(config, q=f'"{row["query"]}"')
        assert int(row["documents"]) == total
        assert row["top_ids"].split("; ")[: len(ids)] == ids[:3] or (total == 0 and row["top_ids"] == "")
    assert int(rows[0]["documents"]) > 0 and rows[-1]["documents"] == "0"
    assert "Batch search: 4/4" in out.stderr  # progress, on stderr
    listing = tmp_path / "names.csv"
    listing.write_text(f"query,place\n{people[0]},{places[0]}\n", encoding="utf-8")
    out = _run(config, "batch", str(listing), "--format", "jsonl")
    record = json.loads(out.stdout.splitlines()[0])
    assert record["filters"] == [f"place={places[0]}"]
    assert record["documents"] == _engine_ids(config, q=f'"{people[0]}"', filters={"place": [places[0]]})[0]


def test_search_takes_match_modes_exclusions_and_year_ranges(sample_index):
    """The CLI asks what the page asks: all-of a facet, a value left out, a year range."""
    config, _ = sample_index
    backend = open_backend(config)
    try:
        first = backend.search(SearchRequest.build()).facets["person"][0].value
        # a second person who shares documents with the first (all-mode counts say so)
        together = backend.search(SearchRequest.build(filters={"person": [first]}, modes={"person": "all"}))
        people = [first, next(fv.value for fv in together.facets["person"] if fv.value != first)]
        both = backend.search(SearchRequest.build(filters={"person": people}, modes={"person": "all"}))
        # a place in some but not all of their documents, and the years they span
        places = [next(fv.value for fv in both.facets["place"] if 0 < fv.count < both.total)]
        years = [fv.value for fv in both.facets["published_year"]]
    finally:
        backend.close()
    asked = dict(filters={"person": people}, modes={"person": "all"}, excludes={"place": places},
                 ranges={"published_year": (min(years), max(years))}, sort="oldest")
    total, ids = _engine_ids(config, **asked)
    _, union = _engine_ids(config, filters={"person": people}, sort="oldest")
    assert 0 < len(ids) < len(union)  # "all of" narrows what "any of" gives
    args = ["search", "--all-of", "person", "--not-place", places[0], "--year-from", str(min(years)),
            "--year-to", str(max(years)),
            "--sort", "oldest", "--format", "jsonl", "--all"]
    for person in people:
        args += ["--person", person]
    out = _run(config, *args)
    assert out.exit_code == 0, out.output
    assert [json.loads(line)["id"] for line in out.stdout.splitlines()] == ids
