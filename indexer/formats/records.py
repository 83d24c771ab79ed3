"""JSON and JSON Lines: one document per record; a bad record is a non-fatal skip, not a lost file."""
from __future__ import annotations

import codecs
import json

from indexer.metadata import parse_date

from .base import RawDocument, Skipped, Unreadable
from .text import BOMS, decode, looks_binary, normalise, one_line

#: Bad records reported one by one per file; the rest are counted in one line.
MAX_RECORD_PROBLEMS = 20


def read_json(data: bytes, source: str, digest: str) -> list[RawDocument | Skipped]:
    """A ``.json`` file: one object, or a list of objects (ids default to ``R<n>``)."""
    try:
        value = json.loads(decode(data))
    except json.JSONDecodeError as exc:
        raise Unreadable(f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    if isinstance(value, dict):
        return _records(source, digest, [("JSON object", None, value)])
    if isinstance(value, list):
        return _records(source, digest, [(f"JSON record {i}", f"R{i}", v) for i, v in enumerate(value, 1)])
    raise Unreadable("JSON file must hold an object or a list of objects")


def read_jsonl(data: bytes, source: str, digest: str) -> list[RawDocument | Skipped]:
    """A ``.jsonl`` file: one object per line (ids default to ``L<line number>``)."""
    if any(data.startswith(bom) for bom, enc in BOMS if enc != "utf-8-sig"):
        lines = [line.encode() for line in decode(data).split("\n")]  # UTF-16/32: decode whole
    else:
        if looks_binary(data):
            raise Unreadable("not a text file (binary data)")
        # Decoded line by line so that one bad byte loses only its own record.
        lines = data.removeprefix(codecs.BOM_UTF8).split(b"\n")
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError:
            value = _Problem("not valid UTF-8 text")
        except json.JSONDecodeError:
            value = _Problem("invalid JSON")
        items.append((f"JSON Lines line {number}", f"L{number}", value))
    return _records(source, digest, items)


class _Problem(str):
    """Why one record could not be read (kept apart from a record that is a JSON string)."""


def _records(source: str, digest: str, items: list[tuple[str, str | None, object]]) -> list[RawDocument | Skipped]:
    """Records to documents; bad records become non-fatal Skipped entries naming their place."""
    out: list[RawDocument | tuple[str, str]] = []
    seen: set[str] = set()
    for where, default_id, value in items:
        problem, record = _record(source, digest, default_id, value)
        if record and record.record_id in seen:
            problem, record = f"duplicate id {record.record_id!r}", None
        if record:
            seen.add(record.record_id or "")
            out.append(record)
        else:
            out.append((where, problem))
    kept = sum(isinstance(item, RawDocument) for item in out)
    problems = [item for item in out if isinstance(item, tuple)]
    if not kept:
        if not problems:
            raise Unreadable("empty file (no records)")
        listed = "; ".join(f"{where}: {why}" for where, why in problems[:3])
        raise Unreadable(f"no usable records ({listed}{'; …' if len(problems) > 3 else ''})")
    result: list[RawDocument | Skipped] = []
    listed = 0
    for item in out:
        if isinstance(item, RawDocument):
            result.append(item)
        elif listed < MAX_RECORD_PROBLEMS:
            listed += 1
            result.append(Skipped(source, f"{item[0]}: {item[1]} (kept {kept} other records)", fatal=False))
    if len(problems) > listed:
        result.append(Skipped(source, f"{len(problems) - listed} more bad records not listed "
                                      f"(kept {kept} other records)", fatal=False))
    return result


def _record(source: str, digest: str, default_id: str | None, value: object) -> tuple[str, RawDocument | None]:
    if isinstance(value, _Problem):
        return str(value), None
    if not isinstance(value, dict):
        return "not a JSON object", None
    text = value.get("text")
    text = normalise(text) if isinstance(text, str) else ""
    if not text:
        return 'no "text"', None
    raw_id = value.get("id")
    record_id = default_id
    if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) and str(raw_id).strip():
        record_id = str(raw_id).strip()
    date = value.get("date")
    return "", RawDocument(source, digest, text, record_id=record_id, title=one_line(value.get("title")),
                           published=parse_date(date) if isinstance(date, str) else None,
                           agency=one_line(value.get("source")), url=one_line(value.get("url")))
