"""The search path: request arguments → :class:`SearchRequest` → backend → :class:`SearchResult`."""
from .request import SearchRequest, Limits
from .result import SearchResult, DocumentHit, PassageHit, FacetValue, HitStream

__all__ = ["SearchRequest", "Limits", "SearchResult", "DocumentHit", "PassageHit", "FacetValue", "HitStream"]
