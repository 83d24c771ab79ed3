"""Entity enrichment: spaCy NER over article texts, then the rules in :mod:`indexer.entities`.

:class:`Enricher` is what the pipeline calls:

* :meth:`Enricher.annotate` streams ``(key, text)`` pairs through ``nlp.pipe``
  (NER components only, all cores) and yields ``(key, entities, mentioned_years)``
  after per-document clean-up and within-document resolution;
* :meth:`Enricher.resolve_corpus` merges values across articles (majority type,
  display names, the curation file) and remembers them in the registry.

Only the components NER needs are loaded: in the small English pipeline the
``ner`` component has its own embedding layer, so even the shared ``tok2vec``
(used by the tagger and parser) is dropped when nothing listens to it.
"""
from __future__ import annotations

import multiprocessing
import os
import re
from collections import deque
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any, Iterable, Iterator

from search_service.config import FIELDS, Settings
from search_service.models import Article, Entity

from .analysis_store import AnalysisStore, content_key, model_id, rules_version
from .entities import EntityRegistry, load_curation, mentioned_years, resolve_articles, resolve_document
from .entities.corpus import resolve_entities, vote
from .entities.resolve import resolve_document_basic
from .entities.years import MIN_YEAR, max_year
from .metadata import metadata_ranges

#: The model named by the settings' default (declared once, in search_service.config).
DEFAULT_MODEL = FIELDS["spacy_model"].default
#: Components that never help NER; excluded at load time so their weights are not even read.
NON_NER_COMPONENTS = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "morphologizer",
                      "textcat", "textcat_multilabel", "entity_linker", "trainable_lemmatizer", "spancat"]
#: Texts longer than this are cut into pieces on paragraph boundaries. spaCy batches by
#: count, so a batch holds up to NLP_BATCH_SIZE pieces: 20,000 characters keeps a batch
#: near 0.6 MB of text (a 2 MB file peaked at 679 MiB, against 2.4 GiB with 100,000).
MAX_PIECE_CHARS = 20_000
#: With several NLP processes, a text longer than this has its pieces shared out among
#: all of them (in tasks of PIECES_PER_TASK) instead of going whole to one process:
#: one 20 MB file otherwise kept one core busy for 7 minutes while the others idled.
SPREAD_TEXT_CHARS = 5 * MAX_PIECE_CHARS
PIECES_PER_TASK = 4
#: New analysis-store entries per SQLite commit.
STORE_COMMIT_EVERY = 200


@dataclass(frozen=True)
class _Tag:
    """What the parent keeps of a text while it is analysed: the caller's key and the content hash."""

    key: Any
    content: str


