"""Index generations on disk, the CURRENT pointer, rollback history and the write lock.

Layout under ``DATA_DIR/index/``::

    CURRENT          name of the live generation (replaced atomically)
    HISTORY          JSON list of generations that went live, oldest first
    .write.lock      flock()ed by the one process writing (released by the OS on death)
    g-<utc time>-<random>/   one Tantivy index per generation, plus a COMPLETE
                             marker once it has been fully built

A rebuild writes a fresh generation beside the live one and only then switches
CURRENT, so a failed or killed rebuild leaves searches on the old generation.
Generations that never got their COMPLETE marker are leftovers of such a run and
are deleted by the next rebuild; the live generation and the last
``KEEP_GENERATIONS`` entries of HISTORY (the live one included) are never deleted.
"""
from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
import secrets
import shutil

from .base import BackendError, IndexBusy

CURRENT, HISTORY, LOCK, COMPLETE = "CURRENT", "HISTORY", ".write.lock", "COMPLETE"
PREFIX = "g-"


def fsync_dir(path: str) -> None:
    """Flush a directory entry change (rename, create) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: str, text: str) -> None:
    """Write ``text`` to ``path`` so readers see the old or the new content, never half."""
    tmp = f"{path}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fsync_dir(os.path.dirname(path))


class WriteLock:
    """An exclusive, non-blocking ``flock`` on ``index/.write.lock``.

    flock locks belong to an open file description, so a second writer in the
    same process conflicts too, and the kernel drops the lock when a process dies
    (even by SIGKILL).
    """

    def __init__(self, store: "GenerationStore"):
        os.makedirs(store.root, exist_ok=True)
        self._fd = os.open(os.path.join(store.root, LOCK), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(self._fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise IndexBusy(f"another indexing process is writing to {store.root}") from None
            raise BackendError(f"Cannot lock {store.root}: {exc.strerror}") from None

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


class GenerationStore:
    """The generations of one data directory."""

    def __init__(self, data_dir: str, keep: int = 2):
        self.root = os.path.join(os.path.abspath(data_dir), "index")
        self.keep = max(1, int(keep))

    def path(self, generation: str) -> str:
        return os.path.join(self.root, generation)

    # -- reading ---------------------------------------------------------------
    def current(self) -> str | None:
        """Name of the live generation, or None when nothing was indexed yet."""
        try:
            with open(os.path.join(self.root, CURRENT), encoding="utf-8") as fh:
                name = fh.read().strip()
        except FileNotFoundError:
            return None
        return name or None

    def current_signature(self) -> tuple | None:
        """A cheap (stat-based) fingerprint of CURRENT, to notice a switch."""
        try:
            st = os.stat(os.path.join(self.root, CURRENT))
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def history(self) -> list[str]:
        try:
            with open(os.path.join(self.root, HISTORY), encoding="utf-8") as fh:
                names = json.load(fh)
        except (FileNotFoundError, ValueError):
            names = []
        current = self.current()
        if current and current not in names:
            names.append(current)
        return [n for n in names if isinstance(n, str)]

    def is_complete(self, generation: str) -> bool:
        return os.path.exists(os.path.join(self.path(generation), COMPLETE))

    def generations(self) -> list[str]:
        """Every generation directory present on disk."""
        try:
            entries = os.listdir(self.root)
        except FileNotFoundError:
            return []
        return sorted(e for e in entries if e.startswith(PREFIX) and os.path.isdir(self.path(e)))

    # -- writing (caller holds the WriteLock) ------------------------------------
    def new_generation(self) -> str:
        """Create an empty directory for a new generation and return its name."""
        os.makedirs(self.root, exist_ok=True)
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
        name = f"{PREFIX}{stamp}-{secrets.token_hex(3)}"
        os.makedirs(self.path(name))
        return name

    def clone(self, generation: str) -> str:
        """A new generation holding a copy of ``generation``'s index, made of hard links.

        Tantivy never changes a file in place (segments are written once; meta.json
        and .managed.json are replaced by rename; deletes go to new files), so the
        copy can be written to while the original keeps serving, unchanged. Files
        are copied where hard links are not possible (another file system).
        """
        name = self.new_generation()
        source, target = self.path(generation), self.path(name)
        for entry in os.listdir(source):
            if entry == COMPLETE or entry.endswith(".lock"):
                continue
            try:
                os.link(os.path.join(source, entry), os.path.join(target, entry))
            except OSError:
                shutil.copy2(os.path.join(source, entry), os.path.join(target, entry))
        return name

    def mark_complete(self, generation: str) -> None:
        path = self.path(generation)
        atomic_write(os.path.join(path, COMPLETE), dt.datetime.now(dt.timezone.utc).isoformat() + "\n")

    def activate(self, generation: str) -> None:
        """Make ``generation`` live: append it to HISTORY, then switch CURRENT."""
        # Only the tail matters for rollback; a short file stays cheap to rewrite.
        names = ([n for n in self.history() if n != generation] + [generation])[-20:]
        atomic_write(os.path.join(self.root, HISTORY), json.dumps(names) + "\n")
        atomic_write(os.path.join(self.root, CURRENT), generation + "\n")

    def rollback(self) -> str:
        """Switch CURRENT to the newest complete generation that was live before it."""
        current = self.current()
        names = self.history()
        end = names.index(current) if current in names else len(names)
        for i in range(end - 1, -1, -1):
            name = names[i]
            if os.path.isdir(self.path(name)) and self.is_complete(name):
                atomic_write(os.path.join(self.root, HISTORY), json.dumps(names[: i + 1]) + "\n")
                atomic_write(os.path.join(self.root, CURRENT), name + "\n")
                return name
        raise BackendError("There is no earlier complete index generation to roll back to.")

    def kept(self) -> set[str]:
        """Generations that must stay on disk: the live one and the last ``keep`` live ones."""
        current = self.current()
        complete = [n for n in self.history() if os.path.isdir(self.path(n)) and self.is_complete(n)]
        kept = set(complete[-self.keep:])
        if current:
            kept.add(current)
        return kept

    def prune(self, also_keep: str | None = None) -> list[str]:
        """Delete every generation not kept (old ones and partial leftovers)."""
        kept = self.kept() | ({also_keep} if also_keep else set())
        removed = []
        for name in self.generations():
            if name not in kept:
                shutil.rmtree(self.path(name), ignore_errors=True)
                removed.append(name)
        return removed

    def remove(self, generation: str) -> None:
        if generation not in self.kept():
            shutil.rmtree(self.path(generation), ignore_errors=True)
