"""Place evidence: the gazetteer, venues and sports teams.

* A known continent, country or region (see :mod:`.gazetteer`) read as a person or an
  organisation, with no cue for either, is a place; so is a large city read as a
  person whose name is no known given name or surname. The gazetteer is evidence
  beside the context, never an override: a rule-backed type (an honorific, a head
  noun, "X, a journalist") stays, and so does a name shaped like a person's.
* Venues (the convention of ``docs/entities.md``): named facilities people go to —
  stadiums, arenas, airports, stations, bridges, squares, space centres — are places;
  institutions that act (museums, galleries, universities, hospitals, clubs) are
  organisations (their head nouns are in :data:`.types.ORG_HEADS`).
* In a sports report a country or city that plays ("X beat Y 2-1", "X's coach", "a
  draw with X") is its team: an organisation.
* Missed areas: a known country, region or continent after "in", "across", "from" …
  that the model did not tag is added.

Functions take the :class:`~.resolve.Mention` objects of one document and mutate
their ``type``/``strong``, like :mod:`.context`.
"""
from __future__ import annotations

import re
from functools import lru_cache
from bisect import bisect_left

from . import gazetteer
from .companies import org_context
from .context import person_shaped
from .names import PLACE_CUE_PHRASES, is_common_word, is_given_name, is_known_name
from .normalise import fold
from .types import has_org_head

Span = tuple[int, int, str]

#: Last words of named facilities you go to: a place whatever the model's label.
FACILITY_WORDS = frozenset(
    """stadium arena airport airfield aerodrome station terminal spaceport racecourse velodrome ballpark
    oval garden gardens building buildings tower towers bridge square park pier""".split()
)
#: Of those, the ones that are also surnames ("Anna Park", "Tom Bridge"): not enough to overrule a person.
_SURNAME_FACILITIES = frozenset("park bridge pier".split())
#: Two-word facility endings.
_FACILITY_PHRASES = ("space centre", "space center", "launch site", "launch complex", "air base", "naval base",
                     "force base", "conference centre", "conference center", "convention centre", "convention center",
                     "exhibition centre", "exhibition center", "shopping centre", "shopping center", "trade centre",
                     "trade center")


#: Last words of geographic and administrative names that no surname shares: "Atacama Desert", "Velin
#: Constituency", "Osk Campus", "Tarn Port" (the model reads the first word as a given name).
GEOGRAPHIC_HEADS = frozenset(
    """desert constituency campus port district county province region municipality ward township valley
    islands mountains peninsula highway governorate prefecture oblast canyon glacier plateau delta basin
    lagoon reef strait gulf""".split()
)


def is_geographic_name(name: str) -> bool:
    """"Atacama Desert", "Velin Constituency": a name ending in a geographic or administrative noun whose
    first word is no known given name ("Anna Valley" may still be a person)."""
    words = name.split()
    return len(words) >= 2 and words[-1].lower() in GEOGRAPHIC_HEADS and not is_given_name(words[0])


def is_facility(name: str, etype: str = "") -> bool:
    """True for a named facility: "Velin Stadium", "Osk Space Centre", "Harbour Square".

    For a person-labelled name only the words no surname shares count ("Anna Park" stays a person).
    """
    words = name.lower().split()
    if len(words) < 2:
        return False
    if " ".join(words[-2:]) in _FACILITY_PHRASES:
        return True
    last = words[-1]
    return last in FACILITY_WORDS and (etype != "person" or last not in _SURNAME_FACILITIES)


def _person_words(mentions) -> set[str]:
    """Lower-case words of the multi-word person names of the document ("Jordan" of "Jordan Velk")."""
    return {w.lower() for m in mentions if m.type == "person" and " " in m.name for w in m.name.split()}


_ACRONYM = re.compile(r"[A-Z]{2,6}")


#: Right before a place named like a person: "at Velma", "the guest house Velma", "the village of Velma".
_PLACE_WORD_BEFORE = re.compile(
    r"\b(?:at|in|near|house|hotel|hall|palace|residence|building|village|town|city|of)\s+$", re.IGNORECASE)


