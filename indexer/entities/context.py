"""Context rules: the words around a mention, and its neighbours, decide its type.

Works on the :class:`~.resolve.Mention` objects of one document (``start``,
``end``, ``name``, ``key``, ``type``, ``strong``, ``tentative``) and mutates
their ``type``/``strong``. Every cue is generic English: "in X", "the town of X",
"X, a journalist", "X's new album", a list of places or people.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .names import PERSON_NOUNS, PLACE_CUE_PHRASES, PLACE_FEATURES, is_dateline_place, is_given_name, \
    body_list_items, is_common_word, is_known_name, place_list_items, word_used_lowercase
from .normalise import POST_NOMINALS, ROLE_WORDS, TITLES, fold
from . import gazetteer
from .companies import NOT_PLACE_BEFORE_IN, org_context
from .types import ORG_HEADS, WORK_NOUNS, has_org_head

_DATELINE_AGENCY = re.compile(r"(?:^|\n)[A-Z][^\n]{0,40},[^\n]{0,30}\b\d{1,4}\s*\(\s*$")
_CREDIT_AFTER = re.compile(r"^\s+(?:reports|reported|has learned|has learnt)[.:]")
_LIST_GAP = re.compile(r"^\s*(?:,|and|or|&|,\s*and)\s*$")
#: "X, a Latvian journalist and …", "X, the mother of …": up to three words after the article,
#: then what ends a noun phrase (punctuation or a function word), so the person noun is its head:
#: in "X, the official news agency" the noun "official" is not.
_APPOSITIVE = re.compile(
    r"^,\s+(?:a|an|the)\s+((?:[\w-]+\s+){0,2}?[\w-]+)(?=\s*[,.;:)]|\s+(?:of|who|whose|and|from|in|at|with|for|to)\b)"
)
#: "X's new symphony", "X`s book": what a person makes.
_POSSESSIVE_WORK = re.compile(r"^['’`´]s\s+((?:[\w-]+\s+)?[\w-]+)")
CREATED_WORKS = WORK_NOUNS | frozenset(
    """composition compositions symphony concerto sonata suite score works songs poems paintings sculpture
    photographs diaries diary memoirs letters novels books films""".split()
)
#: Appositive nouns that also describe countries and bodies ("X, a member of the alliance").
_PERSON_NOUNS = PERSON_NOUNS - {"member", "leader", "owner", "founder", "producer", "player"}
#: "X, Director, …" / "X, Events Officer, …" / "X, Director of …": a title set off by commas.
_APPOSITIVE_TITLE = re.compile(r"^,\s+(?:[A-Z][\w-]*\s+)?([A-Za-z][\w-]*)(?=\s*[,.;]|\s+(?:of|and|at|for)\b)")
_TITLE_WORDS = TITLES | ROLE_WORDS | POST_NOMINALS | frozenset("officer coordinator curator".split())
#: "Director of X": an office held in an organisation (a person or a place never follows).
_OFFICE_OF = re.compile(
    r"\b(?:director|chairman|chairwoman|chair|head|ceo|founder|secretary|manager|principal|dean|rector|"
    r"coordinator|curator|treasurer|officer)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
#: "the shipping company X", "the charity X": a noun for organisations right before the name.
ORG_NOUNS = frozenset(
    """company firm carmaker automaker airline bank lender insurer maker manufacturer retailer broadcaster
    publisher charity organisation organization agency band label club party brand startup start-up
    conglomerate supermarket chain""".split()
)
#: Nouns of trade and rivalry that may also stand before a person ("his rival", "the developer"):
#: evidence only for a one-word name that is no known personal name ("rival Velcom", "vendors Osk and Tarn").
TRADE_NOUNS = frozenset(
    """rival rivals competitor competitors vendor vendors operator operators carrier carriers supplier
    suppliers chipmaker chipmakers giant giants portal outlet newspaper daily network miner miners developer
    developers provider providers regulator watchdog insurers lenders banks airlines makers""".split()
)
_PERSON_WORD = re.compile(r"[A-ZÀ-ÖØ-Þ][^\W\d_]+(?:[-‑'’][A-ZÀ-ÖØ-Þa-z][^\W\d_]*)*")


@lru_cache(maxsize=32768)
def person_shaped(name: str) -> bool:
    """Two or three capitalised name words, no head noun or geographic word, no country first: "Lena
    Brandt", "Jean-Luc Osk", not "Sri Lanka Customs"."""
    words = name.split()
    return (2 <= len(words) <= 3 and not has_org_head(name)
            and all(_PERSON_WORD.fullmatch(w) and w.lower() not in PLACE_FEATURES for w in words)
            and not _opens_with_country(name))


