"""Tantivy storage behaviour: generations, CURRENT switching, rollback, the write
lock, readers in other processes, and crash safety with real SIGKILLed writers.
"""
from __future__ import annotations

import datetime as dt
import os
import selectors
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from search_service.backends import open_backend
from search_service.config import load_settings
from search_service.backends.base import BackendError, BackendUnavailable, IndexBusy
from search_service.backends.tantivy_schema import article_order
from search_service.backends.tantivy_backend import TantivyBackend
from search_service.backends.tantivy_writer import TantivyWriter
from search_service.backends.tantivy_schema import SCHEMA_VERSION_FILE, open_index
from search_service.backends.tantivy_store import COMPLETE, CURRENT
from search_service.search import SearchRequest
from tests.backend_fixtures import make_article

REPO = Path(__file__).resolve().parents[1]

#: A writer in another process. Modes: hold (commit 3, add 3 more, wait to be
#: killed), exit (commit 6 and leave); prefix "rebuild-" writes a new generation.
WRITER_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from search_service.backends.tantivy_backend import TantivyBackend
    from tests.backend_fixtures import make_article

    data_dir, mode = sys.argv[1], sys.argv[2]
    backend = TantivyBackend(data_dir, keep_generations=2)
    rebuild = mode.startswith("rebuild-")
    prefix = "r" if rebuild else "c"
    with (backend.rebuild() if rebuild else backend.writer()) as writer:
        for i in range(3):
            writer.add(make_article(f"{prefix}{i}", [f"Committed crab number {i}."]))
        writer.commit()
        for i in range(3, 6):
            writer.add(make_article(f"{prefix}{i}", [f"Uncommitted crab number {i}."]))
        print("ready", flush=True)
        if mode.endswith("hold"):
            time.sleep(300)
    """
)


def spawn(data_dir, mode: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", WRITER_SCRIPT, str(data_dir), mode],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO,
    )


def wait_ready(proc: subprocess.Popen, timeout: float = 120) -> None:
    """Block until the child prints "ready" (fail, not hang, if it never does)."""
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if selector.select(timeout=max(0.0, deadline - time.monotonic())):
            line = proc.stdout.readline()
            if line.strip() == "ready":
                return
            if not line:
                break
    proc.kill()
    raise AssertionError(f"writer process never became ready: {proc.stderr.read()}")


def kill9(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=60) == -signal.SIGKILL


def ids(backend, q: str = "") -> list[str]:
    return sorted(h.id for h in backend.search(SearchRequest.build(q=q, size=50)).hits)


def generations(data_dir) -> set[str]:
    root = Path(data_dir) / "index"
    return {p.name for p in root.iterdir() if p.is_dir()} if root.exists() else set()


def current(data_dir) -> str:
    return (Path(data_dir) / "index" / CURRENT).read_text().strip()


def fill(backend, prefix: str, n: int = 2, rebuild: bool = False) -> None:
    with (backend.rebuild() if rebuild else backend.writer()) as writer:
        for i in range(n):
            writer.add(make_article(f"{prefix}{i}", [f"Item {prefix} {i} about herons."]))


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


def test_open_backend_builds_tantivy_from_settings(data_dir):
    settings = load_settings({"BACKEND": "tantivy", "DATA_DIR": str(data_dir), "KEEP_GENERATIONS": 3}, environ={})
    backend = open_backend(settings)
    assert isinstance(backend, TantivyBackend) and backend.store.keep == 3


def test_missing_data_dir_reads_as_empty(data_dir):
    backend = TantivyBackend(str(data_dir))
    request = SearchRequest.build(q="heron", filters={"person": ["Nobody Known"]})
    result = backend.search(request)
    assert result.total == 0 and result.hits == []
    assert [(fv.value, fv.count, fv.selected) for fv in result.facets["person"]] == [("Nobody Known", 0, True)]
    assert backend.stats()["documents"] == 0 and backend.stats()["generation"] is None
    assert backend.get("x") is None and list(backend.iter_articles()) == [] and backend.source_hashes() == {}
    assert backend.facet_values("person", request, "no") == []
    assert not data_dir.exists()  # reading creates nothing


def test_writer_creates_first_generation_and_stats(data_dir):
    backend = TantivyBackend(str(data_dir))
    fill(backend, "a", 3)
    live = current(data_dir)
    assert generations(data_dir) == {live}
    assert (data_dir / "index" / live / COMPLETE).exists()
    stats = backend.stats()
    assert stats["backend"] == "tantivy" and stats["documents"] == 3 and stats["passages"] == 3
    assert stats["generation"] == live and stats["path"].endswith(live)
    assert dt.datetime.fromisoformat(stats["last_commit"]).tzinfo is not None


def test_commit_inside_a_writer_is_visible_at_once(data_dir):
    backend = TantivyBackend(str(data_dir))
    with backend.writer() as writer:
        writer.add(make_article("v1", ["Visible heron."]))
        assert ids(backend) == []  # nothing before commit
        writer.commit()
        assert ids(backend) == ["v1"]


def test_rebuild_switches_current_and_prunes_beyond_keep(data_dir):
    backend = TantivyBackend(str(data_dir), keep_generations=2)
    fill(backend, "a")
    first = current(data_dir)
    fill(backend, "b", rebuild=True)
    second = current(data_dir)
    assert second != first and generations(data_dir) == {first, second}
    assert ids(backend) == ["b0", "b1"]
    fill(backend, "c", rebuild=True)
    third = current(data_dir)
    assert generations(data_dir) == {second, third}  # live + one to roll back to
    assert not list((data_dir / "index").glob("*.tmp-*"))
    assert backend.rollback() == second and ids(backend) == ["b0", "b1"]
    with pytest.raises(BackendError, match="no earlier complete index generation"):
        backend.rollback()


@pytest.mark.parametrize("threads", [1, 2])
def test_writer_threads_setting_reaches_every_writer(data_dir, threads):
    """INDEX_WRITER_THREADS sets the IndexWriter's threads; any count writes every article once."""
    backend = open_backend(load_settings({"DATA_DIR": str(data_dir), "INDEX_WRITER_THREADS": str(threads)}, environ={}))
    assert backend._writer_threads == threads
    fill(backend, "a", n=30)
    fill(backend, "b", n=30, rebuild=True)
    assert ids(backend) == sorted(f"b{i}" for i in range(30)) and backend.stats()["documents"] == 30


