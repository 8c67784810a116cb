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

import unicodedata

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
# Typical UTF-8-as-cp1252 sequences for Vietnamese: 'Ã', 'á»', 'áº', 'Æ°', 'Ä‘'
_MOJIBAKE = re.compile(r"(?:á»|áº|Æ°|Æ¡|Ä‘|Ä\u0090|Ã¢|Ãª|Ã´|Ã¡|Ã |Ã­|Ã³|Ãº|Ã½)")


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


def fix_tones(text: str) -> str:
    """Old-style → the one convention of SPEC §7 (``Ủy``, ``hòa``), NFC out."""
    nfd = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _fix_tone_placement(nfd))


def _repair_mojibake(text: str, warnings: list[str]) -> str:
    if not _MOJIBAKE.search(text):
        return text
    import ftfy  # lazy: only documents that need it pay for it

    lines = text.split("\n")
    fixed = 0
    for i, line in enumerate(lines):
        if _MOJIBAKE.search(line):
            new = ftfy.fix_encoding(line)
            if new != line:
                lines[i] = new
                fixed += 1
    if fixed:
        warnings.append(f"encoding: repaired mojibake (UTF-8 read as Windows-1252) on {fixed} line(s)")
    return "\n".join(lines)


def normalize(text: str) -> tuple[str, list[str]]:
    """Return the normalised text and the warnings about what was repaired."""
    warnings: list[str] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _repair_mojibake(text, warnings)
    text = fix_tones(text)
    text = _SPACES.sub(" ", text)
    text = _TRAILING.sub("\n", text)
    text = text.strip(" \n") + ("\n" if text.strip() else "")
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
