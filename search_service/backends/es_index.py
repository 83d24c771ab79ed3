"""Versioned indices behind one alias: naming, bookkeeping and alias actions (pure).

Searches and incremental writes go to the alias ``<prefix>``; it points at one
concrete index ``<prefix>-<generation>`` (six digits, so they sort by name too).
A reindex builds generation n+1 beside the live one and moves the alias in one
atomic ``_aliases`` call. Each index records in its mapping ``_meta`` whether
its build completed, so a killed build is never a rollback target.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .es_mapping import DEFAULT_SHARDS, LIVE_SETTINGS

#: Index names must be lowercase and avoid these characters (ES naming rules).
_BAD_PREFIX = re.compile(r'[\\/*?"<>| ,#:A-Z]')


def check_prefix(prefix: str) -> str:
    """Validate ELASTICSEARCH_INDEX_PREFIX as the start of an index name."""
    if not prefix or _BAD_PREFIX.search(prefix) or prefix[0] in "-_+." or len(prefix.encode()) > 200:
        raise ValueError(
            f"ELASTICSEARCH_INDEX_PREFIX {prefix!r} is not a valid index name: use lowercase letters, "
            "digits, '-' or '_', not starting with '-', '_' or '+'"
        )
    return prefix


def index_name(prefix: str, number: int) -> str:
    """``<prefix>-<generation>``, zero-padded."""
    return f"{prefix}-{number:06d}"


def new_meta(number: int, created: str) -> dict:
    """``_meta`` of a generation whose build has just started."""
    return {"generation": number, "complete": False, "rolled_back": False, "created": created}


@dataclass(frozen=True)
class Generation:
    name: str
    number: int
    live: bool
    complete: bool
    rolled_back: bool
    meta: dict
    settings: dict


def generations(prefix: str, indices: dict) -> list[Generation]:
    """This prefix's generations from an ``indices.get("<prefix>-*")`` response,
    oldest first. Indices of other prefixes ("<prefix>-test-…") are ignored."""
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)$")
    found = []
    for name, info in indices.items():
        match = pattern.match(name)
        if not match:
            continue
        meta = ((info.get("mappings") or {}).get("_meta")) or {}
        found.append(Generation(
            name=name,
            number=int(match.group(1)),
            live=prefix in (info.get("aliases") or {}),
            # An index without bookkeeping was made by hand; trust it.
            complete=bool(meta.get("complete", True)),
            rolled_back=bool(meta.get("rolled_back", False)),
            meta=dict(meta),
            settings=dict(((info.get("settings") or {}).get("index")) or {}),
        ))
    return sorted(found, key=lambda g: g.number)


def live(gens: list[Generation]) -> list[Generation]:
    """The generations the alias points at (normally exactly one)."""
    return [g for g in gens if g.live]


def next_number(gens: list[Generation]) -> int:
    return max((g.number for g in gens), default=0) + 1


def swap_actions(alias: str, new: str, old: list[str]) -> list[dict]:
    """``update_aliases`` actions moving ``alias`` from ``old`` to ``new`` —
    applied atomically, so searches never see no index or two indices."""
    actions: list[dict] = [{"remove": {"index": name, "alias": alias}} for name in old if name != new]
    actions.append({"add": {"index": new, "alias": alias}})
    return actions


def rollback_target(gens: list[Generation]) -> Generation | None:
    """The newest complete generation older than the live one that was not
    itself rolled back from."""
    current = live(gens)
    if not current:
        return None
    below = [g for g in gens if g.number < current[-1].number and g.complete and not g.rolled_back and not g.live]
    return below[-1] if below else None


def to_delete(gens: list[Generation], keep: int) -> list[str]:
    """Indices to drop after a rebuild: keep the live generation and the newest
    ``keep - 1`` complete earlier ones (rollback targets); drop older complete
    ones, rolled-back ones and unfinished builds older than the live one (a
    killed process's leftovers). Unfinished builds newer than the live one may
    still be running and are left alone."""
    current = live(gens)
    if not current:
        return []
    live_number = max(g.number for g in current)
    keep = max(1, int(keep))
    kept_earlier = 0
    doomed = []
    for g in sorted(gens, key=lambda g: g.number, reverse=True):
        if g.live or g.number > live_number and not g.complete:
            continue
        if g.rolled_back or not g.complete:
            doomed.append(g.name)
        elif kept_earlier < keep - 1:
            kept_earlier += 1
        else:
            doomed.append(g.name)
    return sorted(doomed)


def restored_settings(previous: dict | None) -> dict:
    """Settings to put on a freshly built index: the previous live index's
    replica and refresh settings if it had any, else the defaults."""
    previous = previous or {}
    settings = {"refresh_interval": previous.get("refresh_interval") or LIVE_SETTINGS["refresh_interval"]}
    auto = previous.get("auto_expand_replicas")
    if previous and (auto in (None, "false", False)) and previous.get("number_of_replicas") is not None:
        settings["number_of_replicas"] = int(previous["number_of_replicas"])
    else:
        settings["auto_expand_replicas"] = auto if auto not in (None, "false", False) else LIVE_SETTINGS["auto_expand_replicas"]
    return settings


def shards_of(previous: dict | None) -> int:
    """Carry the live index's shard count over to the next generation."""
    try:
        return int((previous or {}).get("number_of_shards") or DEFAULT_SHARDS)
    except (TypeError, ValueError):
        return DEFAULT_SHARDS
