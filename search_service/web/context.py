"""The search a document page was opened from, carried in its URL.

A result links to ``/documents/<id>?<the search state>&hit=<rank>`` (rank counts
from 1 over the whole result list). The document page then offers the way back to
that result page, the previous and next result, and marks the query's matches —
all plain links and anchors. ``shown`` lists the passages the result already
showed, so "N more matches" lands on the first match beyond them.
"""
from __future__ import annotations

import math

from flask import request, url_for

from ..search import SearchRequest
from . import state

#: Parameters of a document page itself, never part of the search state.
DOCUMENT_PARAMS = ("part", "hit", "shown")


def document_link(doc_id: str, req: SearchRequest | None, rank: int | None, shown: list[int] = (),
                  anchor: str = "") -> str:
    """A document page URL that remembers the search ``req`` and the result's ``rank``."""
    pairs = context_pairs(req, rank)
    if shown:
        pairs.append(("shown", ".".join(str(i) for i in shown)))
    return state.with_query(url_for("views.document", doc_id=doc_id), pairs) + (f"#{anchor}" if anchor else "")


def context_pairs(req: SearchRequest | None, rank: int | None) -> list[tuple[str, str]]:
    """Query pairs of a search context: the state of the result page holding ``rank``, and the rank."""
    if req is None:
        return []
    if rank is None:
        return req.to_args()
    return state.paged(req, max(1, math.ceil(rank / req.size))).to_args() + [("hit", str(rank))]


def parse_rank() -> int | None:
    """``hit`` of the URL, a result rank from 1; None when absent or unreadable."""
    raw = request.args.get("hit", "")
    return int(raw) if raw.isascii() and raw.isdecimal() and 0 < len(raw) <= 9 and int(raw) > 0 else None


def parse_shown() -> set[int]:
    """``shown``: passage indexes a result already showed ("3.7.9")."""
    return {int(p) for p in request.args.get("shown", "").split(".")[:10] if p.isascii() and p.isdecimal() and len(p) < 9}


def has_context(req: SearchRequest) -> bool:
    """Whether the URL carried a search at all (a bare document link does not)."""
    return any(k in request.args for k, _ in req.to_args()) or "hit" in request.args


def present_context(backend, req: SearchRequest, rank: int | None, doc_id: str) -> dict:
    """Back to the results (same state, at this result) and the neighbouring results."""
    back = state.with_query(url_for("views.search"), context_pairs(req, rank)[:-1] if rank else req.to_args())
    context = {"back_url": back + (f"#hit-{rank}" if rank else ""), "previous": None, "next": None}
    if rank is None:
        return context

    def neighbour(at: int) -> dict | None:
        if at < 1 or at > req.limits.max_page * req.limits.max_size:
            return None
        # one result at that rank: a page of size 1 (built directly: no clamping to the page limit)
        hits = backend.search(req.with_changes(page=at, size=1)).hits
        if not hits or hits[0].id == doc_id and at != rank:
            return None
        return {"url": document_link(hits[0].id, req, at), "title": hits[0].title or hits[0].id, "rank": at}

    context["previous"] = neighbour(rank - 1)
    context["next"] = neighbour(rank + 1)
    return context
