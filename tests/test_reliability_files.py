"""Hostile files: one folder holding every kind of bad input next to good articles,
indexed once by the real ``search-service index`` command (real spaCy, real Tantivy).

Each bad file must get its own clear line in the printed run summary, and every
good document must be searchable afterwards. When the suite runs as root, the
indexer process gives up the capabilities that let root read a file whose
permissions say no one may, so the unreadable file is really unreadable.

The 20 MB text is too slow for CI (minutes of NER); it is measured by
``benchmarks/load_big_file.py`` and listed in docs/reliability.md. Here a sparse
file over the reader's 50 MB limit checks the size guard instead.
"""
from __future__ import annotations

import codecs
import ctypes
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import make_config
from reliability_fixtures import CLI, cli_env
from search_service.backends import open_backend
from search_service.search import SearchRequest

pytestmark = pytest.mark.slow

# linux/prctl.h and linux/capability.h
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2


def _article(word: str, title: str = "Harbour notice") -> str:
    """A short news text with a unique searchable ``word`` (invented names only)."""
    return (f"{title}\n\nThe Vellmark Quay Trust said on Monday that repairs to the north pier would start "
            f"in 2023. Ilse Brandvik, who chairs the trust, called the plan overdue. Reference {word}.\n")


#: name → (content bytes, marker word) of every file that must be indexed.
def _good_files() -> dict[str, tuple[bytes, str]]:
    nested_depth = 5000
    nested = ("<html><head><title>Nested pier page</title></head><body><p>Top of the page.</p>"
              + "<div>" * nested_depth + _article("goodnested") + "</div>" * nested_depth + "</body></html>")
    return {
        "harbour report 2021.txt": (_article("goodspaces").encode(), "goodspaces"),
        "Отчёт о причале.txt": (_article("goodcyrillic", "Pier report").encode(), "goodcyrillic"),
        "港口 新闻.md": (("# Quay news\n\n" + _article("goodcjk")).encode(), "goodcjk"),
        "café notes.html": (f"<html><body><article><h1>Café notes</h1><p>{_article('goodcafe')}</p>"
                            "</article></body></html>".encode(), "goodcafe"),
        "letter utf16.txt": (codecs.BOM_UTF16_LE + _article("goodutf16").encode("utf-16-le"), "goodutf16"),
        "nested.html": (nested.encode(), "goodnested"),
        "ferry.txt": (_article("goodferry", "Ferry timetable").encode(), "goodferry"),
    }


JSONL_GOOD = ["goodjsonlone", "goodjsonltwo", "goodjsonlthree"]


def _jsonl() -> bytes:
    lines = [
        json.dumps({"id": "r1", "title": "Quay market", "text": _article(JSONL_GOOD[0])}).encode(),
        b'{"id": "r2", "text": "this line is cut off',  # line 2: broken JSON
        json.dumps({"id": "r3", "text": _article(JSONL_GOOD[1])}).encode(),
        b'{"id": "r4", "text": "bad byte \xff here"}',  # line 4: not UTF-8
        json.dumps({"id": "r5", "title": "No text"}).encode(),  # line 5: no "text"
        json.dumps({"id": "r6", "text": _article(JSONL_GOOD[2])}).encode(),
    ]
    return b"\n".join(lines) + b"\n"


#: file name → the words its summary line must contain.
EXPECTED_LINES = {
    "binary.txt": "not a text file (binary data)",
    "zero bytes.txt": "empty file",
    "latin1.txt": "not valid utf-8 text (bad byte at offset 3)",
    "locked.txt": "permission denied",
    "loop": "symlink loop",
    "self.txt": "symlink loop",
    "fifo.txt": "not a regular file",
    "oversize.txt": "file too large",
    "slides.pptx": "unsupported file type .pptx",
    "second ferry.txt": "same text as",
    "feed.jsonl": None,  # checked line by line below
}


def _build_folder(folder: Path) -> None:
    for name, (content, _) in _good_files().items():
        (folder / name).write_bytes(content)
    shutil.copy(folder / "ferry.txt", folder / "second ferry.txt")
    (folder / "feed.jsonl").write_bytes(_jsonl())
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "zero bytes.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes("Caf\u00e9 au quai, r\u00e9union \u00e0 midi.".encode("latin-1"))
    (folder / "locked.txt").write_bytes(_article("badlocked").encode())
    (folder / "loop").mkdir()
    (folder / "loop" / "inner.txt").write_bytes(_article("goodloopinner").encode())
    os.symlink("..", folder / "loop" / "up")  # loop/up/loop/up/... leads back to the folder itself
    os.symlink("self.txt", folder / "self.txt")
    os.mkfifo(folder / "fifo.txt")
    with open(folder / "oversize.txt", "wb") as fh:  # sparse: 51 MB on paper, nothing on disk
        fh.truncate(51 * 1024 * 1024)
    (folder / "slides.pptx").write_bytes(b"PK\x03\x04 not really")


