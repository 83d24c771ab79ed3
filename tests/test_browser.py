"""End to end: real headless Chromium against the app served by gunicorn on loopback.

The index is real Tantivy, filled with invented articles (one carries script and
img payloads in its title, text and entity names). Screenshots of each step go to
``test-artifacts/``.
"""
from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from search_service import assets
from web_fixtures import IMG_PAYLOAD, SCRIPT_PAYLOAD, corpus, web_config, write_articles

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip("Debian chromium is not installed at /usr/bin/chromium", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 15_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def htmx():
    """htmx fetched by the build step (npm, pinned and hash-checked)."""
    try:
        return assets.fetch_htmx()
    except assets.AssetError as exc:
        pytest.skip(f"htmx unavailable: {exc}")


@contextlib.contextmanager
def _gunicorn(data_dir, log_path):
    """Base URL of gunicorn (production config, 2 workers) serving the index in ``data_dir``."""
    port = _free_port()
    log = open(log_path, "w")
    env = {**os.environ, "SEARCH_DATA_DIR": str(data_dir), "SEARCH_BIND": f"127.0.0.1:{port}",
           "SEARCH_WORKERS": "2", "SEARCH_ACCESS_LOG": ""}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(REPO / "gunicorn.conf.py"), "search_service:create_app()"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"gunicorn did not start; see {log.name}")
            time.sleep(0.2)
    try:
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Base URL of gunicorn (2 workers) serving a real index of the test corpus."""
    data_dir = tmp_path_factory.mktemp("browser") / "data"
    write_articles(web_config(data_dir), corpus())
    with _gunicorn(data_dir, tmp_path_factory.mktemp("logs") / "gunicorn.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A page plus what it reported: console errors, CSP violations, dialogs (alerts)."""

    def __init__(self, page):
        self.page, self.errors, self.dialogs, self.requests = page, [], [], []
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: self.requests.append(r))

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        # caret="initial": hiding the caret would inject a <style>, which our CSP (rightly) blocks
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True, caret="initial")

    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(urlsplit(self.page.url).query)

    def count_text(self) -> str:
        return self.page.locator("#result-count").inner_text()

    def result_titles(self) -> list[str]:
        return self.page.locator(".hit-title a").all_inner_texts()


def _watched(browser, javascript: bool, width: int = 1280):
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": width, "height": 900})
    return context, Watched(context.new_page())


@pytest.fixture
def js(browser, server, htmx):
    context, watched = _watched(browser, javascript=True)
    yield watched
    context.close()
    assert not [e for e in watched.errors if "Content Security Policy" in e], watched.errors
    assert watched.dialogs == []


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def either(request, browser, server, htmx):
    """The same test with JavaScript on and off."""
    context, watched = _watched(browser, javascript=request.param)
    watched.server, watched.javascript = server, request.param
    yield watched
    context.close()


@pytest.fixture
def nojs(browser, server):
    context, watched = _watched(browser, javascript=False)
    yield watched
    context.close()


def facet_value(page, facet: str, name: str):
    return page.locator(f"#facet-{facet}-values .facet-value", has_text=name)


