"""The document model shared by the indexer, every backend and the web layer.

An :class:`Article` is what the indexer produces and a backend stores; a backend
hands the same object back from :meth:`Backend.get`. Entity types and facet names
are defined here once so the pipeline, the engines and the templates agree.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

#: Entity types, in the order the UI shows them.
ENTITY_TYPES = ("person", "organisation", "place")

#: Every facet a search can filter on. Entity facets hold display names; year
#: facets hold integers.
FACETS = ("person", "organisation", "place", "published_year", "mentioned_years")
YEAR_FACETS = ("published_year", "mentioned_years")


def shown_source(url: str | None, source_label: str) -> str:
    """The source as users know it: the record's original URL when it has one,
    else the path relative to the folder that was indexed (``file#record`` for a
    record). Never the server's own file path. The one rule for every page, API
    answer, export and CLI line."""
    return url or source_label


@dataclass
class Passage:
    """A slice of an article's text, cut on sentence boundaries.

    ``start``/``end`` are character offsets into :attr:`Article.text`, so the UI
    can show the passage in place and anchor to it.
    """

    index: int
    start: int
    end: int


@dataclass
class Entity:
    """One real-world entity as it appears in one article.

    ``name`` is the canonical display name (the facet value); ``mentions`` are
    character spans in the article text, used to mark it on the document page;
    ``variants`` maps each surface form merged into this entity ("Ms Varga",
    "VARGA") to its number of mentions, filled when the indexer resolves the
    mentions into one entity (empty in articles stored before it existed).
    """

    type: str
    name: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    variants: dict[str, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.mentions)


def surface_forms(text: str, mentions) -> dict[str, int]:
    """Surface form → number of mentions, from mention spans into ``text``
    (whitespace runs collapsed; empty spans skipped)."""
    forms: dict[str, int] = {}
    for start, end in mentions:
        form = " ".join(text[start:end].split())
        if form:
            forms[form] = forms.get(form, 0) + 1
    return forms


@dataclass
class Article:
    """An article ready to be written to (or as read back from) a search backend."""

    id: str
    text: str
    title: str = ""
    source: str = ""  # resolved path of the file it came from (the identity; never shown to users)
    source_hash: str = ""  # content hash of that file, for incremental indexing
    published: dt.date | None = None
    agency: str | None = None  # news agency / source named in a dateline or record
    url: str | None = None
    passages: list[Passage] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    mentioned_years: list[int] = field(default_factory=list)
    #: What users see for the source: the path relative to the indexed folder, "file#record"
    #: for a record ("" for articles stored before it existed).
    source_label: str = ""

    @property
    def published_year(self) -> int | None:
        return self.published.year if self.published else None

    def names(self, entity_type: str) -> list[str]:
        """Display names of this article's entities of one type, most mentioned first."""
        ents = [e for e in self.entities if e.type == entity_type]
        ents.sort(key=lambda e: (-e.count, e.name))
        return [e.name for e in ents]

    def passage_text(self, passage: Passage) -> str:
        return self.text[passage.start:passage.end]

    def to_dict(self) -> dict:
        """A JSON-ready dict (dates as ISO strings); inverse of :meth:`from_dict`."""
        # Written out rather than dataclasses.asdict: asdict deep-copies every
        # mention tuple, which was half the Python cost of writing an article.
        return {
            "id": self.id,
            "text": self.text,
            "title": self.title,
            "source": self.source,
            "source_hash": self.source_hash,
            "published": self.published.isoformat() if self.published else None,
            "agency": self.agency,
            "url": self.url,
            "passages": [{"index": p.index, "start": p.start, "end": p.end} for p in self.passages],
            "entities": [
                {"type": e.type, "name": e.name, "mentions": [list(m) for m in e.mentions],
                 "variants": dict(e.variants)}
                for e in self.entities
            ],
            "mentioned_years": list(self.mentioned_years),
            "source_label": self.source_label,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Article":
        data = dict(data)
        published = data.get("published")
        data["published"] = dt.date.fromisoformat(published) if published else None
        data["passages"] = [Passage(**p) for p in data.get("passages") or []]
        data["entities"] = [
            Entity(type=e["type"], name=e["name"], mentions=[tuple(m) for m in e.get("mentions") or []],
                   variants=dict(e.get("variants") or {}))  # absent in articles stored before variants
            for e in data.get("entities") or []
        ]
        return cls(**data)

    def export_record(self) -> dict:
        """The JSON Lines record written by ``search-service export``."""
        return {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "person": self.names("person"),
            "organisation": self.names("organisation"),
            "place": self.names("place"),
            "published_year": self.published_year,
            "mentioned_years": sorted(self.mentioned_years),
        }
