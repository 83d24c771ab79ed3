"""An Atom feed (RFC 4287) of a search's newest documents, built with ElementTree.

ElementTree escapes every text and attribute it writes, so document text can
never break the XML. Entry ids are ``tag:`` URIs (RFC 4151) made from the
document id alone, so a reader recognises an entry it has seen whichever search
brought it and however the page URL changes.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable, Iterable
from urllib.parse import quote
from xml.etree import ElementTree as ET

from ..search import DocumentHit

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
#: The date in every tag URI; it names when the naming scheme began, never changes.
TAG_DATE = "2026"
#: Longest summary, in characters (a passage is a few hundred words).
SUMMARY_CHARS = 1000

ET.register_namespace("", ATOM_NS)

#: Characters XML 1.0 does not allow at all (ElementTree would write them as they are).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters no XML document may contain."""
    return _NOT_XML.sub("", text)


def _el(parent, name: str, text: str | None = None, **attrs) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM_NS}}}{name}",
                         {k: xml_text(str(v)) for k, v in attrs.items() if v is not None})
    if text is not None:
        node.text = xml_text(text)
    return node


def tag_uri(authority: str, specific: str) -> str:
    """``tag:<authority>,<date>:<specific>`` with the specific part %-encoded."""
    return f"tag:{authority},{TAG_DATE}:{quote(specific, safe='/=&?;:@')}"


def timestamp(day: dt.date | dt.datetime) -> str:
    """An RFC 3339 time; a date is midnight UTC of that day."""
    if not isinstance(day, dt.datetime):
        day = dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
    return day.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class FeedInfo:
    """What describes the feed itself."""

    title: str
    authority: str  # host name of the service: the tag URIs' authority
    search_key: str  # canonical query string of the search (the feed's identity)
    self_url: str
    page_url: str
    now: dt.datetime


def atom_feed(info: FeedInfo, hits: Iterable[DocumentHit], document_url: Callable[[str], str]) -> bytes:
    """The feed document. ``updated`` is the newest document's date (the time of
    the request when no document is dated); an undated entry carries that too."""
    hits = list(hits)
    dated = [h.published for h in hits if h.published]
    updated = timestamp(max(dated)) if dated else timestamp(info.now)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _el(feed, "id", tag_uri(info.authority, "search?" + info.search_key))
    _el(feed, "title", info.title)
    _el(feed, "updated", updated)
    _el(feed, "link", rel="self", type="application/atom+xml", href=info.self_url)
    _el(feed, "link", rel="alternate", type="text/html", href=info.page_url)
    author = _el(feed, "author")
    _el(author, "name", "Article search")
    _el(feed, "generator", "search-service")
    for hit in hits:
        entry = _el(feed, "entry")
        _el(entry, "id", tag_uri(info.authority, "documents/" + hit.id))
        _el(entry, "title", hit.title or hit.id)
        _el(entry, "updated", timestamp(hit.published) if hit.published else updated)
        if hit.published:
            _el(entry, "published", timestamp(hit.published))
        _el(entry, "link", rel="alternate", type="text/html", href=document_url(hit.id))
        if hit.url:
            _el(entry, "link", rel="related", href=hit.url)
        for etype, names in hit.entities.items():
            for name in names:
                _el(entry, "category", term=name, label=name, scheme=etype)
        if hit.passages:
            text = " ".join(hit.passages[0].text.split())
            if len(text) > SUMMARY_CHARS:
                text = text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"
            _el(entry, "summary", text, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
