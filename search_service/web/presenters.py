"""Turn a :class:`SearchResult` into one plain dict that renders as HTML or JSON.

Every facet value carries its own ``toggle_url``/``exclude_url`` and state, every
chip its ``remove_url``; templates only loop over what is here (Datasette style).
"""
from __future__ import annotations

import math

from flask import current_app, url_for

from .. import models
from ..models import ENTITY_TYPES, FACETS, YEAR_FACETS
from ..search import DocumentHit, FacetValue, SearchRequest, SearchResult
from ..search.request import FACET_ORDERS, FACET_TO_PARAM, MODE_FACETS, MODES, SORTS, default_sort
from . import state
from .charts import year_axis
from .context import context_pairs, document_link
from .entity_links import entity_url
from .highlight import snippet
from .parts import passage_url

#: Values one page of a facet's value list shows ("Show more", the facet page).
FACET_PAGE = 50


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def shown_source(url: str | None, label: str) -> dict | None:
    """The source as users know it (:func:`search_service.models.shown_source`), as
    text and a link: a link only to an http(s) URL, never ``javascript:``."""
    text = models.shown_source(url, label)
    if not text:
        return None
    return {"text": text, "href": text if text == url and text.lower().startswith(("http://", "https://")) else None}


def links_for(endpoint: str, req: SearchRequest) -> state.Links:
    """URL builder for ``req`` on the search ``endpoint`` (page or API)."""
    return state.Links(req, url_for(endpoint))


def present_value(links: state.Links, facet: str, fv: FacetValue, exclude_url: bool = True) -> dict:
    """One facet value with its state and the URLs that change it."""
    req = links.req
    value = state.normalise(facet, fv.value)
    selected = value in req.selected(facet)
    excluded = value in req.excluded(facet)
    return {
        "value": value,
        "label": str(value),
        "count": fv.count,
        "count_label": plural(fv.count, "document"),
        "selected": selected,
        "excluded": excluded,
        "toggle_url": links.toggle(facet, value),
        "exclude_url": links.exclude(facet, value) if exclude_url else None,
        "id": state.dom_id("f", facet, value),
        "entity_url": entity_url(facet, value) if facet in ENTITY_TYPES else None,
    }


def facet_values(links: state.Links, facet: str, values: list[FacetValue], keep_selected: bool = True,
                 exclude_url: bool = True) -> list[dict]:
    """Present ``values``, keeping every selected or excluded value visible even
    when the engine's top N left it out (then its count is not known here: 0)."""
    req = links.req
    shown = [present_value(links, facet, fv, exclude_url) for fv in values]
    if not keep_selected:
        return shown
    present = {item["value"] for item in shown}
    for value in req.selected(facet) + req.excluded(facet):
        if value not in present:
            shown.append(present_value(links, facet, FacetValue(value=value, count=0), exclude_url))
            present.add(value)
    return shown


def _chart(links: state.Links, facet: str, values: list[dict]) -> dict:
    """A year facet's bar chart on a true time axis (every year between the first and
    the last, gaps included; :func:`charts.year_axis`), each one-year bar a link that
    selects its year. ``range_url`` is this state without the facet's range, for the
    few lines of script that turn a drag across bars into a range."""
    req = links.req
    param = FACET_TO_PARAM[facet]
    low, high = req.range(facet)
    selected = set(req.selected(facet))
    bars = year_axis(((v["value"], v["count"]) for v in values if not v["excluded"] and isinstance(v["value"], int)),
                     url=lambda year: links.toggle(facet, year))
    for bar in bars:
        last = bar["year"] + bar["years"] - 1
        bar["selected"] = bar["years"] == 1 and bar["year"] in selected
        bar["in_range"] = (low is not None or high is not None) and (low is None or bar["year"] >= low) \
            and (high is None or last <= high)
        bar["id"] = state.dom_id("bar", facet, bar["year"])
    return {
        "id": param,
        "label": state.CHART_LABELS[facet],
        "bars": bars,
        "labelledby": f"facet-{param}-title",
        "range_url": links.range(facet, None, None),
        "from_param": f"{param}_from",
        "to_param": f"{param}_to",
    }


