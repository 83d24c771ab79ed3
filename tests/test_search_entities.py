"""The engine-neutral association maths of entity pages and related entities
(search_service.search.entities). Invented names only."""
from __future__ import annotations

import datetime as dt
import math

import pytest

from search_service.models import Article, Entity, Passage
from search_service.search import SearchRequest
from search_service.search import entities as ent


def test_g2_matches_the_textbook_formula_and_is_signed():
    # 2×2 table k11=10, k12=10, k21=10, k22=970 (A: 20 docs, B: 20 docs, N=1000)
    cells, expected = [10, 10, 10, 970], [0.4, 19.6, 19.6, 960.4]
    by_hand = 2 * sum(o * math.log(o / e) for o, e in zip(cells, expected))
    assert ent.g2(10, 20, 20, 1000) == pytest.approx(by_hand)
    # fewer shared documents than independence predicts: negative
    assert ent.g2(1, 500, 500, 1000) < 0
    # exactly as expected: nothing
    assert ent.g2(5, 10, 500, 1000) == pytest.approx(0.0)
    # counts that cannot be one table (taken at different moments) score 0
    assert ent.g2(5, 3, 10, 100) == 0.0


def test_a_name_found_everywhere_ranks_below_a_rarer_name_with_fewer_shared_documents():
    # X is in 20 of 1000 documents. "Everywhere" is in 900 documents and 18 of X's;
    # "Partner" is in 12 documents, 10 of them X's.
    ranked = ent.rank([("Everywhere", 18), ("Partner", 10)], 20, {"Everywhere": 900, "Partner": 12}, 1000,
                      min_support=1, size=5)
    assert [a.value for a in ranked] == ["Partner", "Everywhere"]
    assert ranked[0].documents == 10 and ranked[0].score > 30
    assert abs(ranked[1].score) < 1


def test_rank_applies_support_skip_size_and_positive_only():
    counts = [("A", 5), ("B", 1), ("C", 4), ("D", 3)]
    background = {"A": 5, "B": 1, "C": 900, "D": 3}
    assert [a.value for a in ent.rank(counts, 10, background, 1000, min_support=2, size=5)] == ["A", "D", "C"]
    positive = ent.rank(counts, 10, background, 1000, min_support=2, size=5, positive_only=True)
    assert [a.value for a in positive] == ["A", "D"]
    assert [a.value for a in ent.rank(counts, 10, background, 1000, 1, size=1, skip={"A"})] == ["D"]


def _article(doc_id, text, sentences, entities, published=None):
    passages, pos = [], 0
    for i, sentence in enumerate(sentences):
        start = text.index(sentence, pos)
        passages.append(Passage(i, start, start + len(sentence)))
        pos = start + len(sentence)
    return Article(id=doc_id, text=text, title=f"Title {doc_id}", passages=passages, entities=entities,
                   published=published)


def test_variants_sum_stored_forms_and_fall_back_to_mention_text():
    new = _article("a", "Orla Fenn spoke. Ms Fenn left.", ["Orla Fenn spoke.", "Ms Fenn left."],
                   [Entity("person", "Orla Fenn", [(0, 9), (17, 24)], {"Orla Fenn": 1, "Ms Fenn": 1})])
    old = _article("b", "FENN agreed with Orla Fenn.", ["FENN agreed with Orla Fenn."],
                   [Entity("person", "Orla Fenn", [(0, 4), (17, 26)])])  # stored before variants
    assert ent.variants([new, old], "person", "Orla Fenn") == [("Orla Fenn", 2), ("FENN", 1), ("Ms Fenn", 1)]
    assert ent.variants([new], "place", "Orla Fenn") == []


def test_best_passages_prefer_more_mentions_then_newer_documents():
    text = "Orla Fenn spoke. Nothing here. Orla Fenn and Orla Fenn again."
    a = _article("a", text, ["Orla Fenn spoke.", "Nothing here.", "Orla Fenn and Orla Fenn again."],
                 [Entity("person", "Orla Fenn", [(0, 9), (31, 40), (45, 54)])], dt.date(2020, 1, 1))
    b = _article("b", "Orla Fenn once.", ["Orla Fenn once."], [Entity("person", "Orla Fenn", [(0, 9)])])
    c = _article("c", "No mention.", ["No mention."], [])
    passages = ent.best_passages([b, c, a], "person", "Orla Fenn")
    assert [(p.doc_id, p.index) for p in passages] == [("a", 2), ("b", 0)]
    assert passages[0].text == "Orla Fenn and Orla Fenn again." and passages[0].mentions == [(0, 9), (14, 23)]
    assert ent.best_passages([b, a], "person", "Orla Fenn", size=1)[0].doc_id == "a"


def test_profile_leaves_out_the_entity_itself():
    counts = ent.EntityCounts(
        type="person", value="Orla Fenn", documents=2, total=10, published_years=[(2021, 1), (2019, 1)],
        mentioned_years=[], co_counts={"person": [("Orla Fenn", 2), ("Ivo Lund", 2)], "place": [("Tarn", 1)]},
        background={"person": {"Orla Fenn": 2, "Ivo Lund": 2}, "place": {"Tarn": 9}}, articles=[],
    )
    page = ent.profile(counts)
    assert [a.value for a in page.co_mentions["person"]] == ["Ivo Lund"]
    assert page.co_mentions["person"][0].score > 0 and page.co_mentions["place"][0].score < 0
    assert page.co_mentions["organisation"] == [] and page.published_years == [(2019, 1), (2021, 1)]


def test_related_needs_a_query_or_filter_and_skips_selected_values():
    assert not ent.wants_related(SearchRequest.build())
    assert ent.wants_related(SearchRequest.build(q="tide"))
    assert ent.wants_related(SearchRequest.build(excludes={"place": ["Tarn"]}))
    request = SearchRequest.build(filters={"person": ["Orla Fenn"]})
    counts = ent.RelatedCounts(foreground=4, total=100, counts={"person": [("Orla Fenn", 4), ("Ivo Lund", 3)]},
                               background={"person": {"Orla Fenn": 4, "Ivo Lund": 5}})
    related = ent.related(counts, request)
    assert [a.value for a in related["person"]] == ["Ivo Lund"] and related["place"] == []


@pytest.mark.parametrize("raw, cleaned", [("  Orla   Fenn ", "Orla Fenn"), ("", None), ("x" * 201, None),
                                          ("Zoë/Ørsted \"Q\"", "Zoë/Ørsted \"Q\"")])
def test_clean_value(raw, cleaned):
    assert ent.clean_value(raw) == cleaned
