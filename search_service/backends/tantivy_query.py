"""User query text → Tantivy queries, plus the terms to highlight.

Tantivy's own ``Index.parse_query_lenient`` gets prefix searches wrong with a
stemming analyzer: ``report*`` loses its ``*`` in the tokenizer and becomes the
plain term ``report``, and ``harb*`` matches nothing. So the text is parsed into
Tantivy's syntax tree (``tantivy.parse_query_lenient``, which never raises) and the
query is built here from that tree:

* words are analysed with the index analyzer (fold + stem); several words in one
  unquoted token (``café-bar``) or in quotes become a phrase;
* a trailing ``*`` makes a prefix search: a regex over the indexed terms that
  starts with the folded word or with its stem (``reports*`` → ``report.*``);
* words without an operator are required (AND by default); ``OR``, ``-word``,
  ``+word``, ``NOT``, brackets, ``"phrases"``, ``"phrase"~2`` and ``word^2`` work;
* only the ``title:`` and ``text:`` fields may be named; anything else before a
  colon is searched as ordinary words; range, set and regex syntax are ignored.

Every problem becomes a short sentence in :attr:`ParsedQuery.errors`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import tantivy
from tantivy import Occur, Query

from .tantivy_schema import FOLD_ANALYZER, SCHEMA, TEXT_ANALYZER

#: Fields (and boosts) a bare word searches in article records.
DOC_FIELDS = {None: (("title", 2.0), ("text", 1.0)), "title": (("title", 1.0),), "text": (("text", 1.0),)}
#: ... and in passage records (a ``title:`` clause has nothing to match there).
PASSAGE_FIELDS = {None: (("ptext", 1.0),), "title": (), "text": (("ptext", 1.0),)}
MIN_PREFIX = 2
_OPERATOR_WORDS = {"AND", "OR", "NOT", "&&", "||"}
#: Characters the Rust regex syntax treats as special (all escapable).
_REGEX_META = set("\\.+*?()|[]{}^$#&-~")

_SYNTAX_MESSAGES = {
    'missing delimiter \\"': "A quotation mark is not closed; the words were searched anyway.",
    "expected ')'": "A bracket is not closed; the words were searched anyway.",
    "unparsed end of query": "Part of the query could not be read and was ignored.",
    "expected word": "An operator (-, +, field:) has no word after it and was ignored.",
    "Found unexpected boolean operator before term": "AND/OR needs a word on each side; it was ignored.",
    "parsed possible invalid field as term": "A colon was searched as an ordinary character.",
}


@dataclass
class Leaf:
    """One positive search unit: a term, a phrase or a prefix, in a field group."""

    tokens: list[tuple[int, str]]  # (relative position, analysed token)
    prefixes: tuple[str, ...] = ()  # for the last token, when it is a prefix
    slop: int = 0
    field: str | None = None

    def compile(self, fields) -> Query | None:
        """The leaf as a query over the field group ``fields`` (see DOC_FIELDS)."""
        parts = []
        for name, boost in fields.get(self.field, ()):
            q = self._on_field(name)
            parts.append(Query.boost_query(q, boost) if boost != 1.0 else q)
        return _any(parts)

    def _on_field(self, name: str) -> Query:
        if self.prefixes and len(self.tokens) == 1:
            alternatives = "|".join(regex_escape(p) for p in self.prefixes)
            return Query.regex_query(SCHEMA, name, f"(?:{alternatives}).*")
        if self.prefixes:
            # Tantivy expands the last word of a phrase prefix itself (stemmed form).
            return Query.phrase_prefix_query(SCHEMA, name, list(self.tokens))
        if len(self.tokens) == 1:
            return Query.term_query(SCHEMA, name, self.tokens[0][1])
        return Query.phrase_query(SCHEMA, name, list(self.tokens), slop=self.slop)


@dataclass
class Node:
    """A boolean combination of leaves and nodes, as written by the user."""

    clauses: list[tuple[Occur, "Node | Leaf"]] = field(default_factory=list)
    boost: float = 1.0

    def compile(self, fields) -> Query | None:
        subqueries = []
        for occur, child in self.clauses:
            q = child.compile(fields)
            if q is not None:
                subqueries.append((occur, q))
        if not subqueries:
            return None
        if all(occur == Occur.MustNot for occur, _ in subqueries):
            # "-word" alone means everything except word.
            subqueries.append((Occur.Must, Query.all_query()))
        q = Query.boolean_query(subqueries)
        return Query.boost_query(q, self.boost) if self.boost != 1.0 else q

    def positive_leaves(self) -> list[Leaf]:
        leaves = []
        for occur, child in self.clauses:
            if occur == Occur.MustNot:
                continue
            leaves += child.positive_leaves() if isinstance(child, Node) else [child]
        return leaves


@dataclass
class ParsedQuery:
    """A user query, compiled on demand for article and for passage records."""

    root: Node | None
    errors: list[str]

    @property
    def match_all(self) -> bool:
        return self.root is None

    def doc_query(self) -> Query | None:
        """Query over article records (title boosted), or None for everything."""
        return self.root.compile(DOC_FIELDS) if self.root else None

    def passage_query(self) -> Query | None:
        """Query ranking passages: passages matching the whole query first, then
        passages containing any of its positive words, phrases or prefixes (an
        article may match as a whole without one passage holding every word)."""
        if self.root is None:
            return None
        strict = self.root.compile(PASSAGE_FIELDS)
        relaxed = _any([leaf.compile(PASSAGE_FIELDS) for leaf in self.leaves()])
        if relaxed is None:
            return None
        if strict is None:
            return relaxed
        return Query.boolean_query([(Occur.Should, Query.boost_query(strict, 3.0)), (Occur.Should, relaxed)])

    def leaves(self) -> list[Leaf]:
        """Positive leaves that can match article text (used for highlighting)."""
        if self.root is None:
            return []
        return [leaf for leaf in self.root.positive_leaves() if leaf.field in (None, "text")]


def parse_user_query(text: str) -> ParsedQuery:
    """Parse user input leniently; never raises."""
    text = (text or "").strip()
    if not text:
        return ParsedQuery(None, [])
    try:
        ast, syntax_errors = tantivy.parse_query_lenient(text)
    except ValueError as exc:  # defensive: the lenient parser is documented not to raise
        return ParsedQuery(None, [f"The query could not be read ({exc}); showing everything."])
    errors = []
    for err in syntax_errors:
        message = _SYNTAX_MESSAGES.get(err.get("message"), f"Query problem: {err.get('message')}.")
        if message not in errors:
            errors.append(message)
    node = _convert(ast, errors)
    if node is not None and not isinstance(node, Node):
        node = Node([(Occur.Must, node)])
    if node is not None and not node.positive_leaves() and not _has_must_not(node):
        node = None
    if node is None and ast.get("type") != "all":  # "*" asks for everything
        errors.append("Nothing searchable was left in the query; showing all documents.")
    return ParsedQuery(node, errors)


def _has_must_not(node: Node) -> bool:
    return any(occur == Occur.MustNot for occur, _ in node.clauses)


def _convert(ast: dict, errors: list[str]):
    # Field scopes such as title:(a b) arrive already pushed down onto each literal.
    kind = ast.get("type")
    if kind == "bool":
        clauses = []
        for occur_name, child in ast.get("clauses", []):
            converted = _convert(child, errors)
            if converted is not None:
                occur = {"should": Occur.Should, "must_not": Occur.MustNot}.get(occur_name, Occur.Must)
                clauses.append((occur, converted))
        return Node(clauses) if clauses else None
    if kind == "boost":
        inner = _convert(ast["underlying"], errors)
        if inner is None:
            return None
        node = inner if isinstance(inner, Node) else Node([(Occur.Must, inner)])
        node.boost = float(ast.get("boost") or 1.0)
        return node
    if kind == "literal":
        return _literal(ast, errors)
    if kind == "all":
        return None  # "*" alone: no constraint
    label = {"range": "Range", "set": "IN [...]", "regex": "Regular expression", "exists": "field:*"}
    errors.append(f"{label.get(kind, 'This')} searches are not supported; that part was ignored.")
    return None


def _literal(ast: dict, errors: list[str]) -> Leaf | None:
    phrase = ast.get("phrase") or ""
    quoted = ast.get("delimiter") != "none"
    field = ast.get("field_name")
    if field is not None and field not in ("title", "text"):
        if not field.isdigit():
            errors.append(f"There is no field {field!r}; searched {field}:{phrase} as words.")
        phrase = f"{field} {phrase}"
        field = None
    if not quoted and phrase in _OPERATOR_WORDS:
        errors.append(f"{phrase} needs a word on each side; it was ignored.")
        return None
    prefix = bool(ast.get("prefix"))
    if not quoted and phrase.endswith("*"):
        phrase, prefix = phrase.rstrip("*"), True
    tokens = [(t.position, t.text) for t in TEXT_ANALYZER.pre_tokenize(phrase).tokens]
    if not tokens:
        return None
    base = tokens[0][0]
    tokens = [(pos - base, tok) for pos, tok in tokens]
    prefixes: tuple[str, ...] = ()
    if prefix:
        folded = FOLD_ANALYZER.analyze(phrase)
        last = folded[-1] if folded else tokens[-1][1]
        if len(last) < MIN_PREFIX:
            errors.append(f"Prefix searches need at least {MIN_PREFIX} letters; searched {last!r} as a word.")
        else:
            # A lone word matches terms starting with its folded or its stemmed
            # form ("happy*" → happy.* | happi.*); in a phrase Tantivy expands the
            # stemmed last word itself.
            candidates = [tokens[-1][1], last] if len(tokens) == 1 else [tokens[-1][1]]
            # A stem can be shorter than what was typed ("ies" → "i"): keep it specific.
            prefixes = tuple(p for p in dict.fromkeys(candidates) if len(p) >= MIN_PREFIX) or (last,)
    return Leaf(tokens=tokens, prefixes=prefixes, slop=int(ast.get("slop") or 0), field=field)


def _any(queries: list) -> Query | None:
    queries = [q for q in queries if q is not None]
    if not queries:
        return None
    if len(queries) == 1:
        return queries[0]
    return Query.boolean_query([(Occur.Should, q) for q in queries])


def regex_escape(text: str) -> str:
    """Escape ``text`` for a Tantivy (Rust) regex."""
    return "".join("\\" + ch if ch in _REGEX_META else ch for ch in text)
