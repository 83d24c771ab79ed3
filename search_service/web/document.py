"""The document page as one plain dict: metadata, marked-up text, entities."""
from __future__ import annotations

from flask import url_for

from ..models import ENTITY_TYPES, Article
from ..search import PassageHit
from . import state
from .entity_links import entity_url, search_url
from .highlight import EntityMark, QueryMatch, mark_document
from .parts import part_bounds, part_count, part_of_passage
from .presenters import plural, shown_source

TYPE_LABELS = {"person": "People", "organisation": "Organisations", "place": "Places"}


def _part_links(doc_id: str, part: int, parts: int, context: list[tuple[str, str]]) -> dict | None:
    if parts == 1:
        return None
    url = url_for("views.document", doc_id=doc_id)

    def link(n: int) -> str | None:
        return state.with_query(url, list(context) + [("part", str(n))]) if 1 <= n <= parts else None

    return {"number": part, "count": parts, "previous": link(part - 1), "next": link(part + 1),
            "first": link(1), "last": link(parts)}


def query_matches(article: Article, passages: list[PassageHit], part: int,
                  context: list[tuple[str, str]], shown: set[int]) -> tuple[list[QueryMatch], str | None]:
    """The query's matches in ``part`` (offsets into the part's text), numbered over
    the whole document, each linking to the previous and next one (in another part:
    that part's page). The first match beyond the ``shown`` passages is ``more``.
    Also the URL of the first match."""
    spans = []  # (document start, end, passage index)
    for p in passages:
        spans += [(p.start + s, p.start + e, p.index) for s, e in p.highlights]
    spans.sort()
    doc_url = url_for("views.document", doc_id=article.id)
    first_more = next((i for i, (_, _, index) in enumerate(spans) if index not in shown), None) if shown else None

    def anchor(i: int) -> str:
        return "more" if i == first_more else f"m{i + 1}"

    def url(i: int) -> str | None:
        if not 0 <= i < len(spans):
            return None
        there = part_of_passage(spans[i][2])
        if there == part:
            return f"#{anchor(i)}"
        return state.with_query(doc_url, list(context) + [("part", str(there))]) + f"#{anchor(i)}"

    start, _ = part_bounds(article, part)
    here = [QueryMatch(a - start, b - start, anchor(i), url(i - 1), url(i + 1))
            for i, (a, b, index) in enumerate(spans) if part_of_passage(index) == part]
    return here, url(0)


def _marked_part(article: Article, part: int, urls: dict, matches: list[QueryMatch]) -> str:
    """The escaped text of one part with its entity mentions, passage anchors and query matches."""
    start, end = part_bounds(article, part)
    marks = [
        EntityMark(a - start, b - start, e.type, e.name, urls[(e.type, e.name)])
        for e in article.entities if e.type in ENTITY_TYPES
        for a, b in e.mentions if start <= a and b <= end
    ]
    anchors = [(p.start - start, f"p{p.index}") for p in article.passages
               if part_of_passage(p.index) == part]
    return mark_document(article.text[start:end], marks, anchors, matches)


def present_document(article: Article, marked_text: bool = True, part: int = 1,
                     matches: list[PassageHit] = (), context: list[tuple[str, str]] = (),
                     shown: set[int] = frozenset()) -> dict:
    """Everything the document page and ``/api/documents/<id>`` show.

    ``part`` picks which part of a very long text is marked up (clamped to the
    parts there are). ``marked_text=False`` skips building the marked-up HTML,
    which the JSON API does not return. ``matches`` (the query's matching
    passages) are marked in the text; ``context`` is the search the page was
    opened from, kept in its part links."""
    # Marked mentions and the entity list lead to each name's entity page (which links to its search).
    urls = {(e.type, e.name): entity_url(e.type, e.name) for e in article.entities if e.type in ENTITY_TYPES}
    parts = part_count(article)
    part = min(max(1, part), parts)
    marked, first_match_url = query_matches(article, list(matches), part, context, shown)
    count = sum(len(p.highlights) for p in matches)
    groups = []
    for etype in ENTITY_TYPES:
        items = sorted(
            (e for e in article.entities if e.type == etype), key=lambda e: (-e.count, e.name.casefold())
        )
        groups.append({
            "type": etype,
            "label": TYPE_LABELS[etype],
            "items": [
                {"name": e.name, "count": e.count, "count_label": plural(e.count, "mention"),
                 "url": urls[(e.type, e.name)], "search_url": search_url(e.type, e.name)}
                for e in items
            ],
        })
    return {
        "id": article.id,
        "title": article.title or article.id,
        "published": article.published.isoformat() if article.published else None,
        "published_label": article.published.strftime("%-d %B %Y") if article.published else None,
        "agency": article.agency,
        "source": article.source_label or None,
        "url": article.url,
        "shown_source": shown_source(article.url, article.source_label),
        "mentioned_years": sorted(set(article.mentioned_years)),
        "mentioned_year_links": [
            {"year": y, "url": state.with_query(url_for("views.search"), [("mentioned_year", str(y))])}
            for y in sorted(set(article.mentioned_years))
        ],
        "text": article.text,
        "text_html": _marked_part(article, part, urls, marked) if marked_text else None,
        "part": _part_links(article.id, part, parts, context) if marked_text else None,
        "match_label": f"{count:,} match{'' if count == 1 else 'es'}" if count else None,
        "first_match_url": first_match_url,
        "passages": [{"index": p.index, "start": p.start, "end": p.end, "anchor": f"p{p.index}"}
                     for p in article.passages],
        "entities": groups,
        "legend": [{"type": t, "label": TYPE_LABELS[t]} for t in ENTITY_TYPES],
    }


#: Keys of the presented document that only the HTML page uses.
PAGE_ONLY = ("text_html", "part", "legend", "mentioned_year_links", "shown_source", "match_label", "first_match_url")


def document_json(page: dict) -> dict:
    """The API form: no HTML, entities as plain lists with counts."""
    data = {k: v for k, v in page.items() if k not in PAGE_ONLY}
    data["entities"] = {
        g["type"]: [{"name": i["name"], "count": i["count"], "search_url": i["search_url"], "entity_url": i["url"]}
                    for i in g["items"]]
        for g in page["entities"]
    }
    return data
