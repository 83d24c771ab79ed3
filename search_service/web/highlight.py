"""Safe HTML from engine text plus offsets.

Engines give back plain text and (start, end) character spans. Everything here
escapes every piece of text with :func:`markupsafe.escape` and inserts only the
markup it writes itself (``<mark>`` for matches, entity links and passage anchors
on the document page), so document text can never inject HTML.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Iterable, Sequence

from markupsafe import Markup, escape


def merge_spans(spans: Iterable[Sequence[int]], length: int) -> list[tuple[int, int]]:
    """Clamp spans to ``[0, length]``, drop empty ones, merge overlapping ones."""
    clean = sorted(
        (max(0, int(s)), min(length, int(e))) for s, e in spans if min(length, int(e)) > max(0, int(s))
    )
    merged: list[tuple[int, int]] = []
    for start, end in clean:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, spans: Iterable[Sequence[int]]) -> Markup:
    """``text`` escaped, with each span wrapped in ``<mark>``."""
    out: list[str] = []
    pos = 0
    for start, end in merge_spans(spans, len(text)):
        out.append(escape(text[pos:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def _cut_start(text: str, pos: int) -> int:
    """Move ``pos`` forward to the start of a word (never past a later space run)."""
    if pos <= 0:
        return 0
    space = text.find(" ", pos - 1)
    return space + 1 if 0 <= space < pos + 20 else pos


def _cut_end(text: str, pos: int) -> int:
    """Move ``pos`` back to the end of a word."""
    if pos >= len(text):
        return len(text)
    space = text.rfind(" ", max(0, pos - 20), pos + 1)
    return space if space > 0 else pos


def snippet(text: str, spans: Iterable[Sequence[int]], width: int = 320, lead: int = 60) -> Markup:
    """An excerpt of about ``width`` characters around the densest run of
    matches, cut at word boundaries, with ``…`` where text was left out."""
    merged = merge_spans(spans, len(text))
    if len(text) <= width:
        return highlight(text, merged)
    start = 0
    if merged:
        # The window starting a little before span i that holds the most spans wins.
        best, best_count = 0, -1
        for i, (s, _) in enumerate(merged):
            count = sum(1 for _, e in merged[i:] if e <= s - lead + width)
            if count > best_count:
                best, best_count = i, count
        start = max(0, min(merged[best][0] - lead, len(text) - width))
    start = _cut_start(text, start)
    end = _cut_end(text, min(len(text), start + width))
    inside = [(max(s, start) - start, min(e, end) - start) for s, e in merged if e > start and s < end]
    body = highlight(text[start:end], inside)
    return Markup("").join([Markup("… ") if start > 0 else Markup(""), body,
                            Markup(" …") if end < len(text) else Markup("")])


@dataclass(frozen=True)
class EntityMark:
    """One entity mention to mark on the document page."""

    start: int
    end: int
    type: str
    name: str
    url: str


@dataclass(frozen=True)
class QueryMatch:
    """One match of the query words to mark on the document page: ``<mark id=...>``
    plus plain links to the previous and next match (None at either end)."""

    start: int
    end: int
    anchor: str
    prev_url: str | None = None
    next_url: str | None = None


def _with_matches(text: str, start: int, end: int, matches: Sequence[QueryMatch], starts: list[int]) -> Markup:
    """``text[start:end]`` escaped, the parts inside query matches wrapped in <mark>
    (the piece where a match begins carries its id)."""
    out: list[str] = []
    pos = start
    i = max(0, bisect.bisect_right(starts, start) - 1)
    while i < len(matches) and matches[i].start < end:
        match = matches[i]
        a, b = max(match.start, pos), min(match.end, end)
        if b > a:
            out.append(escape(text[pos:a]))
            anchor = Markup(' id="{0}"').format(match.anchor) if a == match.start else Markup("")
            out.append(Markup('<mark class="q"{0}>').format(anchor) + escape(text[a:b]) + Markup("</mark>"))
            pos = b
        i += 1
    out.append(escape(text[pos:end]))
    return Markup("").join(out)


def _match_nav(match: QueryMatch) -> Markup:
    links = []
    if match.prev_url:
        links.append(Markup('<a href="{0}" aria-label="Previous match">‹</a>').format(match.prev_url))
    if match.next_url:
        links.append(Markup('<a href="{0}" aria-label="Next match">›</a>').format(match.next_url))
    return Markup('<span class="match-nav">{0}</span>').format(Markup("").join(links)) if links else Markup("")


def mark_document(text: str, mentions: Iterable[EntityMark], anchors: Iterable[tuple[int, str]],
                  matches: Iterable[QueryMatch] = ()) -> Markup:
    """The full article text, escaped, with entity mentions as typed links, an
    empty anchor element (``<span id=...>``) at each passage start, and the query's
    matches in ``<mark>`` followed by links to the previous and next match.

    Overlapping mentions keep the first (longest at equal start); an anchor that
    falls inside a mention is moved to the mention's start and a match's links to
    the mention's end, so tags never cross.
    """
    length = len(text)
    chosen: list[EntityMark] = []
    for mark in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        start, end = max(0, mark.start), min(length, mark.end)
        if end <= start or (chosen and start < chosen[-1].end):
            continue
        chosen.append(EntityMark(start, end, mark.type, mark.name, mark.url))
    found: list[QueryMatch] = []
    for match in sorted(matches, key=lambda m: m.start):
        start, end = max(0, match.start), min(length, match.end)
        if end > start and not (found and start < found[-1].end):
            found.append(QueryMatch(start, end, match.anchor, match.prev_url, match.next_url))
    match_starts = [m.start for m in found]
    # (offset, order, item): at one offset, anchors, then match links, then an entity link
    events: list[tuple[int, int, object]] = []
    starts = [mark.start for mark in chosen]

    def containing(offset: int) -> EntityMark | None:
        # chosen marks are sorted and never overlap: only the last one starting
        # before offset can contain it (a scan per anchor was quadratic).
        i = bisect.bisect_left(starts, offset) - 1
        return chosen[i] if i >= 0 and chosen[i].start < offset < chosen[i].end else None

    for offset, anchor_id in anchors:
        offset = min(max(0, offset), length)
        inside = containing(offset)
        events.append((inside.start if inside else offset, 0, anchor_id))
    for match in found:
        inside = containing(match.end)
        events.append((inside.end if inside else match.end, 1, match))
    for mark in chosen:
        events.append((mark.start, 2, mark))
    events.sort(key=lambda e: (e[0], e[1]))

    out: list[str] = []
    pos = 0
    for offset, _, item in events:
        out.append(_with_matches(text, pos, offset, found, match_starts))
        pos = offset
        if isinstance(item, EntityMark):
            out.append(
                Markup('<a class="ent ent-{t}" href="{u}" title="{label}">{body}</a>').format(
                    t=item.type, u=item.url, label=f"{item.type.capitalize()}: {item.name}",
                    body=_with_matches(text, item.start, item.end, found, match_starts),
                )
            )
            pos = item.end
        elif isinstance(item, QueryMatch):
            out.append(_match_nav(item))
        else:
            out.append(Markup('<span class="passage-anchor" id="{0}"></span>').format(item))
    out.append(_with_matches(text, pos, length, found, match_starts))
    return Markup("").join(out)
