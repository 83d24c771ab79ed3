"""Turn files into raw documents: walk folders, then read each supported format.

Every problem with an input becomes a :class:`Skipped` entry with a short human
reason, never an exception: one bad file (or one bad JSON Lines record) must not
stop an indexing run, and the run's summary lists what was left out and why.
Readers return the article text plus whatever metadata the *format* states
(HTML ``<title>``, JSON ``"date"``, ...); inferring metadata from plain text is
:mod:`indexer.metadata`'s job.
"""
from __future__ import annotations

import codecs
import datetime as dt
import errno
import hashlib
import io
import json
import logging
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from indexer.metadata import parse_date

SUPPORTED_SUFFIXES = {".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".pdf"}
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
#: Bad records reported one by one per file; the rest are counted in one line.
MAX_RECORD_PROBLEMS = 20


@dataclass
class RawDocument:
    source: str  # the file path as a string (resolved, absolute)
    source_hash: str  # sha256 hex of the file's bytes (same for every record of a JSON/JSONL file)
    text: str  # the article text (visible text only for HTML), normalised newlines (\n), NFC
    record_id: str | None = None  # JSON(L) "id", else "L<n>" (JSONL line) / "R<n>" (JSON list item)
    title: str | None = None  # structured title (HTML <title>/<h1>, JSON "title", Markdown front matter)
    published: dt.date | None = None  # structured date (JSON "date", HTML meta/<time datetime>)
    agency: str | None = None  # JSON "source"
    url: str | None = None  # JSON "url", HTML <link rel=canonical> / og:url


@dataclass
class Skipped:
    source: str
    reason: str  # short human reason, e.g. "unsupported file type .docx"
    fatal: bool = True  # False for partial problems (some records bad, the rest kept)


class _Unreadable(Exception):
    """Raised by a format reader; becomes one fatal :class:`Skipped` with this message."""


def read_paths(paths: Iterable[str | Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument | Skipped]:
    """Every document in the given files and folders (:func:`iter_files` + :func:`read_file`)."""
    for item in iter_files(paths):
        if isinstance(item, Skipped):
            yield item
        else:
            yield from read_file(item, max_bytes=max_bytes)


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | Skipped]:
    """Supported files under the given paths, as absolute paths, in a deterministic order.

    Folders are walked recursively in name order; hidden entries (name starting
    with ".") inside them are ignored. Symbolic links are followed, but a folder
    that leads back to one of its own ancestors is reported as a symlink loop, and
    a file or folder already reached by another path is not listed twice.
    Missing paths, unreadable folders, loops and unsupported files come out as
    :class:`Skipped`.
    """
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()
    for raw in paths:
        yield from _walk(Path(os.path.abspath(Path(raw).expanduser())), seen_files, seen_dirs)


def _walk(top: Path, seen_files: set, seen_dirs: set) -> Iterator[Path | Skipped]:
    # An explicit stack, not recursion: folder depth is up to the user's data.
    stack: list[tuple[tuple[int, int], Iterator[Path]]] = []
    ancestors: set[tuple[int, int]] = set()

    def visit(path: Path) -> Iterator[Path | Skipped]:
        try:
            st = path.stat()
        except OSError as exc:
            yield Skipped(str(path), _os_reason(exc, path))
            return
        if not stat.S_ISDIR(st.st_mode):
            yield from _file_entry(path, st, seen_files)
            return
        key = (st.st_dev, st.st_ino)
        if key in ancestors:
            yield Skipped(str(path), "symlink loop (leads back to a folder above it)")
            return
        if key in seen_dirs:
            return  # already walked through another path
        try:
            with os.scandir(path) as entries:
                names = sorted(e.name for e in entries if not e.name.startswith("."))
        except OSError as exc:
            yield Skipped(str(path), _os_reason(exc, path))
            return
        seen_dirs.add(key)
        ancestors.add(key)
        stack.append((key, iter([path / name for name in names])))

    yield from visit(top)
    while stack:
        key, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            ancestors.discard(key)
        else:
            yield from visit(child)


def _file_entry(path: Path, st: os.stat_result, seen_files: set) -> Iterator[Path | Skipped]:
    if not stat.S_ISREG(st.st_mode):
        yield Skipped(str(path), "not a regular file")
        return
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        yield Skipped(str(path), _unsupported(path))
        return
    key = (st.st_dev, st.st_ino)
    if key not in seen_files:
        seen_files.add(key)
        yield path


def _unsupported(path: Path) -> str:
    return f"unsupported file type {path.suffix.lower()}" if path.suffix else "unsupported file type (no extension)"


def _os_reason(exc: OSError, path: Path) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if exc.errno == errno.ENOENT:
        return "broken symbolic link" if path.is_symlink() else "no such file or directory"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EISDIR:
        return "is a directory"
    return f"cannot read ({exc.strerror or exc})"


def read_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument | Skipped]:
    """The documents in one file (several for JSON/JSONL), or why it was skipped.

    Never raises for bad content or an unreadable file: every problem becomes a
    :class:`Skipped`. Files larger than ``max_bytes`` are skipped unread.
    """
    path = Path(path)
    try:
        source = str(path.resolve())
    except (OSError, RuntimeError):  # a symlink loop cannot be resolved
        source = os.path.abspath(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        yield Skipped(source, _unsupported(path))
        return
    try:
        data = _read_bytes(path, max_bytes)
        if not data.strip():
            raise _Unreadable("empty file")
        items = reader(data, source, hashlib.sha256(data).hexdigest())
    except _Unreadable as exc:
        items = [Skipped(source, str(exc))]
    except Exception as exc:  # noqa: BLE001 - a parser bug on odd input must not stop the run
        items = [Skipped(source, f"could not read {path.suffix.lower()} file ({type(exc).__name__}: {exc})")]
    yield from items


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # opening a FIFO would block forever
            raise _Unreadable("is a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file")
        if st.st_size > max_bytes:
            raise _Unreadable(f"file too large ({_size(st.st_size)}; limit {_size(max_bytes)})")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since stat()
    except OSError as exc:
        raise _Unreadable(_os_reason(exc, path)) from None
    if len(data) > max_bytes:
        raise _Unreadable(f"file too large (more than {_size(max_bytes)})")
    return data


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


# --- text decoding ------------------------------------------------------------------------------

_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufeff]")


