"""Every document of a search as CSV or JSON Lines, written as a stream.

Pure functions of a :class:`HitStream`: the web (``/api/export``) and the CLI
(``search-service search --all``) both write through :func:`export_lines`, so a
file is the same whichever way it was made. Lines are produced one batch of
hits at a time; nothing holds the whole result.

CSV is for spreadsheets: UTF-8 with a byte order mark (so they detect the
encoding), lists joined with ``"; "``, and every cell that a spreadsheet would
read as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return) prefixed with ``'`` (OWASP's advice on CSV injection).
"""
from __future__ import annotations

import csv
import io
import json
from typing import Callable, Iterable, Iterator
from urllib.parse import quote, urlencode

from ..models import ENTITY_TYPES
from .request import SearchRequest
from .result import DocumentHit, HitStream

FORMATS = ("csv", "jsonl")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
#: Columns of a CSV export and keys of a JSON Lines record, in this order.
COLUMNS = (
    "id", "title", "published", "source", "url", *ENTITY_TYPES,
    "published_year", "mentioned_years", "passage", "document_url",
)
BOM = "\ufeff"
#: First characters that make a spreadsheet evaluate a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
#: CSV rows written to one chunk of the stream.
ROWS_PER_CHUNK = 200


def document_path(doc_id: str) -> str:
    """The document page's path on the web app, for files written without a
    server at hand (the CLI); the web app writes absolute URLs instead."""
    return "/documents/" + quote(doc_id, safe="/")


def search_path(req: SearchRequest) -> str:
    """The search page's path for ``req`` (CLI files; the web app writes absolute URLs)."""
    query = urlencode(req.to_args())
    return f"/search?{query}" if query else "/search"


def neutralise(cell: str) -> str:
    """``cell`` made inert for spreadsheets: a leading ``'`` before a formula start."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def record(hit: DocumentHit, document_url: str) -> dict:
    """One document as an export record (lists stay lists)."""
    return {
        "id": hit.id,
        "title": hit.title,
        "published": hit.published.isoformat() if hit.published else None,
        "source": hit.shown_source,
        "url": hit.url,
        **{etype: list(hit.entities.get(etype, [])) for etype in ENTITY_TYPES},
        "published_year": hit.published.year if hit.published else None,
        "mentioned_years": list(hit.mentioned_years),
        "passage": hit.passages[0].text if hit.passages else "",
        "document_url": document_url,
    }


def csv_cells(values: Iterable) -> list[str]:
    """A CSV row: None empty, lists joined, every cell neutralised."""
    cells = []
    for value in values:
        if value is None:
            text = ""
        elif isinstance(value, (list, tuple)):
            text = LIST_SEPARATOR.join(str(v) for v in value)
        else:
            text = str(value)
        cells.append(neutralise(text))
    return cells


def cap_message(total: int, cap: int) -> str:
    """The sentence ending a file that the cap cut short."""
    return (f"Export stopped at the limit of {cap:,} documents; {total:,} match this search. "
            "Narrow the search to export the rest.")


def csv_stream(rows: Iterable[list], header: Iterable[str], last_line: str | None = None) -> Iterator[str]:
    """CSV text chunks: BOM and header first, then rows, then an optional last
    line (a one-cell row). Cells are neutralised here."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(csv_cells(header))
    yield BOM + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for n, row in enumerate(rows, start=1):
        writer.writerow(csv_cells(row))
        if n % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if last_line is not None:
        writer.writerow(csv_cells([last_line]))
    if buffer.tell():
        yield buffer.getvalue()


def jsonl_stream(records: Iterable[dict], last: dict | None = None) -> Iterator[str]:
    """JSON Lines chunks, one record per line, then an optional last record."""
    chunk: list[str] = []
    for item in records:
        chunk.append(json.dumps(item, ensure_ascii=False) + "\n")
        if len(chunk) >= ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if last is not None:
        chunk.append(json.dumps(last, ensure_ascii=False) + "\n")
    if chunk:
        yield "".join(chunk)


def export_lines(stream: HitStream, fmt: str, cap: int, document_url: Callable[[str], str]) -> Iterator[str]:
    """The whole export of ``stream`` (already limited to ``cap`` hits) in ``fmt``.
    When more documents match than ``cap``, the last line says so."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    records = (record(hit, document_url(hit.id)) for hit in stream)
    cut = stream.total > cap
    if fmt == "csv":
        rows = ([r[c] for c in COLUMNS] for r in records)
        return csv_stream(rows, COLUMNS, cap_message(stream.total, cap) if cut else None)
    last = {"truncated": True, "exported": cap, "total": stream.total,
            "message": cap_message(stream.total, cap)} if cut else None
    return jsonl_stream(records, last)
