"""Plain text, and the decoding every text-based format shares: BOM/UTF-16/UTF-32, binary checks, NFC."""
from __future__ import annotations

import codecs
import re
import unicodedata

from .base import RawDocument, Unreadable

BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufeff]")


def read_text(data: bytes, source: str, digest: str) -> list[RawDocument]:
    """A ``.txt`` file: the whole decoded file is one document."""
    text = decode(data)
    if not text:
        raise Unreadable("empty file")
    return [RawDocument(source, digest, text)]


def decode(data: bytes, fallback: str | None = None) -> str:
    """Bytes to normalised text: a BOM picks the encoding, otherwise UTF-8 (or ``fallback``)."""
    encoding = next((enc for bom, enc in BOMS if data.startswith(bom)), None)
    if encoding in (None, "utf-8-sig") and looks_binary(data):
        raise Unreadable("not a text file (binary data)")
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        if encoding is None and fallback:
            text = data.decode(fallback, errors="replace")
        else:
            label = "UTF-8" if encoding in (None, "utf-8-sig") else encoding.upper()
            raise Unreadable(f"not valid {label} text (bad byte at offset {exc.start})") from None
    return normalise(text)


def looks_binary(data: bytes) -> bool:
    """True when ``data`` is not text (checked only for BOM-less or UTF-8 data)."""
    # Text never holds NUL; a high share of other control bytes also means binary.
    if b"\x00" in data:
        return True
    head = data[:8192]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(head) * 0.1


def normalise(text: str) -> str:
    """Newlines to ``\\n`` (form feeds to paragraph breaks), control characters dropped, NFC, stripped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL.sub("", text.replace("\x0c", "\n\n"))
    return unicodedata.normalize("NFC", text).strip()


def one_line(value: object) -> str | None:
    """A metadata string on one line (whitespace collapsed, NFC), or None for a non-string or blank."""
    if not isinstance(value, str):
        return None
    return unicodedata.normalize("NFC", " ".join(value.split())) or None