def is_known_place_word(name: str) -> bool:
    """A place word the gazetteer holds in some form: a country alias or a smaller city ("Aurora")."""
    return gazetteer.country_alias(name) is not None or gazetteer.city_population(name) > 0


def _big_city_read_as_name(m) -> bool:
    """A city of 100,000 or more read as a one-word person that is no known name, or as a person or
    organisation of two to four words ("Kota Kinabalu", "Ho Chi Minh City"): no one is named so."""
    if not gazetteer.is_city(m.name, 100_000):
        return False
    return " " in m.name or (m.type == "person" and not is_known_name(m.name))


def gazetteer_types(text: str, mentions) -> None:
    """A person or organisation that the gazetteer knows as a place, with no cue against it, is a place.

    * continent, country or region (e.g. a US state, an ISO 3166-2 province or island):
      any one- to three-word person or organisation without a rule behind its type, no
      head noun or business cue ("X shares"), not written in capitals (an acronym) and no part of
      a person's full name here ("Jordan" beside "Jordan Velk"); a region whose first word is a
      given name ("Victoria", "Milton Keynes") needs a cue ("in", "near", "the town of" … before a
      name of two or more words: :data:`~.names.PLACE_CUE_PHRASES`);
    * city of 100,000 or more: a one-word person that is no known given name or surname, or a person
      or organisation of two to four words (even if the first is a given name: "Ho Chi Minh City").

    The other way round, an acronym read as a place that is no known place ("VTO") is an organisation,
    and a given name read as a place that is no known place ("Paolo") a person.
    """
    person_words = None
    for m in mentions:
        if m.type == "place" and not m.strong and _ACRONYM.fullmatch(m.name) and gazetteer.kind(m.name) is None:
            m.type = "organisation"  # "VTO" read as a place: an acronym no gazetteer knows names a body
            continue
        if m.type == "place" and not m.strong and " " not in m.name and is_given_name(m.name) \
                and gazetteer.kind(m.name) is None and not is_known_place_word(m.name) \
                and not _PLACE_WORD_BEFORE.search(text[max(0, m.start - 20):m.start]):
            m.type = "person"  # "Paolo" read as a place: a given name that names no known place
            continue
        if m.strong or m.type not in ("person", "organisation") or len(m.name.split()) > 4 \
                or (len(m.name.split()) == 4 and not gazetteer.is_city(m.name, 100_000)):
            continue  # up to three words, four for a large city ("Ho Chi Minh City")
        if m.type == "organisation" and (has_org_head(m.name) or (m.name.isupper() and len(m.name) > 3)
                                         or org_context(text, m.start, m.end)):
            continue  # "Velin Trust", "VELCO", "Santander shares": a body, whatever place shares its name
        kind = gazetteer.kind(m.name)
        if kind is None:
            continue
        if person_words is None:
            person_words = _person_words(mentions)
        if m.name.lower() in person_words:
            continue  # "Jordan" beside "Jordan Velk": the person's short name
        if kind not in ("country", "continent") and is_given_name(m.name.split()[0]) \
                and not (kind == "city" and " " in m.name and _big_city_read_as_name(m)) \
                and not (" " in m.name and PLACE_CUE_PHRASES.search(text[max(0, m.start - 40):m.start])):
            continue  # "Victoria", "Florence": a region or city that is also a given name needs a cue
        if kind == "city" and not _big_city_read_as_name(m):
            continue
        m.type, m.strong = "place", True


