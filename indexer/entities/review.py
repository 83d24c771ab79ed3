"""Suspicious facet values for a curator, each with a reason and a ready-to-paste curation table.

Input is what the corpus pass of ``entities review`` gathers (:class:`CorpusValues`): the
documents of every final value, and how the documents typed each name before the
corpus-majority vote. The checks are generic (no corpus names):

* **two types** — one name typed differently across documents (the majority won; say
  which type is right);
* **written two ways** — values of one type that meet once a looser key ignores spaces,
  hyphens, a leading "the" and "St"/"Saint"-style abbreviations, or that differ by one
  letter (two in long names);
* **acronym** — an all-capitals value whose letters are the initials of a longer value
  of the same type, found in the same documents;
* **inside a longer name** — a value whose words all appear, in order, in a longer value
  of the same type in the same documents (a single word beside its longer form is the
  common case: a split organisation or place);
* **lower-case or everyday words** — a value with a lower-case word that is no name
  particle, or a single everyday English word that is no known name or place;
* **against the gazetteer** — a person or organisation named exactly like a known
  continent, country, region or large city (:mod:`.gazetteer`).

Merges proposed into one value are gathered into one ``[[merge]]`` table, so an
organisation split into several values comes out as one suggestion. Suggestions are
ranked by the number of documents they would change.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from . import gazetteer
from .names import is_common_word, is_known_name
from .normalise import fold

#: Lower-case words that belong in names ("Bank of England", "Ludwig van Beethoven").
PARTICLES = frozenset("of the and for on in at to de del della der di da do dos das du la le les van von bin ibn "
                      "al el y e und zu ter ten".split())
#: Abbreviations that mean the same word in place and organisation names.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "intl": "international",
                  "univ": "university", "dept": "department", "assn": "association", "co": "company"}
#: Cities at least this large count as evidence against a person or organisation type.
GAZETTEER_CITY_POPULATION = 500_000


@dataclass
class CorpusValues:
    """What review needs to know about a collection's final values."""

    documents: dict[tuple[str, str], set[int]] = field(default_factory=dict)  # (type, name) -> document numbers
    raw_types: dict[str, Counter] = field(default_factory=dict)  # folded name -> type -> documents before the vote
    display: dict[str, str] = field(default_factory=dict)  # folded name -> display name

    def add_document(self, number: int, values: list[tuple[str, str]]) -> None:
        for value in values:
            self.documents.setdefault(value, set()).add(number)

    def add_raw(self, key: str, etype: str, name: str) -> None:
        self.raw_types.setdefault(key, Counter())[etype] += 1
        self.display.setdefault(key, name)


@dataclass
class Suggestion:
    """One thing for the curator to look at."""

    kind: str  # "two types", "merge", "lower-case or everyday word", "gazetteer"
    type: str
    values: list[str]
    documents: int  # documents the suggested line would change
    reasons: list[str]
    curation: str  # TOML to paste into the curation file

    def to_dict(self) -> dict:
        return {"kind": self.kind, "type": self.type, "values": self.values, "documents": self.documents,
                "reasons": self.reasons, "curation": self.curation}


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _words(name: str) -> list[str]:
    return fold(name).split()


def loose_key(name: str) -> str:
    """A looser merge key than :func:`fold`: no spaces or hyphens, no leading "the", abbreviations spelt out."""
    words = _words(name)
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return "".join(_ABBREVIATIONS.get(w, w) for w in words)


def word_bag(name: str) -> str:
    """The words of a name in any order, without particles, a demonym read as its country:
    "Embassy of Kenya" and "Kenyan Embassy" meet."""
    words = []
    for word in _words(name):
        if word not in PARTICLES:
            country = gazetteer.demonym_country(word) if len(word) > 4 else None
            words.append(fold(country) if country else word)
    return " ".join(sorted(words))


def _place_key(name: str) -> str | None:
    """The country a place value stands for when it is a short form ("U.S." and "USA" meet)."""
    country = gazetteer.country_alias(name)
    return fold(country) if country else (fold(name) if gazetteer.kind(name) == "country" else None)


