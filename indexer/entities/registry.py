"""Corpus-wide memory of entity names: spelling counts and type votes per merge key.

An incremental ``index`` run only sees new articles, so the display name and
type of a value must come from everything indexed so far, or "Jiří" indexed
yesterday and "Jiri" today would become two facet values. The registry is a
small JSON file (``DATA_DIR/entity_registry.json``) written atomically;
``reindex`` starts from an empty one.
"""
from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from pathlib import Path

from .normalise import best_spelling

REGISTRY_NAME = "entity_registry.json"
_VERSION = 1


class EntityRegistry:
    """Spelling counts and type votes per folded name, optionally persisted to ``path``."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else None
        self.spellings: dict[str, Counter] = {}
        self.types: dict[str, Counter] = {}
        if self.path and self.path.exists():
            self._load()

    @classmethod
    def for_data_dir(cls, data_dir: str | os.PathLike | None) -> "EntityRegistry":
        """The registry kept in ``data_dir`` (in memory only when no data dir is set)."""
        return cls(Path(data_dir) / REGISTRY_NAME if data_dir else None)

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            entries = data["entries"] if data.get("version") == _VERSION else {}
            for key, entry in entries.items():
                self.spellings[key] = Counter(entry.get("spellings", {}))
                self.types[key] = Counter(entry.get("types", {}))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            # A damaged registry only costs consistency with earlier runs; never block indexing.
            self.spellings, self.types = {}, {}

    def add(self, key: str, spelling: str, etype: str, mentions: int = 1, weight: int = 1) -> None:
        """Record one document naming ``key`` as ``spelling`` (``mentions`` times) with type ``etype``.

        Spellings are weighted by mentions (the form writers use most); a type vote
        counts the mentions too, but at most five, so one long article cannot
        outvote the rest of the corpus, times ``weight`` (the article's evidence for
        the type, see :mod:`.evidence`).
        """
        self.spellings.setdefault(key, Counter())[spelling] += max(1, mentions)
        self.types.setdefault(key, Counter())[etype] += min(max(1, mentions), 5) * max(1, weight)

    def display(self, key: str, default: str) -> str:
        """Most frequent spelling seen for ``key`` (diacritics win ties)."""
        counts = self.spellings.get(key)
        return best_spelling(counts) if counts else default

    def type_of(self, key: str, default: str) -> str:
        """Majority type for ``key``; ``default`` wins ties."""
        votes = self.types.get(key)
        if not votes:
            return default
        return max(votes, key=lambda t: (votes[t], t == default))

    def clear(self) -> None:
        """Forget everything (``reindex`` recomputes from scratch) and delete the file."""
        self.spellings, self.types = {}, {}
        if self.path and self.path.exists():
            self.path.unlink()

    def save(self) -> None:
        """Write the registry atomically (temp file + rename), if it has a path."""
        if not self.path:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        entries = {
            key: {"spellings": dict(self.spellings[key]), "types": dict(self.types.get(key, {}))}
            for key in sorted(self.spellings)
        }
        fd, tmp = tempfile.mkstemp(prefix=".entity_registry.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"version": _VERSION, "entries": entries}, fh, ensure_ascii=False)
            os.replace(tmp, self.path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
