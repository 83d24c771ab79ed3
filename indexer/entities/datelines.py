"""The furniture of a wire story: its dateline and its credit line.

A wire story opens with a dateline ("KELBURN, Ostria, March 3 (Velwire) - …")
and may close with credits ("Reporting by Ana Lorne; Editing by Tom Hale").
The small model misses a place written in capitals more often than not, types
the agency in brackets at random and reads credited people as organisations.
These are conventions of the news trade, not of one corpus, so they are read
from the text's shape, with the place gazetteer as evidence for the capitals.
Each function takes and returns raw spans ``(start, end, label)``.
"""
from __future__ import annotations

import re

from . import gazetteer

Span = tuple[int, int, str]

#: How many characters into the text a dateline may start (after a headline and a date line or two).
DATELINE_REACH = 600
#: A line opening with a place in capitals, then a comma, colon, bracket or dash:
#: "KELBURN, Ostria, March 3 -", "PORT ALVEN: The …", "KELBURN (Velwire) -".
_CAPITALS_OPENING = re.compile(
    r"(?m)^[ \t]*([A-Z][A-Z'’.\-]+(?:[ \-][A-Z][A-Z'’.\-]+){0,3})(?=\s*(?:,|:|\(|[-–—]\s|/))"
)
#: ", Country" right after the capitals: "BRANDOVER, Keltania, …" (the country confirms the place).
_COUNTRY_AFTER = re.compile(r"^,\s*([A-Z][\w'’.\-]+(?:\s+[A-Z][\w'’.\-]+){0,2})\s*[,(:\-–—]")
#: Reporting and editing credits: "Reporting by A and B; Editing by C".
_CREDIT = re.compile(
    r"(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Cc]ompiled|[Aa]dditional reporting)\s+by\s+"
    r"((?:[A-Z][\w'’.\-]+(?:\s+[A-Z][\w'’.\-]+){1,3})"
    r"(?:\s*(?:,|\band\b)\s*[A-Z][\w'’.\-]+(?:\s+[A-Z][\w'’.\-]+){1,3})*)"
)
_CREDITED_NAME = re.compile(r"[A-Z][\w'’.\-]+(?:\s+[A-Z][\w'’.\-]+){1,3}")


def _dateline_words(prefix: str) -> bool:
    """"July 18 ", "KELBURN, Ostria, March 3 ", "KELBURN ": a date or a word in capitals first,
    not a sentence's words ("The Velin Trust (VT) - a charity")."""
    if re.search(r"[\d]|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s", prefix, re.IGNORECASE):
        return True
    return re.match(r"\s*[A-Z]{3,}\b", prefix) is not None  # "KELBURN, Ostria "


def _known_place(name: str) -> bool:
    title = name.title()
    return gazetteer.is_area(title) or gazetteer.is_city(title)


def _replace(spans: list[Span], start: int, end: int, label: str) -> list[Span]:
    """``spans`` with ``(start, end, label)`` in place of every span overlapping it."""
    return sorted([s for s in spans if not (s[0] < end and start < s[1])] + [(start, end, label)])


#: A line opening with a short dateline (a place, a date) and the agency in brackets:
#: "March 3 (Velwire) -", "Kelburn, Ostria, March 3 (Velwire) --".
_AGENCY_LINE = re.compile(r"(?m)^[ \t]*([^\n()]{2,60}?)\(\s*([A-Z][A-Za-z.\-]{1,20}(?:\s+[A-Z][A-Za-z.\-]+){0,2})\s*\)\s*[-–—:]")


def dateline_spans(text: str, spans: list[Span]) -> list[Span]:
    """The place in capitals and the bracketed agency of a dateline near the start of the text.

    The capitals are a place when the gazetteer knows them or a known country follows
    ("BRANDOVER, Keltania"); a span the model put there under another label is replaced.
    """
    head = text[:DATELINE_REACH]
    for m in _CAPITALS_OPENING.finditer(head):
        name = m.group(1).rstrip(".'’-")
        if len(name) < 3 or not any(c.isalpha() for c in name):
            continue
        after = _COUNTRY_AFTER.match(text[m.end(1):m.end(1) + 60])
        if _known_place(name) or (after and gazetteer.is_area(after.group(1))):
            spans = _replace(spans, m.start(1), m.start(1) + len(name), "GPE")
            break  # one dateline per story
    agency = _AGENCY_LINE.search(head)
    if agency and _dateline_words(agency.group(1)) and not gazetteer.kind(agency.group(2)):
        spans = _replace(spans, agency.start(2), agency.end(2), "ORG")
    return spans


def credit_spans(text: str, spans: list[Span]) -> list[Span]:
    """People named in a credit line ("Reporting by Ana Lorne in Kelburn; Editing by Tom Hale"):
    PERSON spans, replacing what the model put there (it often reads them as organisations)."""
    for m in _CREDIT.finditer(text):
        for name in _CREDITED_NAME.finditer(m.group(1)):
            start = m.start(1) + name.start()
            spans = _replace(spans, start, start + len(name.group()), "PERSON")
    return spans
