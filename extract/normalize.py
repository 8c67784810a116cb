"""Normalisation (SPEC §7): the text every span refers to.

* Unicode NFC; zero-width characters and soft hyphens removed; NBSP and other
  spaces made plain spaces; ``\\r\\n``/``\\r`` made ``\\n``.
* One tone-placement convention: the mark sits on the first vowel of ``oa``,
  ``oe`` and ``uy`` when no consonant follows (``hoà`` → ``hòa``, ``Uỷ`` →
  ``Ủy``, ``thuỷ`` → ``thủy``); ``quý``, ``hoàn``, ``khuỷu`` are left alone.
* Runs of spaces and tabs collapsed to one space, trailing spaces dropped; line
  breaks kept.
* Mojibake (UTF-8 read as Windows-1252/Latin-1, e.g. ``Tá»‰nh``) repaired with
  ``ftfy`` line by line where detected, with a warning; replacement characters
  (``\\ufffd``) that cannot be repaired are reported.

The function is pure: ``normalize(text) -> (normalised_text, warnings)``.
"""
from __future__ import annotations

import re as _stdre  # plain character classes: faster than regex for these
import unicodedata
from functools import lru_cache

import regex as re

# vowel + tone mark combinations to move from the second vowel to the first.
_TONES = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng
_PAIRS = {"o": "ae", "O": "AEae", "u": "y", "U": "Yy"}

_OLD_STYLE = re.compile(
    r"(?<![\p{L}qQ])(?P<pre>[\p{L}]{0,3}?)"  # onset (not 'qu')
    r"(?P<v1>[oOuU])(?P<v2>[aAeEyY])(?P<tone>[" + _TONES + r"])"
    r"(?!\p{L}|\p{M})",
)

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_TRAILING = re.compile(r" +\n")
# what normalize() looks for before it runs those (``in`` costs far less than a search)
_ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ODD_SPACE_CHARS = "\t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_ODD_SPACE = re.compile("[" + _ODD_SPACE_CHARS + "]")
# Typical UTF-8-as-cp1252 sequences for Vietnamese: 'Ã', 'á»', 'áº', 'Æ°', 'Ä‘'
_MOJIBAKE = re.compile(r"(?:á»|áº|Æ°|Æ¡|Ä‘|Ä\u0090|Ã¢|Ãª|Ã´|Ã¡|Ã |Ã­|Ã³|Ãº|Ã½)")
_MOJIBAKE_CHARS = "ÆÄÃ»º"  # every sequence above holds one of these


def _fix_tone_placement(nfd: str) -> str:
    """Work on NFD text: move the tone mark from the 2nd to the 1st vowel."""

    def repl(m: re.Match) -> str:
        pre, v1, v2, tone = m.group("pre"), m.group("v1"), m.group("v2"), m.group("tone")
        if v2 not in _PAIRS.get(v1, "") or pre[-1:] in ("q", "Q"):
            return m.group(0)
        # 'gi', 'qu' onsets: u after q is part of the consonant (handled by lookbehind);
        # 'oa' after 'q' never occurs.
        return pre + v1 + tone + v2

    return _OLD_STYLE.sub(repl, nfd)


# The fast way for NFC text (what nearly every input is): there an old-style
# syllable shows as 'o'/'u' followed by one precomposed a/e/y + tone character
# ("oà", "uỷ"); each such place is checked with the rule of _OLD_STYLE read on
# the decomposed characters around it, and only those places change.  Nothing
# else changes: NFC(NFD(text)) is the text itself.
_NFC_TONED = {unicodedata.normalize("NFC", b + t): (b, t) for b in "aeyAEY" for t in _TONES}
_NFC_CANDIDATE = _stdre.compile("[oOuU][" + "".join(_NFC_TONED) + "]")
_LETTER = re.compile(r"\p{L}")
_LETTER_OR_MARK = re.compile(r"\p{L}|\p{M}")


def _fix_tone_placement_nfc(text: str) -> str:
    out: list[str] = []
    last = 0
    norm = unicodedata.normalize
    for m in _NFC_CANDIDATE.finditer(text):
        j = m.start()
        v1 = text[j]
        v2, tone = _NFC_TONED[text[j + 1]]
        if v2 not in _PAIRS[v1]:
            continue
        # (?!\p{L}|\p{M}) on the first decomposed character after the tone
        if j + 2 < len(text) and _LETTER_OR_MARK.match(norm("NFD", text[j + 2])):
            continue
        # the onset ('pre'): the letters right before v1 once decomposed; the
        # lookbehind wants a non-letter before them, so there are at most 3
        count = 0
        prev = None
        i = j - 1
        while i >= 0 and count <= 3:
            d = norm("NFD", text[i])
            k = len(d) - 1
            while k >= 0 and _LETTER.match(d[k]):
                if prev is None:
                    prev = d[k]
                count += 1
                k -= 1
            if k >= 0:
                break  # a non-letter (a mark, a space, ...) starts the onset
            i -= 1
        if count > 3 or prev in ("q", "Q"):
            continue
        out.append(text[last:j])
        out.append(norm("NFC", v1 + tone))
        out.append(v2)
        last = j + 2
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def fix_tones(text: str) -> str:
    """Old-style → the one convention of SPEC §7 (``Ủy``, ``hòa``), NFC out."""
    if unicodedata.is_normalized("NFC", text):
        return _fix_tone_placement_nfc(text)
    nfd = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _fix_tone_placement(nfd))


