"""The HTML pages through Flask's test client, on a real Tantivy index."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest

from search_service import create_app
from web_fixtures import IMG_PAYLOAD, SCRIPT_PAYLOAD, corpus, web_config, write_articles

REGION = {"HX-Request": "true", "HX-Target": "search-region"}


@pytest.fixture(scope="module")
def index_config(tmp_path_factory):
    config = web_config(tmp_path_factory.mktemp("web") / "data")
    write_articles(config, corpus())
    return config


@pytest.fixture
def client(index_config):
    app = create_app(index_config)
    app.testing = True  # errors raise in the test instead of becoming a 500 page
    return app.test_client()


def html(response) -> str:
    assert response.status_code == 200, response.data[:500]
    return response.get_data(as_text=True)


def result_ids(page: str) -> list[str]:
    return re.findall(r'<h3 class="hit-title"[^>]*><a href="/documents/([^"#?]+)', page)


def facet_links(page: str, facet_param: str) -> dict[str, tuple[str, str]]:
    """value name → (count text, toggle href) for one facet's value list."""
    section = page.split(f'id="facet-{facet_param}-values"', 1)[1].split("</section>", 1)[0]
    found = {}
    for m in re.finditer(r'class="toggle" href="([^"]+)".*?<span class="name">([^<]*)</span>\s*'
                         r'<span class="count">([^<]*)</span>', section, re.S):
        found[m.group(2)] = (m.group(3).strip(), m.group(1).replace("&amp;", "&"))
    return found


# -- the search page -----------------------------------------------------------------------------

def test_search_page_shows_count_results_passages_and_entity_chips(client):
    page = html(client.get("/search?q=ferry"))
    assert '<p id="result-count" class="result-count" role="status" aria-live="polite"' in page
    assert ">4 documents</p>" in page
    assert set(result_ids(page)) == {"ferry-season", "harbour-ferry", "timetable-notes", "budget-debate"}
    assert "<mark>ferry</mark>" in page.lower() or "<mark>Ferry</mark>" in page
    assert "3 more matches in this document" in page  # six ferry passages, three shown
    assert 'href="/documents/ferry-season?q=ferry&amp;hit=1#p' in page  # passages link to their anchor
    # "3 more matches" lands on the first match beyond the passages shown
    assert re.search(r'<a href="/documents/ferry-season\?q=ferry&amp;hit=1&amp;shown=[\d.]+#more">3 more matches', page)
    # entity chips add a filter, keeping the query
    assert 'class="chip ent-person" href="/search?q=ferry&amp;person=Olek+Brandt"' in page
    assert "<title>ferry – 4 documents – Article search</title>" in page


def test_front_page_lists_everything_with_facets(client):
    page = html(client.get("/"))
    assert ">8 documents</p>" in page
    people = facet_links(page, "person")
    assert people["Olek Brandt"][0] == "3"  # documents, not mentions
    assert people["Marta Kessel"][0] == "2"


def test_selecting_a_value_keeps_the_other_values_of_that_facet_with_counts(client):
    page = html(client.get("/search?person=Marta+Kessel"))
    assert ">2 documents</p>" in page
    people = facet_links(page, "person")
    # multi-select: the person facet is not narrowed by its own selection
    assert people["Olek Brandt"][0] == "3" and people["Ines Varga"][0] == "2"
    assert "is-selected" in page.split('id="facet-person-values"', 1)[1].split("Marta Kessel")[0]
    # another facet IS narrowed by the person selection
    places = facet_links(page, "place")
    assert places["Norrvik"][0] == "2" and places["Lindholm"][0] == "1"
    # toggling a second person gives an OR (union) URL
    assert parse_qsl(urlsplit(people["Olek Brandt"][1]).query) == [
        ("person", "Marta Kessel"), ("person", "Olek Brandt")]


