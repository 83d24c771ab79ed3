"""The Elasticsearch client built from settings, and errors turned into one clear line.

Version compatibility: the project pins the 8.x client (``elasticsearch>=8.13,<9``).
It sends ``Accept: application/vnd.elasticsearch+json; compatible-with=8``,
which Elasticsearch 8 accepts natively and Elasticsearch 9 through its REST
compatibility layer. The 9.x client sends ``compatible-with=9``, which an 8.x
server rejects with HTTP 400 — hence the pin.
"""
from __future__ import annotations

import os
import socket
import ssl
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from elasticsearch import (
    ApiError,
    AuthenticationException,
    AuthorizationException,
    ConnectionError as EsConnectionError,
    ConnectionTimeout,
    Elasticsearch,
    TransportError,
    UnsupportedProductError,
)
from elasticsearch.helpers import ScanError

from ..config import Settings
from .base import BackendError, BackendUnavailable

#: Retries per request on connection errors and 429/502/503/504. Timeouts are
#: not retried: a slow cluster is overloaded, and retrying only adds load.
MAX_RETRIES = 2
SUPPORTED_MAJORS = (8, 9)
#: Seconds a bulk chunk or an index-maintenance call (create, settings, refresh,
#: mapping, alias swap, delete) may take. ELASTICSEARCH_TIMEOUT is for searches;
#: a refresh or a 10 MB chunk on a busy cluster can take far longer, and a
#: timeout in the middle of a rebuild would throw the fresh generation away.
SLOW_CALL_TIMEOUT = 300.0


def slow(client: Elasticsearch) -> Elasticsearch:
    """The client for bulk and maintenance calls (:data:`SLOW_CALL_TIMEOUT`)."""
    return client.options(request_timeout=SLOW_CALL_TIMEOUT)


def hosts(settings: Settings) -> list[str]:
    """ELASTICSEARCH_URL, which may list several nodes separated by commas."""
    urls = [u.strip() for u in settings.elasticsearch_url.split(",") if u.strip()]
    if not urls:
        raise BackendError("ELASTICSEARCH_URL is empty; set it to the cluster address, e.g. http://localhost:9200")
    return urls


def redact(url: str) -> str:
    """The URL without any user:password part, for messages."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        netloc = parts.hostname or ""
        if parts.port:
            netloc += f":{parts.port}"
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def client_options(settings: Settings) -> dict:
    """Keyword arguments for :class:`elasticsearch.Elasticsearch` (pure, tested).

    An API key wins over user/password; a CA certificate path must exist.
    """
    options: dict = {
        "hosts": hosts(settings),
        "request_timeout": float(settings.elasticsearch_timeout or 10),
        "max_retries": MAX_RETRIES,
        "retry_on_timeout": False,
    }
    api_key = settings.elasticsearch_api_key.strip()
    username = settings.elasticsearch_username.strip()
    if api_key:
        options["api_key"] = api_key
    elif username:
        options["basic_auth"] = (username, settings.elasticsearch_password)
    ca_certs = settings.elasticsearch_ca_certs.strip()
    if ca_certs:
        if not os.path.isfile(ca_certs):
            raise BackendError(f"ELASTICSEARCH_CA_CERTS file not found: {ca_certs}")
        options["ca_certs"] = ca_certs
    return options


def make_client(settings: Settings) -> Elasticsearch:
    """A client for the configured cluster (no request is sent yet)."""
    options = client_options(settings)
    try:
        return Elasticsearch(**options)
    except ValueError as exc:  # e.g. a URL without scheme or port
        raise BackendError(f"Bad ELASTICSEARCH_URL {', '.join(map(redact, options['hosts']))}: {exc}") from None


def _chain(exc: BaseException):
    """The exception and everything it wraps (transport ``errors``, causes)."""
    seen, todo = set(), [exc]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [e for e in getattr(current, "errors", ()) or () if isinstance(e, BaseException)]
        todo += [e for e in (current.__cause__, current.__context__) if e is not None]


def connection_reason(exc: BaseException) -> str:
    """A short human reason for a transport failure."""
    for err in _chain(exc):
        text = str(err)
        if isinstance(err, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in text:
            return "its TLS certificate is not trusted (set ELASTICSEARCH_CA_CERTS to the cluster's CA certificate)"
        if isinstance(err, ssl.SSLError) or "WRONG_VERSION_NUMBER" in text.upper():
            return "the TLS handshake failed (does the URL scheme, http or https, match the cluster?)"
    for err in _chain(exc):
        text = str(err)
        if isinstance(err, ConnectionRefusedError) or "Connection refused" in text:
            return "connection refused"
        if isinstance(err, socket.gaierror) or "Failed to resolve" in text:
            return "host name not found"
        if isinstance(err, (ConnectionTimeout, TimeoutError, socket.timeout)) or "timed out" in text.lower():
            return "the request timed out"
        if "RemoteDisconnected" in text or "Connection aborted" in text or "reset by peer" in text:
            return "the server closed the connection (does the cluster expect https?)"
    last = [str(e) for e in _chain(exc) if str(e)]
    return (last[-1] if last else type(exc).__name__)[:160]


def error_type(exc: ApiError) -> str:
    """The server's error type, e.g. ``resource_already_exists_exception``."""
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error")
    return str(error.get("type") or "") if isinstance(error, dict) else ""


