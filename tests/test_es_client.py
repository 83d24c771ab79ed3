"""Client construction from settings and the "one clear message" error mapping.

No Elasticsearch here: an unreachable cluster is a closed loopback port, and the
HTTP-level cases (bad credentials, not Elasticsearch, wrong version, overload,
the compatibility header the client sends) use a tiny local HTTP endpoint that
answers with the status codes and headers a real cluster sends. These tests
check the real ``elasticsearch`` client and our translation of its errors, not
search behaviour (that is the contract suite's job, on a real cluster).
"""
from __future__ import annotations

import json
import re
import socket
import ssl
from pathlib import Path

import pytest

from search_service.backends import BackendError, BackendUnavailable, open_backend
from search_service.backends.elasticsearch_backend import ElasticsearchBackend
from search_service.backends.es_client import client_options, connection_reason, make_client, redact
from search_service.config import Settings, load_settings
from search_service.search import SearchRequest
from tests.es_fixtures import HttpStub

CLOSED = "http://127.0.0.1:9"  # discard port: connection refused at once


def es_config(**settings) -> Settings:
    return load_settings({"BACKEND": "elasticsearch", **settings}, environ={})


# -- options ---------------------------------------------------------------------------
def test_options_from_settings(tmp_path):
    ca = tmp_path / "ca.crt"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    options = client_options(es_config(
        ELASTICSEARCH_URL="https://es1:9200, https://es2:9200",
        ELASTICSEARCH_USERNAME="indexer", ELASTICSEARCH_PASSWORD="s3cret",
        ELASTICSEARCH_CA_CERTS=str(ca), ELASTICSEARCH_TIMEOUT=7,
    ))
    assert options["hosts"] == ["https://es1:9200", "https://es2:9200"]
    assert options["basic_auth"] == ("indexer", "s3cret") and "api_key" not in options
    assert options["ca_certs"] == str(ca)
    assert options["request_timeout"] == 7.0 and options["max_retries"] == 2
    assert options["retry_on_timeout"] is False


def test_api_key_wins_over_user_and_password():
    options = client_options(es_config(ELASTICSEARCH_API_KEY="aWQ6a2V5", ELASTICSEARCH_USERNAME="u"))
    assert options["api_key"] == "aWQ6a2V5" and "basic_auth" not in options


def test_no_credentials_by_default():
    options = client_options(es_config())
    assert options["hosts"] == ["http://localhost:9200"]
    assert "api_key" not in options and "basic_auth" not in options and "ca_certs" not in options


def test_missing_ca_file_and_bad_url_are_clear_errors(tmp_path):
    with pytest.raises(BackendError, match="ELASTICSEARCH_CA_CERTS file not found"):
        client_options(es_config(ELASTICSEARCH_CA_CERTS=str(tmp_path / "nope.crt")))
    with pytest.raises(BackendError, match="Bad ELASTICSEARCH_URL localhost"):
        make_client(es_config(ELASTICSEARCH_URL="localhost"))
    with pytest.raises(BackendError, match="ELASTICSEARCH_URL is empty"):
        client_options(es_config(ELASTICSEARCH_URL=" , "))


def test_bad_prefix_is_a_clear_error():
    with pytest.raises(BackendError, match="not a valid index name"):
        ElasticsearchBackend.from_settings(es_config(ELASTICSEARCH_INDEX_PREFIX="My Index"))


def test_redact_hides_credentials_in_urls():
    assert redact("https://user:pw@es.example:9243/") == "https://es.example:9243/"
    assert redact("http://localhost:9200") == "http://localhost:9200"


# -- unreachable cluster ------------------------------------------------------------------
def test_unreachable_cluster_at_start_up_is_one_clear_line():
    with pytest.raises(BackendUnavailable) as info:
        open_backend(es_config(ELASTICSEARCH_URL=CLOSED))
    message = str(info.value)
    assert message == f"Cannot reach Elasticsearch at {CLOSED}: connection refused"
    assert "\n" not in message
    assert info.value.__cause__ is None and info.value.__suppress_context__  # no chained traceback


def _transport_error(cause: BaseException) -> Exception:
    """A ConnectionError shaped like the client raises it (cause in ``errors``)."""
    from elastic_transport import ConnectionError as TransportConnectionError

    return TransportConnectionError("Connection error", errors=(cause,))


