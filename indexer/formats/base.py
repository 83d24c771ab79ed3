"""What every format reader produces: :class:`RawDocument`, :class:`Skipped`, :class:`Unreadable`.

These live apart from :mod:`indexer.readers` (which re-exports them) so that the
format modules and the dispatching module can both import them without a cycle.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable


@dataclass
class RawDocument:
    source: str  # the file path as a string (resolved, absolute)
    source_hash: str  # sha256 hex of the file's bytes (same for every record of a JSON/JSONL file)
    text: str  # the article text (visible text only for HTML), normalised newlines (\n), NFC
    record_id: str | None = None  # JSON(L) "id", else "L<n>" (JSONL line) / "R<n>" (JSON list item)
    title: str | None = None  # structured title (HTML <title>/<h1>, JSON "title", Markdown front matter)
    published: dt.date | None = None  # structured date (JSON "date", HTML meta/<time datetime>)
    agency: str | None = None  # JSON "source"
    url: str | None = None  # JSON "url", HTML <link rel=canonical> / og:url
    source_label: str = ""  # what users see: path relative to the indexed folder (+ "#record"); set by read_source


@dataclass
class Skipped:
    source: str
    reason: str  # short human reason, e.g. "unsupported file type .docx"
    fatal: bool = True  # False for partial problems (some records bad, the rest kept)


class Unreadable(Exception):
    """Raised by a format reader; becomes one fatal :class:`Skipped` with this message."""


#: A format reader: (file bytes, resolved source path, sha256 hex) -> documents and partial skips.
#: It raises :class:`Unreadable` when nothing in the file can be used.
Reader = Callable[[bytes, str, str], "list[RawDocument | Skipped]"]
