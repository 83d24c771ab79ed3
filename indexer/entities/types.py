"""Entity types: mapping spaCy labels, and generic type-repair rules.

The small English model mislabels in predictable ways: an ambassador introduced
with "H.E." becomes an organisation, "the Estonian Society" a person, a
nationality adjective a person. The rules below fix these with generic English
vocabulary (honorifics, organisational head nouns, demonyms), never with names
taken from any corpus.
"""
from __future__ import annotations

import re

from .companies import has_ampersand
from .normalise import TITLES, fold, starts_with_honorific, starts_with_person_title

#: spaCy label -> facet type. Everything else (NORP, FAC, DATE, …) is not a facet.
LABEL_TYPES = {"PERSON": "person", "PER": "person", "ORG": "organisation", "GPE": "place", "LOC": "place"}

#: Last words that make a span an organisation ("Harbour Point Residents Association").
ORG_HEADS = frozenset(
    """foundation embassy consulate committee commission association society union court assembly council agency
    regiment ministry group company corporation corp inc incorporated ltd llc plc gmbh ag sa bank university
    college school academy institute institution party department dept office bureau authority trust fund
    federation confederation organisation organization club league alliance coalition network parliament
    government administration army navy airforce police service services forces guard brigade battalion
    division tribunal secretariat directorate chamber congress senate cabinet board consortium cooperative
    co-operative partnership syndicate centre center hospital clinic church diocese mosque synagogue museum
    library gallery zoo orchestra theatre theater press news times post herald gazette tribune journal magazine agency
    broadcasting television radio tv studios records airlines airways rail railway railways motors industries holdings
    enterprises partners associates laboratories laboratory labs systems technologies initiative programme
    conservatory observatory courier choir ensemble quartet band
    program project movement front mission delegation commissariat inspectorate registry forum""".split()
)

#: Nationality / demonym adjectives (and their plurals via :func:`is_nationality`). A
#: span that is only one of these is a nationality (spaCy NORP), never a person or an
#: organisation. Generic linguistic data; the suffix rule below covers most others.
DEMONYMS = frozenset(
    """afghan albanian algerian american andorran angolan argentine argentinian armenian australian austrian
    azerbaijani azeri bahamian bahraini bangladeshi barbadian belarusian belgian belizean beninese bhutanese
    bolivian bosnian botswanan brazilian british bruneian bulgarian burkinabe burmese burundian cambodian
    cameroonian canadian chadian chilean chinese colombian comoran congolese croatian cuban cypriot czech
    danish djiboutian dominican dutch ecuadorian egyptian emirati english eritrean estonian ethiopian fijian
    filipino finnish french gabonese gambian georgian german ghanaian greek grenadian guatemalan guinean
    guyanese haitian honduran hungarian icelandic indian indonesian iranian iraqi irish israeli italian
    ivorian jamaican japanese jordanian kazakh kazakhstani kenyan korean kosovar kuwaiti kyrgyz lao laotian
    latvian lebanese liberian libyan lithuanian luxembourgish macedonian malagasy malawian malaysian maldivian
    malian maltese mauritanian mauritian mexican moldovan monegasque mongolian montenegrin moroccan mozambican
    namibian nepalese nepali nicaraguan nigerian nigerien norwegian omani pakistani palestinian panamanian
    paraguayan persian peruvian polish portuguese qatari romanian russian rwandan salvadoran samoan saudi
    scottish senegalese serbian seychellois singaporean slovak slovakian slovenian somali
    african asian european arab arabic kurdish basque catalan flemish welsh soviet yugoslav ottoman byzantine
    sudanese surinamese swazi swedish swiss syrian taiwanese tajik tanzanian thai togolese tongan trinidadian
    tunisian turkish turkmen ugandan ukrainian uruguayan uzbek venezuelan vietnamese yemeni zambian zimbabwean
    latin nordic scandinavian baltic balkan caucasian slavic celtic
    kazakhstani kyrgyzstani tajikistani turkmenistani uzbekistani""".split()
)
_DEMONYM_SUFFIXES = ("ian", "ean", "ese", "ish", "ani", "i", "an")
_NATIONALITY_PREFIXES = ("anglo", "franco", "sino", "russo", "indo", "afro", "euro", "pan")

