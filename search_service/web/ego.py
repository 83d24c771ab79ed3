"""Geometry of the small ego-network picture on an entity page.

The entity sits in the middle; its strongest co-mentions sit on a ring around
it, the strongest first (from the top, clockwise). A line's width grows with the
documents the two share, a node's size with that count too. The template draws
it as inline SVG (no script, no library); the same facts are given as text
(``description``) and as the co-mention lists on the page.
"""
from __future__ import annotations

import math

WIDTH, HEIGHT = 560, 320
CENTER_X, CENTER_Y = WIDTH / 2, HEIGHT / 2
RING = 105
#: Co-mentions drawn at most.
MAX_NODES = 8
#: Longest label drawn (the full name is in the node's <title> and the text alternative).
LABEL_CHARS = 24


def _label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def strongest(co_mentions: dict[str, list[dict]], size: int = MAX_NODES) -> list[dict]:
    """The ``size`` co-mentions of every type with the highest score, leaving out
    the under-represented ones (then most shared documents; a name found in
    every document scores 0 with everything); each item keeps its ``type``."""
    items = [{**item, "type": etype} for etype, values in co_mentions.items() for item in values if item["score"] >= 0]
    items.sort(key=lambda item: (-item["score"], -item["documents"], item["value"]))
    return items[:size]


def ego_network(value: str, entity_type: str, neighbours: list[dict]) -> dict | None:
    """Positions, sizes and labels of the picture; None without neighbours.

    ``neighbours``: dicts with ``value``, ``type``, ``documents`` and ``url``."""
    if not neighbours:
        return None
    most = max(n["documents"] for n in neighbours) or 1
    nodes = []
    for i, n in enumerate(neighbours):
        angle = -math.pi / 2 + 2 * math.pi * i / len(neighbours)
        cos, sin = math.cos(angle), math.sin(angle)
        share = n["documents"] / most
        radius = round(6 + 8 * math.sqrt(share), 1)
        x, y = CENTER_X + RING * cos, CENTER_Y + RING * sin
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        nodes.append({
            **n,
            "x": round(x, 1), "y": round(y, 1), "r": radius,
            "edge_width": round(1 + 5 * share, 1),
            "label": _label(n["value"]),
            "label_x": round(x + (radius + 5) * cos, 1),
            # labels above or below a node at the top or bottom of the ring, beside it otherwise
            "label_y": round(y + (radius + 12) * sin + 4 if abs(cos) < 0.3 else y + 4, 1),
            "anchor": anchor,
        })
    described = "; ".join(f"{n['value']} ({n['type']}, {n['documents']:,} shared document"
                          f"{'' if n['documents'] == 1 else 's'})" for n in neighbours)
    return {
        "width": WIDTH, "height": HEIGHT,
        "center": {"x": CENTER_X, "y": CENTER_Y, "r": 18, "label": _label(value), "type": entity_type},
        "nodes": nodes,
        "description": f"{value} and the names most strongly associated with it: {described}.",
    }
