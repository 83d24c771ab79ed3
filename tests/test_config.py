"""Settings: defaults → file → environment → overrides, clear errors, every setting documented."""
from pathlib import Path

import pytest

from search_service.config import SETTINGS, ConfigError, load_config

DOCS = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


def test_order_of_precedence(tmp_path):
    file = tmp_path / "settings.toml"
    file.write_text('data_dir = "/from/file"\npage_size = 15\nbackend = "tantivy"\n')
    environ = {"SEARCH_PAGE_SIZE": "20", "SEARCH_CONFIG": str(file)}
    config = load_config({"BACKEND": "elasticsearch"}, environ=environ)
    assert config["DATA_DIR"] == "/from/file"
    assert config["PAGE_SIZE"] == 20  # environment beats file
    assert config["BACKEND"] == "elasticsearch"  # overrides beat everything


def test_unprefixed_elasticsearch_url_is_honoured():
    config = load_config(environ={"ELASTICSEARCH_URL": "http://es.internal:9200"})
    assert config["ELASTICSEARCH_URL"] == "http://es.internal:9200"


def test_unknown_key_in_file_is_an_error(tmp_path):
    file = tmp_path / "settings.toml"
    file.write_text("dat_dir = '/typo'\n")
    with pytest.raises(ConfigError, match="Unknown setting 'dat_dir'"):
        load_config(file=file, environ={})


def test_malformed_file_and_bad_numbers_are_clear_errors(tmp_path):
    file = tmp_path / "settings.toml"
    file.write_text("page_size = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(file=file, environ={})
    with pytest.raises(ConfigError, match="PAGE_SIZE must be a whole number"):
        load_config(environ={"SEARCH_PAGE_SIZE": "ten"})


def test_every_setting_is_documented():
    text = DOCS.read_text()
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in text]
    assert missing == []