def _range_form(links: state.Links, facet: str) -> dict:
    """The two year inputs of a year facet: a plain GET form that keeps every other
    part of the state in hidden inputs."""
    req = links.req
    param = FACET_TO_PARAM[facet]
    low, high = req.range(facet)
    without = state.with_range(req, facet, None, None)
    return {
        "action": links.path,
        "state": without.to_args(),
        "from": {"name": f"{param}_from", "id": f"{param}-from", "value": "" if low is None else low},
        "to": {"name": f"{param}_to", "id": f"{param}-to", "value": "" if high is None else high},
        "clear_url": links.url(without) if (low is not None or high is not None) else None,
    }


def _mode_switch(links: state.Links, facet: str) -> dict | None:
    """The any/all switch of a facet with a match mode, and its logic in words."""
    if facet not in MODE_FACETS:
        return None
    req = links.req
    current = req.mode(facet)
    selected = req.selected(facet)
    return {
        "current": current,
        "options": [{"value": m, "label": state.MODE_LABELS[m], "current": m == current,
                     "url": links.mode(facet, m), "id": f"mode-{FACET_TO_PARAM[facet]}-{m}"} for m in MODES],
        "text": f"{state.MODE_WORDS[current].capitalize()}: {', '.join(map(str, selected))}" if selected else
                f"Several values: {current} of them",
    }


def _panel(links: state.Links, facet: str, values: list[dict], result: SearchResult) -> dict:
    req = links.req
    param = FACET_TO_PARAM[facet]
    engine_values = result.facets.get(facet, [])
    facets_url = url_for("views.facet", name=param)
    panel = {
        "facet": facet,
        "param": param,
        "label": state.FACET_LABELS[facet],
        "find_label": state.FIND_LABELS.get(facet, ""),
        "kind": "year" if facet in YEAR_FACETS else "entity",
        "values": values,
        "list_id": f"facet-{param}-values",
        "state": facet_state(req),
        "facets_url": facets_url,
        "mode": _mode_switch(links, facet),
    }
    # Year lists are complete (every year, in year order); other facets show their top values.
    has_more = facet not in YEAR_FACETS and len(engine_values) >= req.facet_size
    panel["listing"] = {
        "values": values,
        "param": param,
        "list_id": panel["list_id"],
        "plain": False,
        "more_url": state.with_query(facets_url, facet_state(req) + [("size", str(FACET_PAGE))]) if has_more else None,
        "prev_url": None,
    }
    panel["list_open"] = any(v["excluded"] for v in values)
    if panel["kind"] == "year":
        panel["chart"] = _chart(links, facet, values)
        panel["range"] = _range_form(links, facet)
        if facet == "published_year":
            panel["undated_label"] = f"No date: {plural(result.undated, 'document')}" if result.undated else None
    return panel


def facet_state(req: SearchRequest) -> list[tuple[str, str]]:
    """The search state a facet value page is asked for: everything but the results'
    ``page`` and ``size`` (there ``size`` and ``offset`` page the values; a value
    chosen there starts the results again at page 1)."""
    return [(k, v) for k, v in state.paged(req, 1).to_args() if k != "size"]


def _after_title(text: str, highlights, title: str | None) -> tuple[str, list]:
    """The first passage without the headline it opens with (shown just above it as the
    hit's title), highlights shifted to match; any other passage unchanged."""
    if not title or not text.startswith(title) or not text[len(title):len(title) + 1].isspace():
        return text, list(highlights)
    cut = len(title) + len(text[len(title):]) - len(text[len(title):].lstrip())
    if cut >= len(text):
        return text, list(highlights)  # the passage is only the headline
    return text[cut:], [(s - cut, e - cut) for s, e in highlights if e > cut]


