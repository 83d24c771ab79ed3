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

from . import gazetteer
from .companies import is_ticker, org_context
from .context import context_types, person_shaped
from .links import ambiguous_name_parts, bracketed_acronym, document_links
from .names import at_sentence_start, is_common_word, is_given_name, is_known_name, word_used_lowercase
from .normalise import (HONORIFICS, POST_NOMINALS, TITLE_MODIFIERS, TITLES, best_spelling, clean_name, fold,
                        strip_honorifics)
from .phrases import is_field_phrase
from .places import gazetteer_types, is_facility, is_geographic_name, sports_report, sports_teams
from .products import (PRODUCT_NOUNS, after_model_number, is_code_or_version, is_instrument_or_craft, model_brand,
                       product_vocabulary, vehicle_name, vehicle_names)
from .spans import repair_spans
from .types import (ORG_HEADS, WORK_NOUNS, has_org_head, is_described_body, is_event, is_group_plural,
                    is_nationality, is_not_a_name, is_office_title, is_party, is_portfolio_beside_title,
                    is_title_only, label_type, office_of_place, opens_joined_event, repair_type,
                    strip_national_adjective, strip_office)

#: Labels kept as tentative places: a facility ("Port Caldry" tagged FAC) counts only if
#: the same name is a place or organisation elsewhere.
TENTATIVE_LABELS = {"FAC": "place"}
#: One word in capitals, ending in two capitals, or two words run together ("VELTAG", "VelPA",
#: "KestrelVelmar"); "McDonald", "MacArthur" and "DeShawn" are not.
_ACRONYM_WORD = re.compile(r"[A-Z]{3,}|[A-Z][a-z]*[A-Z]{2,}|[A-Z][a-z]{4,}[A-Z][a-z]+")
_OPEN_QUOTES, _CLOSE_QUOTES = "“‘\"'«„", "”’\"'»“"
#: "North and South Osk", "Upper and Lower Velin": two places sharing their last word.
_COORDINATED = re.compile(
    r"^((?:North|South|East|West|Northern|Southern|Eastern|Western|Central|Upper|Lower|Greater|Inner|Outer))"
    r"\s+(?:and|&)\s+((?:North|South|East|West|Northern|Southern|Eastern|Western|Central|Upper|Lower|Greater|"
    r"Inner|Outer))\s+([A-ZÀ-ÖØ-Þ][\w’'-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w’'-]*)?)$"
)


class TentativeEntity(Entity):
    """An entity seen only under a weak label (FAC) or in a weak position (a common word opening a
    sentence); the corpus pass keeps it only if another article confirms the name."""


class SureEntity(Entity):
    """An entity whose type in its article is backed by a rule (an honorific, a head noun, a context
    cue), not only by the model's label: see :mod:`.evidence` for what that changes in the corpus."""


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
    """The word right before ``start``, with only spaces, quotes or a colon between (no sentence end)."""
    m = re.search(r"([A-Za-z]+)[\s\"“‘'«:,]*$", text[max(0, start - 30):start])
    return m.group(1) if m else ""


#: Last words of streets, never of a person's name (surnames such as "Lane" or "Plaza" are left out).
STREET_ENDINGS = frozenset("street road avenue boulevard".split())
#: Last words that end no person's name: a street, or a body's seat ("Brastel Headquarters").
_NOT_PERSON_ENDINGS = STREET_ENDINGS | {"headquarters", "hq"}


def _without_leading_common_word(name: str) -> str:
    """"(Foreign) Affairs Carmen Ruiz Toval" (the tail of "Minister of Foreign Affairs") -> "Carmen Ruiz
    Toval": one or two everyday words that are not given names, before a given name, open no person's name."""
    words = name.split()
    if gazetteer.kind(name):
        return name  # "Ho Chi Minh City" read as a person: a place, which the gazetteer rule retypes
    for i in (1, 2):  # "Affairs Carmen …", "Foreign Affairs Carmen …"
        lead = words[:i]
        if len(words) - i < 2 or not all(is_common_word(w) and not is_given_name(w) for w in lead):
            break
        if is_given_name(words[i]):
            return " ".join(words[i:])
    return name


#: Head nouns that, capitalised alone, name one legislature ("Congress passed the bill"), unlike
#: "the Council" or "the Cabinet", which stand for a body named in full elsewhere.
PROPER_BODIES = frozenset("congress senate parliament".split())


