"""Span repair: names the model cut at a hyphen, a dash or a preposition.

The small model's tokenizer splits "Saint-Aubrel-sur-Osk" at its hyphens and
often stops an organisation's name before its "of"/"on" phrase ("[the Working
Group] on [Coastal Relations]") or its country ("[Anglo]-[Velin Friendship
Group]"). Each function takes and returns raw spans ``(start, end, label)``.
"""
from __future__ import annotations

import re

from .types import ORG_HEADS

Span = tuple[int, int, str]

#: "-sur-Osk", "-upon-Avon": the rest of a hyphenated place name after its first part. A lowercase
#: particle is required: "Velin-based" is no name, and "Velin-Osk" is more often a pair ("the
#: Velin-Osk talks") than one name.
_HYPHEN_TAIL = re.compile(
    r"^(?:[-‑](?:sur|sous|en|le|la|les|de|du|des|di|da|del|upon|on|under|in|am|an|im|bei|by|lès|lez|aux))+"
    r"[-‑][A-ZÀ-ÖØ-Þ][^\W\d_]+"
)
#: Name parts joined by a dash without spaces: "Anglo–Velin", "Velin-Osk".
_DASH_GAP = re.compile(r"^[-‑–—]$")
#: Between an organisation and the rest of its name: "… Committee on [Work]", "… Council of [Europe]".
_PREPOSITION_GAP = re.compile(r"^\s+(of|for|on)\s+(?:the\s+)?$")
#: "… Delegation to [the UN]": the diplomatic missions named after the body they are sent to.
_MISSION_GAP = re.compile(r"^\s+to\s+(?:the\s+)?$")
_MISSION_HEADS = frozenset("delegation mission representation".split())
#: "the Embassy of [Velin]": a capitalised head noun right before "of" and a place span.
_HEAD_OF = re.compile(r"\b[Tt]he\s+([A-Z][a-z]+)\s+of\s+$")
#: Head nouns that also name a part of a place or a thing ("the Centre of Velin", "the Post of …").
_SPATIAL_HEADS = frozenset("centre center front post press times band division service services office".split())


def _last_word(text: str) -> str:
    words = text.split()
    return words[-1].lower() if words else ""


def extend_hyphenated(text: str, spans: list[Span]) -> list[Span]:
    """Grow a span over the rest of its hyphenated name: "[Montvel]-sur-Osk" -> "Montvel-sur-Osk"."""
    out = []
    for i, (start, end, label) in enumerate(spans):
        m = _HYPHEN_TAIL.match(text[end:end + 60])
        if m:
            new_end = end + m.end()
            if not any(a < new_end and end < b for j, (a, b, _) in enumerate(spans) if j != i):
                end = new_end
        out.append((start, end, label))
    return out


def join_dashed(text: str, spans: list[Span]) -> list[Span]:
    """Join "<place or organisation>–<ORG>" written with a dash and no spaces into one organisation.

    "[Anglo]-[Velin Trade Council]" and "[Velin]–[Osk Chamber of Commerce]" name one body;
    two places ("Velin-Osk border") are left alone: that is a pair, not a name.
    """
    out: list[Span] = []
    for span in sorted(spans):
        if out:
            a, b, label = out[-1]
            if span[2] == "ORG" and label in ("ORG", "GPE", "LOC", "NORP") and _DASH_GAP.match(text[b:span[0]]):
                out[-1] = (a, span[1], "ORG")
                continue
        out.append(span)
    return out


def join_prepositions(text: str, spans: list[Span]) -> list[Span]:
    """Join an organisation cut before its "of"/"for"/"on" phrase with the name after it.

    "[the Working Group] on [Coastal Relations]" and "[the Council] of [Velin]" become
    one organisation when the first span ends in an organisational head noun (before a
    place, when it is only that head noun);
    "[the Permanent Mission] to [the UN]" too for delegations and missions.
    """
    out: list[Span] = []
    for span in sorted(spans):
        if out:
            a, b, label = out[-1]
            gap = text[b:span[0]]
            if label == "ORG" and span[2] in ("ORG", "GPE", "LOC") and len(gap) < 12 and "\n" not in gap:
                head = _last_word(text[a:b])
                # Before a place only a bare head joins ("[the Council] of [Velin]"): in "[Osk Family Trust]
                # of [Velin]" the place says where the trust is, it is not part of its name.
                bare = len(re.sub(r"^[Tt]he\s+", "", text[a:b]).split()) == 1
                if head in ORG_HEADS and (span[2] == "ORG" or bare) \
                        and (_PREPOSITION_GAP.match(gap) or (head in _MISSION_HEADS and _MISSION_GAP.match(gap))):
                    out[-1] = (a, span[1], "ORG")
                    continue
        out.append(span)
    return out


def head_of_place(text: str, spans: list[Span]) -> list[Span]:
    """Add "the Embassy of [Velin]": a capitalised head noun + "of" + a place span is an organisation.

    Only organisational head nouns ("Embassy", "University", "Ministry"), only after
    "the", and only when the head word is not inside another span.
    """
    out = list(spans)
    for i, (start, end, label) in enumerate(spans):
        if label not in ("GPE", "LOC"):
            continue
        m = _HEAD_OF.search(text[max(0, start - 40):start])
        if not m or m.group(1).lower() not in ORG_HEADS or m.group(1).lower() in _SPATIAL_HEADS:
            continue
        head_start = start - (len(text[max(0, start - 40):start]) - m.start(1))
        if any(a < start and head_start < b for a, b, _ in spans):
            continue
        out[i] = (head_start, end, "ORG")
    return sorted(out)
