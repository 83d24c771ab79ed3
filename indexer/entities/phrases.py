"""Title-case phrases that name a subject, not a body: "in the field of Trade and Industry".

Government and diplomatic news capitalises fields of work: a minister's portfolio
("Minister of Cabinet Affairs"), the subject of an agreement ("cooperation in the
field of Security and Crime Prevention"), a list of areas ("Culture/Arts"). The
model tags such phrases as organisations or people. They are made of everyday
words only, with no head noun that names a body ("Ministry", "Council", "Bank"):
that is what tells them from real names, which carry a proper word ("Marks and
Spencer"), a place ("Trinidad and Tobago") or a head noun ("Food and Drug
Administration").
"""
from __future__ import annotations

import re

from . import gazetteer
from .names import is_common_word, is_given_name
from .types import ORG_HEADS

#: Right before a field of work: a portfolio ("Minister of"), a subject ("cooperation in", "the field of").
_FIELD_BEFORE = re.compile(
    r"(?i)\b(?:minister|ministers|secretary|commissioner|field|fields|area|areas|sector|sectors|"
    r"terms|cooperation|co-operation|collaboration|partnership)\s+(?:of|for|in|on)\s+(?:the\s+)?$"
)
#: Words that join the parts of a field: "Trade and Industry", "Culture/Arts". Not "&", which
#: names firms ("Crate & Barrel"); see :func:`~.companies.has_ampersand`.
_JOINED = re.compile(r"\sand\s|/")
_WORDS = re.compile(r"[^\W\d_][\w’'-]*")
_GLUE = frozenset("and of the for in on".split())


def everyday_phrase(name: str) -> bool:
    """True when every word of ``name`` is an everyday English word, none a given name
    or a known country or region, and the last is no head noun of a body ("… Council");
    no "&" and no possessive either ("Standard and Poor's" is a firm)."""
    words = [w for w in _WORDS.findall(name) if w.lower() not in _GLUE]
    return bool(words) and "&" not in name and not re.search(r"['’]s\b", name) and not gazetteer.kind(name) \
        and words[-1].lower() not in ORG_HEADS and not _headed_of(name) and all(_everyday(w) for w in words)


def _headed_of(name: str) -> bool:
    """"Ministry of Health and Family Welfare": a head noun before "of"/"for"/"on" names a body."""
    return any(m.group(1).lower() in ORG_HEADS for m in re.finditer(r"([^\W\d_]+)\s+(?:of|for|on)\b", name))


def _everyday(word: str) -> bool:
    """An everyday word ("Combatting" through "combat"), no given name, no country or region."""
    if is_given_name(word) or gazetteer.is_area(word):
        return False
    return is_common_word(word) or any(
        word.lower().endswith(suffix) and is_common_word(word[: -len(suffix)]) for suffix in _SUFFIXES)


_SUFFIXES = ("ting", "ing", "es", "s", "ed")


def is_field_phrase(text: str, start: int, end: int) -> bool:
    """True for a phrase of everyday words that is a field of work, not a name: joined by
    "and" or "/" ("Trade and Industry"), or named where a field stands
    ("Minister of Cabinet Affairs", "cooperation in the field of Agriculture")."""
    name = text[start:end]
    if not everyday_phrase(name):
        return False
    return bool(_JOINED.search(name)) or bool(_FIELD_BEFORE.search(text[max(0, start - 40):start]))