#: Languages that are not also demonyms (those are covered above): never a person or organisation.
LANGUAGES = frozenset(
    """swahili kiswahili hindi urdu bengali punjabi tamil telugu marathi gujarati mandarin cantonese hebrew
    esperanto yiddish amharic hausa yoruba igbo zulu xhosa tagalog quechua aymara guarani farsi dari pashto""".split()
)
#: Last words of event names ("… Film Festival", "… Championships"): events are not a facet.
#: Campaigns are activities too: "the Clean Rivers Campaign" is run by an organisation, it is not one;
#: so are awards ("the Velin Award"), plans, projects, laws, codes, treaties and goals ("the Osk
#: Disaster Plan", "… Act", "the Local Government Code", "the Millennium Development Goals").
#: Not "Programme" or "Initiative": UN agencies and foundations carry them ("… Development Programme").
EVENT_HEADS = frozenset(
    """festival festivals championship championships games olympics olympiad cup tournament marathon regatta
    summit expo fair gala awards award prize medal trophy derby grand-prix massacre genocide war battle siege
    tragedy crisis revolution uprising election elections referendum campaign
    plan strategy scheme project projects act acts treaty accord agreement declaration bill bills ordinance
    constitution code goals""".split()
)
#: Time-zone and similar tokens the model tags as organisations ("UTC +03:00").
_NOT_NAMES = re.compile(r"^(?:utc|gmt|cet|cest|eet|eest|bst|est|edt|pst|pdt|cst|cdt|mst|mdt|ist|pkt|sast|wat|eat|"
                        r"aest|aedt|acst|acdt|awst|nzst|nzdt|jst|kst|hkt|sgt|msk|wib|pht)(?:$|\s*[+\-−]\s*\d)|\d{1,2}:\d{2}"
                        r"|^(?:[A-Z₦$£€¥]{1,3}\s?)?\d+[.,]\d+[A-Za-z%]{0,3}$|^[₦$£€¥]\s?\d", re.IGNORECASE)  # prices: "N1.53", "$5"

#: Common nouns that introduce a title of a work: a PERSON span right after one of
#: these ("the documentary Silent River") is a title, not a person.
WORK_NOUNS = frozenset(
    """film movie documentary book novel memoir biography song album single play opera musical series show
    episode exhibition painting poem collection report magazine newspaper programme program podcast""".split()
)


def label_type(label: str) -> str | None:
    """The facet type for a spaCy label, or None if the label is not a facet."""
    return LABEL_TYPES.get(label)


#: Club abbreviations written before the name ("FC Velin", "SK Osk"): football-club naming convention.
ORG_PREFIXES = frozenset("FC AFC CF SC AC FK SK SV VfB VfL".split())
#: Musical and literary works named after their maker: "<Name>'s Second Symphony" is a work by a person.
COMPOSITION_NOUNS = frozenset(
    """symphony symphonies concerto concertos sonata sonatas requiem overture oratorio cantata nocturne
    nocturnes etude etudes étude études prelude preludes fugue fugues rhapsody serenade variations
    novel album""".split()
)


def has_org_head(name: str) -> bool:
    """True when an organisational head noun ends the name ("… Rowing Association"), opens an
    "X of Y" name ("Embassy of Perlandia", "University of Velin") or a club abbreviation opens it ("FC Velin")."""
    words = name.split()
    if len(words) < 2:
        return False
    if words[-1].lower().strip(".,") in ORG_HEADS or words[0] in ORG_PREFIXES:
        return True
    return len(words) >= 3 and words[1].lower() in ("of", "for") and words[0].lower() in ORG_HEADS


#: Head nouns that also end place names ("West Bank", "Earls Court", "Soviet Union"):
#: they turn a person into an organisation but do not overrule a place label.
_PLACE_COMPATIBLE_HEADS = frozenset("bank union court centre center church college school hospital".split())


def _org_head_overrules(name: str, etype: str) -> bool:
    if not has_org_head(name):
        return False
    words = name.lower().split()
    head = words[0] if words[1] in ("of", "for") and words[-1] not in ORG_HEADS else words[-1]
    return etype != "place" or head not in _PLACE_COMPATIBLE_HEADS


def _is_demonym_word(word: str) -> bool:
    w = word.lower()
    if w in DEMONYMS:
        return True
    if w.endswith("s") and w[:-1] in DEMONYMS:  # plurals: "Estonians"
        return True
    if w.endswith("es") and w[:-2] in DEMONYMS:
        return True
    return False


