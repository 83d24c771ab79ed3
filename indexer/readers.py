"""Turn files into raw documents: walk folders, then read each supported format.

Every problem with an input becomes a :class:`Skipped` entry with a short human
reason, never an exception: one bad file (or one bad JSON Lines record) must not
stop an indexing run, and the run's summary lists what was left out and why.
Readers return the article text plus whatever metadata the *format* states
(HTML ``<title>``, JSON ``"date"``, ...); inferring metadata from plain text is
:mod:`indexer.metadata`'s job.

This module walks folders, reads bytes and dispatches by suffix; the format
readers themselves live in :mod:`indexer.formats`, one module per format.
"""
from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path
from typing import Iterable, Iterator

from indexer.formats import READERS
from indexer.formats.base import RawDocument, Skipped, Unreadable
from indexer.formats.records import MAX_RECORD_PROBLEMS

__all__ = ["DEFAULT_MAX_BYTES", "MAX_RECORD_PROBLEMS", "RawDocument", "SUPPORTED_SUFFIXES", "Skipped",
           "SourceFile", "discover", "iter_files", "read_file", "read_paths", "read_source"]

SUPPORTED_SUFFIXES = set(READERS)
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def read_paths(paths: Iterable[str | Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument | Skipped]:
    """Every document in the given files and folders (:func:`iter_files` + :func:`read_file`)."""
    for item in iter_files(paths):
        if isinstance(item, Skipped):
            yield item
        else:
            yield from read_file(item, max_bytes=max_bytes)


class SourceFile:
    """One file to index, identified once: both the "unchanged" check and the reader use it.

    ``source`` is the resolved absolute path (the identity stored with its documents,
    the same whether the folder was reached through a symbolic link or not);
    ``label`` is what users see: the path relative to the folder that was indexed
    (the file name for a file given directly). The bytes are read once, on first
    use of :meth:`data` or :meth:`digest`.
    """

    __slots__ = ("path", "source", "label", "_data", "_digest")

    def __init__(self, path: Path, label: str | None = None):
        self.path = path
        try:
            self.source = str(path.resolve())
        except (OSError, RuntimeError):  # a symlink loop cannot be resolved
            self.source = os.path.abspath(path)
        self.label = label or path.name
        self._data: bytes | None = None
        self._digest: str | None = None

    def data(self, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
        """The file's bytes (read on the first call only); raises :class:`Unreadable`."""
        if self._data is None:
            self._data = _read_bytes(self.path, max_bytes)
        return self._data

    def digest(self, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
        """sha256 hex of the file's bytes; raises :class:`Unreadable`."""
        if self._digest is None:
            self._digest = hashlib.sha256(self.data(max_bytes)).hexdigest()
        return self._digest

    def release(self) -> None:
        """Forget the bytes (the pipeline holds one file's content at a time)."""
        self._data = None

    def __repr__(self) -> str:
        return f"SourceFile({self.source!r}, label={self.label!r})"


def discover(paths: Iterable[str | Path]) -> Iterator[SourceFile | Skipped]:
    """:func:`iter_files` as :class:`SourceFile` values labelled relative to the folder given."""
    for path, top in _walk_all(paths):
        if isinstance(path, Skipped):
            yield path
        else:
            yield SourceFile(path, os.path.relpath(path, top) if path != top else path.name)


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | Skipped]:
    """Supported files under the given paths, as absolute paths, in a deterministic order.

    Folders are walked recursively in name order; hidden entries (name starting
    with ".") inside them are ignored. Symbolic links are followed, but a folder
    that leads back to one of its own ancestors is reported as a symlink loop, and
    a file or folder already reached by another path is not listed twice.
    Missing paths, unreadable folders, loops and unsupported files come out as
    :class:`Skipped`.
    """
    for path, _ in _walk_all(paths):
        yield path


def _walk_all(paths: Iterable[str | Path]) -> Iterator[tuple[Path | Skipped, Path]]:
    """(file or skip, the given path it was found under) for every given path."""
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()
    for raw in paths:
        top = Path(os.path.abspath(Path(raw).expanduser()))
        for item in _walk(top, seen_files, seen_dirs):
            yield item, top


def _walk(top: Path, seen_files: set, seen_dirs: set) -> Iterator[Path | Skipped]:
    # An explicit stack, not recursion: folder depth is up to the user's data.
    stack: list[tuple[tuple[int, int], Iterator[Path]]] = []
    ancestors: set[tuple[int, int]] = set()

    def visit(path: Path) -> Iterator[Path | Skipped]:
        try:
            st = path.stat()
        except OSError as exc:
            yield Skipped(str(path), _os_reason(exc, path))
            return
        if not stat.S_ISDIR(st.st_mode):
            yield from _file_entry(path, st, seen_files)
            return
        key = (st.st_dev, st.st_ino)
        if key in ancestors:
            yield Skipped(str(path), "symlink loop (leads back to a folder above it)")
            return
        if key in seen_dirs:
            return  # already walked through another path
        try:
            with os.scandir(path) as entries:
                names = sorted(e.name for e in entries if not e.name.startswith("."))
        except OSError as exc:
            yield Skipped(str(path), _os_reason(exc, path))
            return
        seen_dirs.add(key)
        ancestors.add(key)
        stack.append((key, iter([path / name for name in names])))

    yield from visit(top)
    while stack:
        key, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            ancestors.discard(key)
        else:
            yield from visit(child)


def _file_entry(path: Path, st: os.stat_result, seen_files: set) -> Iterator[Path | Skipped]:
    if not stat.S_ISREG(st.st_mode):
        yield Skipped(str(path), "not a regular file")
        return
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        yield Skipped(str(path), _unsupported(path))
        return
    key = (st.st_dev, st.st_ino)
    if key not in seen_files:
        seen_files.add(key)
        yield path


def _unsupported(path: Path) -> str:
    return f"unsupported file type {path.suffix.lower()}" if path.suffix else "unsupported file type (no extension)"


def _os_reason(exc: OSError, path: Path) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if exc.errno == errno.ENOENT:
        return "broken symbolic link" if path.is_symlink() else "no such file or directory"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EISDIR:
        return "is a directory"
    return f"cannot read ({exc.strerror or exc})"


def read_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument | Skipped]:
    """The documents in one file (several for JSON/JSONL), or why it was skipped.

    Never raises for bad content or an unreadable file: every problem becomes a
    :class:`Skipped`. Files larger than ``max_bytes`` are skipped unread.
    """
    yield from read_source(SourceFile(Path(path)), max_bytes)


def read_source(file: SourceFile, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument | Skipped]:
    """:func:`read_file` for a discovered file, reusing its bytes if they were already read.

    Each document's ``source_label`` is the file's label, with ``#record`` for a record.
    """
    source, suffix = file.source, file.path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        yield Skipped(source, _unsupported(file.path))
        return
    try:
        data = file.data(max_bytes)
        if not data.strip():
            raise Unreadable("empty file")
        items = reader(data, source, file.digest(max_bytes))
    except Unreadable as exc:
        items = [Skipped(source, str(exc))]
    except Exception as exc:  # noqa: BLE001 - a parser bug on odd input must not stop the run
        items = [Skipped(source, f"could not read {suffix} file ({type(exc).__name__}: {exc})")]
    for item in items:
        if isinstance(item, RawDocument):
            item.source_label = file.label if item.record_id is None else f"{file.label}#{item.record_id}"
        yield item


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # opening a FIFO would block forever
            raise Unreadable("is a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file")
        if st.st_size > max_bytes:
            raise Unreadable(f"file too large ({_size(st.st_size)}; limit {_size(max_bytes)})")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since stat()
    except OSError as exc:
        raise Unreadable(_os_reason(exc, path)) from None
    if len(data) > max_bytes:
        raise Unreadable(f"file too large (more than {_size(max_bytes)})")
    return data


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"