def test_search_flow_with_htmx(js, server):
    page = js.page
    page.goto(server + "/")
    assert page.evaluate("typeof htmx") == "object"  # htmx loaded under the CSP
    page.evaluate("window.__noReload = true")  # survives swaps, not navigations
    count = page.locator("#result-count")
    live_region = count.element_handle()  # must persist so screen readers announce its changes

    # type a query: results and the URL update without a page load
    page.locator("#q").press_sequentially("ferry", delay=40)
    page.wait_for_url(re.compile(r"q=ferry"))
    expect(count).to_have_text("4 documents")
    assert count.get_attribute("aria-live") == "polite"
    assert set(js.result_titles()) == {"Ferry operator reports record season", "Harbour council approves new ferry line",
                                       "Notes on the ferry timetable", "Council debates rail and ferry budget"}
    htmx_requests = [r for r in js.requests if "/search?" in r.url and r.headers.get("hx-request") == "true"]
    assert htmx_requests and all(r.headers.get("hx-target") == "search-region" for r in htmx_requests)
    assert len(htmx_requests) < len("ferry")  # debounced, not one per keystroke
    js.shot("js-1-typed-query")

    # click a person: counts, results and URL change
    facet_value(page, "person", "Olek Brandt").locator("a.toggle").click()
    page.wait_for_url(re.compile(r"person=Olek"))
    expect(count).to_have_text("3 documents")
    assert ("person", "Olek Brandt") in js.query() and ("q", "ferry") in js.query()
    assert "is-selected" in facet_value(page, "person", "Olek Brandt").get_attribute("class")
    # the other values of the facet stay visible with their own counts (multi-select)
    assert facet_value(page, "person", "Marta Kessel").locator(".count").inner_text() == "2"
    assert page.locator(".chip-groups > li").inner_text().startswith("Person:")
    assert page.locator(".chip-remove").get_attribute("aria-label") == "Remove filter Person: Olek Brandt"
    js.shot("js-2-person-selected")

    # a second value of the same facet: OR
    facet_value(page, "person", "Marta Kessel").locator("a.toggle").click()
    page.wait_for_url(re.compile(r"person=Marta"))
    expect(count).to_have_text("4 documents")
    assert [v for k, v in js.query() if k == "person"] == ["Olek Brandt", "Marta Kessel"]
    js.shot("js-3-two-people")

    # exclude a place
    facet_value(page, "place", "Lindholm").locator("a.exclude").click()
    page.wait_for_url(re.compile(r"not_place=Lindholm"))
    expect(count).to_have_text("2 documents")
    assert set(js.result_titles()) == {"Notes on the ferry timetable", "Council debates rail and ferry budget"}
    assert " ".join(page.locator(".chip-groups > li", has=page.locator(".chip-excluded")).text_content().split()) \
        .startswith("Place: not Lindholm")
    js.shot("js-4-place-excluded")
    assert page.evaluate("window.__noReload") is True  # every step so far was a swap
    assert live_region.evaluate("e => e.isConnected")  # the same aria-live element, updated in place

    # back: the earlier state (two people, no exclusion) comes back from the URL
    page.go_back()
    page.wait_for_url(lambda url: "not_place" not in url)
    expect(count).to_have_text("4 documents")
    assert [v for k, v in js.query() if k == "person"] == ["Olek Brandt", "Marta Kessel"]
    assert page.locator(".chip-excluded").count() == 0
    assert page.locator("#q").input_value() == "ferry"
    page.go_back()
    expect(count).to_have_text("3 documents")
    js.shot("js-5-back")

    # reload restores the same state
    page.reload()
    assert js.count_text() == "3 documents" and ("person", "Olek Brandt") in js.query()

    # open a document: entities marked by type, clickable
    page.locator(".hit-title a", has_text="Harbour council approves new ferry line").click()
    page.wait_for_url(re.compile(r"/documents/harbour-ferry"))
    assert page.locator(".doc-text a.ent-person").count() == 2
    assert page.locator(".doc-text a.ent-organisation").count() == 1
    assert page.locator(".legend").is_visible()
    js.shot("js-6-document")
    # a marked mention leads to the entity's page
    page.locator(".doc-text a.ent-place", has_text="Lindholm").first.click()
    page.wait_for_url(re.compile(r"/entities/place/Lindholm"))


def test_keyboard_facets_and_year_bars(js, server):
    page = js.page
    page.goto(server + "/search?q=ferry")
    count = page.locator("#result-count")
    link = facet_value(page, "person", "Olek Brandt").locator("a.toggle")
    link_id = link.get_attribute("id")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"person=Olek"))
    expect(page.locator(f"#{link_id}")).to_be_focused()  # htmx gives focus back after the swap
    # a year bar is a link too
    page.locator(".year-chart a.bar", has_text="2020").first.click()
    page.wait_for_url(re.compile(r"year=2020"))
    expect(count).to_have_text("1 document")
    assert js.result_titles() == ["Ferry operator reports record season"]


def test_facet_value_search_and_show_more_ask_the_server(js, server):
    page = js.page
    page.goto(server + "/search?facet_size=2")
    assert page.locator("#facet-person-values .facet-value").count() == 2
    page.locator("#facet-person-values .show-more").click()
    expect(page.locator("#facet-person-values .facet-value")).to_have_count(6)
    page.locator("#facet-person-prefix").press_sequentially("hol", delay=30)
    expect(page.locator("#facet-person-values .facet-value")).to_have_count(1)
    assert facet_value(page, "person", "Greta Holm").count() == 1
    assert "/search" in page.url and "prefix" not in page.url  # the facet search does not change the page state
    facet_value(page, "person", "Greta Holm").locator("a.toggle").click()
    page.wait_for_url(re.compile(r"person=Greta"))
    assert js.result_titles() == ["Lighthouse keeper retires"]


