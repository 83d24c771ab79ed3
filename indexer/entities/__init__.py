"""Entity extraction rules: clean-up, type repair, resolution, years, registry and curation.

Each module is small and (apart from the registry file) pure; the spaCy side
lives in :mod:`indexer.enrich`.
"""
from .corpus import resolve_articles
from .curation import Curation, CurationError, load_curation, parse_curation
from .normalise import clean_name, fold, strip_honorifics
from .registry import EntityRegistry
from .resolve import resolve_document
from .years import mentioned_years

__all__ = [
    "Curation", "CurationError", "EntityRegistry", "clean_name", "fold", "load_curation", "mentioned_years",
    "parse_curation", "resolve_articles", "resolve_document", "strip_honorifics",
]
