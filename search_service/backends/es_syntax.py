"""The search box's syntax → Elasticsearch ``simple_query_string`` syntax (pure).

Users type the syntax the embedded engine reads: words (all required), ``OR``,
``AND``, ``NOT``/``-word``, ``+word``, ``"phrases"``, ``"phrase"~2``,
``word*``, brackets, ``title:word``. ``simple_query_string`` never fails on
bad syntax but spells some operators differently (``|`` for OR) and has no
field prefixes, so the text is rewritten token by token first. Everything it
cannot honour becomes a hint for the user, never an error.
"""
from __future__ import annotations

import re

#: A quoted phrase (optionally signed, optionally with slop, possibly unclosed)
#: or a run of non-space characters.
_TOKEN = re.compile(r'[-+]?"[^"]*(?:"(?:~\d+)?|$)|[^\s"]+|"')
#: Range and set syntax ("[1 TO 5]", "{a TO b}") has no equivalent here.
_RANGE = re.compile(r"[\[{][^\]}]*[\]}]")
#: Field names a user may write before a colon; both search all text here.
_FIELDS = {"title", "text"}


def _has_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


def _add(hints: list[str], hint: str) -> None:
    if hint not in hints:
        hints.append(hint)


def _field_token(token: str, hints: list[str]) -> str:
    """``title:word`` → ``word``; ``foo:bar`` → ``foo bar`` (no such field)."""
    sign = token[0] if token[0] in "+-" else ""
    field, _, rest = token[len(sign):].partition(":")
    if field in _FIELDS:
        return sign + rest
    if field and not field.isdigit():
        _add(hints, f"There is no field {field!r}; searched {field}:{rest} as words.")
    return sign + " ".join(part for part in (field, rest) if part)


def prepare(q: str) -> tuple[str, list[str]]:
    """(query text for ``simple_query_string``, hints). An empty text means
    "match everything"."""
    hints: list[str] = []
    q = q or ""
    if q.count('"') % 2:
        _add(hints, "A quotation mark is not closed; the words were searched anyway.")
    if q.count("(") != q.count(")"):
        _add(hints, "A bracket is not closed; the words were searched anyway.")
    if _RANGE.search(q):
        _add(hints, "Range searches are not supported; that part was ignored.")
        q = _RANGE.sub(" ", q)
    out: list[str] = []
    negate = False
    for token in _TOKEN.findall(q):
        if token.lstrip("+-").startswith('"'):
            if _has_word(token):
                if not re.search(r'.+"(?:~\d+)?$', token.lstrip("+-")):
                    token += '"'  # close an unclosed phrase at the end of the text
                out.append(("-" if negate else "") + token)
            negate = False
            continue
        if token in ("OR", "||", "|"):
            out.append("|")
            continue
        if token in ("AND", "&&"):
            continue  # every word is required anyway
        if token == "NOT":
            negate = True
            continue
        if ":" in token.lstrip("+-")[1:]:
            token = _field_token(token, hints)
        if _has_word(token):
            out.append(("-" if negate and not token.startswith("-") else "") + token)
        elif token and set(token) <= set("()"):
            out.append(token)
        negate = False
    text = " ".join(out)
    if not _has_word(text):
        if q.strip():
            _add(hints, "Nothing searchable was left in the query; showing all documents.")
        return "", hints
    return text, hints


#: A negated phrase or word in prepared text ("-word", '-"two words"'), or a
#: plain phrase (matched first, so a "-" inside quotes is left alone).
_NEGATED = re.compile(r'(?<!\S)-(?:"[^"]*"(?:~\d+)?|\S+)|"[^"]*"(?:~\d+)?')


def positive_part(prepared: str) -> str:
    """The prepared text without its negated words and phrases: what a passage
    can contain and a highlight can mark ("" when nothing positive is left)."""
    rest = _NEGATED.sub(lambda m: " " if m.group().startswith("-") else m.group(), prepared)
    return " ".join(rest.split()) if _has_word(rest) else ""

