"""Organisation cues of business and news copy: "shares in X", "X's chief executive", "A & B".

The small model misses or mistypes many organisations that the words around them
give away: a company whose shares rise, that has a chief executive or a
spokesman, a firm named "Kellwater & Brandt". Generic English cues only.
"""
from __future__ import annotations

import re

Span = tuple[int, int, str]

_AFTER_WORDS = (r"shares|share\s+price|stock|chief\s+executive|chief\s+financial\s+officer|ceo|cfo|"
                r"board\s+of\s+directors|shareholders|spokesman|spokeswoman|spokesperson|headquarters|subsidiary|"
                r"annual\s+report|quarterly|profits?|revenues?|workforce|employees")
_BEFORE_WORDS = (r"shares\s+(?:in|of)|stake\s+in|spokes(?:man|woman|person)\s+for|chief\s+executive\s+of|"
                 r"shareholders?\s+(?:in|of)|takeover\s+of|merger\s+with|subsidiary\s+of|bid\s+for|"
                 # "state-run Velcorp", "privately held Osk": only a business is run, held or listed so
                 r"(?:state|government)[-\s](?:run|owned|controlled|backed)|publicly[-\s](?:listed|traded)|"
                 r"privately[-\s](?:held|owned)|(?:family|majority|wholly)[-\s]owned")
#: A stock exchange and a colon: "(NYSE: VLC)", "(Nasdaq:VLC)", "ASX: VLC".
_EXCHANGE_BEFORE = re.compile(r"\b(?:NYSE|NASDAQ|Nasdaq|TSX|TSXV|ASX|LSE|NSE|BSE|TSE|HKEX|SGX|JSE|OTC)\s*:\s*$")


def is_ticker(text: str, start: int) -> bool:
    """True for a name right after "NYSE:" or another exchange's colon: a ticker symbol, no name."""
    return bool(_EXCHANGE_BEFORE.search(text[max(0, start - 12):start]))


#: Right after a name: what only organisations have ("X's chief executive", "X shares rose", "X, whose
#: CEO …").
ORG_AFTER = re.compile(rf"^(?:['’]s|,\s+whose)?\s+(?:{_AFTER_WORDS})\b", re.IGNORECASE)
#: Trades that name a kind of company: "the Velin mining company", "the Osk law firm".
_TRADES = (r"mining|oil|gas|energy|power|shipping|software|technology|tech|telecoms?|telecommunications|media|"
           r"construction|engineering|logistics|insurance|investment|holding|pharmaceutical|drug|chemical|steel|"
           r"trading|transport|utility|food|textile|property|security|consulting|consultancy|manufacturing|retail|"
           r"cement|sugar|tobacco|timber|rail|bus|car|motor|aviation|aerospace|defence|defense|biotech|internet|"
           r"gaming|betting|advertising|law|accounting|solar|nuclear|coal|copper|gold|lithium|fertiliser|fertilizer|"
           r"dairy|seed|beverage|brewing|airline|airlines|broadcasting|publishing|recruitment|cleaning|catering")
#: Right before a name: "shares in X", "a spokesman for X", "a stake in X", "chief executive of X", "copper
#: producer X" (a trade's producer is a business; a film producer may be a person).
ORG_BEFORE = re.compile(rf"\b(?:{_BEFORE_WORDS}|(?:{_TRADES})\s+(?:producer|exporter|importer|supplier|distributor)s?)"
                        rf"\s+(?:the\s+)?$", re.IGNORECASE)
#: "the Velin mining company", "Osk Holdings firm": the name, then a trade and a company noun.
COMPANY_AFTER = re.compile(rf"^\s+(?:(?:{_TRADES})\s+)?(?:company|firm|corporation|conglomerate|group)\b")
#: The same cues anywhere in a text, each with the name position: before (group 1) or after it.
#: (Case-sensitive, with a capital only where a sentence may open with the word: twice as fast as
#: IGNORECASE over a whole text.)
_AFTER_ANYWHERE = re.compile(
    r"\b(?:[Ss]hares|[Ss]hare\s+price|[Ss]tock|[Cc]hief\s+(?:executive|financial\s+officer)|CEO|CFO|"
    r"[Bb]oard\s+of\s+directors|[Ss]hareholders|[Ss]pokes(?:man|woman|person)|[Hh]eadquarters|[Ss]ubsidiary|"
    r"[Aa]nnual\s+report|[Qq]uarterly|[Pp]rofits?|[Rr]evenues?|[Ww]orkforce|[Ee]mployees)\b")