def _opens_with_country(name: str) -> bool:
    """"Sri Lanka Customs", "Osklia Airways": a country of two words, or of one that is no given name,
    opens the name; "Jordan Velk" and "Georgia May" are people."""
    country = gazetteer.opening_country(name)
    return country is not None and (" " in country or not is_given_name(country))


def _looks_like_person(m, text: str, single_keys: set[str], person_keys: set[str]) -> bool:
    """An organisation-labelled "Irena Novakova": starts with a given name, and its last word recurs alone
    or the model labels the same name a person elsewhere in the text; or, with a first word no list
    knows, its last word is labelled a person alone elsewhere ("Jo-Vael Tsonga" … "Tsonga said")."""
    words = m.name.split()
    if not 2 <= len(words) <= 3 or has_org_head(m.name) or any(not w[:1].isupper() or w.isupper() for w in words):
        return False
    first = words[0]
    if first.lower() in PLACE_FEATURES or word_used_lowercase(first, text) or _opens_with_country(m.name):
        return False
    if not is_given_name(first):
        # "Jo-Vael Tsonga" with "Tsonga" labelled a person alone elsewhere: an unlisted given name.
        return fold(words[-1]) in person_keys and person_shaped(m.name) and not is_common_word(first) \
            and not is_common_word(words[-1])  # "Kendleton Rovers" … "Rovers" (a club's short name)
    return fold(words[-1]) in single_keys or m.key in person_keys


def _listed(text: str, m, n, etype: str, multiword: bool = False) -> bool:
    """True if mention ``n`` of type ``etype`` sits next to ``m`` in a list ("Berlin, Bern and Dublin")."""
    if n.type != etype or n.tentative or (multiword and " " not in n.name):
        return False
    gap = text[min(n.end, m.end):max(n.start, m.start)]
    after_n = text[n.end:n.end + 2]
    return bool(_LIST_GAP.match(gap)) and not after_n.startswith(("'s", "’s"))


_RESIDENCE_GAP = re.compile(r"^,\s+of\s+$")
_RESIDENCE_END = re.compile(r"^\s*(?:[,.;:)]|$)")


def _residence(text: str, previous, m) -> bool:
    """"<person>, of <X>," names where the person lives or comes from: a place, unless X is a body."""
    return (previous.type == "person" and len(m.name.split()) <= 3
            and bool(_RESIDENCE_GAP.match(text[previous.end:m.start])) and bool(_RESIDENCE_END.match(text[m.end:m.end + 2])))


#: "Osk police", "Osk police station": lowercase "police" after a name names the place's force.
_LOCAL_FORCE_AFTER = re.compile(r"^\s+police\b")
#: "a Perth man", "KZN municipalities": a lowercase word for people or local bodies of a place right
#: after a name makes the name that place (a body has staff, not residents).
_RESIDENTS_AFTER = re.compile(
    r"^\s+(?:man|woman|men|women|boy|girl|teenager|couple|resident|residents|native|natives|"
    r"villagers|locals|households|homeowners|motorists|commuters|municipality|municipalities|suburb|suburbs)\b")