def test_keep_three_allows_two_rollbacks(data_dir):
    backend = TantivyBackend(str(data_dir), keep_generations=3)
    for prefix, rebuild in (("a", False), ("b", True), ("c", True)):
        fill(backend, prefix, rebuild=rebuild)
    assert len(generations(data_dir)) == 3
    backend.rollback()
    assert ids(backend) == ["b0", "b1"]
    backend.rollback()
    assert ids(backend) == ["a0", "a1"]
    # A new rebuild drops the abandoned generations, never the live one.
    fill(backend, "d", rebuild=True)
    assert ids(backend) == ["d0", "d1"] and backend.rollback() and ids(backend) == ["a0", "a1"]


def test_rollback_without_history_raises(data_dir):
    backend = TantivyBackend(str(data_dir))
    with pytest.raises(BackendError):
        backend.rollback()
    fill(backend, "a")
    with pytest.raises(BackendError):
        backend.rollback()


def test_failed_rebuild_removes_its_generation(data_dir):
    backend = TantivyBackend(str(data_dir))
    fill(backend, "a")
    before = (current(data_dir), generations(data_dir))
    with pytest.raises(KeyError):
        with backend.rebuild() as writer:
            writer.add(make_article("x", ["Never live."]))
            writer.commit()
            raise KeyError("source vanished")
    assert (current(data_dir), generations(data_dir)) == before
    assert ids(backend) == ["a0", "a1"]


def test_partial_generations_are_cleaned_on_next_rebuild(data_dir):
    backend = TantivyBackend(str(data_dir), keep_generations=2)
    fill(backend, "a")
    live = current(data_dir)
    leftover = data_dir / "index" / "g-20000101T000000-dead00"
    leftover.mkdir()
    (leftover / "meta.json").write_text("{}")
    fill(backend, "b", rebuild=True)
    assert not leftover.exists()
    assert live in generations(data_dir)  # the previous live one is kept for rollback


