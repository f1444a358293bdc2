"""PDF text extraction with pdfminer.six."""

from __future__ import annotations

import io

from .model import ParseError


def pdf_to_text(data: bytes) -> str:
    from pdfminer.high_level import extract_text
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        return extract_text(io.BytesIO(data))
    except (PDFEncryptionError, PDFPasswordIncorrect) as exc:
        raise ParseError("PDF-filen er krypteret og kan ikke læses") from exc
