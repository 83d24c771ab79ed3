"""A write session on one generation: Tantivy's IndexWriter behind the Writer interface."""
from __future__ import annotations

import os

from tantivy import Index

from ..models import Article
from .base import BackendError, IndexBusy, Writer
from .tantivy_schema import article_records

#: Memory for the IndexWriter's in-RAM segments (split between its threads).
WRITER_HEAP = 128_000_000


class TantivyWriter(Writer):
    """A write session on one generation's IndexWriter."""

    def __init__(self, index: Index, path: str, on_commit=None):
        self.path = path
        self._on_commit = on_commit or (lambda: None)
        try:
            self._writer = index.writer(heap_size=WRITER_HEAP, num_threads=min(4, os.cpu_count() or 1))
        except ValueError as exc:
            if "LockBusy" in str(exc):
                raise IndexBusy(f"another indexing process is writing to {path}") from None
            raise BackendError(f"Cannot write to the index at {path}: {exc}") from None

    def add(self, article: Article) -> None:
        """Add ``article`` (replacing a stored article with the same id)."""
        if not article.id:
            raise BackendError("An article needs a non-empty id to be indexed.")
        # Deletes apply to documents added before them, so delete-then-add replaces.
        self._writer.delete_documents_by_term("doc_id", article.id)
        for record in article_records(article):
            self._writer.add_document(record)

    def delete_source(self, source: str) -> None:
        """Delete every article (and passage) that came from ``source``."""
        self._writer.delete_documents_by_term("source", source)

    def commit(self) -> None:
        """Make the writes so far durable and visible."""
        self._writer.commit()
        self._on_commit()

    def finish(self) -> None:
        """Commit, wait for merges and release Tantivy's writer lock."""
        self.commit()
        self._writer.wait_merging_threads()

    def abort(self) -> None:
        """Drop everything not yet committed and release the writer."""
        try:
            self._writer.rollback()
        finally:
            self._writer.wait_merging_threads()
