"""The engine-neutral facet rules (search_service.search.facets), tested once on
plain counts; tests/test_backend_contract.py checks both engines feed them right.
Names are invented."""
from __future__ import annotations

from search_service.search import SearchRequest
from search_service.search import facets as rules
from search_service.search.facets import FacetCounts


def rows(values):
    return [(v.value, v.count, v.selected, v.excluded) for v in values]


def test_counting_scope_lifts_own_selections_in_any_mode_only():
    req = SearchRequest.build(
        filters={"person": ["Ada"], "place": ["Orrin"]},
        ranges={"published_year": (2000, 2010)},
        modes={"place": "all"},
    )
    person = rules.counting_request(req, "person")
    assert person.selected("person") == () and person.selected("place") == ("Orrin",)
    assert person.range("published_year") == (2000, 2010)
    # all mode: the facet's own selections narrow its counts
    assert rules.counting_request(req, "place").selected("place") == ("Orrin",)
    # a year facet's own range does not narrow its own counts (a chart shows every year)
    assert rules.counting_request(req, "published_year").range("published_year") == (None, None)
    assert rules.shares_counts(req, "organisation") and not rules.shares_counts(req, "person")
    assert rules.shares_counts(req, "place")


def test_exclusion_scope_lifts_one_exclusion():
    req = SearchRequest.build(excludes={"person": ["Ada", "Bo"], "place": ["Orrin"]})
    lifted = rules.exclusion_request(req, "person", "Ada")
    assert lifted.excluded("person") == ("Bo",) and lifted.excluded("place") == ("Orrin",)
    assert rules.exclusion_request(req, "place", "Orrin").excludes == {"person": ("Ada", "Bo")}


def test_top_n_by_count_with_selected_pinned_and_excluded_appended():
    req = SearchRequest.build(filters={"person": ["Zed"]}, excludes={"person": ["Cy"]}, facet_size=2)
    counts = FacetCounts(top={"Ada": 5, "Bo": 3, "Eve": 3, "Zed": 1}, selected={}, removed={"Cy": 4})
    assert rows(rules.assemble(req, "person", counts)) == [
        ("Ada", 5, False, False), ("Bo", 3, False, False), ("Zed", 1, True, False), ("Cy", 4, False, True),
    ]
    # A selected value absent from the engine's top buckets takes its separate count (0 if none).
    outside = FacetCounts(top={"Ada": 5, "Bo": 3}, selected={"Zed": 2})
    assert rows(rules.assemble(req, "person", outside))[2] == ("Zed", 2, True, False)
    assert rows(rules.assemble(req, "person", FacetCounts(top={"Ada": 5})))[1] == ("Zed", 0, True, False)


def test_alphabetical_order_folds_case_and_accents():
    req = SearchRequest.build(facet_order="alpha", facet_size=3)
    counts = FacetCounts(top={"zoe": 9, "Ábel": 1, "adam": 2, "Ørn": 4, "Bea": 7})
    assert [v.value for v in rules.assemble(req, "person", counts)] == ["Ábel", "adam", "Bea"]
    by_count = SearchRequest.build(facet_size=3)
    assert [v.value for v in rules.assemble(by_count, "person", counts)] == ["zoe", "Bea", "Ørn"]
    # ties on count: A–Z, accents folded
    assert [v.value for v in rules.assemble(by_count, "person", FacetCounts(top={"Jiřina": 1, "Jiří D": 1}))] == [
        "Jiří D", "Jiřina",
    ]


def test_year_facets_are_complete_and_in_year_order():
    req = SearchRequest.build(facet_size=2, filters={"published_year": [1890]}, excludes={"published_year": [2001]})
    counts = FacetCounts(top={2020: 5, 1974: 1, 2008: 3}, selected={1890: 0}, removed={2001: 6})
    assert rows(rules.assemble(req, "published_year", counts)) == [
        (1890, 0, True, False), (1974, 1, False, False), (2008, 3, False, False), (2020, 5, False, False),
        (2001, 6, False, True),
    ]
    many = FacetCounts(top={year: 1 + year % 3 for year in range(1000, 1000 + rules.YEAR_VALUES + 50)})
    listed = rules.assemble(SearchRequest.build(), "mentioned_years", many)
    assert len(listed) == rules.YEAR_VALUES
    assert [v.value for v in listed] == sorted(v.value for v in listed)
    dropped = set(many.top) - {v.value for v in listed}
    assert max(many.top[y] for y in dropped) <= min(v.count for v in listed)  # the cap keeps the most documented


def test_bucket_sizes():
    assert rules.bucket_size(SearchRequest.build(facet_size=7), "person") == 7
    assert rules.bucket_size(SearchRequest.build(), "person", offset=300, size=50) == 350
    assert rules.bucket_size(SearchRequest.build(facet_order="alpha"), "person") == rules.ALL_VALUES
    assert rules.bucket_size(SearchRequest.build(), "published_year") == rules.YEAR_VALUES


def test_value_pages_cover_every_value_once():
    top = {f"Name {i:03d}": 1 + i % 7 for i in range(320)}
    for order in ("count", "alpha"):
        req = SearchRequest.build(facet_order=order, filters={"person": ["Name 005"]})
        seen = []
        for offset in range(0, 400, 50):
            seen += rules.value_page(req, "person", top, offset, 50)
        assert sorted(v.value for v in seen) == sorted(top)
        assert [v.value for v in seen if v.selected] == ["Name 005"]
    alpha = [v.value for v in rules.value_page(SearchRequest.build(facet_order="alpha"), "person", top, 0, 3)]
    assert alpha == ["Name 000", "Name 001", "Name 002"]


def test_value_search_prefix_is_collapsed_cut_and_explained():
    assert rules.value_search("person", "  jiri   dv ") == ("jiri dv", [])
    cut, hints = rules.value_search("person", "x" * 300)
    assert cut == "x" * rules.MAX_PREFIX_CHARS and hints == ["The facet search was cut to 100 characters."]
    assert rules.value_search("published_year", "19a")[1] == ["Years are found by their first digits, e.g. 19 or 198."]


def test_value_search_hints():
    assert rules.value_search_hints("published_year", "19x") == ["Years are found by their first digits, e.g. 19 or 198."]
    assert rules.value_search_hints("published_year", "19") == []
    assert rules.value_search_hints("person", "--") and rules.value_search_hints("person", "nov") == []
    assert rules.value_search_hints("person", "") == []
    assert rules.year_prefix_matches(1989, "19") and not rules.year_prefix_matches(1989, "20")
