"""One module per input format; :data:`READERS` maps a lower-case file suffix to its reader.

Each reader takes ``(data, source, digest)`` (the file's bytes, its resolved path,
the sha256 hex of the bytes) and returns a list of :class:`RawDocument` plus
non-fatal :class:`Skipped` entries, or raises :class:`Unreadable` when nothing in
the file can be used. Walking folders and reading bytes is :mod:`indexer.readers`'s job.
"""
from __future__ import annotations

from .base import RawDocument, Reader, Skipped, Unreadable
from .html import read_html
from .markdown import read_markdown
from .pdf import read_pdf
from .records import read_json, read_jsonl
from .text import read_text

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".md": read_markdown,
    ".html": read_html, ".htm": read_html,
    ".json": read_json, ".jsonl": read_jsonl,
    ".pdf": read_pdf,
}

__all__ = ["READERS", "RawDocument", "Reader", "Skipped", "Unreadable"]