def is_nationality(name: str) -> bool:
    """True for a nationality adjective or demonym alone: "Estonian", "Peruvians", "Anglo-French".

    Hyphenated compounds count when every part is one ("Estonian–Latvian").
    """
    parts = [p for p in re.split(r"[^\w]+", name.strip()) if p and p.lower() not in ("and", "or")]
    if not parts or len(parts) > 4:
        return False
    if len(parts) == 1 and parts[0].lower() in LANGUAGES:
        return True
    return all(_is_demonym_word(p) or p.lower() in _NATIONALITY_PREFIXES for p in parts) or _dwellers(name)


#: Endings that turn a place into its people, with what they replace: "Londoners", "Texans", "Ohioans".
_DWELLER_ENDINGS = (("ers", ""), ("er", ""), ("ans", "as"), ("ns", ""), ("n", ""), ("ans", ""), ("ites", ""))


def _dwellers(name: str) -> bool:
    """"Queenslanders", "Londoners", "Californians": the people of a known region, country or city."""
    from . import gazetteer

    if len(name) < 6 or not name[:1].isupper():
        return False
    for ending, replacement in _DWELLER_ENDINGS:
        if name.endswith(ending):
            stem = name[: -len(ending)] + replacement
            if len(stem) >= 4 and (gazetteer.is_area(stem) or gazetteer.is_city(stem, 100_000)):
                return True
    return False


def is_event(name: str) -> bool:
    """True for an event name ("Kendleton Summer Festival", "Operation Clean Harbour"): not a person,
    organisation or place."""
    words = name.split()
    return len(words) >= 2 and (words[-1].lower() in EVENT_HEADS or words[0] == "Operation")


#: "… and Privileges Bill", "… & Crafts Festival": the rest of a joined event, law or award name.
_EVENT_REST = re.compile(r"^\s+(?:and|&)\s+(?:[A-Z][\w’'-]*\s+){0,4}([A-Z][a-z]+)\b")


def opens_joined_event(text: str, end: int) -> bool:
    """True when the name ending at ``end`` is the first half of an event, law or award joined by
    "and": "[Osk Assembly Powers] and Privileges Bill" (a name inside another name is no value)."""
    m = _EVENT_REST.match(text[end:end + 80])
    return bool(m) and m.group(1).lower() in EVENT_HEADS


#: "Saint-Aubrel-sur-Osk", "Stratford-upon-Avon": a hyphenated name with a lowercase place particle.
_PARTICLE_PLACE = re.compile(
    r"^[A-ZÀ-ÖØ-Þ][^\W\d_]+(?:[-‑](?:[A-ZÀ-ÖØ-Þ][^\W\d_]+))*"
    r"(?:[-‑](?:sur|sous|en|le|la|les|de|du|des|upon|on|under|am|an|im|bei|by|lès|lez|aux))+"
    r"[-‑][A-ZÀ-ÖØ-Þ][^\W\d_]+$"
)


def is_particle_place(name: str) -> bool:
    """True for one hyphenated word with a lowercase place particle: "Montvel-sur-Osk", "Kirkby-upon-Osk".

    Such compounds name towns (French "-sur-", "-en-", English "-upon-", German "-am-");
    people's double names do not use them.
    """
    return " " not in name and _PARTICLE_PLACE.match(name) is not None


#: Words that open a person's office before "of": "Director of the …", "Executive Director of …".
_OFFICE_WORDS = frozenset(
    """general coordinator co-ordinator member head deputy vice executive permanent special senior chief
    representative director president chairman chairwoman chair secretary manager officer adviser advisor
    envoy delegate governor commissioner rector dean principal founder patron""".split()
)
#: Unnamed parts of an organisation: "Department of the Kestrel Foundation" is the foundation.
_UNIT_WORDS = frozenset("department division office branch section unit directorate".split())
_OF_THE = re.compile(r"^(.+?)\s+of\s+(?:the\s+)?(.+)$")


#: "Minister of Finance", "Secretary for Health": a title, then "of"/"for" and what the office covers.
_TITLE_OF = re.compile(r"^(?:[Tt]he\s+)?([A-Z][\w-]*)\s+(?:of|for)\s+(.+)$")
_TITLE_OF_WORDS = _OFFICE_WORDS | {"minister", "ministers"}


#: Generic bodies a nationality adjective only describes: "the Vietnamese Government", "Osk authorities".
_GENERIC_BODIES = frozenset("government authorities".split())  # not "Army", "Navy": "the British Army" is a name


