"""The indexing pipeline, generators end to end: read → metadata → chunk → enrich → write.

``index_paths`` adds a folder incrementally (unchanged files are skipped by
content hash, changed ones replaced, ``prune`` drops vanished files);
``reindex`` rebuilds every stored article into a fresh index and switches to it
atomically; ``analyse_paths`` runs the same steps without an engine (used by
the entity evaluation).
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from search_service.backends import Backend
from search_service.config import Settings
from search_service.models import Article, Passage

from .analysis_store import content_key, facets_digest
from .chunking import ChunkSettings, chunk_text
from .entities.corpus import add_variants
from .locking import index_lock
from .metadata import body_start, extract_metadata
from .progress import Progress
from .formats.base import Unreadable
from .readers import RawDocument, Skipped, discover, iter_files, read_source

#: Articles written per commit (a batch never splits one file, see _file_batches).
COMMIT_EVERY = 200
#: Texts at least this long get a note in the log: their NER alone takes a while.
LARGE_TEXT_CHARS = 1_000_000
#: Rough NER + entity-rule speed per NLP process (small English pipeline, one core of
#: the 2-core benchmark machine: 4 MB in about 95 s), for that note's estimate; a long
#: text's pieces are shared out among the processes.
NER_CHARS_PER_SECOND = 45_000


@dataclass
class RunSummary:
    """What one run did, for the closing summary and ``--json`` output."""

    indexed: int = 0  # documents written
    indexed_files: int = 0
    unchanged: int = 0  # files skipped because their content hash is unchanged
    pruned: int = 0  # files whose documents were removed
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # partial problems, data kept
    ner_texts: int = 0  # texts that went through NER (the rest came from the analysis store)

    def format(self) -> str:
        lines = [
            f"Indexed {self.indexed} documents from {self.indexed_files} files; "
            f"{self.unchanged} unchanged, {len(self.skipped)} skipped, {len(self.failed)} failed"
            + (f", {self.pruned} pruned" if self.pruned else "")
            + "."
            + (f" NER ran on {self.ner_texts} texts; the others' entities came from the analysis store."
               if self.ner_texts < self.indexed else "")
        ]
        for label, items in (("skipped", self.skipped), ("failed", self.failed), ("warning", self.warnings)):
            lines += [f"  {label}: {source}: {reason}" for source, reason in items]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {
            "indexed": self.indexed,
            "indexed_files": self.indexed_files,
            "unchanged": self.unchanged,
            "pruned": self.pruned,
            "ner_texts": self.ner_texts,
            "skipped": [{"source": s, "reason": r} for s, r in self.skipped],
            "failed": [{"source": s, "reason": r} for s, r in self.failed],
            "warnings": [{"source": s, "reason": r} for s, r in self.warnings],
        }


def article_id(source: str, record_id: str | None = None) -> str:
    """A stable id: the same file (and record) always gets the same id."""
    key = source if record_id is None else f"{source}#{record_id}"
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def passages(text: str, chunking: ChunkSettings) -> list[Passage]:
    """An article's passages, from the start of its body (after the headline and the
    date, byline and source lines): the one rule for indexing and reindex alike."""
    return chunk_text(text, chunking, start=body_start(text))


def build_article(raw: RawDocument, chunking: ChunkSettings) -> Article:
    """Metadata and passages for one raw document (entities come later)."""
    meta = extract_metadata(raw.text)
    return Article(
        id=article_id(raw.source, raw.record_id),
        text=raw.text,
        title=raw.title or meta.title or Path(raw.source).stem,
        source=raw.source,
        source_hash=raw.source_hash,
        published=raw.published or meta.published,
        agency=raw.agency or meta.agency,
        url=raw.url,
        passages=passages(raw.text, chunking),
        source_label=raw.source_label,
    )


def _make_enricher(settings: Settings):
    # Imported here so `search-service search` and the web app never load spaCy.
    from .enrich import Enricher

    return Enricher(settings)


def _annotated(articles: Iterable[Article], enricher, summary: RunSummary | None = None) -> Iterator[Article]:
    for article, entities, years in enricher.annotate((a, a.text) for a in articles):
        article.entities = entities
        article.mentioned_years = sorted(set(years))
        yield article


def _file_batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Batches of about ``size`` articles that never split one source file.

    Keeping a file's articles in one commit means a crash can never leave a
    file half-replaced under its new content hash (which the next run would
    then wrongly skip as unchanged).
    """
    batch: list[Article] = []
    for article in articles:
        if len(batch) >= size and batch[-1].source != article.source:
            yield batch
            batch = []
        batch.append(article)
    if batch:
        yield batch