def test_values_of_one_facet_or_and_different_facets_and(client):
    union = html(client.get("/search?person=Marta+Kessel&person=Ines+Varga"))
    assert set(result_ids(union)) == {"harbour-ferry", "budget-debate", "rail-strike"}
    both = html(client.get("/search?person=Marta+Kessel&person=Ines+Varga&place=Kessby"))
    assert result_ids(both) == ["rail-strike"]


def test_excluding_a_value_removes_its_documents_and_shows_a_removable_chip(client):
    page = html(client.get("/search?q=ferry&not_person=Olek+Brandt"))
    assert result_ids(page) == ["budget-debate"]
    chip = re.search(r'<a class="chip chip-remove chip-excluded" href="([^"]+)"', page)
    assert chip and chip.group(1).replace("&amp;", "&") == "/search?q=ferry"
    assert 'aria-label="Remove filter Person: not Olek Brandt"' in page
    assert 'class="facet-value is-excluded"' in page
    assert "Clear all filters" in page


def test_selected_values_stay_visible_beyond_the_top_n(client):
    page = html(client.get("/search?facet_size=1&person=Greta+Holm"))
    people = facet_links(page, "person")
    assert "Greta Holm" in people and "Olek Brandt" in people


def test_year_facets_are_bar_charts_of_links(client):
    page = html(client.get("/search"))
    chart = page.split('<ol class="year-chart time-axis" aria-labelledby="facet-year-title', 1)[1].split("</ol>", 1)[0]
    years = re.findall(r'<span class="bar-label">(\d+)</span>', chart)
    assert years == sorted(years) and "2020" in years and "2017" in years
    bar = re.search(r'class="bar"\s+href="([^"]+)"[^>]*title="2020: 2 documents"', chart)
    assert bar and bar.group(1) == "/search?year=2020"
    assert re.search(r'bar-fill h20', chart)  # the tallest bar is full height
    selected = html(client.get("/search?year=2020"))
    assert result_ids(selected) and set(result_ids(selected)) == {"ferry-season", "rail-strike"}
    assert 'class="bar is-selected"' in selected


@pytest.mark.parametrize("sort, first, last", [("newest", "budget-debate", "lighthouse"),
                                               ("oldest", "lighthouse", "budget-debate")])
def test_sort_orders_by_date(client, sort, first, last):
    ids = result_ids(html(client.get(f"/search?sort={sort}&size=20")))
    dated = [i for i in ids if i != "timetable-notes"]
    assert dated[0] == first and dated[-1] == last
    assert ids[-1] == "timetable-notes"  # undated last either way


def test_sort_links_keep_the_state_and_mark_the_current_one(client):
    page = html(client.get("/search?q=ferry&person=Olek+Brandt&sort=oldest"))
    assert 'id="sort-oldest" href="/search?q=ferry&amp;person=Olek+Brandt&amp;sort=oldest"' in page
    assert re.search(r'id="sort-oldest"[^>]*aria-current="true"', page)
    # the search form carries filters and sort as hidden inputs, so new text keeps them
    assert '<input type="hidden" form="search-form" name="person" value="Olek Brandt">' in page
    assert '<input type="hidden" form="search-form" name="sort" value="oldest">' in page


