"""Batch search: a list of queries (usually names) run one by one against the index.

Input is either plain text, one query per line, or CSV with a ``query``
column and optional columns named like the search URL parameters (``person``,
``organisation``, ``place``, ``year``, ``not_place``, ``sort``, …; several
values in one cell are separated by ``;``). Each line becomes a
:class:`SearchRequest` through :meth:`SearchRequest.from_args` — the same
parsing as the search page — so every filter and match mode the page knows
works here too. A query is matched as a phrase unless it already holds
quotation marks (``phrase=False`` keeps it as typed); folding of case and
accents is the search's own.

Nothing here writes: a batch only reads the index.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Callable, Iterator

from werkzeug.datastructures import MultiDict

from .export import csv_stream, jsonl_stream
from .request import Limits, SearchRequest

#: Separator of several values in one CSV cell.
CELL_SEPARATOR = ";"
#: Columns that are not search parameters but are expected in name lists.
QUERY_COLUMN = "query"
#: Parameters a CSV column must not set: a batch row is always its first page.
IGNORED_PARAMS = {"q", "page", "size", "facet_size"}


class BatchError(ValueError):
    """The list cannot be read (too long, not text, no query column); one clear line."""


@dataclass
class BatchQuery:
    """One line of a batch: what was written, and the search it stands for."""

    line: int
    text: str
    args: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class BatchRow:
    """The answer to one :class:`BatchQuery`."""

    query: BatchQuery
    request: SearchRequest
    total: int
    top: list[tuple[str, str]]  # (id, title) of the best documents
    passage: str
    warnings: list[str] = field(default_factory=list)


def as_phrase(text: str) -> str:
    """``text`` as one quoted phrase, unless the user wrote quotes themselves."""
    text = " ".join(text.split())
    if not text or '"' in text:
        return text
    return f'"{text}"'


def decode(data: bytes) -> str:
    """Uploaded bytes as text: UTF-8 (with or without BOM); anything else is refused."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BatchError("The list is not UTF-8 text. Save it as UTF-8 (CSV UTF-8 in a spreadsheet).") from None


def parse_batch(text: str, max_queries: int, phrase: bool = True) -> tuple[list[BatchQuery], list[str]]:
    """The queries of ``text`` (lines or CSV with a ``query`` column) and warnings.
    More than ``max_queries`` queries is an error, not a silent cut."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    header = [h.strip().lower() for h in next(csv.reader([first]), [])] if first else []
    if QUERY_COLUMN in header:
        queries, warnings = _from_csv(text)
    else:
        queries = [BatchQuery(n, " ".join(line.split())) for n, line in enumerate(lines, start=1) if line.strip()]
        warnings = []
    if len(queries) > max_queries:
        raise BatchError(f"The list has {len(queries):,} queries; at most {max_queries:,} are allowed at once. "
                         "Split it into smaller lists.")
    for item in queries:
        item.args = [("q", as_phrase(item.text) if phrase else item.text)] + item.args
    return queries, warnings


def _from_csv(text: str) -> tuple[list[BatchQuery], list[str]]:
    reader = csv.reader(io.StringIO(text))
    header: list[str] = []
    queries, warnings = [], []
    for row in reader:
        if not header:
            if any(cell.strip() for cell in row):
                header = [cell.strip().lower() for cell in row]
                unknown = [h for h in header if h != QUERY_COLUMN and (not h or h in IGNORED_PARAMS)]
                if unknown:
                    warnings.append(f"Ignored the column(s) {', '.join(repr(h) for h in unknown)}.")
            continue
        cells = dict(zip(header, row))
        query = " ".join((cells.get(QUERY_COLUMN) or "").split())
        if not query and not any(v.strip() for v in row):
            continue
        args = [
            (name, value.strip())
            for name, cell in cells.items()
            if name and name != QUERY_COLUMN and name not in IGNORED_PARAMS
            for value in (cell or "").split(CELL_SEPARATOR)
            if value.strip()
        ]
        queries.append(BatchQuery(reader.line_num, query, args))
    return queries, warnings


def batch_request(item: BatchQuery, limits: Limits | None = None) -> SearchRequest:
    """The search a batch line stands for (the search page's own parsing)."""
    return SearchRequest.from_args(MultiDict(item.args), limits=limits)


def run_batch(backend, queries: list[BatchQuery], top: int = 3, limits: Limits | None = None) -> Iterator[BatchRow]:
    """Run each query; yield its number of documents, best ``top`` documents and
    the best document's best passage. Read-only; no facets are counted."""
    for item in queries:
        request = batch_request(item, limits)
        stream = backend.iter_hits(request, top)
        try:
            hits = list(stream)
        finally:
            stream.close()
        yield BatchRow(
            query=item,
            request=request,
            total=stream.total,
            top=[(hit.id, hit.title or hit.id) for hit in hits],
            passage=hits[0].passages[0].text if hits and hits[0].passages else "",
            warnings=list(request.warnings) + list(stream.query_errors),
        )


#: Columns of a batch result file.
RESULT_COLUMNS = ("line", "query", "filters", "documents", "top_documents", "top_ids", "passage", "search_url")


def result_record(row: BatchRow, search_url: str) -> dict:
    """One batch row as a record (lists stay lists; CSV joins them)."""
    filters = [f"{name}={value}" for name, value in row.query.args if name != "q"]
    return {
        "line": row.query.line,
        "query": row.query.text,
        "filters": filters,
        "documents": row.total,
        "top_documents": [title for _, title in row.top],
        "top_ids": [doc_id for doc_id, _ in row.top],
        "passage": row.passage,
        "search_url": search_url,
    }


def batch_lines(rows: Iterator[BatchRow], fmt: str, search_url: Callable[[SearchRequest], str]) -> Iterator[str]:
    """A batch's results as CSV (BOM, neutralised cells, lists joined) or JSON Lines."""
    records = (result_record(row, search_url(row.request)) for row in rows)
    if fmt == "csv":
        return csv_stream(([r[c] for c in RESULT_COLUMNS] for r in records), RESULT_COLUMNS)
    if fmt == "jsonl":
        return jsonl_stream(records)
    raise ValueError(f"unknown batch output format {fmt!r}")
