"""Entity pages (HTML and JSON), the related-entities panel and the links to entity
pages, on a real Tantivy index of the invented web test corpus."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from web_fixtures import IMG_PAYLOAD, SCRIPT_PAYLOAD, app_client, corpus, web_config, write_articles

EXPECTED_KEYS = ["type", "value", "documents", "variants", "published_years", "mentioned_years", "co_mentions",
                 "passages"]


@pytest.fixture(scope="module")
def index_config(tmp_path_factory):
    config = web_config(tmp_path_factory.mktemp("entities") / "data")
    write_articles(config, corpus())
    return config


@pytest.fixture
def client(index_config):
    return app_client(index_config)


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.data[:400]
    assert response.mimetype == "application/json"
    return response.get_json()


def html(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.data[:400]
    return response.get_data(as_text=True)


def test_entity_json_has_exactly_the_documented_shape(client):
    data = get_json(client, "/api/entities/person/Marta%20Kessel")
    assert list(data) == EXPECTED_KEYS
    assert (data["type"], data["value"], data["documents"]) == ("person", "Marta Kessel", 2)
    assert data["variants"] == [{"form": "Marta Kessel", "count": 2}]
    assert data["published_years"] == [{"year": 2019, "count": 1}, {"year": 2021, "count": 1}]
    assert data["mentioned_years"] == [{"year": 2021, "count": 1}, {"year": 2022, "count": 1}]
    assert set(data["co_mentions"]) == {"person", "organisation", "place"}
    for items in data["co_mentions"].values():
        for item in items:
            assert list(item) == ["value", "documents", "score"]
    org = data["co_mentions"]["organisation"][0]
    assert org["value"] == "Norrvik Harbour Council" and org["documents"] == 2 and org["score"] > 0
    passage = data["passages"][0]
    assert passage["text"][slice(*passage["mentions"][0])] == "Marta Kessel"
    assert passage["url"].startswith("/documents/") and "#p" in passage["url"]


def test_each_co_mention_counts_the_documents_of_the_search_for_both(client):
    data = get_json(client, "/api/entities/person/Olek%20Brandt")
    checked = 0
    for etype, items in data["co_mentions"].items():
        for item in items:
            if etype == "person":
                continue  # same type: all-mode, checked below
            both = get_json(client, f"/api/search?person=Olek+Brandt&{etype}={quote(item['value'])}")
            assert item["documents"] == both["total"], item
            checked += 1
    assert checked >= 3


def test_same_type_co_mention_equals_the_all_mode_search(client):
    data = get_json(client, "/api/entities/person/Marta%20Kessel")
    people = {i["value"]: i for i in data["co_mentions"]["person"]}
    assert people["Olek Brandt"]["documents"] == 1 and people["Ines Varga"]["documents"] == 1
    for name, item in people.items():
        both = get_json(client, f"/api/search?person=Marta+Kessel&person={quote(name)}&person_mode=all")
        assert item["documents"] == both["total"], name


def test_entity_page_html(client):
    page = html(client, "/entities/person/Marta%20Kessel")
    assert '<h1 id="entity-title">Marta Kessel</h1>' in page
    assert '<a href="/search?person=Marta+Kessel">2 documents</a>' in page
    # co-mentions link to their entity page and to the search for both (all-mode within a type)
    assert 'href="/entities/organisation/Norrvik%20Harbour%20Council"' in page
    together = re.search(r'class="together" href="([^"]+)"[^>]*>1 shared document<span class="visually-hidden"> '
                         r'with Marta Kessel</span></a>', page)
    assert together
    pairs = parse_qsl(urlsplit(together.group(1).replace("&amp;", "&")).query)
    assert ("person", "Marta Kessel") in pairs and ("person_mode", "all") in pairs
    # ego network: inline SVG with a text alternative, nodes linking to entity pages
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert 'role="img"' in svg and "<title id=\"ego-svg-title\">" in svg and "<desc" in svg
    assert 'href="/entities/organisation/Norrvik%20Harbour%20Council"' in svg
    assert "<script" not in page.split("</head>")[1]
    # passages with the mention marked, linking into the document
    assert "<mark>Marta Kessel</mark>" in page and 'href="/documents/harbour-ferry#p0"' in page
    # zero-filled time axis: 2019, 2020 (no document), 2021
    chart = page[page.index('id="chart-published"'):page.index('id="chart-mentioned"')]
    assert re.findall(r'<span class="bar-label">(\d+)</span>', chart) == ["2019", "2020", "2021"]
    assert 'title="2020: 0 documents"' in chart and 'href="/search?person=Marta+Kessel&amp;year=2019"' in chart


@pytest.mark.parametrize("url", [
    "/entities/person/Nobody%20Here", "/entities/thing/Marta%20Kessel", "/entities/person/" + "x" * 3000,
    "/entities/place/Marta%20Kessel", "/entities/person/a%2Fb%2F%2E%2E%2F%22%27%3C",
    "/entities/person/%E2%80%AE%F0%9F%98%80", "/entities/person/%20",
])
def test_unknown_or_hostile_values_are_404_pages_and_json(client, url):
    page = html(client, url, status=404)
    assert "No document mentions this name" in page or "There is no page" in page
    error = get_json(client, "/api" + url, status=404)
    assert error["error"]["status"] == 404


def test_hostile_names_round_trip_through_their_entity_page(client):
    for etype, name in (("person", IMG_PAYLOAD), ("place", SCRIPT_PAYLOAD)):
        data = get_json(client, f"/api/entities/{etype}/{quote(name, safe='')}")
        assert data["value"] == name and data["documents"] == 1
        page = html(client, f"/entities/{etype}/{quote(name, safe='')}")
        assert "<script>alert" not in page and "<img src=x" not in page
    # the value as a link on the payload's document page, url-encoded
    doc = html(client, "/documents/payload")
    assert "/entities/place/%3Cscript%3E" in doc


def test_related_entities_in_the_api_and_on_the_page(client):
    data = get_json(client, "/api/search?q=ferry")
    assert set(data["related"]) == {"person", "organisation", "place"}
    people = {i["value"]: i for i in data["related"]["person"]}
    # Olek Brandt: in 3 of the 4 results, 3 of the 8 documents
    assert people["Olek Brandt"]["documents"] == 3 and people["Olek Brandt"]["score"] > 0
    assert all(len(items) <= 5 for items in data["related"].values())
    page = html(client, "/search?q=ferry")
    section = page[page.index('class="related"'):page.index("</section>", page.index('class="related"'))]
    assert 'href="/search?q=ferry&amp;person=Olek+Brandt"' in section  # one click adds the filter
    assert 'href="/entities/person/Olek%20Brandt"' in section
    # a selected value is never suggested
    filtered = get_json(client, "/api/search?q=ferry&person=Olek+Brandt")
    assert "Olek Brandt" not in [i["value"] for i in filtered["related"]["person"]]


def test_related_panel_is_hidden_without_query_or_filter(client):
    assert get_json(client, "/api/search")["related"] == {"person": [], "organisation": [], "place": []}
    assert 'class="related"' not in html(client, "/search")


def test_chips_facet_values_and_marks_link_to_entity_pages(client):
    page = html(client, "/search?q=ferry")
    chips = page[page.index('class="chips entity-chips"'):]
    assert 'class="chip-page" href="/entities/person/Olek%20Brandt"' in chips
    facets = page[page.index('id="facet-person-values"'):]
    assert 'class="entity-page-link" href="/entities/person/Olek%20Brandt"' in facets
    years = page[page.index('id="facet-year-values"'):] if 'id="facet-year-values"' in page else ""
    assert "/entities/published_year" not in years
    doc = html(client, "/documents/harbour-ferry")
    assert 'class="ent ent-person" href="/entities/person/Olek%20Brandt"' in doc


# -- pure presenters ------------------------------------------------------------------------

def test_year_axis_is_zero_filled_and_groups_long_spans():
    from search_service.web.charts import year_axis

    bars = year_axis([(2021, 3), (2018, 1)], url=lambda y: f"/y{y}")
    assert [(b["label"], b["count"], b["height_class"]) for b in bars] == [
        ("2018", 1, "h7"), ("2019", 0, "h0"), ("2020", 0, "h0"), ("2021", 3, "h20")]
    assert bars[1]["url"] == "/y2019" and bars[1]["count_label"] == "0 documents"
    decades = year_axis([(1905, 1), (1999, 2), (1991, 1)], url=lambda y: f"/y{y}")
    assert [(b["label"], b["count"]) for b in decades][:2] == [("1900s", 1), ("1910s", 0)]
    assert decades[-1] == {**decades[-1], "label": "1990s", "count": 3, "years": 10, "url": None}
    assert len(year_axis([(1066, 1), (2024, 1)])) <= 60
    assert year_axis([]) == []


def test_ego_network_keeps_non_negative_associations_and_describes_them():
    from search_service.web.ego import ego_network, strongest

    co = {"person": [{"value": "Ivo Lund", "documents": 4, "score": 0.0, "url": "/e/1"},
                     {"value": "Rare Pair", "documents": 1, "score": -2.0, "url": "/e/2"}],
          "place": [{"value": "Tarn", "documents": 2, "score": 5.0, "url": "/e/3"}]}
    picked = strongest(co)
    assert [(n["value"], n["type"]) for n in picked] == [("Tarn", "place"), ("Ivo Lund", "person")]
    picture = ego_network("Orla Fenn " * 5, "person", picked)
    assert picture["center"]["label"].endswith("…") and len(picture["center"]["label"]) <= 24
    assert [n["edge_width"] for n in picture["nodes"]] == [3.5, 6.0]
    assert "Tarn (place, 2 shared documents)" in picture["description"]
    assert all(0 <= n["x"] <= picture["width"] and 0 <= n["y"] <= picture["height"] for n in picture["nodes"])
    assert ego_network("Orla Fenn", "person", []) is None


def test_names_with_slashes_quotes_and_unicode_round_trip_through_their_urls(tmp_path):
    from search_service.web.entity_links import entity_url
    from web_fixtures import make_article

    names = ["AC/DC Trust", "a//b Works", "end/", "O'Brien \"Q\" & Sons", "Zoë Ørsted", "50% Club",
             "Who? #1"]
    config = web_config(tmp_path / "data")
    write_articles(config, [make_article(f"d{i}", f"T{i}", [f"{name} met the board."], "2020-01-01", orgs=[name])
                            for i, name in enumerate(names)])
    from search_service.web import create_app

    app = create_app(config)
    app.testing = True
    client = app.test_client()
    with app.test_request_context():
        for name in names:
            assert get_json(client, entity_url("organisation", name, api=True))["value"] == name
            assert client.get(entity_url("organisation", name)).status_code == 200, name


def test_sample_corpus_co_mentions_equal_the_searches_for_both(sample_index):
    """On the bundled sample corpus (real spaCy entities): for the most mentioned names,
    every co-mention's documents equals the total of the search for both together
    (all-mode within one type)."""
    config, _ = sample_index
    client = app_client(config)
    facets = get_json(client, "/api/search")["facets"]
    shared_twice = 0
    for etype in ("person", "organisation", "place"):
        for value in [v["value"] for v in facets[etype][:2]]:
            page = get_json(client, f"/api/entities/{etype}/{quote(value, safe='')}")
            assert page["documents"] == next(v["count"] for v in facets[etype] if v["value"] == value)
            for other_type, items in page["co_mentions"].items():
                for item in items:
                    query = f"{etype}={quote(value)}&{other_type}={quote(item['value'])}"
                    if other_type == etype:
                        query += f"&{etype}_mode=all"
                    assert item["documents"] == get_json(client, "/api/search?" + query)["total"], (value, item)
                    shared_twice += item["documents"] >= 2
    assert shared_twice >= 3  # real co-mentions, not only one-off pairs
