"""Progress on long work: a tqdm bar on a terminal, plain log lines otherwise.

A bar full of carriage returns is noise in a CI log or a redirected file, so
when stderr is not a terminal we print one line every few seconds instead,
with the same rate and ETA.
"""
from __future__ import annotations

import sys
import time


class Progress:
    """Count items of work; close() when done. Use as a context manager."""

    def __init__(self, total: int | None, desc: str, unit: str = "doc", stream=None, interval: float = 5.0):
        self.stream = stream or sys.stderr
        self.total = total
        self.desc = desc
        self.unit = unit
        self.count = 0
        self._bar = None
        self._started = time.monotonic()
        self._last_line = self._started
        self._interval = interval
        if hasattr(self.stream, "isatty") and self.stream.isatty():
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=desc, unit=unit, file=self.stream, dynamic_ncols=True)

    def update(self, n: int = 1) -> None:
        self.count += n
        if self._bar is not None:
            self._bar.update(n)
            return
        now = time.monotonic()
        if now - self._last_line >= self._interval:
            self._last_line = now
            print(self._line(now), file=self.stream, flush=True)

    def note(self, message: str) -> None:
        """One line of information between progress updates (above the bar on a terminal)."""
        if self._bar is not None:
            self._bar.write(message, file=self.stream)
        else:
            print(message, file=self.stream, flush=True)

    def _line(self, now: float) -> str:
        elapsed = max(now - self._started, 1e-9)
        rate = self.count / elapsed
        line = f"{self.desc}: {self.count}"
        if self.total:
            line += f"/{self.total} ({100 * self.count / self.total:.0f}%)"
        line += f", {rate:.1f} {self.unit}/s"
        if self.total and rate > 0:
            line += f", ETA {_duration((self.total - self.count) / rate)}"
        return line

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self.count:
            print(self._line(time.monotonic()) + " — done", file=self.stream, flush=True)

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"