#: A title, honorific or post-nominal alone ("Minister", "DL", "SAN"); not "SC", which also
#: abbreviates a Supreme Court.
_TITLE_WORDS_ALONE = (TITLES | HONORIFICS | POST_NOMINALS) - {"sc"}


def _only_a_title(name: str) -> bool:
    return " " not in name and name.lower().replace(".", "") in _TITLE_WORDS_ALONE


#: Honours and letters after a person's name: "CBE", "QC", "MP".
_POST_NOMINAL_END = re.compile(r"\s+(?:" + "|".join(sorted(POST_NOMINALS, key=len, reverse=True)) + r")\.?$",
                               re.IGNORECASE)
#: Currency abbreviations written before an amount ("Tk 50 crore", "Rs 20 lakh", "Ksh 3bn").
_CURRENCY_END = re.compile(r"(?<=\S)\s+(?:Tk|Rs|Ksh|KSh|Kshs|Shs|Tsh|Php|INR|BDT|NGN|KES)\.?$")


#: Capitalised words, then one in capitals: "Velin HRI", "Osk Tarn GmbH" ("Ana OSK" is a surname set in capitals).
_NAME_THEN_ACRONYM = re.compile(r"^(?:[A-Z][a-z][\w'’-]*\s+){1,3}([A-Z]{3,5})$")
_ROMAN_NUMERALS = frozenset("III VII VIII XII".split())  # regnal numbers of three or more capitals


def _ends_in_acronym(name: str) -> bool:
    """"Velin HRI": words of a name, then an acronym of three or more capitals: a unit or a company.
    (The name lists know too many short words to tell "Ana OSK" from "Velin HRI"; news prose does not
    set a surname in capitals, bylines aside, which give no entities.)"""
    m = _NAME_THEN_ACRONYM.match(name)
    return bool(m) and m.group(1) not in _ROMAN_NUMERALS


def _unknown_full_name(name: str) -> bool:
    """Two or three name words, none an everyday word, a nationality or a known place: a person's
    name the model read as a group ("Panyaza Osk"), not "South Africans" or "Gulf Arabs"."""
    words = name.split()
    return (person_shaped(name) and not gazetteer.kind(name)
            and not any(is_common_word(w) or is_nationality(w) or gazetteer.kind(w) for w in words))


#: A demonstrative or a possessive before a name makes a description: "this Honourable Court", "its Board".
_DESCRIBED = re.compile(r"(?:this|that|these|those|its|our|their|his|her|my|your)\s")