def _decode(data: bytes, fallback: str | None = None) -> str:
    """Bytes to normalised text: a BOM picks the encoding, otherwise UTF-8 (or ``fallback``)."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding in (None, "utf-8-sig") and _looks_binary(data):
        raise _Unreadable("not a text file (binary data)")
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        if encoding is None and fallback:
            text = data.decode(fallback, errors="replace")
        else:
            label = "UTF-8" if encoding in (None, "utf-8-sig") else encoding.upper()
            raise _Unreadable(f"not valid {label} text (bad byte at offset {exc.start})") from None
    return _normalise(text)


def _looks_binary(data: bytes) -> bool:
    # Text never holds NUL; a high share of other control bytes also means binary.
    if b"\x00" in data:
        return True
    head = data[:8192]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(head) * 0.1


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL.sub("", text.replace("\x0c", "\n\n"))
    return unicodedata.normalize("NFC", text).strip()


def _one_line(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return unicodedata.normalize("NFC", " ".join(value.split())) or None


# --- plain text and Markdown --------------------------------------------------------------------

def _read_text(data: bytes, source: str, digest: str) -> list[RawDocument]:
    text = _decode(data)
    if not text:
        raise _Unreadable("empty file")
    return [RawDocument(source, digest, text)]


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FRONT_FIELD = re.compile(r"^([A-Za-z_]+)\s*:\s*(.*?)\s*$", re.M)


def _read_markdown(data: bytes, source: str, digest: str) -> list[RawDocument]:
    text = _decode(data)
    fields: dict[str, str] = {}
    if match := _FRONT_MATTER.match(text):
        # YAML front matter (Jekyll, Hugo): only flat "key: value" lines are needed here.
        fields = {k.lower(): v.strip("\"'") for k, v in _FRONT_FIELD.findall(match.group(1))}
        text = text[match.end():]
    plain = _markdown_to_text(text)
    if not plain:
        raise _Unreadable("empty file")
    date = fields.get("date") or fields.get("published")
    return [RawDocument(source, digest, plain, title=_one_line(fields.get("title")),
                        published=parse_date(date) if date else None,
                        url=_one_line(fields.get("url") or fields.get("canonical_url")))]


@lru_cache(maxsize=1)
def _markdown_parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _markdown_to_text(source: str) -> str:
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
            out += [_html_fragment_text(token.content), "\n\n"]
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


# --- HTML ----------------------------------------------------------------------------------------

# Never visible, or page furniture rather than the article.
_DROP = ("script, style, noscript, template, nav, header, footer, aside, form, svg, iframe, head, button, "
         "select, textarea, object, embed, canvas, [hidden], [aria-hidden=true]")
_BLOCKS = {"address", "article", "blockquote", "body", "caption", "dd", "details", "div", "dl", "dt",
           "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "html", "legend",
           "li", "main", "ol", "p", "pre", "section", "summary", "table", "tr", "ul", "center"}
_BREAK = object()
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_DATE_SELECTORS = [
    ('meta[property="article:published_time"]', "content"), ('meta[name="article:published_time"]', "content"),
    ('meta[itemprop="datePublished"]', "content"), ('[itemprop="datePublished"][datetime]', "datetime"),
    ('meta[name="date"]', "content"), ('meta[name="DC.date"]', "content"), ('meta[name="dcterms.date"]', "content"),
    ("time[pubdate][datetime]", "datetime"), ("time[datetime]", "datetime"),
]


def _read_html(data: bytes, source: str, digest: str) -> list[RawDocument]:
    declared = _CHARSET.search(data[:4096])
    fallback = declared.group(1).decode("ascii") if declared else None
    if fallback:
        try:
            codecs.lookup(fallback)
        except LookupError:
            fallback = None
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(_decode(data, fallback=fallback))
    root = _content_root(tree)
    text = _visible_text(root, dropped={n.mem_id for n in root.css(_DROP) if not _keeps_header(n, root)})
    if not text:
        raise _Unreadable("no visible text in HTML page")
    return [RawDocument(source, digest, text, title=_html_title(tree, root), published=_html_date(tree),
                        url=_attr(tree, 'link[rel="canonical"]', "href") or _attr(tree, 'meta[property="og:url"]', "content"))]


def _content_root(tree):
    articles = [a for a in tree.css("article") if not _inside(a, {"aside", "nav", "footer"})]
    if articles:
        return max(articles, key=lambda a: len(a.text(strip=True)))
    return tree.css_first("main") or tree.body or tree.root


def _inside(node, tags: set[str]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


def _keeps_header(node, root) -> bool:
    # Inside <article>/<main> a <header> holds the headline and byline, not site chrome.
    return node.tag == "header" and root.tag in ("article", "main")


def _visible_text(root, dropped: set[int]) -> str:
    """Text of the visible nodes under root, each block on its own paragraph (iterative: any depth)."""
    parts: list[object] = []
    in_pre = 0
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            in_pre -= node.tag == "pre"
            parts.append(_BREAK)
            continue
        if node.is_text_node:
            text = node.text_content or ""
            parts.append(text if in_pre else re.sub(r"\s+", " ", text))
            continue
        if not node.is_element_node or node.mem_id in dropped:
            continue
        tag = node.tag
        if tag == "br":
            parts.append("\n")
            continue
        if tag in _BLOCKS:
            parts.append(_BREAK)
            stack.append((node, True))
            in_pre += tag == "pre"
        elif tag in ("td", "th"):
            parts.append(" ")
        children = []
        child = node.child
        while child is not None:
            children.append((child, False))
            child = child.next
        stack.extend(reversed(children))
    text = "".join("\n\n" if part is _BREAK else part for part in parts)
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _html_title(tree, root) -> str | None:
    node = tree.css_first("title")
    title = _one_line(node.text()) if node else None
    h1 = root.css_first("h1") or tree.css_first("h1")
    heading = _one_line(h1.text()) if h1 else None
    # "Headline | Site name" in <title>: the <h1> is the same headline without the suffix.
    if heading and (not title or (heading in title and heading != title)):
        return heading
    return title


def _html_date(tree) -> dt.date | None:
    for selector, attribute in _DATE_SELECTORS:
        value = _attr(tree, selector, attribute)
        if value and (date := parse_date(value)):
            return date
    return None


def _attr(tree, selector: str, attribute: str) -> str | None:
    node = tree.css_first(selector)
    return _one_line(node.attributes.get(attribute)) if node else None


def _html_fragment_text(html: str) -> str:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    return _visible_text(root, dropped={n.mem_id for n in root.css(_DROP)})


# --- JSON and JSON Lines -------------------------------------------------------------------------

def _read_json(data: bytes, source: str, digest: str) -> list[RawDocument | Skipped]:
    try:
        value = json.loads(_decode(data))
    except json.JSONDecodeError as exc:
        raise _Unreadable(f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    if isinstance(value, dict):
        return _records(source, digest, [("JSON object", None, value)])
    if isinstance(value, list):
        return _records(source, digest, [(f"JSON record {i}", f"R{i}", v) for i, v in enumerate(value, 1)])
    raise _Unreadable("JSON file must hold an object or a list of objects")


def _read_jsonl(data: bytes, source: str, digest: str) -> list[RawDocument | Skipped]:
    if any(data.startswith(bom) for bom, enc in _BOMS if enc != "utf-8-sig"):
        lines = [line.encode() for line in _decode(data).split("\n")]  # UTF-16/32: decode whole
    else:
        if _looks_binary(data):
            raise _Unreadable("not a text file (binary data)")
        lines = data.removeprefix(codecs.BOM_UTF8).split(b"\n")
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError:
            value = _Problem("not valid UTF-8 text")
        except json.JSONDecodeError:
            value = _Problem("invalid JSON")
        items.append((f"JSON Lines line {number}", f"L{number}", value))
    return _records(source, digest, items)


class _Problem(str):
    """Why one record could not be read (kept apart from a record that is a JSON string)."""


def _records(source: str, digest: str, items: list[tuple[str, str | None, object]]) -> list[RawDocument | Skipped]:
    """Records to documents; bad records become non-fatal Skipped entries naming their place."""
    out: list[RawDocument | tuple[str, str]] = []
    seen: set[str] = set()
    for where, default_id, value in items:
        problem, record = _record(source, digest, default_id, value)
        if record and record.record_id in seen:
            problem, record = f"duplicate id {record.record_id!r}", None
        if record:
            seen.add(record.record_id or "")
            out.append(record)
        else:
            out.append((where, problem))
    kept = sum(isinstance(item, RawDocument) for item in out)
    problems = [item for item in out if isinstance(item, tuple)]
    if not kept:
        if not problems:
            raise _Unreadable("empty file (no records)")
        listed = "; ".join(f"{where}: {why}" for where, why in problems[:3])
        raise _Unreadable(f"no usable records ({listed}{'; …' if len(problems) > 3 else ''})")
    result: list[RawDocument | Skipped] = []
    listed = 0
    for item in out:
        if isinstance(item, RawDocument):
            result.append(item)
        elif listed < MAX_RECORD_PROBLEMS:
            listed += 1
            result.append(Skipped(source, f"{item[0]}: {item[1]} (kept {kept} other records)", fatal=False))
    if len(problems) > listed:
        result.append(Skipped(source, f"{len(problems) - listed} more bad records not listed "
                                      f"(kept {kept} other records)", fatal=False))
    return result


def _record(source: str, digest: str, default_id: str | None, value: object) -> tuple[str, RawDocument | None]:
    if isinstance(value, _Problem):
        return str(value), None
    if not isinstance(value, dict):
        return "not a JSON object", None
    text = value.get("text")
    text = _normalise(text) if isinstance(text, str) else ""
    if not text:
        return 'no "text"', None
    raw_id = value.get("id")
    record_id = default_id
    if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) and str(raw_id).strip():
        record_id = str(raw_id).strip()
    date = value.get("date")
    return "", RawDocument(source, digest, text, record_id=record_id, title=_one_line(value.get("title")),
                           published=parse_date(date) if isinstance(date, str) else None,
                           agency=_one_line(value.get("source")), url=_one_line(value.get("url")))


# --- PDF -----------------------------------------------------------------------------------------

def _read_pdf(data: bytes, source: str, digest: str) -> list[RawDocument | Skipped]:
    # pypdf logs a warning for every quirk of a damaged file; the Skipped reason says
    # what matters, so keep the indexer's output readable.
    pdf_log = logging.getLogger("pypdf")
    level = pdf_log.level
    pdf_log.setLevel(logging.ERROR)
    try:
        return _pdf_documents(data, source, digest)
    finally:
        pdf_log.setLevel(level)


def _pdf_documents(data: bytes, source: str, digest: str) -> list[RawDocument | Skipped]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # many PDFs are "encrypted" with an empty password
            except DependencyError:
                raise _Unreadable("PDF is encrypted (decrypting needs the 'cryptography' package)") from None
            if not opened:
                raise _Unreadable("PDF is encrypted (password required)")
        pages = list(reader.pages)
    except _Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types for damaged files
        raise _Unreadable(f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    texts, failed = [], []
    for number, page in enumerate(pages, 1):
        try:
            text = _normalise(page.extract_text() or "")
        except Exception as exc:  # noqa: BLE001 - one damaged page must not lose the others
            failed.append(Skipped(source, f"PDF page {number}: could not extract text ({exc})", fatal=False))
            continue
        if text:
            texts.append(text)
    if not texts:
        raise _Unreadable("PDF has no text layer (scanned?)" if not failed else "could not extract text from PDF")
    return [RawDocument(source, digest, "\n\n".join(texts)), *failed]


_READERS = {".txt": _read_text, ".md": _read_markdown, ".html": _read_html, ".htm": _read_html,
            ".json": _read_json, ".jsonl": _read_jsonl, ".pdf": _read_pdf}