def text_key(text: str) -> str:
    """Identity of an article's content, for spotting one article saved under two names."""
    return hashlib.sha256(text.strip().encode("utf-8", "surrogatepass")).hexdigest()


def _indexed_texts(backend: Backend) -> dict[str, str]:
    """text key → label of every stored article whose file still exists.

    A vanished file's article is left out: with ``--prune`` it is about to go, and a
    renamed file must then be indexed under its new name, not skipped as a copy.
    """
    texts: dict[str, str] = {}
    for article in backend.iter_articles():
        if os.path.exists(article.source):
            texts.setdefault(text_key(article.text), article.source)
    return texts


def _raw_documents(paths, known: dict[str, str], summary: RunSummary, progress: Progress, seen: set[str],
                   texts_seen: dict[str, str], nlp_processes: int = 1):
    """Raw documents of new or changed files; unchanged and unreadable files are counted."""
    for item in discover(paths):
        if isinstance(item, Skipped):
            summary.skipped.append((item.source, item.reason))
            progress.update()
            continue
        seen.add(item.source)
        try:
            digest = item.digest()  # the bytes stay with the item for the reader
        except Unreadable as exc:
            summary.skipped.append((item.source, str(exc)))
            progress.update()
            continue
        if known.get(item.source) == digest:
            item.release()
            summary.unchanged += 1
            progress.update()
            continue
        produced = 0
        for doc in read_source(item):
            if isinstance(doc, Skipped):
                (summary.skipped if doc.fatal else summary.warnings).append((doc.source, doc.reason))
                continue
            key = text_key(doc.text)
            first = texts_seen.get(key)
            # A changed file may keep some records' texts: those are not copies of themselves.
            if first is not None and first.split("#")[0] != doc.source:
                summary.skipped.append((_label(doc), f"same text as {first}"))
                continue
            texts_seen[key] = _label(doc)
            if len(doc.text) >= LARGE_TEXT_CHARS:
                # The bar counts files; one huge text holds it still for minutes.
                progress.note(f"note: {_label(doc)} is a large text ({len(doc.text) / 1e6:.1f} million characters); "
                              f"finding its entities takes about {_minutes(len(doc.text) / nlp_processes)}")
            produced += 1
            yield doc
        item.release()
        if produced:
            summary.indexed_files += 1
        progress.update()


def _minutes(chars: float) -> str:
    minutes = chars / NER_CHARS_PER_SECOND / 60
    return "a minute" if minutes < 1.5 else f"{minutes:.0f} minutes"


def _label(doc: RawDocument) -> str:
    return doc.source if doc.record_id is None else f"{doc.source}#{doc.record_id}"


def index_paths(paths: Iterable[str | os.PathLike], backend: Backend, settings: Settings, prune: bool = False) -> RunSummary:
    """Index files and folders into the live index, incrementally."""
    paths = [Path(p) for p in paths]
    summary = RunSummary()
    chunking = ChunkSettings.from_settings(settings)
    with index_lock(settings.data_dir):
        known = backend.source_hashes()
        total = sum(1 for _ in iter_files(paths))
        seen: set[str] = set()
        enricher = _make_enricher(settings)
        with Progress(total, "Indexing", unit="file") as progress, backend.writer() as writer:
            raws = _raw_documents(paths, known, summary, progress, seen, _indexed_texts(backend) if known else {},
                                  enricher.n_process)
            articles = _built(raws, chunking, summary)
            replaced: set[str] = set()
            store = enricher.store
            for batch in _file_batches(_annotated(articles, enricher), COMMIT_EVERY):
                enricher.resolve_corpus(batch)
                for article in batch:
                    if article.source in known and article.source not in replaced:
                        writer.delete_source(article.source)  # changed file: drop its old version
                        store.drop_source(article.source)
                        replaced.add(article.source)
                    writer.add(article)
                    store.set_document(article.id, article.source, content_key(article.text),
                                       facets_digest(article.entities))
                writer.commit()
                store.commit()
                summary.indexed += len(batch)
            _report_refused(writer, summary)
            summary.ner_texts = enricher.ner_texts
            if prune:
                for source in sorted(set(known) - seen):
                    if not os.path.exists(source):
                        writer.delete_source(source)
                        store.drop_source(source)
                        summary.pruned += 1
                writer.commit()
                store.commit()
    return summary