@lru_cache(maxsize=32768)
def _typed_name(raw: str, label: str, preceding_word: str) -> tuple[str, str, bool] | None:
    """``(name, type, strong)`` for a raw span, type "" for a work title; None if no facet entity.

    Pure and cached: the same raw span ("Dravik"/GPE) recurs many times in a corpus.
    """
    etype = label_type(label) or TENTATIVE_LABELS.get(label)
    if etype is None and label != "NORP":
        return None
    name = clean_name(raw)
    if is_not_a_name(name) or is_event(name) or _DESCRIBED.match(raw.lstrip()):
        return None  # before honorifics go: "Premier League" is no "League" of a premier; "this Honourable Court"
    if etype in ("organisation", "person") and (place := office_of_place(name)):
        return place, "place", True  # "Chief Justice of Osk": the office names only the place
    if etype == "organisation" and (is_office_title(name) or is_described_body(name) or is_title_only(name)):
        return None  # "the Minister of Finance", "Chief Executive Officer": offices; "the Vietnamese Government"
    if etype in ("organisation", "place") and _POST_NOMINAL_END.search(name) \
            and person_shaped(_POST_NOMINAL_END.sub("", name)):
        return _POST_NOMINAL_END.sub("", name), "person", True  # "Nick Osk CBE": honours follow a person
    if etype in ("organisation", "place"):
        name = _CURRENCY_END.sub("", name)  # "[Robi Tk] 50 crore": the amount's currency is no part of the name
    if etype == "organisation":
        name = strip_national_adjective(strip_office(name))  # "Executive Director of the Velin Rowing Trust" -> the trust
    if not name or is_code_or_version(name):
        return None  # "XR-7", "Velnet 4.2": a mission or a product
    if etype == "place" and gazetteer.is_state_abbreviation(name):
        return name, "place", True  # "KY", "Calif." (tagged after a town): a state, not an acronym's body
    brand = model_brand(name) if etype else None
    if brand is not None:  # "Velcraft Trent 7000": a product; its maker is the organisation named
        return (brand, "organisation", False) if brand else None
    vehicle = vehicle_name(name)
    if vehicle or preceding_word in PRODUCT_NOUNS or is_instrument_or_craft(name):
        # "Space Shuttle Meridian", "the browser Velnet", "Velin Space Telescope"
        return vehicle or name, "", False  # like a work title: every mention of the name goes
    stripped, had_honorific = strip_honorifics(name)
    if label == "NORP":
        if is_party(stripped):
            return stripped, "organisation", True  # "the Social Democrats": a party
        if _unknown_full_name(stripped):
            return stripped, "person", False  # "Panyaza Osk’s failure" read as a group: a person
        if gazetteer.kind(stripped) and not is_nationality(stripped):
            return stripped, "place", False  # "the Punjab government", "in Sintra" read as a group: a place
        etype = None  # a nationality group is no facet, but "the Estonian Society" tagged NORP is an organisation
    repaired = repair_type(stripped, name, etype or "", preceding_word)
    if not repaired:
        if etype == "person" and not is_nationality(stripped):
            return stripped, "", False  # a work title ("the documentary Silent River")
        return None
    strong = repaired != etype or had_honorific
    if not had_honorific and (is_facility(name, repaired) or repaired == "person" and is_geographic_name(name)):
        repaired, strong = "place", True  # "Velin Stadium", "Osk Space Centre", "Atacama Desert": places
    if repaired == "person" and not had_honorific and (_ACRONYM_WORD.fullmatch(stripped) or _ends_in_acronym(stripped)):
        # "VELTAG", "VelPA", "KestrelVelmar", "Osk HRI": an acronym, an agency or a company; people are not
        # written so.
        repaired, strong = "organisation", False
    if repaired == "person":
        name = _without_leading_common_word(stripped)
        if re.search(r"\d", name) or (" " in name and name.split()[-1].lower() in _NOT_PERSON_ENDINGS):
            return None  # "COVID-19", "Apollo 11", "Harbour Road", "Brastel Headquarters": no person's name
    if not re.search(r"[^\W\d_]", name) or len(name) < 2 or is_nationality(name) or _only_a_title(name) \
            or (" " not in name and name.lower() in TITLE_MODIFIERS):  # "Acting" cut from "Acting Director"
        return None
    if name == name.lower() or (" " not in name and name.lower() not in PROPER_BODIES
                                and (name.lower() in ORG_HEADS or _singular_head(name))):
        return None  # "seagrass", "the Cabinet", "the Council", "Councils": common nouns, not names
    return name, repaired, strong


def _quoted(text: str, start: int, end: int) -> bool:
    """True when quotation marks enclose exactly ``text[start:end]``."""
    return 0 < start and end < len(text) and text[start - 1] in _OPEN_QUOTES and text[end] in _CLOSE_QUOTES


_INDEFINITE_BEFORE = re.compile(r"(?<![\w-])an? $")


def make_mention(text: str, start: int, end: int, label: str) -> Mention | None:
    """Clean one spaCy entity span and repair its type; None if it is not a facet entity."""
    if label_type(label) is None and label not in TENTATIVE_LABELS and label != "NORP":
        return None  # cheap exit for DATE, CARDINAL, …
    raw = text[start:end]
    if label == "ORG" and is_portfolio_beside_title(text, start, end, clean_name(raw)):
        return None  # "Minister of [Heavy Industries]", "[Education] Minister": what the office covers
    if " " not in raw.strip() and after_model_number(text, start):
        # "the 737 [MAX]": a model's name, like a work title: its later bare mentions ("the Max jets") go too
        return Mention(start, end, "", clean_name(raw), raw, label, work_title=True)
    preceding = _preceding_word(text, start).lower()
    typed = _typed_name(raw, label, preceding if preceding in WORK_NOUNS or preceding in PRODUCT_NOUNS else "")
    if typed is None and label == "NORP" and is_group_plural(clean_name(raw)) and sports_report(text):
        typed = clean_name(raw), "organisation", True  # "the Celtics beat …": a team named by its players
    if typed is None:
        return None
    name, etype, strong = typed
    # Point the mention at the cleaned name inside the raw span, so highlighting skips "Mr" and "'s".
    offset = raw.find(name)
    if offset >= 0:
        start, end = start + offset, start + offset + len(name)
    if etype == "person" and not strong and _quoted(text, start, end):
        etype = ""  # “Silent River” in quotation marks: a song or a book, not a person
    if etype == "person" and not strong and " " not in name and _INDEFINITE_BEFORE.search(text[max(0, start - 4):start]):
        return None  # "to have a Bill passed": a person is not counted with "a"
    if not etype:
        # A work title: every mention of this name in the document is dropped.
        return Mention(start, end, "", name, raw, label, work_title=True)
    tentative = label in TENTATIVE_LABELS and not strong
    return Mention(start, end, etype, name, raw, label, strong, tentative)


