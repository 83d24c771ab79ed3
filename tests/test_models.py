"""The shared document model: JSON round trip and export records."""
import datetime as dt
from dataclasses import fields

from search_service.models import Article, Entity, Passage


def _article() -> Article:
    return Article(
        id="a1", text="Marta Kessel visited Norrvik in 2019.", title="Visit", source="/c/a.txt", source_hash="h",
        published=dt.date(2020, 5, 1), agency="Coastline News Agency", url="https://example.org/a",
        passages=[Passage(0, 0, 37)],
        entities=[Entity("person", "Marta Kessel", [(0, 12)]), Entity("place", "Norrvik", [(21, 28)])],
        mentioned_years=[2019], source_label="a.txt",
    )


def test_to_dict_round_trips_and_covers_every_field():
    article = _article()
    data = article.to_dict()
    assert set(data) == {f.name for f in fields(Article)}, "to_dict must list every field"
    assert data["published"] == "2020-05-01"
    assert Article.from_dict(data) == article


def test_an_article_stored_before_source_label_existed_still_loads():
    data = _article().to_dict()
    del data["source_label"]
    assert Article.from_dict(data).source_label == ""


def test_export_record_lists_names_by_mentions():
    article = _article()
    article.entities.append(Entity("person", "Olek Brandt", [(0, 1), (2, 3)]))
    record = article.export_record()
    assert record["person"] == ["Olek Brandt", "Marta Kessel"]
    assert record["published_year"] == 2020 and record["mentioned_years"] == [2019]


def test_entity_variants_round_trip_and_old_records_still_load():
    article = _article()
    article.entities[0].variants = {"Marta Kessel": 1, "Ms Kessel": 2}
    data = article.to_dict()
    assert data["entities"][0]["variants"] == {"Marta Kessel": 1, "Ms Kessel": 2}
    assert Article.from_dict(data) == article
    for entity in data["entities"]:  # an article stored before variants existed
        del entity["variants"]
    old = Article.from_dict(data)
    assert [e.variants for e in old.entities] == [{}, {}]
    assert old.entities[0].mentions == [(0, 12)]


def test_surface_forms_count_each_written_form():
    from search_service.models import surface_forms

    text = "Marta Kessel met KESSEL; Marta  Kessel left."
    spans = [(0, 12), (17, 23), (25, 38), (5, 5)]
    assert surface_forms(text, spans) == {"Marta Kessel": 2, "KESSEL": 1}


def test_the_source_users_see_is_the_url_else_the_relative_label():
    from search_service.models import shown_source

    assert shown_source("https://news.example/a", "wire/a.txt") == "https://news.example/a"
    assert shown_source(None, "wire/a.txt") == "wire/a.txt"
    assert shown_source("", "") == ""
