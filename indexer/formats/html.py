"""HTML: the article's visible text (page furniture dropped) plus title, date and canonical URL."""
from __future__ import annotations

import codecs
import datetime as dt
import re

from indexer.metadata import parse_date

from .base import RawDocument, Unreadable
from .text import decode, one_line

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


#: Deeper pages are refused: the HTML parser's time grows faster than linearly with
#: nesting (10,000 levels ≈ 0.5 s, 40,000 ≈ 8 s, 100,000 ≈ 90 s), and no real article
#: nests more than a few dozen elements.
MAX_NESTING = 15_000
_TAG = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*>")
_VOID = {b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"source",
         b"track", b"wbr"}


def nesting_depth(data: bytes, limit: int = MAX_NESTING) -> int:
    """Approximate element nesting depth, in one linear scan; stops once past ``limit``."""
    depth = deepest = 0
    for match in _TAG.finditer(data):
        if match.group(2).lower() in _VOID or match.group(0).endswith(b"/>"):
            continue
        depth = max(depth - 1, 0) if match.group(1) else depth + 1
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                break
    return deepest


def read_html(data: bytes, source: str, digest: str) -> list[RawDocument]:
    """An ``.html``/``.htm`` page: one document from its main article (or ``<main>``/``<body>``)."""
    if nesting_depth(data) > MAX_NESTING:
        raise Unreadable(f"HTML nested more than {MAX_NESTING:,} elements deep (not parsed: likely hostile)")
    declared = _CHARSET.search(data[:4096])
    fallback = declared.group(1).decode("ascii") if declared else None
    if fallback:
        try:
            codecs.lookup(fallback)
        except LookupError:
            fallback = None
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(decode(data, fallback=fallback))
    root = _content_root(tree)
    # Without <article>/<main>, whatever precedes the headline is site chrome
    # ("Sign in", "Newsletter", breadcrumbs): start the text at the first <h1>.
    headline = root.css_first("h1") if root.tag not in ("article", "main") else None
    text = _visible_text(root, dropped={n.mem_id for n in root.css(_DROP) if not _keeps_header(n, root)},
                         start_at=headline.mem_id if headline is not None else None)
    if not text:
        raise Unreadable("no visible text in HTML page")
    return [RawDocument(source, digest, text, title=_html_title(tree, root), published=_html_date(tree),
                        url=_attr(tree, 'link[rel="canonical"]', "href") or _attr(tree, 'meta[property="og:url"]', "content"))]


def html_fragment_text(html: str) -> str:
    """Visible text of an HTML fragment (e.g. a raw HTML block inside Markdown)."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    return _visible_text(root, dropped={n.mem_id for n in root.css(_DROP)})


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


def _visible_text(root, dropped: set[int], start_at: int | None = None) -> str:
    """Text of the visible nodes under root, each block on its own paragraph (iterative: any depth).

    With ``start_at`` (a node's ``mem_id``), text before that node is left out."""
    parts: list[object] = []
    started = start_at is None
    in_pre = 0
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            in_pre -= node.tag == "pre"
            parts.append(_BREAK)
            continue
        if not started and node.mem_id == start_at:
            started = True
        if node.is_text_node:
            if not started:
                continue
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
    title = one_line(node.text()) if node else None
    h1 = root.css_first("h1") or tree.css_first("h1")
    heading = one_line(h1.text()) if h1 else None
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
    return one_line(node.attributes.get(attribute)) if node else None
