"""Static checks of the deployment files (no Docker engine runs on the project's machines).

What the compose stacks and the Dockerfile promise in docs/architecture.md and the
README, read from the files themselves: the start-up order, loopback-only ports and
security off only in the clearly labelled local profile, the secured-cluster stack
requiring its credentials, and a multi-stage image that checks htmx and runs as a
non-root user under gunicorn.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

DOCKER = Path(__file__).resolve().parents[1] / "docker"


def _compose(name: str) -> dict:
    return yaml.safe_load((DOCKER / name).read_text(encoding="utf-8"))


def test_local_stack_starts_elasticsearch_then_the_indexer_then_web():
    services = _compose("compose.yml")["services"]
    assert set(services) == {"elasticsearch", "indexer", "web"}
    health = services["elasticsearch"]["healthcheck"]["test"][-1]
    assert "_cluster/health" in health and "curl -f" in health.replace("-fsS", "-f")
    assert services["indexer"]["depends_on"] == {"elasticsearch": {"condition": "service_healthy"}}
    assert services["indexer"]["command"] == ["search-service", "index", "/corpus"]
    assert services["web"]["depends_on"] == {
        "elasticsearch": {"condition": "service_healthy"},
        "indexer": {"condition": "service_completed_successfully"},
    }
    assert all("mem_limit" in service for service in services.values())
    for service in services.values():
        assert service["environment"].get("SEARCH_BACKEND", "elasticsearch") == "elasticsearch"


def test_security_is_off_only_in_the_labelled_local_profile_and_ports_stay_on_loopback():
    text = (DOCKER / "compose.yml").read_text(encoding="utf-8")
    assert "LOCAL EVALUATION PROFILE" in text and "SECURITY IS OFF" in text
    services = _compose("compose.yml")["services"]
    assert services["elasticsearch"]["environment"]["ES_SETTING_XPACK_SECURITY_ENABLED"] == "false"
    ports = [p for service in services.values() for p in service.get("ports", [])]
    assert ports and all(p.startswith("127.0.0.1:") for p in ports)
    secured = (DOCKER / "compose.secured-cluster.yml").read_text(encoding="utf-8")
    assert "SECURITY_ENABLED" not in secured and "elasticsearch:" not in secured.split("services:")[1]


def test_secured_stack_requires_url_api_key_and_ca_certificate():
    stack = _compose("compose.secured-cluster.yml")
    env = stack["services"]["web"]["environment"]
    # ${VAR:?message}: compose refuses to start without them.
    assert re.fullmatch(r"\$\{ELASTICSEARCH_URL:\?.+\}", env["ELASTICSEARCH_URL"])
    assert re.fullmatch(r"\$\{ELASTICSEARCH_API_KEY:\?.+\}", env["SEARCH_ELASTICSEARCH_API_KEY"])
    assert env["SEARCH_ELASTICSEARCH_CA_CERTS"] == "/run/secrets/es_ca"
    assert re.fullmatch(r"\$\{ES_CA_CERT:\?.+\}", stack["secrets"]["es_ca"]["file"])


def test_image_is_multi_stage_checks_htmx_and_runs_gunicorn_as_a_non_root_user():
    dockerfile = (DOCKER / "Dockerfile").read_text(encoding="utf-8")
    stages = re.findall(r"^FROM \S+ AS (\w+)$", dockerfile, re.MULTILINE)
    assert stages == ["assets", "build", "runtime"]
    runtime = dockerfile.split("AS runtime", 1)[1]
    assert "RUN python -m search_service.assets" in dockerfile  # pinned version, hash-checked
    assert re.search(r"^USER app$", runtime, re.MULTILINE) and "useradd" in runtime
    assert "npm" not in runtime and "gcc" not in runtime
    assert runtime.rstrip().splitlines()[-1] == 'CMD ["gunicorn", "-c", "gunicorn.conf.py", "search_service:create_app()"]'
    assert "HEALTHCHECK" in runtime and "/healthz" in runtime