def _surname_like(word: str) -> bool:
    """A last name word: a known surname, or not an everyday English word ("Athletic", "Rovers")."""
    return is_known_name(word) or not is_common_word(word)


def _bare_word_body(key: str, counts: Counter, name_words: set[str], surely_person: set[str]) -> bool:
    """"Eskom" labelled a person four times and an organisation twice: a one-word name the model
    also reads as an organisation, never written with a given name here, no title before it and no
    known given name, names a body. News introduces a person once by full name; a bare word that
    never gets one is rarely a person when the model doubts it (one organisation label in four will do)."""
    return (" " not in key and counts["organisation"] > 0 and counts["person"] > 0
            and counts["organisation"] * 3 >= counts["person"] and key not in surely_person
            and key not in name_words and not is_given_name(key))


def _unknown_place_body(key: str, counts: Counter, backing: set[str]) -> bool:
    """"state copper producer Korvo" once, "Korvo" labelled a place four times: a one-word name that a
    rule types as an organisation and none as a place, and that no gazetteer knows, is a body (the
    model reads an unfamiliar company's name as a town)."""
    return (" " not in key and counts["place"] > 0 and "organisation" in backing and "place" not in backing
            and gazetteer.kind(key) is None)


def vote_types(mentions: list[Mention]) -> None:
    """Give every folded name a single type within the document (mutates ``mentions``).

    Rule-based evidence (honorific, head noun, context) counts three times a bare
    label. A tie goes to a type a rule backs, then to "person" for a name shaped like one ("Lena Brandt" labelled
    once a person and once an organisation: the model's usual slip) unless its last
    word is an everyday English word ("Hollingford Athletic"); else to the first mention's type.
    A one-word name read as both a person and an organisation, and never part of a full name here,
    is an organisation (:func:`_bare_word_body`).
    """
    votes: dict[str, Counter] = defaultdict(Counter)
    backed: dict[str, set[str]] = defaultdict(set)  # types a rule gives the name somewhere here
    first: dict[str, str] = {}
    shaped: dict[str, bool] = {}
    surely_person: set[str] = set()
    for m in mentions:
        if m.tentative:
            continue
        votes[m.key][m.type] += 3 if m.strong else 1
        if m.strong:
            backed[m.key].add(m.type)
        if m.strong and m.type == "person":
            surely_person.add(m.key)
        if m.key not in first:
            first[m.key] = m.type
            shaped[m.key] = person_shaped(m.name) and _surname_like(m.name.split()[-1])
    name_words = {fold(w) for m in mentions if m.type == "person" and " " in m.name for w in m.name.split()}
    for key, counts in votes.items():
        if _bare_word_body(key, counts, name_words, surely_person):
            counts["organisation"] = counts["person"] + 1
        elif _unknown_place_body(key, counts, backed[key]):
            counts["organisation"] = counts["place"] + 1
    for m in mentions:
        counts = votes.get(m.key)
        if counts:
            prefer_person = shaped[m.key]
            backing = backed[m.key]
            m.type = max(counts, key=lambda t: (counts[t], t in backing, prefer_person and t == "person",
                                                t == first[m.key]))
            m.tentative = False  # confirmed by a non-tentative mention of the same name


def drop_family_plurals(mentions: list[Mention]) -> list[Mention]:
    """"the McVeighs" beside "Ana McVeigh": a family named by the surname of a person here is no value."""
    surnames = {m.key.split()[-1] for m in mentions if m.type == "person" and " " in m.key}
    return [m for m in mentions if " " in m.key or not m.key.endswith("s") or m.key[:-1] not in surnames]


