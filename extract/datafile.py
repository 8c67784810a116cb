"""Read the data tables in ``extract/data/`` (the one reader every module uses).

A table is UTF-8 text, one row a line, cells separated by TAB.  Blank lines and lines whose
first non-blank character is ``#`` are notes and are skipped.  Line numbers count every line
of the file from 1, notes included: ``Row.lineno`` is what provenance ids such as
``agencies.tsv#67`` and error messages point at.

By default cells come back exactly as written.  Options, for the tables that want them:

* ``notes=True``: a cell whose first non-blank character is ``#`` is a trailing note; it and
  every cell after it are dropped;
* ``strip=True``: surrounding whitespace is removed from each cell;
* ``nfc=True``: each cell is NFC-normalised.
"""
from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from typing import Iterator, NamedTuple

DATA_DIR = Path(__file__).resolve().parent / "data"


class Row(NamedTuple):
    lineno: int
    cells: list[str]


def read(table: str | os.PathLike) -> str:
    """The text of a table: a file name (``"agencies.tsv"``) in ``extract/data/``, or a path."""
    path = Path(table) if isinstance(table, os.PathLike) else DATA_DIR / table
    return path.read_text(encoding="utf-8")


def lines(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` of each line of ``text`` that is neither blank nor a ``#`` note."""
    for lineno, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("#"):
            yield lineno, line


def parse(text: str, *, notes: bool = False, strip: bool = False, nfc: bool = False) -> list[Row]:
    """The rows of a table's text (see the module docstring for the options)."""
    out = []
    for lineno, line in lines(text):
        cells = line.split("\t")
        if notes:
            cut = [i for i, c in enumerate(cells) if c.lstrip().startswith("#")]
            cells = cells[: cut[0]] if cut else cells
        if strip:
            cells = [c.strip() for c in cells]
        if nfc:
            cells = [unicodedata.normalize("NFC", c) for c in cells]
        out.append(Row(lineno, cells))
    return out


def rows(table: str | os.PathLike, *, notes: bool = False, strip: bool = False,
         nfc: bool = False) -> list[Row]:
    """The rows of a table (a file name in ``extract/data/`` or a path; see :func:`read`)."""
    return parse(read(table), notes=notes, strip=strip, nfc=nfc)
