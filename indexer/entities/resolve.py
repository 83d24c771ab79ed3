"""Within-document resolution: one entity per real-world thing in one article.

Input is the raw NER mentions of one document; output is a list of
:class:`~search_service.models.Entity`. Steps, each a small pure function:

1. :func:`make_mention` cleans a span and repairs its type (normalise + types).
2. :func:`vote_types` gives every name one type in the document (majority of its
   mentions; honorific / head-noun evidence counts more than a bare label).
3. :func:`acronym_links` joins "the Northern Rivers Trust (NRT)" with "NRT",
   and "NRT Estonia" with the trust.
4. :func:`name_links` resolves "Novak" / "Mrs Irena" to "Irena Novak" when only
   one full name in the document fits.
5. :func:`build_entities` groups mentions under their canonical name.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from search_service.models import Entity

from .normalise import best_spelling, clean_name, fold, strip_honorifics
from .types import is_nationality, label_type, repair_type

#: Words an acronym may skip or include ("Bank of England" -> BoE, "The … Society" -> TEAS).
_FUNCTION_WORDS = frozenset("the of for and & de la le du des der von van di da on in at to a an".split())
_BRACKET_ACRONYM = re.compile(r"^\s*[(\[]\s*([A-Z][A-Za-z&.\-]{1,11})\s*[)\]]")


@dataclass
class Mention:
    """One NER span after clean-up: char span of the name, its type and whether the evidence is strong."""

    start: int
    end: int
    type: str
    name: str
    raw: str
    strong: bool = False  # type decided by a rule (honorific, head noun), not just the label


def _preceding_word(text: str, start: int) -> str:
    m = re.search(r"([A-Za-z]+)[\W_]*$", text[max(0, start - 30):start])
    return m.group(1) if m else ""


def make_mention(text: str, start: int, end: int, label: str) -> Mention | None:
    """Clean one spaCy entity span and repair its type; None if it is not a facet entity."""
    etype = label_type(label)
    if etype is None and label != "NORP":
        return None
    raw = text[start:end]
    name = clean_name(raw)
    if not name:
        return None
    stripped, had_honorific = strip_honorifics(name)
    if label == "NORP":
        # A nationality group is not a facet, but "the Estonian Society" tagged NORP is an organisation.
        etype = None
    repaired = repair_type(stripped, name, etype or "", _preceding_word(text, start))
    if not repaired:
        return None
    strong = repaired != etype or had_honorific
    if repaired == "person":
        name = stripped
    if not re.search(r"[^\W\d_]", name) or len(name) < 2 or is_nationality(name):
        return None
    # Point the mention at the cleaned name inside the raw span, so highlighting skips "Mr" and "'s".
    offset = raw.find(name)
    if offset >= 0:
        start, end = start + offset, start + offset + len(name)
    return Mention(start, end, repaired, name, raw, strong)


def vote_types(mentions: list[Mention]) -> None:
    """Give every folded name a single type within the document (mutates ``mentions``)."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for m in mentions:
        votes[fold(m.name)][m.type] += 3 if m.strong else 1
    for m in mentions:
        counts = votes[fold(m.name)]
        if len(counts) > 1:
            m.type = max(counts, key=lambda t: (counts[t], t == m.type))


def is_acronym(acronym: str, words: list[str]) -> bool:
    """True if ``acronym``'s capitals are the initials of ``words`` (function words optional).

    ``is_acronym("NRT", ["Northern", "Rivers", "Trust"])`` and
    ``is_acronym("TEAS", ["The", "Estonian", "Arts", "Society"])`` are true.
    """
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