def test_second_writer_in_same_process_is_busy(data_dir):
    backend = TantivyBackend(str(data_dir))
    other = TantivyBackend(str(data_dir))
    with backend.writer():
        for attempt in (backend.writer, other.writer, other.rebuild):
            with pytest.raises(IndexBusy, match="another indexing process is writing to"):
                with attempt():
                    pass
        with pytest.raises(IndexBusy):
            other.rollback()
    with other.writer() as writer:  # released on exit
        writer.add(make_article("ok", ["Fine."]))


def test_tantivy_lock_busy_becomes_index_busy(data_dir):
    backend = TantivyBackend(str(data_dir))
    fill(backend, "a")
    path = str(data_dir / "index" / current(data_dir))
    index = open_index(path)
    holder = index.writer(heap_size=15_000_000, num_threads=1)
    try:
        with pytest.raises(IndexBusy, match=f"another indexing process is writing to {path}"):
            TantivyWriter(open_index(path), path)
    finally:
        holder.wait_merging_threads()


def test_writer_in_another_process_makes_us_busy(data_dir):
    proc = spawn(data_dir, "hold")
    try:
        wait_ready(proc)
        backend = TantivyBackend(str(data_dir))
        with pytest.raises(IndexBusy, match="another indexing process is writing to"):
            with backend.writer():
                pass
        assert ids(backend, "crab") == ["c0", "c1", "c2"]  # readers are never blocked
    finally:
        kill9(proc)
    with backend.writer() as writer:  # the kernel released the dead writer's locks
        writer.add(make_article("after", ["After the crash."]))
    assert "after" in ids(backend)


def test_sigkill_mid_write_keeps_last_commit(data_dir):
    proc = spawn(data_dir, "hold")
    wait_ready(proc)
    kill9(proc)
    backend = TantivyBackend(str(data_dir))
    assert ids(backend, "crab") == ["c0", "c1", "c2"]
    assert backend.stats()["documents"] == 3
    with backend.writer() as writer:
        writer.add(make_article("c9", ["A crab after the crash."]))
    assert ids(backend, "crab") == ["c0", "c1", "c2", "c9"]


def test_sigkill_mid_rebuild_leaves_live_generation(data_dir):
    backend = TantivyBackend(str(data_dir))
    fill(backend, "a")
    live = current(data_dir)
    proc = spawn(data_dir, "rebuild-hold")
    wait_ready(proc)
    kill9(proc)
    assert current(data_dir) == live and ids(backend) == ["a0", "a1"]
    leftovers = generations(data_dir) - {live}
    assert len(leftovers) == 1 and not (data_dir / "index" / leftovers.pop() / COMPLETE).exists()
    fill(backend, "b", rebuild=True)
    assert generations(data_dir) == {live, current(data_dir)} and ids(backend) == ["b0", "b1"]


def test_reader_follows_another_process(data_dir):
    reader = TantivyBackend(str(data_dir))
    assert reader.search(SearchRequest.build()).total == 0
    writer = spawn(data_dir, "exit")
    assert writer.wait(timeout=120) == 0, writer.stderr.read()
    assert ids(reader, "crab") == [f"c{i}" for i in range(6)]
    first = reader.stats()["generation"]
    rebuild = spawn(data_dir, "rebuild-exit")
    assert rebuild.wait(timeout=120) == 0, rebuild.stderr.read()
    assert ids(reader, "crab") == [f"r{i}" for i in range(6)]  # CURRENT switch seen
    assert reader.stats()["generation"] not in (None, first)


def test_corrupt_or_missing_generation_is_unavailable(data_dir):
    fill(TantivyBackend(str(data_dir)), "a")
    live = data_dir / "index" / current(data_dir)
    (live / "meta.json").write_text("not json at all")
    with pytest.raises(BackendUnavailable, match="cannot be opened"):
        TantivyBackend(str(data_dir)).search(SearchRequest.build())
    (data_dir / "index" / CURRENT).write_text("g-19990101T000000-gone00\n")
    with pytest.raises(BackendUnavailable, match="missing"):
        TantivyBackend(str(data_dir)).stats()


def test_index_from_another_schema_version_is_unavailable(data_dir):
    fill(TantivyBackend(str(data_dir)), "a")
    (data_dir / "index" / current(data_dir) / SCHEMA_VERSION_FILE).write_text("0")
    with pytest.raises(BackendUnavailable, match="another version"):
        TantivyBackend(str(data_dir)).search(SearchRequest.build())


