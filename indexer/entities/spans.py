"""Span repair before typing: cut at line breaks, extend clipped names, add missed spans.

The small model clips names ("Ms Fatuma Njeri Lali" -> "Njeri Lali"), runs a title
into the next line's dateline, splits "The Estonian Arts Society (TEAS)" into
two odd spans and misses places introduced as "the town of X". Each function
takes and returns raw spans ``(start, end, label)`` over the text.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from itertools import accumulate

from .links import is_acronym
from .joins import extend_hyphenated, head_of_place, join_dashed, join_prepositions
from .names import PLACE_INTRO, is_common_word, is_known_name, is_name_word as _is_name_word, place_list_items
from .normalise import HONORIFICS, ROLE_WORDS, TITLES, ends_in_possessive
from .types import ORG_HEADS, has_org_head
from .person_spans import given_name_spans, possessive_works
from . import gazetteer
from .companies import company_spans, split_at_legal_forms
from .datelines import credit_spans, dateline_spans
from .places import missed_areas, missed_venues, state_abbreviations, team_spans

Span = tuple[int, int, str]

_WORD_BEFORE = re.compile(r"(\S+) $")
_WORD_AFTER = re.compile(r"^ ([^\s(\[]+)")  # "Zeynal(tar)": a bracket ends the word
#: "R.K.", "M.": initials written before a surname.
_INITIALS = re.compile(r"(?:[A-Z]\.){1,3}")
#: "Petter-" right before a person span: the model cut a hyphenated given name.
_GIVEN_NAME_HYPHEN = re.compile(r"(?<![\w‑-])([A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)[-‑]$")
#: A lowercase particle inside a name, then a capitalised word: "… e Luna", "… de Souza", "… bin Osk".
_NAME_PARTICLE_AFTER = re.compile(
    r"^ (?:e|y|da|de|do|dos|das|del|della|di|du|van|von|der|den|ter|bin|binti|bint|al|el) ([A-ZÀ-ÖØ-Þ][^\W\d_]+)")
_BRACKET = re.compile(r"\(\s*([A-Z][A-Za-z&]{1,10})\s*\)")
_WORD = re.compile(r"[^\s()\[\],;:“”\"]+")


def split_lines(text: str, spans: list[Span]) -> list[Span]:
    """Cut spans at line breaks: a name never runs from a title into the dateline below it."""
    out = []
    for start, end, label in spans:
        piece_start = start
        for m in re.finditer(r"\s*\n\s*", text[start:end]):
            if m.start() > 0:
                out.append((piece_start, start + m.start(), label))
            piece_start = start + m.end()
        if piece_start < end:
            out.append((piece_start, end, label))
    return out


def overlap_checker(intervals: list[tuple[int, int]]):
    """A function telling whether ``[s, e)`` overlaps none of ``intervals``.

    Each check is a bisection over the starts plus a running maximum of the ends,
    so a text with hundreds of thousands of mentions is not scanned once per word.
    """
    taken = sorted(intervals)
    starts = [a for a, _ in taken]
    max_end = list(accumulate((b for _, b in taken), max))

    def free(s: int, e: int) -> bool:
        i = bisect_left(starts, e) - 1  # the last interval starting before e
        return i < 0 or max_end[i] <= s

    return free


#: "-wing" after "[Chan Kwok]": the lowercase second syllable of a hyphenated given name.
_SYLLABLE_TAIL = re.compile(r"^[-‑]([a-z]{2,5})(?![\w‑-])")
#: Words written after a hyphen to make a name an adjective ("Novak-led", "Osk-based"): no name part.
_COMPOUND_TAILS = frozenset("led based born owned run backed style era like type made linked held era ist ism".split())


def _hyphenated_given_name_end(text: str, start: int, end: int) -> int:
    """End of "[Chan Kwok]-wing" grown over its last syllable: Cantonese and Korean given names are
    hyphenated with a lowercase second part, which the model cuts off. Only after a short last word
    of a two- or three-word name, never a compounding word ("Novak-led")."""
    m = _SYLLABLE_TAIL.match(text[end:end + 8])
    words = text[start:end].split()
    if m and 2 <= len(words) <= 3 and len(words[-1]) <= 6 and m.group(1) not in _COMPOUND_TAILS:
        return end + m.end()
    return end


def _office_word_before_full_name(word: str, name: str) -> bool:
    """"Majority [Leader] Oduya Kamberi": before a name that already has two words, a role word or
    an everyday word that is no known name is the end of a title, not a missing given name."""
    return len(name.split()) >= 2 and (word.lower() in ROLE_WORDS or (is_common_word(word) and not is_known_name(word)))


#: Honorifics that stand before a person's name, never at the end of one or inside a body's name.
_PERSONAL_HONORIFICS = frozenset("dr prof professor mr mrs ms doctor".split())
_SPAN_WORD = re.compile(r"\S+")


def split_at_honorifics(text: str, spans: list[Span]) -> list[Span]:
    """A personal honorific inside or at the end of a span belongs to the next name.

    * "[Osk Hospital Dr.] Ana Lorne": the trailing "Dr." is cut off;
    * "[Velin Medical College Prof Dr. Ana Lorne]" as one organisation: the college (a name with a
      head noun) and the person after the honorific are two spans.
    """
    out = []
    for start, end, label in spans:
        words = [(m.start() + start, m.end() + start, m.group().rstrip(".").lower()) for m in _SPAN_WORD.finditer(text[start:end])]
        if len(words) >= 2 and words[-1][2] in _PERSONAL_HONORIFICS:
            out.append((start, words[-2][1], label))
            continue
        cut = next((i for i, w in enumerate(words) if i >= 2 and w[2] in _PERSONAL_HONORIFICS), None)
        if label == "ORG" and cut is not None and has_org_head(text[start:words[cut - 1][1]]) \
                and any(w[2] not in _PERSONAL_HONORIFICS for w in words[cut + 1:]):
            out.append((start, words[cut - 1][1], "ORG"))
            out.append((words[cut][0], end, "PERSON"))
            continue
        out.append((start, end, label))
    return out


_SPACED_SLASH = re.compile(r"\s+/\s+(?=[A-Z])")


def split_at_spaced_slash(text: str, spans: list[Span]) -> list[Span]:
    """"[Velin Post / Osk Daily News]": two names set side by side with a spaced slash are two spans
    of the same label (a slash without spaces, "Ana Lorne/Velwire", is a credit: see :mod:`.datelines`)."""
    out = []
    for start, end, label in spans:
        pos = start
        for m in _SPACED_SLASH.finditer(text, start, end):
            if text[pos:m.start()].strip()[:1].isupper():
                out.append((pos, m.start(), label))
                pos = m.end()
        out.append((pos, end, label))
    return out


def extend_persons(text: str, spans: list[Span]) -> list[Span]:
    """Grow PERSON spans over adjacent name words the model left out.

    "by Wycliffe [Tarus Kiptanui]" and "Ms [Njeri Lali]" pick up the missing given
    name, "[Mrs Irena] Novakova" its surname. A word is taken only if it is
    capitalised mid-sentence, not part of another entity, not a title and never
    used in lowercase in the same text; before a two-word name, not a role word or an
    everyday word either ("Majority Leader Oduya Kamberi" keeps its title outside). Initials before
    the name ("R.K. Osk"), the first part of a hyphenated given name ("Petter-Borre Osk") and a
    lowercase particle inside it ("Joaquim Silva e Luna", "Ana Lorne de Souza") are taken too.
    """
    free = overlap_checker([(s, e) for s, e, _ in spans])

    out = []
    for start, end, label in spans:
        if label == "PERSON":
            end = _hyphenated_given_name_end(text, start, end)
            hyphenated = _GIVEN_NAME_HYPHEN.search(text[max(0, start - 20):start])
            if hyphenated and not is_common_word(hyphenated.group(1)) and free(start - len(hyphenated.group()), start):
                start -= len(hyphenated.group())  # "Petter-[Borre Osk]": the first part of a hyphenated given name
            for _ in range(3):
                m = _WORD_BEFORE.search(text[max(0, start - 40):start])
                if not m:
                    break
                word = m.group(1)
                w_start = start - len(word) - 1
                before = text[max(0, w_start - 3):w_start]
                sentence_start = w_start == 0 or re.search(r"(^|[.!?:\"“”‘’]\s*|\n\s*)$", before) is not None
                if _INITIALS.fullmatch(word) and free(w_start, start) and not sentence_start:
                    start = w_start  # "Justice [R.K.] Osk": initials before the surname
                    continue
                if word[-1:] in ".,;:!?)\"”’'" or not (_is_name_word(word, text) and free(w_start, start)):
                    break
                if sentence_start or _office_word_before_full_name(word, text[start:end]):
                    break
                start = w_start
            particle = _NAME_PARTICLE_AFTER.match(text[end:end + 40])
            if particle and _is_name_word(particle.group(1), text) and free(end, end + particle.end()):
                end += particle.end()  # "[Joaquim Silva] e Luna", "[Ana Lorne] de Souza"
            for _ in range(0 if ends_in_possessive(text[start:end]) else 2):  # "Ivo Tarnel's [Film]"
                m = _WORD_AFTER.match(text[end:end + 40])
                if not m:
                    break
                word = m.group(1)
                bare = word.rstrip(".,;:!?)\"”’'")
                if not _is_name_word(word, text) or not free(end, end + 1 + len(bare)):
                    break
                end = end + 1 + len(bare)
                if bare != word:
                    break  # punctuation ends the name
            # Keep a personal honorific just before the span: it is evidence of a person.
            m = _WORD_BEFORE.search(text[max(0, start - 12):start])
            if m and m.group(1).lower().replace(".", "") in HONORIFICS and free(start - len(m.group(1)) - 1, start):
                start -= len(m.group(1)) + 1
        out.append((start, end, label))
    return out


def acronym_spans(text: str, spans: list[Span]) -> list[Span]:
    """Repair the name before a bracketed acronym from the acronym's letters.

    For "… The Estonian Arts Society (TEAS)" the words before the bracket whose
    initials spell the acronym become one ORG span, replacing the fragments the
    model produced there. A span that already matches exactly is kept as it is.
    """
    out = list(spans)
    for m in _BRACKET.finditer(text):
        acronym = m.group(1)
        word_like = 4 <= len(acronym) <= 6 and acronym.isalpha() and acronym[1:].islower()  # "(Sagia)"
        letters = len(acronym) if word_like else sum(1 for c in acronym if c.isupper())
        if letters < 2:
            continue
        window_start = max(0, m.start() - 160)
        words = [(w.start() + window_start, w.end() + window_start, w.group())
                 for w in _WORD.finditer(text[window_start:m.start()])]
        # The sequence must end right before the bracket.
        if not words or text[words[-1][1]:m.start()].strip():
            continue
        best = None
        for k in range(2, min(len(words), letters + 4) + 1):  # shortest match: "NRT" needs no "the"
            seq = words[-k:]
            if seq[0][2][:1].isupper() and is_acronym(acronym, [w for _, _, w in seq]):
                best = (seq[0][0], seq[-1][1])
                break
        if best is None:
            continue
        s, e = best
        if any(a <= s and e <= b for a, b, _ in out):
            continue  # one span already covers the name
        overlapping = {lab for a, b, lab in out if a < e and s < b}
        label = overlapping.pop() if len(overlapping) == 1 and overlapping <= {"ORG", "GPE", "LOC"} else "ORG"
        out = [(a, b, lab) for a, b, lab in out if not (a < e and s < b)]
        out.append((s, e, label))
    return sorted(out)


#: A word in capitals, maybe with a short hyphenated tail: "VELCA", "PML-V", "GPF".
_CAPS_WORD = re.compile(r"(?<![\w&.’'/-])([A-Z]{2,6}(?:-[A-Z]{1,3})?)(?![\w&’'/]|\.\w|-\w)")
_ROMAN = re.compile(r"^[IVXLC]+$")


@lru_cache(maxsize=1)
def _currency_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


def untagged_acronyms(text: str, spans: list[Span]) -> list[Span]:
    """Add an ORG span for a word in capitals the model left untagged in running text ("the
    VELCA said", "a PML-V leader"): in news an acronym is mostly a body. Not: a common-noun
    abbreviation ("CEO", "MoU"), a known place ("UK"), a currency code, a Roman numeral, a unit
    after a number ("50 MW"), or a word in a line written in capitals (a headline, a dateline)."""
    from .names import is_common_word
    from .types import is_not_a_name

    taken = sorted((a, b) for a, b, _ in spans)
    starts = [a for a, _ in taken]
    out = list(spans)
    for m in _CAPS_WORD.finditer(text):
        s, e = m.span(1)
        word = m.group(1)
        i = bisect_left(starts, e)
        if any(b > s for _, b in taken[max(0, i - 3):i]) or is_not_a_name(word) or _ROMAN.match(word) \
                or gazetteer.kind(word) or gazetteer.country_alias(word):
            continue
        line_start = text.rfind("\n", 0, s) + 1
        line_end = text.find("\n", e)
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        letters = [c for c in line if c.isalpha()]
        if sum(c.isupper() for c in letters) > 0.5 * len(letters) or re.search(r"\d\s*$", text[max(0, s - 4):s]) \
                or re.search(r"(?<![\w’'-])(?!(?:The|A|An) $)[A-Z][\w’'-]* $", text[max(0, s - 30):s]):
            continue  # a headline or dateline in capitals; "50 MW"; "Footwork FC": the end of a longer name
        if word in _currency_codes() or (len(word) >= 4 and is_common_word(word.lower())):
            continue  # "PHOTO", "VIDEO": a word set in capitals
        out.append((s, e, "ORG"))
    return sorted(out)


def intro_places(text: str, spans: list[Span]) -> list[Span]:
    """Add places the model missed after "the town of", "the village of" …: "the town of Třebovín".

    After a plural ("the towns of A, B and C") every listed name is a place: a span
    lying within a listed name takes the name's range and the place label.
    """
    out = list(spans)
    for m in PLACE_INTRO.finditer(text):
        s, e = m.span(1)
        if not any(a < e and s < b for a, b, _ in out):
            out.append((s, e, "GPE"))
    for s, e in place_list_items(text):
        inside = [span for span in out if s <= span[0] and span[1] <= e]
        others = [span for span in out if span not in inside]
        if not any(a < e and s < b for a, b, _ in others):  # nothing sticks out of the listed name
            out = others + [(s, e, "GPE")]
    return sorted(out)


#: Labels of names (not dates or numbers), whose spans the rules below reshape.
_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}


def trim_lowercase_tail(text: str, spans: list[Span]) -> list[Span]:
    """Drop everyday words the model ran onto the end of a name: "[Associated Press news agency]".

    Trims the trailing all-lowercase words when a capitalised word then ends the name
    and none of them is a particle, so "Académie des sciences" stays whole; a single
    head noun stays too ("Rafidain bank" is the bank's name written casually).
    """
    out = []
    for start, end, label in spans:
        last_space = text.rfind(" ", start, end)
        # Most spans end in a capitalised word: only the others are looked at closely.
        if label in _NAME_LABELS and last_space > start and text[last_space + 1:last_space + 2].islower():
            words = list(re.finditer(r"\S+", text[start:end]))
            keep = len(words)
            while keep > 1 and words[keep - 1].group().isalpha() and words[keep - 1].group().islower():
                keep -= 1
            tail = [w.group() for w in words[keep:]]
            # "Rafidain bank" is the bank's name written casually: one head noun stays.
            casual_head = len(tail) == 1 and tail[0] in ORG_HEADS
            if keep < len(words) and words[keep - 1].group()[:1].isupper() and not set(tail) & _NAME_PARTICLES \
                    and not casual_head:
                end = start + words[keep - 1].end()
        out.append((start, end, label))
    return out


#: Lowercase words that belong inside names: "Académie des sciences", "Ministry of Water and …".
_NAME_PARTICLES = frozenset(
    "of and for the on in at to de des du la le les di da del della dos das von van der den y e et und zu am".split()
)


_COMMA_JOIN = re.compile(r",\s+(?:and\s+)?")
_POSSESSIVE_JOIN = re.compile(r"['’]s\s+")


#: "Ministry of Transport & Ministry of Health": two bodies joined by "&" or "and", each opening
#: with its head noun and "of"/"for".
_TWO_BODIES = re.compile(
    r"^((?:[Tt]he\s+)?([A-Z][a-z]+)\s+(?:of|for)\s+.+?)\s+(?:&|and)\s+(([A-Z][a-z]+)\s+(?:of|for)\s+.+)$")


def _two_headed_bodies(name: str, start: int) -> list[tuple[int, int]]:
    """Cuts for "[Ministry of Transport & Ministry of Health]" (both parts open with a head noun;
    "Department of Health and Human Services" is one body)."""
    m = _TWO_BODIES.match(name)
    if not m or m.group(2).lower() not in ORG_HEADS or m.group(4).lower() not in ORG_HEADS:
        return []
    return [(start + m.start(1), start + m.end(1)), (start + m.start(3), start + m.end(3))]


def split_joined_organisations(text: str, spans: list[Span]) -> list[Span]:
    """Split one ORG span that holds two organisations, each with its own head noun:
    "[Department of Energy, Department of Agriculture]", "[Department of Defense’s Office of
    Naval Research]". "Children's Hospital" or "St John's College" stay whole: the part
    before the possessive has no head noun."""
    out = []
    for start, end, label in spans:
        name = text[start:end]
        cuts = []
        if label == "ORG" and ("," in name or "s " in name):
            bare = re.sub(r"^(?:the|The)\s+", "", name)
            offset = start + len(name) - len(bare)
            for separator in (_COMMA_JOIN, _POSSESSIVE_JOIN):
                pieces, pos = [], 0
                for m in separator.finditer(bare):
                    pieces.append((pos, m.start()))
                    pos = m.end()
                pieces.append((pos, len(bare)))
                if len(pieces) > 1 and all(has_org_head(bare[a:b]) for a, b in pieces):
                    cuts = [(offset + a, offset + b) for a, b in pieces]
                    break
        if label == "ORG" and not cuts:
            cuts = _two_headed_bodies(name, start)
        if cuts:
            out.extend((a, b, label) for a, b in cuts)
        else:
            out.append((start, end, label))
    return out


def join_adjacent_surname(text: str, spans: list[Span]) -> list[Span]:
    """Join a PERSON span and the one-word span right after it: "[Wiratmo Sukarno] [Hadiningrat]'s
    government", where the model gave the surname a label of its own; not after a possessive
    ("[Ivo Tarnel's] [Quietude]", a film)."""
    out: list[Span] = []
    for span in sorted(spans):
        if out:
            a, b, label = out[-1]
            s, e, other = span
            word = text[s:e]
            if label == "PERSON" and s == b + 1 and text[b] == " " and other in ("PERSON", "ORG", "NORP") \
                    and " " not in word and _is_name_word(word, text) and not ends_in_possessive(text[a:b]):
                out[-1] = (a, e, "PERSON")
                continue
        out.append(span)
    return out


def join_split_organisation(text: str, spans: list[Span]) -> list[Span]:
    """Join "[the Velin] [Labour Party]": an ORG or NORP span, one space, then an ORG span ending in a
    head noun is one organisation the model cut in two (a name never follows another without a word
    or a comma between)."""
    out: list[Span] = []
    for span in sorted(spans):
        if out:
            a, b, label = out[-1]
            s, e, other = span
            if other == "ORG" and label in ("ORG", "NORP") and s == b + 1 and text[b] == " " \
                    and text[s].isupper() and has_org_head(text[s:e]) and not has_org_head(text[a:b]):
                # (not "German [wpd AG]": a lowercase name opens a company of its own)
                out[-1] = (a, e, "ORG")
                continue
        out.append(span)
    return out


#: The words after which an organisation's name cannot end: "the Office of the Prime [Minister]".
_OPEN_ENDINGS = frozenset("prime vice the of for and".split())
_NEXT_TITLE_WORDS = re.compile(r"^ ((?:[A-Z][a-z]+)(?: [A-Z][a-z]+){0,2})\b(?![\w'’-])")


def extend_cut_organisations(text: str, spans: list[Span]) -> list[Span]:
    """Extend an organisation cut after an opening word ("the Office of the Prime") over the
    capitalised words that follow it, when no other span starts there."""
    starts = {s for s, _, _ in spans}
    out = []
    for a, b, label in spans:
        words = text[a:b].split()
        nxt = _NEXT_TITLE_WORDS.match(text[b:b + 60]) \
            if label == "ORG" and words and words[-1].lower() in _OPEN_ENDINGS else None
        if nxt and b + 1 not in starts:
            b += nxt.end()
        out.append((a, b, label))
    return out


#: The last item of a list, left untagged: "A, B and [C]".
_LAST_ITEM = re.compile(r"^,? (?:and|or) ((?:the )?[A-Z][\w&'’-]*(?: [A-Z][\w&'’-]*){0,3})(?![\w&'’-])")


def complete_lists(text: str, spans: list[Span]) -> list[Span]:
    """"with Velcom Mobile, Velcom Telecom and Velcom Unicom": when two spans of one label
    are listed with a comma, an untagged capitalised name closing the list gets that label."""
    ordered = sorted(spans)
    out = list(ordered)
    for (a1, b1, l1), (a2, b2, l2) in zip(ordered, ordered[1:]):
        if l1 != l2 or l1 not in ("ORG", "GPE") or not re.fullmatch(r",\s+", text[b1:a2]):
            continue
        m = _LAST_ITEM.match(text[b2:b2 + 80])
        if not m:
            continue
        s, e = b2 + m.start(1), b2 + m.end(1)
        if text.startswith("the ", s):
            s += 4
        if not any(a < e and s < b and not (s <= a and b <= e) for a, b, _ in out):
            # "[Velcom] Unicom": a shorter span inside the item (its place word) gives way
            out = [span for span in out if not (s <= span[0] and span[1] <= e)] + [(s, e, l1)]
    return sorted(out)


#: A dash with a space on one side at least: no name holds one ("Ana Lorne- Cabinet Secretary").
_LOOSE_DASH = re.compile(r"\s[-–—]+\s?|[-–—]+(?:\s|$)")
#: "Ana Lorne/VWA": a photographer's name and the agency, in a credit.
_CREDIT_SLASH = re.compile(
    r"^([A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+)+)/([A-Z][A-Z&.-]{1,9}|[A-Z][\w&.-]+(?: [A-Z][\w&.-]+){0,2})$")
#: "VELWIRE/Ana Lorne": the agency in capitals first, then the photographer.
_AGENCY_FIRST_CREDIT = re.compile(r"^([A-Z][A-Z&.-]{1,11})/([A-Z][a-z][\w'’.-]*(?: [A-Z][\w'’.-]+)+)$")


#: "Osk/VWA" right after a person's span: the surname and agency of a credit cut in two.
_CUT_CREDIT = re.compile(r"^[A-Z][\w'’.-]+/[A-Z]")


def cut_at_loose_dashes(text: str, spans: list[Span]) -> list[Span]:
    """Cut a span at a dash with a space beside it ("[Ana Lorne- Cabinet] Secretary" -> "Ana
    Lorne"), and split a credit "Ana Lorne/VWA" or "VELWIRE/Ana Lorne" into the person and the agency."""
    out: list[Span] = []
    for a, b, label in spans:
        name = text[a:b]
        if _CUT_CREDIT.match(name) and out and out[-1][2] == "PERSON" and out[-1][1] == a - 1 and text[a - 1] == " ":
            a = out.pop()[0]  # "[Ana Lorne] [Osk/VWA]": the model cut the credit after the given names
            name = text[a:b]
        dash = _LOOSE_DASH.search(name)
        if dash and dash.end() == len(name) and text[b:b + 1].isalnum():
            dash = None  # "[Velin-]Osk": the model cut a hyphenated name, which a later join mends
        if dash and dash.start() > 0:
            b = a + dash.start()
            name = text[a:b]
        credit = _CREDIT_SLASH.match(name)
        agency_first = _AGENCY_FIRST_CREDIT.match(name)
        if credit:
            out.append((a, a + credit.end(1), "PERSON"))
            out.append((a + credit.start(2), b, "ORG"))
        elif agency_first:
            out.append((a, a + agency_first.end(1), "ORG"))
            out.append((a + agency_first.start(2), b, "PERSON"))
        elif name.strip():
            out.append((a, b, label))
    return out


#: The rest of a list of fields after a body's name: ", Petroleum and Natural Gas", " and Gender".
_FIELD_TAIL = re.compile(
    r"^((?:,\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})*,?\s+(?:and|&)\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})"
    r"(?![\w'’-])")
_HEAD_OF = re.compile(r"\b([A-Za-z]+)\s+(?:of|for|on)\s+")


def extend_field_lists(text: str, spans: list[Span]) -> list[Span]:
    """"[Ministry of Mines], Petroleum and Natural Gas", "[Ministry of Public Service] and [Gender]": a
    body named "<head noun> of <field>" goes on over a list of further fields, made of everyday
    words only (a name or a place there would be a body or place of its own: "… of Health and Osk")."""
    from .phrases import everyday_phrase

    result: list[Span] = []
    skip_until = -1
    for a, b, label in sorted(spans):
        if a < skip_until:
            continue  # swallowed by the list before
        head = _HEAD_OF.search(text[a:b]) if label == "ORG" else None
        tail = _FIELD_TAIL.match(text[b:b + 160]) if head and head.group(1).lower() in ORG_HEADS else None
        if tail and everyday_phrase(re.sub(r"\s+(?:and|&)\s+|,\s+", " ", tail.group(1))):
            b += tail.end()
            skip_until = b
        result.append((a, b, label))
    return result


def join_connectors(text: str, spans: list[Span]) -> list[Span]:
    """Join a span cut after "and"/"of"/"for" with the span right after it.

    "[Ministry of Water and] [Lake Basins]" becomes one name with the first span's label.
    """
    out: list[Span] = []
    for span in sorted(spans):
        if out:
            a, b, label = out[-1]
            if re.search(r"\s(?:and|of|for|&|de|du|des)$", text[a:b]) and not text[b:span[0]].strip() \
                    and "\n" not in text[b:span[0]]:
                out[-1] = (a, span[1], label)
                continue
        out.append(span)
    return out


#: A legal form tagged alone: "[E.ON] [AG]", "wpd [AG]" (the model cuts a company before it).
_LEGAL_FORM_ALONE = re.compile(r"^(?:AG|GmbH|NV|BV|plc|PLC|Ltd|Inc|LLC|SpA|S\.A\.|Pty|Bhd|Tbk)\.?$")  # not "SA", "SE"
#: The word right before a legal form: a company's name, even in lowercase ("wpd AG").
_WORD_BEFORE_FORM = re.compile(r"([\w.&’'-]+)\s$")
#: An untagged given name and "and" right before an organisation: "Walter and [Eliza Tarn Institute]".
_GIVEN_NAME_AND = re.compile(r"(?<![\w’'-])([A-Z][a-z]+)\s+(?:and|&)\s+$")
#: "<person> and Sons", "<person> & Co": a family firm.
_FAMILY_FIRM = re.compile(r"^\s+(?:and|&)\s+(?:Sons?|Daughters?|Brothers|Bros\.?|Co\.?|Partners|Associates)\b")


def join_company_parts(text: str, spans: list[Span]) -> list[Span]:
    """Mend companies the model cut in two:

    * "[E.ON] [AG]", "wpd [AG]": a legal form tagged alone joins the name (or the word no dictionary
      knows) right before it;
    * "[David Osk] and [Sons]": a person's name, "and Sons" / "& Co", is one family firm;
    * "[Walter] and [Eliza Tarn Institute]": one given name, "and", then an organisation opening with a
      given name is one body named after two people ("Bill & Melinda … Foundation").
    """
    from .names import is_given_name

    out: list[Span] = []
    for a, b, label in sorted(spans):
        name = text[a:b]
        prev = out[-1] if out else None
        gap = text[prev[1]:a] if prev else ""
        if _LEGAL_FORM_ALONE.match(name):
            if prev and gap == " ":
                out[-1] = (prev[0], b, "ORG")
                continue
            word = _WORD_BEFORE_FORM.search(text[max(0, a - 40):a])
            if word and not (prev and prev[1] > a - len(word.group(0))) and not is_common_word(word.group(1)):
                out.append((a - len(word.group(0)), b, "ORG"))
                continue
        if prev and prev[2] == "PERSON" and label == "ORG" and re.fullmatch(r"\s+(?:and|&)\s+", gap):
            first = name.split()[0]
            if _FAMILY_FIRM.match(gap + name) or (" " not in text[prev[0]:prev[1]] and is_given_name(text[prev[0]:prev[1]])
                                                  and " " in name and is_given_name(first)):
                out[-1] = (prev[0], b, "ORG")
                continue
        couple = _GIVEN_NAME_AND.search(text[max(0, a - 30):a]) if label == "ORG" and " " in name else None
        if couple and is_given_name(couple.group(1)) and is_given_name(name.split()[0]) \
                and not (prev and prev[1] > a - len(couple.group(0))):
            out.append((a - len(couple.group(0)), b, "ORG"))  # "Walter and [Eliza Tarn Institute]" untagged
            continue
        firm = _FAMILY_FIRM.match(text[b:b + 20]) if label == "PERSON" else None
        if firm and not any(x < b + firm.end() and b < y for x, y, _ in spans if x >= b):
            out.append((a, b + firm.end(), "ORG"))  # "[David Osk] and Sons" with "Sons" untagged
            continue
        out.append((a, b, label))
    return out


_TITLED = re.compile(
    r"\b([A-Z][a-z]+\.?|H\.E\.)\s+((?:[A-ZÀ-ÖØ-Þ][\w’'\-]*[a-zß-öø-ÿ]\s+){0,2}[A-ZÀ-ÖØ-Þ][\w’'\-]*[a-zß-öø-ÿ])"
)


def titled_persons(text: str, spans: list[Span]) -> list[Span]:
    """Add a person the model missed after a title or honorific: "Mayor Anna Kowal said …".

    After a personal honorific one name word is enough ("Mrs Kowal"); after a title
    ("Mayor", "Ambassador") two or three name words are needed; after a role word
    ("Manager", "Striker", which are also surnames) the first must be a known given name.
    """
    from .names import is_given_name

    out = list(spans)
    pos = 0
    while (m := _TITLED.search(text, pos)) is not None:
        # A match whose first word is no title ("Sunday. Manager Mikel Arteta") may hide one that is.
        pos = m.start(2)
        title = m.group(1).lower().replace(".", "")
        words = m.group(2).split()
        if title in HONORIFICS and (title not in ("he", "m") or "." in m.group(1)):
            pass
        elif title in TITLES and len(words) >= 2:
            pass
        elif title in ROLE_WORDS and len(words) >= 2 and is_given_name(words[0]):
            pass  # "Manager Mikel Arteta", "Striker Kofi Mensah": a role word, then a known given name
        else:
            continue
        s, e = m.start(1), m.end(2)
        if any(a < e and s < b for a, b, _ in out):
            continue
        if not all(_is_name_word(w, text) for w in words):
            continue
        out.append((s, e, "PERSON"))
        pos = e
    return sorted(out)


def split_acronym_person(text: str, spans: list[Span]) -> list[Span]:
    """Split "VELCO Anna Kowal" (one ORG span) into the organisation and the person.

    Applies to an ORG span whose first word is an all-caps acronym and whose other
    two or three words are name words starting with a known given name.
    """
    from .names import is_given_name

    out = []
    for start, end, label in spans:
        words = text[start:end].split(" ")
        if label == "ORG" and 3 <= len(words) <= 4 and words[0].isupper() and 2 <= len(words[0]) <= 8 \
                and is_given_name(words[1]) and all(_is_name_word(w, text) for w in words[1:]):
            cut = start + len(words[0])
            out += [(start, cut, "ORG"), (cut + 1, end, "PERSON")]
        else:
            out.append((start, end, label))
    return out


def split_office_holder(text: str, spans: list[Span]) -> list[Span]:
    """"[Velin Space Agency Administrator Dalen Morrow]" -> the organisation and the person.

    A title word inside a PERSON or ORG span, after words that name an organisation
    (an acronym or a name ending in a head noun), ends the organisation; the name
    words after the title, if any, are the office holder. "[VSA Administrator]" alone
    is the organisation.
    """
    out = []
    for start, end, label in spans:
        name = text[start:end]
        if label not in ("PERSON", "ORG") or " " not in name or _OFFICE_TITLES.isdisjoint(name.lower().split()):
            out.append((start, end, label))  # the cheap test first: most spans hold no title
            continue
        words = list(re.finditer(r"\S+", name))
        cut = next((k for k in range(1, len(words)) if words[k].group()[:1].isupper()
                    and words[k].group().lower().strip(".,") in _OFFICE_TITLES), None)
        org = text[start:start + words[cut - 1].end()] if cut else ""
        bare_org = re.sub(r"^[Tt]he\s+", "", org)
        if not cut or not (bare_org.isupper() and " " not in bare_org or has_org_head(bare_org)):
            out.append((start, end, label))
            continue
        out.append((start, start + words[cut - 1].end(), "ORG"))
        holder = words[cut + 1:]
        if holder and all(_is_name_word(w.group(), text) for w in holder):
            out.append((start + holder[0].start(), end, "PERSON"))
    return out


#: Titles that end an organisation's name in "<organisation> <title> <name>".
_OFFICE_TITLES = (TITLES - {"general", "chief", "chair", "officer", "major", "sister", "brother", "father",
                            "saint", "st", "justice"}) | {"head", "boss"}


#: "…, Velwire reports." / "…, Velwire has learned.": the news agency credited at the end of a sentence.
_CREDIT = re.compile(r",\s+([A-Z][\w-]*[A-Za-z])\s+(?:reports|reported|has learned|has learnt)[.:]")


def credited_agencies(text: str, spans: list[Span]) -> list[Span]:
    """Add the agency in "…, Velwire reports." when the model tagged nothing there.

    One capitalised word that is not a known given name (", Anna reports" is a person).
    """
    from .names import is_given_name

    out = list(spans)
    for m in _CREDIT.finditer(text):
        s, e = m.span(1)
        if not any(a < e and s < b for a, b, _ in spans) and not is_given_name(m.group(1)):
            out.append((s, e, "ORG"))
    return sorted(out)


def repair_spans(text: str, spans: list[Span]) -> list[Span]:
    """All span repairs in order: line cuts, joins, acronym-guided names, person extension, missed places."""
    spans = cut_at_loose_dashes(text, split_lines(text, spans))
    spans = extend_hyphenated(text, spans)
    spans = join_dashed(text, spans)
    spans = extend_field_lists(text, join_connectors(text, join_company_parts(text, spans)))
    spans = join_split_organisation(text, spans)
    spans = join_prepositions(text, spans)
    spans = head_of_place(text, spans)
    spans = trim_lowercase_tail(text, spans)  # after the joins, which look for a trailing "and"/"of"
    spans = split_at_legal_forms(text, split_joined_organisations(text, spans))
    spans = split_acronym_person(text, spans)
    spans = split_at_spaced_slash(text, split_at_honorifics(text, split_office_holder(text, spans)))
    spans = untagged_acronyms(text, acronym_spans(text, spans))
    spans = possessive_works(text, spans)
    spans = given_name_spans(text, spans)
    spans = join_adjacent_surname(text, spans)
    spans = extend_persons(text, spans)
    spans = titled_persons(text, spans)
    spans = credited_agencies(text, spans)
    spans = credit_spans(text, dateline_spans(text, spans))
    spans = extend_cut_organisations(text, spans)  # after the title splits, which would cut it again
    spans = complete_lists(text, spans)
    spans = company_spans(text, intro_places(text, spans), _not_a_company)
    spans = team_spans(text, spans, _not_a_team)
    return state_abbreviations(text, missed_venues(text, missed_areas(text, spans)))


def _not_a_team(name: str) -> bool:
    """"X beat Y" in a match report: any name but one opening with a given name, a title or a function
    word ("They beat …"); common words stay candidates, as many clubs are named with one."""
    from .names import NOT_NAME_WORDS, is_given_name

    first = name.split()[0]
    return is_given_name(first) or first.lower() in NOT_NAME_WORDS or first.lower() in TITLES or \
        first.lower() in HONORIFICS


def _not_a_company(name: str) -> bool:
    """Names "X shares" / "a spokesman for X" cannot add as an organisation: given names,
    known places and large cities, common words ("Its", "Bank"), titles."""
    from .names import NOT_NAME_WORDS, is_common_word, is_given_name

    words = name.split()
    return (is_given_name(words[0]) or gazetteer.is_area(name) or all(is_common_word(w) for w in words)
            or gazetteer.is_city(name, 100_000)  # "Velinburg shares": a city's market
            or words[0].lower() in NOT_NAME_WORDS or words[0].lower() in TITLES)
