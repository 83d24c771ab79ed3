"""The Flask + htmx web app: search page, facets, document pages and the JSON API."""
from .app import create_app

__all__ = ["create_app"]