def drop_common_nouns(text: str, mentions: list[Mention], links: dict[str, str]) -> list[Mention]:
    """Drop unlinked one-word names that the text also uses in lowercase ("Seagrass", "Council")."""
    return [
        m for m in mentions
        if m.key in links or m.strong or " " in m.name or m.name.isupper() or not word_used_lowercase(m.name, text)
    ]


def drop_products(text: str, mentions: list[Mention], links: dict[str, str]) -> list[Mention]:
    """Drop one-word "people" that are no known name in a text about software or devices ("Safari and
    Chrome users"): product names the model reads as names of people."""
    suspects = {m.key for m in mentions if m.type == "person" and not m.strong and " " not in m.name
                and m.key not in links and (is_common_word(m.name) or not is_known_name(m.name))}
    if not suspects or not product_vocabulary(text):
        return mentions
    return [m for m in mentions if m.key not in suspects]


def split_maker_products(text: str, mentions: list[Mention]) -> list[Mention]:
    """In a text about software or devices, "<Maker> <Product>" names are products and the maker an
    organisation: "Velsoft Docs" and "Velsoft Lens" beside each other, or "Velsoft Office" beside
    "Velsoft" alone. The maker opens two different names, or has a mention of its own typed an
    organisation; a name with a head noun ("Velsoft Foundation") stays."""
    multi = [m for m in mentions if not m.strong and 2 <= len(m.name.split()) <= 3 and not has_org_head(m.name)]
    if not multi or not product_vocabulary(text):
        return mentions
    families: dict[str, set[str]] = defaultdict(set)
    for m in multi:
        families[fold(m.name.split()[0])].add(m.key)
    alone = {m.key for m in mentions if m.type == "organisation" and " " not in m.name}
    out, products = [], {id(m) for m in multi}
    for m in mentions:
        first = m.name.split()[0]
        key = fold(first)
        # An everyday first word ("Windows Live") makes a maker only if it is named alone as one.
        if id(m) in products and (key in alone or len(families[key]) >= 2 and not is_common_word(first)):
            out.append(Mention(m.start, m.start + len(first), "organisation", first, m.raw, m.label))
        else:
            out.append(m)
    return out


#: A reporting verb right after a name: only people and bodies say things.
_REPORTS = re.compile(r"^\s+(?:said|says|announced|reported|told|added|confirmed|denied|warned|posted|declined)\b")


def mark_sentence_initial_words(text: str, mentions: list[Mention], links: dict[str, str]) -> None:
    """Make one-word people and organisations seen only at sentence starts tentative if they are common words.

    At a sentence start a capital says nothing, so "Founded in 2011, …" tagged as
    a person is probably a word. Such a name (not a known given name or surname,
    never capitalised mid-sentence here) is kept only if the corpus confirms it,
    like a facility: "Velin's president said …" survives where other articles name
    Velin as a place, "Founded" does not.
    """
    candidates: dict[str, bool] = {}
    for m in mentions:
        if m.key in links or m.strong or " " in m.name or m.type == "place" or m.name.isupper():
            candidates[m.key] = False
        elif candidates.get(m.key, True):
            # "Brixo said on Monday …": a word that says something is a name even at a sentence start.
            candidates[m.key] = at_sentence_start(text, m.start) and not _REPORTS.match(text[m.end:m.end + 16])
    weak = {k for k, ok in candidates.items() if ok}
    for m in mentions:  # the word-list checks last: they are the costly part
        if m.key in weak and is_common_word(m.name) and not is_known_name(m.name):
            m.tentative = True


#: What joins two names in one span: "City Power and Eskom", "Velcorp & Osk", "Eskom-City Power".
_PAIR_JOIN = re.compile(r"\s+(?:and|&)\s+|(?<=[a-z])[-–](?=[A-Z])")


def split_known_pairs(text: str, mentions: list[Mention]) -> list[Mention]:
    """One span over two names that the document also writes alone ("[Velcorp and Osk Power]" beside
    "Velcorp" and "Osk Power") is those two names, each with the type it has alone."""
    types = {m.key: m.type for m in mentions}
    out = []
    for m in mentions:
        join = _PAIR_JOIN.search(text, m.start, m.end)
        if join:
            a, b = text[m.start:join.start()], text[join.end():m.end]
            ka, kb = fold(a), fold(b)
            if ka in types and kb in types and m.key not in (ka, kb):
                out.append(Mention(m.start, join.start(), types[ka], a, a, m.label))
                out.append(Mention(join.end(), m.end, types[kb], b, b, m.label))
                continue
        out.append(m)
    return out


