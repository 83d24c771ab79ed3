"""Safe HTML from engine text plus offsets.

Engines give back plain text and (start, end) character spans. Everything here
escapes every piece of text with :func:`markupsafe.escape` and inserts only the
markup it writes itself (``<mark>`` for matches, entity links and passage anchors
on the document page), so document text can never inject HTML.
"""
from __future__ import annotations

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
    for offset, anchor_id in anchors:
        offset = min(max(0, offset), length)
        for mark in chosen:
            if mark.start < offset < mark.end:
                offset = mark.start
                break
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
