"""Entity pages and the related-entities panel in real headless Chromium against
gunicorn: with and without JavaScript, at phone width, and on the sample corpus.
Screenshots go to ``test-artifacts/``."""
from __future__ import annotations

import re

import pytest

from test_browser import (  # noqa: F401  (fixtures shared with the main browser tests)
    _gunicorn, _watched, browser, expect, facet_value, htmx, js, nojs, server,
)

pytestmark = pytest.mark.browser


def _no_horizontal_scroll(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_entity_page_and_related_panel_without_javascript(nojs, server):
    page = nojs.page
    page.goto(server + "/search?q=ferry")
    related = page.locator("section.related")
    expect(related).to_be_visible()
    # one click adds a related value as a filter
    related.locator("a.related-add", has_text="Olek Brandt").click()
    page.wait_for_url(re.compile(r"person=Olek"))
    assert ("person", "Olek Brandt") in nojs.query() and nojs.count_text() == "3 documents"
    # a result's entity chip leads to the entity page
    page.locator(".hit .chip-page[href='/entities/person/Marta%20Kessel']").first.click()
    page.wait_for_url(re.compile(r"/entities/person/Marta%20Kessel$"))
    assert page.locator("h1").inner_text() == "Marta Kessel"
    assert page.locator(".ego-network").is_visible()
    assert page.locator(".entity-passages mark").first.inner_text() == "Marta Kessel"
    nojs.shot("nojs-entity-page")
    # the documents count leads to the search filtered by it
    page.locator(".entity-count a", has_text="2 documents").click()
    page.wait_for_url(re.compile(r"/search\?person=Marta\+Kessel$"))
    assert nojs.count_text() == "2 documents"
    page.go_back()
    # a co-mention's shared documents lead to the search for both together
    page.locator(".co-list li", has_text="Norrvik Harbour Council").locator("a.together").click()
    page.wait_for_url(re.compile(r"organisation=Norrvik"))
    assert ("person", "Marta Kessel") in nojs.query() and nojs.count_text() == "2 documents"
    # an ego-network node is a link to that name's page
    page.go_back()
    page.locator(".ego-node[href='/entities/place/Norrvik']").click()
    page.wait_for_url(re.compile(r"/entities/place/Norrvik$"))
    assert page.locator("h1").inner_text() == "Norrvik"


def test_related_panel_and_entity_links_with_htmx(js, server):
    page = js.page
    page.goto(server + "/search?q=ferry")
    page.evaluate("window.__noReload = true")
    page.locator("section.related a.related-add", has_text="Olek Brandt").click()
    page.wait_for_url(re.compile(r"person=Olek"))
    expect(page.locator("#result-count")).to_have_text("3 documents")
    assert page.evaluate("window.__noReload") is True  # swapped by htmx, not reloaded
    # the selected value is no longer suggested
    expect(page.locator("section.related a.related-add", has_text="Olek Brandt")).to_have_count(0)
    js.shot("js-related-panel")
    # a facet value's page link is a plain navigation to the entity page
    facet_value(page, "person", "Marta Kessel").locator("a.entity-page-link").click()
    page.wait_for_url(re.compile(r"/entities/person/Marta%20Kessel$"))
    expect(page.locator("h1")).to_have_text("Marta Kessel")
    # a marked mention on a document page leads to its entity page
    page.goto(server + "/documents/harbour-ferry")
    page.locator(".doc-text a.ent-place", has_text="Lindholm").click()
    page.wait_for_url(re.compile(r"/entities/place/Lindholm$"))
    expect(page.locator(".entity-count")).to_contain_text("3 documents")
    js.shot("js-entity-page")


def test_entity_page_and_related_panel_at_phone_width(browser, server):
    context, watched = _watched(browser, javascript=True, width=390)
    try:
        page = watched.page
        page.goto(server + "/entities/person/Olek%20Brandt")
        assert _no_horizontal_scroll(page, 390)
        assert page.locator(".ego-network").bounding_box()["width"] <= 390
        watched.shot("phone-entity-page")
        page.goto(server + "/search?q=ferry")
        page.locator("#filters > summary").click()  # on phones the panel folds with the filters
        expect(page.locator("section.related")).to_be_visible()
        assert _no_horizontal_scroll(page, 390)
        page.locator("section.related a.related-add", has_text="Olek Brandt").click()
        page.wait_for_url(re.compile(r"person=Olek"))
        expect(page.locator("#result-count")).to_have_text("3 documents")
        watched.shot("phone-related-panel")
    finally:
        context.close()
    assert [e for e in watched.errors if "Content Security Policy" in e] == []


def test_unknown_entity_is_a_404_page_in_the_browser(nojs, server):
    response = nojs.page.goto(server + "/entities/person/Nobody%20Here")
    assert response.status == 404
    assert nojs.page.locator("h1").inner_text().startswith("Not found")


def test_entity_pages_of_the_sample_corpus(browser, htmx, sample_index, tmp_path):
    """The bundled sample corpus (real spaCy entities): from a search to the most
    frequent person's page, its co-mentions and its passages."""
    config, _ = sample_index
    with _gunicorn(config.data_dir, tmp_path / "gunicorn.log") as base:
        context, watched = _watched(browser, javascript=True)
        page = watched.page
        try:
            page.goto(base + "/search?q=lake")
            expect(page.locator("section.related li").first).to_be_visible()
            page.locator("#facet-person-values .facet-value").first.locator("a.entity-page-link").click()
            page.wait_for_url(re.compile(r"/entities/person/"))
            assert page.locator(".co-list li").count() > 0
            assert page.locator(".entity-passages mark").count() > 0
            assert page.locator(".variants li").count() >= 1
            assert page.locator(".year-chart .bar").count() >= 1
            desc = page.locator(".ego-network desc").text_content()
            first = page.locator(".ego-node title").first.text_content().split(":")[0]
            assert first in desc
            watched.shot("sample-entity-page")
            # at phone width a long time axis scrolls inside its chart, not the page
            page.set_viewport_size({"width": 390, "height": 900})
            page.reload()
            assert _no_horizontal_scroll(page, 390)
        finally:
            context.close()
    assert watched.errors == [] and watched.dialogs == []
