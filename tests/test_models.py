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
        mentioned_years=[2019],
    )


def test_to_dict_round_trips_and_covers_every_field():
    article = _article()
    data = article.to_dict()
    assert set(data) == {f.name for f in fields(Article)}, "to_dict must list every field"
    assert data["published"] == "2020-05-01"
    assert Article.from_dict(data) == article


def test_export_record_lists_names_by_mentions():
    article = _article()
    article.entities.append(Entity("person", "Olek Brandt", [(0, 1), (2, 3)]))
    record = article.export_record()
    assert record["person"] == ["Olek Brandt", "Marta Kessel"]
    assert record["published_year"] == 2020 and record["mentioned_years"] == [2019]
