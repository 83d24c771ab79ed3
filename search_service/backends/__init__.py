"""Choose and open a search backend from configuration.

Engines are imported lazily so a Tantivy deployment never imports the
Elasticsearch client, and vice versa.
"""
from __future__ import annotations

from ..config import Settings
from .base import Backend, BackendError, BackendUnavailable, IndexBusy, Writer

BACKENDS = ("tantivy", "elasticsearch")


def open_backend(settings: Settings) -> Backend:
    """Open the backend named by ``settings.backend``."""
    name = settings.backend
    if name == "tantivy":
        from .tantivy_backend import TantivyBackend

        return TantivyBackend.from_settings(settings)
    if name == "elasticsearch":
        from .elasticsearch_backend import ElasticsearchBackend

        return ElasticsearchBackend.from_settings(settings)
    raise BackendError(f"Unknown backend {name!r}; choose one of: {', '.join(BACKENDS)}")


__all__ = ["Backend", "BackendError", "BackendUnavailable", "IndexBusy", "Writer", "open_backend", "BACKENDS"]