def test_connection_reasons():
    assert connection_reason(_transport_error(socket.gaierror(-2, "Name or service not known"))) == "host name not found"
    assert connection_reason(_transport_error(ConnectionRefusedError(111, "Connection refused"))) == "connection refused"
    cert = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    assert "ELASTICSEARCH_CA_CERTS" in connection_reason(_transport_error(cert))
    assert "http or https" in connection_reason(_transport_error(ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number")))
    assert connection_reason(_transport_error(TimeoutError("timed out"))) == "the request timed out"


# -- a local HTTP endpoint answering like a cluster would ------------------------------------
@pytest.fixture
def stub():
    with HttpStub() as server:
        yield server


@pytest.mark.parametrize("version", ["8.15.3", "9.1.0"])
def test_supported_server_and_compatibility_header(stub, version):
    backend = ElasticsearchBackend.from_settings(es_config(ELASTICSEARCH_URL=stub.info(version).url))
    try:
        assert backend.server["version"]["number"] == version
        # The 8.x client asks for v8-compatible responses, which ES 8 and ES 9 both serve.
        assert "compatible-with=8" in stub.seen[0]["headers"]["accept"]
    finally:
        backend.close()


def test_old_server_is_refused(stub):
    with pytest.raises(BackendUnavailable, match=r"Elasticsearch 7\.17\.9 .* is not supported; use Elasticsearch 8\.x or 9\.x"):
        ElasticsearchBackend.from_settings(es_config(ELASTICSEARCH_URL=stub.info("7.17.9").url))


def test_bad_credentials(stub):
    stub.status = 401
    stub.body = {"error": {"root_cause": [{"type": "security_exception", "reason": "unable to authenticate"}],
                           "type": "security_exception", "reason": "unable to authenticate"}, "status": 401}
    with pytest.raises(BackendUnavailable) as info:
        ElasticsearchBackend.from_settings(es_config(ELASTICSEARCH_URL=stub.url, ELASTICSEARCH_API_KEY="bad"))
    assert str(info.value) == (
        f"Elasticsearch at {stub.url} rejected the credentials (HTTP 401); check ELASTICSEARCH_API_KEY "
        "or ELASTICSEARCH_USERNAME / ELASTICSEARCH_PASSWORD"
    )
    assert stub.seen[0]["headers"]["authorization"] == "ApiKey bad"


def test_not_elasticsearch(stub):
    stub.info("8.15.0").headers = {}  # e.g. another product or a proxy's page
    with pytest.raises(BackendUnavailable, match="is not an Elasticsearch server"):
        ElasticsearchBackend.from_settings(es_config(ELASTICSEARCH_URL=stub.url))


def test_lost_or_overloaded_cluster_at_query_time(stub):
    backend = ElasticsearchBackend.from_settings(es_config(ELASTICSEARCH_URL=stub.info("8.15.0").url))
    try:
        stub.status = 503
        stub.body = {"error": {"root_cause": [], "type": "cluster_block_exception",
                               "reason": "blocked by: [SERVICE_UNAVAILABLE/1/state not recovered]"}, "status": 503}
        with pytest.raises(BackendUnavailable, match=r"overloaded or unavailable \(HTTP 503\): blocked by"):
            backend.search(SearchRequest.build(q="anything"))
        stub.stop()
        with pytest.raises(BackendUnavailable, match="Cannot reach Elasticsearch .*: connection refused"):
            backend.search(SearchRequest.build(q="anything"))
    finally:
        backend.close()


def test_server_refusing_a_request_is_a_backend_error(stub):
    backend = ElasticsearchBackend.from_settings(es_config(ELASTICSEARCH_URL=stub.info("8.15.0").url))
    try:
        stub.status = 400
        stub.body = {"error": {"root_cause": [{"type": "parsing_exception", "reason": "unknown query [x]"}],
                               "type": "parsing_exception", "reason": "unknown query [x]"}, "status": 400}
        with pytest.raises(BackendError, match=r"rejected a request \(HTTP 400\): unknown query \[x\]") as info:
            backend.search(SearchRequest.build())
        assert not isinstance(info.value, BackendUnavailable)
    finally:
        backend.close()


# -- scroll failures and the documented privileges (issue 10) --------------------------------
def test_a_scroll_that_loses_shards_is_one_clear_line(stub):
    """helpers.scan raises ScanError when a scroll page did not succeed on every
    shard (``_shards.successful + skipped < total``, as a cluster reports it)."""
    live = {"news-000001": {"aliases": {"news": {}}, "mappings": {"_meta": {"generation": 1, "complete": True}},
                            "settings": {"index": {"number_of_shards": "2"}}}}
    article = {"article": {"id": "a", "title": "", "passages": [], "entities": []}, "text": "Alpha."}
    page = {"_scroll_id": "s1", "_shards": {"total": 2, "successful": 1, "skipped": 0, "failed": 1},
            "hits": {"total": {"value": 1, "relation": "eq"}, "hits": [{"_id": "a", "_source": article}]}}

    def answer(method, path, raw):
        if path == "/":
            return None
        if path.startswith("/news-*"):
            return 200, live
        if path.startswith("/_search/scroll"):
            return 200, {"succeeded": True, "num_freed": 1}
        return 200, page

    stub.info("8.15.0").handler = answer
    backend = ElasticsearchBackend.from_settings(es_config(ELASTICSEARCH_URL=stub.url, ELASTICSEARCH_INDEX_PREFIX="news"))
    try:
        with pytest.raises(BackendUnavailable, match=r"could not read every document: .*succeeded on 1"):
            list(backend.iter_articles())
    finally:
        backend.close()


def test_documented_api_keys_carry_the_privilege_of_the_start_up_check():
    """check_server asks GET / for the version, which needs the ``monitor``
    cluster privilege: every role documented in docs/architecture.md has it."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    blocks = [json.loads(block.split("\n", 1)[1]) for block in
              re.findall(r"```json\n\s*(POST /_security/api_key\n.*?)```", doc, re.S)]
    roles = [role for block in blocks for role in block["role_descriptors"].values()]
    assert len(roles) >= 2  # the indexer's and a web-only key
    assert all("monitor" in role["cluster"] for role in roles)
    assert any(role["indices"][0]["privileges"] == ["read", "view_index_metadata"] for role in roles)