#: Words of a match report; a text with three or more different ones (or a score) is a sports report.
_SPORTS_WORDS = re.compile(
    r"\b(?:match|matches|goal|goals|coach|squad|league|cup|tournament|striker|midfielder|defender|goalkeeper|"
    r"kick-off|half-time|fixture|semi-final|quarter-final|final|qualifier|innings|wicket|referee|penalty|"
    r"penalties|season|scored|draw|drew|beat|defeated|victory|win|won|champions|captain|players|team|side)\b",
    re.IGNORECASE,
)
_SCORE = re.compile(r"\b\d{1,2}\s?[-–]\s?\d{1,2}\b(?!\s*(?:[-–]|years|per|%))")
#: Right after a team's name: a result verb, its staff or squad, or a score.
_TEAM_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:\d{1,2}\s?[-–]\s?\d{1,2}\b|(?:beat|beats|defeated|drew|draw|lost|won|thrashed|edged|"
    r"overcame|hammered|routed|trailed|led|host|hosts|hosted|face|faces|faced|play|plays|played|coach|manager|"
    r"squad|captain|striker|goalkeeper|midfielder|defender|forward|winger|international|skipper|players|fans|"
    r"supporters|boss|head\s+coach|"
    r"side|team|XI|scored|equalised|equalized|qualified|advanced|were\s+eliminated|were\s+beaten|was\s+beaten)\b)"
)
#: Right before a team's name.
_TEAM_BEFORE = re.compile(
    r"\b(?:beat|beating|defeated|defeating|against|versus|vs\.?|v\.?|drew\s+with|draw\s+with|lost\s+to|loss\s+to|"
    r"win\s+over|victory\s+over|defeat\s+to|defeat\s+by|beaten\s+by|face|faces|facing|host|hosts|hosted|"
    r"hosting|thrashed|edged|eliminated|meet|meets|teams?\s+of|(?:matches|match|games?|friendly|friendlies)\s+"
    r"(?:with|against)(?:\s+the\s+teams?\s+of)?)\s+$",
    re.IGNORECASE,
)


@lru_cache(maxsize=64)
def sports_report(text: str) -> bool:
    """True for a match report: a score, or three or more different sports words."""
    if _SCORE.search(text) and _SPORTS_WORDS.search(text):
        return True
    return len({m.group().lower() for m in _SPORTS_WORDS.finditer(text)}) >= 3


#: Between a player and a club: "Lena Osk from Velin", "Lena Osk (Velin)", "Lena Osk, on loan from Velin".
_PLAYER_CLUB_GAP = re.compile(r"^\s*(?:\(\s*|,?\s+(?:on\s+loan\s+)?from\s+)$")
#: "X and Y" after a team: "matches with the teams of X and Y" makes both teams.
_AND_GAP = re.compile(r"^\s*(?:,|and|&)\s*$")


def _plays(text: str, m) -> bool:
    return bool(_TEAM_AFTER.match(text[m.end:m.end + 30]) or _TEAM_BEFORE.search(text[max(0, m.start - 40):m.start]))


def sports_teams(text: str, mentions) -> None:
    """In a sports report, a place that plays ("X beat Y", "X's coach", "a draw with X", "X 2-1") is its team.

    Only for names the model or the gazetteer reads as places (a country or a town
    names its national team or club); people and named bodies keep their type. A
    player's club counts too ("Lena Osk from Velin", "Lena Osk (Velin)"), and so does
    a name joined to a team by "and". Every mention of a team's name in the report
    is the team: the cue says what the gazetteer's default cannot.
    """
    ordered = sorted(mentions, key=lambda m: m.start)
    playing = set()
    surnames = {fold(m.name.split()[-1]) for m in mentions if m.type == "person" and " " in m.name}
    for i, m in enumerate(ordered):
        if m.type == "person" and _club_read_as_person(text, m, surnames):
            playing.add(m.key)  # "Everton lost 2-0", "Kelburn Hotspur were beaten"
            continue
        if m.type != "place" or has_org_head(m.name):
            continue
        previous = ordered[i - 1] if i else None
        club = previous is not None and (previous.type == "person" or person_shaped(previous.name)) and \
            _PLAYER_CLUB_GAP.match(text[previous.end:m.start]) is not None
        partner = previous is not None and previous.key in playing and _AND_GAP.match(text[previous.end:m.start])
        if club or partner or _plays(text, m):
            playing.add(m.key)
    players = {m.key for m in mentions if _player_read_as_club(m)}
    clubs = {m.key for m in mentions if _club_read_as_player(m)}
    if (playing or players or clubs) and sports_report(text):  # the costly whole-text test only when needed
        for m in mentions:  # a player named like the club keeps a rule-backed person type
            if (m.key in playing or m.key in clubs) and (m.type == "place" or m.type == "person" and not m.strong):
                m.type, m.strong = "organisation", True
            elif m.key in players and m.type == "organisation" and not m.strong:
                m.type, m.strong = "person", True


