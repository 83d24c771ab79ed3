"""One indexing process per data directory.

`index` and `reindex` both take this lock: a reindex copies the live index
into a new generation, so an `index` running beside it would write documents
that the switch then silently drops.
"""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

from search_service.backends import IndexBusy


@contextmanager
def index_lock(data_dir: str | os.PathLike):
    """Hold an exclusive lock on ``data_dir`` or raise IndexBusy at once.

    flock is released by the kernel when the process dies, so a killed
    indexer never leaves a stale lock behind.
    """
    path = Path(data_dir)
    path.mkdir(parents=True, exist_ok=True)
    lock_path = path / "indexer.lock"
    fh = open(lock_path, "a+")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            raise IndexBusy(f"another indexing process (pid {holder}) is working on {path}; try again when it ends") from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        yield
    finally:
        fh.close()
