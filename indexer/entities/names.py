"""Generic name vocabulary: given names, place-feature words, context cues.

Given names come from Faker's person providers (MIT licensed; about 31,000
names from some 80 locales), folded like facet values.
They are only used as *supporting* evidence (an organisation-labelled span that
starts with a given name and whose last word recurs alone is a person), never
as a list of particular entities.
"""
from __future__ import annotations

import re
from functools import lru_cache
import importlib
import pkgutil
from typing import Iterator

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


def _faker_given_names() -> Iterator[str]:
    """Given names from Faker's person providers (MIT licensed, ~80 locales)."""
    import faker.providers.person as person_providers

    for module_info in pkgutil.iter_modules(person_providers.__path__):
        try:
            module = importlib.import_module(f"{person_providers.__name__}.{module_info.name}")
        except Exception:  # a locale module that fails to import only loses its names
            continue
        provider = getattr(module, "Provider", None)
        for attr in ("first_names", "first_names_male", "first_names_female"):
            # Read the class attribute itself: some locales define these as properties.
            names = provider.__dict__.get(attr) if provider is not None else None
            if isinstance(names, dict):
                names = names.keys()
            if isinstance(names, (tuple, list, set, frozenset, type({}.keys()))):
                yield from names


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Folded given names ("jiri", "leyla", "amara"), loaded once on first use (~0.2 s)."""
    names = set()
    for name in _faker_given_names():
        for variant in {name, name.replace(" ", "-")}:
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
