"""``search-service entities apply``: the curation file applied to the live index in seconds.

Runs from the analysis store (:mod:`indexer.analysis_store`), never from NER: a first
pass streams every stored article's compact entity record and counts the corpus
votes (spellings, types) under the current curation; a second resolves each record
again and compares the values with the digest of those the article was written
with. Only the articles whose values change are read back, rewritten and written to
a copy of the live index (:meth:`Backend.revise`), which then replaces it atomically
(``reindex --rollback`` undoes it).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator

from search_service.backends import Backend, BackendError
from search_service.config import Settings
from search_service.models import Entity

from .analysis_store import facets_digest
from .entities import EntityRegistry
from .entities.corpus import add_variants
from .locking import index_lock
from .progress import Progress

#: Value changes listed in the summary (the rest are counted).
SUMMARY_LINES = 20


@dataclass
class ApplySummary:
    """What ``entities apply`` changed."""

    documents: int = 0  # articles looked at
    changed: int = 0  # articles rewritten
    analysed: int = 0  # articles whose record had to be rebuilt (rules edited since they were indexed)
    ner_texts: int = 0  # of those, texts that needed NER (none unless the store lacked them)
    removed: Counter = field(default_factory=Counter)  # (type, value) -> documents that lost it
    added: Counter = field(default_factory=Counter)  # (type, value) -> documents that gained it
    failed: list[tuple[str, str]] = field(default_factory=list)  # (doc id, reason) refused by the engine

    def format(self) -> str:
        lines = [f"Applied the curation to {self.documents} documents: {self.changed} changed"
                 + (f", {self.analysed} re-analysed from stored NER output" if self.analysed else "")
                 + (f", NER ran on {self.ner_texts} texts" if self.ner_texts else "") + "."]
        changes = [("-", key, n) for key, n in self.removed.items()] + [("+", key, n) for key, n in self.added.items()]
        changes.sort(key=lambda c: (-c[2], c[1][1], c[0]))
        for sign, (etype, name), n in changes[:SUMMARY_LINES]:
            lines.append(f"  {sign} {etype} {name!r} in {n} document{'s' if n != 1 else ''}")
        if len(changes) > SUMMARY_LINES:
            lines.append(f"  … and {len(changes) - SUMMARY_LINES} more value changes")
        lines += [f"  failed: {doc_id}: refused by the search engine: {reason}" for doc_id, reason in self.failed]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        def listed(counter: Counter) -> list[dict]:
            return [{"type": t, "value": v, "documents": n} for (t, v), n in counter.most_common()]
        return {"documents": self.documents, "changed": self.changed, "analysed": self.analysed,
                "ner_texts": self.ner_texts, "removed": listed(self.removed), "added": listed(self.added),
                "failed": [{"source": d, "reason": r} for d, r in self.failed]}


def corpus_records(backend: Backend, enricher, summary: ApplySummary | None = None,
                   progress_label: str = "Counting") -> Iterator[tuple[str, list[Entity], list[int], str]]:
    """``(doc_id, entities, years, facets digest)`` of every stored article, streamed from the store.

    An article whose record is missing (the rules were edited since it was indexed)
    is read back and analysed again — from its stored NER output when there is one.
    Raises :class:`BackendError` when the store does not list the index's articles
    (an index built before the store existed): ``reindex`` once fixes that.
    """
    store = enricher.store
    total = backend.stats().get("documents", 0)
    if store.document_count() != total:
        raise BackendError(f"The analysis store lists {store.document_count()} documents but the index has {total}; "
                           "run 'search-service reindex' once (it runs NER only for texts not analysed yet).")
    with Progress(total, progress_label, unit="doc") as progress:
        for doc_id, record, facets in store.document_records(enricher.record_version):
            if record is None:
                article = backend.get(doc_id)
                if article is None:
                    raise BackendError(f"Article {doc_id} is listed in the analysis store but not in the index; "
                                       "run 'search-service reindex'.")
                [(_, entities, years)] = list(enricher.annotate([(doc_id, article.text)]))
                record = entities, years
                if summary is not None:
                    summary.analysed += 1
            progress.update()
            yield doc_id, record[0], record[1], facets


def apply_curation(backend: Backend, settings: Settings) -> ApplySummary:
    """Apply the current curation file (and entity rules) to every stored article; see the module docstring."""
    from .enrich import Enricher  # spaCy itself is only imported if a record needs NER

    summary = ApplySummary()
    with index_lock(settings.data_dir):
        enricher = Enricher(settings)  # reads the curation file first: a bad one stops here
        live_registry = enricher.registry
        enricher.registry = EntityRegistry()  # recomputed from the whole corpus, saved only at the end
        for _, entities, _, _ in corpus_records(backend, enricher, summary):
            enricher.vote(entities)
        enricher.store.commit()
        changed: list[tuple[str, list[Entity], list[int], str]] = []
        for doc_id, entities, years, facets in corpus_records(backend, enricher, progress_label="Comparing"):
            summary.documents += 1
            resolved = enricher.resolve(entities)
            digest = facets_digest(resolved)
            if digest != facets:
                changed.append((doc_id, resolved, years, digest))
        if changed:
            with Progress(len(changed), "Applying", unit="doc") as progress, backend.revise() as writer:
                for doc_id, resolved, years, _ in changed:
                    article = backend.get(doc_id)
                    before = {(e.type, e.name) for e in article.entities}
                    article.entities = add_variants(article.text, resolved)
                    article.mentioned_years = sorted(set(years))
                    after = {(e.type, e.name) for e in article.entities}
                    summary.removed.update(before - after)
                    summary.added.update(after - before)
                    writer.add(article)
                    progress.update()
                writer.commit()
                summary.failed = writer.refused()
            refused = {doc_id for doc_id, _ in summary.failed}
            for doc_id, _, _, digest in changed:
                if doc_id not in refused:
                    enricher.store.set_facets(doc_id, digest)
            summary.changed = len(changed) - len(refused)
        enricher.registry.path = live_registry.path
        enricher.registry.save()
        enricher.store.commit()
        summary.ner_texts = enricher.ner_texts
    return summary


def review_corpus(backend: Backend, settings: Settings, only_type: str | None = None):
    """``entities review``: suspicious values of the live collection under the current curation
    (:mod:`indexer.entities.review`), computed from the analysis store without NER."""
    from .enrich import Enricher
    from .entities.corpus import curated_key
    from .entities.resolve import TentativeEntity
    from .entities.review import CorpusValues, review

    values = CorpusValues()
    with index_lock(settings.data_dir):
        enricher = Enricher(settings)
        enricher.registry = EntityRegistry()  # the whole corpus under the current curation, not saved
        for _, entities, _, _ in corpus_records(backend, enricher, progress_label="Counting"):
            enricher.vote(entities)
            typed = {}
            for entity in entities:
                key = curated_key(entity, enricher.curation)
                if key is not None and not isinstance(entity, TentativeEntity):
                    typed[(key, entity.type)] = entity.name
            for (key, etype), name in typed.items():
                values.add_raw(key, etype, enricher.registry.display(key, name))
        for n, (_, entities, _, _) in enumerate(corpus_records(backend, enricher, progress_label="Reviewing")):
            values.add_document(n, [(e.type, e.name) for e in enricher.resolve(entities)])
        enricher.store.commit()
    for key in values.display:  # the display name every document now shows
        values.display[key] = enricher.registry.display(key, values.display[key])
    return review(values, only_type)
