"""Safe HTML from engine text and offsets: everything escaped, only our markup inserted."""
from markupsafe import Markup

import re

from search_service.web.highlight import EntityMark, highlight, mark_document, merge_spans, snippet

PAYLOAD = '<script>alert(1)</script> and <img src=x onerror=alert(1)>'


def test_highlight_wraps_spans_in_mark_and_escapes_the_rest():
    text = "Tom & Jerry <b>met</b> in Oslo"
    html = highlight(text, [(0, 3), (26, 30)])
    assert isinstance(html, Markup)
    assert html == "<mark>Tom</mark> &amp; Jerry &lt;b&gt;met&lt;/b&gt; in <mark>Oslo</mark>"


def test_highlight_escapes_script_and_img_payloads_inside_and_outside_marks():
    html = highlight(PAYLOAD, [(0, 8), (31, 34)])
    assert "<script" not in html and "<img" not in html
    assert html.startswith("<mark>&lt;script&gt;</mark>alert(1)&lt;/script&gt;")
    assert html.endswith("&lt;<mark>img</mark> src=x onerror=alert(1)&gt;")
    # the only tags are the ones we inserted
    assert html.count("<") == html.count("<mark>") + html.count("</mark>")


def test_overlapping_out_of_range_and_empty_spans_are_normalised():
    assert merge_spans([(5, 9), (0, 3), (2, 6), (8, 8), (20, 99), (-4, 0)], 22) == [(0, 9), (20, 22)]
    assert highlight("abcdef", [(4, 100), (1, 2), (1, 2)]) == "a<mark>b</mark>cd<mark>ef</mark>"


def test_highlight_without_spans_is_just_escaped_text():
    assert highlight("a < b", []) == "a &lt; b"


def _mark(start, end, etype="person", name="Ana Lind", url="/search?person=Ana+Lind"):
    return EntityMark(start, end, etype, name, url)


def test_mark_document_links_mentions_by_type_and_places_passage_anchors():
    text = "Ana Lind visited Brebo.\nLater Ana Lind left."
    marks = [_mark(0, 8), _mark(30, 38), _mark(17, 22, "place", "Brebo", "/search?place=Brebo")]
    html = mark_document(text, marks, [(0, "p0"), (24, "p1")])
    assert html.count('class="ent ent-person"') == 2
    assert '<a class="ent ent-place" href="/search?place=Brebo" title="Place: Brebo">Brebo</a>' in html
    assert html.index('id="p0"') < html.index("Ana Lind")
    assert '\n<span class="passage-anchor" id="p1"></span>Later' in html


def test_mark_document_escapes_text_names_and_urls():
    text = PAYLOAD + " by <b>Evil</b>"
    name = "<img src=x onerror=alert(1)>"
    html = mark_document(text, [EntityMark(31, 59, "person", name, '/search?person="><script>')], [(0, "p0")])
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert 'href="/search?person=&#34;&gt;&lt;script&gt;"' in html


def test_anchor_inside_a_mention_moves_to_its_start_and_overlapping_mentions_keep_the_longest():
    text = "Lena Hovde Berg spoke"
    html = mark_document(text, [_mark(0, 15, name="Lena Hovde Berg"), _mark(5, 10, name="Hovde")], [(7, "p1")])
    assert html.startswith('<span class="passage-anchor" id="p1"></span><a class="ent ent-person"')
    assert html.count("<a ") == 1 and ">Lena Hovde Berg</a> spoke" in html


def test_snippet_keeps_short_passages_whole():
    assert snippet("a short <passage>", [(2, 7)]) == "a <mark>short</mark> &lt;passage&gt;"


def test_snippet_centres_on_the_densest_matches_and_cuts_at_words():
    words = [f"w{i:03d}" for i in range(200)]
    text = " ".join(words)
    spans = [(text.index("w150"), text.index("w150") + 4), (text.index("w155"), text.index("w155") + 4),
             (text.index("w010"), text.index("w010") + 4)]
    html = snippet(text, spans, width=120, lead=20)
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>w150</mark>" in html and "<mark>w155</mark>" in html and "w010" not in html
    inner = str(html)[2:-2].replace("<mark>", "").replace("</mark>", "")
    assert all(re.fullmatch(r"w\d{3}", w) for w in inner.split())  # no word cut in half
    assert len(inner) <= 120


def test_snippet_without_matches_is_the_beginning_and_escapes():
    text = "<b>" + " word" * 100
    html = snippet(text, [], width=50)
    assert html.startswith("&lt;b&gt; word") and html.endswith(" …") and "<b>" not in html


def test_query_matches_are_marked_with_ids_and_links_that_never_cross_entity_links():
    from search_service.web.highlight import EntityMark, QueryMatch, mark_document
    text = "Ada Varga met Bo. Varga left <now>."
    html = str(mark_document(
        text,
        [EntityMark(0, 9, "person", "Ada Varga", "/e/a"), EntityMark(14, 16, "person", "Bo", "/e/b")],
        [(0, "p0"), (18, "p1")],
        [QueryMatch(4, 9, "m1", None, "#m2"), QueryMatch(18, 23, "m2", "#m1", None), QueryMatch(30, 33, "m3")],
    ))
    # a match inside an entity link is marked inside it; its links follow the entity link
    assert html.startswith('<span class="passage-anchor" id="p0"></span><a class="ent ent-person" href="/e/a" '
                           'title="Person: Ada Varga">Ada <mark class="q" id="m1">Varga</mark></a>'
                           '<span class="match-nav"><a href="#m2" aria-label="Next match">›</a></span> met ')
    assert '<span class="passage-anchor" id="p1"></span><mark class="q" id="m2">Varga</mark><span class="match-nav">' \
           '<a href="#m1" aria-label="Previous match">‹</a></span> left &lt;<mark class="q" id="m3">now</mark>&gt;.' in html
    assert html.count("Bo</a>") == 1 and html.count("left") == 1  # no text twice