def _outside(ents: list[tuple[int, int, str]], ranges: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The spans that overlap none of ``ranges``."""
    if not ranges:
        return ents
    return [(s, e, label) for s, e, label in ents if not any(s < r_end and r_start < e for r_start, r_end in ranges)]


class EnrichmentError(Exception):
    """Entity enrichment cannot run (e.g. the spaCy model is not installed)."""


def load_ner_pipeline(model: str = DEFAULT_MODEL):
    """Load ``model`` with only the components NER needs.

    Raises :class:`EnrichmentError` naming the model and how to install it when it is missing.
    """
    import spacy  # imported lazily: the web app never needs it

    try:
        nlp = spacy.load(model, exclude=NON_NER_COMPONENTS)
    except OSError as exc:
        raise EnrichmentError(
            f"spaCy model {model!r} is not installed (or not a valid model path): {exc}. "
            f"Install it into this environment, e.g. 'pip install {model}' or 'python -m spacy download {model}', "
            "or set SEARCH_SPACY_MODEL to an installed pipeline."
        ) from None
    if "ner" not in nlp.pipe_names:
        raise EnrichmentError(f"spaCy model {model!r} has no 'ner' component; choose a pipeline with NER.")
    for name in list(nlp.pipe_names):
        pipe = nlp.get_pipe(name)
        # A shared tok2vec only matters if the NER listens to it.
        if name != "ner" and hasattr(pipe, "listening_components") and "ner" not in pipe.listening_components:
            nlp.remove_pipe(name)
    nlp.max_length = max(nlp.max_length, 2 * MAX_PIECE_CHARS)
    return nlp


def process_count(settings: Settings) -> int:
    """Worker processes for spaCy: ``nlp_processes``, 0 meaning one per available CPU core."""
    wanted = settings.nlp_processes
    if wanted > 0:
        return wanted
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def nlp_for_benchmark(settings: Settings):
    """``(nlp, {"n_process": …, "batch_size": …})`` exactly as :class:`Enricher` runs them.

    For measuring bare ``nlp.pipe`` throughput against the full pipeline::

        nlp, kw = nlp_for_benchmark(settings)
        for doc in nlp.pipe(texts, **kw): ...
    """
    nlp = load_ner_pipeline(settings.spacy_model)
    return nlp, {"n_process": process_count(settings), "batch_size": max(1, settings.nlp_batch_size)}


def split_text(text: str, limit: int) -> list[tuple[int, str]]:
    """Cut ``text`` into ``(offset, piece)`` parts of at most ``limit`` characters.

    Cuts fall on a paragraph break if there is one in the second half of the
    window, else a line break, a sentence end or a space, so no entity is split
    except in pathological text.
    """
    if len(text) <= limit:
        return [(0, text)]
    pieces, start = [], 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = -1
        for pattern in (r"\n\s*\n", r"\n", r"[.!?]\s", r"\s"):
            matches = [m.end() for m in re.finditer(pattern, window[limit // 2:])]
            if matches:
                cut = limit // 2 + matches[-1]
                break
        if cut <= 0:
            cut = limit
        pieces.append((start, text[start:start + cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces


class Enricher:
    """Finds people, organisations, places and years in article texts (see module docstring)."""

    def __init__(self, settings: Settings, fresh: bool = False):
        self.settings = settings
        self.model = settings.spacy_model
        self.batch_size = max(1, settings.nlp_batch_size)
        self.n_process = process_count(settings)
        # "basic" = raw NER + clean-up only: the evaluation baseline ("before" figures).
        self.basic = settings.entity_rules == "basic"
        # Read the curation file now: a malformed file should stop the run before any work.
        self.curation = load_curation(settings.entities_file)
        self.registry = EntityRegistry.for_data_dir(settings.data_dir)
        if fresh:
            self.reset_registry()
        self.store = AnalysisStore.for_data_dir(settings.data_dir)
        self.model_id = model_id(self.model)
        #: Records depend on the NER output and on the document-level rules.
        self.record_version = f"{self.model_id}|{rules_version(self.basic)}"
        self._nlp = None
        #: Texts that went through NER in this run (the rest came from the analysis store).
        self.ner_texts = 0
        #: Texts whose NER was shared out among the worker processes (see SPREAD_TEXT_CHARS).
        self.spread_texts = 0

    @property
    def nlp(self):
        """The spaCy pipeline, loaded on first use."""
        if self._nlp is None:
            self._nlp = load_ner_pipeline(self.model)
        return self._nlp

    def reset_registry(self) -> None:
        """Forget corpus-wide spellings and type votes; ``reindex`` calls this to recompute from scratch."""
        self.registry.clear()

    def annotate(self, items: Iterable[tuple[Any, str]]) -> Iterator[tuple[Any, list[Entity], list[int]]]:
        """Yield ``(key, entities, mentioned_years)`` for each ``(key, text)``, in input order.

        NER runs once per content: a text whose entity record (or raw NER output) is
        in the analysis store is taken from there, and what is computed is stored.
        """
        items = (self._recall(key, text) for key, text in items)
        head = list(islice(items, 2 * self.batch_size))
        if not head:
            return
        # Starting worker processes costs time; not worth it for under two batches of
        # texts that need NER, unless one text is long enough to share out.
        todo = [text for _, text, ready in head if ready is None]
        long_text = any(len(text or "") > SPREAD_TEXT_CHARS for text in todo)
        if self.n_process > 1 and (len(todo) >= 2 * self.batch_size or long_text):
            results = self._annotate_in_workers(chain(head, items))
        else:
            results = self._annotate_here(chain(head, items))
        try:
            for n, (tag, entities, years, spans, new_record) in enumerate(results, 1):
                if spans is not None:
                    self.ner_texts += 1
                    self.store.put_spans(self.model_id, tag.content, spans)
                if new_record:
                    self.store.put_record(self.record_version, tag.content, entities, years)
                if n % STORE_COMMIT_EVERY == 0:
                    self.store.commit()
                yield tag.key, entities, years
        finally:
            self.store.commit()

    def _recall(self, key: Any, text: str) -> tuple["_Tag", str, tuple | None]:
        """``(tag, text, ready)``: ``ready`` is a finished result when the store knows the text, else None."""
        tag = _Tag(key, content_key(text))
        record = self.store.record(self.record_version, tag.content)
        if record is not None:
            return tag, text, (*record, None, False)
        spans = self.store.spans(self.model_id, tag.content)
        if spans is not None:  # the rules changed since: re-run them, not NER
            return tag, text, (*self.analyse(text or "", spans, self.basic), None, True)
        return tag, text, None

    def _annotate_here(self, items: Iterable[tuple["_Tag", str, tuple | None]]):
        for tag, text, ready in items:
            yield (tag, *ready) if ready is not None else \
                (tag, *_annotate_texts(self.nlp, [text], self.batch_size, self.basic)[0], True)

    def _annotate_in_workers(self, items: Iterator[tuple["_Tag", str, tuple | None]]):
        """Batches of texts go to forked worker processes that tokenise, run NER *and*
        apply the entity rules, sending back only the small entity lists and NER spans.

        This is cheaper for the parent than ``nlp.pipe(n_process=…)``, which tokenises
        every text in the parent and ships whole Doc objects back and forth: on two
        cores the parent's share of that work competed with the NER itself. Keys stay
        in the parent; at most two batches per worker are in flight, so reading
        never runs far ahead of NER. Texts the store already knows pass straight through
        (in their place in the order).
        """
        global _WORKER_STATE
        _WORKER_STATE = (self.nlp, self.batch_size, self.basic)  # inherited by the forked workers
        in_flight: deque = deque()  # jobs in input order, each a callable giving [result]
        with multiprocessing.get_context("fork").Pool(self.n_process) as pool:
            while True:
                batch = list(islice(items, self.batch_size))
                short = []
                for tag, text, ready in batch:
                    if ready is not None or len(text or "") > SPREAD_TEXT_CHARS:
                        in_flight.extend(self._jobs_for_batch(pool, short))
                        short = []
                        in_flight.append((lambda r=(tag, *ready): [r]) if ready is not None
                                         else self._spread_job(pool, tag, text))
                    else:
                        short.append((tag, text))
                in_flight.extend(self._jobs_for_batch(pool, short))
                while in_flight and (not batch or len(in_flight) > 2 * self.n_process):
                    yield from in_flight.popleft()()
                if not batch:
                    return

    @staticmethod
    def _jobs_for_batch(pool, batch: list[tuple[Any, str]]):
        """One worker task for a batch of ordinary texts: NER and rules in the worker."""
        if not batch:
            return []
        pending = pool.apply_async(_annotate_in_worker, ([text for _, text in batch],))
        keys = [key for key, _ in batch]
        return [lambda: [(key, *result, True) for key, result in zip(keys, pending.get())]]

    def _spread_job(self, pool, key: Any, text: str):
        """NER of a long text's pieces in several worker tasks; the rules then run
        here on the whole text, as they need every span of it at once."""
        pieces = split_text(text, MAX_PIECE_CHARS)
        tasks = [pool.apply_async(_ner_in_worker, (pieces[i:i + PIECES_PER_TASK],))
                 for i in range(0, len(pieces), PIECES_PER_TASK)]
        self.spread_texts += 1

        def result():
            spans = [span for task in tasks for span in task.get()]
            return [(key, *Enricher.analyse(text, spans, self.basic), spans, True)]
        return result

    @staticmethod
    def analyse(text: str, ents: list[tuple[int, int, str]], basic: bool = False) -> tuple[list[Entity], list[int]]:
        """Entities and years of one text from its raw NER spans ``(start, end, label)`` (no spaCy needed)."""
        if not basic:  # names in the metadata lines (date, byline, source, timestamp) are no entities
            ents = _outside(ents, metadata_ranges(text))
        dates = [(s, e) for s, e, label in ents if label == "DATE"]
        if basic:  # the baseline: every four-digit number inside a DATE entity
            years = sorted({int(y) for s, e in dates for y in re.findall(r"\b\d{4}\b", text[s:e])
                            if MIN_YEAR <= int(y) <= max_year()})
            return resolve_document_basic(text, ents), years
        return resolve_document(text, ents), mentioned_years(text, dates)

    def resolve_corpus(self, articles: list[Article]) -> None:
        """Merge values across ``articles`` (majority type, display names, curation) in place; save the registry."""
        if self.basic:
            return
        resolve_articles(articles, self.registry, self.curation)
        self.registry.save()

    def vote(self, entities: list[Entity]) -> None:
        """Count one document's values in the registry (first pass of a streamed corpus resolution)."""
        if not self.basic:
            vote(entities, self.registry, self.curation)

    def resolve(self, entities: list[Entity]) -> list[Entity]:
        """One document's facet values from its record, once every document has voted (second pass);
        variants are not filled (see :func:`add_variants`)."""
        return entities if self.basic else resolve_entities(entities, self.registry, self.curation)

    def record(self, text: str) -> tuple[list[Entity], list[int]] | None:
        """The stored ``(entities, years)`` record of ``text`` under this run's model and rules, or None."""
        return self.store.record(self.record_version, content_key(text))


#: (nlp, batch size, basic) set by the parent just before it forks its worker pool.
_WORKER_STATE: tuple | None = None


def _annotate_in_worker(texts: list[str]) -> list[tuple[list[Entity], list[int], list]]:
    nlp, batch_size, basic = _WORKER_STATE
    return _annotate_texts(nlp, texts, batch_size, basic)


def _ner_in_worker(pieces: list[tuple[int, str]]) -> list[tuple[int, int, str]]:
    """Raw NER spans of some pieces of one text, as offsets into the whole text."""
    nlp, batch_size, _ = _WORKER_STATE
    return [(e.start_char + offset, e.end_char + offset, e.label_)
            for doc, offset in nlp.pipe(((p, o) for o, p in pieces), as_tuples=True, batch_size=batch_size)
            for e in doc.ents]


def _annotate_texts(nlp, texts: list[str], batch_size: int, basic: bool) -> list[tuple[list[Entity], list[int], list]]:
    """NER over ``texts`` (long ones in pieces) and the entity rules, in one process:
    ``(entities, years, raw NER spans)`` per text."""
    pieces = (
        (piece, (n, offset))
        for n, text in enumerate(texts)
        for offset, piece in split_text(text or "", MAX_PIECE_CHARS)
    )
    spans: list[list[tuple[int, int, str]]] = [[] for _ in texts]
    for doc, (n, offset) in nlp.pipe(pieces, as_tuples=True, batch_size=batch_size):
        spans[n].extend((e.start_char + offset, e.end_char + offset, e.label_) for e in doc.ents)
    return [(*Enricher.analyse(text or "", found, basic), found) for text, found in zip(texts, spans)]
