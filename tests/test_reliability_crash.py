"""Crash safety: a real ``search-service index`` / ``reindex`` process killed with SIGKILL.

Each test starts the installed command as a subprocess on a temporary data
directory, waits (by reading the index from this process, as a web worker would)
until the run is at a known point, kills it with SIGKILL, then checks that the
index opens, serves exactly a committed state, and that a re-run completes with
every article present exactly once.

The corpus is 600 short generated articles: the pipeline commits every 200
files (``indexer.pipeline.COMMIT_EVERY``), so an ``index`` run has two commits
before its final one, and a ``reindex`` writes its new generation for a
fraction of a second that the kill can hit.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

from conftest import make_config
from reliability_fixtures import CLI, children, cli, cli_env, marker, wait_until, write_short_articles
from search_service.backends import open_backend
from search_service.backends.tantivy_store import GenerationStore

pytestmark = pytest.mark.slow

ARTICLES = 600
BATCH = 200  # indexer.pipeline.COMMIT_EVERY; every file here holds one article


def _start(args: list[str], data_dir: Path, log: Path, processes: int = 1) -> subprocess.Popen:
    out = open(log, "w")
    try:
        env = cli_env(data_dir, SEARCH_NLP_PROCESSES=str(processes))
        return subprocess.Popen([CLI, *args], env=env, stdout=out, stderr=subprocess.STDOUT)
    finally:
        out.close()  # the child has its own copy of the descriptor


def _kill(proc: subprocess.Popen, log: Path) -> list[int]:
    """SIGKILL the run; its spaCy worker processes (if any) must not outlive it."""
    assert proc.poll() is None, f"the run ended before the kill could land:\n{log.read_text()[-2000:]}"
    workers = children(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    try:
        wait_until(lambda: not [pid for pid in workers if _alive(pid)], 60, interval=0.1,
                   what=f"the killed indexer's workers {workers} to exit")
    finally:
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)  # our own orphans only: children of the run we started
    return workers


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _stats(data_dir: Path) -> dict:
    done = cli("stats", "--json", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _export(data_dir: Path) -> list[dict]:
    done = cli("export", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def _hits(data_dir: Path, query: str) -> int:
    done = cli("search", query, "--json", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["total"]


def _assert_consistent(data_dir: Path) -> list[dict]:
    """Every document is whole (all its passage records present, none extra); ids unique."""
    records = _export(data_dir)
    stats = _stats(data_dir)
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)) == stats["documents"]
    backend = open_backend(make_config(data_dir))
    try:
        passages = sum(len(article.passages) for article in backend.iter_articles())
    finally:
        backend.close()
    assert stats["passages"] == passages, "passage records do not match the stored articles"
    return records


def _assert_complete(data_dir: Path, corpus: list[Path]) -> None:
    records = _assert_consistent(data_dir)
    assert len(records) == ARTICLES
    assert sorted(r["source"] for r in records) == sorted(str(p.resolve()) for p in corpus)
    for n in (0, BATCH, ARTICLES - 1):
        assert _hits(data_dir, marker(n)) == 1, marker(n)


def _reader(data_dir: Path):
    """A reader in this process, like a web worker (sees each commit on its next call)."""
    return open_backend(make_config(data_dir))


@pytest.mark.parametrize("kill_point,processes", [("after-first-commit", 1), ("before-first-commit", 1),
                                                   ("after-first-commit", 2)],
                         ids=["after-first-commit", "before-first-commit", "after-first-commit-2-nlp-processes"])
def test_index_killed_mid_run_keeps_a_committed_state_and_rerun_completes(tmp_path, kill_point, processes):
    """With 2 NLP processes the run forks a worker pool (the default on a multi-core
    machine): the workers must die with it and release the locks they inherited."""
    corpus = write_short_articles(tmp_path / "corpus", ARTICLES)
    data, log = tmp_path / "data", tmp_path / "index.log"
    proc = _start(["index", str(tmp_path / "corpus")], data, log, processes)
    try:
        if kill_point == "after-first-commit":
            reader = _reader(data)
            try:
                committed = wait_until(lambda: proc.poll() is not None or reader.stats()["documents"], 240,
                                       what="the first commit")
            finally:
                reader.close()
            assert committed is not True, f"index exited early:\n{log.read_text()[-2000:]}"
        else:  # the live (empty) generation exists, nothing committed yet
            store = GenerationStore(str(data))
            wait_until(lambda: proc.poll() is not None or store.current(), 240, what="the first generation")
        workers = _kill(proc, log)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    if processes > 1:
        assert workers, "the run had no NLP worker processes when it was killed"
    after_kill = _stats(data)["documents"]
    if kill_point == "after-first-commit":
        assert after_kill in range(BATCH, ARTICLES, BATCH), f"{after_kill} is not a committed state"
        assert _hits(data, marker(0)) == 1  # in the first batch
    else:
        assert after_kill == 0
    assert _hits(data, marker(ARTICLES - 1)) == 0  # never committed
    _assert_consistent(data)

    rerun = cli("index", str(tmp_path / "corpus"), "--json", data_dir=data)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert (summary["indexed"], summary["unchanged"]) == (ARTICLES - after_kill, after_kill)
    assert summary["failed"] == summary["skipped"] == []
    _assert_complete(data, corpus)


def test_reindex_killed_while_writing_the_new_generation_leaves_the_live_one(tmp_path):
    corpus = write_short_articles(tmp_path / "corpus", ARTICLES)
    data, log = tmp_path / "data", tmp_path / "reindex.log"
    first = cli("index", str(tmp_path / "corpus"), data_dir=data)
    assert first.returncode == 0, first.stderr
    store = GenerationStore(str(data))
    live = store.current()
    before = _stats(data)

    proc = _start(["reindex"], data, log)
    try:
        def new_generation():
            if proc.poll() is not None:
                return True
            return next((g for g in store.generations() if g != live), None)

        partial = wait_until(new_generation, 240, interval=0.002, what="the new generation")
        _kill(proc, log)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    assert partial is not True
    # The kill landed while the new generation was being written: it never got its
    # COMPLETE marker and searches still use the old one.
    assert not store.is_complete(partial)
    assert store.current() == live
    after = _stats(data)
    assert (after["generation"], after["documents"], after["passages"]) == (
        live, before["documents"], before["passages"])
    assert _hits(data, marker(ARTICLES // 2)) == 1
    _assert_consistent(data)

    rerun = cli("reindex", "--json", data_dir=data)
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout)["indexed"] == ARTICLES
    rebuilt = store.current()
    assert rebuilt not in (live, partial)
    assert partial not in store.generations()  # the killed run's leftover was removed
    _assert_complete(data, corpus)

    # The generation that was live before the crash is still there to roll back to.
    back = cli("reindex", "--rollback", data_dir=data)
    assert back.returncode == 0, back.stderr
    assert store.current() == live
    assert _stats(data)["documents"] == ARTICLES
