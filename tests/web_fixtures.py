"""Articles with invented names, written straight into a real Tantivy index.

The web tests need a small, known corpus in the real engine. Articles are built
directly (no spaCy): entity mentions are found by string search in the text we
wrote, passages are cut at sentence ends with real offsets.
"""
from __future__ import annotations

import datetime as dt
import re

from search_service.backends import open_backend
from search_service.config import Settings, load_settings
from search_service.models import Article, Entity, Passage

SCRIPT_PAYLOAD = "<script>alert(1)</script>"
IMG_PAYLOAD = "<img src=x onerror=alert(1)>"


def make_article(doc_id, title, sentences, published=None, people=(), orgs=(), places=(),
                 mentioned_years=(), sentences_per_passage=1, source=None) -> Article:
    """An Article whose passages and entity mentions have true offsets into its text."""
    text = " ".join(sentences)
    passages, start = [], 0
    for i in range(0, len(sentences), sentences_per_passage):
        chunk = " ".join(sentences[i:i + sentences_per_passage])
        begin = text.index(chunk, start)
        passages.append(Passage(index=len(passages), start=begin, end=begin + len(chunk)))
        start = begin + len(chunk)
    entities = []
    for etype, names in (("person", people), ("organisation", orgs), ("place", places)):
        for name in names:
            spans = [(m.start(), m.end()) for m in re.finditer(re.escape(name), text)]
            entities.append(Entity(type=etype, name=name, mentions=spans))
    return Article(
        id=doc_id,
        text=text,
        title=title,
        source=source or f"corpus/{doc_id}.txt",
        source_hash=f"hash-{doc_id}",
        published=dt.date.fromisoformat(published) if published else None,
        passages=passages,
        entities=entities,
        mentioned_years=list(mentioned_years),
    )


def corpus() -> list[Article]:
    """Eight articles about an invented harbour town."""
    return [
        make_article(
            "harbour-ferry", "Harbour council approves new ferry line",
            ["Marta Kessel said the Norrvik Harbour Council approved a new ferry line to Lindholm.",
             "Olek Brandt welcomed the ferry plan for 2021.",
             "The ferry will sail twice a day."],
            "2019-03-04", people=["Marta Kessel", "Olek Brandt"], orgs=["Norrvik Harbour Council"],
            places=["Norrvik", "Lindholm"], mentioned_years=[2021]),
        make_article(
            "ferry-season", "Ferry operator reports record season",
            ["Bluewake Ferries carried more passengers to Lindholm than ever.",
             "Olek Brandt, who runs Bluewake Ferries, compared 2019 with 2020.",
             "Ferry tickets sold out in July.",
             "A second ferry joined the route.",
             "The ferry crews worked extra shifts.",
             "Ferry fares will stay the same."],
            "2020-08-10", people=["Olek Brandt"], orgs=["Bluewake Ferries"], places=["Lindholm"],
            mentioned_years=[2019, 2020]),
        make_article(
            "rail-strike", "Rail strike halts northern trains",
            ["Ines Varga of the Northern Rail Union called a strike in Kessby.",
             "No trains ran between Kessby and the coast, as in 2018."],
            "2020-01-15", people=["Ines Varga"], orgs=["Northern Rail Union"], places=["Kessby"],
            mentioned_years=[2018]),
        make_article(
            "budget-debate", "Council debates rail and ferry budget",
            ["Marta Kessel and Ines Varga argued over the budget in Norrvik.",
             "The Norrvik Harbour Council and the Northern Rail Union both asked for money for 2022."],
            "2021-06-01", people=["Marta Kessel", "Ines Varga"],
            orgs=["Norrvik Harbour Council", "Northern Rail Union"], places=["Norrvik"],
            mentioned_years=[2022]),
        make_article(
            "museum-wing", "Museum opens maritime wing",
            ["Pavel Lund opened the new wing of the Lindholm Maritime Museum.",
             "The wing shows old harbour maps and a lighthouse lens."],
            "2018-11-20", people=["Pavel Lund"], orgs=["Lindholm Maritime Museum"], places=["Lindholm"]),
        make_article(
            "timetable-notes", "Notes on the ferry timetable",
            ["Winter timetables start in October.", "Olek Brandt wants later evening departures."],
            None, people=["Olek Brandt"]),
        make_article(
            "lighthouse", "Lighthouse keeper retires",
            ["Greta Holm kept the Skarv lighthouse for thirty years.",
             "She remembers the storm of 1987 in Skarv."],
            "2017-05-02", people=["Greta Holm"], places=["Skarv"], mentioned_years=[1987]),
        make_article(
            "payload", f"{SCRIPT_PAYLOAD} Harbour notice {IMG_PAYLOAD}",
            [f"A harbour notice quoted {SCRIPT_PAYLOAD} verbatim.",
             f"Signed by {IMG_PAYLOAD} for the Quay Office."],
            "2019-09-09", people=[IMG_PAYLOAD], orgs=["Quay Office"], places=[SCRIPT_PAYLOAD]),
    ]


def write_articles(config: dict, articles) -> None:
    """Write ``articles`` through the real backend's writer and close it."""
    backend = open_backend(config)
    try:
        with backend.writer() as writer:
            for article in articles:
                writer.add(article)
    finally:
        backend.close()


def web_config(data_dir, **extra) -> Settings:
    """Settings for a test app on ``data_dir``, ignoring the caller's environment."""
    return load_settings({"DATA_DIR": str(data_dir), **extra}, environ={})


def app_client(settings):
    """A Flask test client of the app on ``settings``; errors raise in the test
    instead of becoming a 500 page."""
    from search_service.web import create_app

    app = create_app(settings)
    app.testing = True
    return app.test_client()
