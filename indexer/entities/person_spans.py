"""Span repair: people whose given name the model left out or never tagged.

The small model often tags only the surname of "… Foundation Irena Novak" (as an
organisation or a place: "Novak" alone looks like either), or misses
"<given name> <surname>" altogether after a long title. A known given name right
before a capitalised name word is strong evidence of a person when one more
clue agrees. Takes and returns raw spans ``(start, end, label)``.
"""
from __future__ import annotations

import bisect
import re

from . import gazetteer
from .names import PLACE_FEATURES, is_common_word, is_given_name, is_name_word
from .normalise import POST_NOMINALS, ROLE_WORDS, TITLES, fold
from .types import COMPOSITION_NOUNS, ORG_HEADS, has_org_head, is_nationality

Span = tuple[int, int, str]

#: Two capitalised words with one space between, hyphenated parts kept together ("Marie-Claire
#: Osk"); an apostrophe ends a word. The second word is a lookahead so that pairs overlap.
_WORD = r"[A-ZÀ-ÖØ-Þ][^\W\d_]*(?:[-‑][A-ZÀ-ÖØ-Þ][^\W\d_]*)*"
_CAP_PAIR = re.compile(rf"(?<![\w‑-])({_WORD}) (?=({_WORD})(?![\w‑-]))")
#: ", MP," / ", Director," / ", the mayor": a title set off by a comma after a name.
_APPOSITIVE = re.compile(r"^,\s+(?:(?:the|a|an)\s+)?([A-Za-z][A-Za-z.-]*)")
_NON_PERSON_LABELS = ("ORG", "GPE", "LOC", "NORP")


def _appositive_title(text: str, end: int) -> bool:
    """True when a title or post-nominal follows the name after a comma: "Ana Ruiz, MP, said"."""
    m = _APPOSITIVE.match(text[end:end + 40])
    if not m:
        return False
    word = m.group(1).lower().replace(".", "")
    return word in TITLES or word in POST_NOMINALS or word in ROLE_WORDS


def _given_name_first(word: str, text: str) -> bool:
    low = word.lower()
    return (is_given_name(word) and is_name_word(word, text) and low not in PLACE_FEATURES
            and low not in ORG_HEADS)


def _surname_like(word: str, text: str) -> bool:
    low = word.lower()
    return (is_name_word(word, text) and low not in ORG_HEADS and low not in PLACE_FEATURES
            and not is_nationality(word))


def given_name_spans(text: str, spans: list[Span]) -> list[Span]:
    """Make "<given name> <surname>" one PERSON span when the model missed the given name.

    * "Foundation Irena [Novak]" with "Novak" tagged ORG, GPE or NORP: the one-word
      span and the untagged given name before it become a person;
    * "France Irena Novak" with nothing tagged: a person if "Novak" is tagged as a
      person elsewhere in the text, or a title follows after a comma ("…, MP,").
    The given name must be a known one (Faker's lists), never used in lowercase
    in the text, and the second word must look like a surname (not "Foundation",
    not "Valley", not a nationality).
    """
    exact = {(s, e): i for i, (s, e, _) in enumerate(spans)}
    bounds = sorted((s, e) for s, e, _ in spans)
    span_starts = [s for s, _ in bounds]
    person_words = {fold(text[s:e]) for s, e, label in spans if label == "PERSON" and " " not in text[s:e].strip()}

    def covered(s: int, e: int) -> bool:
        i = bisect.bisect_left(span_starts, e) - 1  # the spans starting before e: the last two suffice
        return any(j >= 0 and bounds[j][1] > s for j in (i, i - 1))

    out = list(spans)
    added = []
    for pair in _CAP_PAIR.finditer(text):
        w1, w2 = pair.group(1), pair.group(2)
        s1, e1 = pair.span(1)
        s2, e2 = e1 + 1, e1 + 1 + len(w2)
        # Cheapest tests first: most capitalised pairs are not "<given name> <word>".
        if not is_given_name(w1) or covered(s1, e1):
            continue
        if not _given_name_first(w1, text) or not _surname_like(w2, text):
            continue
        i = exact.get((s2, e2))
        if i is not None and spans[i][2] in _NON_PERSON_LABELS:
            out[i] = (s1, e2, "PERSON")
        elif i is None and not covered(s2, e2) and (fold(w2) in person_words or _appositive_title(text, e2)):
            added.append((s1, e2, "PERSON"))
    return sorted(out + added)


