"""Within-document variant links: which name stands for which fuller name.

Each function maps folded names to the folded canonical name they stand for in
one document. All rules require the target to be unambiguous: "Novak" links to
"Irena Novak" only if no other full name in the document ends (or starts) with
"Novak". Mentions are the :class:`~.resolve.Mention` objects (``key``, ``name``,
``raw``, ``type``, ``strong``, ``end``).
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from . import gazetteer
from .names import PLACE_FEATURES
from .normalise import fold
from .types import ORG_HEADS, has_org_head

#: Words an acronym may skip or include ("Bank of England" -> BoE, "The … Society" -> TEAS).
_FUNCTION_WORDS = frozenset("the of for and & de la le du des der von van di da on in at to a an".split())
_TAIL_PREPOSITIONS = frozenset("of to for on in at".split())
#: "(VHO)" after a name; also "(VHO said …" with the bracket never closed, a slip real copy has.
_BRACKET_ACRONYM = re.compile(r"^\s*[(\[]\s*([A-Z][A-Za-z&.\-]{1,11})\s*(?:[)\]]|(?=[\s,;:]))")


def is_acronym(acronym: str, words: list[str]) -> bool:
    """True if ``acronym``'s capitals are the initials of ``words`` (function words optional).

    ``is_acronym("NRT", ["Northern", "Rivers", "Trust"])`` and
    ``is_acronym("TEAS", ["The", "Estonian", "Arts", "Society"])`` are true; so is an acronym written
    as a word, ``is_acronym("Nrwt", ["Northern", "Rivers", "Water", "Trust"])`` (four to six letters).
    """
    if 4 <= len(acronym) <= 6 and acronym.isalpha() and acronym[0].isupper() and acronym[1:].islower():
        letters = list(acronym.upper())  # "Sagia", "Unesco": an acronym written as a word
    else:
        letters = [c for c in acronym if c.isalpha() and c.isupper()]
    if len(letters) < 2:
        return False
    parts = [p for w in words for p in re.split(r"[-–]", w) if p and p[0].isalpha()]
    initials = [(fold(p)[:1].upper(), p.lower() in _FUNCTION_WORDS) for p in parts]

    def match(i: int, j: int) -> bool:
        if i == len(letters):
            return all(optional for _, optional in initials[j:])
        if j == len(initials):
            return False
        initial, optional = initials[j]
        if initial == letters[i] and match(i + 1, j + 1):
            return True
        return optional and match(i, j + 1)

    return match(0, 0)


def bracketed_acronym(text: str, end: int) -> str | None:
    """The acronym in brackets right after a name ending at ``end`` ("… Space Telescope (VST)"), else None."""
    bracket = _BRACKET_ACRONYM.match(text[end:end + 24])
    return bracket.group(1) if bracket else None


def _foreign_acronym(acronym: str, m) -> bool:
    """"Friends of Velin Association (AAV)", "Osk News Agency (WAM)": an acronym of the name in another
    language, or a syllable acronym ("Velin Cocoa Board (COCOBOD)").

    The letters do not spell the English words, but an all-caps acronym in brackets right after an
    organisation's name abbreviates it, unless it names a place ("(UK)", "(US)").
    """
    return (m.type == "organisation" and acronym.isupper() and acronym.isalpha() and len(acronym) >= 3
            and gazetteer.kind(acronym) is None)


def _words(key: str) -> list[str]:
    return key.split(" ")


@lru_cache(maxsize=16384)
def _name_words(name: str) -> tuple[str, ...]:
    """Folded words of a name, keeping hyphenated surnames whole ("Osei-Lindqvist" is one word)."""
    return tuple(f for w in name.split() if (f := fold(w)))


def acronym_links(text: str, mentions) -> dict[str, str]:
    """Acronyms (and "<acronym> <place>" forms) -> the full name they stand for.

    Sources: an acronym in brackets right after a name, and a bare all-caps
    mention that is the initials of exactly one multi-word organisation in the document (or, failing
    that, of the last words of exactly one: "HC" for "Velin High Court").
    """
    links: dict[str, str] = {}
    for m in mentions:
        if len(m.name.split()) < 2:
            continue
        bracket = _BRACKET_ACRONYM.match(text[m.end:m.end + 24])
        if bracket and (is_acronym(bracket.group(1), m.raw.split()) or is_acronym(bracket.group(1), m.name.split())
                        or _foreign_acronym(bracket.group(1), m)):
            links[fold(bracket.group(1))] = m.key
    orgs = {m.key: m for m in mentions if m.type == "organisation" and len(m.name.split()) >= 2}
    for m in mentions:
        if m.key in links or m.key in orgs or not (m.name.isupper() and 2 <= len(m.name) <= 8 and " " not in m.name):
            continue
        fits = {k for k, o in orgs.items() if is_acronym(m.name, o.raw.split()) or is_acronym(m.name, o.name.split())}
        if not fits:  # "HC" for "Velin High Court": the initials of the name's last words
            fits = {k for k, o in orgs.items() if len(o.name.split()) >= 3 and o.name.split()[-1].lower() in ORG_HEADS
                    and is_acronym(m.name, o.name.split()[-len(m.name):])}
        if len(fits) == 1:
            links[m.key] = fits.pop()
    # "NRT Estonia": a known acronym followed by one or two capitalised words (a branch or country office).
    for m in mentions:
        words = m.name.split()
        if 2 <= len(words) <= 3 and fold(words[0]) in links and m.key not in links:
            if all(w[:1].isupper() for w in words[1:]) and not has_org_head(m.name):
                links[m.key] = links[fold(words[0])]
    return links


#: Generational suffixes after a surname (folded, so without their period): "Jose Osk Jr." is called "Osk".
_NAME_SUFFIXES = frozenset("jr sr ii iii iv".split())
#: The parts of a hyphenated surname, which folding turns into words joined by a space.
_SURNAME_PARTS = re.compile(r"[-\s]")


def _surname_forms(words: tuple[str, ...]) -> set[str]:
    """The words a full name may be called by at its end: the last word, the one before a suffix
    ("Osk" of "Jose Osk Jr."), and each part of a hyphenated surname ("Khaiyum" of "Aiyaz Sayed-Khaiyum")."""
    last = words[-1]
    if last in _NAME_SUFFIXES and len(words) >= 3:
        last = words[-2]
    forms = {words[-1], last}
    parts = _SURNAME_PARTS.split(last)
    if len(parts) > 1:
        forms.update(part for part in parts if len(part) >= 3)
    return forms


def person_links(mentions) -> dict[str, str]:
    """A one-word name -> the one full person name in the document that starts or ends with it (or
    with it before "Jr.", or in a hyphenated surname); a two-word surname ("De Silva") -> the one longer
    full name that ends with it.

    "Novak" (of any type: the model often tags a bare surname as an organisation
    or place) and "Irena" resolve to "Irena Novak"; a name backed by a rule
    ("… Society", an honorific) keeps its own identity, and so does a country read as a place.
    """
    full = {}
    for m in mentions:
        words = _name_words(m.name)
        if m.type == "person" and len(words) >= 2:
            full[m.key] = words
    by_word: dict[str, set[str]] = defaultdict(set)
    for key, words in full.items():
        by_word[words[0]].add(key)
        for word in _surname_forms(words):
            by_word[word].add(key)
    # "De Silva" for "Dhananjaya de Silva": a two-word surname is the tail of a longer full name.
    by_tail: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for key, words in full.items():
        if len(words) >= 3:
            by_tail[words[-2:]].add(key)
    links = {}
    for m in mentions:
        words = _name_words(m.name)
        if len(words) == 2 and m.type == "person" and len(fits := by_tail.get(words, set()) - {m.key}) == 1:
            links[m.key] = next(iter(fits))
        if m.key in full or len(words) != 1 or (m.type != "person" and m.strong):
            continue
        if m.type == "place" and gazetteer.is_country(m.name):
            continue  # "Jordan" the country beside a "Jordan Velk" (or a caption misread as one) stays

        fits = by_word.get(words[0], set())
        if len(fits) == 1:
            links[m.key] = next(iter(fits))
    return links


def ambiguous_name_parts(mentions) -> set[str]:
    """One-word names shared by two or more full person names ("Novak" with Irena and Pavel Novak).

    Such a word cannot be resolved, but it is certainly not an organisation or a place.
    """
    counts: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        words = _name_words(m.name)
        if m.type == "person" and len(words) >= 2:
            counts[words[0]].add(m.key)
            counts[words[-1]].add(m.key)
    return {w for w, keys in counts.items() if len(keys) >= 2}


def short_form_links(mentions) -> dict[str, str]:
    """Short forms of organisations and places -> their full name.

    * "Rovers" -> "Kendleton Rovers" (the last word of exactly one organisation name);
    * "Vellmark Philharmonic" -> "Vellmark Philharmonic Society" (the full name adds only a head noun);
    * "High Court" -> "Velin High Court" (a headed name; the one full name adds words only in front);
    * "Tamsin" -> "River Tamsin", "Makati" -> "Makati City" (the full name adds only a geographic or
      administrative word);
    * "Red Cross" -> "Osklian Red Cross Society", "Finance Ministry" -> "Ministry of Finance" (see
      :func:`_shorter_organisation_name`).
    """
    orgs = {m.key: _words(m.key) for m in mentions if m.type == "organisation" and " " in m.key}
    # "Europe" in "Council of Europe" or "VELCO" in "Delegation to VELCO" is another body, not a short form.
    tails = {k: w for k, w in orgs.items() if w[-2] not in _TAIL_PREPOSITIONS}
    places = {m.key: _words(m.key) for m in mentions if m.type == "place" and " " in m.key}
    # The answer depends only on (key, type, strong): ask once per distinct triple, not
    # once per mention (a long text has hundreds of thousands), in order of last
    # occurrence so the write that wins for a key is the one a plain loop would keep.
    distinct: dict[tuple[str, str, bool], None] = {}
    for m in mentions:
        triple = (m.key, m.type, m.strong)
        distinct.pop(triple, None)
        distinct[triple] = None
    links = {}
    for key, mtype, strong in distinct:
        words = _words(key)
        if strong and mtype != "organisation":
            continue
        if len(words) == 1 and mtype in ("organisation", "person"):
            fits = {k for k, w in tails.items() if w[-1] == key and w[-1] not in ORG_HEADS}
            if len(fits) == 1:
                links[key] = fits.pop()
                continue
        if mtype == "organisation" and len(words) >= 2 and words[-1] in ORG_HEADS:
            # "High Court" for "Velin High Court": the one longer name that only adds words in front.
            fits = {k for k, w in orgs.items() if len(w) > len(words) and w[-len(words):] == words
                    and w[-len(words) - 1] not in _FUNCTION_WORDS}  # "Centre of the Velin Embassy" is another body
            if len(fits) == 1:
                links[key] = fits.pop()
                continue
        if mtype == "organisation":  # also "Pellworth" for "Pellworth Group"
            fits = {k for k, w in orgs.items()
                    if len(w) > len(words) and w[:len(words)] == words and all(x in ORG_HEADS for x in w[len(words):])}
            if len(fits) == 1:
                links[key] = fits.pop()
                continue
        if mtype == "organisation" and not strong and (target := _shorter_organisation_name(words, orgs)):
            links[key] = target
            continue
        if len(words) == 1:
            fits = {k for k, w in places.items()
                    if key in w and all(x == key or x in PLACE_FEATURES or x in _ADMIN_WORDS for x in w)}
            if len(fits) == 1:
                links[key] = fits.pop()
    return links


#: Administrative words a place's full name adds: "Makati" for "Makati City", "Osk" for "Osk State".
_ADMIN_WORDS = frozenset("city state province region district county municipality governorate prefecture".split())
#: Head nouns of government bodies written both ways: "Finance Ministry" and "Ministry of Finance".
_INVERTIBLE_HEADS = frozenset("ministry department office agency commission authority bureau directorate".split())


def _shorter_organisation_name(words: list[str], orgs: dict[str, list[str]]) -> str | None:
    """The one longer organisation name ``words`` stands for in the document, else None:

    * "Red Cross" or "Department of Transport" sits inside it after a name word ("Osklian Red Cross
      Society", "U.S. Department of Transport"; not "… of the Red Cross"), and ends in no head noun of
      its own ("Velin University" is complete beside "Osk Velin University Hospital");
    * "Finance Ministry" is "Ministry of Finance" turned round.

    A name that opens a longer one is left alone: "Velcorp" beside "Velcorp Solutions" or "Osk Field" is
    often another body (a parent and its subsidiary, a firm and its airfield).
    """
    n = len(words)
    if n == 2 and words[1] in _INVERTIBLE_HEADS:
        turned = [words[1], "of", words[0]]
        fits = {k for k, w in orgs.items() if w == turned or w == [words[1], "of", "the", words[0]]}
        if len(fits) == 1:
            return fits.pop()
    if n < 2 or words[-1] in ORG_HEADS:
        return None
    fits = {k for k, w in orgs.items() for i in range(1, len(w) - n + 1)
            if w[i:i + n] == words and w[i - 1] not in _FUNCTION_WORDS}
    return fits.pop() if len(fits) == 1 else None


def dotted_links(mentions) -> dict[str, str]:
    """"E.U." -> "EU", "E.ON" -> "EON" when the document writes both: the dots of an acronym fold to
    spaces ("e u"), so the two spellings would be two values."""
    keys = {m.key for m in mentions}
    links = {}
    for key in keys:
        if " " in key and all(len(w) == 1 for w in key.split()[:-1]):
            joined = key.replace(" ", "")
            if joined in keys:
                links[key] = joined
    return links


def document_links(text: str, mentions) -> dict[str, str]:
    """All links of one document, with chains followed (NRT Estonia -> NRT -> Northern Rivers Trust)."""
    links = acronym_links(text, mentions)
    for extra in (dotted_links(mentions), person_links(mentions), short_form_links(mentions)):
        for key, target in extra.items():
            links.setdefault(key, target)
    resolved = {}
    for key in links:
        target, seen = key, set()
        while target in links and target not in seen:
            seen.add(target)
            target = links[target]
        if target != key:
            resolved[key] = target
    return resolved
