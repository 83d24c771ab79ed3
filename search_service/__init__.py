"""Faceted full-text search over article collections.

``create_app`` is imported lazily so the CLI and the indexer don't pay for Flask.
"""


def create_app(config=None):
    """Flask application factory (see :mod:`search_service.web.app`)."""
    from .web.app import create_app as _create_app

    return _create_app(config)
