"""Shared fixtures: temporary configurations and one real index of the sample corpus.

The sample-corpus index is built once per session with the real spaCy pipeline
and the real Tantivy engine; tests that change an index build their own.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from search_service.config import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CORPUS = REPO / "indexer" / "sample_corpus"
SAMPLE_GOLD = REPO / "indexer" / "sample_gold.jsonl"


def make_config(data_dir, **extra) -> Settings:
    """A configuration on an isolated data directory, ignoring the caller's environment."""
    settings = {"DATA_DIR": str(data_dir), "NLP_PROCESSES": 1, **extra}
    return load_settings(settings, environ={})


@pytest.fixture
def config(tmp_path) -> Settings:
    return make_config(tmp_path / "data")


@pytest.fixture(scope="session")
def sample_gold() -> list[dict]:
    return [json.loads(line) for line in SAMPLE_GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory):
    """(config, run summary) of the sample corpus indexed into a fresh Tantivy index."""
    from indexer.pipeline import index_paths
    from search_service.backends import open_backend

    config = make_config(tmp_path_factory.mktemp("sample") / "data")
    backend = open_backend(config)
    summary = index_paths([SAMPLE_CORPUS], backend, config)
    backend.close()
    return config, summary