def _without_file_permission_override() -> None:
    """In the child, before exec: give up root's power to ignore file permissions.

    The process stays uid 0 (so it can still reach the interpreter under /root)
    but a file with mode 000 is now unreadable to it, as to any service user.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """(folder, data dir, printed run summary) of one real index run."""
    base = tmp_path_factory.mktemp("hostile-files")
    folder, data = base / "hostile", base / "data"
    folder.mkdir()
    _build_folder(folder)
    os.chmod(folder / "locked.txt", 0)
    drop = {"preexec_fn": _without_file_permission_override} if os.geteuid() == 0 else {}
    done = subprocess.run([CLI, "index", str(folder)], env=cli_env(data), capture_output=True, text=True,
                          timeout=600, **drop)
    assert done.returncode == 0, done.stdout + done.stderr
    yield folder, data, done.stdout
    os.chmod(folder / "locked.txt", 0o644)


def _lines_about(summary: str, name: str) -> list[str]:
    return [line for line in summary.splitlines() if f"/{name}" in line]


@pytest.mark.parametrize("name", sorted(n for n, v in EXPECTED_LINES.items() if v))
def test_each_bad_file_has_a_clear_summary_line(hostile_run, name):
    folder, _, summary = hostile_run
    lines = _lines_about(summary, name)
    assert lines, f"no summary line for {name}:\n{summary}"
    assert any(EXPECTED_LINES[name] in line.lower() and line.lstrip().startswith("skipped:") for line in lines), lines


def test_jsonl_reports_bad_lines_by_number_and_keeps_the_good_ones(hostile_run):
    _, data, summary = hostile_run
    lines = _lines_about(summary, "feed.jsonl")
    assert any("line 2: invalid JSON" in line for line in lines), lines
    assert any("line 4: not valid UTF-8" in line for line in lines), lines
    assert any('line 5: no "text"' in line for line in lines), lines
    assert all("kept 3 other records" in line and line.lstrip().startswith("warning:") for line in lines), lines
    for word in JSONL_GOOD:
        assert _total(data, word) == 1, word


def test_every_good_document_is_indexed_once(hostile_run):
    folder, data, summary = hostile_run
    goods = {name: word for name, (_, word) in _good_files().items()}
    goods["loop/inner.txt"] = "goodloopinner"
    for name, word in goods.items():
        assert _total(data, word) == 1, f"{name} ({word}) is not searchable:\n{summary}"
    assert _total(data, "badlocked") == 0
    first_line = summary.splitlines()[0]
    # 8 files with one article each + 3 JSON Lines records; nothing failed.
    assert first_line.startswith(f"Indexed {len(goods) + len(JSONL_GOOD)} documents from {len(goods) + 1} files")
    assert first_line.endswith("0 failed.")
    backend = open_backend(make_config(data))
    try:
        sources = [a.source for a in backend.iter_articles()]
    finally:
        backend.close()
    # Unicode names are stored as written (no mojibake), each file once.
    assert str(folder / "Отчёт о причале.txt") in sources
    assert str(folder / "港口 新闻.md") in sources
    assert len(set(sources)) == len(goods) + 1


def test_titles_of_unusual_files(hostile_run):
    _, data, _ = hostile_run
    backend = open_backend(make_config(data))
    try:
        nested = backend.search(SearchRequest.build(q="goodnested")).hits[0]
        utf16 = backend.get(backend.search(SearchRequest.build(q="goodutf16")).hits[0].id)
    finally:
        backend.close()
    assert nested.title == "Nested pier page"
    assert "Ilse Brandvik" in utf16.text and "\ufeff" not in utf16.text


def _total(data: Path, word: str) -> int:
    backend = open_backend(make_config(data))
    try:
        return backend.search(SearchRequest.build(q=word)).total
    finally:
        backend.close()


def test_same_article_under_a_new_name_in_a_later_run_is_not_indexed_twice(tmp_path):
    """Also the crash case: the first copy committed, the run killed before the second,
    the re-run then indexes the second copy as new."""
    from indexer.pipeline import index_paths

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "ferry.txt").write_text(_article("onlyonce", "Ferry timetable"), encoding="utf-8")
    config = make_config(tmp_path / "data")
    backend = open_backend(config)
    try:
        assert index_paths([folder], backend, config).indexed == 1
        shutil.copy(folder / "ferry.txt", folder / "ferry again.txt")
        second = index_paths([folder], backend, config)
        assert backend.search(SearchRequest.build(q="onlyonce")).total == 1
        assert any("same text as" in reason for _, reason in second.skipped)
    finally:
        backend.close()
