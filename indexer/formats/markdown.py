"""Markdown: flat YAML front matter for metadata, markdown-it-py tokens to plain text."""
from __future__ import annotations

import re
from functools import lru_cache

from indexer.metadata import parse_date

from .base import RawDocument, Unreadable
from .html import html_fragment_text
from .text import decode, one_line

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FRONT_FIELD = re.compile(r"^([A-Za-z_]+)\s*:\s*(.*?)\s*$", re.M)


def read_markdown(data: bytes, source: str, digest: str) -> list[RawDocument]:
    """A ``.md`` file: one document; title, date and URL from front matter when present."""
    text = decode(data)
    fields: dict[str, str] = {}
    if match := _FRONT_MATTER.match(text):
        # YAML front matter (Jekyll, Hugo): only flat "key: value" lines are needed here.
        fields = {k.lower(): v.strip("\"'") for k, v in _FRONT_FIELD.findall(match.group(1))}
        text = text[match.end():]
    plain = markdown_to_text(text)
    if not plain:
        raise Unreadable("empty file")
    date = fields.get("date") or fields.get("published")
    return [RawDocument(source, digest, plain, title=one_line(fields.get("title")),
                        published=parse_date(date) if date else None,
                        url=one_line(fields.get("url") or fields.get("canonical_url")))]


@lru_cache(maxsize=1)
def _markdown_parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def markdown_to_text(source: str) -> str:
    """Markdown to plain text: markup dropped, one block per paragraph, list items one per line."""
    out: list[str] = []
    tight = False  # inside a tight list item: consecutive items go on consecutive lines
    row: list[str] | None = None
    for token in _markdown_parser().parse(source):
        if token.type == "paragraph_open":
            tight = token.hidden
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            out.append(("\n" if out and out[-1] != "\n\n" else "") + " | ".join(row))
            row = None
        elif token.type == "inline":
            text = _inline_text(token.children or [])
            if row is not None:
                row.append(text.replace("\n", " "))
            elif text:
                out += [text, "\n" if tight else "\n\n"]
            tight = False
        elif token.type in ("fence", "code_block"):
            out += [token.content.rstrip("\n"), "\n\n"]
        elif token.type == "html_block":
            out += [html_fragment_text(token.content), "\n\n"]
        elif token.type in ("table_close", "bullet_list_close", "ordered_list_close") and out:
            out[-1] = "\n\n" if out[-1] in ("\n", "\n\n") else out[-1] + "\n\n"
    return re.sub(r"\n{3,}", "\n\n", "".join(out)).strip()


def _inline_text(children) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)  # the alt text
    return "".join(parts).strip()
