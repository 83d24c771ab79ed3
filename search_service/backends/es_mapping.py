"""Elasticsearch index settings, mappings and the stored document shape (pure).

Design (see docs/architecture.md): one Elasticsearch document per article, its
passages as ``nested`` objects. ``hits.total`` then counts articles, and a
``terms`` aggregation on a root keyword field counts articles exactly (one
shard), which is what the facet labels promise. Matching passages come back as
``inner_hits``.

Field choices:

* entity facets (``person``/``organisation``/``place``) are ``keyword`` fields
  holding the display name exactly as the indexer wrote it, so counts, filters
  and labels agree with the embedded engine; a ``.folded`` sub-field (normalizer
  lowercase + asciifolding) serves the case- and accent-insensitive facet value
  search ("jiri" finds "Jiří");
* text is analysed like on the embedded engine (words of letters and digits,
  lowercase, ASCII folding, English stemming), plus an unstemmed ``.folded``
  sub-field for exact forms and prefix searches. The article's whole ``text``
  is indexed at the root, so a query matches the article as a whole (its words
  may sit in different passages, as on the embedded engine); ``passages.text``
  only ranks and highlights passages, and indexes offsets so the unified
  highlighter reads postings instead of re-analysing the text;
* ``published`` is a ``date``; ``published_year`` and ``mentioned_years`` are
  integers (terms aggregations give exact per-year counts);
* the article (``Article.to_dict()`` without its text, which the root ``text``
  field already carries in ``_source``) is kept in a non-indexed object for
  ``get``, export and reindex: the text travels twice per article (root and
  passages), not three times.
"""
from __future__ import annotations

from ..models import ENTITY_TYPES, Article

#: Analysis components shared by the mapping below. Words are runs of letters,
#: digits and combining marks — like the embedded engine's tokenizer, so
#: "Varga's" is the word "Varga" plus "s" and a highlight marks just "Varga".
#: ``english_words`` folds accents and stems; ``folded`` folds without stemming
#: (exact forms and prefix searches: "reports*" must not meet the stem "report").
ANALYSIS = {
    "tokenizer": {
        "words": {"type": "pattern", "pattern": "[^\\p{L}\\p{N}\\p{M}]+"},
    },
    "filter": {
        # Snowball's Porter2, as the embedded engine's stemmer (the "english" stemmer is Porter v1).
        "english_stemmer": {"type": "stemmer", "language": "porter2"},
        # Tokens over 40 characters (base64, glued URLs) are dropped, as the embedded
        # engine's remove_long(40); it also keeps every term far below Lucene's
        # 32,766-byte limit, over which a whole document is refused ("immense term").
        "long_tokens": {"type": "length", "max": 40},
    },
    "normalizer": {
        "folded": {"type": "custom", "filter": ["lowercase", "asciifolding"]},
    },
    "analyzer": {
        "english_words": {"type": "custom", "tokenizer": "words",
                          "filter": ["long_tokens", "lowercase", "asciifolding", "english_stemmer"]},
        "folded": {"type": "custom", "tokenizer": "words", "filter": ["long_tokens", "lowercase", "asciifolding"]},
    },
}

#: Settings while an index serves searches. ``auto_expand_replicas`` keeps one
#: replica once a second node joins and none on a single node (which would
#: otherwise stay yellow for ever).
LIVE_SETTINGS = {"refresh_interval": "1s", "auto_expand_replicas": "0-1"}

#: Settings during a full build: no refreshes, no replicas (tune-for-indexing-speed).
BUILD_SETTINGS = {"refresh_interval": "-1", "auto_expand_replicas": "false", "number_of_replicas": 0}

#: Passages (nested documents) one article may have. Elasticsearch's default of
#: 10,000 would refuse a very long text that the embedded engine indexes (a 20 MB
#: file has about 19,000 passages); 50,000 passages is a text of about 50 MB.
NESTED_PASSAGE_LIMIT = 50_000