#: "the Velton copper deposit", "the Osk river", "Kelburn Bridge area": a lowercase geographic noun (after at
#: most one lowercase word) names a feature of the place; a plant, mine or site may be a company's.
_FEATURE_AFTER = re.compile(
    r"^\s+(?:[a-z]+\s+)?(?:river|valley|basin|area|district|region|desert|coast|border|deposit|deposits|creek|"
    r"lake|delta|highlands|lowlands|plains|plateau|peninsula|estuary|wetlands|catchment|watershed|countryside)\b")
#: Further features after a name the model reads as a person's: "the Tarn oil refinery", "the Osk copper
#: project" (no person has a refinery named so; a company might, so not for organisation labels).
_WORKS_AFTER = re.compile(r"^\s+(?:[a-z]+\s+)?(?:refinery|mine|project|field|oilfield|gasfield)\b")
#: "MP for Velin Constituency", "the senator for Osk": a seat is a place.
_SEAT_BEFORE = re.compile(r"\b(?:MPs?|MLAs?|MPPs?|MEPs?|[Ss]enators?|[Mm]embers?\s+of\s+[Pp]arliament)\s+for\s+$")
#: "a Palmerston North councillor": an elected office of a place, or of a party ("a Labour councillor"),
#: so only for a name the gazetteer knows.
_LOCAL_OFFICE_AFTER = re.compile(r"^\s+(?:councillors?|councilors?|mayor|MPs?|MLAs?|MPPs?)\b")
#: The lowercase word right before a name: "spokesperson Leigh-Ann Osk", "rival Velcom".
_LOWERCASE_WORD_BEFORE = re.compile(r"([a-z-]+)\s+$")


def _of_a_place(text: str, m) -> bool:
    """"a Velton man", "Osk municipalities", "the Osk copper deposit", "a Velton councillor": the name, used
    as an adjective before the people, features or offices of a place, is that place; so is a seat ("MP
    for Osk Constituency"). Not "family": "the Osk family" is a surname's. For a name read as a person's
    only the features count ("the Tarn oil refinery"), and only if it opens with no known name."""
    after = text[m.end:m.end + 30]
    if _SEAT_BEFORE.search(text[max(0, m.start - 30):m.start]):
        return True
    if m.type == "person":
        return (_FEATURE_AFTER.match(after) or _WORKS_AFTER.match(after)) is not None \
            and len(m.name.split()) <= 3 and not is_known_name(m.name.split()[0])
    if _RESIDENTS_AFTER.match(after) or _FEATURE_AFTER.match(after):
        return len(m.name.split()) <= 3 and not is_known_name(m.name.split()[0])
    return bool(_LOCAL_OFFICE_AFTER.match(after)) and gazetteer.kind(m.name) is not None


def _names_a_person(text: str, m) -> bool:
    """"X, a Latvian journalist" / "X, Director," / "X's new symphony" / "spokesperson X": the words
    around the name say it is a person."""
    noun = _LOWERCASE_WORD_BEFORE.search(text[max(0, m.start - 30):m.start])
    if noun and noun.group(1) in _PERSON_NOUNS and person_shaped(m.name):
        return True
    after = text[m.end:m.end + 50]
    appositive = _APPOSITIVE.match(after)
    if appositive and appositive.group(1).split()[-1].lower() in _PERSON_NOUNS:
        return True
    work = _POSSESSIVE_WORK.match(after)
    if work and person_shaped(m.name) and work.group(1).split()[-1].lower() in CREATED_WORKS \
            and not gazetteer.kind(m.name):  # "New Zealand's environment report" is a country's
        return True
    title = _APPOSITIVE_TITLE.match(after)
    return bool(title) and person_shaped(m.name) and title.group(1).lower() in _TITLE_WORDS


