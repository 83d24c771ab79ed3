"""What the indexer learned about each text, kept so it is never computed twice.

One SQLite file, ``DATA_DIR/analysis.sqlite`` (standard library only), with three tables:

* ``ner`` — raw NER spans ``(start, end, label)`` of a text, keyed by the text's
  content hash and the spaCy model's name *and* version: a changed text or model
  misses, so NER runs again only then;
* ``records`` — a text's per-document entities (after the document-level rules,
  before corpus merging and curation) and mentioned years, keyed by content hash
  and :func:`rules_version`: editing a rule re-runs the rules from ``ner``, never NER;
* ``documents`` — which content each stored article has (id → content hash, source,
  and a digest of the facet values it was written with), so the corpus pass of ``reindex`` and ``entities apply`` streams these compact
  records instead of holding or re-reading full articles.

Values are zlib-compressed JSON. The file is a cache: deleting it costs one NER
run over the collection on the next ``reindex``, nothing more.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import sqlite3
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from search_service.models import Entity

from .entities.resolve import SureEntity, TentativeEntity

STORE_NAME = "analysis.sqlite"
#: Modules of indexer/entities that act on the whole corpus, not on one document: editing
#: them does not change a document's record (the corpus pass always re-runs).
CORPUS_LEVEL_MODULES = {"__init__.py", "corpus.py", "registry.py", "curation.py", "review.py", "evidence.py"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ner (model TEXT, content TEXT, spans BLOB, PRIMARY KEY (model, content)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS records (version TEXT, content TEXT, record BLOB, PRIMARY KEY (version, content))
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS documents (doc_id TEXT PRIMARY KEY, source TEXT, content TEXT, facets TEXT)
    WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS documents_by_source ON documents (source);
"""


def content_key(text: str) -> str:
    """The content hash a text's NER output and record are filed under."""
    return hashlib.sha256((text or "").encode("utf-8", "surrogatepass")).hexdigest()


@lru_cache(maxsize=None)
def model_id(model: str) -> str:
    """``name==version`` of a spaCy pipeline, read from its package or ``meta.json`` without loading spaCy.

    A pipeline given as a folder is identified by the name and version in its
    ``meta.json``; an installed package by its distribution version.
    """
    meta = Path(model) / "meta.json"
    if meta.is_file():
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
            return f"{data.get('lang', '')}_{data.get('name', model)}=={data.get('version', '?')}"
        except (OSError, ValueError):
            pass
    try:
        return f"{model}=={importlib.metadata.version(model)}"
    except importlib.metadata.PackageNotFoundError:
        return f"{model}==?"  # not installed: NER cannot run, and nothing was stored under it


@lru_cache(maxsize=None)
def rules_version(basic: bool = False) -> str:
    """A digest of the document-level entity rules' source: any edit gives a new version."""
    digest = hashlib.sha256(b"basic" if basic else b"rules")
    folder = Path(__file__).resolve().parent / "entities"
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name not in CORPUS_LEVEL_MODULES and "__pycache__" not in path.parts:
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    # The rules take no names from metadata lines, which metadata.py recognises.
    digest.update((folder.parent / "metadata.py").read_bytes())
    return digest.hexdigest()[:16]


