"""Plain-text decoding: BOMs, UTF-8, UTF-16, and Vietnamese legacy code pages.

Order: a BOM decides; then UTF-16 without BOM (every other byte NUL); then
strict UTF-8; then the legacy encodings TCVN3, VNI and Windows-1258, the one
whose text reads most plausibly as Vietnamese (:mod:`.legacy`).  A Unicode text
that still shows TCVN3/VNI font codes is converted too, with a warning.  Anything else
with NUL bytes is binary.  What cannot be decoded plausibly raises
``ExtractError("encoding")`` rather than passing garbage on.
"""
from __future__ import annotations

import codecs

from ..models import ExtractError

# Letters a Vietnamese text is made of, plus ASCII.
_VI_LETTERS = set(
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵfjwz"
)


def _vietnamese_score(text: str) -> float:
    """Share of letters that belong to the Vietnamese alphabet (1.0 = all)."""
    letters = [c for c in text.lower() if c.isalpha()]
    if not letters:
        return 0.0
    good = sum(1 for c in letters if c in _VI_LETTERS)
    return good / len(letters)


_NOT_CONTROL = bytes(b for b in range(256) if not (b < 9 or 13 < b < 32))


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    ctrl = len(sample.translate(None, _NOT_CONTROL))  # the control bytes other than \t\n\v\f\r
    return ctrl > len(sample) * 0.05


def _legacy_in_unicode(text: str, warnings: list[str]) -> str:
    """A TCVN3/VNI document saved as Unicode still shows its font codes: convert it."""
    from .legacy import repair_legacy_text

    got = repair_legacy_text(text)
    if got is None:
        return text
    warnings.append(f"encoding: text was in the legacy {got[1]} font encoding; converted to Unicode")
    return got[0]


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    warnings: list[str] = []
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as e:
                raise ExtractError("encoding", f"invalid {enc} after its byte-order mark: {e.reason}") from None
            return _legacy_in_unicode(text, warnings), warnings
    # UTF-16 without BOM: NULs in every other byte of ASCII-heavy text
    sample = data[:4096]
    if len(sample) >= 4 and b"\x00" in sample:
        even, odd = sample[0::2], sample[1::2]
        for enc, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
            if zeros.count(0) > len(zeros) * 0.3:
                try:
                    text = data.decode(enc)
                except UnicodeDecodeError:
                    continue
                if _vietnamese_score(text) > 0.9:
                    warnings.append(f"encoding: decoded as {enc.upper()} (no byte-order mark)")
                    return text, warnings
    if _looks_binary(data):
        raise ExtractError("unsupported_format", "binary data (NUL or control bytes), not a text document")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        utf8_error = e
    else:
        return _legacy_in_unicode(text, warnings), warnings
    # Legacy Vietnamese encodings: TCVN3 (ABC), VNI, Windows-1258 — the most plausible wins
    from .legacy import decode_legacy

    got = decode_legacy(data)
    if got is not None:
        text, enc = got
        if enc == "Windows-1258":
            warnings.append("encoding: not UTF-8; decoded as Windows-1258")
        else:
            warnings.append(f"encoding: not UTF-8; converted from the legacy {enc} encoding to Unicode")
        return text, warnings
    raise ExtractError(
        "encoding",
        f"not valid UTF-8 (byte {utf8_error.start}: {utf8_error.reason}) and no Vietnamese legacy encoding "
        "(TCVN3, VNI, Windows-1258) fits",
    )