def test_search_flow_without_javascript(nojs, server):
    page = nojs.page
    page.goto(server + "/")
    page.locator("#q").fill("ferry")
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"q=ferry"))
    assert nojs.count_text() == "4 documents"
    nojs.shot("nojs-1-query")
    facet_value(page, "person", "Olek Brandt").locator("a.toggle").click()
    page.wait_for_url(re.compile(r"person=Olek"))
    assert nojs.count_text() == "3 documents"
    facet_value(page, "person", "Marta Kessel").locator("a.toggle").click()
    page.wait_for_url(re.compile(r"person=Marta"))
    assert nojs.count_text() == "4 documents"
    facet_value(page, "place", "Lindholm").locator("a.exclude").click()
    page.wait_for_url(re.compile(r"not_place=Lindholm"))
    assert nojs.count_text() == "2 documents"
    nojs.shot("nojs-2-filters")
    # new text keeps the filters (hidden inputs tied to the form)
    page.locator("#q").fill("budget")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"q=budget"))
    assert ("not_place", "Lindholm") in nojs.query() and ("person", "Olek Brandt") in nojs.query()
    assert nojs.result_titles() == ["Council debates rail and ferry budget"]
    page.go_back()
    page.wait_for_url(re.compile(r"q=ferry"))
    assert nojs.count_text() == "2 documents"
    # sort, facet value search page and document page are plain links and forms
    page.get_by_role("link", name="Oldest first").click()
    page.wait_for_url(re.compile(r"sort=oldest"))
    assert nojs.result_titles()[0] == "Council debates rail and ferry budget"
    page.locator("#facet-organisation-prefix").fill("rail")
    page.locator("#facet-organisation-prefix").press("Enter")
    page.wait_for_url(re.compile(r"/facets/organisation\?.*prefix=rail"))
    page.locator(".facet-value a.toggle", has_text="Northern Rail Union").click()
    page.wait_for_url(re.compile(r"organisation=Northern"))
    assert nojs.count_text() == "1 document"
    page.locator(".hit-title a").first.click()
    page.wait_for_url(re.compile(r"/documents/budget-debate"))
    assert page.locator(".doc-text a.ent-person").all_inner_texts() == ["Marta Kessel", "Ines Varga"]
    nojs.shot("nojs-3-document")


def test_payloads_render_as_text(js, server):
    page = js.page
    page.goto(server + "/search?q=notice")
    title = page.locator(".hit-title a").first
    assert title.inner_text() == f"{SCRIPT_PAYLOAD} Harbour notice {IMG_PAYLOAD}"
    assert page.get_by_text(IMG_PAYLOAD, exact=True).first.is_visible()  # the person chip, as text
    assert page.locator("img").count() == 0
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0
    js.shot("payload-search")
    title.click()
    page.wait_for_url(re.compile(r"/documents/payload"))
    assert page.locator("h1").inner_text() == f"{SCRIPT_PAYLOAD} Harbour notice {IMG_PAYLOAD}"
    assert SCRIPT_PAYLOAD in page.locator(".doc-text").inner_text()
    assert page.locator(".doc-text a.ent-person").inner_text() == IMG_PAYLOAD
    assert page.locator("img").count() == 0
    js.shot("payload-document")
    # the js fixture asserts afterwards that no alert() dialog ever opened


def _in_viewport(locator) -> bool:
    box = locator.bounding_box()
    size = locator.page.viewport_size
    return box is not None and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= size["width"] \
        and box["y"] + box["height"] <= size["height"]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_phone_layout_folds_the_filters_above_the_first_result(browser, server, htmx, javascript):
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 390, "height": 844})
    watched = Watched(context.new_page())
    try:
        page = watched.page
        page.goto(server + "/search?q=ferry&person=Olek+Brandt")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        summary = page.locator("#filters > summary")
        expect(summary).to_have_text("Filters (1 active)")
        first = page.locator(".hit-title a").first
        assert first.bounding_box()["y"] < 844 and _in_viewport(first)  # on the first screen
        assert summary.bounding_box()["y"] < first.bounding_box()["y"]  # the filters fold above the results
        people = page.locator("#facet-person-values")
        expect(people).to_be_hidden()
        watched.shot(f"phone-1-folded-{'js' if javascript else 'nojs'}")
        summary.click()  # a plain <details>: opens with or without JavaScript
        expect(people).to_be_visible()
        watched.shot(f"phone-2-filters-open-{'js' if javascript else 'nojs'}")
        facet_value(page, "person", "Marta Kessel").locator("a.toggle").click()
        page.wait_for_url(re.compile(r"person=Marta"))
        expect(summary).to_have_text("Filters (2 active)")
        if javascript:  # the swap keeps the disclosure as the reader left it
            expect(people).to_be_visible()
        page.goto(server + "/documents/harbour-ferry")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        watched.shot("phone-document")
    finally:
        context.close()


