"""Export links, the feed link and the batch page in real headless Chromium,
against gunicorn serving a real Tantivy index, with JavaScript on and off."""
from __future__ import annotations

import csv
import io
import json
import re

import feedparser
import pytest

from browser_fixtures import chromium, playwright_or_skip
from reliability_fixtures import Gunicorn
from search_service.search.export import BOM
from web_fixtures import corpus, web_config, write_articles

sync_api = playwright_or_skip()
expect = sync_api.expect

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("export-browser") / "data"
    write_articles(web_config(data), corpus())
    with Gunicorn(data, workers=2, log_dir=data.parent / "logs") as running:
        yield running.base_url


@pytest.fixture(scope="module")
def browser():
    with chromium(sync_api) as launched:
        yield launched


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def page(request, browser, server):
    context = browser.new_context(java_script_enabled=request.param, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.javascript = request.param
    yield page
    context.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_export_links_download_every_document_of_the_current_search(page, server):
    page.goto(server + "/search?q=ferry&size=2")
    if page.javascript:
        # Narrow the search the htmx way: the links in the swapped region follow the new state.
        page.locator("#facet-person-values .facet-value", has_text="Olek Brandt").locator("a.toggle").click()
        page.wait_for_url(re.compile(r"person=Olek"))
        expect(page.locator("#result-count")).to_have_text("3 documents")
        expected = {"ferry-season", "harbour-ferry", "timetable-notes"}
    else:
        expected = {"ferry-season", "harbour-ferry", "timetable-notes", "budget-debate"}
    link = page.locator("#export-csv")
    expect(link).to_have_text(f"Export {len(expected)} documents as CSV")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    text = open(download.path(), encoding="utf-8").read()
    assert text.startswith(BOM)
    ids = [row["id"] for row in csv.DictReader(io.StringIO(text[len(BOM):]))]
    assert set(ids) == expected and len(ids) == len(expected)  # every page, not the 2 shown
    with page.expect_download() as info:
        page.locator("#export-jsonl").click()
    lines = open(info.value.path(), encoding="utf-8").read().splitlines()
    assert [json.loads(line)["id"] for line in lines] == ids


def test_feed_link_in_the_head_and_the_page_follows_the_search(page, server):
    page.goto(server + "/search?q=ferry")
    alternate = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    assert alternate.get_attribute("href") == "/search.atom?q=ferry"
    if page.javascript:
        page.locator("#q").fill("harbour")
        page.locator("#q").press("Enter")
        page.wait_for_url(re.compile(r"q=harbour"))
        expect(alternate).to_have_attribute("href", "/search.atom?q=harbour")  # swapped out of band
        assert alternate.count() == 1
    href = page.locator("#feed-link").get_attribute("href")
    assert href == alternate.get_attribute("href")
    response = page.request.get(server + href)
    parsed = feedparser.parse(response.body())
    assert not parsed.bozo and parsed.entries
    dates = [e.published for e in parsed.entries if "published" in e]
    assert dates == sorted(dates, reverse=True)


def test_batch_page_text_box_table_links_and_csv(page, server):
    page.goto(server + "/")
    page.locator("a", has_text="Batch search").click()
    page.locator("#batch-queries").fill("Olek Brandt\nmarta kessel\nNobody Atall")
    page.locator("#batch-run").click()
    expect(page.locator(".result-count")).to_have_text("3 queries, 2 with matches")
    rows = page.locator(".batch-table tbody tr")
    expect(rows).to_have_count(3)
    assert "3 documents" in rows.nth(0).inner_text() and "0 documents" in rows.nth(2).inner_text()
    assert page.locator("#batch-queries").input_value().splitlines()[0] == "Olek Brandt"
    with page.expect_download() as info:
        page.locator("#batch-csv").click()
    text = open(info.value.path(), encoding="utf-8").read()
    table = list(csv.DictReader(io.StringIO(text[len(BOM):])))
    assert [(r["query"], r["documents"]) for r in table] == [("Olek Brandt", "3"), ("marta kessel", "2"),
                                                             ("Nobody Atall", "0")]
    # Each row links to its search, which finds the same documents.
    rows.nth(1).locator("th a").click()
    page.wait_for_url(re.compile(r"/search\?q=%22marta\+kessel%22"))
    expect(page.locator("#result-count")).to_have_text("2 documents")


def test_batch_page_upload_and_limit_message(page, server, tmp_path):
    listing = tmp_path / "names.csv"
    listing.write_text("query,place\nOlek Brandt,Lindholm\n", encoding="utf-8")
    page.goto(server + "/batch")
    page.locator("#batch-file").set_input_files(str(listing))
    page.locator("#batch-run").click()
    expect(page.locator(".result-count")).to_have_text("1 query, 1 with matches")
    assert "place: Lindholm" in page.locator(".batch-table").inner_text()
    page.goto(server + "/batch")
    page.locator("#batch-queries").fill("\n".join(f"name {n}" for n in range(1001)))
    page.locator("#batch-run").click()
    expect(page.locator('[role="alert"]')).to_contain_text("at most 1,000 are allowed")
