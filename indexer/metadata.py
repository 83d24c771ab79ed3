"""Title, publication date and news agency from the plain text of an article.

Only the places where articles really state these are looked at: the header
(first :data:`HEADER_LINES` non-empty lines: title, ``Date:`` lines, datelines
such as ``NAIROBI, March 3, 2019 (Coastline Wire) -``) and the trailer (last
:data:`TRAILER_LINES` lines, where sites print ``2022-02-28 15:30:00``). Dates in
body prose ("On 24 February, ...", "in 1992") are events, not publication dates,
and are ignored. Regexes only *locate* candidate spans; dateparser (or the
standard library for plain ISO dates) does the parsing, and only on those few
short spans, which keeps this far cheaper than running NER over the text.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

HEADER_LINES = 15
TRAILER_LINES = 3
MAX_TITLE_CHARS = 300
EARLIEST_DATE = dt.date(1900, 1, 1)
# A line longer than this is a prose paragraph; a date in it only counts when it
# opens the line after a place-name prefix ("LISBON, 26 February 2015 - ...").
SHORT_LINE = 120
# How far into a long line a dateline's date may start; searching no further keeps
# extraction cheap on paragraph-sized lines.
DATELINE_REACH = 60
_SEARCH_END = DATELINE_REACH + 50

_DATEPARSER_SETTINGS = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PREFER_DATES_FROM": "past",
    "RETURN_AS_TIMEZONE_AWARE": False,
}


@dataclass
class Metadata:
    title: str | None
    published: dt.date | None
    agency: str | None


_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = r"(?:(?:mon|tue(?:s)?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|2\d)\d\d"
# A date with day, month and year, in the shapes articles print.
_FULL_DATE = re.compile(rf"""(?ix) (?<![\w/.-]) (?:
      {_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}      # 26 February 2015
    | {_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}                 # Tuesday, March 3, 2019
    | {_YEAR}-\d\d?-\d\d? | {_YEAR}/\d\d?/\d\d?               # 2022-02-28
    | (?P<dmy>\d\d?\.\d\d?\.{_YEAR}) | \d\d?/\d\d?/{_YEAR}    # 26.02.2015, 2/26/2015
    ) (?!\d)""")
# Month and day without a year ("Baku, Feb. 26"): a dateline, but never a date.
_PARTIAL_DATE = re.compile(rf"(?i)(?<![\w/.-])(?:{_MONTH}\s+{_DAY}|{_DAY}\s+{_MONTH})(?![\w])")
# Header labels; group "updated" marks a revision date, weaker than a publication date.
_LABEL = re.compile(r"""(?ix) ^\W{0,3} (?:
      (?:first\s+)?published(?:\s+(?:on|at))? | publication\s+date | posted(?:\s+on)? | dated?
    | release\s+date | issued(?:\s+on)?
    | (?P<updated>(?:last\s+)?(?:updated|modified)(?:\s+(?:on|at))?)
    ) (?:\s*[:|\-–—]\s*|\s+)""")
# Whatever may follow a date in a timestamp: a time, a zone, punctuation.
# (Used with pattern.match(line, pos), so it carries no "^".)
_TIME_TAIL = re.compile(r"(?i)(?:[\sT,.@|]*(?:at\s+)?\d{1,2}[:.]\d\d(?::\d\d)?(?:\.\d+)?\s*(?:[ap]\.?m\.?)?)?"
                        r"(?:\s*\(?\s*(?:(?:utc|gmt|z)\b\s*(?:[+-]\d\d?(?::?\d\d)?)?|[+-]\d\d?:?\d\d)\s*\)?)?[\s.]*")
# Words that make a date part of a sentence ("On 24 February 2015 the ...").
_PROSE_WORDS = {"on", "in", "since", "from", "until", "till", "by", "before", "after", "of", "at", "to",
                "between", "and", "or", "the", "during", "through", "around", "as", "for", "than", "last",
                "next", "that", "was", "were", "is", "date", "dated"}
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_NAME = r"[A-Z][\w&'’.\-]*(?:\s+(?:[A-Z&][\w&'’.\-]*|of|for|and|de|du))*"
_AGENCY_LABEL = re.compile(r"(?i)^(?:source|news\s+agency|agency|via)\s*:\s*(.{2,80})$")
_BYLINE = re.compile(r"(?i)^by\s+(.{2,80})$")
_AP_STYLE = re.compile(rf"^{_NAME}(?:,\s*{_NAME})?\s*\(([^()]{{2,40}})\)\s*[-–—]")
_REPORTS = re.compile(rf",\s+({_NAME})\s+report(?:s|ed)\b")
# A byline names a person unless it looks like an organisation: all capitals or
# one of these generic words (never a list of particular outlets).
_ORG_WORDS = {"press", "news", "agency", "wire", "service", "services", "media", "newswire", "times", "post",
              "herald", "journal", "gazette", "network", "broadcasting", "radio", "tv", "television",
              "bureau", "daily", "tribune", "chronicle", "reports", "newsroom"}
# Parenthesised labels that follow datelines or headlines but are not sources.
_NOT_AGENCY = {"photo", "photos", "video", "videos", "update", "updated", "live", "opinion", "analysis",
               "exclusive", "utc", "gmt", "audio", "infographic", "interview", "staff"}


def extract_metadata(text: str) -> Metadata:
    """Title, publication date and agency stated in an article's plain text.

    The title is the first non-empty line that is not a pure metadata line
    (``Date: ...``, ``By ...``, ``Source: ...``), cut at a word boundary to at most
    :data:`MAX_TITLE_CHARS`. Fields the text does not state are ``None``; a
    dateline without a year gives no date (the year is never guessed).
    """
    lines = [line for line in text.split("\n") if line.strip()]
    # Whitespace runs (tabs, no-break spaces) collapsed so the patterns stay simple.
    header = [" ".join(line.split()) for line in lines[:HEADER_LINES]]
    trailer = [" ".join(line.split()) for line in lines[-TRAILER_LINES:]]
    return Metadata(_title(header), _published(header, trailer), _agency(header))


def body_start(text: str) -> int:
    """Where the story begins: after the headline and the metadata lines around it
    (``Date: ...``, ``By ...``, ``Source: ...``, a bare timestamp line). Those lines
    stay in the stored text but open no passage, so no snippet starts with them.
    0 when the text has nothing after them."""
    offset, seen_title = 0, False
    for raw in text.split("\n")[:HEADER_LINES]:
        line = " ".join(raw.split())
        if line and _is_metadata(line):
            pass
        elif line and not seen_title and len(line) <= MAX_TITLE_CHARS and not _opens_with_dateline(line):
            seen_title = True
        elif line:
            break
        offset += len(raw) + 1
    return offset if text[offset:].strip() else 0


def metadata_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of the metadata lines among the first and last lines of
    ``text`` — a labelled date (``Date: ...``), a byline (``By ...``), a source or
    agency label, a bare timestamp line (``Velmora Quay 2022-02-28 15:30:00``).
    They are the article's metadata, not its story: the entity rules take no name
    from them. (A dateline opening a story paragraph, "CITY, Country, March 3. The
    council ...", is story text: where it was filed is a place it names.)"""
    ranges: list[tuple[int, int]] = []
    lines = text.split("\n")
    offsets, offset = [], 0
    for raw in lines:
        offsets.append(offset)
        offset += len(raw) + 1
    non_blank = [i for i, raw in enumerate(lines) if raw.strip()]
    edges = sorted(set(non_blank[:HEADER_LINES]) | set(non_blank[-TRAILER_LINES:]))
    for i in edges:
        line = " ".join(lines[i].split())
        if _is_metadata(line):
            ranges.append((offsets[i], offsets[i] + len(lines[i])))
    return ranges


