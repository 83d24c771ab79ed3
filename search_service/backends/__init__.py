"""Choose and open a search backend from configuration.

Engines are imported lazily so a Tantivy deployment never imports the
Elasticsearch client, and vice versa.
"""
from __future__ import annotations

from .base import Backend, BackendError, BackendUnavailable, IndexBusy, Writer

BACKENDS = ("tantivy", "elasticsearch")


def open_backend(config: dict) -> Backend:
    """Open the backend named by ``config["BACKEND"]``."""
    name = config.get("BACKEND", "tantivy")
    if name == "tantivy":
        from .tantivy_backend import TantivyBackend

        return TantivyBackend.from_config(config)
    if name == "elasticsearch":
        from .elasticsearch_backend import ElasticsearchBackend

        return ElasticsearchBackend.from_config(config)
    raise BackendError(f"Unknown backend {name!r}; choose one of: {', '.join(BACKENDS)}")


__all__ = ["Backend", "BackendError", "BackendUnavailable", "IndexBusy", "Writer", "open_backend", "BACKENDS"]