def present_hit(links: state.Links, hit: DocumentHit, rank: int | None = None) -> dict:
    """One result; its document links remember the search and the result's ``rank``."""
    req = links.req
    doc_url = url_for("views.document", doc_id=hit.id)
    context = context_pairs(req, rank)
    entities = {}
    for etype in ENTITY_TYPES:
        entities[etype] = [
            {
                "value": name,
                "selected": name in req.selected(etype),
                "url": links.toggle(etype, name),
                "entity_url": entity_url(etype, name),
            }
            for name in hit.entities.get(etype, [])
        ]
    return {
        "id": hit.id,
        "title": hit.title or hit.id,
        "score": hit.score,
        "published": hit.published.isoformat() if hit.published else None,
        "published_label": hit.published.strftime("%-d %B %Y") if hit.published else None,
        "agency": hit.agency,
        "source": hit.source_label or None,
        "url": hit.url,
        "shown_source": shown_source(hit.url, hit.source_label),
        "document_url": document_link(hit.id, req, rank),
        "rank": rank,
        "api_url": url_for("api.document", doc_id=hit.id),
        "passages": [
            {
                "index": p.index,
                "start": p.start,
                "end": p.end,
                "text": p.text,
                "highlights": [list(h) for h in p.highlights],
                "html": snippet(*_after_title(p.text, p.highlights, hit.title if p.start == 0 else None)),
                "url": passage_url(doc_url, p.index, context),
            }
            for p in hit.passages
        ],
        "more_matches": hit.more_matches,
        # lands on the first match beyond the passages shown here
        "more_url": document_link(hit.id, req, rank, shown=[p.index for p in hit.passages], anchor="more")
        if hit.more_matches else None,
        "more_label": (
            f"{hit.more_matches:,} more match{'' if hit.more_matches == 1 else 'es'} in this document"
            if hit.more_matches else None
        ),
        "entities": entities,
        "has_entities": any(entities.values()),
    }


def page_numbers(current: int, last: int, around: int = 2) -> list[int | None]:
    """Page numbers to show: the first, the last and ``around`` either side of
    ``current``, in order; None marks a gap of two or more pages (a gap of one page
    shows that page instead, so "1 … 2" or "3 … 4" never happens)."""
    shown = sorted({1, last} | set(range(max(1, current - around), min(last, current + around) + 1)))
    numbers: list[int | None] = []
    for page in shown:
        if numbers and page - numbers[-1] == 2:
            numbers.append(page - 1)
        elif numbers and page - numbers[-1] > 2:
            numbers.append(None)
        numbers.append(page)
    return numbers


def _pages(links: state.Links, total: int) -> dict:
    """Pagination, clamped to the configured maximum depth."""
    req = links.req
    available = max(1, math.ceil(total / req.size))
    last = min(available, req.limits.max_page)
    link = links.page
    items = []
    for number in page_numbers(req.page, last):
        if number is None:
            items.append({"gap": True})
        else:
            items.append({"page": number, "url": link(number), "current": number == req.page,
                          "label": f"Page {number}" + (", current page" if number == req.page else "")})
    return {
        "current": req.page,
        "last": last,
        "prev_url": link(req.page - 1) if 1 < req.page <= last + 1 else None,
        "next_url": link(req.page + 1) if req.page < last else None,
        "items": items,
        "start_url": link(1),
        "clamped": available > last,
        "beyond": req.page > last,
    }


#: Parameters that shape one page of results or its facets, not which documents match.
PAGE_PARAMS = ("page", "size", "facet_size", "facet_order")


def search_pairs(req: SearchRequest, drop: tuple[str, ...] = PAGE_PARAMS) -> list[tuple[str, str]]:
    """``req``'s URL parameters without those named in ``drop``."""
    return [(k, v) for k, v in req.to_args() if k not in drop]


def feed_url(req: SearchRequest, external: bool = False) -> str:
    """The Atom feed of ``req`` (always newest first, so no sort or page)."""
    return state.with_query(url_for("export.feed", _external=external), search_pairs(req, PAGE_PARAMS + ("sort",)))


