"""A write session on one generation: Tantivy's IndexWriter behind the Writer interface."""
from __future__ import annotations

from tantivy import Index

from ..models import Article
from .base import BackendError, IndexBusy, Writer
from .tantivy_schema import article_order, article_records

#: Memory for the IndexWriter's in-RAM segments (split between its threads; Tantivy
#: needs at least 15 MB per thread). Commits every few thousand articles keep the
#: segment being built well below it.
WRITER_HEAP = 128_000_000


class TantivyWriter(Writer):
    """A write session on one generation's IndexWriter.

    ``threads`` is the IndexWriter's indexing thread count (each builds its own
    segment in memory, and each segment flushed is one more to merge). ``fresh``
    says the generation started empty in this session (a rebuild): an article that
    comes after every article added so far in :func:`article_order` cannot be in it
    yet, so it is added without the delete that replaces a stored copy (a rebuild
    streams articles in that order, so it never deletes); an article arriving out of
    order is still replaced.
    """

    def __init__(self, index: Index, path: str, on_commit=None, threads: int = 1, fresh: bool = False):
        self.path = path
        self._on_commit = on_commit or (lambda: None)
        self._fresh = fresh
        self._last: tuple[int, str] | None = None
        threads = max(1, int(threads))
        try:
            self._writer = index.writer(heap_size=max(WRITER_HEAP, 16_000_000 * threads), num_threads=threads)
        except ValueError as exc:
            if "LockBusy" in str(exc):
                raise IndexBusy(f"another indexing process is writing to {path}") from None
            raise BackendError(f"Cannot write to the index at {path}: {exc}") from None

    def add(self, article: Article) -> None:
        """Add ``article`` (replacing a stored article with the same id)."""
        if not article.id:
            raise BackendError("An article needs a non-empty id to be indexed.")
        if not self._is_new(article.id):
            # Deletes apply to documents added before them, so delete-then-add replaces.
            self._writer.delete_documents_by_term("doc_id", article.id)
        for record in article_records(article):
            self._writer.add_document(record)

    def _is_new(self, doc_id: str) -> bool:
        """True when ``doc_id`` cannot be in the generation: it started empty and every
        article added since comes before this one (one key remembered, never a set)."""
        if not self._fresh:
            return False
        key = article_order(doc_id)
        new = self._last is None or key > self._last
        if new:
            self._last = key
        return new

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
