"""Split an article into passages on sentence boundaries, keeping character offsets.

Sentence splitting is a small rule set rather than spaCy's sentencizer on
purpose: it runs in the parent process beside NER, and a second spaCy
tokenisation of every text would cost 10–20 % of the NER budget, while these
rules cost microseconds. Passages only need "good enough" boundaries: a rare
missed split just makes one passage a sentence longer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from search_service.models import Passage

# A sentence ends at . ! ? or … (optionally followed by closing quotes or
# brackets) and whitespace, when the next text starts like a sentence
# (capital, digit, opening quote or bracket); or at a blank line / line break.
_BOUNDARY = re.compile(
    r"""(?P<stop>[.!?…]["'”’)\]]*)[ \t]*\n?[ \t]*(?=["'“‘(\[]?[A-Z0-9À-Ý])(?<=\s)"""  # stop + space + capital
    r"""|\n\s*\n"""  # paragraph break
    r"""|\n(?=\s*[-*•]\s)"""  # list item
)
# Short words that end with a full stop without ending a sentence.
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Sr|Jr|Gen|Col|Lt|Capt|Sgt|Rev|Hon|Gov|Sen|Rep|No|Nos|Vol|Fig|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Inc|Ltd|Co|Corp|vs|etc|approx|e\.g|i\.e)"
    r"|\b[A-Z]|\b(?:[A-Z]\.)+[A-Z])\.$"
)
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class ChunkSettings:
    min_words: int = 120
    max_words: int = 200
    overlap_sentences: int = 1

    @classmethod
    def from_settings(cls, settings) -> "ChunkSettings":
        """The chunk sizes of a :class:`~search_service.config.Settings`."""
        return cls(
            min_words=settings.chunk_min_words,
            max_words=settings.chunk_max_words,
            overlap_sentences=settings.chunk_overlap_sentences,
        )


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in ``text``, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group("stop"):
            end = match.end("stop")
            if _ABBREVIATION.search(text[start:match.start("stop") + 1]):
                continue  # "Dr. Osei" or "H.E. Novak": not a sentence end
        else:
            end = match.start()
        _add_span(text, start, end, spans)
        start = match.end()
    _add_span(text, start, len(text), spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        spans.append((start + lead, start + lead + len(stripped)))


def _split_long(text: str, span: tuple[int, int], max_words: int) -> list[tuple[int, int]]:
    """Cut a sentence longer than ``max_words`` at word boundaries."""
    words = [(m.start() + span[0], m.end() + span[0]) for m in _WORD.finditer(text[span[0]:span[1]])]
    return [(words[i][0], words[min(i + max_words, len(words)) - 1][1]) for i in range(0, len(words), max_words)]


def chunk_text(text: str, settings: ChunkSettings = ChunkSettings(), start: int = 0) -> list[Passage]:
    """Passages of about ``min_words``–``max_words`` words on sentence boundaries,
    from ``start`` on (the text before it, a headline and metadata lines, is in no passage).

    Each passage after the first repeats the last ``overlap_sentences``
    sentence(s) of the one before (when they are short enough), so a match
    spanning a boundary is still found whole in one passage.
    """
    sentences: list[tuple[int, int, int]] = []  # start, end, words
    for span in sentence_spans(text):
        if span[1] <= start:
            continue
        span = (max(span[0], start), span[1])
        words = len(_WORD.findall(text[span[0]:span[1]]))
        if words > settings.max_words:
            for piece in _split_long(text, span, settings.max_words):
                sentences.append((piece[0], piece[1], len(_WORD.findall(text[piece[0]:piece[1]]))))
        else:
            sentences.append((span[0], span[1], words))

    passages: list[Passage] = []
    current: list[tuple[int, int, int]] = []
    words = 0
    i = 0
    while i < len(sentences):
        sentence = sentences[i]
        fresh = len(current) - _overlap_len(current, passages)
        if current and fresh > 0 and words + sentence[2] > settings.max_words and words >= settings.min_words // 2:
            passages.append(Passage(len(passages), current[0][0], current[-1][1]))
            current = _overlap(current, settings)
            words = sum(s[2] for s in current)
            continue
        current.append(sentence)
        words += sentence[2]
        i += 1
        if words >= settings.min_words and (i == len(sentences) or words + sentences[i][2] > settings.max_words):
            passages.append(Passage(len(passages), current[0][0], current[-1][1]))
            current = _overlap(current, settings) if i < len(sentences) else []
            words = sum(s[2] for s in current)
    if current and len(current) > _overlap_len(current, passages):
        passages.append(Passage(len(passages), current[0][0], current[-1][1]))
    return passages


def _overlap(sentences: list, settings: ChunkSettings) -> list:
    if settings.overlap_sentences <= 0:
        return []
    tail = sentences[-settings.overlap_sentences:]
    # A long overlap would make passages mostly repeats; keep it small.
    if sum(s[2] for s in tail) > settings.max_words // 4:
        return []
    return list(tail)


def _overlap_len(current: list, passages: list[Passage]) -> int:
    """How many sentences at the head of ``current`` were already in the last passage."""
    if not passages:
        return 0
    last_end = passages[-1].end
    return sum(1 for s in current if s[1] <= last_end)
