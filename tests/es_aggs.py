"""What one Elasticsearch shard returns for the aggregations this project uses,
computed from a list of ``_source`` documents — so a response fixture is one a
real cluster could return, by construction.

The semantics each helper follows (Elasticsearch reference, "Terms", "Filter",
"Filters" and "Missing" aggregations):

* ``terms``: one bucket per distinct value of the field among the documents in
  scope; a document counts once in each bucket of a value it holds (multi-valued
  fields put one document in several buckets); buckets ordered by ``doc_count``
  descending, ties by key ascending; the first ``size`` are returned and the
  documents of the others are summed in ``sum_other_doc_count``; an ``include``
  regexp must match the whole key (Lucene regexps used here read the same in
  Python); an ``include`` array keeps exactly those keys.
* a sub-aggregation under a bucket sees the bucket's *documents*, so a terms
  sub-aggregation on a multi-valued field lists every value of those documents
  (the names co-mentioned with the bucket's key too), not only the key's own.
* ``filter`` / ``filters``: ``doc_count`` = documents in scope matching the filter.
* ``missing``: documents in scope without any value in the field.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Callable, Iterable

Doc = dict


def values_of(doc: Doc, field: str) -> list:
    value = doc.get(field)
    if value is None:
        return []
    return list(dict.fromkeys(value if isinstance(value, list) else [value]))


def terms(
    docs: Iterable[Doc], field: str, size: int, include=None, key: Callable = lambda v: v, sub: Callable | None = None
) -> dict:
    """A ``terms`` aggregation on ``field``; ``key`` maps a stored value to the
    indexed term (a normalizer such as the folded sub-field); ``sub(bucket_docs)``
    returns the bucket's sub-aggregations."""
    docs = list(docs)
    counts: Counter = Counter()
    for doc in docs:
        for term in dict.fromkeys(key(v) for v in values_of(doc, field)):
            counts[term] += 1
    if isinstance(include, str):
        counts = Counter({t: c for t, c in counts.items() if re.fullmatch(include, str(t), re.DOTALL)})
    elif include is not None:
        wanted = {str(v) for v in include}
        counts = Counter({t: c for t, c in counts.items() if str(t) in wanted})
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    buckets = []
    for term, count in ordered[:size]:
        bucket = {"key": term, "doc_count": count}
        if sub is not None:
            bucket.update(sub([d for d in docs if term in {key(v) for v in values_of(d, field)}]))
        buckets.append(bucket)
    return {
        "doc_count_error_upper_bound": 0,
        "sum_other_doc_count": sum(c for _, c in ordered[size:]),
        "buckets": buckets,
    }


def missing(docs: Iterable[Doc], field: str) -> dict:
    """A ``missing`` aggregation."""
    return {"doc_count": sum(1 for d in docs if not values_of(d, field))}


def holds(field: str, *values) -> Callable[[Doc], bool]:
    """A ``terms`` filter: the document holds any of ``values`` in ``field``."""
    return lambda doc: bool(set(values_of(doc, field)) & set(values))


def every(*tests: Callable[[Doc], bool]) -> Callable[[Doc], bool]:
    return lambda doc: all(test(doc) for test in tests)


def none_of(*tests: Callable[[Doc], bool]) -> Callable[[Doc], bool]:
    return lambda doc: not any(test(doc) for test in tests)
