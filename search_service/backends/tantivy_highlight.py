"""Highlight spans in passage text for the words, phrases and prefixes of a query.

The passage is tokenised with the very analyzer used for indexing, so a span is
marked exactly when the engine would match that token; the token offsets tantivy
returns are code-point offsets into the Python string, so ``text[start:end]`` is
the original word ("Jiří", "reported").
"""
from __future__ import annotations

from .tantivy_query import Leaf
from .tantivy_schema import TEXT_ANALYZER


def highlight_spans(text: str, leaves: list[Leaf]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) spans of ``text`` matching ``leaves``."""
    if not text or not leaves:
        return []
    tokens = TEXT_ANALYZER.pre_tokenize(text).tokens
    by_position = {tok.position: tok for tok in tokens}
    spans: set[tuple[int, int]] = set()
    for leaf in leaves:
        last = len(leaf.tokens) - 1
        if last == 0 or leaf.slop:
            # Single words, and phrases with slop (approximate): mark each word.
            for tok in tokens:
                if any(_matches(leaf, i, tok.text) for i in range(last + 1)):
                    spans.add((tok.char_offset_from, tok.char_offset_to))
            continue
        for tok in tokens:
            if not _matches(leaf, 0, tok.text):
                continue
            run = [by_position.get(tok.position + rel) for rel, _ in leaf.tokens]
            if all(t is not None and _matches(leaf, i, t.text) for i, t in enumerate(run)):
                spans.update((t.char_offset_from, t.char_offset_to) for t in run)
    return sorted(spans)


def _matches(leaf: Leaf, i: int, token: str) -> bool:
    if leaf.prefixes and i == len(leaf.tokens) - 1:
        return any(token.startswith(p) for p in leaf.prefixes)
    return token == leaf.tokens[i][1]
