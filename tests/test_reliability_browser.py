"""Hostile documents in real Chromium: script, event-handler, ``javascript:`` and
external-resource payloads in titles, text, entity names, URLs, sources and the
query itself stay inert text, and the Content-Security-Policy header is on every
page the app serves.

Complements tests/test_browser.py (the web helper's flows with two payloads):
here a wider payload set is rendered through every page type and htmx swap, the
pointer is moved over and focus tabbed through every element (so an injected
``onmouseover``/``onfocus`` would fire), and the browser must make no request to
any host but the test server.
"""
from __future__ import annotations

import re
import shutil
from urllib.parse import quote, urlsplit

import pytest

from browser_fixtures import chromium, playwright_or_skip
from reliability_fixtures import Gunicorn
from search_service.backends import open_backend
from search_service.web import create_app
from web_fixtures import corpus, make_article, web_config, write_articles

sync_api = playwright_or_skip()

pytestmark = pytest.mark.browser

EVIL = "evil.invalid"
PAYLOADS = [
    "<script>alert('s1')</script>",
    "<img src=x onerror=alert('i2')>",
    "\"><svg onload=alert('v3')>",
    "' onmouseover='alert(4)' data-x='",
    "<a href=\"javascript:alert('a5')\">click me</a>",
    f"<iframe src=\"http://{EVIL}/frame\"></iframe>",
    f"<img src=\"http://{EVIL}/pixel.png\">",
    f"<link rel=stylesheet href=//{EVIL}/x.css>",
    f"<div hx-get=\"http://{EVIL}/htmx\" hx-trigger=\"load\">htmx</div>",
    f"<style>body{{background:url(http://{EVIL}/bg)}}</style>",
    "</textarea></title><script>alert(13)</script>",
    f"<base href=\"http://{EVIL}/\">",
    f"<meta http-equiv=\"refresh\" content=\"0;url=http://{EVIL}/\">",
    "<details open ontoggle=alert(18)>",
    "<input autofocus onfocus=alert(19)>",
    "{{7*7}} ${7*7} <%= 7*7 %>",
]
JS_URL = "javascript:alert('url')"