# characters that Windows-1252 writes for the bytes 0x80-0xFF (what UTF-8 read as cp1252 is made of)
_CP1252_HIGH = "".join(sorted({bytes([b]).decode("cp1252", "ignore") for b in range(0x80, 0x100)} - {""}))
_MOJIBAKE_RUN = re.compile("[" + re.escape(_CP1252_HIGH) + "]{2,}")
# bytes a copy loses: the soft hyphen (U+00AD, invisible) and the five bytes cp1252 leaves undefined
_LOST_BYTES = (0xAD, 0x81, 0x8D, 0x8F, 0x90, 0x9D)


def _mend_run(m: "re.Match[str]") -> str:
    """A run of mojibake characters decoded as UTF-8, a lost continuation byte put back where the
    bytes stop short; a byte is chosen only when the word it makes is a Vietnamese syllable
    (:func:`_syllables`), else the run is left as it was."""
    run = m.group(0)
    try:
        raw = run.encode("cp1252")
    except UnicodeEncodeError:
        return run
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text, pos = m.string, m.start()
    left = re.search(r"[\p{L}]*$", text[max(0, pos - 8):pos]).group(0)
    right = re.match(r"[\p{L}]*", text[m.end():m.end() + 8]).group(0)
    out = _complete(raw, lambda part: (left + part + right).lower() in _syllables())
    return out if out is not None else run


def _complete(raw: bytes, ok) -> str | None:
    """Decode ``raw`` as UTF-8, putting one of :data:`_LOST_BYTES` back at each sequence cut short."""
    out, i = [], 0
    while i < len(raw):
        b = raw[i]
        need = 1 if b < 0x80 else 2 if 0xC2 <= b <= 0xDF else 3 if 0xE0 <= b <= 0xEF else 0
        if need == 0:
            return None
        seq = raw[i:i + need]
        try:
            out.append(seq.decode("utf-8"))
            i += need
            continue
        except UnicodeDecodeError:
            pass
        have = 1
        while have < len(seq) and 0x80 <= seq[have] <= 0xBF:
            have += 1
        if need - have != 1:
            return None
        for lost in _LOST_BYTES:
            try:
                ch = (seq[:have] + bytes([lost])).decode("utf-8")
            except UnicodeDecodeError:
                continue
            if ok("".join(out) + ch + raw[i + have:].decode("utf-8", "ignore")):
                out.append(ch)
                break
        else:
            return None
        i += have
    return "".join(out)


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    """Vietnamese syllables with a diacritic (``extract/data/syllables.txt``, read only when a copy
    lost bytes)."""
    import os

    path = os.path.join(os.path.dirname(__file__), "data", "syllables.txt")
    try:
        with open(path, encoding="utf-8") as f:
            return frozenset(w for line in f if (w := line.strip()) and not w.startswith("#"))
    except OSError:
        return frozenset()


def _repair_mojibake(text: str, warnings: list[str]) -> str:
    if not any(c in text for c in _MOJIBAKE_CHARS):
        return text
    m = _MOJIBAKE.search(text)
    if not m:
        return text
    import ftfy  # lazy: only documents that need it pay for it

    # each line holding a sequence is repaired (a sequence never spans lines)
    out: list[str] = []
    last = 0
    fixed = 0
    while m:
        ls = text.rfind("\n", 0, m.start()) + 1
        le = text.find("\n", m.end())
        le = len(text) if le < 0 else le
        line = text[ls:le]
        new = ftfy.fix_encoding(line)
        if _MOJIBAKE.search(new):
            # ftfy leaves a line alone when a sequence in it lost a byte (a soft hyphen dropped on
            # copying: "váº­n" -> "váºn"); mend it run by run
            new = _MOJIBAKE_RUN.sub(_mend_run, new)
        if new != line:
            out.append(text[last:ls])
            out.append(new)
            last = le
            fixed += 1
        m = _MOJIBAKE.search(text, le)
    if fixed:
        warnings.append(f"encoding: repaired mojibake (UTF-8 read as Windows-1252) on {fixed} line(s)")
    out.append(text[last:])
    return "".join(out)


_CELL_TAB = re.compile(r" *\t *")


def _tab_cells(text: str) -> str:
    """A tab-separated table row (three cells or more) is written as the .docx and .html readers
    write one, each tab a `` | `` (so an empty cell stays a column); other tabs become spaces below."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        row = line.lstrip(" \t")  # (tabs at the end are empty cells: "I\tNhóm nhiệm vụ\t\t\t")
        if row.count("\t") >= 2:
            lines[i] = _CELL_TAB.sub(" | ", row)
    return "\n".join(lines)


def normalize(text: str) -> tuple[str, list[str]]:
    """Return the normalised text and the warnings about what was repaired."""
    warnings: list[str] = []
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if any(c in text for c in _ZERO_WIDTH_CHARS):
        text = _ZERO_WIDTH.sub("", text)
    text = _repair_mojibake(text, warnings)
    text = fix_tones(text)
    if "\t" in text:
        text = _tab_cells(text)
    # _SPACES.sub(" ", text), done as: odd spaces made plain, then runs of plain spaces halved
    if any(c in text for c in _ODD_SPACE_CHARS):
        text = _ODD_SPACE.sub(" ", text)
    while "  " in text:
        text = text.replace("  ", " ")
    # (_TRAILING's " +\n" → "\n" is part of stripping each line below)
    text = text.strip(" \n") + ("\n" if text.strip() else "")
    if " \n" in text or "\n " in text:
        text = "\n".join(line.strip(" ") for line in text.split("\n"))
    bad = text.count("\ufffd")
    if bad:
        line_no = text[: text.index("\ufffd")].count("\n") + 1
        warnings.append(
            f"encoding: {bad} unrepairable replacement character(s) (U+FFFD), first on line {line_no}"
        )
    return text, warnings


def squash(s: str) -> str:
    """Collapse all whitespace (line breaks included) to single spaces."""
    return " ".join(s.split())
