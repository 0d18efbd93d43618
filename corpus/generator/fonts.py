"""Fonts for the generated PDFs: a WinAnsi codec that keeps the fi/fl ligatures, and font registration."""

from __future__ import annotations

import codecs
from typing import Any

from reportlab.pdfbase import pdfmetrics

FONT, FONT_BOLD = "SG-Helvetica", "SG-Helvetica-Bold"
_EXTRA_CODES = {"\ufb01": (0x81, "fi"), "\ufb02": (0x8D, "fl"), "\u2022": (0x95, "bullet")}


_CODEC = "sgwinansilig"


UNLIGATE = str.maketrans({"\ufb01": "fi", "\ufb02": "fl"})  # truth lines spell ligatures out


def _encode(text: str, errors: str = "strict") -> tuple[bytes, int]:
    """Encode text as WinAnsi plus the extra codes above."""
    base = codecs.lookup("winansi")
    out = bytearray()
    for char in text:
        out += bytes([_EXTRA_CODES[char][0]]) if char in _EXTRA_CODES else base.encode(char, errors)[0]
    return bytes(out), len(text)


def _decode(data: Any, errors: str = "strict") -> tuple[str, int]:
    """Decode bytes written by :func:`_encode` (``data`` is any buffer, as the codec protocol allows)."""
    back = {code: char for char, (code, _) in _EXTRA_CODES.items()}
    base = codecs.lookup("winansi")
    raw = bytes(data)
    return "".join(back.get(b) or base.decode(bytes([b]), errors)[0] for b in raw), len(raw)


def register_fonts() -> None:
    """Register the re-encoded Helvetica faces once (standard fonts only, nothing embedded)."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    codecs.register(lambda name: codecs.CodecInfo(_encode, _decode, name=_CODEC) if name == _CODEC else None)
    encoding = pdfmetrics.Encoding(_CODEC, "WinAnsiEncoding")
    for code, glyph in _EXTRA_CODES.values():
        encoding[code] = glyph
    pdfmetrics.registerEncoding(encoding)
    pdfmetrics.registerFont(pdfmetrics.Font(FONT, "Helvetica", _CODEC))
    pdfmetrics.registerFont(pdfmetrics.Font(FONT_BOLD, "Helvetica-Bold", _CODEC))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
