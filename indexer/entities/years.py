"""Years an article refers to ("in 1992", "launched in 2008", "Feb. 26, 1992").

Candidates are four-digit numbers in a plausible range (1000 … next year). A
candidate inside a spaCy DATE entity is trusted unless the surroundings clearly
make it something else; a bare number outside one needs a time cue before it
("in", "since", a month, a day). Counts ("613 people", "1200 residents"), street
numbers ("1840 Harbour Road"), prices and reference numbers are rejected.
Pure functions over text and DATE spans, so the rules are tested without spaCy.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from typing import Iterable

MIN_YEAR = 1000

_CANDIDATE = re.compile(r"(?<![\d$£€¥#])(?<![\d][.,])\b(\d{4})\b(?![.,]\d)(?!\s*%)")
_WORD_BEFORE = re.compile(r"([A-Za-z]+\.?|[–—-]|\d{1,2},?|[(]|['’]s)\s*$")
_WORD_AFTER = re.compile(r"^\s*([A-Za-z][A-Za-z'’-]*|[–—/-]\s*\d{2,4}|[)]|:\d)")

MONTHS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
#: Words that, right before a bare number, say it is a point in time.
TIME_CUES = frozenset(
    """in since from until till by before after during circa c ca around year years early late mid
    spring summer autumn fall winter between through thru until""".split()
) | MONTHS
#: Words that may follow a year in running text ("in 1992 the …", "since 2008 when …").
ALLOWED_AFTER = frozenset(
    """the a an and or but by when as to at on in with for after before was were is are had has have during
    until through from of that which where while it he she they we i you his her their its this these those
    there then onwards onward between against under up until saw marked alone only""".split()
) | MONTHS
#: Words before a number that make it a price, an address or a reference, not a year.
REFERENCE_CUES = frozenset(
    """no nos number num page pages pp p room flight route tel phone fax box suite unit apt apartment
    usd eur gbp us$ rs code model version v article section chapter item""".split()
)
STREET_WORDS = frozenset(
    """street st road rd avenue ave lane ln drive dr way boulevard blvd place pl court ct square sq terrace
    crescent close highway hwy parkway row walk quay wharf""".split()
)


def max_year(today: dt.date | None = None) -> int:
    """Latest plausible year: next year (articles announce next year's events)."""
    return (today or dt.date.today()).year + 1


def _followed_by_street(after: str) -> bool:
    """True for "1840 Harbour Road" / "1840 Harbour Point Road": capitalised words then a street word."""
    words = re.findall(r"[A-Za-z]+\.?", after[:60])
    for i, w in enumerate(words[:4]):
        if w.lower().rstrip(".") in STREET_WORDS and i >= 1:
            return all(x[:1].isupper() for x in words[:i + 1])
        if not w[:1].isupper():
            return False
    return False


def _previous_word(before: str) -> str:
    m = _WORD_BEFORE.search(before[-20:])
    return m.group(1).lower().rstrip(".") if m else ""


def _next_word(after: str) -> str:
    m = _WORD_AFTER.match(after[:30])
    return m.group(1) if m else ""


def is_time_year(text: str, start: int, end: int, in_date: bool) -> bool:
    """Decide whether the four-digit number at ``text[start:end]`` refers to a year."""
    before, after = text[max(0, start - 40):start], text[end:end + 60]
    prev = _previous_word(before)
    nxt = _next_word(after)
    if prev in REFERENCE_CUES or _followed_by_street(after):
        return False
    if re.search(r"[$£€¥#]\s*$", before):
        return False
    count_like = bool(nxt) and nxt[0].islower() and nxt.lower() not in ALLOWED_AFTER
    if in_date:
        # NER said DATE: trust it unless a plural noun follows without any time cue
        # ("1200 residents" mislabelled as a date).
        return not (count_like and nxt.endswith("s") and prev not in TIME_CUES and prev != "the")
    if count_like:
        # "in 2008 something changed" / "the 2019 season" name a year; "in 1200 homes" and
        # "the 1200 residents" count things (a plural noun follows).
        determiner = prev in ("the", "a", "an", "this", "that", "its", "his", "her", "their", "our", "'s", "’s")
        plural = nxt.endswith("s") and not nxt.endswith("ss")
        return (determiner or prev in TIME_CUES) and not plural
    if prev in TIME_CUES or prev in ("(", "-", "–", "—", "'s", "’s"):
        return True
    if re.search(r"\b\d{4}\s+(?:and|to|or)\s*$", before):  # "from 1990 to 1995", "1990 and 1995"
        return True
    if re.fullmatch(r"\d{1,2},?", prev):  # "26 February, 1992" / "Feb. 26, 1992"
        return True
    if nxt.startswith((")", "–", "—", "-", "/")):  # "(1992)", "1992–1994"
        return True
    return False


_MONTH_RE = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_FULL_DATE = re.compile(
    rf"""(?ix)(?<![\w/.-])(?:
        \d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE},?\s+\d{{4}}
      | {_MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}
      | {_MONTH_RE}\s+\d{{4}}
      | \d{{4}}-\d{{1,2}}-\d{{1,2}}(?:[T ]\d{{1,2}}:\d{{2}}(?::\d{{2}})?Z?)?
      | \d{{1,2}}[./]\d{{1,2}}[./]\d{{4}}
    )(?!\d)"""
)
_META_WORDS = re.compile(
    r"(?i)\b(?:date|dated|published|publication|posted|updated|modified|last|first|on|at|issued|release|utc|gmt)\b"
    r"|\d{1,2}:\d{2}(?::\d{2})?|[+-]\d{2}:?\d{2}|\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b\.?"
)
_DATELINE = re.compile(r"^[A-Z][\w .,'’-]{0,40}?,\s*$")
#: "date 2023-02-25 KENDLETON, …": a label opening a header line, even when the body runs on after it.
_LABEL_BEFORE = re.compile(r"(?i)^\s*(?:date|dated|published|posted|updated|last\s+updated)\s*:?\s*$")
HEADER_LINES, TRAILER_LINES = 15, 3


def _non_empty_lines(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """``(offset, line)`` for the non-empty lines of ``text[start:end]``."""
    lines, pos = [], start
    for line in text[start:end].split("\n"):
        if line.strip():
            lines.append((pos, line))
        pos += len(line) + 1
    return lines


def metadata_date_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the article's own date stamps, which are not years it *mentions*.

    A short header or trailer line that is a date plus labels ("Date: 2021-11-03",
    "Published 8 July 2019", "2022-02-28 15:30:00"), a date right after such a label
    opening a header line ("date 2021-11-03 KENDLETON, …"), and the date of a dateline
    ("KENDLETON, March 3, 2019 (Coastline News) -").
    """
    head_end = 0
    for _ in range(HEADER_LINES * 2):  # enough raw lines to hold HEADER_LINES non-empty ones
        nxt = text.find("\n", head_end)
        if nxt < 0:
            head_end = len(text)
            break
        head_end = nxt + 1
    tail_start = text.rfind("\n", 0, max(0, len(text) - 2000)) + 1  # a line start, 2000 chars from the end
    chosen = dict(_non_empty_lines(text, 0, head_end)[:HEADER_LINES]
                  + _non_empty_lines(text, tail_start, len(text))[-TRAILER_LINES:]).items()
    spans = []
    for offset, line in chosen:
        for m in _FULL_DATE.finditer(line):
            rest = _META_WORDS.sub(" ", line[:m.start()] + " " + line[m.end():])
            words = len(re.findall(r"[^\W\d_]{2,}", rest))
            # A stamp line: the date plus a label or a short category, not a sentence.
            sentence = line.rstrip().endswith((".", "!", "?", "\"", "”"))
            short_line = len(line) <= 120 and (words == 0 or (words <= 4 and not sentence))
            dateline = _DATELINE.match(line[:m.start()]) is not None and m.start() < 60
            labelled = _LABEL_BEFORE.match(line[:m.start()]) is not None
            if short_line or dateline or labelled:
                spans.append((offset + m.start(), offset + m.end()))
    return spans


def mentioned_years(text: str, date_spans: Iterable[tuple[int, int]], today: dt.date | None = None) -> list[int]:
    """Sorted distinct years ``text`` refers to; ``date_spans`` are spaCy DATE entity char spans.

    The article's own date stamps (header ``Date:`` lines, datelines, trailers) are left out.
    """
    if not text:
        return []
    skip = metadata_date_spans(text)
    spans = sorted(date_spans)
    starts = [a for a, _ in spans]
    latest = max_year(today)
    years: set[int] = set()
    for m in _CANDIDATE.finditer(text):
        year = int(m.group(1))
        if not MIN_YEAR <= year <= latest:
            continue
        s, e = m.span(1)
        if any(a <= s and e <= b for a, b in skip):
            continue
        if year % 10 == 0 and text[e:e + 2] in ("'s", "’s"):
            continue  # "the 1990's": a decade, written with an apostrophe
        i = bisect.bisect_right(starts, s) - 1  # the last DATE span starting at or before s
        in_date = i >= 0 and spans[i][1] >= e
        if is_time_year(text, s, e, in_date):
            years.add(year)
    return sorted(years)