# Every element that carries an event handler, a javascript: link, an htmx attribute
# pointing away from this origin, or markup that only a payload could have added.
INJECTED_JS = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) bad.push(el.tagName + '[' + a.name + ']');
      if (/^\\s*javascript:/i.test(a.value)) bad.push(el.tagName + '[' + a.name + '=javascript:]');
      if (a.name.startsWith('hx-') && a.value.includes('//')) bad.push(el.tagName + '[' + a.name + ']');
    }
  }
  for (const sel of ['iframe', 'img', 'base', 'meta[http-equiv]', 'object', 'embed',
                     'input[autofocus]', 'link[rel=stylesheet]:not([href^="/static/"])', 'script:not([src])'])
    document.querySelectorAll(sel).forEach(el => bad.push(sel));
  return bad;
}"""


def payload_articles():
    """Articles whose every shown field carries payloads (invented names otherwise)."""
    articles = []
    for i, payload in enumerate(PAYLOADS):
        person, org, place = f"Mira {payload} Holt", f"{payload} Pier Trust", f"Skarv {payload}"
        article = make_article(
            f"hostile-{i:02d}", f"Quay notice {i} {payload}",
            [f"The quay notice quoted {payload} in full.",
             f"{person} of the {org} spoke in {place} about the quay."],
            "2020-02-02", people=[person], orgs=[org], places=[place],
            source=f"hostile/{payload}.txt")
        article.url = JS_URL if i % 2 else f"http://{EVIL}/{i}"
        articles.append(article)
    return articles


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("hostile-browser") / "data"
    write_articles(web_config(data), corpus() + payload_articles())
    with Gunicorn(data, workers=2, log_dir=data.parent / "logs") as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    with chromium(sync_api) as launched:
        yield launched


class Recorder:
    """What a page did: dialogs, requests, console errors, responses."""

    def __init__(self, page, base: str):
        self.page, self.base = page, base
        self.dialogs, self.foreign, self.errors, self.responses = [], [], [], []
        page.set_default_timeout(15_000)
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("request", self._request)
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("response", lambda r: self.responses.append(r))

    def _request(self, request) -> None:
        url = urlsplit(request.url)
        if url.scheme not in ("data", "blob") and f"{url.scheme}://{url.netloc}" != self.base:
            self.foreign.append(request.url)

    def visit(self, path: str):
        response = self.page.goto(self.base + path)
        self.poke()
        return response

    def poke(self) -> None:
        """Hover every link and element with text, and tab through the focusable ones."""
        page = self.page
        for handle in page.query_selector_all("a, mark, h1, dd, .chip")[:150]:
            box = handle.bounding_box()
            if box and box["width"] and box["height"]:
                page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        for _ in range(25):
            page.keyboard.press("Tab")

    def injected(self) -> list[str]:
        return self.page.evaluate(INJECTED_JS)


@pytest.fixture
def watched(browser, server):
    context = browser.new_context()
    recorder = Recorder(context.new_page(), server.base_url)
    yield recorder
    context.close()
    assert recorder.dialogs == [], recorder.dialogs
    assert recorder.foreign == [], recorder.foreign
    assert not [e for e in recorder.errors if "Content Security Policy" in e], recorder.errors
    for response in recorder.responses:
        if response.url.startswith(server.base_url) and "text/html" in response.headers.get("content-type", ""):
            assert response.headers.get("content-security-policy"), response.url


def test_search_results_with_payloads_stay_text(watched):
    response = watched.visit("/search?q=quay+notice&size=50")
    assert response.status == 200
    page = watched.page
    titles = page.locator(".hit-title a").all_inner_texts()
    for i, payload in enumerate(PAYLOADS):
        assert f"Quay notice {i} {payload}" in titles
    assert watched.injected() == []
    assert page.evaluate("typeof htmx") == "object"  # the page's own script did load


def test_document_pages_with_payloads_stay_text(watched):
    page = watched.page
    for i, payload in enumerate(PAYLOADS):
        assert watched.visit(f"/documents/hostile-{i:02d}").status == 200
        assert page.locator("h1").inner_text() == f"Quay notice {i} {payload}"
        assert payload in page.locator(".doc-text").inner_text()
        names = page.locator(".doc-entities a.ent").all_inner_texts()
        assert f"Mira {payload} Holt" in names
        meta = page.locator(".doc-meta").inner_text()
        assert (JS_URL if i % 2 else f"http://{EVIL}/{i}") in meta  # shown as text, not a link
        assert watched.injected() == [], payload
    # Clicking every entity link of the last page only ever navigates to this server.
    for link in page.locator(".doc-entities a.ent").all()[:3]:
        assert link.get_attribute("href").startswith("/")


def test_htmx_swaps_with_payloads_in_the_query_and_facets(watched):
    page = watched.page
    watched.visit("/")
    box = page.locator("#q")
    for payload in PAYLOADS[:4]:
        box.fill(f"quay {payload}")
        box.press("Enter")
        page.wait_for_url(re.compile(r"q=quay"))
        page.locator("#search-region").wait_for()
        watched.poke()
        assert watched.injected() == [], payload
    # Select a payload-named person through the facet (an htmx swap), then exclude it.
    watched.visit("/search?q=quay")
    chip = page.locator(".chip", has_text="Mira <script>").first
    chip.click()
    page.wait_for_url(re.compile(r"person=Mira"))
    watched.poke()
    assert watched.injected() == []


@pytest.mark.parametrize("path", [
    "/search?q=" + quote(PAYLOADS[0]) + "&person=" + quote(PAYLOADS[1]) + "&not_place=" + quote(PAYLOADS[2]),
    "/facets/person?prefix=" + quote(PAYLOADS[3]) + "&q=" + quote(PAYLOADS[4]),
    "/documents/" + quote(PAYLOADS[1], safe=""),
    "/no/such/" + quote(PAYLOADS[0], safe=""),
])
def test_payloads_in_the_address_are_reflected_as_text(watched, path):
    response = watched.visit(path)
    assert response.status in (200, 404)
    assert watched.injected() == []


def test_the_detectors_catch_a_real_injection(browser, server):
    """The same recorder on a page without escaping or CSP: every check must trip."""
    context = browser.new_context()
    try:
        recorder = Recorder(context.new_page(), server.base_url)
        recorder.page.route(f"http://{EVIL}/**", lambda route: route.fulfill(status=204))
        recorder.page.set_content(f"<p>{PAYLOADS[1]} {PAYLOADS[6]} <a href='{JS_URL}'>x</a> {PAYLOADS[3]}</p>")
        for _ in range(100):  # let the broken image fire onerror (events arrive while Playwright waits)
            if recorder.dialogs and recorder.foreign:
                break
            recorder.page.wait_for_timeout(100)
        assert recorder.dialogs and recorder.foreign
        assert {"IMG[onerror]", "A[href=javascript:]", "img"} <= set(recorder.injected())
    finally:
        context.close()


# --- the Content-Security-Policy header on every kind of response ------------------------------

@pytest.fixture
def broken_app(tmp_path):
    """An app whose live index generation was deleted: every search is a 503."""
    config = web_config(tmp_path / "data")
    write_articles(config, corpus()[:2])
    backend = open_backend(config)
    live = backend.stats()["path"]
    backend.close()
    shutil.rmtree(live)
    return create_app(config)


def test_csp_header_on_every_page_type(server, broken_app):
    from reliability_fixtures import get

    fragment = {"HX-Request": "true", "HX-Target": "search-region"}
    cases = [
        ("search page", "/search?q=quay", {}, 200),
        ("home page", "/", {}, 200),
        ("htmx fragment", "/search?q=quay", fragment, 200),
        ("facet page", "/facets/person", {}, 200),
        ("facet fragment", "/facets/person?prefix=mi", {"HX-Request": "true", "HX-Target": "facet-person-values"}, 200),
        ("document page", "/documents/hostile-00", {}, 200),
        ("missing document", "/documents/nope", {}, 404),
        ("unknown page", "/nope", {}, 404),
        ("unknown facet", "/facets/nope", {}, 404),
        ("API search", "/api/search?q=quay", {}, 200),
        ("API document", "/api/documents/hostile-01", {}, 200),
        ("API facet", "/api/facets/place", {}, 200),
        ("API 404", "/api/documents/nope", {}, 404),
        ("OpenAPI document", "/api/openapi.json", {}, 200),
        ("health check", "/healthz", {}, 200),
        ("stylesheet", "/static/app.css", {}, 200),
    ]
    for label, path, headers, status in cases:
        got, response_headers, _ = get(server.port, path, headers=headers)
        assert got == status, label
        assert "script-src 'self'" in response_headers.get("content-security-policy", ""), label
    client = broken_app.test_client()
    for path in ("/search?q=quay", "/api/search", "/healthz", "/documents/x"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert "script-src 'self'" in response.headers["Content-Security-Policy"], path
    bad = client.get("/search", environ_overrides={"QUERY_STRING": "q=\xff"})
    assert bad.status_code == 400 and bad.headers["Content-Security-Policy"]
