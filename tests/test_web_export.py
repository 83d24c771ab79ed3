"""Export, Atom feeds and batch search through the web app (Flask test client,
real Tantivy; the sample corpus is indexed with the real spaCy pipeline).

The Elasticsearch engine is covered through the same backend interface in
tests/test_backend_stream.py and tests/test_es_export.py.
"""
from __future__ import annotations

import csv
import io
import json
import os

import feedparser
import pytest

from search_service.backends import open_backend
from search_service.search.export import BOM, COLUMNS
from search_service.web import create_app
from web_fixtures import corpus, make_article, web_config, write_articles

HOSTILE_TITLE = '=HYPERLINK("http://attacker.invalid/","Click me")'
HOSTILE_NAME = "@SUM(1+1)*cmd|' /C calc'!A0"


def api_ids(client, args: str) -> tuple[int, list[str]]:
    """Total and ids the API reports, paging through every page."""
    ids, page = [], 1
    while True:
        data = client.get(f"/api/search?{args}&size=10&page={page}").get_json()
        ids += [hit["id"] for hit in data["results"]]
        if not data["pages"]["next_url"]:
            return data["total"], ids
        page += 1


def csv_rows(response) -> list[dict]:
    text = response.get_data(as_text=True)
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text[len(BOM):])))
    assert rows[0] == list(COLUMNS)
    return [dict(zip(COLUMNS, row)) for row in rows[1:]]


def jsonl_records(response) -> list[dict]:
    return [json.loads(line) for line in response.get_data(as_text=True).splitlines()]


@pytest.fixture(scope="module")
def sample_client(sample_index):
    config, _ = sample_index
    return create_app(config).test_client()


SAMPLE_SEARCHES = ["", "q=harbour", "q=ferry+OR+river&sort=oldest", "sort=newest", "q=the&sort=relevance",
                   "place=Port+Caldry", "q=-the", "year_from=2018&year_to=2022&sort=oldest",
                   "place=Port+Caldry&place=Msanga&place_mode=all", "mentioned_year_from=2000&q=the"]


