"""Small builders of test articles for the backend tests (invented names only).

Each sentence becomes one passage; entities get real mention spans (every
occurrence of the name in the text, or one span at 0 if it is not written out).
"""
from __future__ import annotations

import datetime as dt
import unicodedata

from search_service.models import Article, Entity, Passage


def passages_for(text: str, sentences: list[str]) -> list[Passage]:
    """One passage per sentence, with offsets into ``text``."""
    passages, pos = [], 0
    for i, sentence in enumerate(sentences):
        start = text.index(sentence, pos)
        passages.append(Passage(index=i, start=start, end=start + len(sentence)))
        pos = start + len(sentence)
    return passages


def _mentions(text: str, name: str) -> list[tuple[int, int]]:
    spans, start = [], text.find(name)
    while start >= 0:
        spans.append((start, start + len(name)))
        start = text.find(name, start + 1)
    return spans or [(0, 0)]


def make_article(
    doc_id: str,
    sentences: list[str],
    title: str = "",
    source: str | None = None,
    source_hash: str = "hash-1",
    published: dt.date | None = None,
    person=(),
    organisation=(),
    place=(),
    mentioned_years=(),
    agency: str | None = None,
) -> Article:
    """An article whose passages are its sentences and whose entities are the given names."""
    text = " ".join(sentences)
    entities = [
        Entity(type=etype, name=name, mentions=_mentions(text, name))
        for etype, names in (("person", person), ("organisation", organisation), ("place", place))
        for name in names
    ]
    return Article(
        id=doc_id,
        text=text,
        title=title,
        source=source if source is not None else f"corpus/{doc_id}.txt",
        source_hash=source_hash,
        published=published,
        agency=agency,
        url=None,
        passages=passages_for(text, sentences),
        entities=entities,
        mentioned_years=list(mentioned_years),
    )


def fold(text: str) -> str:
    """Lower-case, accent-free form, as a check independent of the engines."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def names(facet_values) -> list:
    return [fv.value for fv in facet_values]


def counts(facet_values) -> dict:
    return {fv.value: fv.count for fv in facet_values}
