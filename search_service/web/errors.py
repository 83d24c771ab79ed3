"""One place mapping errors to status codes, as HTML pages or JSON under /api/.

* unknown URL or document → 404
* engine cannot be opened or answers with an error → 503 with a clear message
* a query string that is not UTF-8 → 400
* any other HTTP error keeps its code; anything unexpected → 500 (logged)

htmx requests for a fragment get the error as a fragment, so the message
appears in the results region instead of replacing the page.
"""
from __future__ import annotations

import logging
import re

from flask import Flask, current_app, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, NotFound

from ..backends import BackendError, BackendUnavailable
from .partial import is_htmx_partial_request

log = logging.getLogger(__name__)

TITLES = {400: "Bad request", 404: "Not found", 405: "Method not allowed"}

UNAVAILABLE_TITLE = "Search is unavailable"
UNAVAILABLE_MESSAGE = (
    "The search engine cannot be reached right now. Nothing is wrong with your search; "
    "please try again in a minute."
)


#: An absolute file path in an engine's message (not the "//" of a URL).
_PATH = re.compile(r"(?<![\w:/.])/[^\s'\";,]+")


def public_detail(detail: str | None, data_dir: str | None = None) -> str | None:
    """An engine message fit to show: no server file path (the log keeps the full text).
    The data folder goes first as a whole, since its name may hold spaces."""
    if not detail:
        return None
    if data_dir:
        detail = detail.replace(str(data_dir), "[data folder]")
    return _PATH.sub("[path]", detail)


def wants_json() -> bool:
    """JSON for the API and the health check, HTML everywhere else."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(status: int, title: str, message: str, detail: str | None = None):
    """Render one error the way the request wants it."""
    if wants_json():
        body = {"error": {"status": status, "title": title, "message": message}}
        if detail:
            body["error"]["detail"] = detail
        if request.path == "/healthz":
            body["status"] = "unavailable" if status == 503 else "error"
        response = jsonify(body)
    else:
        template = "_error.html" if is_htmx_partial_request() else "error.html"
        response = render_template(template, status=status, title=title, message=message, detail=detail)
    return response, status


def _http_error(exc: HTTPException):
    status = exc.code or 500
    title = TITLES.get(status, exc.name)
    if status == 404 and exc.description == NotFound.description:
        message = "There is no page at this address."
    elif status >= 500:
        message = "Something went wrong."
    else:
        message = exc.description
    response = make_response(*error_response(status, title, message))
    if status == 405:
        response.headers["Allow"] = ", ".join(sorted(exc.valid_methods or ["GET", "HEAD"]))
    return response


def _unavailable(exc: BackendError):
    log.warning("search engine unavailable: %s", exc)
    response = make_response(*error_response(503, UNAVAILABLE_TITLE, UNAVAILABLE_MESSAGE, detail=public_detail(str(exc), current_app.config["SETTINGS"].data_dir)))
    response.headers["Retry-After"] = "30"
    return response


def _unexpected(exc: Exception):
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    log.exception("unhandled error on %s", request.path)
    return error_response(500, "Something went wrong", "The server hit an unexpected error. It has been logged.")


def _undecodable(exc: UnicodeDecodeError):
    # Werkzeug 3 decodes the query string strictly, so raw (not %-escaped) bytes that
    # are not UTF-8 raise here; that is the client's mistake, not a server error.
    try:
        request.query_string.decode("utf-8")
    except UnicodeDecodeError:
        return make_response(*error_response(400, "Bad request", "The address is not valid UTF-8."))
    return _unexpected(exc)


def register(app: Flask) -> None:
    """Install the handlers on ``app``."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(BackendUnavailable, _unavailable)
    app.register_error_handler(BackendError, _unavailable)
    app.register_error_handler(UnicodeDecodeError, _undecodable)
    app.register_error_handler(Exception, _unexpected)