#: Levels of government: "the Federal Government", "the State Government" name no particular body.
_GOVERNMENT_LEVELS = frozenset("federal state central national provincial regional local county municipal".split())


def is_described_body(name: str) -> bool:
    """"Vietnamese Government", "Liberian university", "Federal Government": a nationality or a level
    of government before a generic body, or a nationality before a lowercase noun, describes a body;
    it names none ("British Council" keeps its name)."""
    words = name.split()
    if len(words) != 2:
        return False
    first, second = words[0], words[1].lower()
    if first.lower() in _GOVERNMENT_LEVELS and second in _GENERIC_BODIES:
        return True
    return is_nationality(first) and (second in _GENERIC_BODIES or words[1].islower())


#: A governing board, named by what it is: "Board of Directors", "Board of Trustees".
_BOARD_WORDS = frozenset("board directors trustees governors of the".split())


def is_title_only(name: str) -> bool:
    """"Chief Executive Officer", "General Manager", "Board of Directors": office words only, which the
    model tags as an organisation; a title or a governing board names no body."""
    words = [w.strip(",.").lower() for w in name.split()]
    if len(words) < 2:
        return False
    if words[0] == "board" and set(words) <= _BOARD_WORDS:
        return True
    return all(w in _TITLE_OF_WORDS or w in TITLES for w in words)


def is_office_title(name: str) -> bool:
    """True for an office named by its title ("Minister of Finance", "Secretary of State"), which the
    model tags as an organisation: no body, since what follows "of" has no head noun ("Minister of
    the Velin Trust" names the trust, see :func:`strip_office`)."""
    m = _TITLE_OF.match(name)
    return bool(m) and m.group(1).lower() in _TITLE_OF_WORDS and not has_org_head(m.group(2))


#: What an office covers, in everyday words: "(Minister of) Heavy Industries", "(Vice President for)
#: Academic Affairs", "(Director of) Customer Services". A name made only of these, right after an
#: office title, is the office's portfolio, not a body.
PORTFOLIO_WORDS = frozenset(
    """affairs service services industry industries enterprise enterprises development education health finance
    planning operations operation communication communications relations resources research marketing sales
    policy policies programs programmes studies engineering administration business strategy strategies
    security infrastructure transport transportation energy agriculture trade commerce justice environment
    housing works technology technologies innovation culture sport sports tourism defence defense labour labor
    employment welfare public academic customer customers student students human foreign home internal
    external local government heavy light economic social legal financial medical clinical corporate regional
    rural urban information science sciences water power mines mining petroleum fisheries forestry lands land
    natural youth women children family families veterans aviation highways roads railways shipping maritime
    revenue taxation budget treasury investment investments digital cooperation integration emergency
    management disaster relief safety quality standards statistics logistics procurement supply compliance
    risk audit community communities consumer care nursing primary secondary higher arts heritage media
    broadcasting telecommunications immigration citizenship interior religious national international global
    strategic special general small medium sized new renewable climate change food nutrition population
    growth reform reforms learning training skills teaching instruction curriculum admissions
    outreach partnerships advancement alumni enrolment enrollment facilities
    property properties estates events member members membership""".split()
)
_PORTFOLIO_JOINERS = frozenset("and & of the for".split())
#: An office title right before a name, perhaps after earlier items of its list: "Minister of ", "Vice
#: President for the ", "Minister for Justice, Finance, ", "General Manager, ".
_OFFICE_TITLE_BEFORE = re.compile(
    r"\b([A-Z][a-z]+)(?:\s+(?:of|for)\s+(?:the\s+)?((?:[A-Z][\w-]*,?\s+(?:and\s+)?)*)|,\s+)$")
#: An office title right after a name: "[Education] Minister Ana Osk", "the [Finance] Secretary".
_OFFICE_TITLE_AFTER = re.compile(r"^\s+([A-Z][a-z]+)\b")


def _is_portfolio(words: list[str]) -> bool:
    words = [w.strip(",").lower() for w in words]
    return all(w in PORTFOLIO_WORDS or w in _PORTFOLIO_JOINERS for w in words) \
        and any(w in PORTFOLIO_WORDS for w in words)