def test_keyboard_reaches_the_first_result_in_a_few_tabs_and_the_skip_link_shows(js, server):
    page = js.page
    page.goto(server + "/search?q=ferry&person=Olek+Brandt&not_place=Norrvik")
    expect(page.locator("#filters > summary")).to_be_hidden()  # wide screen: the filters are simply open
    expect(page.locator("#facet-person-values")).to_be_visible()
    page.locator("#q").focus()
    for presses in range(1, 11):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.hit-title') !== null"):
            break
    else:
        pytest.fail("the first result is more than 10 Tab presses from the search box")
    assert page.evaluate("document.activeElement.textContent") == js.result_titles()[0]
    # the skip-to-filters link on the way shows itself when focused and leads to the filters
    page.locator("#q").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-to-filters")
    expect(skip).to_be_focused()
    assert _in_viewport(skip)
    # the page's first Tab stop is the skip link, visible on focus
    page.goto(server + "/search?q=ferry")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    assert _in_viewport(page.locator(".skip-link"))


def test_match_mode_year_range_and_value_order(either):
    watched = either
    page, server, javascript = watched.page, watched.server, watched.javascript
    page.goto(server + "/search?person=Marta+Kessel&person=Ines+Varga")
    count = page.locator("#result-count")
    expect(count).to_have_text("3 documents")
    expect(page.locator("#facet-person-mode .mode-text")).to_have_text("Mentions any of: Marta Kessel, Ines Varga.")
    page.locator("#mode-person-all").click()
    page.wait_for_url(re.compile(r"person_mode=all"))
    expect(count).to_have_text("1 document")
    expect(page.locator("#facet-person-mode .mode-text")).to_have_text("Mentions all of: Marta Kessel, Ines Varga.")
    assert "Person, mentions all of:" in page.locator(".active-filters").inner_text()
    watched.shot(f"mode-all-{'js' if javascript else 'nojs'}")

    # a year range from the two inputs
    page.goto(server + "/search?q=ferry")
    page.locator("#year-from").fill("2019")
    page.locator("#year-to").fill("2020")
    page.locator("form.year-range", has=page.locator("#year-from")).locator("button").click()
    page.wait_for_url(re.compile(r"year_from=2019&year_to=2020"))
    expect(count).to_have_text("2 documents")
    assert ("q", "ferry") in watched.query()
    expect(page.locator(".chip-remove", has_text="2019–2020")).to_have_count(1)

    # values A–Z
    page.locator("#facet-order-alpha").click()
    page.wait_for_url(re.compile(r"facet_order=alpha"))
    names = page.locator("#facet-person-values .facet-value .name").all_inner_texts()
    assert names == sorted(names, key=str.casefold)
    expect(count).to_have_text("2 documents")


def test_dragging_across_year_bars_asks_for_that_range(js, server):
    page = js.page
    page.goto(server + "/search")
    chart = page.locator('.year-chart[data-from-param="year_from"]')
    chart.scroll_into_view_if_needed()
    start = chart.locator('a.bar[data-year="2017"]').bounding_box()
    end = chart.locator('a.bar[data-year="2019"]').bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=5)
    page.mouse.up()
    page.wait_for_url(re.compile(r"year_from=2017&year_to=2019"))
    expect(page.locator("#result-count")).to_have_text("4 documents")
    expect(page.locator('.year-chart a.bar.in-range')).to_have_count(3)
    assert page.locator("#year-from").input_value() == "2017"


