"""Legacy Vietnamese encodings: TCVN3 (ABC), VNI Windows, Windows-1258.

No well-kept Python library converts TCVN3 or VNI (the codecs module has
neither), so the tables are data: ``extract/data/legacy_tcvn3.tsv`` and
``extract/data/legacy_vni.tsv`` (see the notes at their top).

Detection is by plausibility, not by guessing from byte ranges alone: each
candidate decoding is scored by the share of its non-ASCII words that are
well-formed Vietnamese syllables (onset + vowel cluster + coda, at most one
tone mark).  The best candidate wins when it is clearly Vietnamese.

* :func:`decode_legacy` — bytes that are not UTF-8 → ``(text, encoding)`` or ``None``.
* :func:`repair_legacy_text` — Unicode text that still carries legacy font
  codes (a TCVN3 or VNI document pasted or saved as Unicode: ``Céng hoµ x· héi``)
  → ``(text, encoding)`` or ``None``.
* :func:`encode_legacy` — the reverse, for tests and tools.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from itertools import islice

import regex as re

from .. import datafile

TONES = "\u0300\u0301\u0303\u0309\u0323"
_VOWELS = "aăâeêioôơuưy"
# onset? vowel-cluster coda?  (on the toneless, lowercased, NFC form)
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"[aăâeêioôơuưy]{1,3}"
    r"(?:ch|ng|nh|[cmnpt])?"
)
_WORD = re.compile(r"[\p{L}\p{M}]+")
_UPPER_TCVN3 = set("ĂÂÊÔƠƯĐ")
# characters that legacy font codes show as, and that Unicode Vietnamese never uses
_TCVN3_TELL = set("µ¸¶·¹¨»¾¼½Æ©ÇÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞß«åæçë¬îïñ÷øöþ¡¢§£¤¥¦\u00ad")
_VNI_TELL = set("øûõïäëüåæñöîØÛÕÏÄËÜÅÆÑÖÎ")
_TELLS = re.compile("[" + re.escape("".join(sorted(_TCVN3_TELL | _VNI_TELL))) + "]")


# ---------------------------------------------------------------- tables ----

def _cp(spec: str) -> str:
    return "".join(chr(int(u[2:], 16)) for u in spec.split())


@lru_cache(maxsize=None)
def tcvn3_table() -> dict[int, str]:
    return {int(r[0], 16): _cp(r[1]) for _, r in datafile.rows("legacy_tcvn3.tsv")}


@lru_cache(maxsize=None)
def vni_table() -> dict[int, tuple[str, str]]:
    """byte → (kind, unicode): kind is ``letter`` or ``mark``."""
    return {int(r[0], 16): (r[1], _cp(r[2])) for _, r in datafile.rows("legacy_vni.tsv")}


def _cp1252(b: int) -> str | None:
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        return None


def _byte_map(letters: dict[int, str], high_fallback: bool) -> list[str]:
    """A 256-entry decoding table: ASCII, the encoding's letters, cp1252 for the other bytes of
    0x80-0xA0 (and above when ``high_fallback``), U+FFFD for what is left."""
    out = []
    for b in range(256):
        if b < 0x80:
            out.append(chr(b))
        elif b in letters:
            out.append(letters[b])
        elif b <= 0xA0 or high_fallback:
            out.append(_cp1252(b) or "\ufffd")
        else:
            out.append("\ufffd")
    return out


@lru_cache(maxsize=None)
def _tcvn3_map() -> list[str]:
    return _byte_map(tcvn3_table(), high_fallback=False)


@lru_cache(maxsize=None)
def _vni_map() -> list[str]:
    return _byte_map({b: u for b, (_, u) in vni_table().items()}, high_fallback=True)


# -------------------------------------------------------------- decoding ----

def _restore_case(text: str) -> str:
    """TCVN3 capitals with tones were typed as lowercase codes in an all-caps font, so a line
    whose ASCII letters are all capitals is a capitals line: ``ñY BAN NH¢N D¢N`` → ``ỦY BAN NHÂN DÂN``.
    Elsewhere the case stays as coded (``Tù do`` → ``Tự do``)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.isascii():
            continue
        upper = lower = 0
        for c in line:
            if "A" <= c <= "Z":
                upper += 1
            elif "a" <= c <= "z":
                lower += 1
        caps = any(not w.isascii() and any(c.isupper() for c in w[1:]) for w in _WORD.findall(line))
        if caps and (lower == 0 or (upper >= 8 and lower * 10 <= upper)):
            lines[i] = _WORD.sub(lambda m: m.group(0) if m.group(0).isascii() else m.group(0).upper(), line)
        else:
            lines[i] = _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), line)
    return "\n".join(lines)


# a sentence that opens with a toned capital (no TCVN3 code) reads as lowercase: ``¶nh`` → ``Ảnh``
_SENTENCE_START = re.compile(r"(^\s*|[.!?]\s+)([àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ])")


def decode_tcvn3(data: bytes) -> str:
    m = _tcvn3_map()
    text = data.decode("latin-1").translate({i: m[i] for i in range(0x80, 0x100)})
    return _restore_case(text)


def decode_vni(data: bytes) -> str:
    m = _vni_map()
    text = data.decode("latin-1").translate({i: m[i] for i in range(0x80, 0x100)})
    return unicodedata.normalize("NFC", text)


def decode_cp1258(data: bytes) -> str | None:
    try:
        return unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return None


DECODERS = {"TCVN3": decode_tcvn3, "VNI": decode_vni, "Windows-1258": decode_cp1258}