#: "Jigawa & Kebbi", "Auckland and New Zealand", "Burdekin, Mackay": two names of one to three words.
_PLACE_PAIR = re.compile(
    r"^((?:[A-ZÀ-ÖØ-Þ][\w’'.-]*\s?){1,3}?)(?:\s+(?:and|&)\s+|,\s+)((?:[A-ZÀ-ÖØ-Þ][\w’'.-]*\s?){1,3})$")


def _place_in_a_pair(name: str, comma: bool) -> bool:
    """A part of a joined pair that may be a place: one the gazetteer knows, an acronym ("FCT"), or, in
    a comma list, a word no list knows (two surnames joined by "and" name a firm: "Marlow and Fenwick")."""
    if gazetteer.kind(name) is not None:
        return True
    if " " in name or is_known_name(name):
        return False
    return name.isupper() or (comma and not is_common_word(name))


def split_place_pairs(text: str, mentions: list[Mention]) -> list[Mention]:
    """"[Jigawa & Kebbi]", "[Auckland and New Zealand]", "[Burdekin, Mackay]" tagged as one organisation:
    two places joined, when the gazetteer knows one of them and the other may be a place too, neither
    has a head noun, nothing around says "business" and the whole is no place of its own ("Trinidad
    and Tobago")."""
    out = []
    for m in mentions:
        pair = _PLACE_PAIR.match(m.name) if m.type == "organisation" and not m.strong else None
        if pair is None or has_org_head(m.name) or gazetteer.kind(m.name) or org_context(text, m.start, m.end):
            out.append(m)
            continue
        a, b = pair.group(1).strip(), pair.group(2).strip()
        comma = "," in m.name[len(a):pair.start(2)]
        if gazetteer.kind(a) is None and gazetteer.kind(b) is None \
                or not (_place_in_a_pair(a, comma) and _place_in_a_pair(b, comma)):
            out.append(m)
            continue
        b_start = m.start + pair.start(2)
        out.append(Mention(m.start, m.start + len(a), "place", a, m.raw, m.label, strong=True))
        out.append(Mention(b_start, b_start + len(b), "place", b, m.raw, m.label, strong=True))
    return out


def split_coordinated(mentions: list[Mention]) -> list[Mention]:
    """"North and South Osk" (one place span) -> "North Osk" and "South Osk"."""
    out = []
    for m in mentions:
        c = _COORDINATED.match(m.name) if m.type == "place" and (" and " in m.name or " & " in m.name) else None
        if not c:
            out.append(m)
            continue
        first, second, rest = c.groups()
        second_start = m.start + c.start(2)
        out.append(Mention(m.start, m.start + len(first), m.type, f"{first} {rest}", m.raw, m.label, m.strong,
                           m.tentative))
        out.append(Mention(second_start, m.end, m.type, f"{second} {rest}", m.raw, m.label, m.strong, m.tentative))
    return out


#: " of A and B" / " of the Republic of A and the Kingdom of B" right after a plural organisation name.
_SHARED_OF = re.compile(
    r"^ of ((?:the )?[A-ZÀ-ÖØ-Þ][\w’'-]*(?: (?:of )?[A-ZÀ-ÖØ-Þ][\w’'-]*){0,3})"
    r",? and ((?:the )?[A-ZÀ-ÖØ-Þ][\w’'-]*(?: (?:of )?[A-ZÀ-ÖØ-Þ][\w’'-]*){0,3})"
)


def _singular_head(word: str) -> str | None:
    """"Ministries" -> "Ministry", "Embassies" -> "Embassy": the singular of a plural head noun, else None."""
    low = word.lower()
    for plural, singular in (("ies", "y"), ("s", "")):
        if low.endswith(plural) and low[: -len(plural)] + singular in ORG_HEADS:
            return word[: -len(plural)] + singular
    return None


