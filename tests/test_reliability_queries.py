"""Hostile queries: never a 5xx, and nothing a request can make unbounded.

* every input of ``reliability_fixtures.HOSTILE_QUERIES`` on every search and facet
  route (page, htmx fragment, JSON API) of the real app on a real Tantivy index;
* hypothesis: arbitrary text through ``SearchRequest.build``, the Tantivy query
  compiler and a real search, and arbitrary parameters through the app;
* schemathesis against the app's own ``/api/openapi.json``, with data that fits the
  schema and data that does not (negative mode), checking no answer is a 5xx.

Times are not asserted here (see docs/reliability.md and benchmarks/load_hostile.py);
instead the tests check that what a request could inflate is clamped.
"""
from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reliability_fixtures import HOSTILE_PATHS, HOSTILE_QUERIES, HOSTILE_URLS
from search_service.backends import open_backend
from search_service.backends.tantivy_query import parse_user_query
from search_service.models import FACETS
from search_service.search import SearchRequest
from search_service.web import create_app
from search_service.search.facets import MAX_PREFIX_CHARS
from web_fixtures import corpus, web_config, write_articles

FRAGMENT = {"HX-Request": "true", "HX-Target": "search-region"}
FUZZ = settings(max_examples=300, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def index_config(tmp_path_factory):
    config = web_config(tmp_path_factory.mktemp("hostile-queries") / "data")
    write_articles(config, corpus())
    return config


@pytest.fixture(scope="module")
def app(index_config):
    return create_app(index_config)


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def backend(index_config):
    backend = open_backend(index_config)
    yield backend
    backend.close()


# --- the listed inputs ------------------------------------------------------------------------

@pytest.mark.parametrize("path", HOSTILE_PATHS)
@pytest.mark.parametrize("label,query", HOSTILE_QUERIES, ids=[label for label, _ in HOSTILE_QUERIES])
def test_hostile_query_is_answered_without_a_server_error(client, path, label, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200, (label, response.status_code, response.data[:300])
    assert response.headers.get("Content-Security-Policy")
    if path == "/search":
        fragment = client.get(f"{path}?{query}", headers=FRAGMENT)
        assert fragment.status_code == 200, (label, fragment.data[:300])


@pytest.mark.parametrize("label,url", HOSTILE_URLS, ids=[label for label, _ in HOSTILE_URLS])
def test_hostile_paths_are_4xx_or_200_never_5xx(client, label, url):
    response = client.get(url)
    assert response.status_code in (200, 404), (label, response.status_code, response.data[:300])


@pytest.mark.parametrize("raw", [b"q=\xff\xfe\xfd", b"q=caf\xe9", b"person=\xc3\x28&page=\xff", b"\xff=\xff"])
def test_raw_invalid_utf8_in_the_query_string_is_a_clear_400(client, raw):
    """Bytes that are not UTF-8, sent raw (gunicorn refuses such a request line with
    its own 400; the WSGI app must not turn it into a 500 behind another server)."""
    for path, is_json in (("/search", False), ("/api/search", True), ("/api/facets/person", True)):
        # WSGI carries the raw query bytes as a latin-1 string.
        response = client.get(path, environ_overrides={"QUERY_STRING": raw.decode("latin-1")})
        assert response.status_code == 400, (path, raw, response.data[:300])
        assert response.headers.get("Content-Security-Policy")
        if is_json:
            assert response.get_json()["error"]["message"] == "The address is not valid UTF-8."
        else:
            assert b"The address is not valid UTF-8." in response.data


def test_what_a_request_can_inflate_is_clamped(client, app):
    """The design bounds that keep every request's work finite."""
    limits = app.config["SETTINGS"].limits
    body = client.get("/api/search?q=" + "harbour+" * 12_800 + "&page=10000000&size=10000000").get_json()
    assert len(body["q"]) <= limits.max_query_chars
    assert body["page"] == limits.max_page and body["size"] == limits.max_size
    assert len(body["warnings"]) >= 3  # query cut, page and size clamped: each one said

    many = "&".join(f"person=P{i}" for i in range(1000))
    body = client.get(f"/api/search?{many}").get_json()
    assert len(body["filters"]) == limits.max_values_per_facet
    assert any("first" in w for w in body["warnings"])

    body = client.get("/api/facets/person?size=100000&prefix=" + "a" * 100_000).get_json()
    assert body["size"] <= limits.max_facet_size
    assert len(body["prefix"]) <= MAX_PREFIX_CHARS


# --- hypothesis: the parser, the request and a real search ----------------------------------

SYNTAX = ['"', "(", ")", "[", "]", "{", "}", ":", "*", "?", "~", "^", "+", "-", "!", "&&", "||", "\\", "/",
          " ", " ", " ", "AND", "OR", "NOT", "TO", "IN", "title:", "text:", "kind:", "doc_id:", "harbour",
          "ferry", "Kessel", "é", "2019", "1e9", "\x00", "\u200b", "\u202e", "ǅ", "ﬁ", "İ"]
queries = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(max_size=4)), max_size=40).map("".join),
)
loose = st.one_of(st.none(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
                  st.sampled_from(["1", "-1", "0", "99999999999999999999", " 7 ", "1e3", "nan"]))


@FUZZ
@given(text=queries)
def test_query_compiler_never_raises(text):
    parsed = parse_user_query(text)
    parsed.doc_query()
    parsed.passage_query()
    assert all(isinstance(e, str) and e for e in parsed.errors)


@FUZZ
@given(text=queries, page=loose, size=loose, facet_size=loose, sort=st.text(max_size=10),
       values=st.lists(st.one_of(st.text(max_size=30), st.integers()), max_size=30))
def test_search_request_build_never_raises_and_clamps(text, page, size, facet_size, sort, values):
    limits = SearchRequest().limits
    req = SearchRequest.build(q=text, page=page, size=size, facet_size=facet_size, sort=sort,
                              filters={facet: values for facet in FACETS}, excludes={"person": values})
    assert len(req.q) <= limits.max_query_chars
    assert 1 <= req.page <= limits.max_page and 1 <= req.size <= limits.max_size
    assert 1 <= req.facet_size <= limits.max_facet_size
    assert all(len(v) <= limits.max_values_per_facet for v in req.filters.values())
    assert SearchRequest.build(q=req.q, filters=req.filters, excludes=req.excludes, sort=req.sort,
                               page=req.page, size=req.size, facet_size=req.facet_size).to_args() == req.to_args()


@FUZZ
@given(text=queries, page=st.integers(min_value=-5, max_value=60))
def test_real_search_never_raises(backend, text, page):
    req = SearchRequest.build(q=text, page=page)
    result = backend.search(req)
    assert result.total >= 0 and len(result.hits) <= req.size


@FUZZ
@given(params=st.lists(st.tuples(st.sampled_from(["q", "page", "size", "sort", "person", "not_place", "year",
                                                  "mentioned_year", "facet_size", "prefix", "x"]), queries),
                       max_size=8),
       path=st.sampled_from(["/search", "/api/search", "/api/facets/person", "/facets/year"]))
def test_app_never_answers_5xx_to_arbitrary_parameters(client, params, path):
    query = "&".join(f"{quote(k)}={quote(v, safe='', errors='surrogatepass')}" for k, v in params)
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200, (path, query, response.data[:300])


# --- schemathesis against the app's own OpenAPI document ----------------------------------

@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_openapi_fuzz_never_gives_a_server_error(app, mode):
    schemathesis = pytest.importorskip("schemathesis")
    from schemathesis.checks import not_a_server_error
    from schemathesis.generation import GenerationMode

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()
        takes_query = any(p.get("in") == "query" for p in operation.definition.raw.get("parameters", []))
        if mode == "negative" and not takes_query:
            continue  # nothing to get wrong in a request without parameters

        @given(case=operation.as_strategy(generation_mode=GenerationMode(mode)))
        @settings(max_examples=60 if mode == "negative" else 40, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(checks=[not_a_server_error])

        check()
        checked.append(operation.path)
    assert {"/api/search", "/api/facets/{name}"} <= set(checked)
