"""Products, vehicles, software and missions: names the model reads as people, places or bodies.

"the space shuttle Meridian", "Velnet 4.2", "the XR-7 mission", "Chrome and Safari
users": none is a facet entity. Generic cues only: a vehicle or product noun right
before the name, a version number or model code, and for a lone one-word "person"
that is no known name, the vocabulary of software and devices around it.
"""
from __future__ import annotations

import re

#: Nouns that introduce the name of a vehicle, device or program: "the shuttle X", "the browser X".
PRODUCT_NOUNS = frozenset(
    """shuttle spacecraft spaceship capsule rocket probe rover lander orbiter satellite telescope space-station
    browser app smartphone handset phone tablet laptop console chip processor chipset software
    car vehicle truck lorry jet airliner aircraft plane helicopter drone submarine warship frigate
    destroyer ship vessel yacht ferry locomotive""".split()
)
#: Vehicle classes and ship prefixes that open a name: "Space Shuttle Meridian", "USS Velin", "HMS Osk".
_VEHICLE_PREFIX = re.compile(r"^(?:Space\s+Shuttle|Shuttle|Spacecraft|Space\s+Station|USS|HMS|HMAS|HMCS|MV|SS|RMS)\s+(?=[A-Z])")
#: A model code or mission designation: two or more capitals, then digits ("XR-7", "VT9", "ZK-204A");
#: one capital ("G7", "F-16") is left alone: groups of countries are written so.
_CODE = re.compile(r"^[A-Z]{2,}[A-Z]*[-‑ ]?\d+[A-Za-z]?$")
#: A word, a hyphen and a number: a disease, a mission or a model ("Velox-19", "Orion-3"); two letters
#: at least ("G-20" is a group of countries).
_WORD_NUMBER = re.compile(r"^[A-Za-z]{2,}[-‑]\d+$")
#: A last word that is a version number ("4.2", "10") or a code mixing letters and digits ("X5", "T-800").
_VERSION = re.compile(r"^(?:v?\d+(?:\.\d+)+|[A-Za-z]+[-‑]?\d+[A-Za-z]?|\d+[A-Za-z]+)$")
#: Words of software and devices: a lone capitalised word among them ("Chrome", "Safari") is a product.
_PRODUCT_CONTEXT = re.compile(
    r"\b(?:browsers?|operating systems?|software|apps?|smartphones?|download(?:s|ed)?|install(?:s|ed)?|"
    r"upgrade[sd]?|updates?|versions?|plug-?ins?|web ?sites?|desktops?|laptops?|tablets?|devices?|"
    r"users|computers?)\b",
    re.IGNORECASE,
)


#: A vehicle noun or class, then the name: "the shuttle Meridian", "Space Shuttle Meridian", "USS Velin",
#: "the browser Velnet". Only nouns after which a person's name hardly stands ("by phone Anna …" may).
_NAMED_AFTER_NOUN = re.compile(
    r"(?:\b(?:shuttle|spacecraft|spaceship|capsule|rocket|probe|rover|lander|orbiter|satellite|telescope|"
    r"browser|warship|frigate|submarine|destroyer)|\b[Ss]pace\s+[Ss]huttle|"
    r"\b(?:Shuttle|Spacecraft|USS|HMS|HMAS|HMCS|RMS))\s+([A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)"
)


def vehicle_names(text: str) -> set[str]:
    """Names the text gives to vehicles and products ("the space shuttle Meridian" -> "Meridian"):
    the model may tag only a later bare mention ("Meridian said …"), which must go too."""
    return {m.group(1) for m in _NAMED_AFTER_NOUN.finditer(text)}


#: Last words of the names of instruments and craft: "Velin Space Telescope", "Osk Launch Vehicle",
#: "Tarn Earth Orbiter", "the International Space Station" (a spacecraft, not a place).
_PRODUCT_HEADS = re.compile(
    r"\s(?:Telescope|Spectrograph|Spectrometer|Orbiter|Rover|Lander|Satellite|Spacecraft|Rocket|"
    r"Launch\s+Vehicle|Space\s+Stations?)$")


def is_instrument_or_craft(name: str) -> bool:
    """True for a named instrument or craft: "Velin Space Telescope", "Osk Satellite Launch Vehicle"."""
    return _PRODUCT_HEADS.search(name) is not None


def vehicle_name(name: str) -> str | None:
    """"Space Shuttle Meridian" -> "Meridian" (a vehicle: every mention of it is no entity), else None."""
    m = _VEHICLE_PREFIX.match(name)
    return name[m.end():] if m else None


def is_code_or_version(name: str) -> bool:
    """True for a model code, mission code or versioned product: "XR-7", "Velnet 4.2", "Osk VT9".

    A bare number after a word ("Channel 4", "Formula 1") is left alone: many bodies are named so.
    """
    if _CODE.match(name) or _WORD_NUMBER.match(name):
        return True
    words = name.split()
    return len(words) >= 2 and not words[-1].isdigit() and _VERSION.match(words[-1]) is not None \
        and any(c.isdigit() for c in words[-1])


def product_vocabulary(text: str) -> bool:
    """True when the text talks about software or devices (two or more different cue words)."""
    found = {m.group().lower().rstrip("s") for m in _PRODUCT_CONTEXT.finditer(text)}
    return len(found) >= 2


#: A model number closing a name: three or more digits, maybe a suffix ("7000", "737", "380neo").
_MODEL_NUMBER = re.compile(r"^\d{3,}[A-Za-z]*$")
#: Right before a one-word name: a model number after a maker's name or an article ("the 737 MAX",
#: "Velcraft's A380 Plus"): the word is a model's. A bare number is a quantity ("120 Velcraft jets").
_NUMBER_BEFORE = re.compile(r"(?:\b(?:the|a|an)|[A-Z][\w-]*(?:['’]s)?)\s+(?:[A-Z]{1,2})?(\d{3,4})[A-Za-z]*\s$")


def _is_year(digits: str) -> bool:
    return len(digits) == 4 and 1800 <= int(digits) <= 2100


def model_brand(name: str) -> str | None:
    """For a product named by its maker and a model number, the maker; None if ``name`` is no such product.

    "Velcraft Trent 7000" -> "Velcraft", "Osk 737" -> "Osk"; "" when the first word is an
    everyday word or a given name ("Heavy Lifter 900"), so that nothing is kept. Years
    ("Vision 2030") and short numbers ("Channel 4", "Studio 54") are no model numbers.
    """
    from .names import is_common_word, is_given_name

    words = name.split()
    last = words[-1] if len(words) >= 2 else ""
    if not _MODEL_NUMBER.match(last) or _is_year(re.match(r"\d+", last).group()):
        return None
    brand = words[0]
    return "" if is_common_word(brand) or is_given_name(brand) else brand


def after_model_number(text: str, start: int) -> bool:
    """True when a model number stands right before ``start`` ("the 737 [MAX]"), a year excepted."""
    m = _NUMBER_BEFORE.search(text[max(0, start - 40):start])
    return bool(m) and not _is_year(m.group(1))