def facets_digest(entities: list[Entity]) -> str:
    """A short digest of an article's facet values (type, name, mentions), to spot which ones a change touches."""
    rows = sorted((e.type, e.name, sorted(map(tuple, e.mentions))) for e in entities)
    return hashlib.sha1(json.dumps(rows, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def _pack(value) -> bytes:
    return zlib.compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)


def _unpack(blob: bytes):
    return json.loads(zlib.decompress(blob).decode("utf-8"))


#: The kind of an entity in a record: 0 plain, 1 tentative, 2 sure (its type backed by a rule).
_KINDS = (Entity, TentativeEntity, SureEntity)


def encode_record(entities: list[Entity], years: list[int]) -> list:
    """A document's entities and years as plain JSON values (tentative and sure entities flagged)."""
    return [[[e.type, e.name, [list(m) for m in e.mentions], _KINDS.index(type(e)) if type(e) in _KINDS else 0]
             for e in entities], list(years)]


def decode_record(value: list) -> tuple[list[Entity], list[int]]:
    """Inverse of :func:`encode_record`."""
    rows, years = value
    entities = [_KINDS[kind](type=etype, name=name, mentions=[tuple(m) for m in mentions])
                for etype, name, mentions, kind in rows]
    return entities, list(years)


class AnalysisStore:
    """The analysis cache of one data directory (in memory when there is none)."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else None
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path) if self.path else ":memory:", isolation_level="DEFERRED")
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # a cache: a lost last transaction only costs NER again
        self._db.executescript(_SCHEMA)

    @classmethod
    def for_data_dir(cls, data_dir: str | os.PathLike | None) -> "AnalysisStore":
        """The store kept in ``data_dir`` (in memory only when no data dir is set)."""
        return cls(Path(data_dir) / STORE_NAME if data_dir else None)

    # -- NER output ----------------------------------------------------------------
    def spans(self, model: str, content: str) -> list[tuple[int, int, str]] | None:
        """Stored raw NER spans of ``content`` under ``model`` (a :func:`model_id`), or None."""
        row = self._db.execute("SELECT spans FROM ner WHERE model = ? AND content = ?", (model, content)).fetchone()
        return None if row is None else [tuple(span) for span in _unpack(row[0])]

    def put_spans(self, model: str, content: str, spans: Iterable[tuple[int, int, str]]) -> None:
        self._db.execute("INSERT OR REPLACE INTO ner VALUES (?, ?, ?)", (model, content, _pack([list(s) for s in spans])))

    # -- per-document records --------------------------------------------------------
    def record(self, version: str, content: str) -> tuple[list[Entity], list[int]] | None:
        """Stored ``(entities, years)`` of ``content`` under ``version``, or None."""
        row = self._db.execute("SELECT record FROM records WHERE version = ? AND content = ?",
                               (version, content)).fetchone()
        return None if row is None else decode_record(_unpack(row[0]))

    def put_record(self, version: str, content: str, entities: list[Entity], years: list[int]) -> None:
        self._db.execute("INSERT OR REPLACE INTO records VALUES (?, ?, ?)",
                         (version, content, _pack(encode_record(entities, years))))

    # -- which content each stored article has -----------------------------------------
    def set_document(self, doc_id: str, source: str, content: str, facets: str = "") -> None:
        """Note that article ``doc_id`` (of file ``source``) has ``content`` and was written with ``facets``."""
        self._db.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?)", (doc_id, source, content, facets))

    def set_facets(self, doc_id: str, facets: str) -> None:
        self._db.execute("UPDATE documents SET facets = ? WHERE doc_id = ?", (facets, doc_id))

    def drop_source(self, source: str) -> None:
        self._db.execute("DELETE FROM documents WHERE source = ?", (source,))

    def clear_documents(self) -> None:
        self._db.execute("DELETE FROM documents")

    def source_count(self) -> int:
        """Distinct files the stored articles came from."""
        return self._db.execute("SELECT count(DISTINCT source) FROM documents").fetchone()[0]

    def document_count(self) -> int:
        return self._db.execute("SELECT count(*) FROM documents").fetchone()[0]

    def document_records(self, version: str) -> Iterator[tuple[str, tuple[list[Entity], list[int]] | None, str]]:
        """``(doc_id, record or None, facets digest)`` of every stored article, by id, streamed."""
        cursor = self._db.cursor()
        cursor.execute("SELECT d.doc_id, r.record, d.facets FROM documents d LEFT JOIN records r "
                       "ON r.version = ? AND r.content = d.content ORDER BY d.doc_id", (version,))
        for doc_id, blob, facets in cursor:
            yield doc_id, None if blob is None else decode_record(_unpack(blob)), facets or ""

    def prune(self, model: str, version: str) -> None:
        """Drop what no stored article can use: NER output of other models or of texts no longer
        stored, and records of other rule versions (``reindex`` calls this after a rebuild)."""
        live = "content NOT IN (SELECT content FROM documents)"
        self._db.execute(f"DELETE FROM ner WHERE model != ? OR {live}", (model,))
        self._db.execute(f"DELETE FROM records WHERE version != ? OR {live}", (version,))

    def commit(self) -> None:
        self._db.commit()

    def close(self) -> None:
        self._db.commit()
        self._db.close()
