"""The JSON API and the error pages (HTML and JSON), on a real Tantivy index."""
from __future__ import annotations

import shutil
from urllib.parse import urlencode

import pytest

from search_service import create_app
from search_service.backends import open_backend
from search_service.search.facets import sort_key
from web_fixtures import IMG_PAYLOAD, SCRIPT_PAYLOAD, corpus, web_config, write_articles


@pytest.fixture(scope="module")
def index_config(tmp_path_factory):
    config = web_config(tmp_path_factory.mktemp("api") / "data")
    write_articles(config, corpus())
    return config


@pytest.fixture
def client(index_config):
    app = create_app(index_config)
    app.testing = True  # errors raise in the test instead of becoming a 500 page
    return app.test_client()


def get_json(client, url, status=200, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == status, response.data[:400]
    assert response.mimetype == "application/json"
    return response.get_json()


def ids(data) -> list[str]:
    return [r["id"] for r in data["results"]]


def test_search_returns_total_results_and_document_facets(client):
    data = get_json(client, "/api/search?q=ferry")
    assert data["total"] == 4 and len(data["results"]) == 4
    assert set(data["facets"]) == {"person", "organisation", "place", "year", "mentioned_year"}
    person = {v["value"]: v for v in data["facets"]["person"]}
    assert person["Olek Brandt"]["count"] == 3 and person["Olek Brandt"]["selected"] is False
    assert person["Olek Brandt"]["toggle_url"] == "/api/search?q=ferry&person=Olek+Brandt"
    years = {v["value"]: v["count"] for v in data["facets"]["year"]}
    assert years == {2019: 1, 2020: 1, 2021: 1}  # ints, documents
    hit = next(r for r in data["results"] if r["id"] == "ferry-season")
    assert hit["published"] == "2020-08-10" and hit["more_matches"] == 3 and len(hit["passages"]) == 3
    passage = hit["passages"][0]
    start, end = passage["highlights"][0]
    assert passage["text"][start:end].lower() == "ferry"
    assert "<mark>" in passage["html"]
    # the document page link remembers the search and the result's rank
    assert hit["document_url"] == "/documents/ferry-season?q=ferry&hit=1"
    assert hit["api_url"] == "/api/documents/ferry-season"
    assert data["warnings"] == [] and data["query_hint"] is None


def test_search_takes_the_same_filter_parameters_as_the_page(client):
    data = get_json(client, "/api/search?person=Marta+Kessel&person=Ines+Varga&not_place=Kessby&year=2021")
    assert ids(data) == ["budget-debate"]
    assert data["filters"] == [
        {"facet": "person", "value": "Marta Kessel", "excluded": False,
         "remove_url": "/api/search?person=Ines+Varga&not_place=Kessby&year=2021"},
        {"facet": "person", "value": "Ines Varga", "excluded": False,
         "remove_url": "/api/search?person=Marta+Kessel&not_place=Kessby&year=2021"},
        {"facet": "place", "value": "Kessby", "excluded": True,
         "remove_url": "/api/search?person=Marta+Kessel&person=Ines+Varga&year=2021"},
        {"facet": "year", "value": 2021, "excluded": False,
         "remove_url": "/api/search?person=Marta+Kessel&person=Ines+Varga&not_place=Kessby"},
    ]
    selected = [v for v in data["facets"]["person"] if v["selected"]]
    assert {v["value"] for v in selected} == {"Marta Kessel", "Ines Varga"}
    excluded = [v for v in data["facets"]["place"] if v["excluded"]]
    assert [v["value"] for v in excluded] == ["Kessby"]
    mentioned = get_json(client, "/api/search?mentioned_year=2019&not_mentioned_year=2020")
    assert mentioned["total"] == 0
    assert ids(get_json(client, "/api/search?mentioned_year=1987")) == ["lighthouse"]


def test_sort_page_and_size(client):
    newest = get_json(client, "/api/search?sort=newest&size=2")
    oldest = get_json(client, "/api/search?sort=oldest&size=2&page=2")
    assert ids(newest) == ["budget-debate", "ferry-season"]
    assert ids(oldest) == ["harbour-ferry", "payload"]
    assert newest["pages"]["last"] == 4 and newest["pages"]["next_url"] == "/api/search?page=2&size=2"  # newest is the default without q


def test_bounds_are_clamped_with_warnings_not_errors(client):
    data = get_json(client, "/api/search", query_string={"q": "a" * 900, "page": "-3", "size": "0", "sort": "best"})
    assert data["page"] == 1 and data["size"] == 1 and data["sort"] == "relevance" and len(data["q"]) == 500
    assert "The query was cut to 500 characters." in data["warnings"]
    assert "Unknown sort 'best'; sorted by relevance." in data["warnings"]


def test_malformed_query_gives_results_and_a_hint(client):
    data = get_json(client, "/api/search", query_string={"q": 'ferry AND ("line'})
    assert data["total"] >= 1 and data["query_hint"] and data["warnings"]


def test_document_by_id(client):
    data = get_json(client, "/api/documents/budget-debate")
    assert data["id"] == "budget-debate" and data["published"] == "2021-06-01"
    assert data["text"].startswith("Marta Kessel and Ines Varga")
    assert {"name": "Norrvik", "count": 2, "search_url": "/search?place=Norrvik",
            "entity_url": "/entities/place/Norrvik"} in data["entities"]["place"]
    assert [p["anchor"] for p in data["passages"]] == ["p0", "p1"]
    assert "text_html" not in data


def test_payload_document_is_returned_as_plain_data(client):
    data = get_json(client, "/api/documents/payload")
    assert SCRIPT_PAYLOAD in data["title"] and IMG_PAYLOAD in data["text"]
    hit = get_json(client, "/api/search?q=notice")["results"][0]
    assert SCRIPT_PAYLOAD in hit["title"]
    assert all("<script" not in p["html"] and "<img" not in p["html"] for p in hit["passages"])


def test_unknown_document_is_json_404(client):
    data = get_json(client, "/api/documents/nope", status=404)
    assert data["error"]["status"] == 404 and "no document" in data["error"]["message"]


def test_facet_values_by_prefix_with_the_current_state(client):
    data = get_json(client, "/api/facets/person?prefix=Kes")
    assert [v["value"] for v in data["values"]] == ["Marta Kessel"]
    assert data["values"][0]["toggle_url"] == "/api/search?person=Marta+Kessel"
    narrowed = get_json(client, "/api/facets/place?q=ferry&person=Olek+Brandt")
    assert {v["value"]: v["count"] for v in narrowed["values"]} == {"Lindholm": 2, "Norrvik": 1}
    years = get_json(client, "/api/facets/year?size=2")
    assert len(years["values"]) == 2 and years["has_more"] is True


def test_facet_bounds_and_unknown_facet(client):
    data = get_json(client, "/api/facets/person?size=100000")
    assert data["size"] == 100 and any("between 1 and 100" in w for w in data["warnings"])
    error = get_json(client, "/api/facets/colour", status=404)
    assert "no facet called 'colour'" in error["error"]["message"]


def test_healthz_reports_engine_and_documents(client):
    assert get_json(client, "/healthz") == {"status": "ok", "engine": "tantivy", "documents": 8}


def test_unknown_api_path_and_wrong_method_are_json(client):
    assert get_json(client, "/api/nothing", status=404)["error"]["status"] == 404
    response = client.post("/api/search")
    assert response.status_code == 405 and response.get_json()["error"]["status"] == 405
    assert "GET" in response.headers["Allow"]


def test_empty_index_searches_fine(tmp_path):
    client = create_app(web_config(tmp_path / "empty")).test_client()
    data = get_json(client, "/api/search?q=ferry&person=Nobody")
    assert data["total"] == 0 and data["results"] == []
    page = client.get("/search").get_data(as_text=True)
    assert "The index is empty" in page
    assert get_json(client, "/healthz")["documents"] == 0


@pytest.fixture
def broken_client(tmp_path):
    """An app whose index was deleted underneath it: the engine cannot open it."""
    config = web_config(tmp_path / "data")
    write_articles(config, corpus()[:2])
    backend = open_backend(config)
    live = backend.stats()["path"]
    backend.close()
    shutil.rmtree(live)
    return create_app(config).test_client()


def test_unavailable_engine_is_a_503_page_with_a_clear_message(broken_client):
    response = broken_client.get("/search?q=ferry")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    body = response.get_data(as_text=True)
    assert "<!doctype html>" in body and "Search is unavailable" in body
    assert "search engine cannot be reached" in body
    fragment = broken_client.get("/search?q=ferry", headers={"HX-Request": "true", "HX-Target": "search-region"})
    assert fragment.status_code == 503 and "<html" not in fragment.get_data(as_text=True)
    assert broken_client.get("/documents/harbour-ferry").status_code == 503


def test_unavailable_engine_is_503_json_under_api_and_healthz(broken_client):
    data = get_json(broken_client, "/api/search?q=ferry", status=503)
    assert data["error"]["title"] == "Search is unavailable" and "missing" in data["error"]["detail"]
    # the engine's message names the data folder; the answer does not (the log does)
    data_dir = broken_client.application.config["SETTINGS"].data_dir
    assert "[data folder]" in data["error"]["detail"] and data_dir not in data["error"]["detail"]
    assert data_dir not in broken_client.get("/search?q=ferry").get_data(as_text=True)
    health = get_json(broken_client, "/healthz", status=503)
    assert health["status"] == "unavailable"


def test_openapi_describes_every_api_route_and_search_parameter(client):
    spec = get_json(client, "/api/openapi.json")
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {"/api/search", "/api/export", "/api/documents/{doc_id}", "/api/facets/{name}",
                                  "/api/entities/{type}/{value}", "/api/openapi.json", "/healthz"}
    names = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    for param in ("person", "organisation", "place", "year", "mentioned_year"):
        assert {param, f"not_{param}"} <= names
    assert {"q", "sort", "page", "size", "facet_size"} <= names
    page = next(p for p in spec["paths"]["/api/search"]["get"]["parameters"] if p["name"] == "page")
    assert page["schema"]["maximum"] == 50  # the enforced bound, from the settings


def test_responses_conform_to_the_openapi_document(index_config):
    """Property-based: generated requests to each operation get documented, valid answers."""
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", create_app(index_config))
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate()

        check()
        checked.append(operation.path)
    assert {"/api/search", "/api/export", "/api/documents/{doc_id}", "/api/facets/{name}",
            "/api/entities/{type}/{value}", "/healthz"} <= set(checked)


# -- match modes, ranges, facet order and facet pages (issue 11) --------------------------
def test_person_mode_all_returns_documents_holding_both_names(client):
    both = "person=Marta+Kessel&person=Olek+Brandt"
    every = get_json(client, f"/api/search?q=ferry&{both}&person_mode=all")
    union = get_json(client, f"/api/search?q=ferry&{both}")
    assert ids(every) == ["harbour-ferry"]
    for doc_id in ids(every):
        people = {e["name"] for e in get_json(client, f"/api/documents/{doc_id}")["entities"]["person"]}
        assert {"Marta Kessel", "Olek Brandt"} <= people
    assert sorted(ids(union)) == ["budget-debate", "ferry-season", "harbour-ferry", "timetable-notes"]
    toggle = next(v for v in every["facets"]["person"] if v["value"] == "Olek Brandt")["toggle_url"]
    assert "person_mode=all" in toggle  # links keep the mode


def test_year_range_and_default_sort(client):
    data = get_json(client, "/api/search?year_from=2019&year_to=2020")
    assert sorted(ids(data)) == ["ferry-season", "harbour-ferry", "payload", "rail-strike"]
    assert data["sort"] == "newest" and ids(data)[0] == "ferry-season"
    assert data["undated"] == 1  # timetable-notes: outside the range, still counted for the time axis
    assert get_json(client, "/api/search?q=ferry")["sort"] == "relevance"
    odd = get_json(client, "/api/search?year_from=twenty")
    assert "Ignored year_from 'twenty': not a number." in odd["warnings"]


def test_facet_values_page_through_every_value(client):
    first = get_json(client, "/api/facets/person?size=2&facet_order=alpha&page=3")
    assert first["prev_url"] is None and first["has_more"] is True
    seen, url, pages = [], "/api/facets/person?size=2&facet_order=alpha", 0
    while url:
        page = get_json(client, url)
        seen += [v["value"] for v in page["values"]]
        url, pages = page["next_url"], pages + 1
        if url:
            assert "size=2" in url and f"offset={2 * pages}" in url
    assert pages == 3 and len(seen) == len(set(seen)) == 6  # every person once, the payload name included
    assert seen == sorted(seen, key=sort_key)
    # The facet page's own size, offset and page never become the search's paging.
    assert [v["toggle_url"] for v in first["values"]] == [
        "/api/search?" + urlencode([("person", v["value"]), ("facet_order", "alpha")]) for v in first["values"]
    ]


def test_openapi_describes_the_new_parameters(client):
    spec = get_json(client, "/api/openapi.json")
    search = {p["name"]: p for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    for name in ("person_mode", "organisation_mode", "place_mode", "mentioned_year_mode", "year_from", "year_to",
                 "mentioned_year_from", "mentioned_year_to", "facet_order"):
        assert name in search, name
    assert search["person_mode"]["schema"]["enum"] == ["any", "all"]
    assert "year_mode" not in search
    facets = {p["name"] for p in spec["paths"]["/api/facets/{name}"]["get"]["parameters"]}
    assert {"offset", "person_mode", "year_from", "facet_order"} <= facets
