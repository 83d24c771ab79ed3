"""Year charts on a true time axis: the data and geometry of one chart, shared by
every page that draws documents per year (the entity page; the search page's
chart can use the same function).

The axis runs from the first to the last year with a count and every year in
between gets a bar, zero included, so gaps in time show as gaps. A span too
long for one bar per year is grouped into decades (or centuries) and the bars
are labelled "1990s" / "1900s". Heights are CSS classes ``h0``…``h20`` (no
inline styles: the Content-Security-Policy forbids them).
"""
from __future__ import annotations

import math
from typing import Callable, Iterable

#: Bar heights are one of these CSS height classes (h0 … h20).
BAR_STEPS = 20
#: Most bars one chart draws; a longer span is grouped into decades or centuries.
MAX_BARS = 60


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def axis_step(first: int, last: int, max_bars: int = MAX_BARS) -> int:
    """Years per bar: 1, 10 or 100 (and further powers of ten), the smallest
    that keeps the span within ``max_bars`` bars."""
    step = 1
    while (last // step - first // step + 1) > max_bars:
        step *= 10
    return step


def year_axis(pairs: Iterable[tuple[int, int]], url: Callable[[int], str | None] | None = None,
              max_bars: int = MAX_BARS) -> list[dict]:
    """Bars of a zero-filled time axis from (year, documents) pairs, oldest first.

    Each bar: ``year`` (first year it covers), ``years`` (how many), ``label``,
    ``count``, ``count_label``, ``height_class`` and ``url`` (``url(year)`` for
    one-year bars; grouped bars link nowhere)."""
    counts: dict[int, int] = {}
    for year, count in pairs:
        counts[int(year)] = counts.get(int(year), 0) + int(count)
    if not counts:
        return []
    first, last = min(counts), max(counts)
    step = axis_step(first, last, max_bars)
    grouped: dict[int, int] = {}
    for year, count in counts.items():
        start = year // step * step
        grouped[start] = grouped.get(start, 0) + count
    top = max(grouped.values()) or 1
    bars = []
    for start in range(first // step * step, last // step * step + 1, step):
        count = grouped.get(start, 0)
        bars.append({
            "year": start,
            "years": step,
            "label": str(start) if step == 1 else f"{start}s",
            "count": count,
            "count_label": _plural(count, "document"),
            "height_class": f"h{math.ceil(BAR_STEPS * count / top) if count else 0}",
            "url": url(start) if url is not None and step == 1 else None,
        })
    return bars
