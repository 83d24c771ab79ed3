"""The request model's new parameters: match modes, year ranges, facet order,
the default sort, and ``to_args`` as the one inverse of ``from_args``."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import given, strategies as st
from werkzeug.datastructures import MultiDict

from search_service.search import SearchRequest


def parse(query: str) -> SearchRequest:
    from urllib.parse import parse_qsl

    return SearchRequest.from_args(MultiDict(parse_qsl(query, keep_blank_values=True)))


def test_match_modes_per_facet():
    req = parse("person=A&person=B&person_mode=all&organisation_mode=any&place_mode=all&mentioned_year_mode=all")
    assert req.mode("person") == "all" and req.mode("organisation") == "any"
    assert req.mode("place") == "all" and req.mode("mentioned_years") == "all"
    assert req.modes == {"person": "all", "place": "all", "mentioned_years": "all"}
    assert ("person_mode", "all") in req.to_args() and ("organisation_mode", "any") not in req.to_args()
    assert req.warnings == ()


def test_bad_modes_are_warnings():
    req = parse("person_mode=both&year_mode=all")
    assert req.modes == {} and req.mode("person") == "any"
    assert any("match mode 'both'" in w for w in req.warnings)
    # year published has one value per document: no mode (not even a URL name for one)
    assert SearchRequest.build(modes={"published_year": "all"}).modes == {}


def test_year_ranges_are_inclusive_clamped_and_ordered():
    req = parse("year_from=1990&year_to=2000&mentioned_year_to=1950")
    assert req.range("published_year") == (1990, 2000)
    assert req.range("mentioned_years") == (None, 1950)
    assert req.range("person") == (None, None)
    assert req.has_filters
    assert parse("year_from=2000&year_to=1990").range("published_year") == (1990, 2000)
    clamped = parse("year_from=0&year_to=123456")
    assert clamped.range("published_year") == (1, 9999) and len(clamped.warnings) == 2
    bad = parse("year_from=abc&mentioned_year_from=")
    assert bad.ranges == {} and bad.warnings == ("Ignored year_from 'abc': not a number.",)


def test_facet_order():
    assert parse("").facet_order == "count"
    assert parse("facet_order=alpha").facet_order == "alpha"
    odd = parse("facet_order=size")
    assert odd.facet_order == "count" and odd.warnings == ("Unknown facet order 'size'; ordered by count.",)


def test_default_sort_is_newest_without_query_and_relevance_with_one():
    assert parse("").sort == "newest" and parse("q=harbour").sort == "relevance"
    # An explicit choice is kept and written back only when it is not the default.
    assert parse("sort=relevance").sort == "relevance" and parse("sort=relevance").to_args() == [("sort", "relevance")]
    assert parse("q=x&sort=newest").to_args() == [("q", "x"), ("sort", "newest")]
    assert parse("sort=newest").to_args() == [] and parse("q=x&sort=relevance").to_args() == [("q", "x")]
    assert parse("q=x&sort=best").warnings == ("Unknown sort 'best'; sorted by relevance.",)


ARG_LISTS = st.lists(
    st.tuples(
        st.sampled_from([
            "q", "person", "not_person", "place", "year", "not_year", "mentioned_year", "person_mode", "place_mode",
            "mentioned_year_mode", "year_from", "year_to", "mentioned_year_from", "mentioned_year_to", "sort",
            "facet_order", "page", "size", "facet_size",
        ]),
        st.sampled_from(["", "all", "any", "1999", "2020", "Ana", "Bo", "newest", "oldest", "relevance", "alpha", "3"]),
    ),
    max_size=12,
)


@given(ARG_LISTS)
def test_to_args_is_the_inverse_of_from_args_and_never_repeats_a_parameter(pairs):
    req = SearchRequest.from_args(MultiDict(pairs))
    args = req.to_args()
    again = SearchRequest.from_args(MultiDict(args))
    # the same request (warnings about dropped input aside), written the same way
    assert replace(again, warnings=()) == replace(req, warnings=()) and again.to_args() == args
    repeated = [name for name, n in Counter(name for name, _ in args).items() if n > 1]
    # Only a facet's several values share one name.
    assert set(repeated) <= {"person", "not_person", "place", "year", "not_year", "mentioned_year"}
    assert len(args) == len(set(args))


@pytest.mark.parametrize("query", ["size=20&facet_size=5", "facet_size=5&page=2"])
def test_facet_size_round_trips(query):
    req = parse(query)
    assert parse("&".join(f"{k}={v}" for k, v in req.to_args())) == req
