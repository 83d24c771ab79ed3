"""The Flask application factory.

Configuration: defaults → TOML file (``SEARCH_CONFIG``) → ``SEARCH_*`` environment
→ the ``config`` dict passed in (tests pass a dict). Nothing touches the index
here; the backend opens on the first request (:mod:`.engine`). Web workers never
import spaCy or the indexer.
"""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, Response
from htmx_flask import Htmx

from .. import assets
from ..config import Settings, load_settings
from . import api, batch, engine, errors, export, views
from .partial import add_vary

log = logging.getLogger(__name__)

# An installed wheel carries the templates as search_service/templates; a source
# checkout (editable install) has them at the top of the repo.
_PACKAGED_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
TEMPLATE_DIR = _PACKAGED_TEMPLATES if _PACKAGED_TEMPLATES.is_dir() else Path(__file__).resolve().parents[2] / "templates"
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"

#: Scripts and styles from this origin only: no inline code anywhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return add_vary(response)


def _htmx_script() -> dict:
    """Template values for the htmx ``<script>`` tag (none if htmx is missing)."""
    integrity = assets.script_integrity(STATIC_DIR / assets.HTMX_STATIC_PATH)
    if integrity is None:
        log.warning(
            "htmx is not installed (run `python -m search_service.assets`); pages work without JavaScript"
        )
    return {"htmx_integrity": integrity, "htmx_path": assets.HTMX_STATIC_PATH}


def create_app(config: dict | Settings | None = None) -> Flask:
    """Build the web app; ``config`` (setting name → value, or loaded
    :class:`Settings`) overrides every other settings source."""
    settings = load_settings(overrides=config)
    app = Flask(
        __name__.rsplit(".", 2)[0],
        template_folder=str(TEMPLATE_DIR),
        static_folder=str(STATIC_DIR),
        static_url_path="/static",
    )
    app.config["SETTINGS"] = settings
    # Uploads are only batch lists; room for the form's other fields and multipart framing.
    app.config["MAX_CONTENT_LENGTH"] = settings.batch_max_bytes + batch.FORM_OVERHEAD
    app.json.sort_keys = False  # keep the documented key order in JSON answers
    app.jinja_env.trim_blocks = True  # template indentation is for people, not for the wire
    app.jinja_env.lstrip_blocks = True
    Htmx(app)
    engine.init_app(app, settings)

    script = _htmx_script()  # read the file once per process, not per request
    app.context_processor(lambda: script)

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(export.bp)
    app.register_blueprint(batch.bp)
    errors.register(app)
    app.after_request(_security_headers)
    return app
