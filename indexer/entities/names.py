"""Generic name vocabulary: given names, surnames, common words, place-feature words, context cues.

Given names and surnames come from Faker's person providers (MIT licensed; about
31,000 given names and 28,000 surnames from some 80 locales), folded like facet
values. Common English words come from ``wordfreq`` (its small English list).
Both are only used as *supporting* evidence (an organisation-labelled span that
starts with a given name and whose last word recurs alone is a person; a
sentence-initial "Founded" is a word, not a person), never as a list of
particular entities.
"""
from __future__ import annotations

import re
from functools import lru_cache
import importlib
import pkgutil
from typing import Iterator

from .normalise import HONORIFICS, TITLES, fold
from .types import is_nationality

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
#: "the towns of A, B and C", "the rebel-held villages of A and B": every listed name is a place.
_PLACE_LIST_INTRO = re.compile(
    r"\b(?:towns|villages|cities|hamlets|municipalities|suburbs|communes|boroughs|provinces|districts|"
    r"regions|counties|islands|ports|governorates|prefectures|states|emirates|cantons|oblasts|countries)"
    r"(?:\s+of|,?\s+(?:including|such\s+as|like|namely)|\s*:)\s*:?\s+"
)
_LIST_ITEM = re.compile(r"[A-ZÀ-ÖØ-Þ][\w’'\-]+(?: [A-ZÀ-ÖØ-Þ][\w’'\-]+){0,2}")
_LIST_SEPARATOR = re.compile(r",? and |,? or |, ")


@lru_cache(maxsize=8)
def place_list_items(text: str) -> tuple[tuple[int, int], ...]:
    """Character ranges of the names listed after a plural place noun: "the towns of A, B and C",
    "nine governorates, including: A, B and C", "countries such as A and B"."""
    return _list_items(text, _PLACE_LIST_INTRO)


def _list_items(text: str, intro_pattern: re.Pattern) -> tuple[tuple[int, int], ...]:
    items = []
    for intro in intro_pattern.finditer(text):
        pos = intro.end()
        while (item := _LIST_ITEM.match(text, pos)) is not None:
            items.append(item.span())
            separator = _LIST_SEPARATOR.match(text, item.end())
            if separator is None:
                break
            pos = separator.end()
    return tuple(items)  # cached and shared by callers: immutable


#: "the airlines of A, B and C", "lenders such as A and B": every listed name is an organisation.
_BODY_LIST_INTRO = re.compile(
    r"\b(?:companies|firms|airlines|carriers|banks|lenders|insurers|operators|brands|retailers|manufacturers|"
    r"carmakers|automakers|clubs|teams|parties|agencies|universities|charities|newspapers|broadcasters)"
    r"(?:\s+of|,?\s+(?:including|such\s+as|like|namely)|\s*:)\s*:?\s+"
)


@lru_cache(maxsize=8)
def body_list_items(text: str) -> tuple[tuple[int, int], ...]:
    """Character ranges of the names listed after a plural noun for bodies: "the airlines of A, B
    and C", "banks such as A and B"."""
    return _list_items(text, _BODY_LIST_INTRO)


#: Capitalised words that are never part of a person's name.
NOT_NAME_WORDS = frozenset(
    """the a an and or of in on at to for from by with as said says but this that these those it its he she
    they we his her their our my your when while after before during since until if then there here
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december today yesterday tomorrow mr mrs ms dr""".split()
)


def _faker_names(attrs: tuple[str, ...]) -> Iterator[str]:
    """Names from Faker's person providers (MIT licensed, ~80 locales): the given class attributes."""
    import faker.providers.person as person_providers

    for module_info in pkgutil.iter_modules(person_providers.__path__):
        try:
            module = importlib.import_module(f"{person_providers.__name__}.{module_info.name}")
        except Exception:  # a locale module that fails to import only loses its names
            continue
        provider = getattr(module, "Provider", None)
        for attr in attrs:
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
    for name in _faker_names(("first_names", "first_names_male", "first_names_female")):
        for variant in {name, name.replace(" ", "-")}:
            key = fold(variant)
            if len(key) >= 2:
                names.add(key)
    return frozenset(names)


