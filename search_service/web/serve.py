"""Run the app under gunicorn, from ``search-service serve`` or ``gunicorn.conf.py``.

:func:`gunicorn_options` is the one source of the server settings; the repo's
``gunicorn.conf.py`` reads it, and :func:`run_gunicorn` passes it to an embedded
gunicorn so ``serve`` behaves like production.
"""
from __future__ import annotations

import os

DEFAULT_BIND = "127.0.0.1:8000"


def _env_int(name: str, default: int, environ) -> int:
    try:
        return max(1, int(environ.get(name, default)))
    except ValueError:
        return default


def gunicorn_options(bind: str | None = None, workers: int | None = None, environ=None) -> dict:
    """Server settings: arguments first, then ``SEARCH_BIND`` / ``SEARCH_WORKERS``
    (or gunicorn's ``WEB_CONCURRENCY``) / ``SEARCH_THREADS``, then defaults."""
    environ = os.environ if environ is None else environ
    workers = workers or _env_int("SEARCH_WORKERS", _env_int("WEB_CONCURRENCY", 2, environ), environ)
    return {
        "bind": bind or environ.get("SEARCH_BIND", DEFAULT_BIND),
        "workers": workers,
        # Threads keep connections alive and overlap slow clients; searches are short.
        "worker_class": "gthread",
        "threads": _env_int("SEARCH_THREADS", 4, environ),
        # Each worker opens the index itself on its first request (see web/engine.py).
        "preload_app": False,
        "timeout": 30,
        "graceful_timeout": 20,
        "keepalive": 5,
        "max_requests": 10000,  # recycle workers now and then; jitter avoids all at once
        "max_requests_jitter": 1000,
        "accesslog": environ.get("SEARCH_ACCESS_LOG", "-") or None,
        "errorlog": "-",
        "proc_name": "search-service",
        # gunicorn's default control socket is one path per user (~/.gunicorn), shared
        # by every gunicorn that user runs; this service needs none.
        "control_socket_disable": True,
    }


def run_gunicorn(settings, bind: str, workers: int) -> None:
    """Serve ``create_app(settings)`` (a :class:`~search_service.config.Settings` or
    a dict of overrides) with gunicorn until interrupted."""
    from gunicorn.app.base import BaseApplication

    from . import create_app

    options = gunicorn_options(bind=bind, workers=workers)

    class SearchApplication(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                if value is not None:
                    self.cfg.set(key, value)

        def load(self):
            return create_app(settings)

    SearchApplication().run()