def _names_an_organisation(text: str, m) -> bool:
    """"Director of X" / "the shipping company X" / "shares in X" / "X's chief executive": the words
    around the name say it is an organisation."""
    before = text[max(0, m.start - 40):m.start]
    if _OFFICE_OF.search(before) or org_context(text, m.start, m.end):
        return True
    prev = _LOWERCASE_WORD_BEFORE.search(before)
    if prev and prev.group(1) in ORG_NOUNS:
        return True
    return _after_trade_noun(text, m)


#: "vendors Osk and Tarn": the second of two names after a plural trade noun.
_TRADE_PAIR = re.compile(r"([a-z-]+)\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?\s+(?:and|&)\s+$")


def _after_trade_noun(text: str, m, nouns: frozenset[str] = TRADE_NOUNS) -> bool:
    """"rival Velcom", "news portal Tarn", "vendors Osk and Tarn": a trade noun before a one-word
    name that is no known personal name."""
    if " " in m.name or is_known_name(m.name):
        return False
    before = text[max(0, m.start - 50):m.start]
    prev = _LOWERCASE_WORD_BEFORE.search(before) or _TRADE_PAIR.search(before)
    return bool(prev) and prev.group(1) in nouns


#: Nouns that, right before a one-word name no list knows as a personal name, settle its type for the
#: whole article: "development agency Korvo", "oil company Brastel", "rival Velcom".
_BUSINESS_NOUNS = ORG_NOUNS | TRADE_NOUNS


def _after_business_noun(text: str, m) -> bool:
    """"oil company Brastel", "agency Korvo", "rival Velcom": an organisation or trade noun before a
    one-word name that is no known personal name; other mentions of the name, labelled people or
    places, are outvoted (the model reads a company's bare name as a surname or a town)."""
    return _after_trade_noun(text, m, _BUSINESS_NOUNS)