def test_pagination_pages_through_results_and_clamps_depth(client):
    first = result_ids(html(client.get("/search?size=3")))
    second_page = html(client.get("/search?size=3&page=2"))
    second = result_ids(second_page)
    assert len(first) == 3 and len(second) == 3 and not set(first) & set(second)
    assert 'aria-current="page" aria-label="Page 2, current page">2</span>' in second_page
    nav = second_page.split('<nav class="pagination"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r"<a [^>]*>", nav)
    assert links and all("aria-label=" in a for a in links)  # every page link is labelled
    assert re.findall(r">(\d+|…)</(?:a|span)>", nav) == ["1", "2", "3"]  # 8 documents, 3 a page: no gap
    assert 'rel="next" href="/search?page=3&amp;size=3"' in second_page
    deep = html(client.get("/search?size=3&page=999"))
    assert "The page must be between 1 and 50; used 50." in deep
    assert "There are no results on page 50" in deep


def test_pagination_depth_is_configurable(index_config):
    client = create_app(index_config.replace(max_page=2)).test_client()
    page = html(client.get("/search?size=2"))
    assert "Only the first 2 pages are shown" in page
    assert 'href="/search?page=3&amp;size=2"' not in page


@pytest.mark.parametrize("query", ['"harbour notice', "ferry AND (", "-", "OR OR", "title:", '"', "((", "ferry)"])
def test_malformed_queries_give_results_and_a_hint_never_an_error(client, query):
    page = html(client.get("/search", query_string={"q": query}))
    assert 'class="hint" role="note"' in page
    assert "could not be understood" in page


def test_query_syntax_phrase_exclusion_or_prefix(client):
    assert result_ids(html(client.get('/search?q="ferry+line"'))) == ["harbour-ferry"]
    assert set(result_ids(html(client.get("/search?q=ferry+-lindholm")))) == {"timetable-notes", "budget-debate"}
    assert set(result_ids(html(client.get("/search?q=strike+OR+museum")))) == {"rail-strike", "museum-wing"}
    assert set(result_ids(html(client.get("/search?q=light*")))) == {"lighthouse", "museum-wing"}


def test_long_query_and_oversized_parameters_are_clamped_with_hints(client):
    page = html(client.get("/search", query_string={"q": "ferry " * 200, "size": "5000", "facet_size": "x"}))
    assert "The query was cut to 500 characters." in page
    assert "The size must be between 1 and 50; used 50." in page
    assert "Ignored facet size &#39;x&#39;: not a number." in page


def test_no_results_message_offers_to_clear_filters(client):
    page = html(client.get("/search?q=zeppelin&person=Olek+Brandt"))
    assert ">0 documents</p>" in page
    assert "No documents match <q>zeppelin</q> with these filters" in page
    assert 'href="/search?q=zeppelin"' in page


# -- page or fragment ----------------------------------------------------------------------------

def test_targeted_htmx_request_gets_only_the_region_and_an_oob_count(client):
    response = client.get("/search?q=ferry", headers=REGION)
    body = html(response)
    assert "<html" not in body and "<form id=\"search-form\"" not in body
    assert body.lstrip().startswith("<title>ferry – 4 documents – Article search</title>")
    assert '<aside class="facets"' in body and '<ol class="hits">' in body
    assert '<p id="result-count" hx-swap-oob="innerHTML">4 documents</p>' in body
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize("headers", [
    {},
    {**REGION, "HX-Boosted": "true"},
    {**REGION, "HX-History-Restore-Request": "true"},
    {"HX-History-Restore-Request": "true"},
    {"HX-Request": "true", "HX-Target": "main"},
])
def test_everything_else_gets_the_full_page_and_varies_on_hx_request(client, headers):
    response = client.get("/search?q=ferry", headers=headers)
    body = html(response)
    assert body.startswith("<!doctype html>") and '<form id="search-form"' in body
    assert 'hx-swap-oob' not in body
    vary = {v.strip() for v in response.headers["Vary"].split(",")}
    assert {"HX-Request", "HX-Boosted", "HX-History-Restore-Request", "HX-Target"} <= vary


def test_page_carries_htmx_config_for_history_and_csp(client):
    page = html(client.get("/"))
    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', page).group(1)
    import json
    settings = json.loads(config)
    assert settings["historyRestoreAsHxRequest"] is False
    assert settings["includeIndicatorStyles"] is False and settings["allowEval"] is False


# -- facet value lists -----------------------------------------------------------------------------

def test_facet_value_search_queries_the_server_with_the_current_state(client):
    page = html(client.get("/facets/person?prefix=kes&q=ferry"))
    assert "<!doctype html>" in page  # without JS: a page of its own
    assert "Marta Kessel" in page and "Olek Brandt" not in page
    link = re.search(r'class="toggle" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert link == "/search?q=ferry&person=Marta+Kessel"
    fragment = html(client.get("/facets/person?prefix=bra", headers={"HX-Request": "true",
                                                                        "HX-Target": "facet-person-values"}))
    assert "<html" not in fragment and "Olek Brandt" in fragment and "Marta Kessel" not in fragment
    assert 'hx-get="/search?person=Olek+Brandt"' in fragment  # value links swap the search region (inherited target)


def test_show_more_lists_beyond_the_first_values(client):
    page = html(client.get("/search?facet_size=2"))
    more = re.search(r'class="show-more" href="([^"]+)"', page.split('id="facet-person-values"')[1])
    assert more
    listing = html(client.get(more.group(1).replace("&amp;", "&")))
    assert len(re.findall(r'class="toggle"', listing)) == 6  # every person in the corpus


def test_facet_listing_respects_other_filters_and_bounds(client):
    page = html(client.get("/facets/place?person=Ines+Varga&size=999&prefix=" + "x" * 300))
    assert "The facet size must be between 1 and 100; used 100." in page
    assert "The facet search was cut to 100 characters." in page
    narrowed = html(client.get("/facets/place?person=Ines+Varga"))
    assert set(re.findall(r'<span class="name">([^<]+)</span>', narrowed)) == {"Kessby", "Norrvik"}


def test_unknown_facet_is_404(client):
    response = client.get("/facets/colour")
    assert response.status_code == 404 and "There is no facet called" in response.get_data(as_text=True)


# -- document page ---------------------------------------------------------------------------------

def test_document_page_marks_entities_by_type_with_legend_anchors_and_counts(client):
    page = html(client.get("/documents/budget-debate"))
    assert "<h1 id=\"doc-title\">Council debates rail and ferry budget</h1>" in page
    # marked mentions lead to each name's entity page
    assert '<a class="ent ent-person" href="/entities/person/Marta%20Kessel" title="Person: Marta Kessel">Marta Kessel</a>' in page
    assert 'class="ent ent-organisation" href="/entities/organisation/Northern%20Rail%20Union"' in page
    assert 'class="ent ent-place" href="/entities/place/Norrvik"' in page
    assert '<ul class="legend"' in page
    assert page.count('class="passage-anchor"') == 2 and 'id="p0"' in page and 'id="p1"' in page
    assert 'class="doc-parts"' not in page  # a short text is one page, without part navigation
    # entity list with mention counts: Norrvik appears twice (once inside the council's name)
    assert re.search(r'href="/entities/place/Norrvik">Norrvik</a>\s*<span class="count" title="2 mentions">2', page)
    assert 'href="/search?mentioned_year=2022">2022</a>' in page


def test_unknown_document_is_a_404_page(client):
    response = client.get("/documents/no-such-doc")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "<!doctype html>" in body and "There is no document with this id" in body


# -- security ---------------------------------------------------------------------------------------

def test_payloads_in_titles_text_and_entity_names_are_escaped_everywhere(client):
    pages = [html(client.get("/search?q=notice")), html(client.get("/documents/payload")),
             html(client.get("/search?q=notice", headers=REGION)),
             html(client.get("/facets/place?prefix=script"))]
    for page in pages:
        assert SCRIPT_PAYLOAD not in page and IMG_PAYLOAD not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page or "&lt;img src=x onerror=alert(1)&gt;" in page
        assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script at all
        assert "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in pages[1]  # the person name, marked in the text


def test_no_inline_styles_or_scripts_and_strict_headers(client):
    response = client.get("/search?q=ferry")
    page = html(response)
    assert not re.search(r"\sstyle=", page) and "<style" not in page
    assert not re.search(r"\son[a-z]+=", page)  # no inline event handlers
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_query_text_is_escaped_in_the_form_title_and_hints(client):
    page = html(client.get("/search", query_string={"q": '"><script>alert(2)</script>'}))
    assert "<script>alert(2)" not in page
    assert 'value="&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"' in page


# -- accessibility -----------------------------------------------------------------------------------

class ControlAudit(HTMLParser):
    """Collects controls without an accessible name (label, aria-label or text)."""

    def __init__(self):
        super().__init__()
        self.labels, self.controls, self.unnamed_links, self._link = set(), [], [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.controls.append(a)
        if tag == "a":
            self._link = {"attrs": a, "text": ""}
        if tag == "button":
            self._link = {"attrs": a, "text": "", "button": True}

    def handle_data(self, data):
        if self._link is not None:
            self._link["text"] += data

    def handle_endtag(self, tag):
        if tag in ("a", "button") and self._link is not None:
            if not self._link["text"].strip() and not self._link["attrs"].get("aria-label"):
                self.unnamed_links.append(self._link["attrs"])
            self._link = None


@pytest.mark.parametrize("url", ["/search?q=ferry&person=Olek+Brandt&not_place=Norrvik", "/documents/harbour-ferry",
                                 "/facets/person", "/documents/missing"])
def test_every_control_has_a_label_and_every_link_a_name(client, url):
    audit = ControlAudit()
    audit.feed(client.get(url).get_data(as_text=True))
    for control in audit.controls:
        assert control.get("id") in audit.labels or control.get("aria-label"), control
    assert audit.unnamed_links == []


def test_year_chart_shows_every_year_even_beyond_the_facet_size(client):
    page = html(client.get("/search?facet_size=2"))
    chart = page.split('<ol class="year-chart time-axis" aria-labelledby="facet-year-title', 1)[1].split("</ol>", 1)[0]
    assert re.findall(r'<span class="bar-label">(\d+)</span>', chart) == ["2017", "2018", "2019", "2020", "2021"]
    listing = page.split('id="facet-year-title"', 1)[1].split("</section>", 1)[0].split("<details", 1)[1]
    # Year facets come back complete, in year order (search.facets): the list too.
    assert len(re.findall(r'class="toggle"', listing)) == 5


def test_mentioned_years_chart_shows_every_mentioned_year_in_order(client):
    page = html(client.get("/search?facet_size=2"))
    chart = page.split('<ol class="year-chart time-axis" aria-labelledby="facet-mentioned_year-title', 1)[1]
    chart = chart.split("</ol>", 1)[0]
    years = re.findall(r'<span class="bar-label">(\d+)</span>', chart)
    # A true time axis: every year from the first to the last, the empty ones as zero bars.
    assert years == [str(y) for y in range(1987, 2023)]
    assert 'title="1990: 0 documents"' in chart and 'title="1987: 1 document"' in chart


def test_the_first_passage_excerpt_leaves_out_the_headline_shown_above_it(tmp_path):
    # Plain-text articles open with their headline, which is also the hit's title: the
    # excerpt starts after it, with the highlights moved along; the API text stays whole.
    from search_service.models import Article, Passage

    text = "Quay lights return to Norrvik\n\nThe quay lights of Norrvik were switched on again on Monday."
    article = Article(id="lights", text=text, title="Quay lights return to Norrvik", source="c/lights.txt",
                      source_hash="h", passages=[Passage(0, 0, len(text))])
    config = web_config(tmp_path / "data")
    write_articles(config, [article])
    hit = create_app(config).test_client().get("/api/search?q=lights").get_json()["results"][0]
    passage = hit["passages"][0]
    assert passage["text"] == text
    assert passage["html"] == "The quay <mark>lights</mark> of Norrvik were switched on again on Monday."


# -- match modes, year ranges, orders (issue 11) ----------------------------------------------------

def _href(page: str, element_id: str) -> str:
    return re.search(rf'id="{element_id}" href="([^"]+)"', page).group(1).replace("&amp;", "&")


def test_match_mode_switch_says_the_logic_and_narrows_to_documents_with_every_value(client):
    both = "/search?person=Marta+Kessel&person=Ines+Varga"
    page = html(client.get(both))
    assert set(result_ids(page)) == {"harbour-ferry", "budget-debate", "rail-strike"}  # any: the union
    assert "Mentions any of: Marta Kessel, Ines Varga." in page  # the logic in words, next to the facet
    assert 'Person, mentions any of:' in page  # the chips say it too
    all_url = _href(page, "mode-person-all")
    assert parse_qsl(urlsplit(all_url).query) == [("person", "Marta Kessel"), ("person", "Ines Varga"),
                                                  ("person_mode", "all")]
    narrowed = html(client.get(all_url))
    assert result_ids(narrowed) == ["budget-debate"]  # only the document mentioning both
    assert "Mentions all of: Marta Kessel, Ines Varga." in narrowed and 'Person, mentions all of:' in narrowed
    assert re.search(r'id="mode-person-all" href="[^"]+"[^>]*aria-current="true"', narrowed)
    assert _href(narrowed, "mode-person-any") == both
    # the published year has one value per document: no mode switch there
    assert 'id="mode-year-all"' not in narrowed and 'id="mode-mentioned_year-all"' in narrowed


def test_year_range_from_two_inputs_a_chip_and_a_true_time_axis(client):
    page = html(client.get("/search?year_from=2019&year_to=2020"))
    assert set(result_ids(page)) == {"harbour-ferry", "ferry-season", "rail-strike", "payload"}
    form = page.split('<form class="year-range"', 1)[1].split("</form>", 1)[0]
    assert 'name="year_from" value="2019"' in form and 'name="year_to" value="2020"' in form
    hidden = re.findall(r'type="hidden" name="([^"]+)"', form)
    assert "year_from" not in hidden and "year_to" not in hidden and "page" not in hidden
    assert re.search(r'aria-label="Remove filter Year published: 2019–2020"', page)
    chart = page.split('aria-labelledby="facet-year-title chart-year"', 1)[1].split("</ol>", 1)[0]
    assert len(re.findall(r'class="bar in-range"', chart)) == 2
    assert 'data-range-url="/search"' in chart and 'data-from-param="year_from"' in chart
    only_from = html(client.get("/search?mentioned_year_from=2020"))
    assert set(result_ids(only_from)) == {"ferry-season", "harbour-ferry", "budget-debate"}
    assert "Remove filter Years mentioned: from 2020" in only_from


def test_front_page_is_newest_first_says_so_and_counts_the_undated(client):
    page = html(client.get("/"))
    assert "No search words, so the newest come first." in page
    assert re.search(r'id="sort-newest"[^>]*aria-current="true"', page)
    assert result_ids(page)[0] == "budget-debate"
    assert "No date: 1 document" in page
    assert _href(page, "sort-relevance") == "/search?sort=relevance"
    assert "newest come first" not in html(client.get("/search?q=ferry"))


def test_facet_values_ordered_by_count_or_a_to_z(client):
    page = html(client.get("/"))
    assert list(facet_links(page, "person"))[0] == "Olek Brandt"  # by count
    alpha_url = _href(page, "facet-order-alpha")
    assert alpha_url == "/search?facet_order=alpha"
    alpha = list(facet_links(html(client.get(alpha_url)), "person"))
    assert alpha == sorted(alpha, key=str.casefold) and len(alpha) > 3
    # the value links keep the order
    assert "facet_order=alpha" in facet_links(html(client.get(alpha_url)), "person")["Greta Holm"][1]


def _pairs(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url.replace("&amp;", "&")).query)


def _assert_no_parameter_twice(body: str) -> None:
    for href in re.findall(r'href="(/[^"]*)"', body):
        keys = [k for k, _ in _pairs(href) if k not in ("person", "organisation", "place", "year", "mentioned_year")
                and not k.startswith("not_")]
        assert len(keys) == len(set(keys)), href


def test_show_more_reaches_every_value_of_a_big_facet_without_leaking_into_results(tmp_path):
    from web_fixtures import make_article
    names = [f"Person {i:03d} Vale" for i in range(260)]
    articles = [make_article(f"d{i}", f"Doc {i}", [f"{name} spoke."], "2020-01-01", people=[name])
                for i, name in enumerate(names)]
    config = web_config(tmp_path / "data")
    write_articles(config, articles)
    client = create_app(config).test_client()
    page = html(client.get("/search?size=20&page=3"))
    _assert_no_parameter_twice(page)
    url = re.search(r'class="show-more" href="([^"]+)"', page.split('id="facet-person-values"')[1]).group(1)
    seen: list[str] = []
    for _ in range(20):
        url = url.replace("&amp;", "&")
        assert ("page", "3") not in _pairs(url)  # the result page never rides along
        listing = html(client.get(url))
        _assert_no_parameter_twice(listing)
        seen += re.findall(r'<span class="name">([^<]+)</span>', listing)
        for toggle in re.findall(r'class="toggle" href="([^"]+)"', listing):
            pairs = dict(_pairs(toggle))  # the value page's size/offset never reach the results
            assert "size" not in pairs and "offset" not in pairs and "page" not in pairs
        more = re.search(r'class="show-more" href="([^"]+)"', listing)
        if not more:
            break
        url = more.group(1)
    assert sorted(seen) == sorted(names)  # every value, each once


# -- the document page keeps the search (issue 11) --------------------------------------------------

def test_document_page_keeps_the_search_back_previous_next_and_marks_the_matches(client):
    results = html(client.get("/search?q=ferry&size=2&page=2"))
    ids = result_ids(results)
    link = re.search(r'<h3 class="hit-title"[^>]*><a href="([^"]+)"', results).group(1).replace("&amp;", "&")
    assert _pairs(link) == [("q", "ferry"), ("page", "2"), ("size", "2"), ("hit", "3")]
    page = html(client.get(link))
    back = re.search(r'class="back-to-results" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert back == "/search?q=ferry&page=2&size=2#hit-3"
    assert 'id="hit-3"' in results  # the anchor the way back lands on
    prev = re.search(r'rel="prev" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    nxt = re.search(r'rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    first_page = result_ids(html(client.get("/search?q=ferry&size=2")))
    assert prev.startswith(f"/documents/{first_page[1]}?") and _pairs(prev)[-2:] == [("size", "2"), ("hit", "2")]
    assert nxt.startswith(f"/documents/{ids[1]}?") and ("hit", "4") in _pairs(nxt)
    # query words marked in the text, each match linking to its neighbours
    page = html(client.get("/documents/harbour-ferry?q=ferry&hit=2"))
    marks = re.findall(r'<mark class="q" id="(m\d+)">([^<]+)</mark>', page)
    assert marks and all(word.lower().startswith("ferr") for _, word in marks)
    assert marks[0][0] == "m1" and 'href="#m2" aria-label="Next match"' in page
    assert "Go to the first match" in page
    # the last result has no next
    last = html(client.get("/documents/budget-debate?q=ferry&hit=4"))
    assert 'rel="next"' not in last and 'rel="prev"' in last


def test_more_matches_land_on_the_first_match_beyond_the_shown_passages(client):
    page = html(client.get("/search?q=ferry"))
    more = re.search(r'<a href="([^"]+#more)">3 more matches', page).group(1).replace("&amp;", "&")
    shown = [int(i) for i in dict(_pairs(more.split("#")[0]))["shown"].split(".")]
    doc = html(client.get(more.split("#")[0]))
    # the "more" anchor sits on a match in a passage the result did not show
    before_more = doc.split('id="more"', 1)[0]
    passage = int(re.findall(r'id="p(\d+)"', before_more)[-1])
    assert passage not in shown and len(shown) == 3


def test_a_bare_document_link_offers_a_new_search_and_marks_nothing(client):
    page = html(client.get("/documents/ferry-season"))
    assert "‹ New search" in page and 'class="back-to-results"' not in page and '<mark class="q"' not in page
