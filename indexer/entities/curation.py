"""The curation file: a curator's merges, renames, retypes and blocks, applied at index time.

Format (TOML; every table may appear any number of times)::

    [[merge]]                     # several spellings -> one facet value
    into = "Jiří Dvorník"
    values = ["George Dvornik", "J. Dvornik"]
    type = "person"               # optional: also set the type

    [[rename]]                    # change a value's display name
    from = "NRT"
    to = "Northern Rivers Trust"

    [[retype]]                    # force a type
    value = "Harbour Point"       # or values = [...]
    type = "place"

    [[block]]                     # never show these values
    values = ["Page", "Reuters"]
    type = "organisation"         # optional: only block this type

Names match after folding (case, diacritics, punctuation), like facet merging.
Any problem raises :class:`CurationError` with the file name and line number.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from search_service.models import ENTITY_TYPES

from .normalise import fold

#: action -> (required keys, optional keys); "value"/"values" are interchangeable where listed.
SCHEMA = {
    "merge": ({"into", "values"}, {"type"}),
    "rename": ({"from", "to"}, {"type"}),
    "retype": ({"type"}, {"value", "values"}),
    "block": (set(), {"value", "values", "type"}),
}


class CurationError(ValueError):
    """A malformed curation file; the message names the file and line."""


@dataclass
class Curation:
    """Parsed curation rules, keyed by folded names."""

    mapping: dict[str, str] = field(default_factory=dict)  # fold(variant) -> target display name
    display: dict[str, str] = field(default_factory=dict)  # fold(target) -> display name
    types: dict[str, str] = field(default_factory=dict)  # fold(name) -> forced type
    blocked: dict[str, set[str] | None] = field(default_factory=dict)  # fold(name) -> types, None = all

    def __bool__(self) -> bool:
        return bool(self.mapping or self.display or self.types or self.blocked)

    def is_blocked(self, key: str, etype: str) -> bool:
        """True if the value with merge key ``key`` and type ``etype`` is blocked."""
        if key not in self.blocked:
            return False
        types = self.blocked[key]
        return types is None or etype in types

    def target(self, key: str) -> tuple[str, str | None]:
        """``(key, display)`` after merges/renames: the key to file the value under and a forced name."""
        if key in self.mapping:
            name = self.mapping[key]
            return fold(name), name
        return key, self.display.get(key)


def _header_lines(text: str, action: str) -> list[int]:
    """1-based line numbers of each ``[[action]]`` table (or ``action = [...]`` line) in the file."""
    pattern = re.compile(r"^\s*(\[\[\s*[\"']?%s[\"']?\s*\]\]|%s\s*=)" % (re.escape(action), re.escape(action)))
    return [i for i, line in enumerate(text.splitlines(), 1) if pattern.match(line)]


def _names(entry: dict, where: str, key_single: str = "value", key_many: str = "values") -> list[str]:
    values = []
    if key_single in entry:
        values.append(entry[key_single])
    if key_many in entry:
        if not isinstance(entry[key_many], list) or not entry[key_many]:
            raise CurationError(f"{where}: '{key_many}' must be a non-empty list of names")
        values.extend(entry[key_many])
    if not values:
        raise CurationError(f"{where}: give 'value' or 'values'")
    for v in values:
        if not isinstance(v, str) or not fold(v):
            raise CurationError(f"{where}: {v!r} is not a name")
    return values


def _type(entry: dict, where: str) -> str | None:
    etype = entry.get("type")
    if etype is None:
        return None
    if etype not in ENTITY_TYPES:
        raise CurationError(f"{where}: unknown type {etype!r} (use {', '.join(ENTITY_TYPES[:-1])} or {ENTITY_TYPES[-1]})")
    return etype


def _string(entry: dict, key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not fold(value):
        raise CurationError(f"{where}: '{key}' must be a non-empty name")
    return value.strip()


def parse_curation(text: str, source: str = "entities.toml") -> Curation:
    """Parse and validate curation TOML ``text``; ``source`` names the file in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        if "line" not in message:  # "Unclosed array (at end of document)": name the last line
            message += f" (line {len(text.splitlines()) or 1})"
        raise CurationError(f"{source}: not valid TOML: {message}") from None
    cur = Curation()
    for action, entries in data.items():
        lines = _header_lines(text, action)
        if action not in SCHEMA:
            line = f" line {lines[0]}" if lines else ""
            raise CurationError(f"{source}{line}: unknown action {action!r} (use {', '.join(SCHEMA)})")
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            line = f" line {lines[0]}" if lines else ""
            raise CurationError(f"{source}{line}: write each {action} as a [[{action}]] table")
        required, optional = SCHEMA[action]
        for n, entry in enumerate(entries):
            where = f"{source} line {lines[n]}" if n < len(lines) else f"{source} [[{action}]] #{n + 1}"
            missing = sorted(required - entry.keys())
            if missing:
                raise CurationError(f"{where}: [[{action}]] needs {', '.join(repr(k) for k in missing)}")
            unknown = sorted(entry.keys() - required - optional)
            if unknown:
                allowed = ", ".join(sorted(required | optional))
                raise CurationError(f"{where}: unknown key {unknown[0]!r} in [[{action}]] (allowed: {allowed})")
            _apply(cur, action, entry, where)
    return cur


def _link(cur: Curation, variant: str, target: str, where: str) -> None:
    key = fold(variant)
    earlier = cur.mapping.get(key)
    if earlier is not None and fold(earlier) != fold(target):
        raise CurationError(f"{where}: {variant!r} is already merged into {earlier!r}")
    if key != fold(target):
        cur.mapping[key] = target


def _apply(cur: Curation, action: str, entry: dict, where: str) -> None:
    if action == "merge":
        into = _string(entry, "into", where)
        for value in _names(entry, where, key_single="_", key_many="values"):
            _link(cur, value, into, where)
        cur.display[fold(into)] = into
        if (etype := _type(entry, where)) is not None:
            cur.types[fold(into)] = etype
    elif action == "rename":
        old, new = _string(entry, "from", where), _string(entry, "to", where)
        _link(cur, old, new, where)
        cur.display[fold(new)] = new
        if (etype := _type(entry, where)) is not None:
            cur.types[fold(new)] = etype
    elif action == "retype":
        etype = _type(entry, where)
        for value in _names(entry, where):
            cur.types[fold(value)] = etype
    elif action == "block":
        etype = _type(entry, where)
        for value in _names(entry, where):
            key = fold(value)
            if etype is None or cur.blocked.get(key, set()) is None:
                cur.blocked[key] = None
            else:
                cur.blocked.setdefault(key, set()).add(etype)


def load_curation(path: str | os.PathLike | None) -> Curation:
    """Read the curation file at ``path``; an empty path means no curation."""
    if not path:
        return Curation()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CurationError(f"Cannot read entities file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise CurationError(f"{path}: not UTF-8 text") from None
    return parse_curation(text, source=str(path))