def is_given_name(word: str) -> bool:
    """True if ``word`` is a known given name (after folding: "Jiří" and "Jiri" alike)."""
    return fold(word) in given_names()


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """Folded surnames from the same Faker providers ("novak", "brown"), loaded once on first use."""
    names = set()
    for name in _faker_names(("last_names", "last_names_male", "last_names_female")):
        key = fold(name)
        if len(key) >= 2:
            names.add(key)
    return frozenset(names)


def is_known_name(word: str) -> bool:
    """True if ``word`` is a known given name or surname."""
    key = fold(word)
    return key in given_names() or key in surnames()


#: Zipf frequency (log10 of uses per billion words) from which a word counts as common English.
COMMON_WORD_ZIPF = 3.0


@lru_cache(maxsize=1)
def _zipf():
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # without the word list the rules that need it simply do not fire
        return None
    return zipf_frequency


@lru_cache(maxsize=16384)
def is_common_word(word: str) -> bool:
    """True if ``word`` (case ignored) is a common English word: "Founded", "Harvest", "Acting".

    Uses wordfreq's small English list (words used at least once per million).
    Many names are common words too ("Paris", "Brown"), so callers combine this
    with a position where capitals say nothing (a sentence start) and with
    :func:`is_known_name`.
    """
    zipf = _zipf()
    if zipf is None or not word.isalpha():
        return False
    return zipf(word.lower(), "en", wordlist="small") >= COMMON_WORD_ZIPF


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


#: A dateline: a place at the start of a line, then a date ("KENDLETON, March 3, 2019 -", "Dravik, Feb. 26").
DATELINE_AFTER = re.compile(
    r"^(?:,\s*[A-Z][\w .'’-]{0,30})?,\s*(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d",
    re.IGNORECASE,
)


#: An agency in brackets, then a dash: "Kelburn (Velwire) – …", a dateline without a date.
_AGENCY_DASH_AFTER = re.compile(r"^\s*\((?:[A-Z][\w.&-]*\s?){1,3}\)\s*[-–—]")


def is_dateline_place(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` opens a line and a date, or an agency in brackets and a dash,
    follows: the dateline's place."""
    line_start = start == 0 or text[start - 1] == "\n"
    after = text[end:end + 60]
    return line_start and (DATELINE_AFTER.match(after) is not None or _AGENCY_DASH_AFTER.match(after) is not None)


#: Nouns for people: "<Name>, a mother of three" / "<Name>, a Latvian journalist" names a person.
PERSON_NOUNS = frozenset(
    """man woman boy girl mother father son daughter wife husband widow widower grandmother grandfather
    grandson granddaughter sister brother aunt uncle cousin niece nephew child baby friend neighbour neighbor
    resident survivor witness victim citizen refugee student pupil graduate mp senator diplomat official
    journalist reporter correspondent editor writer author poet novelist historian scholar professor
    teacher lecturer scientist researcher doctor nurse surgeon lawyer judge activist campaigner volunteer
    veteran soldier officer farmer fisherman driver pilot engineer architect artist painter sculptor
    photographer filmmaker director producer actor actress singer musician composer pianist violinist
    cellist conductor dancer player athlete runner rower swimmer footballer striker coach manager chef
    businessman businesswoman entrepreneur founder owner spokesman spokeswoman spokesperson mayor
    politician minister ambassador leader member chairman chairwoman""".split()
)
_SENTENCE_BOUNDARY = re.compile(r"(?:\n|[.!?…][\"”’')\]]*\s)\s*[\"“‘'(\[]*$")


def at_sentence_start(text: str, start: int) -> bool:
    """True when ``text[start:]`` opens a sentence, a line or the text (capitals say nothing there)."""
    before = text[max(0, start - 12):start]
    if start <= 12 and not before.strip(" \t\"“‘'([-–—"):
        return True
    return _SENTENCE_BOUNDARY.search(before) is not None


_NAME_WORD = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]*[a-zß-öø-ÿ](?:-[A-ZÀ-ÖØ-Þ]?[a-zß-öø-ÿ'’]*[a-zß-öø-ÿ])*$")


def is_name_word(word: str, text: str) -> bool:
    """A word that can be part of a person's name: capitalised, not a function word, title or common noun."""
    bare = word.rstrip(".,;:!?)\"”’'")
    if not _NAME_WORD.match(bare):
        return False
    low = bare.lower()
    if low in NOT_NAME_WORDS or low in TITLES or low.replace(".", "") in HONORIFICS or is_nationality(bare):
        return False
    return not word_used_lowercase(bare, text)
