"""Results that leave the page: ``/api/export`` (CSV / JSON Lines of every
matching document) and ``/search.atom`` (a feed of the newest).

Both parse the search exactly as the page does (:func:`args.parse_search_request`)
and read through :meth:`Backend.iter_hits`, which streams in batches, so an
export of 100,000 documents runs in flat memory. Read-only.
"""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, request, stream_with_context, url_for

from ..search import SearchRequest
from ..search.export import FORMATS, MEDIA_TYPES, export_lines
from . import state
from .engine import get_backend
from .feed import MEDIA_TYPE as ATOM_MEDIA_TYPE
from .feed import FeedInfo, atom_feed
from .presenters import PAGE_PARAMS, feed_url, search_pairs
from .args import parse_search_request

bp = Blueprint("export", __name__)

def document_url(doc_id: str) -> str:
    """The document page's absolute URL."""
    return url_for("views.document", doc_id=doc_id, _external=True)


def _filename(fmt: str) -> str:
    return f"search-{dt.datetime.now(dt.timezone.utc):%Y%m%d-%H%M%S}.{fmt}"


@bp.get("/api/export")
def export():
    """Every document of the search as CSV or JSON Lines, streamed; capped at
    ``EXPORT_MAX_DOCUMENTS`` (headers and the file's last line say so)."""
    fmt = request.args.get("format", "csv")
    if fmt not in FORMATS:
        abort(400, description=f"Unknown export format {fmt[:20]!r}; choose one of: {', '.join(FORMATS)}.")
    req = parse_search_request()
    cap = current_app.config["SETTINGS"].export_max_documents
    stream = get_backend().iter_hits(req, cap)
    body = export_lines(stream, fmt, cap, document_url)
    response = Response(stream_with_context(body), mimetype=MEDIA_TYPES[fmt].split(";")[0])
    response.headers["Content-Type"] = MEDIA_TYPES[fmt]
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(fmt)}"'
    response.headers["X-Total-Count"] = str(stream.total)
    response.headers["X-Export-Count"] = str(min(stream.total, cap))
    if stream.total > cap:
        response.headers["X-Export-Truncated"] = f"limit {cap}"
    response.call_on_close(stream.close)
    return response


def feed_title(req: SearchRequest) -> str:
    """A feed reader's name for the search: its text and filters."""
    parts = [f"“{req.q}”"] if req.q else []
    parts += [f"{k}: {v}" for k, v in search_pairs(req, PAGE_PARAMS + ("sort", "q"))]
    return "Article search — " + (", ".join(parts) if parts else "all documents")


@bp.get("/search.atom")
def feed():
    """The newest ``FEED_SIZE`` documents of the search as an Atom feed."""
    req = parse_search_request().with_changes(sort="newest", page=1)
    stream = get_backend().iter_hits(req, current_app.config["SETTINGS"].feed_size)
    try:
        hits = list(stream)
    finally:
        stream.close()
    pairs = search_pairs(req, PAGE_PARAMS + ("sort",))
    info = FeedInfo(
        title=feed_title(req),
        authority=urlsplit(request.host_url).hostname or "localhost",
        search_key=state.with_query("", pairs).lstrip("?"),
        self_url=feed_url(req, external=True),
        page_url=state.with_query(url_for("views.search", _external=True), pairs + [("sort", "newest")]),
        now=dt.datetime.now(dt.timezone.utc),
    )
    return Response(atom_feed(info, hits, document_url), headers={"Content-Type": ATOM_MEDIA_TYPE})