def is_portfolio_beside_title(text: str, start: int, end: int, name: str) -> bool:
    """True for "[Heavy Industries]" in "Minister of Heavy Industries", "[Public Enterprises]" in
    "Minister for Justice, Finance, Public Enterprises", "[Customer Services]" in "General Manager,
    Customer Services", "[Education]" in "Education Minister": the model tags what an office covers as
    an organisation; beside the title it is part of a title (the ministry, named in full elsewhere,
    is the body). ``name`` is the cleaned ``text[start:end]``."""
    if not _is_portfolio(name.split()):
        return False
    title = _OFFICE_TITLE_BEFORE.search(text[max(0, start - 60):start])
    if title and title.group(1).lower() in _TITLE_OF_WORDS:
        earlier = (title.group(2) or "").split()  # "Justice, Finance," before "[Public Enterprises]"
        if not earlier or _is_portfolio(earlier):
            return True
    after = _OFFICE_TITLE_AFTER.match(text[end:end + 20])
    return bool(after) and after.group(1).lower() in _TITLE_OF_WORDS


def strip_office(name: str) -> str:
    """The organisation inside "<office> of (the) <organisation>".

    "Executive Director of the Velin Rowing Trust" -> "Velin Rowing Trust" and
    "Department of the Kestrel Foundation" -> "Kestrel Foundation"; the rest must
    itself be an organisation name (two or more words ending in a head noun).
    """
    m = _OF_THE.match(name)
    if not m:
        return name
    office, rest = m.group(1).lower().split(), m.group(2)
    if len(office) > 3 or len(rest.split()) < 2 or not has_org_head(rest):
        return name
    if all(w in _OFFICE_WORDS or w in ("of", "the") for w in office) or (len(office) == 1 and office[0] in _UNIT_WORDS):
        return rest
    return name


#: Abbreviations of common nouns that the model tags as names: documents ("MoU"), match formats
#: ("ODI", "T20"), office and finance terms ("CEO", "GDP", "IPO"), technical terms ("IP", "AI",
#: "CCTV"), members of legislatures ("MPP", "MLA": titles, like "MP").
#: Generic English usage, the same in every collection; compared case-sensitively where case tells
#: ("MoU"), after stripping a plural "s" ("MoUs", "ODIs").
COMMON_ABBREVIATIONS = frozenset(
    """MoU MOU MoA MoC LoI LoA NDA FTA ODI T20 T20I T10 CEO CFO COO CTO CIO GDP GNP IPO ETF NPA VAT GST
    IP AI API IT ICT SMS GPS PDF FAQ HR QA CCTV MPP MLA MNA MHA
    TV AM PM OK HIV AIDS DNA RNA COVID SARS MERS ICU PPE ID ATM SUV USB PC VIP MVP RSVP LGBT LGBTQ OTT ETA
    AD BC CE BCE FY YTD YOY EPS PE NAV AGM EGM IPR PPP FDI KM KG MW GW KW MPH GB MB TB LPG LNG CNG EV SME
    NGO PhD MBA BSc MSc FIR PIL TEU MRI ECG EEG OPD CBR MPR CRR CPI PMI CBD SIM VoIP""".split()
)
#: Competitions named by a "League"/"Division"/"Liga" and a level or sport word: a competition is an
#: event, not an organisation ("Premier League", "Second Division A"); "Arab League" is a body.
_COMPETITION = re.compile(
    r"(?i)\b(?:premier|super|champions|europa|conference|nations|major|minor|first|second|third|fourth|"
    r"top|national|football|cricket|rugby|hockey|basketball|baseball|netball|volleyball|futsal)\s+"
    r"(?:league|division|liga)\b|^super\s+(?:rugby|netball|league)$|\bliga\b(?:\s+[A-Z0-9]{1,3})?$|\bair\s*show$|\bairshow$"
)


#: Plural nouns for a party's members that name the party ("the Social Democrats", "the Greens"); the
#: model tags them as a group (NORP), like a nationality.
PARTY_PLURALS = frozenset(
    """democrats republicans conservatives liberals greens socialists tories communists nationalists
    unionists separatists""".split()
)
#: Groups named by faith: never an organisation, though not a nationality either.
FAITH_GROUPS = frozenset(
    """muslims christians jews hindus sikhs buddhists catholics protestants sunnis shias shiites evangelicals
    mormons orthodox""".split()
)


def is_party(name: str) -> bool:
    """"Social Democrats", "the Greens": a party named by its members (capitalised, plural)."""
    words = name.split()
    return bool(words) and name[:1].isupper() and words[-1].lower() in PARTY_PLURALS and len(words) <= 3