def _club_read_as_player(m) -> bool:
    """"Shanghai Shenhua", "Velton United" labelled a person in a match report: a known town or country
    (no given name: "Jordan Henderson" is a player) opens a club's name."""
    words = m.name.split()
    return (m.type == "person" and not m.strong and len(words) >= 2 and gazetteer.kind(words[0]) is not None
            and not is_given_name(words[0]))


def _player_read_as_club(m) -> bool:
    """"Odion Ighalo" labelled an organisation in a match report: shaped like a person's name, with a
    first and a last word that are no everyday words ("Crystal Palace", "Kaizer Chiefs", "Real
    Sociedad" are clubs) and no known place ("Boston Celtics"), nor capitals ("RCD Espanyol")."""
    if m.type != "organisation" or m.strong or not person_shaped(m.name):
        return False
    words = m.name.split()
    return not any(w.isupper() or gazetteer.kind(w) for w in words) and not is_common_word(words[0]) \
        and not is_common_word(words[-1])


def _club_read_as_person(text: str, m, surnames: set[str]) -> bool:
    """A person-labelled name that plays like a team ("Everton lost 2-0") and cannot be a player:
    no rule behind its type, no known given name first, not the surname of a player named in full."""
    return not m.strong and not is_given_name(m.name.split()[0]) and m.key not in surnames and _plays(text, m)


#: An untagged capitalised name right before a result verb: "Arsenal beat …" (the model often misses
#: a team at a sentence start).
_TEAM_BEFORE_RESULT = re.compile(
    r"(?<![\w’'-])([A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})\s+(?:beat|defeated|drew\s+with|thrashed|edged|overcame|"
    r"hammered|routed|lost\s+to|were\s+beaten\s+by)\s+[A-Z]"
)


def team_spans(text: str, spans: list[Span], is_excluded) -> list[Span]:
    """In a sports report, add an ORG span for an untagged name that beats, draws with or loses to
    another ("Arsenal beat Velin 2-1"); ``is_excluded`` rules out given names and common words."""
    found = [(m.start(1), m.end(1), m.group(1)) for m in _TEAM_BEFORE_RESULT.finditer(text)]
    if not found or not sports_report(text):
        return spans
    out = list(spans)
    for s, e, name in found:
        if not any(a < e and s < b for a, b, _ in out) and not is_excluded(name):
            out.append((s, e, "ORG"))
    return sorted(out)


#: "in X", "across X", "from X", "Kelburn (X)" …: where a country or region is named and the model
#: sometimes tags nothing.
_AREA_CUE = re.compile(
    r"(?:\b(?:in|across|throughout|from|to|into|near|of|and|visited|visit)\s+|(?<=\w\s\())"
    r"((?:the\s+)?[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2})"
)


def missed_areas(text: str, spans: list[Span]) -> list[Span]:
    """Add a GPE span for a known continent, country or region after "in"/"across"/"from" … left untagged.

    The longest run of capitalised words that the gazetteer knows (at most three)
    is taken, and only where no span lies and no capitalised word follows (it would open
    a longer name: "Highland Bank"); right before an ORG span it opens that organisation's
    name ("the Highland [Ministry of Transport]"). Cities are left out (too many are also words).
    """
    out = list(spans)
    taken = sorted((s, e) for s, e, _ in spans)
    starts = [a for a, _ in taken]
    for m in _AREA_CUE.finditer(text):
        s, e = m.span(1)
        if text.startswith(("the ", "The "), s):
            s += 4
        words = list(re.finditer(r"\S+", text[s:e]))
        for k in range(len(words), 0, -1):
            end = s + words[k - 1].end()
            i = bisect_left(starts, end)  # the spans starting before the end; the last few reach furthest
            if any(b > s for _, b in taken[max(0, i - 3):i]):
                continue  # "the [Ontario Ministry] …" tagged: only a shorter, free run may be an area
            if gazetteer.is_area(text[s:end]) and not is_given_name(words[0].group()):
                following = next((span for span in out if span[0] == end + 1), None)
                if following and following[2] == "ORG" and text[end] == " ":
                    # "the [Highland] [Ministry of Transport]": the area opens the body's name.
                    out[out.index(following)] = (s, following[1], "ORG")
                elif not re.match(r"\s+[A-Z]", text[end:end + 2]):  # "Highland Bank": part of a longer name
                    out.append((s, end, "GPE"))
                break
    return sorted(out)


