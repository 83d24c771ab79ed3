"""The app factory, configuration layers, routes, assets and server settings."""
from __future__ import annotations

import base64
import hashlib
import os
import stat
import subprocess
import sys
import tarfile
import textwrap
from pathlib import Path

import pytest

from search_service import assets, create_app
from search_service.web import app as web_app
from search_service.web.serve import gunicorn_options
from web_fixtures import corpus, web_config, write_articles

REPO = Path(__file__).resolve().parents[1]


def test_config_layers_defaults_file_environment_then_dict(tmp_path, monkeypatch):
    settings = tmp_path / "settings.toml"
    settings.write_text('page_size = 7\nmax_page = 9\nfacet_size = 4\n', encoding="utf-8")
    monkeypatch.setenv("SEARCH_CONFIG", str(settings))
    monkeypatch.setenv("SEARCH_MAX_PAGE", "12")
    monkeypatch.setenv("SEARCH_FACET_SIZE", "6")
    app = create_app({"FACET_SIZE": 8, "DATA_DIR": str(tmp_path / "data")})
    assert app.config["SETTINGS"].max_page_size == 50  # default
    assert app.config["SETTINGS"].page_size == 7  # file
    assert app.config["SETTINGS"].max_page == 12  # environment beats file
    assert app.config["SETTINGS"].facet_size == 8  # dict beats environment


def test_factory_opens_nothing_until_the_first_request(tmp_path):
    data_dir = tmp_path / "not-yet"
    app = create_app({"DATA_DIR": str(data_dir)})
    assert not data_dir.exists()
    assert app.extensions["search_backend"]._backend is None
    app.test_client().get("/healthz")
    assert app.extensions["search_backend"]._backend is not None


def test_only_read_only_routes_exist():
    app = create_app({"DATA_DIR": "/nonexistent"})
    rules = {rule.rule: rule.methods for rule in app.url_map.iter_rules()}
    assert set(rules) == {
        "/", "/search", "/facets/<name>", "/documents/<path:doc_id>", "/api/search",
        "/api/documents/<path:doc_id>", "/api/facets/<name>", "/api/openapi.json", "/healthz",
        "/static/<path:filename>", "/entities/<entity_type>/<path:value>", "/api/entities/<entity_type>/<path:value>",
        "/api/export", "/search.atom", "/batch",
    }
    # The batch form is a POST only because a list is too long for a URL; it reads
    # the index and nothing else (tests/test_web_export.py checks the files stay untouched).
    assert all(methods <= {"GET", "HEAD", "OPTIONS"} for rule, methods in rules.items() if rule != "/batch")
    assert rules["/batch"] <= {"GET", "HEAD", "OPTIONS", "POST"}
    client = app.test_client()
    for method in ("post", "put", "delete", "patch"):
        assert getattr(client, method)("/search").status_code == 405