def acronym_links(text: str, mentions: list[Mention]) -> dict[str, str]:
    """Map folded acronyms (and "<acronym> <place>" forms) to the folded full name they stand for.

    Two sources: an acronym in brackets right after a name, and a bare all-caps
    mention that is the initials of exactly one multi-word organisation in the document.
    """
    links: dict[str, str] = {}
    for m in mentions:
        if len(m.name.split()) < 2:
            continue
        bracket = _BRACKET_ACRONYM.match(text[m.end:m.end + 24])
        if bracket:
            acr = bracket.group(1)
            if is_acronym(acr, m.raw.split()) or is_acronym(acr, m.name.split()):
                links[fold(acr)] = fold(m.name)
    orgs = {fold(m.name): m for m in mentions if m.type == "organisation" and len(m.name.split()) >= 2}
    for m in mentions:
        key = fold(m.name)
        if key in links or key in orgs or not (m.name.isupper() and 2 <= len(m.name) <= 8 and " " not in m.name):
            continue
        fits = {k for k, o in orgs.items() if is_acronym(m.name, o.raw.split()) or is_acronym(m.name, o.name.split())}
        if len(fits) == 1:
            links[key] = fits.pop()
    # "NRT Estonia": a known acronym followed by one or two capitalised words (a branch or country).
    for m in mentions:
        words = m.name.split()
        if 2 <= len(words) <= 3 and fold(words[0]) in links and fold(m.name) not in links:
            if all(w[:1].isupper() for w in words[1:]):
                links[fold(m.name)] = links[fold(words[0])]
    return links


def name_links(mentions: list[Mention]) -> dict[str, str]:
    """Map a one-word name to the one full person name in the document it is part of.

    "Novak" (any type: the model often tags a bare surname as an organisation) and
    "Irena" resolve to "Irena Novak" when exactly one multi-word person name
    starts or ends with that word.
    """
    full = {fold(m.name) for m in mentions if m.type == "person" and len(fold(m.name).split()) >= 2}
    by_word: dict[str, set[str]] = defaultdict(set)
    for key in full:
        words = key.split()
        by_word[words[0]].add(key)
        by_word[words[-1]].add(key)
    links: dict[str, str] = {}
    for m in mentions:
        key = fold(m.name)
        if key in full or " " in key:
            continue
        if m.type != "person" and m.strong:
            continue  # "… Society" / honorific evidence beats a surname match
        fits = by_word.get(key, set())
        if len(fits) == 1:
            links[key] = next(iter(fits))
    return links


def build_entities(mentions: list[Mention], links: dict[str, str]) -> list[Entity]:
    """Group mentions under canonical names; the display name is the most frequent spelling of that name.

    The type and spelling come from the canonical name's own mentions: a surname
    the model tagged as an organisation must not outvote the full person name.
    """
    spellings: dict[str, Counter] = defaultdict(Counter)
    types: dict[str, Counter] = defaultdict(Counter)
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for m in mentions:
        key = fold(m.name)
        target = links.get(key, key)
        spellings[key][m.name] += 1
        types[key][m.type] += 3 if m.strong else 1
        spans[target].append((m.start, m.end))
    entities = []
    for target, mention_spans in spans.items():
        if target not in spellings:  # defensive: a link to a name with no mention of its own
            continue
        votes = types[target]
        etype = max(votes, key=lambda t: (votes[t], t))
        entities.append(Entity(type=etype, name=best_spelling(spellings[target]), mentions=sorted(set(mention_spans))))
    return entities


def resolve_document(text: str, ents: list[tuple[int, int, str]]) -> list[Entity]:
    """Entities of one document from its raw NER spans ``(start_char, end_char, label)``."""
    mentions = [m for s, e, label in ents if (m := make_mention(text, s, e, label))]
    if not mentions:
        return []
    vote_types(mentions)
    links = acronym_links(text, mentions)
    for key, target in name_links(mentions).items():
        links.setdefault(key, target)
    # Follow chains (NRT Estonia -> NRT -> Northern Rivers Trust) and keep targets that exist.
    resolved = {}
    for key in links:
        target, seen = key, set()
        while target in links and target not in seen:
            seen.add(target)
            target = links[target]
        resolved[key] = target
    return build_entities(mentions, resolved)