def _distance_at_most(a: str, b: str, limit: int) -> bool:
    """True if the edit distance of ``a`` and ``b`` is at most ``limit`` (banded dynamic programming)."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[^\W\d_]+", name) if w[0].isupper() and w.lower() not in PARTICLES)


def _acronym(name: str) -> str | None:
    letters = name.replace(".", "").replace(" ", "")
    return letters if 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper() else None


def _contains(longer: list[str], shorter: list[str]) -> bool:
    n = len(shorter)
    return any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


def review(values: CorpusValues, only_type: str | None = None) -> list[Suggestion]:
    """Every suggestion for ``values`` (of one type if given), most documents first."""
    by_type: dict[str, list[str]] = defaultdict(list)
    for etype, name in values.documents:
        if only_type is None or etype == only_type:
            by_type[etype].append(name)
    found: list[Suggestion] = []
    found += _two_types(values, only_type)
    for etype, names in by_type.items():
        docs = {name: values.documents[(etype, name)] for name in names}
        found += _merges(etype, docs)
        found += _odd_words(etype, docs)
        found += _against_gazetteer(etype, docs)
    found.sort(key=lambda s: (-s.documents, s.kind, s.values))
    return found


def _two_types(values: CorpusValues, only_type: str | None) -> list[Suggestion]:
    out = []
    for key, types in values.raw_types.items():
        if len(types) < 2:
            continue
        ranked = types.most_common()
        winner = ranked[0][0]
        if only_type is not None and only_type not in types:
            continue
        name = values.display.get(key, key)
        listed = " and ".join(f"{etype} in {n} document{'s' if n != 1 else ''}" for etype, n in ranked)
        out.append(Suggestion(
            "two types", winner, [name], sum(types.values()),
            [f"typed as {listed}; all are shown as {winner} now — say which is right"],
            f"[[retype]]\nvalue = {_toml(name)}\ntype = {_toml(winner)}\n"))
    return out


def _merges(etype: str, docs: dict[str, set[int]]) -> list[Suggestion]:
    """Merge suggestions (written two ways, acronyms, names inside longer ones), one per target value."""
    proposals: dict[str, tuple[str, str, int]] = {}  # variant -> (target, reason, strength)

    def propose(variant: str, target: str, reason: str, strength: int) -> None:
        if variant != target and (variant not in proposals or proposals[variant][2] < strength):
            proposals[variant] = (target, reason, strength)

    def bigger(a: str, b: str) -> tuple[str, str]:
        """(variant, target): the value in fewer documents goes into the one in more."""
        return (a, b) if (len(docs[a]), a) < (len(docs[b]), b) else (b, a)  # ties: the later name wins

    names = sorted(docs)
    # Written two ways: the same loose key, the same words in another order, the same
    # country in a short form, the same surname with a given name spelt differently, or
    # one or two letters apart.
    keyed: list[tuple[str, object, int]] = [("the same name as {} written another way", loose_key, 3),
                                             ("the same words as {} in another order", word_bag, 3)]
    if etype == "place":
        keyed.append(("the same country as {}", _place_key, 3))
    if etype == "person":
        keyed.append(("the same surname as {}, the given name spelt differently", _surname_and_initials, 2))
    for reason, key_of, strength in keyed:
        groups: dict[str, list[str]] = defaultdict(list)
        for name in names:
            key = key_of(name)
            if key:
                groups[key].append(name)
        for group in groups.values():
            target = max(group, key=lambda n: (len(docs[n]), n))  # the others go into the most used one
            for variant in group:
                propose(variant, target, reason.format(repr(target)), strength)
    blocks: dict[str, list[str]] = defaultdict(list)
    for name in names:
        key = loose_key(name)
        if len(key) >= 5:
            blocks[key[:2]].append(name)
    for block in blocks.values():
        for i, a in enumerate(block):
            ka = loose_key(a)
            for b in block[i + 1:]:
                kb = loose_key(b)
                if ka != kb and _distance_at_most(ka, kb, 2 if min(len(ka), len(kb)) >= 10 else 1):
                    variant, target = bigger(a, b)
                    propose(variant, target, f"one or two letters away from {target!r}", 2)
    # Acronyms and names inside longer ones, when they share documents.
    by_word: dict[str, list[str]] = defaultdict(list)
    by_initials: dict[str, list[str]] = defaultdict(list)
    for name in names:
        for word in set(_words(name)):
            by_word[word].append(name)
        if len(_words(name)) >= 2:
            by_initials[_initials(name)].append(name)
    for name in names:
        acronym = _acronym(name)
        together = {}
        for longer in by_initials.get(acronym or "", []):
            together[longer] = len(docs[name] & docs[longer])
        best = max(together, key=lambda n: (together[n], len(docs[n])), default=None)
        if best is not None and together[best] > 0:
            propose(name, best, f"acronym of {best!r} (together in {together[best]} documents)", 4)
            continue
        words = _words(name)
        if not words:
            continue
        candidates = [n for n in by_word.get(words[0], []) if len(_words(n)) > len(words) and _contains(_words(n), words)]
        shared = {n: len(docs[name] & docs[n]) for n in candidates}
        best = max(shared, key=lambda n: (shared[n], len(docs[n])), default=None)
        if best is not None and shared[best] * 2 > len(docs[name]):  # mostly seen beside it
            what = "a single word beside the longer" if len(words) == 1 else "inside the longer"
            propose(name, best, f"{what} {best!r} in {shared[best]} of its {len(docs[name])} documents", 1)
    # Follow chains (A -> B -> C) so each variant names its final value.
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for variant, (target, reason, _) in proposals.items():
        seen = {variant}
        while target in proposals and target not in seen:
            seen.add(target)
            target = proposals[target][0]
        if target != variant:
            groups[target].append((variant, reason))
    out = []
    for target, members in groups.items():
        members.sort()
        variants = [v for v, _ in members]
        changed = set().union(*(docs[v] for v in variants))
        out.append(Suggestion(
            "merge", etype, [target] + variants, len(changed),
            [f"{v!r}: {reason}" for v, reason in members],
            f"[[merge]]\ninto = {_toml(target)}\nvalues = [{', '.join(_toml(v) for v in variants)}]\n"))
    return out


def _surname_and_initials(name: str) -> str | None:
    """Surname plus the first three letters of each given name, for two-word-or-longer names."""
    words = _words(name)
    if len(words) < 2 or any(len(w) < 3 for w in words[:-1]):
        return None
    return " ".join(w[:3] for w in words[:-1]) + " " + words[-1]


def _odd_words(etype: str, docs: dict[str, set[int]]) -> list[Suggestion]:
    out = []
    for name, documents in docs.items():
        words = name.split()  # a hyphenated compound ("Stratford-upon-Avon") is one word
        lower = [w for w in words if w.isalpha() and w.islower() and w not in PARTICLES]
        if lower:
            reason = f"has the lower-case word {lower[0]!r}"
        elif len(words) == 1 and words[0].isalpha() and words[0].istitle() and is_common_word(words[0]) \
                and not is_known_name(words[0]) and gazetteer.kind(name) is None:
            reason = f"{words[0]!r} is an everyday English word"
        else:
            continue
        out.append(Suggestion("lower-case or everyday word", etype, [name], len(documents), [reason],
                              f"[[block]]\nvalue = {_toml(name)}\ntype = {_toml(etype)}\n"))
    return out


def _against_gazetteer(etype: str, docs: dict[str, set[int]]) -> list[Suggestion]:
    if etype == "place":
        return []
    out = []
    for name, documents in docs.items():
        kind = gazetteer.kind(name)
        if kind == "city" and gazetteer.city_population(name) < GAZETTEER_CITY_POPULATION:
            continue
        if kind is None:
            continue
        note = " (keep it if it names a team)" if etype == "organisation" else ""
        out.append(Suggestion("gazetteer", etype, [name], len(documents),
                              [f"a {kind} in the gazetteer, typed {etype}{note}"],
                              f"[[retype]]\nvalue = {_toml(name)}\ntype = \"place\"\n"))
    return out


def format_suggestions(suggestions: list[Suggestion]) -> str:
    """Plain text: one numbered block per suggestion, its reasons, then the TOML to paste."""
    if not suggestions:
        return "No suspicious values found."
    lines = []
    for n, s in enumerate(suggestions, 1):
        shown = s.values[0] if len(s.values) == 1 else f"{s.values[0]} ← {', '.join(s.values[1:])}"
        lines.append(f"{n}. {s.type}: {shown} — {s.kind}, {s.documents} document{'s' if s.documents != 1 else ''}")
        lines += [f"   {reason}" for reason in s.reasons]
        lines += ["   " + line for line in s.curation.rstrip("\n").split("\n")]
        lines.append("")
    return "\n".join(lines).rstrip("\n")