def test_source_hashes_flag_half_updated_files(data_dir):
    backend = TantivyBackend(str(data_dir))
    with backend.writer() as writer:
        writer.add(make_article("j1", ["One."], source="feed.jsonl", source_hash="old"))
        writer.add(make_article("j2", ["Two."], source="feed.jsonl", source_hash="new"))
        writer.add(make_article("t1", ["Three."], source="note.txt", source_hash="abc"))
    assert backend.source_hashes() == {"feed.jsonl": "", "note.txt": "abc"}


def test_iter_articles_streams_every_article_once_in_key_order_across_segments(data_dir):
    backend = TantivyBackend(str(data_dir))
    for batch in (["m", "b", "x"], ["a", "q"], ["k"]):
        with backend.writer() as writer:
            for doc_id in batch:
                writer.add(make_article(doc_id, [f"Entry {doc_id}."]))
    with backend.writer() as writer:
        writer.add(make_article("b", ["Entry b, replaced."]))
    articles = list(backend.iter_articles())
    assert [a.id for a in articles] == sorted("abkmqx", key=article_order)
    assert {a.id: a.text for a in articles}["b"] == "Entry b, replaced."


def test_iter_articles_pages_through_windows_and_colliding_keys(data_dir, monkeypatch):
    """Keyset paging over ``dockey``: small windows, and ids whose keys collide (a hash
    collision forced by giving several ids one key) are each streamed exactly once."""
    from search_service.backends import tantivy_backend, tantivy_schema

    real = tantivy_schema.dockey
    colliding = {f"c{n}" for n in range(5)}
    fake = lambda doc_id: 7 if doc_id in colliding else real(doc_id)  # noqa: E731
    monkeypatch.setattr(tantivy_schema, "dockey", fake)  # the key stored with each document
    monkeypatch.setattr(tantivy_backend, "ID_WINDOW", 3)
    backend = TantivyBackend(str(data_dir))
    ids = sorted(colliding | {f"a{n}" for n in range(11)})
    with backend.writer() as writer:
        for doc_id in ids:
            writer.add(make_article(doc_id, [f"Entry {doc_id}."]))
    streamed = [a.id for a in backend.iter_articles()]
    assert sorted(streamed) == ids and len(streamed) == len(ids)


def test_threads_search_while_a_writer_commits(data_dir):
    """One backend shared by web threads: searches keep working across commits."""
    from concurrent.futures import ThreadPoolExecutor

    backend = TantivyBackend(str(data_dir))
    fill(backend, "seed", 1)

    def totals(_):
        return [backend.search(SearchRequest.build(q="herons")).total for _ in range(15)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(totals, i) for i in range(4)]
        with backend.writer() as writer:
            for i in range(10):
                writer.add(make_article(f"t{i}", [f"Thread heron {i}."]))
                writer.commit()
        seen = [f.result() for f in futures]
    for run in seen:
        assert run == sorted(run) and 1 <= run[0] and run[-1] <= 11  # only ever grows
    assert backend.search(SearchRequest.build(q="herons")).total == 11


def test_cached_facets_follow_commits_and_paging(data_dir):
    backend = TantivyBackend(str(data_dir))
    with backend.writer() as writer:
        for i in range(3):
            writer.add(make_article(f"p{i}", ["A heron."], person=["Ida Wren"]))
    request = SearchRequest.build(q="heron", size=1)
    first = backend.search(request).facets["person"]
    assert [(fv.value, fv.count) for fv in first] == [("Ida Wren", 3)]
    first[0].count = 99  # a caller decorating its copy changes nothing for others
    page2 = backend.search(request.with_changes(page=2))
    assert [(fv.value, fv.count) for fv in page2.facets["person"]] == [("Ida Wren", 3)]
    with backend.writer() as writer:
        writer.add(make_article("p9", ["Another heron."], person=["Ida Wren", "Ole Finch"]))
    assert [(fv.value, fv.count) for fv in backend.search(request).facets["person"]] == [
        ("Ida Wren", 4), ("Ole Finch", 1)
    ]
