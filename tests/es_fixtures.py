"""Fixtures for tests against a real Elasticsearch.

Where the cluster comes from, in order:

1. ``ELASTICSEARCH_URL`` is set → that cluster (credentials and CA from the
   usual ``SEARCH_ELASTICSEARCH_*`` variables); if it does not answer, the tests
   are skipped with "ELASTICSEARCH_URL unreachable: …".
2. A Docker engine answers ``docker info`` → the ``elasticsearch`` service of
   ``docker/compose.yml`` is started once per session through pytest-docker
   (on a free local port), and removed with its volume at the end.
3. Otherwise the tests are skipped: "no Elasticsearch: set ELASTICSEARCH_URL or
   install Docker".

``es_backend_factory`` is self-contained (it needs no other fixture from this
module), so a test module can import just that name. pytest-docker's own
fixtures are never requested unless Docker is really there.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from search_service.backends import BackendError
from search_service.backends.elasticsearch_backend import ElasticsearchBackend
from search_service.backends.es_client import check_server, make_client
from search_service.config import Settings, load_settings

COMPOSE_FILE = Path(__file__).resolve().parents[1] / "docker" / "compose.yml"
NO_ES = "no Elasticsearch: set ELASTICSEARCH_URL or install Docker"

_session: dict = {}  # "url" or "skip" — resolved once per test session


def es_config(url: str, **settings) -> Settings:
    """Settings for a backend on ``url``; credentials come from SEARCH_ELASTICSEARCH_* variables."""
    environ = {k: v for k, v in os.environ.items() if k.startswith("SEARCH_ELASTICSEARCH_")}
    environ.pop("SEARCH_ELASTICSEARCH_URL", None)
    return load_settings({"BACKEND": "elasticsearch", "ELASTICSEARCH_URL": url, **settings}, environ=environ)


def _answers(url: str) -> str | None:
    """None if the cluster at ``url`` answers with a supported version, else why not."""
    client = None
    try:
        client = make_client(es_config(url))
        check_server(client, url)
        health = client.cluster.health(wait_for_status="yellow", timeout="5s")
        return None if health.get("status") in ("yellow", "green") else f"cluster health {health.get('status')}"
    except BackendError as exc:
        return str(exc)
    except Exception as exc:  # e.g. a 408 from the health call while the node starts
        return f"{type(exc).__name__}: {exc}"
    finally:
        if client is not None:
            client.close()


def _docker_engine() -> bool:
    if not shutil.which("docker"):
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _start_compose_elasticsearch(config) -> str:
    """Start docker/compose.yml's elasticsearch service; return its URL."""
    from pytest_docker.plugin import get_docker_ip, get_docker_services

    # An empty ES_HOST_PORT makes compose publish 9200 on a free local port.
    services_cm = get_docker_services(
        "ES_HOST_PORT= docker compose",
        [str(COMPOSE_FILE)],
        f"search-service-test-{os.getpid()}",
        ["up -d --wait elasticsearch"],
        ["down -v"],
    )
    try:
        services = services_cm.__enter__()
    except Exception as exc:
        pytest.fail(f"Docker is available but the compose elasticsearch service did not start: {exc}", pytrace=False)
    config.add_cleanup(lambda: services_cm.__exit__(None, None, None))
    url = f"http://{get_docker_ip()}:{services.port_for('elasticsearch', 9200)}"
    services.wait_until_responsive(check=lambda: _answers(url) is None, timeout=180, pause=2)
    return url


def elasticsearch_url(request) -> str:
    """The URL of a live cluster for this session, or skip the calling test."""
    if "skip" in _session:
        pytest.skip(_session["skip"])
    if "url" not in _session:
        url = os.environ.get("ELASTICSEARCH_URL") or os.environ.get("SEARCH_ELASTICSEARCH_URL")
        if url:
            problem = _answers(url)
            if problem:
                _session["skip"] = f"ELASTICSEARCH_URL unreachable: {problem}"
                pytest.skip(_session["skip"])
        elif _docker_engine():
            url = _start_compose_elasticsearch(request.config)
        else:
            _session["skip"] = NO_ES
            pytest.skip(NO_ES)
        _session["url"] = url
    return _session["url"]


@pytest.fixture(scope="session")
def es_url(request) -> str:
    """URL of a reachable Elasticsearch (skips the test otherwise)."""
    return elasticsearch_url(request)


def drop_prefix(backend: ElasticsearchBackend) -> None:
    """Delete every index of the backend's prefix, by name (clusters refuse
    wildcard deletes by default: action.destructive_requires_name)."""
    names = [n for n in backend.client.indices.get(index=f"{backend.alias}-*").body if n.startswith(backend.alias + "-")]
    if names:
        backend.client.indices.delete(index=",".join(names))


@pytest.fixture
def es_backend_factory(request):
    """A callable making a fresh, empty ElasticsearchBackend with its own index
    prefix; keyword arguments override settings (e.g. ``KEEP_GENERATIONS=3``).
    Every index it created is deleted after the test."""
    url = elasticsearch_url(request)
    made: list[ElasticsearchBackend] = []

    def make(**settings) -> ElasticsearchBackend:
        prefix = settings.pop("ELASTICSEARCH_INDEX_PREFIX", None) or f"test-{uuid.uuid4().hex[:12]}"
        backend = ElasticsearchBackend.from_settings(es_config(url, ELASTICSEARCH_INDEX_PREFIX=prefix, **settings))
        made.append(backend)
        return backend

    yield make
    for backend in made:
        cleaner = ElasticsearchBackend.from_settings(es_config(url, ELASTICSEARCH_INDEX_PREFIX=backend.alias))
        try:
            drop_prefix(cleaner)
        finally:
            cleaner.close()


class HttpStub:
    """A local HTTP endpoint that answers like a cluster's HTTP layer would
    (status, headers, JSON body), for tests of the client wiring and error
    translation — never of search behaviour. ``handler(method, path, body)``
    may return ``(status, json_body)`` per request; requests are recorded in
    ``seen``."""

    def __init__(self):
        self.status = 200
        self.headers = {"X-Elastic-Product": "Elasticsearch"}
        self.body: dict = {}
        self.handler = None
        self.seen: list[dict] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                stub.seen.append({"method": self.command, "path": self.path, "body": raw,
                                  "headers": {k.lower(): v for k, v in self.headers.items()}})
                status, body = stub.status, stub.body
                if stub.handler is not None:
                    answer = stub.handler(self.command, self.path, raw)
                    if answer is not None:
                        status, body = answer
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for key, value in stub.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._stopped = False

    def info(self, number: str) -> "HttpStub":
        """Answer like a node of version ``number`` (the body of ``GET /``)."""
        self.status, self.body = 200, {
            "name": "node-1", "cluster_name": "test", "tagline": "You Know, for Search",
            "version": {"number": number, "build_flavor": "default"},
        }
        return self

    def stop(self) -> None:
        if not self._stopped:
            self._stopped = True
            self.server.shutdown()
            self.server.server_close()

    def __enter__(self) -> "HttpStub":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

