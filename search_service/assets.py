"""Fetch the pinned htmx build at build time; never commit it.

``python -m search_service.assets`` runs the ordinary npm client (``npm pack``),
checks the tarball against the integrity string npm publishes for the pinned
version, and extracts ``dist/htmx.min.js`` into ``search_service/static/vendor/``.
It is idempotent: a file already present with the expected hash is kept.

The web app reads the file once at start-up to emit a Subresource Integrity
attribute (:func:`script_integrity`); if the file is missing the app still works
(plain HTML forms and links) and logs one warning.
"""
from __future__ import annotations

import base64
import hashlib
import logging
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

HTMX_PACKAGE = "htmx.org"
HTMX_VERSION = "2.0.11"
#: ``npm view htmx.org@2.0.11 dist.integrity`` — the sha512 of the published tarball.
HTMX_TARBALL_INTEGRITY = (
    "sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="
)
#: sha384 of ``package/dist/htmx.min.js`` inside that tarball (the SRI value the page sends).
HTMX_FILE_INTEGRITY = "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"
HTMX_MEMBER = "package/dist/htmx.min.js"

STATIC_DIR = Path(__file__).parent / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
HTMX_FILE = VENDOR_DIR / "htmx.min.js"
#: URL path of the file below the app's static route.
HTMX_STATIC_PATH = "vendor/htmx.min.js"


class AssetError(Exception):
    """The asset could not be fetched or did not match its pinned hash."""


def sri(data: bytes, algorithm: str = "sha384") -> str:
    """An integrity string (``sha384-<base64>``) as browsers and npm write it."""
    digest = hashlib.new(algorithm, data).digest()
    return f"{algorithm}-{base64.b64encode(digest).decode('ascii')}"


def script_integrity(path: Path = HTMX_FILE) -> str | None:
    """The SRI value of the installed htmx file, or None when it is missing or
    does not match the pinned hash (then the page is served without htmx)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    value = sri(data, "sha384")
    if value != HTMX_FILE_INTEGRITY:
        log.warning("%s does not match the pinned htmx %s; serving pages without it", path, HTMX_VERSION)
        return None
    return value


def fetch_htmx(dest: Path = HTMX_FILE, npm: str = "npm") -> Path:
    """Install the pinned htmx into ``dest`` (skipped when already there and valid)."""
    if dest.is_file() and sri(dest.read_bytes()) == HTMX_FILE_INTEGRITY:
        return dest
    npm_path = shutil.which(npm)
    if not npm_path:
        raise AssetError("npm is not installed; it is needed to fetch htmx at build time")
    with tempfile.TemporaryDirectory(prefix="htmx-") as tmp:
        proc = subprocess.run(
            [npm_path, "pack", f"{HTMX_PACKAGE}@{HTMX_VERSION}", "--silent"],
            cwd=tmp, capture_output=True, text=True, timeout=300,
        )
        tarballs = list(Path(tmp).glob("*.tgz"))
        if proc.returncode != 0 or len(tarballs) != 1:
            raise AssetError(f"npm pack {HTMX_PACKAGE}@{HTMX_VERSION} failed: {proc.stderr.strip()[-500:]}")
        data = tarballs[0].read_bytes()
        if sri(data, "sha512") != HTMX_TARBALL_INTEGRITY:
            raise AssetError(f"{tarballs[0].name} does not match the pinned integrity; refusing to install it")
        with tarfile.open(tarballs[0]) as tar:
            member = tar.extractfile(HTMX_MEMBER)
            if member is None:
                raise AssetError(f"{HTMX_MEMBER} is missing from the htmx tarball")
            script = member.read()
    if sri(script) != HTMX_FILE_INTEGRITY:
        raise AssetError(f"{HTMX_MEMBER} does not match its pinned sha384")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_suffix(".tmp")
    partial.write_bytes(script)
    partial.replace(dest)  # atomic, so a running app never reads half a file
    return dest


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: fetch htmx, print where it went."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        path = fetch_htmx()
    except AssetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"htmx {HTMX_VERSION} installed at {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