def parse_date(value: str) -> dt.date | None:
    """Parse a structured date field (JSON ``date``, ``<time datetime>``, meta tags).

    Plain ISO dates go through the standard library; anything else through
    dateparser with English pinned and day, month and year all required.
    Implausible dates (before 1900 or in the future) give ``None``.
    """
    value = " ".join(str(value).split())[:100]
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        shape = _FULL_DATE.match(value)  # "03.04.2015" is day first, as in text
        parsed = _dateparse(value, day_first=bool(shape and shape.group("dmy")))
    return parsed if _plausible(parsed) else None


def _title(header: list[str]) -> str | None:
    candidates = [line for line in header if not _is_metadata_line(line)] or header
    if not candidates:
        return None
    title = candidates[0]
    label = _LABEL.match(title)
    date = _FULL_DATE.match(title, label.end()) if label else None
    if date and title[date.end():].strip():
        # "date 2023-02-25 BAKU, ..." - the label is not part of the title.
        title = title[_TIME_TAIL.match(title, date.end()).end():].lstrip()
    if _opens_with_dateline(title):
        # "CITY, Country, February 25. The event ..." opens the story: the text has no
        # headline, and its first sentence is no title (the caller falls back to the file name).
        return None
    if len(title) > MAX_TITLE_CHARS:
        cut = title.rfind(" ", 0, MAX_TITLE_CHARS + 1)
        title = title[:cut if cut > MAX_TITLE_CHARS // 2 else MAX_TITLE_CHARS].rstrip(" ,;:-–—")
    return title or None


def _opens_with_dateline(line: str) -> bool:
    """Whether ``line`` begins with a dateline ("CITY, Country, February 25." or a
    full date) followed by the story's first words."""
    for pattern in (_FULL_DATE, _PARTIAL_DATE):
        match = pattern.search(line, 0, min(len(line), _SEARCH_END))
        if match and line[match.end():].strip(" .,:;–—-") and _opens_dateline_prefix(line, match):
            return True
    return False


def _opens_dateline_prefix(line: str, match: re.Match) -> bool:
    """Only a capitalised place name ("LISBON, Portugal, ") may precede a dateline's date,
    and the date is followed by a break (". ", " – ", ": "), not by more of a sentence."""
    prefix = line[:match.start()]
    words = _WORD.findall(prefix)
    if not words or len(prefix) > DATELINE_REACH or not all(w[0].isupper() for w in words):
        return False
    if words[-1].lower() in _PROSE_WORDS or not prefix.rstrip().endswith(","):
        return False
    return bool(re.match(r"\s*(?:,\s*\d{4})?\s*[.:–—-]", line[match.end():]))


def _is_metadata(line: str) -> bool:
    """A header or trailer line that is metadata, not story: a labelled date, a
    byline, a source label, or a bare timestamp line (whitespace collapsed)."""
    return _is_metadata_line(line) or _timestamp_date(line) is not None


def _is_metadata_line(line: str) -> bool:
    if _AGENCY_LABEL.match(line) or (_BYLINE.match(line) and len(line) <= 80):
        return True
    label = _LABEL.match(line)
    date = _FULL_DATE.match(line, label.end()) if label else None
    return bool(date) and _TIME_TAIL.match(line, date.end()).end() == len(line)


def _published(header: list[str], trailer: list[str]) -> dt.date | None:
    labelled = updated = dateline = None
    for line in header:
        label = _LABEL.match(line)
        found = _labelled_date(line, label) if label else None
        if found and label.group("updated"):
            updated = updated or found
        elif found:
            labelled = found
            break
        elif dateline is None:
            dateline = _dateline_date(line)
    if labelled or dateline:
        return labelled or dateline
    for line in reversed(trailer):
        label = _LABEL.match(line)
        found = (_labelled_date(line, label) if label else None) or _timestamp_date(line)
        if found:
            return found
    return updated


def _labelled_date(line: str, label: re.Match) -> dt.date | None:
    match = _FULL_DATE.search(line, label.end(), label.end() + _SEARCH_END)
    if match and not line[label.end():match.start()].strip(" ,:-–—"):
        return _parse_match(match)
    return None


def _dateline_date(line: str) -> dt.date | None:
    match = _FULL_DATE.search(line, 0, len(line) if len(line) <= SHORT_LINE else _SEARCH_END)
    return _parse_match(match) if match and _opens_dateline(line, match) else None


def _opens_dateline(line: str, match: re.Match) -> bool:
    """Whether the date found in a header line is a dateline, not part of a sentence."""
    prefix = line[:match.start()]
    words = _WORD.findall(prefix)
    if words and (words[-1].lower() in _PROSE_WORDS or words[-1].islower()):
        return False
    # In a paragraph only an opening place name ("LISBON, ") may precede the date.
    return len(line) <= SHORT_LINE or (len(prefix) <= DATELINE_REACH and all(w[0].isupper() for w in words))


def _timestamp_date(line: str) -> dt.date | None:
    if len(line) > SHORT_LINE:
        return None
    for match in _FULL_DATE.finditer(line):
        words = _WORD.findall(line[:match.start()])
        if words and words[-1].lower() in _PROSE_WORDS:
            continue  # "... met on 24 February 2015." ends a sentence, it is no timestamp
        if _TIME_TAIL.match(line, match.end()).end() == len(line):
            return _parse_match(match)
    return None


def _parse_match(match: re.Match) -> dt.date | None:
    parsed = _dateparse(match.group(0), day_first=bool(match.group("dmy")))
    return parsed if _plausible(parsed) else None


def _plausible(date: dt.date | None) -> bool:
    # One day of slack: a timestamp just after midnight in a zone ahead of ours.
    return date is not None and EARLIEST_DATE <= date <= dt.date.today() + dt.timedelta(days=1)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@lru_cache(maxsize=4096)
def _dateparse(span: str, day_first: bool) -> dt.date | None:
    # ISO dates are the most common header form and unambiguous: the standard
    # library reads them in microseconds, where dateparser takes milliseconds.
    iso = _ISO_DATE.fullmatch(span.strip()[:10]) if len(span.strip()) in (10, 16, 19) else None
    if iso:
        try:
            return dt.date.fromisoformat(iso.group(0))
        except ValueError:
            return None
    try:
        data = _parser(day_first).get_date_data(span)
    except (ValueError, OverflowError):
        return None
    return data.date_obj.date() if data.date_obj else None


@lru_cache(maxsize=2)
def _parser(day_first: bool):
    # Built on first use, not at import: loading dateparser's data takes ~0.1 s.
    from dateparser.date import DateDataParser

    settings = dict(_DATEPARSER_SETTINGS, **({"DATE_ORDER": "DMY"} if day_first else {}))
    return DateDataParser(languages=["en"], settings=settings)


def _agency(header: list[str]) -> str | None:
    for line in header:
        for found in _line_agencies(line):
            cleaned = _clean_agency(found)
            if cleaned:
                return cleaned
    return None


def _line_agencies(line: str):
    """Candidate agency names stated on one header line, best first."""
    if m := _AGENCY_LABEL.match(line):
        yield m.group(1)
    if (m := _BYLINE.match(line)) and len(line) <= 80:
        name = re.split(r"\s*(?:,|\||/| [-–—] )\s*", m.group(1))[-1]
        if name.isupper() or _ORG_WORDS & {w.lower() for w in name.split()}:
            yield name
    if m := _AP_STYLE.match(line):
        yield m.group(1)
    date = _FULL_DATE.search(line, 0, _SEARCH_END) or _PARTIAL_DATE.search(line, 0, _SEARCH_END)
    if not date or date.start() > DATELINE_REACH:
        return
    label = _LABEL.match(line)
    if not (label and not line[label.end():date.start()].strip()) and not _opens_dateline(line, date):
        return
    rest = line[_TIME_TAIL.match(line, date.end()).end():]
    rest = re.sub(r"^\s*\([^()]*\d[^()]*\)", "", rest)  # "(UTC +04:00)"
    for pattern in (r"^\s*\(([^()]{2,60})\)", r"^\s*/([^/]{2,60})/", rf"^\s*[,\-–—]\s*({_NAME})\s*(?:[-–—:]|$)"):
        if m := re.match(pattern, rest):
            yield m.group(1)
    if m := _REPORTS.search(line):
        yield m.group(1)


def _clean_agency(name: str) -> str | None:
    name = name.strip(" \t.,;:-–—/|")
    if not 2 <= len(name) <= 60 or re.search(r"\d|https?:|www\.", name) or not re.search(r"[^\W\d_]", name):
        return None
    if name.lower() in _NOT_AGENCY:
        return None
    return name
