"""``/batch``: run a list of names (or queries) against the index and show a table.

The list comes from a text box or an uploaded file (plain lines, or CSV with a
``query`` column and filter columns). The form is a POST because a list is too
long for a URL, but nothing is written anywhere: the answer is a page, or the
same table as a CSV download. Limits on queries (``BATCH_MAX_QUERIES``) and
bytes (``BATCH_MAX_BYTES``, enforced by Flask's ``MAX_CONTENT_LENGTH`` before
anything is read) each come back as a clear message on the form.
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, current_app, render_template, request, stream_with_context, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from ..search import SearchRequest
from ..search.batch import BatchError, batch_lines, decode, parse_batch, run_batch
from ..search.export import MEDIA_TYPES
from . import state
from .engine import get_backend
from .presenters import plural

bp = Blueprint("batch", __name__)

#: Bytes allowed above BATCH_MAX_BYTES for the form's other fields and multipart framing.
FORM_OVERHEAD = 64 * 1024
#: Characters of a passage shown in the table (the CSV has it whole).
PASSAGE_CHARS = 300


def _search_url(req: SearchRequest, external: bool = False) -> str:
    return state.with_query(url_for("views.search", _external=external), req.to_args())


def _limits() -> dict:
    settings = current_app.config["SETTINGS"]
    return {"queries": settings.batch_max_queries, "bytes": settings.batch_max_bytes,
            "bytes_label": f"{settings.batch_max_bytes / 1_000_000:g} MB"}


def _form_text() -> str:
    """The list from the uploaded file, else from the text box; BatchError if too big."""
    limit = current_app.config["SETTINGS"].batch_max_bytes
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        data = upload.read(limit + 1)
        if len(data) > limit:
            raise BatchError(f"The file is larger than {_limits()['bytes_label']}. Split it into smaller lists.")
        return decode(data)
    text = request.form.get("queries", "")
    if len(text.encode("utf-8")) > limit:
        raise BatchError(f"The list is larger than {_limits()['bytes_label']}. Split it into smaller lists.")
    return text


def _present(row) -> dict:
    passage = " ".join(row.passage.split())
    if len(passage) > PASSAGE_CHARS:
        passage = passage[:PASSAGE_CHARS].rsplit(" ", 1)[0] + " …"
    return {
        "line": row.query.line,
        "query": row.query.text,
        "filters": [f"{k}: {v}" for k, v in row.query.args if k != "q"],
        "total": row.total,
        "total_label": plural(row.total, "document"),
        "top": [{"title": title, "url": url_for("views.document", doc_id=doc_id)} for doc_id, title in row.top],
        "passage": passage,
        "search_url": _search_url(row.request),
        "warnings": row.warnings,
    }


def _page(status: int = 200, list_text: str = "", words: bool = False, **values):
    form = {"queries": list_text, "words": words}
    return render_template("batch.html", limits=_limits(), form=form, **values), status


@bp.get("/batch")
def batch_form():
    """The empty batch search form."""
    return _page()


@bp.post("/batch")
def batch_run():
    """Run the list: a table page, or (``format=csv``) the table as a download."""
    try:
        words = bool(request.form.get("words"))
        text = _form_text()
        queries, warnings = parse_batch(text, current_app.config["SETTINGS"].batch_max_queries, phrase=not words)
    except RequestEntityTooLarge:  # raised by Flask on reading the form (MAX_CONTENT_LENGTH)
        return _page(413, error=f"The upload is larger than {_limits()['bytes_label']}. Split it into smaller lists.")
    except BatchError as exc:
        return _page(400, request.form.get("queries", ""), words, error=str(exc))
    if not queries:
        return _page(400, error="The list is empty: write one name or query per line, or upload a file.")
    backend = get_backend()
    limits = current_app.config["SETTINGS"].limits
    rows = run_batch(backend, queries, top=current_app.config["SETTINGS"].batch_top_documents, limits=limits)
    if request.form.get("format") == "csv":
        body = batch_lines(rows, "csv", lambda req: _search_url(req, external=True))
        stamp = f"{dt.datetime.now(dt.timezone.utc):%Y%m%d-%H%M%S}"
        return Response(stream_with_context(body), headers={
            "Content-Type": MEDIA_TYPES["csv"],
            "Content-Disposition": f'attachment; filename="batch-{stamp}.csv"',
        })
    presented = [_present(row) for row in rows]
    return _page(200, text, words, rows=presented, warnings=warnings,
                 summary=f"{len(presented):,} {'query' if len(presented) == 1 else 'queries'}, "
                         f"{sum(1 for r in presented if r['total']):,} with matches")