@pytest.mark.parametrize("args", SAMPLE_SEARCHES)
def test_export_gives_exactly_the_documents_the_api_counts_in_its_order(sample_client, args):
    total, ids = api_ids(sample_client, args)
    assert len(ids) == total
    as_csv = sample_client.get(f"/api/export?format=csv&{args}")
    assert as_csv.status_code == 200 and as_csv.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert as_csv.headers["X-Total-Count"] == str(total) and "X-Export-Truncated" not in as_csv.headers
    assert "attachment" in as_csv.headers["Content-Disposition"]
    assert [row["id"] for row in csv_rows(as_csv)] == ids
    as_jsonl = sample_client.get(f"/api/export?format=jsonl&{args}")
    assert as_jsonl.headers["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert [record["id"] for record in jsonl_records(as_jsonl)] == ids


def test_sample_export_has_entities_years_passages_and_no_server_path(sample_client, sample_index):
    config, _ = sample_index
    records = jsonl_records(sample_client.get("/api/export?format=jsonl&q=ferry"))
    assert records and all(set(r) == set(COLUMNS) for r in records)
    backend = open_backend(config)
    try:
        for rec in records:
            article = backend.get(rec["id"])
            assert sorted(rec["person"]) == sorted(article.names("person"))
            assert rec["mentioned_years"] == sorted(set(article.mentioned_years))
            assert rec["passage"] and rec["passage"] in article.text
            assert rec["document_url"] == f"http://localhost/documents/{rec['id']}"
    finally:
        backend.close()
    data_dir = str(config.data_dir)
    for fmt in ("csv", "jsonl"):
        body = sample_client.get(f"/api/export?format={fmt}").get_data(as_text=True)
        assert data_dir not in body and os.sep + "sample_corpus" + os.sep not in body


@pytest.fixture(scope="module")
def index_config(tmp_path_factory):
    config = web_config(tmp_path_factory.mktemp("export") / "data")
    hostile = make_article("hostile", HOSTILE_TITLE, ["The ferry notice was signed by a stranger."],
                           "2022-02-02", people=[HOSTILE_NAME], places=["-Lindholm"])
    write_articles(config, corpus() + [hostile])
    return config


@pytest.fixture
def client(index_config):
    return create_app(index_config).test_client()


def test_hostile_titles_and_names_are_neutralised_in_the_csv(client):
    rows = {row["id"]: row for row in csv_rows(client.get("/api/export?format=csv&q=ferry"))}
    assert rows["hostile"]["title"] == "'" + HOSTILE_TITLE
    assert rows["hostile"]["person"] == "'" + HOSTILE_NAME
    assert rows["hostile"]["place"] == "'-Lindholm"
    records = {r["id"]: r for r in jsonl_records(client.get("/api/export?format=jsonl&q=ferry"))}
    assert records["hostile"]["title"] == HOSTILE_TITLE and records["hostile"]["person"] == [HOSTILE_NAME]


def test_cap_is_in_the_headers_and_the_last_line(index_config):
    client = create_app(index_config.replace(export_max_documents=3)).test_client()
    total, ids = api_ids(client, "sort=oldest")
    response = client.get("/api/export?format=jsonl&sort=oldest")
    assert response.headers["X-Total-Count"] == str(total) and response.headers["X-Export-Count"] == "3"
    assert response.headers["X-Export-Truncated"] == "limit 3"
    records = jsonl_records(response)
    assert [r["id"] for r in records[:-1]] == ids[:3]
    assert records[-1]["truncated"] is True and records[-1]["total"] == total
    text = client.get("/api/export?format=csv&sort=oldest").get_data(as_text=True)
    assert text.rstrip("\r\n").rsplit("\r\n", 1)[-1].startswith("Export stopped at the limit of 3 documents")
    page = client.get("/search?sort=oldest").get_data(as_text=True)
    assert "Export the first 3 documents as CSV" in page


def test_bad_format_is_a_clear_400_and_a_bad_query_still_exports(client):
    response = client.get("/api/export?format=xlsx")
    assert response.status_code == 400 and "csv, jsonl" in response.get_json()["error"]["message"]
    response = client.get('/api/export?format=csv&q="unclosed+AND+OR&page=999&size=abc')
    assert response.status_code == 200


def test_results_page_links_export_and_feed_of_the_same_search(client):
    page = client.get("/search?q=ferry&person=Olek+Brandt&sort=oldest&page=2").get_data(as_text=True)
    assert 'href="/api/export?format=csv&amp;q=ferry&amp;person=Olek+Brandt&amp;sort=oldest"' in page
    assert 'href="/api/export?format=jsonl&amp;q=ferry&amp;person=Olek+Brandt&amp;sort=oldest"' in page
    assert ('<link id="feed-alternate" rel="alternate" type="application/atom+xml" title="Newest documents of this '
            'search" href="/search.atom?q=ferry&amp;person=Olek+Brandt">') in page
    fragment = client.get("/search?q=ferry", headers={"HX-Request": "true", "HX-Target": "search-region"})
    assert "/api/export?format=csv&amp;q=ferry" in fragment.get_data(as_text=True)
    assert 'href="/search.atom?q=ferry" hx-swap-oob="true"' in fragment.get_data(as_text=True)


def test_feed_parses_and_lists_the_newest_matching_documents_first(client):
    response = client.get("/search.atom?q=ferry")
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    _, newest = api_ids(client, "q=ferry&sort=newest")
    assert [e.link.rsplit("/", 1)[-1] for e in parsed.entries] == newest
    dates = [e.published for e in parsed.entries if "published" in e]
    assert dates == sorted(dates, reverse=True) and len(dates) == len(parsed.entries) - 1  # one undated, last
    assert parsed.feed.updated == dates[0]
    assert parsed.entries[0].id == "tag:localhost,2026:documents/hostile"
    assert parsed.entries[0].title == HOSTILE_TITLE
    assert {l.rel for l in parsed.feed.links} == {"self", "alternate"}
    # Filters narrow the feed; an empty search is a valid empty feed.
    narrowed = feedparser.parse(client.get("/search.atom?q=ferry&person=Olek+Brandt").data)
    assert {e.link.rsplit("/", 1)[-1] for e in narrowed.entries} == {"ferry-season", "harbour-ferry", "timetable-notes"}
    empty = feedparser.parse(client.get("/search.atom?q=nosuchword").data)
    assert not empty.bozo and empty.entries == []


def test_feed_of_payload_documents_stays_text(client):
    parsed = feedparser.parse(client.get("/search.atom?q=notice").data)
    assert not parsed.bozo
    entry = next(e for e in parsed.entries if e.link.endswith("/payload"))
    assert "<script>alert(1)</script>" in entry.title  # the text as written, escaped in the XML


def _meta_mtime(config) -> list[float]:
    root = config.data_dir
    return sorted(os.path.getmtime(os.path.join(d, f)) for d, _, files in os.walk(root) for f in files)


def test_batch_page_runs_a_list_and_changes_nothing(client, index_config):
    before = _meta_mtime(index_config)
    assert "Batch search" in client.get("/batch").get_data(as_text=True)
    page = client.post("/batch", data={"queries": "olek brandt\nMarta Kessel\nNobody Atall\n"}).get_data(as_text=True)
    assert "3 queries, 2 with matches" in page
    assert 'href="/search?q=%22olek+brandt%22"' in page and "3 documents" in page  # folded like search
    assert "Ferry operator reports record season" in page and "0 documents" in page
    assert _meta_mtime(index_config) == before


def test_batch_upload_csv_with_filters_and_csv_download(client):
    upload = "query,place\nOlek Brandt,Lindholm\nMarta Kessel,\n".encode("utf-8")
    page = client.post("/batch", data={"file": (io.BytesIO(upload), "names.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "place: Lindholm" in page and 'href="/search?q=%22Olek+Brandt%22&amp;place=Lindholm"' in page
    # The table's download: the list comes back in the text box, posted with format=csv.
    download = client.post("/batch", data={"queries": upload.decode(), "format": "csv"})
    assert download.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True).lstrip(BOM))))
    assert [(r["query"], r["documents"]) for r in rows] == [("Olek Brandt", "2"), ("Marta Kessel", "2")]
    assert rows[0]["search_url"] == "http://localhost/search?q=%22Olek+Brandt%22&place=Lindholm"
    assert set(rows[0]["top_ids"].split("; ")) == {"ferry-season", "harbour-ferry"}