_POSSESSIVE = re.compile(r"(?:['’`]s|s['’])\s")


_COUNTRY_KINDS = ("country", "continent", "region")


def _full_name_owner(owner: str) -> bool:
    """"Ivo Tarnel" before a possessive: two or three name words opening with a known given name or
    made of no everyday words, no head noun of a body and no known place ("New Velmar's harbour")."""
    words = owner.split()
    return (2 <= len(words) <= 3 and not has_org_head(owner)
            and (is_given_name(words[0]) or not any(is_common_word(w) for w in words))
            and all(w[:1].isupper() and w.lower() not in PLACE_FEATURES for w in words)
            and gazetteer.kind(owner) is None)


def possessive_works(text: str, spans: list[Span]) -> list[Span]:
    """Cut "[Velmar’s Second Symphony]" (one span) to the person before the possessive.

    * when the words after the possessive end in a composition noun (symphony, concerto,
      sonata, novel, album …) the name before it is the maker, a person; the work goes;
    * when the name before it is a full person's name ("[Ivo Tarnel’s Quiet Harbour]", a film;
      "[Ivo Tarnel’s Velcorp]", a firm), the person is split off: a PERSON span keeps only the person
      (a person's possession is no person), another label keeps the rest as well;
    * an organisation span whose name before the possessive ends in a head noun ("[Velin
      University’s Chief Operations Officer]", "[the Osk Hospital’s Civic campus]") is that body;
      when the words after it are a body's name too ("[VRC’s Internal Displacement Centre]"), both;
    * a country, continent or region before the possessive is a place ("[Norway’s Velcorp]"); what
      follows keeps the span's label unless it is only a title ("[Norway’s Prime Minister]").
    """
    out = []
    for start, end, label in spans:
        raw = text[start:end]
        m = _POSSESSIVE.search(raw)
        if m:
            owner = raw[:m.start() + (1 if raw[m.start()] == "s" else 0)].strip()
            rest = raw[m.end():].lower().replace(".", " ").split()
            words = owner.split()
            if rest and any(w in COMPOSITION_NOUNS for w in rest) and 1 <= len(words) <= 3 \
                    and all(w[:1].isupper() for w in words) and not has_org_head(owner):
                out.append((start, start + len(owner), "PERSON"))
                continue
            tail = raw[m.end():]
            if tail[:1].isupper() and label in ("ORG", "PERSON", "GPE", "LOC") \
                    and gazetteer.kind(owner) in _COUNTRY_KINDS:
                out.append((start, start + len(owner), "GPE"))  # "[Osklandia’s Velcorp]": a country's firm
                if label in ("ORG", "PERSON") and not all(w.lower() in TITLES for w in tail.split()):
                    out.append((start + m.end(), end, label))
                continue
            if label == "ORG" and tail[:1].isupper() and len(tail.split()) >= 2 and has_org_head(tail) \
                    and (has_org_head(owner) or (owner.isupper() and len(owner) >= 2)):
                out.append((start, start + len(owner), "ORG"))  # "[VRC’s Internal Displacement Centre]": two bodies
                out.append((start + m.end(), end, "ORG"))
                continue
            if label == "ORG" and rest and len(words) >= 2 and has_org_head(owner):
                out.append((start, start + len(owner), "ORG"))  # "[Velin University’s Chief Officer]"
                continue
            if rest and raw[m.end():m.end() + 1].isupper() and _full_name_owner(owner):
                out.append((start, start + len(owner), "PERSON"))
                if label != "PERSON":
                    out.append((start + m.end(), end, label))
                continue
        out.append((start, end, label))
    return out