def take_out(req: SearchRequest, total: int) -> dict:
    """Links taking every document of the search away: CSV, JSON Lines (same
    sort, every page, up to the export cap) and the Atom feed of the newest."""
    cap = current_app.config["SETTINGS"].export_max_documents
    pairs = search_pairs(req)
    url = url_for("export.export")
    return {
        "csv_url": state.with_query(url, [("format", "csv")] + pairs),
        "jsonl_url": state.with_query(url, [("format", "jsonl")] + pairs),
        "feed_url": feed_url(req),
        "count_label": plural(total, "document") if total <= cap else f"the first {plural(cap, 'document')}",
    }


def _chips(links: state.Links) -> list[dict]:
    """One chip per active filter (selected and excluded values, year ranges), each
    with the URL that removes it."""
    req = links.req
    chips = []
    for f in FACETS:
        for excluded_flag, values in ((False, req.selected(f)), (True, req.excluded(f))):
            chips += [{"facet": f, "param": FACET_TO_PARAM[f], "label": state.FACET_LABELS[f], "value": v,
                       "excluded": excluded_flag, "remove_url": links.remove(f, v)} for v in values]
        low, high = req.range(f)
        if low is not None or high is not None:
            text = f"{low}–{high}" if low is not None and high is not None else \
                (f"from {low}" if low is not None else f"until {high}")
            chips.append({"facet": f, "param": FACET_TO_PARAM[f], "label": state.FACET_LABELS[f], "value": text,
                          "excluded": False, "remove_url": links.range(f, None, None)})
    return chips


def _chip_groups(req: SearchRequest, chips: list[dict]) -> list[dict]:
    """Chips grouped by facet, each group saying its logic in words
    ("Person: mentions all of" …, "not" for exclusions)."""
    groups = []
    for f in FACETS:
        mine = [c for c in chips if c["facet"] == f]
        if not mine:
            continue
        chosen = [c for c in mine if not c["excluded"] and c["value"] in req.selected(f)]
        logic = None
        if len(chosen) > 1:
            logic = state.MODE_WORDS[req.mode(f)]
        groups.append({"label": state.FACET_LABELS[f], "logic": logic, "chips": mine})
    return groups


def present_search(req: SearchRequest, result: SearchResult, endpoint: str = "views.search") -> dict:
    """The whole search state and result as one plain dict."""
    links = links_for(endpoint, req)
    facets = {FACET_TO_PARAM[f]: facet_values(links, f, result.facets.get(f, [])) for f in FACETS}
    chips = _chips(links)
    query_hint = None
    if result.query_errors:
        query_hint = "Part of the query could not be understood, so these are results for the rest of it."
    args = dict(req.to_args())
    return {
        "q": req.q,
        "sort": req.sort,
        "page": req.page,
        "size": req.size,
        "total": result.total,
        "total_label": plural(result.total, "document"),
        "results": [present_hit(links, h, req.offset + i + 1) for i, h in enumerate(result.hits)],
        "facets": facets,
        "panels": [_panel(links, f, facets[FACET_TO_PARAM[f]], result) for f in FACETS],
        "chips": chips,
        "chip_groups": _chip_groups(req, chips),
        "clear_url": links.clear() if chips or req.modes else None,
        "sorts": [
            {"value": s, "label": state.SORT_LABELS[s], "selected": s == req.sort,
             "url": links.sort(s)}
            for s in SORTS
        ],
        "sort_note": "No search words, so the newest come first." if not req.q and "sort" not in args
        and req.sort == default_sort("") else None,
        "facet_orders": [
            {"value": o, "label": state.FACET_ORDER_LABELS[o], "current": o == req.facet_order, "url": links.order(o)}
            for o in FACET_ORDERS
        ],
        "pages": _pages(links, result.total),
        "take_out": take_out(req, result.total),
        "state": state.state_pairs(req),
        # the sort the search form carries along when it is not the default for the text
        "sort_input": args.get("sort"),
        "filters_label": f"Filters ({len(chips)} active)" if chips else "Filters",
        "warnings": list(req.warnings) + list(result.query_errors),
        "query_hint": query_hint,
    }
