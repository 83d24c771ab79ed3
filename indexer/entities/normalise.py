"""Per-mention clean-up of entity names, and the fold key used to compare them.

Everything here is a pure function over strings, so the rules are unit-tested
without spaCy. The vocabularies (honorifics, titles) are generic English
vocabulary, not names from any corpus.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from anyascii import anyascii

#: Personal honorifics: a span that starts with one of these names a person.
#: Compared case-insensitively with dots removed ("H.E." -> "he", "Dr." -> "dr").
#: Honorifics, and the short forms of offices that news copy writes before a surname alone
#: ("PM Tarvo", "CM Ostrin", "DG Velk"): a person follows them.
HONORIFICS = frozenset(
    """mr mrs ms miss mx mister madam madame mme mlle monsieur m mm dr doctor prof professor sir dame lord lady
    he hon rt rev revd reverend fr sr sra srta herr frau dott pm cm dg""".split()
)
#: Multi-word honorifics, matched before the single-word ones.
HONORIFIC_PHRASES = ("his excellency", "her excellency", "his highness", "her highness", "the honourable",
                     "the honorable", "the hon", "the rt hon", "right honourable", "rt hon")

#: Titles, offices and police ranks (also abbreviated: "Supt", "SSP") stripped from the front of a
#: person's name ("President Ana Ruiz", "Garda Ivo Tarn").
#: Unlike honorifics they do not by themselves make a span a person ("President Hotel"),
#: so they only strip when the span is already a person.
TITLES = frozenset(
    """president vice-president vicepresident vice deputy prime minister secretary chancellor ambassador
    senator sen rep representative congressman congresswoman governor gov mayor councillor councilor
    mp mep judge justice general gen colonel col major maj captain capt lieutenant lt sergeant sgt
    admiral commander cmdr officer inspector detective chief chairman chairwoman chairperson chair
    director ceo founder king queen prince princess emperor empress pope cardinal bishop archbishop
    sheikh sheik imam rabbi pastor father sister brother saint st president-elect premier
    commissioner ombudsman spokesman spokeswoman spokesperson minister-counsellor consul envoy
    attaché attache professor cllr maestro treasurer comptroller auditor sheriff registrar superintendent
    chaplain magistrate prosecutor secretary-general director-general attorney-general solicitor-general
    governor-general administrator legislator lawmaker councilman councilwoman assemblyman assemblywoman
    congressmember alderman garda constable supt insp cpl pte pvt ssp dsp asp igp dig sho asi speaker""".split()
)
#: Religious and party adjectives written before a person's name ("Catholic Irena Novak", "Republican
#: Tomas Kral"): descriptors, not part of the name. Stripped, like role words, only when two or more
#: name words remain; nationality adjectives ("Velinese Tomas Kral") are stripped the same way.
DESCRIPTORS = frozenset(
    """catholic protestant muslim christian jewish hindu buddhist sikh orthodox anglican evangelical methodist
    baptist lutheran mormon shia shiite sunni republican democrat democratic conservative tory labour liberal
    socialist communist nationalist unionist progressive libertarian centrist populist independent green
    right-wing left-wing far-right far-left centre-right centre-left center-right center-left hardline
    veteran""".split()
)
#: Adjectives that open titles ("Acting Director", "Deputy Mayor"): alone they are no name.
TITLE_MODIFIERS = frozenset(
    "supreme acting deputy chief senior former interim honorary permanent executive majority minority".split())
#: Job and role words written before a name ("Striker Kwame Asante-Bello", "head coach …").
#: Many are also surnames (Singer, Farmer), so they are stripped only when two or more
#: name words remain.
ROLE_WORDS = frozenset(
    """striker midfielder defender goalkeeper forward winger coach manager conductor composer pianist violinist
    cellist singer soprano tenor poet author writer novelist artist painter sculptor photographer filmmaker
    producer actor actress chef farmer fisherman teacher headteacher head principal scientist researcher
    economist lawyer attorney volunteer veteran activist journalist reporter editor owner leader runner
    skipper rower captain opposition councillor deputy assistant senior concertmaster organist guitarist
    drummer bassist trumpeter saxophonist percussionist vocalist baritone harpist""".split()
)
#: Titles that, followed by two or more name words, always introduce a person
#: ("Councillor Tessa Vannier"). Leaves out words that also open company names
#: ("General Motors", "Chief Executive", "Major League").
PERSON_TITLES = frozenset(
    """president vice-president ambassador mayor councillor councilor cllr senator governor minister chancellor
    judge professor king queen prince princess pope bishop archbishop sheikh imam rabbi pastor maestro
    commissioner spokesman spokeswoman spokesperson colonel lieutenant sergeant admiral inspector detective
    congressman congresswoman premier envoy consul""".split()
)
#: Post-nominal letters and titles stripped from the end of a person's name (counsel's "SC", "BL",
#: "SAN" too).
POST_NOMINALS = frozenset("mp mep qc kc sc bl san phd md mbe obe cbe kbe dbe esq frs dl".split())

_QUOTES = "\"'“”‘’«»„‟‚‛`´"
# Characters stripped from either end of a name (punctuation, quotes, brackets, dashes).
_EDGE = _QUOTES + ".,;:!?()[]{}<>*•·|/\\–—-_#~ \t\n\r\u00a0"
_POSSESSIVE = re.compile(r"(?:['’`´]s|s['’])$", re.IGNORECASE)


def ends_in_possessive(name: str) -> bool:
    """True for "Ivo Tarnel's", "the Velins’": a name written with its possessive ending."""
    return bool(_POSSESSIVE.search(name))
_SPACE = re.compile(r"\s+")
#: A score, percentage or price after a name, which the model takes in: "Osk Rovers 2-1", "Velcorp 0.6%".
_TRAILING_FIGURE = re.compile(r"\s+(?:\d+\s?[-–]\s?\d+|[-+]?\d+(?:[.,]\d+)?\s?(?:%|per\s?cent|pc)|[-+]\d+(?:[.,]\d+)?)$")
_COURTESY = re.compile(r"^(?:photo\s+)?courtesy(?:\s+of)?\s+(?=[A-Z])", re.IGNORECASE)
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
#: "a Velin Health Agency spokesman": the indefinite article the model sometimes keeps. A capital "A"
#: goes only before two or more words ("A Coruña" is a name).
_LEADING_ARTICLE = re.compile(r"^(?:an?\s+(?=[A-Z])|An\s+(?=[A-Z])|A\s+(?=[A-Z][^\s]*\s+[A-Z]))")
#: Name endings whose period belongs to them: initials ("U.S", "D.C") and company abbreviations.
_ABBREVIATION_END = re.compile(r"(?:^|[\s(])(?:[A-Za-z]\.)+[A-Za-z]$|\b(?:Inc|Ltd|Co|Corp|Bros|Jr|Sr)$")


def _word_key(word: str) -> str:
    """A word compared against the honorific/title vocabularies: lowercase, no dots."""
    return word.lower().replace(".", "").strip(_EDGE)


def _balanced(name: str) -> str:
    """"Velin Health Agency (VHA" -> "Velin Health Agency": a span cut inside a bracket keeps the part before it."""
    if name.count("(") == name.count(")"):
        return name
    for piece in re.split(r"\s*[()]\s*", name):
        if re.search(r"[^\W\d_]", piece):
            return piece
    return name


def _keep_abbreviation_dot(name: str, raw: str) -> str:
    """"U.S.", "Velin Works Inc." and "Calif." keep their final period (stripped above with the punctuation)."""
    from .gazetteer import is_state_abbreviation  # the gazetteer folds names with this module

    if not raw.startswith(name + ".") or not (_ABBREVIATION_END.search(name) or is_state_abbreviation(name + ".")):
        return name
    return name + "."


#: A function word left at the end of a span (in a Title Case headline): "… Sheep And", "… Deal For".
_TRAILING_FUNCTION_WORD = re.compile(r"(?<=\w)\s+(?:And|Or|Of|For|The|To|In|On|At|With|From|By)$")


#: A lowercase word hyphenated onto a name to make it an adjective: "Velcorp-group", "Osk-owned", "Tarn-led".
_COMPOUND_TAIL = re.compile(r"(?<=[A-Za-z])[-‑](?:group|owned|led|backed|run|controlled|funded|listed|linked|"
                            r"affiliated|based|born|made|held)$")


def clean_name(text: str) -> str:
    """Basic clean-up of a raw entity span.

    Collapses whitespace, strips surrounding quotes and punctuation, a leading
    "the" or "a"/"an" and a trailing possessive: ``" the Harbour Trust’s, "`` ->
    ``"Harbour Trust"``. The period of an abbreviation stays ("U.S.", "D.C."), and a
    span cut inside a bracket keeps the name before it ("Velin Health Agency (VHA").
    """
    name = _SPACE.sub(" ", text).strip(_EDGE)
    for _ in range(3):  # a few passes: "‘The Trust’s’" needs quote, possessive, quote
        before = name
        name = _LEADING_THE.sub("", name)
        name = _COURTESY.sub("", name)  # "Courtesy (of) Velin University": a photo credit
        name = _LEADING_ARTICLE.sub("", name)
        name = _TRAILING_FUNCTION_WORD.sub("", name)  # "Gold-Laden Sheep And": a headline cut mid-phrase
        name = _COMPOUND_TAIL.sub("", name)  # "a [Velcorp-group] company", "[Osk-owned]": the name is Velcorp
        if _POSSESSIVE.search(name) and len(name) > 3:
            # "James’" is a possessive of James; "Swiss’" too. Keep the bare "s" otherwise.
            name = name[:-2] if name[-2] in _QUOTES else name[:-1]
        name = _balanced(name).strip(_EDGE)
        name = _TRAILING_FIGURE.sub("", name)  # "Leicester City 2-1", "Velcorp 0.6%": a score or a change
        if name == before:
            break
    return _keep_abbreviation_dot(name, text[text.find(name):] if name else "")


def strip_honorifics(name: str) -> tuple[str, bool]:
    """Remove leading honorifics/titles and post-nominals from a person's name.

    Returns ``(name, had_honorific)`` where ``had_honorific`` says a *personal*
    honorific (Mr, Mrs, Dr, H.E. …) was found, which marks the span as a person.
    ``"H.E. Ambassador Ana Ruiz MP"`` -> ``("Ana Ruiz", True)``. A name that
    would become empty is returned unchanged.
    """
    words = name.split(" ")
    had_honorific = False
    i = 0
    while i < len(words) - 1:  # always keep at least one word
        lowered = " ".join(_word_key(w) for w in words[i:i + 3])
        phrase = next((p for p in HONORIFIC_PHRASES if lowered == p or lowered.startswith(p + " ")), None)
        if phrase:
            had_honorific = True
            i += len(phrase.split(" "))
            continue
        key = _word_key(words[i])
        if key in ("he", "m", "mm") and "." not in words[i]:
            break  # "He" is a surname (or a pronoun); only "H.E." and "M." are honorifics
        if key in HONORIFICS:
            had_honorific = True
        elif key in TITLES or key.replace("-", "") in TITLES or key in ("of", "the", "and", "&") \
                or (key.endswith("s") and key[:-1] in TITLES):  # "Ministers Osk and Tarn": a plural title
            pass
        elif len(words) - i >= 3 and (key in ROLE_WORDS or key in DESCRIPTORS or _is_demonym(words[i])):
            pass
        else:
            break
        i += 1
    if i >= len(words):
        return name, had_honorific
    words = words[i:]
    # "of the Republic" etc. left over from a stripped title: not a person name part.
    while len(words) > 1 and _word_key(words[-1]) in POST_NOMINALS:
        words.pop()
    joined = " ".join(words)
    result = _keep_abbreviation_dot(joined.strip(_EDGE), joined)  # "Ana Osk Jr." keeps its period
    return (result or name), had_honorific


@lru_cache(maxsize=8192)
def _is_demonym(word: str) -> bool:
    from .types import is_nationality  # types imports this module

    return word[:1].isupper() and is_nationality(word)


def starts_with_person_title(name: str) -> bool:
    """True for "<title> <Name> <Name>…": "Councillor Tessa Vannier", "Ambassador Ana Ruiz Soto"."""
    words = name.split()
    return (len(words) >= 3 and _word_key(words[0]) in PERSON_TITLES
            and all(w[:1].isupper() and not w.isupper() for w in words[1:]))


def starts_with_honorific(name: str) -> bool:
    """True when the first word(s) are a personal honorific ("Mrs", "H.E.", "His Excellency")."""
    return strip_honorifics(name)[1]


_APOSTROPHES = re.compile(r"['’`]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)  # names repeat a lot across a corpus; this is the hottest function
def fold(name: str) -> str:
    """The merge key of a name: transliterated, lowercased, punctuation-free.

    ``"Jiří Dvorník"``, ``"JIRI DVORNIK"`` and ``"Jiri  Dvornik"`` all fold to
    ``"jiri dvornik"``; hyphens and dots become spaces so "Vice-President" and
    "Vice President" meet.
    """
    text = name if name.isascii() else anyascii(unicodedata.normalize("NFC", name))
    text = _APOSTROPHES.sub("", text.lower())
    return _NON_ALNUM.sub(" ", text).strip()


def has_diacritics(name: str) -> bool:
    """True if the name has any non-ASCII letter (used to prefer "Jiří" over "Jiri" on ties)."""
    return any(ord(c) > 127 for c in name)


def best_spelling(counts: Counter | dict) -> str:
    """The display spelling: most frequent; on ties prefer diacritics, then mixed case, then alphabetical."""
    return min(
        counts,
        key=lambda s: (-counts[s], not has_diacritics(s), s.isupper() or s.islower(), s),
    )
