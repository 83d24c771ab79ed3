"""Search state ↔ URL: toggling, excluding, removing and clearing facet values."""
from urllib.parse import parse_qsl, urlsplit

import pytest
from werkzeug.datastructures import MultiDict

from search_service.search import Limits, SearchRequest
from search_service.web import state


def req(query: str) -> SearchRequest:
    return SearchRequest.from_args(MultiDict(parse_qsl(query)), limits=Limits())


def args(r: SearchRequest) -> list[tuple[str, str]]:
    return r.to_args()


def test_toggle_adds_a_second_value_of_the_same_facet_and_resets_the_page():
    r = state.toggled(req("q=rail&person=Ana+Lind&page=3"), "person", "Bo Rask")
    assert r.selected("person") == ("Ana Lind", "Bo Rask")
    assert r.page == 1
    assert args(r) == [("q", "rail"), ("person", "Ana Lind"), ("person", "Bo Rask")]


def test_toggle_removes_a_selected_value_and_lifts_an_exclusion():
    r = req("person=Ana+Lind&not_place=Brebo")
    assert state.toggled(r, "person", "Ana Lind").selected("person") == ()
    swapped = state.toggled(r, "place", "Brebo")
    assert swapped.selected("place") == ("Brebo",) and swapped.excluded("place") == ()


def test_exclude_toggles_and_replaces_a_selection():
    r = state.excluded(req("person=Ana+Lind"), "person", "Ana Lind")
    assert r.selected("person") == () and r.excluded("person") == ("Ana Lind",)
    assert args(r) == [("not_person", "Ana Lind")]
    assert state.excluded(r, "person", "Ana Lind").excluded("person") == ()


def test_year_values_are_compared_as_numbers():
    r = req("year=1999&mentioned_year=2001")
    assert state.toggled(r, "published_year", "1999").selected("published_year") == ()
    assert state.toggled(r, "mentioned_years", 2002).selected("mentioned_years") == (2001, 2002)


def test_removed_and_cleared_keep_text_and_sort():
    r = req("q=rail&sort=newest&person=Ana+Lind&not_person=Bo+Rask&year=2001")
    assert args(state.removed(r, "person", "Bo Rask")) == [
        ("q", "rail"), ("person", "Ana Lind"), ("year", "2001"), ("sort", "newest")]
    assert args(state.cleared(r)) == [("q", "rail"), ("sort", "newest")]


def test_state_pairs_hold_only_filters_for_the_hidden_form_inputs():
    r = req("q=rail&sort=oldest&page=2&size=20&place=Brebo&not_year=1999")
    assert state.state_pairs(r) == [("place", "Brebo"), ("not_year", "1999")]


def test_with_query_encodes_values_round_trip():
    url = state.with_query("/search", [("person", "Åsa & Co"), ("q", '"x" -y')])
    assert urlsplit(url).path == "/search"
    assert parse_qsl(urlsplit(url).query) == [("person", "Åsa & Co"), ("q", '"x" -y')]
    assert state.with_query("/search", []) == "/search"


def test_facet_for_param_accepts_url_names_and_facet_names():
    assert state.facet_for_param("year") == "published_year"
    assert state.facet_for_param("mentioned_years") == "mentioned_years"
    assert state.facet_for_param("bogus") is None


def test_dom_ids_are_stable_and_distinct():
    assert state.dom_id("f", "person", "Ana") == state.dom_id("f", "person", "Ana")
    assert state.dom_id("f", "person", "Ana") != state.dom_id("f", "place", "Ana")
    assert state.dom_id("f", "published_year", 1999).startswith("f-year-")


SAMPLES = [
    "", "q=rail", "q=rail&person=Ana+Lind&person=Bo+Rask&not_place=Brebo&year=1999&sort=newest&page=3&size=20",
    "not_person=Ana+Lind&mentioned_year=2001&not_mentioned_year=1999&organisation=A%26B",
    "q=%22x+y%22+-z&place=%C3%85s&sort=oldest",
]


@pytest.mark.parametrize("query", SAMPLES)
def test_every_link_parses_back_to_the_request_its_transition_gives(query):
    r = req(query)
    links = state.Links(r, "/search")

    def parsed(url: str) -> SearchRequest:
        parts = urlsplit(url)
        assert parts.path == "/search"
        pairs = parse_qsl(parts.query)
        # no parameter twice, except the several values of one facet
        singles = [k for k, _ in pairs if k in ("q", "sort", "page", "size", "facet_size")]
        assert len(singles) == len(set(singles)), url
        return req(parts.query)

    for facet, value in [("person", "Ana Lind"), ("person", "Cy Dahl"), ("place", "Brebo"),
                         ("published_year", 1999), ("mentioned_years", "2001"), ("organisation", "A&B")]:
        assert parsed(links.toggle(facet, value)) == state.toggled(r, facet, value)
        assert parsed(links.exclude(facet, value)) == state.excluded(r, facet, value)
        assert parsed(links.remove(facet, value)) == state.removed(r, facet, value)
    assert parsed(links.clear()) == state.cleared(r)
    for page in (1, 2, 7):
        assert parsed(links.page(page)) == state.paged(r, page)
    for sort in ("relevance", "newest", "oldest"):
        assert parsed(links.sort(sort)) == state.sorted_by(r, sort)


@pytest.mark.parametrize("current, last, shown", [
    (1, 1, [1]),
    (1, 4, [1, 2, 3, 4]),
    (4, 4, [1, 2, 3, 4]),  # not "1 … 2 3 4"
    (1, 5, [1, 2, 3, 4, 5]),  # a one-page gap shows the page
    (1, 6, [1, 2, 3, None, 6]),
    (3, 5, [1, 2, 3, 4, 5]),  # not "1 2 3 … 4"
    (5, 10, [1, 2, 3, 4, 5, 6, 7, None, 10]),
    (6, 12, [1, None, 4, 5, 6, 7, 8, None, 12]),
    (12, 12, [1, None, 10, 11, 12]),
])
def test_page_numbers_have_no_false_gaps(current, last, shown):
    from search_service.web.presenters import page_numbers
    assert page_numbers(current, last) == shown
