"""Within-document resolution: one entity per real-world thing in one article.

Input is the raw NER spans of one document; output is a list of
:class:`~search_service.models.Entity`. Steps, each a small function:

1. :func:`~.spans.repair_spans` fixes span boundaries; :func:`make_mention`
   cleans each span and repairs its type with the rules in :mod:`.types`;
2. :func:`context_types` reads the words around a span ("the town of X",
   "in X", a list of places) and person-name shape;
3. :func:`vote_types` gives every name one type in the document;
4. :mod:`.links` joins variants: acronyms, surnames and first names, short forms;
5. :func:`build_entities` groups mentions under their canonical name.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache

from search_service.models import Entity

from .links import ambiguous_name_parts, document_links
from .names import PLACE_CUE_PHRASES, PLACE_FEATURES, is_dateline_place, is_given_name, word_used_lowercase
from .normalise import HONORIFICS, TITLES, best_spelling, clean_name, fold, strip_honorifics
from .spans import repair_spans
from .types import ORG_HEADS, WORK_NOUNS, has_org_head, is_nationality, label_type, repair_type

#: Labels kept as tentative places: a facility ("Port Caldry" tagged FAC) counts only if
#: the same name is a place or organisation elsewhere.
TENTATIVE_LABELS = {"FAC": "place"}
_DATELINE_AGENCY = re.compile(r"(?:^|\n)[A-Z][^\n]{0,40},[^\n]{0,30}\b\d{4}\s*\(\s*$")
_LIST_GAP = re.compile(r"^\s*(?:,|and|or|&|,\s*and)\s*$")


class TentativeEntity(Entity):
    """An entity seen only under a weak label (FAC); the corpus pass keeps it only if confirmed."""


@dataclass
class Mention:
    """One NER span after clean-up: char span of the name, its type and how sure we are of the type."""

    start: int
    end: int
    type: str
    name: str
    raw: str
    label: str
    strong: bool = False  # type decided by a rule (honorific, head noun, context), not just the label
    tentative: bool = False
    work_title: bool = False

    @cached_property
    def key(self) -> str:
        return fold(self.name)


def _preceding_word(text: str, start: int) -> str:
    m = re.search(r"([A-Za-z]+)[\W_]*$", text[max(0, start - 30):start])
    return m.group(1) if m else ""


def _only_a_title(name: str) -> bool:
    return " " not in name and name.lower().replace(".", "") in (TITLES | HONORIFICS)


@lru_cache(maxsize=32768)
def _typed_name(raw: str, label: str, preceding_word: str) -> tuple[str, str, bool] | None:
    """``(name, type, strong)`` for a raw span, type "" for a work title; None if no facet entity.

    Pure and cached: the same raw span ("Khojaly"/GPE) recurs many times in a corpus.
    """
    etype = label_type(label) or TENTATIVE_LABELS.get(label)
    if etype is None and label != "NORP":
        return None
    name = clean_name(raw)
    if not name:
        return None
    stripped, had_honorific = strip_honorifics(name)
    if label == "NORP":
        etype = None  # a nationality group is no facet, but "the Estonian Society" tagged NORP is an organisation
    repaired = repair_type(stripped, name, etype or "", preceding_word)
    if not repaired:
        if etype == "person" and not is_nationality(stripped):
            return stripped, "", False  # a work title ("the documentary Silent River")
        return None
    strong = repaired != etype or had_honorific
    if repaired == "person":
        name = stripped
    if not re.search(r"[^\W\d_]", name) or len(name) < 2 or is_nationality(name) or _only_a_title(name):
        return None
    if name == name.lower() or (" " not in name and name.lower() in ORG_HEADS):
        return None  # "seagrass", "the Cabinet", "the Council": common nouns, not names
    return name, repaired, strong


def make_mention(text: str, start: int, end: int, label: str) -> Mention | None:
    """Clean one spaCy entity span and repair its type; None if it is not a facet entity."""
    if label_type(label) is None and label not in TENTATIVE_LABELS and label != "NORP":
        return None  # cheap exit for DATE, CARDINAL, …
    raw = text[start:end]
    preceding = _preceding_word(text, start).lower()
    typed = _typed_name(raw, label, preceding if preceding in WORK_NOUNS else "")
    if typed is None:
        return None
    name, etype, strong = typed
    if not etype:
        # A work title: every mention of this name in the document is dropped.
        return Mention(start, end, "", name, raw, label, work_title=True)
    # Point the mention at the cleaned name inside the raw span, so highlighting skips "Mr" and "'s".
    offset = raw.find(name)
    if offset >= 0:
        start, end = start + offset, start + offset + len(name)
    tentative = label in TENTATIVE_LABELS and not strong
    return Mention(start, end, etype, name, raw, label, strong, tentative)


def _looks_like_person(m: Mention, text: str, single_keys: set[str]) -> bool:
    """An organisation-labelled "Leyla Aliyeva": starts with a given name, and its last word recurs alone."""
    words = m.name.split()
    if not 2 <= len(words) <= 3 or has_org_head(m.name) or any(not w[:1].isupper() or w.isupper() for w in words):
        return False
    first = words[0]
    if first.lower() in PLACE_FEATURES or word_used_lowercase(first, text) or not is_given_name(first):
        return False
    return fold(words[-1]) in single_keys


def _listed_place(text: str, m: Mention, n: Mention) -> bool:
    """True if place mention ``n`` sits next to ``m`` in a list ("Berlin, Bern and Dublin")."""
    if n.type != "place" or n.tentative:
        return False
    gap = text[min(n.end, m.end):max(n.start, m.start)]
    after_n = text[n.end:n.end + 2]
    return bool(_LIST_GAP.match(gap)) and not after_n.startswith(("'s", "’s"))


def context_types(text: str, mentions: list[Mention]) -> None:
    """Retype mentions from their surroundings (mutates ``mentions``).

    * an organisation right after "in", "near", "the town of", "mayor of" … is a place;
    * a non-place in a list of places ("Berlin, Bern and Dublin") is a place;
    * an organisation that looks like "<given name> <surname>" whose surname is
      also mentioned alone is a person.
    """
    single_keys = {m.key for m in mentions if len(m.name.split()) == 1}
    for m in mentions:
        # "DRAVIK, March 3, 2021 (Osk Valley Wire) -": the bracket after a dateline names the agency.
        if m.type != "person" and _DATELINE_AGENCY.search(text[max(0, m.start - 80):m.start]) \
                and text[m.end:m.end + 1] == ")":
            m.type, m.strong = "organisation", True
    for i, m in enumerate(mentions):
        if m.strong or m.type not in ("organisation", "person") or m.name.isupper() or has_org_head(m.name):
            continue
        before = text[max(0, m.start - 40):m.start]
        if is_dateline_place(text, m.start, m.end):
            m.type, m.strong = "place", True
            continue
        if m.type == "organisation" and len(m.name.split()) <= 3 and PLACE_CUE_PHRASES.search(before):
            m.type, m.strong = "place", True
            continue
        listed = sum(1 for j in (i - 1, i + 1) if 0 <= j < len(mentions) and _listed_place(text, m, mentions[j]))
        # One place beside an organisation ("Berlin, Bern"), two around a person-labelled name.
        if listed >= (1 if m.type == "organisation" and " " not in m.name else 2):
            m.type, m.strong = "place", True
            continue
        if m.type == "organisation" and _looks_like_person(m, text, single_keys):
            m.type, m.strong = "person", True


def vote_types(mentions: list[Mention]) -> None:
    """Give every folded name a single type within the document (mutates ``mentions``).

    Rule-based evidence (honorific, head noun, context) counts three times a bare
    label; a tie goes to the type of the first mention.
    """
    votes: dict[str, Counter] = defaultdict(Counter)
    first: dict[str, str] = {}
    for m in mentions:
        if m.tentative:
            continue
        votes[m.key][m.type] += 3 if m.strong else 1
        first.setdefault(m.key, m.type)
    for m in mentions:
        counts = votes.get(m.key)
        if counts:
            m.type = max(counts, key=lambda t: (counts[t], t == first[m.key]))
            m.tentative = False  # confirmed by a non-tentative mention of the same name


def drop_common_nouns(text: str, mentions: list[Mention], links: dict[str, str]) -> list[Mention]:
    """Drop unlinked one-word names that the text also uses in lowercase ("Seagrass", "Council")."""
    return [
        m for m in mentions
        if m.key in links or m.strong or " " in m.name or m.name.isupper() or not word_used_lowercase(m.name, text)
    ]


def _title_case_headline(text: str) -> int:
    """End offset of the first line if it is a Title Case headline ("Council Approves Flood Wall"), else 0."""
    stripped = text.lstrip()
    start = len(text) - len(stripped)
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", text[start:end]) if len(w) > 3]
    if len(words) < 4 or end == len(text):
        return 0
    return end if sum(w[0].isupper() for w in words) >= 0.7 * len(words) else 0


def drop_headline_only(text: str, mentions: list[Mention], links: dict[str, str]) -> list[Mention]:
    """Drop names found only in a Title Case headline: there the model cannot tell names from words."""
    end = _title_case_headline(text)
    if not end:
        return mentions
    body = {links.get(m.key, m.key) for m in mentions if m.start >= end}
    return [m for m in mentions if m.start >= end or links.get(m.key, m.key) in body]


def build_entities(mentions: list[Mention], links: dict[str, str]) -> list[Entity]:
    """Group mentions under canonical names; the display name is the most frequent spelling of that name.

    The type and spelling come from the canonical name's own mentions: a surname
    the model tagged as an organisation must not outvote the full person name.
    """
    spellings: dict[str, Counter] = defaultdict(Counter)
    types: dict[str, Counter] = defaultdict(Counter)
    tentative: dict[str, bool] = {}
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for m in mentions:
        target = links.get(m.key, m.key)
        spellings[m.key][m.name] += 1
        types[m.key][m.type] += 3 if m.strong else 1
        tentative[m.key] = tentative.get(m.key, True) and m.tentative
        spans[target].append((m.start, m.end))
    entities = []
    for target, mention_spans in spans.items():
        if target not in spellings:  # defensive: a link to a name with no mention of its own
            continue
        votes = types[target]
        etype = max(votes, key=lambda t: (votes[t], t))
        cls = TentativeEntity if tentative[target] else Entity
        entities.append(cls(type=etype, name=best_spelling(spellings[target]), mentions=sorted(set(mention_spans))))
    return entities


def resolve_document(text: str, ents: list[tuple[int, int, str]]) -> list[Entity]:
    """Entities of one document from its raw NER spans ``(start_char, end_char, label)``."""
    mentions = [m for s, e, label in repair_spans(text, ents) if (m := make_mention(text, s, e, label))]
    works = {m.key for m in mentions if m.work_title}
    mentions = [m for m in mentions if not m.work_title and m.key not in works]
    if not mentions:
        return []
    context_types(text, mentions)
    vote_types(mentions)
    links = document_links(text, mentions)
    ambiguous = ambiguous_name_parts(mentions)
    mentions = [m for m in mentions if m.key in links or m.key not in ambiguous or m.strong and m.type != "person"]
    mentions = drop_common_nouns(text, mentions, links)
    mentions = drop_headline_only(text, mentions, links)
    return build_entities(mentions, links)


def resolve_document_basic(text: str, ents: list[tuple[int, int, str]]) -> list[Entity]:
    """Baseline for evaluation: raw NER labels with basic clean-up only (no type repair, no resolution)."""
    grouped: dict[tuple[str, str], Entity] = {}
    for start, end, label in ents:
        etype = label_type(label)
        name = clean_name(text[start:end]) if etype else ""
        if name:
            grouped.setdefault((etype, name), Entity(type=etype, name=name)).mentions.append((start, end))
    return list(grouped.values())
