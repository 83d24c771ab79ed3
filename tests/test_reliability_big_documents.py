"""Big documents on the web side: the document page of an article with thousands of
passages and tens of thousands of entity mentions.

The page marks every mention and puts an anchor at every passage start. Placing
the anchors used to scan every mention for every passage (quadratic: a 20 MB
article's page took 6.5 minutes, far past gunicorn's 30 s worker timeout; see
docs/reliability.md). These tests pin the page's content for such an article and
check the faster placement against the plain definition on random inputs.
"""
from __future__ import annotations

import re
from html import unescape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from search_service.web import create_app
from search_service.web.highlight import EntityMark, mark_document
from search_service.web.parts import PASSAGES_PER_PART
from web_fixtures import make_article, web_config, write_articles

PASSAGES = 3000
NAMES = ["Ilse Brandvik", "Vellmark Quay Trust", "Skarv"]


def reference_mark_document(text, mentions, anchors) -> str:
    """The plain definition: keep the first (longest) of overlapping mentions; an
    anchor inside a kept mention moves to its start; anchors sort before marks."""
    chosen = []
    for m in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        start, end = max(0, m.start), min(len(text), m.end)
        if end > start and not (chosen and start < chosen[-1].end):
            chosen.append(EntityMark(start, end, m.type, m.name, m.url))
    events = []
    for offset, anchor_id in anchors:
        offset = min(max(0, offset), len(text))
        inside = [m for m in chosen if m.start < offset < m.end]
        events.append((inside[0].start if inside else offset, 0, anchor_id))
    events += [(m.start, 1, m) for m in chosen]
    events.sort(key=lambda e: (e[0], e[1]))
    out, pos = [], 0
    for offset, _, item in events:
        out.append(escape(text[pos:offset]))
        pos = offset
        if isinstance(item, EntityMark):
            out.append(Markup('<a class="ent ent-{t}" href="{u}" title="{label}">{body}</a>').format(
                t=item.type, u=item.url, label=f"{item.type.capitalize()}: {item.name}",
                body=text[item.start:item.end]))
            pos = item.end
        else:
            out.append(Markup('<span class="passage-anchor" id="{0}"></span>').format(item))
    out.append(escape(text[pos:]))
    return str(Markup("").join(out))


spans = st.tuples(st.integers(-3, 60), st.integers(0, 12))


@settings(max_examples=300, deadline=None, database=None)
@given(text=st.text(alphabet="ab <&", max_size=60), marks=st.lists(spans, max_size=12),
       anchors=st.lists(st.integers(-3, 65), max_size=8))
def test_anchor_placement_matches_the_plain_definition(text, marks, anchors):
    mentions = [EntityMark(s, s + n, "person", f"N{i}", f"/search?person=N{i}") for i, (s, n) in enumerate(marks)]
    anchor_ids = [(offset, f"p{i}") for i, offset in enumerate(anchors)]
    assert str(mark_document(text, mentions, anchor_ids)) == reference_mark_document(text, mentions, anchor_ids)


@pytest.fixture(scope="module")
def big_document_client(tmp_path_factory):
    sentences = [f"In part {i} {NAMES[i % 3]} met {NAMES[(i + 1) % 3]} near {NAMES[(i + 2) % 3]}."
                 for i in range(PASSAGES)]
    article = make_article("big-one", "A very long report", sentences, "2021-01-01",
                           people=[NAMES[0]], orgs=[NAMES[1]], places=[NAMES[2]])
    config = web_config(tmp_path_factory.mktemp("big-document") / "data")
    write_articles(config, [article])
    return create_app(config).test_client(), article


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _text_of(html):
    """The plain text of a page's ``doc-text`` block (tags dropped, entities unescaped)."""
    block = re.search(r'<div class="doc-text">(.*?)</div>', html, re.S).group(1)
    return unescape(re.sub(r"<[^>]+>", "", block))


def test_page_of_a_document_with_thousands_of_passages_is_shown_in_parts(big_document_client):
    client, article = big_document_client
    parts = -(-PASSAGES // PASSAGES_PER_PART)
    assert parts > 2
    texts, anchors, marks = [], [], 0
    for part in range(1, parts + 1):
        html = _page(client, f"/documents/big-one?part={part}")
        assert f"Part {part} of {parts}." in html
        ids = [int(a) for a in re.findall(r'<span class="passage-anchor" id="p(\d+)"></span>', html)]
        assert ids == list(range((part - 1) * PASSAGES_PER_PART, min(PASSAGES, part * PASSAGES_PER_PART)))
        anchors += ids
        texts.append(_text_of(html))
        block = re.search(r'<div class="doc-text">(.*?)</div>', html, re.S).group(1)
        marks += block.count('<a class="ent ent-')
        assert ('rel="prev"' in html) == (part > 1) and ('rel="next"' in html) == (part < parts)
    assert anchors == list(range(PASSAGES))
    assert "".join(texts) == article.text  # the parts together are the whole text, nothing twice
    assert marks == sum(len(e.mentions) for e in article.entities) == 3 * PASSAGES
    api = client.get("/api/documents/big-one").get_json()
    assert len(api["passages"]) == PASSAGES and api["text"] == article.text and "part" not in api


def test_a_result_passage_links_to_the_part_that_holds_it(big_document_client):
    client, _ = big_document_client
    target = PASSAGES_PER_PART * 2 + 7
    hits = client.get(f"/api/search?q=%22part+{target}%22").get_json()["results"]
    passage = next(p for p in hits[0]["passages"] if p["index"] == target)
    path, anchor = passage["url"].split("#")
    assert path == f"/documents/big-one?q=%22part+{target}%22&hit=1&part=3" and anchor == f"p{target}"
    page = _page(client, path)
    assert f'id="{anchor}"' in page
    # the search it came from is kept: the match is marked in that part, the part links keep the search
    assert '<mark class="q"' in page and f"q=%22part+{target}%22&amp;hit=1&amp;part=2" in page


@pytest.mark.parametrize("arg, shown", [("0", 1), ("abc", 1), ("-2", 1), ("99999999999", 1), ("999", "last"),
                                        ("²", 1), ("١٢", 1)])
def test_an_unusable_part_number_shows_the_nearest_part(big_document_client, arg, shown):
    client, _ = big_document_client
    parts = -(-PASSAGES // PASSAGES_PER_PART)
    number = parts if shown == "last" else shown
    assert f"Part {number} of {parts}." in _page(client, f"/documents/big-one?part={arg}")