# ------------------------------------------------------------ plausibility ----

@lru_cache(maxsize=1 << 16)  # a text repeats a few thousand syllables: each is judged once
def _is_syllable(word: str) -> bool:
    nfd = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for c in nfd if c in TONES)
    if tones > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONES))
    if any(unicodedata.combining(c) for c in base):
        return False  # a mark that composes with nothing
    return _SYLLABLE.fullmatch(base) is not None


def plausibility(text: str, sample: int = 50_000) -> tuple[float, int]:
    """(share of non-ASCII words that are Vietnamese syllables, number of such words)."""
    words = [w for w in _WORD.findall(text[:sample]) if not w.isascii()]
    if not words:
        return 0.0, 0
    good = sum(1 for w in words if _is_syllable(w))
    bad_chars = text[:sample].count("\ufffd")
    return good / (len(words) + bad_chars), len(words)


def best_decoding(data: bytes, candidates=("TCVN3", "VNI", "Windows-1258"),
                  threshold: float = 0.85, min_words: int = 3) -> tuple[str, str] | None:
    """The most plausible legacy decoding of ``data``, or ``None`` when none reads as Vietnamese."""
    best: tuple[float, str, str] | None = None
    head = data[:50_000]
    for enc in candidates:
        text = DECODERS[enc](head)
        if text is None:
            continue
        score, n = plausibility(text)
        if n < min_words or score < threshold:
            continue
        if best is None or score > best[0]:
            best = (score, enc, text)
    if best is None:
        return None
    enc = best[1]
    text = best[2] if len(head) == len(data) else DECODERS[enc](data)
    if text is None:
        return None
    return text, enc


def decode_legacy(data: bytes) -> tuple[str, str] | None:
    """Bytes that are not UTF-8 → ``(text, encoding name)`` or ``None``."""
    return best_decoding(data)


def repair_legacy_text(text: str) -> tuple[str, str] | None:
    """Unicode text showing TCVN3 or VNI font codes (``Céng hoµ``, ``Coäng hoøa``) → real Unicode."""
    sample = text[:20000]
    if sum(1 for _ in islice(_TELLS.finditer(sample), 5)) < 5:  # fewer than five font-code tells
        return None
    now, n = plausibility(sample)
    if n and now > 0.9:
        return None
    try:
        data = text.encode("cp1252")
    except UnicodeEncodeError:
        # characters outside cp1252 (real Vietnamese letters): not a pure legacy text
        try:
            data = text.encode("latin-1")
        except UnicodeEncodeError:
            return None
    got = best_decoding(data, candidates=("TCVN3", "VNI"))
    if got is None:
        return None
    score, _ = plausibility(got[0][:20000])
    if score <= now + 0.2:
        return None
    return got


# -------------------------------------------------------------- encoding ----

@lru_cache(maxsize=None)
def _tcvn3_encoder() -> dict[str, int]:
    enc = {ch: b for b, ch in tcvn3_table().items()}
    # capitals with tones have no code: the lowercase code stands for them
    for ch, b in list(enc.items()):
        up = ch.upper()
        if up != ch and up not in enc:
            enc[up] = b
    return enc


@lru_cache(maxsize=None)
def _vni_encoder() -> dict[str, bytes]:
    """Every letter VNI can write, built from the table: base + mark byte, or a letter byte + mark byte."""
    table = vni_table()
    out: dict[str, bytes] = {}
    bases = [(c, c.encode()) for c in "aeiouyAEIOUY"]
    bases += [(u, bytes([b])) for b, (kind, u) in table.items() if kind == "letter"]
    for ch, code in bases:
        out.setdefault(ch, code)
        for b, (kind, marks) in table.items():
            if kind != "mark" or (b >= 0xE0) != ch.islower():
                continue
            composed = unicodedata.normalize("NFC", ch + marks)
            if len(composed) == 1:
                out.setdefault(composed, code + bytes([b]))
    return out


def _put(out: bytearray, s: str, codec: str, errors: str, name: str) -> None:
    """Append ``s`` encoded with ``codec``; what it cannot encode raises, or is ``?`` with errors="replace"."""
    try:
        out += s.encode(codec)
    except UnicodeEncodeError:
        if errors != "replace":
            raise ValueError(f"{s!r} has no {name} code") from None
        out.append(ord("?"))


def encode_legacy(text: str, encoding: str, errors: str = "strict") -> bytes:
    """Unicode → TCVN3 or VNI bytes.  A character with no code raises ``ValueError``,
    or becomes ``?`` with ``errors="replace"``."""
    text = unicodedata.normalize("NFC", text)
    out = bytearray()
    if encoding in ("TCVN3", "VNI"):
        enc = _tcvn3_encoder() if encoding == "TCVN3" else _vni_encoder()
        for ch in text:
            if ord(ch) < 0x80:
                out.append(ord(ch))
            elif ch in enc:
                code = enc[ch]
                if isinstance(code, int):
                    out.append(code)
                else:
                    out += code
            else:
                _put(out, ch, "cp1252", errors, encoding)
        return bytes(out)
    if encoding == "Windows-1258":
        # precomposed where the code page has the letter (ă â ê ô ơ ư đ), tone marks combining
        for ch in text:
            nfd = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONES))
            tones = "".join(c for c in nfd if c in TONES)
            for part in (ch,) if len(nfd) == 1 else (base, tones):
                _put(out, part, "cp1258", errors, "Windows-1258")
        return bytes(out)
    raise ValueError(f"unknown legacy encoding {encoding!r}")
