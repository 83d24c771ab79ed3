"""Passages: sentence boundaries, size bounds, overlap and exact offsets."""
from indexer.chunking import ChunkSettings, chunk_text, sentence_spans


def _article(sentences: int, words_per_sentence: int = 12) -> str:
    body = " ".join(
        f"Sentence {n} talks about the harbour council and " + " ".join(["word"] * (words_per_sentence - 8)) + "."
        for n in range(sentences)
    )
    return "Harbour Council Meets\n\n" + body


def test_sentence_spans_respect_abbreviations_and_quotes():
    text = 'Dr. Lena Marsh met H.E. Omar Vale on Feb. 26. She said "yes." Then U.S. envoys left!\n\nNew paragraph'
    pieces = [text[s:e] for s, e in sentence_spans(text)]
    assert pieces == [
        "Dr. Lena Marsh met H.E. Omar Vale on Feb. 26.",
        'She said "yes."',
        "Then U.S. envoys left!",
        "New paragraph",
    ]


def test_passages_have_bounded_size_and_exact_offsets():
    text = _article(60)
    settings = ChunkSettings(min_words=120, max_words=200, overlap_sentences=1)
    passages = chunk_text(text, settings)
    assert len(passages) > 3
    for p in passages:
        piece = text[p.start:p.end]
        assert piece == piece.strip() and piece
        words = len(piece.split())
        assert words <= 200
        if p is not passages[-1]:
            assert words >= 60
        # passages start on a sentence (or the title) and end on a full stop
        assert piece.endswith(".")
    assert [p.index for p in passages] == list(range(len(passages)))


def test_passages_cover_the_text_with_small_overlap():
    text = _article(40)
    passages = chunk_text(text, ChunkSettings(min_words=50, max_words=80, overlap_sentences=1))
    assert passages[0].start == 0
    assert passages[-1].end == len(text)
    for before, after in zip(passages, passages[1:]):
        assert after.start < before.end, "consecutive passages share one sentence"
        assert before.end - after.start < 150, "the overlap is one short sentence, not more"


def test_no_overlap_when_disabled():
    text = _article(40)
    passages = chunk_text(text, ChunkSettings(min_words=50, max_words=80, overlap_sentences=0))
    for before, after in zip(passages, passages[1:]):
        assert after.start >= before.end


def test_a_sentence_longer_than_max_is_cut_at_words():
    text = " ".join(f"w{i}" for i in range(500))
    passages = chunk_text(text, ChunkSettings(min_words=50, max_words=100, overlap_sentences=1))
    assert all(len(text[p.start:p.end].split()) <= 100 for p in passages)
    assert passages[-1].end == len(text)
    assert " ".join(text[p.start:p.end] for p in passages).split() == text.split()


def test_short_and_empty_texts():
    assert chunk_text("") == []
    assert chunk_text("   \n ") == []
    passages = chunk_text("Just one line.")
    assert [(p.start, p.end) for p in passages] == [(0, 14)]