#: One shard: article collections of this size fit one shard comfortably, and
#: terms aggregations on one shard are exact (see docs/architecture.md).
DEFAULT_SHARDS = 1


def _text_field(offsets: bool = True) -> dict:
    """A stemmed, accent-folded text field with an unstemmed sub-field; with
    ``offsets`` both index character offsets for fast highlighting."""
    options = {"index_options": "offsets"} if offsets else {}
    return {
        "type": "text",
        "analyzer": "english_words",
        **options,
        "fields": {"folded": {"type": "text", "analyzer": "folded", **options}},
    }


def _facet_field() -> dict:
    """Exact display value, plus a folded keyword for case/accent-insensitive value search."""
    return {
        "type": "keyword",
        "fields": {"folded": {"type": "keyword", "normalizer": "folded"}},
    }


def mappings(meta: dict | None = None) -> dict:
    """The index mapping. ``meta`` is stored as ``_meta`` (generation bookkeeping)."""
    properties = {
        "id": {"type": "keyword"},
        "title": _text_field(offsets=False),
        "text": _text_field(offsets=False),  # matching only; passages are highlighted
        "source": {"type": "keyword"},
        "source_hash": {"type": "keyword"},
        "published": {"type": "date", "format": "strict_date"},
        "published_year": {"type": "integer"},
        "mentioned_years": {"type": "integer"},
        "agency": {"type": "keyword"},
        "url": {"type": "keyword", "index": False, "doc_values": False},
        "passage_count": {"type": "integer"},
        "passages": {
            "type": "nested",
            "properties": {
                "index": {"type": "integer"},
                "start": {"type": "integer", "index": False},
                "end": {"type": "integer", "index": False},
                "text": _text_field(),
            },
        },
        # Kept only to hand the article back unchanged; never searched.
        "article": {"type": "object", "enabled": False},
    }
    for entity_type in ENTITY_TYPES:
        properties[entity_type] = _facet_field()
    # The stored article leaves its text out: the root text in _source is its one copy.
    body = {"dynamic": "strict", "properties": properties}
    if meta is not None:
        body["_meta"] = meta
    return body


def index_settings(building: bool, shards: int = DEFAULT_SHARDS) -> dict:
    """Settings for a new index; ``building`` turns off refreshes and replicas."""
    settings = {
        "number_of_shards": shards,
        "mapping": {"nested_objects": {"limit": NESTED_PASSAGE_LIMIT}},
        **(BUILD_SETTINGS if building else LIVE_SETTINGS),
    }
    return {"index": settings, "analysis": ANALYSIS}


def create_index_body(building: bool, meta: dict, shards: int = DEFAULT_SHARDS) -> dict:
    """Keyword arguments for ``indices.create`` (``settings`` and ``mappings``)."""
    return {"settings": index_settings(building, shards), "mappings": mappings(meta)}


#: ``_source`` fields that give an Article back (:func:`es_result.parse_article`).
ARTICLE_SOURCE = ["article", "text"]


def to_document(article: Article) -> dict:
    """The Elasticsearch ``_source`` for one article.

    Entity names are stored most-mentioned first, so a hit can show "the
    article's main people" by taking the first few without loading the article.
    """
    doc = {
        "id": article.id,
        "title": article.title,
        "text": article.text,
        "source": article.source,
        "source_hash": article.source_hash,
        "published": article.published.isoformat() if article.published else None,
        "published_year": article.published_year,
        "mentioned_years": sorted(set(article.mentioned_years)),
        "agency": article.agency,
        "url": article.url,
        "passage_count": len(article.passages),
        "passages": [
            {"index": p.index, "start": p.start, "end": p.end, "text": article.passage_text(p)}
            for p in article.passages
        ],
        "article": {k: v for k, v in article.to_dict().items() if k != "text"},
    }
    for entity_type in ENTITY_TYPES:
        # Each name once (a facet counts documents, not mentions), most mentioned first.
        doc[entity_type] = list(dict.fromkeys(name for name in article.names(entity_type) if name))
    return doc