def _report_refused(writer, summary: RunSummary) -> None:
    """Count writes the engine refused (e.g. an Elasticsearch mapping error) as failed."""
    refused = writer.refused()
    for doc_id, reason in refused:
        summary.failed.append((doc_id, f"refused by the search engine: {reason}"))
    summary.indexed -= len({doc_id for doc_id, _ in refused})


def _built(raws: Iterable[RawDocument], chunking: ChunkSettings, summary: RunSummary) -> Iterator[Article]:
    for raw in raws:
        try:
            yield build_article(raw, chunking)
        except Exception as exc:  # one bad document must never stop the run
            summary.failed.append((_label(raw), f"{type(exc).__name__}: {exc}"))


def reindex(backend: Backend, settings: Settings) -> RunSummary:
    """Rebuild every stored article (re-chunked, re-enriched, curation applied) into
    a fresh index, then switch searches to it atomically.

    Streams in two passes, so memory stays flat however large the collection: the
    first reads each article, takes its entity record from the analysis store (rules
    or NER run only for what the store lacks: NER once per content and model) and
    counts its votes; the second reads each article again, resolves its values
    against the whole corpus and writes it.
    """
    summary = RunSummary()
    chunking = ChunkSettings.from_settings(settings)
    with index_lock(settings.data_dir):
        total = backend.stats().get("documents", 0)
        enricher = _make_enricher(settings)
        enricher.reset_registry()
        store = enricher.store
        store.clear_documents()
        with Progress(total, "Re-analysing", unit="doc") as progress:
            items = (((a.id, a.source, content_key(a.text)), a.text) for a in backend.iter_articles())
            for (doc_id, source, content), entities, _ in enricher.annotate(items):
                store.set_document(doc_id, source, content)
                enricher.vote(entities)
                progress.update()
        store.commit()
        with Progress(total, "Writing", unit="doc") as progress, backend.rebuild() as writer:
            for i, article in enumerate(backend.iter_articles(), 1):
                record = enricher.record(article.text)
                if record is None:  # the first pass stored one for every article
                    raise RuntimeError(f"no entity record for article {article.id}")
                article.entities = add_variants(article.text, enricher.resolve(record[0]))
                article.mentioned_years = sorted(set(record[1]))
                article.passages = passages(article.text, chunking)
                writer.add(article)
                store.set_facets(article.id, facets_digest(article.entities))
                summary.indexed += 1
                progress.update()
                if i % (COMMIT_EVERY * 10) == 0:
                    writer.commit()
            writer.commit()  # so refusals of the last batch are known before the switch
            _report_refused(writer, summary)
        enricher.registry.save()
        store.prune(enricher.model_id, enricher.record_version)
        store.commit()
        summary.indexed_files = store.source_count()
        summary.ner_texts = enricher.ner_texts
    return summary


def analyse_paths(paths: Iterable[str | os.PathLike], settings: Settings) -> Iterator[Article]:
    """Read, chunk and enrich files without any engine (whole corpus resolved together).

    Streams like :func:`reindex`: one pass to analyse and count votes (records kept
    in a temporary analysis store), a second that reads the files again and yields
    each article with its corpus-resolved values. Never touches a live data directory.
    """
    chunking = ChunkSettings.from_settings(settings)
    paths = [Path(p) for p in paths]

    def articles() -> Iterator[Article]:
        raws = (doc for item in discover(paths) if not isinstance(item, Skipped)
                for doc in read_source(item) if isinstance(doc, RawDocument))
        return _built(raws, chunking, RunSummary())

    with tempfile.TemporaryDirectory(prefix="search-analyse-") as scratch:
        # A scratch data directory: an analysis must never read or reset a live index's registry.
        enricher = _make_enricher(settings.replace(data_dir=scratch))
        try:
            for _, entities, _ in enricher.annotate((None, a.text) for a in articles()):
                enricher.vote(entities)
            for article in articles():
                entities, years = enricher.record(article.text)
                article.entities = add_variants(article.text, enricher.resolve(entities))
                article.mentioned_years = sorted(set(years))
                yield article
        finally:
            enricher.store.close()
