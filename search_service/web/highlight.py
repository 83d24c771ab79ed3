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


def mark_document(text: str, mentions: Iterable[EntityMark], anchors: Iterable[tuple[int, str]]) -> Markup:
    """The full article text, escaped, with entity mentions as typed links and
    an empty anchor element (``<span id=...>``) at each passage start.

    Overlapping mentions keep the first (longest at equal start); an anchor that
    falls inside a mention is moved to the mention's start so tags never cross.
    """
    length = len(text)
    chosen: list[EntityMark] = []
    for mark in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        start, end = max(0, mark.start), min(length, mark.end)
        if end <= start or (chosen and start < chosen[-1].end):
            continue
        chosen.append(EntityMark(start, end, mark.type, mark.name, mark.url))
    events: list[tuple[int, int, object]] = []  # (offset, order, item); anchors before marks
    starts = [mark.start for mark in chosen]
    for offset, anchor_id in anchors:
        offset = min(max(0, offset), length)
        # chosen marks are sorted and never overlap: only the last one starting
        # before offset can contain it (a scan per anchor was quadratic).
        i = bisect.bisect_left(starts, offset) - 1
        if i >= 0 and chosen[i].start < offset < chosen[i].end:
            offset = chosen[i].start
        events.append((offset, 0, anchor_id))
    for mark in chosen:
        events.append((mark.start, 1, mark))
    events.sort(key=lambda e: (e[0], e[1]))

    out: list[str] = []
    pos = 0
    for offset, _, item in events:
        out.append(escape(text[pos:offset]))
        pos = offset
        if isinstance(item, EntityMark):
            out.append(
                Markup('<a class="ent ent-{t}" href="{u}" title="{label}">{body}</a>').format(
                    t=item.type, u=item.url, label=f"{item.type.capitalize()}: {item.name}",
                    body=text[item.start:item.end],
                )
            )
            pos = item.end
        else:
            out.append(Markup('<span class="passage-anchor" id="{0}"></span>').format(item))
    out.append(escape(text[pos:]))
    return Markup("").join(out)