def test_show_more_without_javascript_pages_through_the_values(nojs, server):
    page = nojs.page
    page.goto(server + "/search?facet_size=2&size=3&page=2")
    page.locator("#facet-person-values .show-more").click()
    page.wait_for_url(re.compile(r"/facets/person\?"))
    assert ("page", "2") not in nojs.query() and ("size", "3") not in nojs.query()
    assert page.locator(".facet-value").count() == 6
    page.locator(".facet-value a.toggle", has_text="Greta Holm").click()
    page.wait_for_url(re.compile(r"/search\?.*person=Greta"))
    assert "size" not in dict(nojs.query()) and "page" not in dict(nojs.query())
    assert nojs.result_titles() == ["Lighthouse keeper retires"]


def test_document_page_keeps_the_search(either):
    watched = either
    page, server, javascript = watched.page, watched.server, watched.javascript
    page.goto(server + "/search?q=ferry&person=Olek+Brandt&size=2")
    results_url = page.url
    first, second = watched.result_titles()[:2]
    page.locator(".hit-title a").first.click()
    page.wait_for_url(re.compile(r"/documents/.*hit=1"))
    expect(page.locator("h1")).to_have_text(first)
    assert page.locator(".doc-text mark.q").count() > 0  # the query words, marked
    page.get_by_role("link", name=re.compile("Next result")).click()
    page.wait_for_url(re.compile(r"hit=2"))
    expect(page.locator("h1")).to_have_text(second)
    page.get_by_role("link", name=re.compile("Previous result")).click()
    page.wait_for_url(re.compile(r"hit=1"))
    # next/previous match are plain anchors
    page.locator(".match-nav a[aria-label='Next match']").first.click()
    page.wait_for_url(re.compile(r"#m2$"))
    assert _in_viewport(page.locator("#m2"))
    page.locator(".back-to-results").click()
    page.wait_for_url(re.compile(r"/search\?"))
    assert page.url.split("#")[0] == results_url and watched.count_text() == "3 documents"
    # "N more matches" lands on the first of them
    page.locator(".more-matches a").first.click()
    page.wait_for_url(re.compile(r"#more$"))
    more = page.locator("#more")
    assert more.evaluate("e => e.tagName") == "MARK" and _in_viewport(more)
    watched.shot(f"document-more-matches-{'js' if javascript else 'nojs'}")


def test_error_pages_in_the_browser(nojs, server):
    response = nojs.page.goto(server + "/documents/does-not-exist")
    assert response.status == 404
    assert nojs.page.locator("h1").inner_text().startswith("Not found")
    assert nojs.page.get_by_role("link", name="Go to the search page").is_visible()


def test_readme_screenshot_of_the_sample_corpus(browser, htmx, sample_index, tmp_path):
    """The README's picture (docs/screenshot.png is a copy of test-artifacts/readme-search.png):
    the bundled sample corpus, a query, the first person selected and the first place excluded."""
    config, _ = sample_index
    with _gunicorn(config.data_dir, tmp_path / "gunicorn.log") as base:
        context, watched = _watched(browser, javascript=True)
        page = watched.page
        page.set_viewport_size({"width": 1280, "height": 960})
        try:
            page.goto(base + "/search?q=lake")
            count = page.locator("#result-count")
            before = count.inner_text()
            page.locator("#facet-person-values .facet-value a.toggle").first.click()
            page.wait_for_url(re.compile(r"person="))
            # Exclude a place that only some of the results mention, so results remain.
            total = int(count.inner_text().split()[0])
            places = page.locator("#facet-place-values .facet-value")
            partial = next(i for i in range(places.count())
                           if 0 < int(places.nth(i).locator(".count").inner_text()) < total)
            places.nth(partial).locator("a.exclude").click()
            page.wait_for_url(re.compile(r"not_place="))
            expect(page.locator(".chip-remove")).to_have_count(2)
            assert count.inner_text() != before and page.locator(".hit-title a").count() > 0
            assert page.locator(".hit mark").count() > 0  # highlighted matches in the passages
            page.evaluate("window.scrollTo(0, 0)")
            page.mouse.move(0, 0)  # no hover outline in the picture
            expect(page.locator(".htmx-request")).to_have_count(0)  # every swap has settled
            expect(page.locator("#search-indicator")).to_have_css("opacity", "0")  # faded out
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "readme-search.png"), caret="initial")  # the first screen
        finally:
            context.close()
    assert watched.errors == [] and watched.dialogs == []