def distribute_plural_heads(text: str, mentions: list[Mention]) -> list[Mention]:
    """"the Ministries of Foreign Affairs of A and B" -> "Ministry of Foreign Affairs of A" and
    "Ministry of Foreign Affairs of B": one organisation per country named after a plural head
    noun. The countries' own mentions there are part of those names, not places of their own."""
    out, absorbed = [], []
    for m in mentions:  # in text order, so an owner's mention comes after its plural head
        if any(a <= m.start and m.end <= b for a, b in absorbed):
            continue
        words = m.name.split(" ", 1)
        singular = _singular_head(words[0]) if m.type == "organisation" else None
        shared = _SHARED_OF.match(text[m.end:m.end + 160]) if singular else None
        if not shared:
            out.append(m)
            continue
        rest = f" {words[1]}" if len(words) > 1 else ""
        for k in (1, 2):
            owner = shared.group(k)
            start = m.start if k == 1 else m.end + shared.start(k)
            out.append(Mention(start, m.end + shared.end(k), "organisation", f"{singular}{rest} of {owner}",
                               m.raw, m.label, strong=True))
        absorbed.append((m.end, m.end + shared.end()))
    return out


#: A headline is short; a longer first line is the story's first sentence.
MAX_HEADLINE_WORDS = 20


#: A sentence ending inside a line: a headline has none ("U.S. Rates Rise" and "Mr. Osk" are no break).
_SENTENCE_BREAK = re.compile(r"(?:\b[a-z]{3,}|\b\d{4})\.\s+[A-Z]")


def _title_case_headline(text: str) -> int:
    """End offset of the first line if it is a Title Case headline ("Council Approves Flood Wall"), else 0."""
    stripped = text.lstrip()
    start = len(text) - len(stripped)
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    line = text[start:end]
    all_words = re.findall(r"[^\W\d_][\w’'-]*", line)
    if len(all_words) > MAX_HEADLINE_WORDS or line.rstrip().endswith(".") or _SENTENCE_BREAK.search(line):
        return 0  # a story's first sentence ("KELBURN (Velwire) - …") or a caption ("… in Osk, 2017. Photo: …")
    words = [w for w in all_words if len(w) > 3]
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
    sure: dict[str, set[str]] = defaultdict(set)  # types a rule backs, per name
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for m in mentions:
        target = links.get(m.key, m.key)
        spellings[m.key][m.name] += 1
        types[m.key][m.type] += 3 if m.strong else 1
        if m.strong:
            sure[m.key].add(m.type)
        tentative[m.key] = tentative.get(m.key, True) and m.tentative
        spans[target].append((m.start, m.end))
    entities = []
    for target, mention_spans in spans.items():
        if target not in spellings:  # defensive: a link to a name with no mention of its own
            continue
        votes = types[target]
        etype = max(votes, key=lambda t: (votes[t], t))
        cls = TentativeEntity if tentative[target] else SureEntity if etype in sure[target] else Entity
        entities.append(cls(type=etype, name=best_spelling(spellings[target]), mentions=sorted(set(mention_spans))))
    return entities


def resolve_document(text: str, ents: list[tuple[int, int, str]]) -> list[Entity]:
    """Entities of one document from its raw NER spans ``(start_char, end_char, label)``."""
    mentions = [m for s, e, label in repair_spans(text, ents) if (m := make_mention(text, s, e, label))]
    works = {m.key for m in mentions if m.work_title} | {fold(n) for n in vehicle_names(text)}
    # "the Velin Space Telescope (VST)": the acronym of a craft or work names it too
    works |= {fold(a) for m in mentions if m.work_title and (a := bracketed_acronym(text, m.end))}
    mentions = [m for m in mentions if not m.work_title and m.key not in works
                and not is_field_phrase(text, m.start, m.end) and not opens_joined_event(text, m.end)
                and not is_ticker(text, m.start)]
    if not mentions:
        return []
    mentions = split_place_pairs(text, split_coordinated(split_known_pairs(text, mentions)))
    mentions = distribute_plural_heads(text, mentions)
    context_types(text, mentions)
    gazetteer_types(text, mentions)
    sports_teams(text, mentions)
    mentions = split_maker_products(text, mentions)
    vote_types(mentions)
    links = document_links(text, mentions)
    ambiguous = ambiguous_name_parts(mentions)
    mentions = [m for m in mentions if m.key in links or m.key not in ambiguous or m.strong and m.type != "person"]
    mentions = drop_common_nouns(text, drop_family_plurals(mentions), links)
    mentions = drop_products(text, mentions, links)
    mark_sentence_initial_words(text, mentions, links)
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