def test_web_worker_never_imports_spacy_or_the_indexer(tmp_path):
    config = web_config(tmp_path / "data")
    write_articles(config, corpus())
    script = textwrap.dedent(f"""
        import sys
        from search_service import create_app
        client = create_app({{"DATA_DIR": {str(config.data_dir)!r}}}).test_client()
        for url in ("/search?q=ferry&person=Olek+Brandt", "/documents/budget-debate", "/api/search?q=rail",
                    "/facets/place", "/healthz"):
            assert client.get(url).status_code == 200, url
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("spacy", "indexer", "elasticsearch"))
        print(",".join(loaded))
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


def test_stylesheet_and_installed_htmx_are_served_with_integrity(tmp_path):
    client = create_app({"DATA_DIR": str(tmp_path)}).test_client()
    css = client.get("/static/app.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    if not assets.HTMX_FILE.is_file():
        pytest.skip("htmx not installed (python -m search_service.assets)")
    html = client.get("/search").get_data(as_text=True)
    assert f'<script src="/static/vendor/htmx.min.js" integrity="{assets.HTMX_FILE_INTEGRITY}" defer></script>' in html
    script = client.get("/static/vendor/htmx.min.js")
    assert script.status_code == 200 and assets.sri(script.data) == assets.HTMX_FILE_INTEGRITY


def test_pages_work_without_htmx_installed(tmp_path, monkeypatch, caplog):
    static = tmp_path / "static"
    static.mkdir()
    (static / "app.css").write_text("body{}", encoding="utf-8")
    monkeypatch.setattr(web_app, "STATIC_DIR", static)
    client = create_app({"DATA_DIR": str(tmp_path / "data")}).test_client()
    assert "htmx is not installed" in caplog.text
    html = client.get("/search?q=x").get_data(as_text=True)
    assert "<script" not in html and '<form id="search-form" class="search-form" method="get"' in html


def test_tampered_htmx_file_is_not_served_as_a_script(tmp_path):
    fake = tmp_path / "htmx.min.js"
    fake.write_text("alert('not htmx')", encoding="utf-8")
    assert assets.script_integrity(fake) is None
    assert assets.script_integrity(tmp_path / "missing.js") is None


def test_sri_matches_the_npm_integrity_format():
    algorithm, _, encoded = assets.sri(b"abc", "sha512").partition("-")
    assert algorithm == "sha512" and base64.b64decode(encoded) == hashlib.sha512(b"abc").digest()
    assert base64.b64decode(assets.sri(b"abc").removeprefix("sha384-")) == hashlib.sha384(b"abc").digest()


def _fake_npm(tmp_path: Path, payload: bytes) -> str:
    """An `npm` stand-in that 'packs' a tarball holding ``payload`` as htmx.min.js."""
    member = tmp_path / "member.js"
    member.write_bytes(payload)
    tarball = tmp_path / "packed.tgz"
    with tarfile.open(tarball, "w:gz") as tar:
        tar.add(member, arcname=assets.HTMX_MEMBER)
    npm = tmp_path / "npm"
    npm.write_text(f"#!/bin/sh\ncp {tarball} ./htmx.org-{assets.HTMX_VERSION}.tgz\n", encoding="utf-8")
    npm.chmod(npm.stat().st_mode | stat.S_IEXEC)
    return str(npm)


def test_fetch_refuses_a_tarball_that_does_not_match_the_pinned_integrity(tmp_path):
    dest = tmp_path / "vendor" / "htmx.min.js"
    with pytest.raises(assets.AssetError, match="does not match the pinned integrity"):
        assets.fetch_htmx(dest, npm=_fake_npm(tmp_path, b"alert('evil')"))
    assert not dest.exists()


def test_fetch_is_idempotent_when_the_pinned_file_is_present(tmp_path):
    if not assets.HTMX_FILE.is_file():
        pytest.skip("htmx not installed (python -m search_service.assets)")
    dest = tmp_path / "htmx.min.js"
    dest.write_bytes(assets.HTMX_FILE.read_bytes())
    # npm is never called: a missing npm would otherwise raise
    assert assets.fetch_htmx(dest, npm="no-such-npm-binary") == dest


def test_fetch_without_npm_is_a_clear_error(tmp_path):
    with pytest.raises(assets.AssetError, match="npm is not installed"):
        assets.fetch_htmx(tmp_path / "htmx.min.js", npm="no-such-npm-binary")


def test_gunicorn_options_from_environment_and_arguments():
    env = {"SEARCH_BIND": "127.0.0.1:9911", "WEB_CONCURRENCY": "3", "SEARCH_THREADS": "2"}
    options = gunicorn_options(environ=env)
    assert options["bind"] == "127.0.0.1:9911" and options["workers"] == 3 and options["threads"] == 2
    assert options["preload_app"] is False
    assert gunicorn_options(bind="127.0.0.1:1", workers=5, environ=env)["workers"] == 5
    assert gunicorn_options(environ={})["bind"] == "127.0.0.1:8000"
    assert gunicorn_options(environ={"SEARCH_WORKERS": "bad"})["workers"] == 2


def test_gunicorn_conf_file_is_valid_for_gunicorn():
    proc = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "-c", str(REPO / "gunicorn.conf.py"),
         "search_service:create_app()"],
        cwd=REPO, capture_output=True, text=True, timeout=60,
        env={**os.environ, "SEARCH_DATA_DIR": "/nonexistent-for-check"},
    )
    assert proc.returncode == 0, proc.stderr


def test_run_gunicorn_serves_the_app(tmp_path):
    import socket
    import time
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = web_config(tmp_path / "data")
    write_articles(config, corpus()[:3])
    script = (f"from search_service.web.serve import run_gunicorn; "
              f"run_gunicorn({{'DATA_DIR': {str(config.data_dir)!r}}}, bind='127.0.0.1:{port}', workers=1)")
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env={**os.environ, "SEARCH_ACCESS_LOG": ""})
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    body = response.read().decode()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        assert '"documents":3' in body and '"engine":"tantivy"' in body
    finally:
        proc.terminate()
        proc.wait(timeout=20)
