"""The search backend, opened lazily once per process.

Nothing is opened at import time or in ``create_app``: gunicorn workers (with
``preload_app = False``) each open the index on their first request, and a failed
open is retried on the next request instead of poisoning the worker.
"""
from __future__ import annotations

import threading

from flask import Flask, current_app

from ..backends import Backend, open_backend
from ..config import Settings

EXTENSION = "search_backend"


class BackendHolder:
    """Holds one backend per app; thread-safe for threaded workers."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._backend: Backend | None = None
        self._lock = threading.Lock()

    def get(self) -> Backend:
        """The open backend; raises ``BackendUnavailable`` when it cannot be opened."""
        backend = self._backend
        if backend is None:
            with self._lock:
                if self._backend is None:
                    self._backend = open_backend(self.settings)
                backend = self._backend
        return backend

    def close(self) -> None:
        with self._lock:
            if self._backend is not None:
                self._backend.close()
                self._backend = None


def init_app(app: Flask, settings: Settings) -> None:
    app.extensions[EXTENSION] = BackendHolder(settings)


def get_backend() -> Backend:
    """The current app's backend (opened on first use)."""
    return current_app.extensions[EXTENSION].get()
