"""How the page of a very long document is split into parts of whole passages.

Part ``k`` (1-based) holds passages ``(k-1)*PASSAGES_PER_PART`` up to the next
part's first passage, so a result passage's link needs only its index.
"""
from __future__ import annotations

from urllib.parse import urlencode

from ..models import Article

#: A long article's page shows its text in parts of this many passages (about
#: 30,000 words): a 20 MB text rendered whole was 59 MB of HTML and 11 s of work.
PASSAGES_PER_PART = 200


def part_of_passage(index: int) -> int:
    """The 1-based part of the document page that holds passage ``index``."""
    return max(0, index) // PASSAGES_PER_PART + 1


def passage_url(doc_url: str, index: int, context: list[tuple[str, str]] = ()) -> str:
    """Link to a passage's anchor, in the part of the page that holds it;
    ``context`` (the search it was found with) rides along in the query string."""
    part = part_of_passage(index)
    pairs = list(context) + ([("part", str(part))] if part > 1 else [])
    return f"{doc_url}?{urlencode(pairs)}#p{index}" if pairs else f"{doc_url}#p{index}"


def part_count(article: Article) -> int:
    """How many parts the document page of ``article`` has (1 for all but very long texts)."""
    return part_of_passage(len(article.passages) - 1) if article.passages else 1


def part_bounds(article: Article, part: int) -> tuple[int, int]:
    """Character range of ``part``: from its first passage's start (0 for part 1) to
    the next part's first passage start (the end of the text for the last part)."""
    first = (part - 1) * PASSAGES_PER_PART
    start = article.passages[first].start if part > 1 else 0
    following = part * PASSAGES_PER_PART
    end = article.passages[following].start if following < len(article.passages) else len(article.text)
    return start, max(start, end)