def _api_reason(exc: ApiError) -> str:
    """The server's own error reason, if any."""
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error")
    if isinstance(error, dict):
        return str(error.get("reason") or error.get("type") or exc.message)
    return str(error or exc.message)


def translate(exc: Exception, url: str) -> BackendError:
    """Map a client exception to the backend's error classes with one clear line.

    Unreachable cluster, bad credentials, overload → :class:`BackendUnavailable`
    (web: the 503 page); anything else the server refused → :class:`BackendError`.
    """
    where = f"Elasticsearch at {redact(url)}"
    if isinstance(exc, UnsupportedProductError):
        return BackendUnavailable(f"{where} is not an Elasticsearch server ({exc.message})")
    if isinstance(exc, AuthenticationException):
        return BackendUnavailable(
            f"{where} rejected the credentials (HTTP 401); check ELASTICSEARCH_API_KEY "
            "or ELASTICSEARCH_USERNAME / ELASTICSEARCH_PASSWORD"
        )
    if isinstance(exc, AuthorizationException):
        return BackendUnavailable(f"{where} refused the request (HTTP 403): {_api_reason(exc)}")
    if isinstance(exc, ApiError):
        status = exc.meta.status
        if status == 429 or status >= 500:
            return BackendUnavailable(f"{where} is overloaded or unavailable (HTTP {status}): {_api_reason(exc)}")
        return BackendError(f"{where} rejected a request (HTTP {status}): {_api_reason(exc)}")
    if isinstance(exc, (EsConnectionError, ConnectionTimeout, TransportError)):
        return BackendUnavailable(f"Cannot reach {where}: {connection_reason(exc)}")
    if isinstance(exc, ScanError):
        # A scroll that lost shards part-way (args: scroll id, message).
        return BackendUnavailable(f"{where} could not read every document: {exc.args[-1] if exc.args else exc}")
    return BackendError(f"{where}: {exc}")


@contextmanager
def translated(url: str):
    """Run client calls, re-raising their errors as backend errors (no traceback chain)."""
    try:
        yield
    except (ApiError, TransportError, ScanError) as exc:
        raise translate(exc, url) from None


def check_server(client: Elasticsearch, url: str) -> dict:
    """Ping the cluster once at start-up; return its ``info()``.

    Raises :class:`BackendUnavailable` with one clear line for an unreachable
    cluster, bad credentials, a server that is not Elasticsearch or an
    unsupported major version.
    """
    with translated(url):
        info = dict(client.info())
    number = str((info.get("version") or {}).get("number") or "0")
    major = int(number.split(".")[0]) if number.split(".")[0].isdigit() else 0
    if major not in SUPPORTED_MAJORS:
        raise BackendUnavailable(
            f"Elasticsearch {number} at {redact(url)} is not supported; use Elasticsearch 8.x or 9.x"
        )
    return info