def is_group_plural(name: str) -> bool:
    """A capitalised plural that is no nationality, faith, party or match format ("the two Tests";
    "ODIs" is a common abbreviation): in a sports report, a team named by its players ("Velin Rovers")."""
    words = name.split()
    return 1 <= len(words) <= 3 and name[:1].isupper() and words[-1].endswith("s") and not is_nationality(name) \
        and words[-1].lower() not in FAITH_GROUPS and words[-1].lower() != "tests" \
        and not is_party(name) and not _is_demonym_word(words[-1][:-1]) and not is_not_a_name(name)


#: A government body that a nationality adjective only describes: "the Osk Finance Ministry", not its name.
_GOVERNMENT_BODY = re.compile(r"\b(?:Ministry|Ministries|Department)\b|^State Council$")


def strip_national_adjective(name: str) -> str:
    """"Ethiopian Ministry of Mines" -> "Ministry of Mines", "Chinese State Council" -> "State Council":
    a demonym before a ministry or department describes it. Names that keep their adjective
    ("British Council", "Russian Football Union") are no ministries. Before a company's name
    it may be either ("Saudi Velco" is the name, "Russian Velneft" is described): kept."""
    first, _, rest = name.partition(" ")
    if not rest or not is_nationality(first) or is_nationality(rest.split()[0]):
        return name  # "Saudi Arabian General Investment Authority": a two-word adjective opens the name
    if len(rest.split()) >= 2 and _GOVERNMENT_BODY.search(rest):
        return rest
    return name


def office_of_place(name: str) -> str | None:
    """"Chief Justice of Osk" -> "Osk" when Osk is a known place: an office held for a country or
    city names no organisation, only the place. None otherwise."""
    from . import gazetteer
    from .normalise import TITLES

    m = _OF_THE.match(name)
    if not m:
        return None
    office = m.group(1).lower().split()
    if office and all(w in TITLES or w in _OFFICE_WORDS or w in ("attorney", "speaker") for w in office) \
            and gazetteer.kind(m.group(2)):
        return m.group(2)
    return None


#: "iPhone", "iPad", "iTunes": a lowercase "i" before a capital names a product line (case matters).
_I_PRODUCT = re.compile(r"^i[A-Z][a-z]")


def is_not_a_name(name: str) -> bool:
    """Time zones, clock times, common-noun abbreviations, "i"-products and competitions: never facet values."""
    base = name[:-1] if name.endswith("s") and len(name) > 2 else name
    return bool(_NOT_NAMES.search(name)) or name in COMMON_ABBREVIATIONS or base in COMMON_ABBREVIATIONS \
        or bool(_COMPETITION.search(name)) or bool(_I_PRODUCT.match(name))


def looks_like_demonym(word: str) -> bool:
    """A weaker, suffix-based demonym test, used only together with spaCy's NORP label elsewhere."""
    w = word.lower()
    return word[:1].isupper() and " " not in word and w.endswith(_DEMONYM_SUFFIXES)


def repair_type(name: str, raw_name: str, etype: str, preceding_word: str = "") -> str | None:
    """Apply the generic type rules to one mention; None means "not a facet entity".

    * starts with a personal honorific ("Mrs", "H.E.") or a title and two name words -> person
    * ends in an organisational head noun ("… Society", "… Embassy") -> organisation
    * one hyphenated word with a place particle ("Montvel-sur-Osk") -> place
    * a nationality adjective or language alone ("Estonian") -> dropped
    * an event ("… Festival") or a time zone ("UTC") -> dropped
    * a PERSON right after a work noun ("the film Silent River") -> dropped
    ``raw_name`` is the span before honorifics were stripped; ``name`` after.
    """
    if is_nationality(name) or is_event(name) or is_not_a_name(name):
        return None
    if has_ampersand(name):
        return "organisation"  # "Kellwater & Brandt": a firm
    if (starts_with_honorific(raw_name) or starts_with_person_title(raw_name)) and not has_org_head(name):
        return "person"
    if etype in ("person", "organisation") and is_particle_place(name):
        return "place"
    if _org_head_overrules(name, etype):
        return "organisation"
    if etype == "person" and preceding_word.lower().strip(".,\"'“‘") in WORK_NOUNS:
        return None
    return etype


def type_key(name: str) -> str:
    """Key used for type votes: the fold of the cleaned name."""
    return fold(name)
