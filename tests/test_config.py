"""Settings: one typed object; defaults → file → environment → overrides, clear errors, every setting documented."""
import dataclasses
from pathlib import Path

import pytest

from search_service.config import FIELDS, ConfigError, Settings, env_name, load_settings

DOCS = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


def test_order_of_precedence(tmp_path):
    file = tmp_path / "settings.toml"
    file.write_text('data_dir = "/from/file"\npage_size = 15\nbackend = "tantivy"\n')
    environ = {"SEARCH_PAGE_SIZE": "20", "SEARCH_CONFIG": str(file)}
    settings = load_settings({"BACKEND": "elasticsearch"}, environ=environ)
    assert settings.data_dir == "/from/file"
    assert settings.page_size == 20  # environment beats file
    assert settings.backend == "elasticsearch"  # overrides beat everything


def test_settings_are_typed_and_frozen():
    settings = load_settings({"nlp_processes": "3"}, environ={})
    assert settings.nlp_processes == 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.page_size = 5  # type: ignore[misc]
    changed = settings.replace(page_size="7")
    assert (changed.page_size, settings.page_size) == (7, 10)


def test_a_loaded_settings_object_passes_through():
    settings = load_settings({"page_size": 12}, environ={})
    assert load_settings(settings) is settings


def test_unprefixed_elasticsearch_url_is_honoured():
    settings = load_settings(environ={"ELASTICSEARCH_URL": "http://es.internal:9200"})
    assert settings.elasticsearch_url == "http://es.internal:9200"


def test_unknown_key_in_file_or_overrides_is_an_error(tmp_path):
    file = tmp_path / "settings.toml"
    file.write_text("dat_dir = '/typo'\n")
    with pytest.raises(ConfigError, match="Unknown setting 'dat_dir'"):
        load_settings(file=file, environ={})
    with pytest.raises(ConfigError, match="Unknown setting 'PAGESIZE'"):
        load_settings({"PAGESIZE": 3}, environ={})


def test_malformed_file_and_bad_numbers_are_clear_errors(tmp_path):
    file = tmp_path / "settings.toml"
    file.write_text("page_size = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(file=file, environ={})
    with pytest.raises(ConfigError, match="PAGE_SIZE must be a whole number"):
        load_settings(environ={"SEARCH_PAGE_SIZE": "ten"})


def test_limits_follow_the_settings():
    limits = load_settings({"max_page": 9, "page_size": 4}, environ={}).limits
    assert (limits.max_page, limits.default_size) == (9, 4)


def test_every_setting_is_documented_with_its_environment_variable():
    text = DOCS.read_text()
    missing = [name for name in FIELDS if f"`{name.upper()}`" not in text or f"`{env_name(name)}`" not in text]
    assert missing == []
    assert all(f.metadata.get("help") for f in dataclasses.fields(Settings))
