"""PDF: the text layer of every page (pypdf); a damaged page is a non-fatal skip."""
from __future__ import annotations

import io
import logging

from .base import RawDocument, Skipped, Unreadable
from .text import normalise


def read_pdf(data: bytes, source: str, digest: str) -> list[RawDocument | Skipped]:
    """A ``.pdf`` file: one document with every page's text, one paragraph break between pages."""
    # pypdf logs a warning for every quirk of a damaged file; the Skipped reason says
    # what matters, so keep the indexer's output readable.
    pdf_log = logging.getLogger("pypdf")
    level = pdf_log.level
    pdf_log.setLevel(logging.ERROR)
    try:
        return _pdf_documents(data, source, digest)
    finally:
        pdf_log.setLevel(level)


def _pdf_documents(data: bytes, source: str, digest: str) -> list[RawDocument | Skipped]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # many PDFs are "encrypted" with an empty password
            except DependencyError:
                raise Unreadable("PDF is encrypted (decrypting needs the 'cryptography' package)") from None
            if not opened:
                raise Unreadable("PDF is encrypted (password required)")
        pages = list(reader.pages)
    except Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types for damaged files
        raise Unreadable(f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    texts, failed = [], []
    for number, page in enumerate(pages, 1):
        try:
            text = normalise(page.extract_text() or "")
        except Exception as exc:  # noqa: BLE001 - one damaged page must not lose the others
            failed.append(Skipped(source, f"PDF page {number}: could not extract text ({exc})", fatal=False))
            continue
        if text:
            texts.append(text)
    if not texts:
        raise Unreadable("PDF has no text layer (scanned?)" if not failed else "could not extract text from PDF")
    return [RawDocument(source, digest, "\n\n".join(texts)), *failed]
