"""The direction of dependencies (docs/architecture.md, "Layers"): each layer imports
only the layers below it, so an engine, the web app or the indexer can change
without the others noticing. Read from the source with ``ast``; nothing is imported.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

#: layer → the project packages it may import (besides itself and the standard library).
ALLOWED = {
    "search_service.models": set(),
    "search_service.config": {"search_service.search"},  # Settings.limits builds a Limits
    "search_service.search": {"search_service.models"},
    "search_service.backends": {"search_service.models", "search_service.search", "search_service.config"},
    "search_service.web": {"search_service.models", "search_service.search", "search_service.config",
                           "search_service.backends", "search_service.assets"},
    "indexer": {"search_service.models", "search_service.config", "search_service.backends",
                "search_service.search"},
    "search_service.cli": {"search_service", "indexer"},
}
PROJECT = ("search_service", "indexer")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Absolute names of the project modules ``path`` imports (relative imports resolved)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [target] + [f"{target}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.update(n for n in names if n.split(".")[0] in PROJECT)
    return found


def _layer(module: str) -> str | None:
    """The most specific layer in ALLOWED that ``module`` belongs to."""
    matches = [layer for layer in ALLOWED if module == layer or module.startswith(layer + ".")]
    return max(matches, key=len) if matches else None


def _within(name: str, allowed: set[str]) -> bool:
    return any(name == a or name.startswith(a + ".") for a in allowed)


SOURCES = sorted(p for pkg in PROJECT for p in (REPO / pkg).rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_each_module_imports_only_the_layers_below_it(path):
    module = _module_name(path)
    layer = _layer(module)
    if layer is None:
        return  # top-level helpers (search_service/__init__.py, assets) are not a layer
    wrong = sorted(
        name for name in _imports(path)
        if _layer(name) != layer and not _within(name, ALLOWED[layer])
        # `from .. import x` inside a layer names the parent package itself
        and not layer.startswith(name + ".")
    )
    assert wrong == [], f"{module} ({layer}) imports {wrong}"


def test_the_check_sees_a_wrong_import(tmp_path):
    """The checker itself: a web module importing the indexer is reported."""
    bad = REPO / "search_service" / "web" / "_layer_probe.py"
    bad.write_text("from indexer.pipeline import index_paths\nfrom ..backends import open_backend\n")
    try:
        names = _imports(bad)
        assert "indexer.pipeline" in names and "search_service.backends" in names
        assert not _within("indexer.pipeline", ALLOWED[_layer(_module_name(bad))])
    finally:
        bad.unlink()