#: A town, a comma and a short state: "Kelburn, Calif.", "Osk, KY", "Tarn, NSW" (then no word goes on).
_TOWN_STATE = re.compile(
    r"(?<![\w’'-])[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,2},\s+([A-Z][A-Za-z.]{1,5})(?![\w’']|-(?!based))")
#: What follows the state in a dateline in capitals: "LOUISVILLE, KY (WAVE) -".
_DATELINE_REST = re.compile(r"^\s*[(\-–—]")
_LOWERCASE = re.compile(r"[a-z]")
#: State codes that are also company legal forms ("Velcorp, SA"; "Osk, NV").
_NOT_STATES = frozenset("SA NV".split())


def state_abbreviations(text: str, spans: list[Span]) -> list[Span]:
    """A GPE span for the short state after a town ("Louisburg, KY", "Kelburn, Calif.-based", "OSK, KY
    (Velwire) -"), in place of any span the model put there (it reads "KY" as an organisation)."""
    out = list(spans)
    for m in _TOWN_STATE.finditer(text):
        s = m.start(1)
        word = m.group(1)
        in_prose = _LOWERCASE.search(text, m.start(), s) or _DATELINE_REST.match(text[m.end():m.end() + 4])
        if word in _NOT_STATES or not in_prose:
            continue  # "Velcorp, SA": a legal form; "RAIN, IN PARTS": a line in capitals (not a dateline)
        # "Calif." keeps its period; in "Osk, KY." the period ends the sentence
        state = word if gazetteer.is_state_abbreviation(word) else word.rstrip(".")
        if not gazetteer.is_state_abbreviation(state):
            continue
        e = s + len(state)
        covering = [span for span in out if span[0] < e and s < span[1]]
        if any(span[0] < s or span[1] > e for span in covering):
            continue  # inside a longer name
        out = [span for span in out if span not in covering] + [(s, e, "GPE")]
    return sorted(out)


#: Venues the model leaves untagged in fixture lists: "Velin Oval", "Osk National Stadium", "Harbour Park Oval".
_VENUE = re.compile(
    r"(?<![\w’'-])((?:[A-Z][\w’'.-]*\s+){1,3}(?:Stadium|Oval|Arena|Airport|Velodrome|Racecourse|Garden))(?![\w’'-])")


def missed_venues(text: str, spans: list[Span]) -> list[Span]:
    """Add a FAC span for capitalised words ending in a venue word ("Stadium", "Oval", "Airport")
    where the model tagged nothing or only a part ("[Kelburn] Oval"); the facility rule then makes
    it a place. A longer span holding it (an organisation "Velin Stadium Trust") is left alone."""
    found = [(m.start(1), m.end(1)) for m in _VENUE.finditer(text)]
    if not found:
        return spans
    out = list(spans)
    for s, e in found:
        if text[s:e].split()[0] in ("The", "A", "An"):
            s += len(text[s:e].split()[0]) + 1
        if any(a < e and s < b and not (s <= a and b <= e) for a, b, _ in out):
            continue  # overlaps a span reaching outside it: that span's name is longer
        out = [span for span in out if not (s <= span[0] and span[1] <= e)] + [(s, e, "FAC")]
    return sorted(out)