def context_types(text: str, mentions: list) -> None:
    """Retype mentions from their surroundings (mutates ``mentions``).

    * the first name of a dateline is a place, a bracket after its date the news agency;
    * an organisation right after "in", "near", "the town of", "mayor of", "MP for" …, or before
      lowercase "police", residents, municipalities or a geographic feature ("a Velton man", "the Osk
      copper deposit"), is a place (see :func:`_of_a_place`); so is any
      name listed after "the towns of …", and X in "<person>, of X,";
    * a non-place in a list of places ("Berlin, Bern and Dublin") is a place;
    * an organisation or place followed by "…, a journalist", "…, Director," or "…'s new album", or
      right after a person noun ("spokesperson …"), is a person; a person after "Director of" or
      "the company" is an organisation, and so is an unfamiliar one-word name listed with one;
    * an organisation that looks like "<given name> <surname>" whose surname is also
      mentioned alone, or that is labelled a person elsewhere, is a person; so is one
      listed beside people ("works by A B, C D").
    """
    from .places import is_facility  # places builds on this module: imported at call time

    single_keys = {m.key for m in mentions if len(m.name.split()) == 1}
    person_keys = {m.key for m in mentions if m.type == "person"}
    #: Words of full person names here: "a spokesman for Kowal" speaks for Anna Kowal, not a body.
    person_words = {fold(w) for m in mentions if m.type == "person" and " " in m.name for w in m.name.split()}
    for m in mentions:
        # "DRAVIK, March 3, 2021 (Osk Valley Wire) -" or "DRAVIK, March 3 (OVW) -": the bracket after
        # a dateline names the agency.
        if m.type != "person" and _DATELINE_AGENCY.search(text[max(0, m.start - 80):m.start]) \
                and text[m.end:m.end + 1] == ")":
            m.type, m.strong = "organisation", True
        elif " " not in m.name and _CREDIT_AFTER.match(text[m.end:m.end + 24]) \
                and text[max(0, m.start - 3):m.start].rstrip().endswith(","):
            m.type, m.strong = "organisation", True  # "…, Velwire reports.": the agency credited
        elif not m.strong and m.type != "place" and not has_org_head(m.name) \
                and is_dateline_place(text, m.start, m.end):
            m.type, m.strong = "place", True
    listed_places = set(place_list_items(text))
    listed_bodies = set(body_list_items(text))
    for i, m in enumerate(mentions):
        if m.strong or m.type not in ("organisation", "person", "place") or m.name.isupper() or has_org_head(m.name):
            continue
        if (m.start, m.end) in listed_places or (i > 0 and _residence(text, mentions[i - 1], m)):
            m.type, m.strong = "place", True  # "the towns of A, B and C"; "Gareth Pryce, of Caerphilly,"
            continue
        if (m.start, m.end) in listed_bodies and gazetteer.kind(m.name) in (None, "city"):
            m.type, m.strong = "organisation", True  # "the airlines of A, B and C", not "the banks of Japan"
            continue
        if m.type != "person" and _names_a_person(text, m):
            m.type, m.strong = "person", True
            continue
        if m.type == "person" and _names_an_organisation(text, m):
            m.type = "organisation"  # a plain relabel: the other mentions still vote
            m.strong = _after_business_noun(text, m)  # "rival Velcom", "agency Korvo": no person is written so
            continue
        if m.type == "place":
            if (org_context(text, m.start, m.end) or _after_business_noun(text, m)) and gazetteer.kind(m.name) is None:
                # "shares in Velmont", "state-run Brastel", "rival Velcom": no known place has shares. A
                # one-word name no gazetteer knows is settled for the article; a longer one still votes.
                m.type, m.strong = "organisation", " " not in m.name
            elif " " in m.name and person_shaped(m.name) and gazetteer.kind(m.name) is None \
                    and not is_facility(m.name) and 0 < i < len(mentions) - 1 \
                    and all(_listed(text, m, n, "person", multiword=True) for n in (mentions[i - 1], mentions[i + 1])):
                m.type = "person"  # "Ana Quell, Kurt Beale, Ivo Tarn" in a squad list: one more player
            continue
        if m.type == "organisation" and m.key not in person_words and (
                org_context(text, m.start, m.end) or _OFFICE_OF.search(text[max(0, m.start - 40):m.start])):
            m.strong = True  # "X shares", "Chief Technology Officer of X": a body, even if a place has its name
            continue
        if m.type == "organisation" and len(m.name.split()) <= 2 and _LOCAL_FORCE_AFTER.match(text[m.end:m.end + 12]):
            m.type, m.strong = "place", True  # "arrested by Osk police": the force of a place
            continue
        if m.type in ("organisation", "person") and _of_a_place(text, m):
            m.type, m.strong = "place", True  # "a Perth man", "the Osk copper deposit", "a Palmerston North councillor"
            continue
        before = text[max(0, m.start - 40):m.start]
        if m.type == "organisation" and len(m.name.split()) <= 3 and PLACE_CUE_PHRASES.search(before) \
                and not NOT_PLACE_BEFORE_IN.search(before) and m.name.lower() not in ORG_HEADS:  # "in Parliament"
            m.type, m.strong = "place", True
            continue
        neighbours = [mentions[j] for j in (i - 1, i + 1) if 0 <= j < len(mentions)]
        listed = sum(1 for n in neighbours if _listed(text, m, n, "place"))
        # One place beside an organisation ("Berlin, Bern"), two around a person-labelled name.
        if listed >= (1 if m.type == "organisation" and " " not in m.name else 2):
            m.type, m.strong = "place", True
            continue
        if m.type == "person" and " " not in m.name and not is_known_name(m.name) \
                and any(_listed(text, m, n, "organisation") for n in neighbours):
            m.type = "organisation"  # "Grameenphone and Banglalink were fined": one more body
            continue
        if m.type == "organisation" and _looks_like_person(m, text, single_keys, person_keys):
            m.type, m.strong = "person", True
        elif m.type == "organisation" and person_shaped(m.name) \
                and any(_listed(text, m, n, "person", multiword=True) for n in neighbours):
            m.type = "person"  # a plain relabel: other mentions labelled as organisations still vote