def test_batch_words_option_and_payload_names_are_escaped(client):
    page = client.post("/batch", data={"queries": "Brandt Olek\n", "words": "1"}).get_data(as_text=True)
    assert "1 query, 1 with matches" in page
    page = client.post("/batch", data={"queries": "<script>alert(1)</script>\n"}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_batch_limits_are_clear_messages(index_config):
    client = create_app(index_config.replace(batch_max_queries=2, batch_max_bytes=200)).test_client()
    response = client.post("/batch", data={"queries": "a\nb\nc\n"})
    assert response.status_code == 400 and "at most 2 are allowed" in response.get_data(as_text=True)
    response = client.post("/batch", data={"queries": "x" * 201})
    assert response.status_code == 400 and "larger than" in response.get_data(as_text=True)
    big = io.BytesIO(b"name\n" * 100_000)
    response = client.post("/batch", data={"file": (big, "big.txt")}, content_type="multipart/form-data")
    assert response.status_code == 413 and "larger than" in response.get_data(as_text=True)
    response = client.post("/batch", data={"queries": "  \n"})
    assert response.status_code == 400 and "The list is empty" in response.get_data(as_text=True)
    response = client.post("/batch", data={"file": (io.BytesIO("Jiří".encode("cp1250")), "a.txt")},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "UTF-8" in response.get_data(as_text=True)