_BEFORE_ANYWHERE = re.compile(
    r"\b(?:[Ss]hares\s+(?:in|of)|[Ss]take\s+in|[Ss]pokes(?:man|woman|person)\s+for|[Cc]hief\s+executive\s+of|"
    r"[Ss]hareholders?\s+(?:in|of)|[Tt]akeover\s+of|[Mm]erger\s+with|[Ss]ubsidiary\s+of|[Bb]id\s+for)"
    r"\s+(?:the\s+)?(?=[A-Z])")
_NAME_BEFORE = re.compile(r"(?<![\w.’'-])([A-Z][a-zA-Z]+(?:\s+[A-Z][a-zA-Z]+){0,2})(?:['’]s)?\s+$")
_NAME_AFTER = re.compile(r"^([A-Z][a-zA-Z]+(?:\s+[A-Z][a-zA-Z]+){0,2})(?![\w-])")
#: "in X" after these is no place: "shares in X", "a stake in X", "invested in X", "a job in X's office".
NOT_PLACE_BEFORE_IN = re.compile(
    r"\b(?:shares?|stakes?|invest(?:s|ed|ing|ment|ments)?|interests?|holdings?|role|jobs?|positions?|careers?|"
    r"seats?|membership|members?|confidence|faith|listed|traded|trading)\s+in\s+(?:the\s+)?$",
    re.IGNORECASE,
)


#: A share price's move right after a name: "Velcorp rose 2.1%", "Osk Holdings fell 3 per cent".
STOCK_MOVE = re.compile(
    r"^(?:['’]s?)?\s+(?:shares\s+)?(?:rose|fell|gained|added|jumped|slipped|dropped|climbed|declined|surged|"
    r"tumbled|lost|advanced|slid|soared|plunged|eased|sank|rallied|edged\s+(?:up|down|higher|lower))\s+"
    r"(?:by\s+)?(?:about\s+|nearly\s+|almost\s+)?\d+(?:\.\d+)?\s?(?:%|per\s?cent|pc)")


def org_context(text: str, start: int, end: int) -> bool:
    """True when the words around ``text[start:end]`` say it is an organisation ("X's chief executive",
    "X rose 2.1%": a listed company)."""
    after = text[end:end + 40]
    return bool(ORG_AFTER.match(after) or STOCK_MOVE.match(after) or COMPANY_AFTER.match(after)
                or ORG_BEFORE.search(text[max(0, start - 40):start]))


def has_ampersand(name: str) -> bool:
    """"Kellwater & Brandt", "Velin & Co": an ampersand joins the names of a firm, never a person's."""
    words = name.split()
    return len(words) >= 3 and "&" in words[1:-1]


def company_spans(text: str, spans: list[Span], is_excluded) -> list[Span]:
    """Add an ORG span for an untagged capitalised name in an organisation position:
    "Pellworth shares rose", "a spokesman for Velmont". ``is_excluded(name)`` rules out
    given names, known places and common words (so that a capital at a sentence start
    is no cue: "Its shares", "Bank shares"), which the caller knows how to test.
    """
    found = []
    for cue in _AFTER_ANYWHERE.finditer(text):
        window = text[max(0, cue.start() - 60):cue.start()]
        m = _NAME_BEFORE.search(window)
        if m:
            start = cue.start() - len(window) + m.start(1)
            found.append((start, start + len(m.group(1)), m.group(1)))
    for cue in _BEFORE_ANYWHERE.finditer(text):
        m = _NAME_AFTER.match(text[cue.end():cue.end() + 60])
        if m:
            found.append((cue.end(), cue.end() + len(m.group(1)), m.group(1)))
    if not found:
        return spans
    out = list(spans)
    for s, e, name in found:
        if any(a < e and s < b for a, b, _ in out) or is_excluded(name):
            continue
        out.append((s, e, "ORG"))
    return sorted(out)


#: The legal form that ends a company's name ("Inc", "& Co", "plc"): after it, "and" starts another name.
_LEGAL_FORM_AND = re.compile(
    r"(?:\b(?:Inc|Corp|Co|Ltd|LLC|LLP|plc|PLC|AG|SA|NV|SE|GmbH|Limited|Corporation|Incorporated)\.?),?\s+and\s+(?=[A-Z])")


def split_at_legal_forms(text: str, spans: list[Span]) -> list[Span]:
    """"[Velin & Co and Osk Group Inc]": an ORG span in which "and" follows a legal form is two companies."""
    out = []
    for start, end, label in spans:
        name = text[start:end]
        m = _LEGAL_FORM_AND.search(name) if label == "ORG" else None
        if not m:
            out.append((start, end, label))
            continue
        out.append((start, start + len(name[:m.end()].split(" and ")[0].rstrip(", ")), label))
        out.append((start + m.end(), end, label))
    return out
