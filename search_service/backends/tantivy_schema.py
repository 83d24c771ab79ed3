"""The Tantivy index layout: analyzers, schema, and how an Article becomes records.

One index holds two kinds of records, told apart by the ``kind`` field:

* ``doc`` — one per article: searchable ``title`` and ``text``, the facet fields,
  the sort date, and the whole Article as stored JSON (``article``), which is what
  :meth:`get`, export and reindex read back.
* ``passage`` — one per passage: its text (``ptext``), the article id and the
  passage number. Passage text lives in its own field so the document statistics
  used for ranking articles are not diluted by passage records.

Both kinds carry ``doc_id`` and ``source`` so one delete-by-term removes an
article (or a whole file) with all its passages, and ``dockey`` — a 64-bit hash of
the id in a fast field — so passage hits can be grouped by article without
touching the document store.
"""
from __future__ import annotations

import hashlib
import json
import os
import re

import tantivy
from tantivy import Document, Filter, Index, SchemaBuilder, TextAnalyzerBuilder, Tokenizer

from ..models import ENTITY_TYPES, Article

#: Bump when the schema changes; an index built with another version must be rebuilt.
SCHEMA_VERSION = 1
SCHEMA_VERSION_FILE = "tantivy_schema_version"

#: Name under which the text analyzer is registered on every opened Index.
TEXT_TOKENIZER = "en_folded"

DOC, PASSAGE = "doc", "passage"
#: Separator between the folded and the display form in ``<type>_key`` fields.
KEY_SEP = "\x1f"
#: Separator between source path and content hash in ``source_key``.
SOURCE_SEP = "\x00"


def _text_builder():
    # The simple tokenizer splits on anything not alphanumeric; very long tokens
    # (base64, URLs glued together) are noise and would bloat the dictionary.
    return (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.remove_long(40))
        .filter(Filter.lowercase())
        .filter(Filter.ascii_fold())
    )


#: The analyzer of every searchable text field: "Jiří" → "jiri", "reports" → "report".
TEXT_ANALYZER = _text_builder().filter(Filter.stemmer("english")).build()
#: The same without stemming, for the typed part of a prefix search ("report*").
FOLD_ANALYZER = _text_builder().build()
#: Folds a whole facet value ("Jiří Dvorník" → "jiri dvornik") for facet-value search.
_NAME_FOLDER = TextAnalyzerBuilder(Tokenizer.raw()).filter(Filter.lowercase()).filter(Filter.ascii_fold()).build()


def fold_name(name: str) -> str:
    """Lower-case, accent-free form of a display name (one string, spaces kept)."""
    tokens = _NAME_FOLDER.analyze(name)
    return tokens[0] if tokens else ""


def fold_words(text: str) -> str:
    """Folded words of ``text`` joined by single spaces ("Ana-María" → "ana maria"),
    so a word start is simply the string start or a space."""
    return " ".join(w for w in re.split(r"[\W_]+", fold_name(text)) if w)


def facet_key(name: str) -> str:
    """The ``<type>_key`` term of a display name: folded words, separator, name."""
    return fold_words(name) + KEY_SEP + name


def dockey(doc_id: str) -> int:
    """A stable 64-bit key for an article id (fast-field friendly)."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8).digest(), "big")


def article_order(doc_id: str) -> tuple[int, str]:
    """The order in which the index streams articles (``iter_articles``): by ``dockey``,
    then by id for the rare ids whose hashes collide."""
    return dockey(doc_id), doc_id


def build_schema() -> tantivy.Schema:
    """The schema of schema version :data:`SCHEMA_VERSION`."""
    sb = SchemaBuilder()
    raw = dict(tokenizer_name="raw", index_option="basic")
    sb.add_text_field("kind", **raw)
    sb.add_text_field("doc_id", **raw)
    sb.add_unsigned_field("dockey", indexed=True, fast=True)
    sb.add_text_field("source", **raw)
    sb.add_text_field("source_key", **raw)
    sb.add_text_field("title", tokenizer_name=TEXT_TOKENIZER, index_option="position")
    sb.add_text_field("text", tokenizer_name=TEXT_TOKENIZER, index_option="position")
    sb.add_text_field("ptext", tokenizer_name=TEXT_TOKENIZER, index_option="position")
    sb.add_unsigned_field("pindex", fast=True)
    for etype in ENTITY_TYPES:
        sb.add_text_field(etype, fast=True, **raw)
        sb.add_text_field(etype + "_key", fast=True, **raw)
    sb.add_integer_field("published_year", indexed=True, fast=True)
    sb.add_integer_field("mentioned_years", indexed=True, fast=True)
    # yyyymmdd; documents without a date have no value, which tantivy sorts last
    # in both directions (checked in tests).
    sb.add_integer_field("published", fast=True)
    sb.add_bytes_field("article", stored=True)
    return sb.build()


SCHEMA = build_schema()


def _register(index: Index) -> Index:
    # Custom analyzers live in memory only: every Index object, for writing or
    # reading, must register them or queries and writes on these fields fail.
    index.register_tokenizer(TEXT_TOKENIZER, TEXT_ANALYZER)
    return index


def create_index(path: str) -> Index:
    """Create an empty index in the existing, empty directory ``path``."""
    index = _register(Index(SCHEMA, path=path, reuse=False))
    with open(os.path.join(path, SCHEMA_VERSION_FILE), "w", encoding="ascii") as fh:
        fh.write(str(SCHEMA_VERSION))
    return index


def schema_version(path: str) -> int | None:
    """The schema version recorded in an index directory (None if unknown)."""
    try:
        with open(os.path.join(path, SCHEMA_VERSION_FILE), encoding="ascii") as fh:
            return int(fh.read().strip())
    except (OSError, ValueError):
        return None


def open_index(path: str) -> Index:
    """Open an existing index directory (raises ValueError if Tantivy cannot)."""
    return _register(Index.open(path))


def article_records(article: Article) -> list[Document]:
    """The doc record and the passage records that store one article."""
    key = dockey(article.id)
    doc = Document()
    doc.add_text("kind", DOC)
    doc.add_text("doc_id", article.id)
    doc.add_unsigned("dockey", key)
    doc.add_text("source", article.source)
    doc.add_text("source_key", article.source + SOURCE_SEP + article.source_hash)
    doc.add_text("title", article.title)
    doc.add_text("text", article.text)
    for etype in ENTITY_TYPES:
        # One value per distinct name: facet counts are documents, not mentions.
        for name in sorted({e.name for e in article.entities if e.type == etype and e.name}):
            doc.add_text(etype, name)
            doc.add_text(etype + "_key", facet_key(name))
    if article.published:
        doc.add_integer("published_year", article.published.year)
        doc.add_integer("published", int(article.published.strftime("%Y%m%d")))
    for year in sorted(set(article.mentioned_years)):
        doc.add_integer("mentioned_years", int(year))
    doc.add_bytes("article", json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8"))
    records = [doc]
    for passage in article.passages:
        rec = Document()
        rec.add_text("kind", PASSAGE)
        rec.add_text("doc_id", article.id)
        rec.add_unsigned("dockey", key)
        rec.add_text("source", article.source)
        rec.add_unsigned("pindex", passage.index)
        rec.add_text("ptext", article.passage_text(passage))
        records.append(rec)
    return records


def stored_article(document: Document) -> Article:
    """The Article stored in a doc record."""
    return Article.from_dict(json.loads(bytes(document.get_first("article")).decode("utf-8")))
