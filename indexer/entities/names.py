"""Generic name vocabulary: given names, place-feature words, context cues.

Given names come from the ``gender-guesser`` package's international first-name
dictionary (about 45,000 names from 50+ countries), folded like facet values.
They are only used as *supporting* evidence (an organisation-labelled span that
starts with a given name and whose last word recurs alone is a person), never
as a list of particular entities.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .normalise import fold

#: Words that begin or end place names ("River Tamsin", "Lake Odari", "Harbour Point").
PLACE_FEATURES = frozenset(
    """river lake mount mountain mountains mt port fort cape bay gulf sea ocean island islands isle hills hill
    valley falls peninsula strait desert forest park coast beach creek canyon glacier plateau plain plains
    delta basin reef lagoon harbour harbor point head saint st san santa sao são""".split()
)
#: Words before a name that make it a place: "the town of X", "mayor of X", "in X".
PLACE_CUE_PHRASES = re.compile(
    r"(?:\b(?:town|village|city|region|province|district|county|municipality|capital|island|port|state|"
    r"republic|suburb|commune|hamlet|borough|mayor|residents|people|streets|outskirts|centre|center|"
    r"council|government|parliament)\s+of"
    r"|\b(?:in|near|outside|across)(?:\s+the\s+(?:east|west|north|south|centre|center)\s+of)?)"
    r"\s+$",
    re.IGNORECASE,
)
#: A capitalised word or two right after these is a place even if NER missed it.
PLACE_INTRO = re.compile(
    r"\b(?:town|village|city|hamlet|municipality|port|suburb|commune|borough)\s+of\s+"
    r"((?:[A-ZÀ-ÖØ-Þ][\w’'\-]+)(?:[ -](?:[A-ZÀ-ÖØ-Þ][\w’'\-]+))?)"
)
#: Capitalised words that are never part of a person's name.
NOT_NAME_WORDS = frozenset(
    """the a an and or of in on at to for from by with as said says but this that these those it its he she
    they we his her their our my your when while after before during since until if then there here
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december today yesterday tomorrow mr mrs ms dr""".split()
)


def _given_names_file() -> Path | None:
    try:
        import gender_guesser
    except ImportError:  # optional: without it the given-name rule simply never fires
        return None
    path = Path(gender_guesser.__file__).parent / "data" / "nam_dict.txt"
    return path if path.exists() else None


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Folded given names ("jiri", "leyla", "amara"), loaded once on first use."""
    path = _given_names_file()
    if path is None:
        return frozenset()
    names = set()
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line[:1] in "#=" or len(line) < 4:
                continue
            parts = line.split()
            if len(parts) < 2:
                continue
            for variant in {parts[1].replace("+", ""), parts[1].replace("+", "-")}:
                key = fold(variant)
                if len(key) >= 2:
                    names.add(key)
    return frozenset(names)


def is_given_name(word: str) -> bool:
    """True if ``word`` is a known given name (after folding: "Jiří" and "Jiri" alike)."""
    return fold(word) in given_names()


@lru_cache(maxsize=8)
def _lowercase_words(text: str) -> frozenset[str]:
    # Computed once per document (the resolver asks about many words of the same text).
    return frozenset(re.findall(r"(?<![\w-])[^\W\d_A-Z][^\W_]*(?![\w-])", text))


def word_used_lowercase(word: str, text: str) -> bool:
    """True when ``word`` also appears in ``text`` in lowercase (a common noun, not a name)."""
    w = word.lower()
    if not w.isalpha() or w == word:
        return False
    return w in _lowercase_words(text)


#: A dateline: a place at the start of a line, then a date ("KENDLETON, March 3, 2019 -", "Baku, Feb. 26").
DATELINE_AFTER = re.compile(
    r"^(?:,\s*[A-Z][\w .'’-]{0,30})?,\s*(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d",
    re.IGNORECASE,
)


def is_dateline_place(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` opens a line and a date follows: the dateline's place."""
    line_start = start == 0 or text[start - 1] == "\n"
    return line_start and DATELINE_AFTER.match(text[end:end + 60]) is not None
