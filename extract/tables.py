"""Task tables: a header row that names its columns, then one task a row.

    TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành
    1 | Xây dựng kế hoạch ... | Sở Khoa học và Công nghệ | Các sở, ban, ngành | Quý II/2026

Plans (kế hoạch) and the annexes of letters list their tasks this way.  The readers write a
table row as one line with its cells joined by `` | `` (.docx, .html, an empty cell kept empty),
and normalisation writes a tab-separated line the same way.  What each column holds comes from
the words of the header cell (``table_*`` rows of ``data/segment_cues.tsv``): the task, who
leads, who helps, by when, the row number (a table needs a task column and a column of who leads
or by when).  A row has the header's number of cells (empty ones at its end may be missing); a
row whose only text is its number and a title (``I | Nhóm nhiệm vụ về thể chế``) groups the rows
below it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import _re as re
from .patterns import seg
from .structure import Paragraph

_SEP = re.compile(r" *\| *")  # (normalised text: tabs are gone)
_ROMAN = re.compile(r"(?i)^(?:[IVXLC]{1,6}|[A-ZĐ])\.?$")

# header cell → column role, tried in this order (the first that matches decides)
ROLES = (("no", "table_no"), ("when", "table_when"), ("with", "table_with"),
         ("who", "table_lead"), ("task", "table_task"))


@dataclass
class Cell:
    start: int
    end: int
    text: str


@dataclass
class TaskRow:
    para: Paragraph
    label: str | None
    task: Cell
    columns: list[tuple[str, Cell]] = field(default_factory=list)  # ("who" | "with" | "when", cell)
    before: Paragraph | None = None  # the paragraph before the table's header (its lead-in, if any)


def split_cells(text: str, base: int) -> list[Cell]:
    """The cells of one line, with their offsets; a trailing separator ends the last cell."""
    cells, pos = [], 0
    for m in _SEP.finditer(text):
        cells.append((pos, m.start()))
        pos = m.end()
    cells.append((pos, len(text)))  # "1 | Task | Sở Y tế |": an empty last column
    out = []
    for s, e in cells:
        raw = text[s:e]
        lead = len(raw) - len(raw.lstrip())
        t = raw.strip()
        out.append(Cell(base + s + lead, base + s + lead + len(t), t))
    return out


def column_roles(cells: list[Cell]) -> list[str | None] | None:
    """The role of each header cell, or None when this is no task-table header (it needs a task
    column and a column of who leads or by when)."""
    roles: list[str | None] = []
    for c in cells:
        t = " ".join(c.text.split())
        role = next((r for r, cat in ROLES if len(t) <= 60 and seg(cat, t)), None)
        roles.append(role)
    # a task column, and who leads or by when (a table of reports due: "Nội dung | Mẫu | Thời hạn")
    if roles.count("task") != 1 or not ({"who", "when"} & set(roles)):
        return None
    return roles


def filled_rows(roles: list[str | None], i: int, paras: list[Paragraph], text: str) -> bool:
    """Does the row at ``paras[i]`` (the one after a row of only a number and a title) fill a
    who/with/when cell?  Then that row is the title of the rows below it."""
    if i >= len(paras) or not _has_cells(paras[i]):
        return False
    q = paras[i]
    cells = split_cells(text[q.start:q.end], q.start)
    return any(r in ("who", "with", "when") and c.text for r, c in zip(roles, cells))


def _has_cells(p: Paragraph) -> bool:
    return "|" in p.text


def task_rows(paras: list[Paragraph], text: str) -> tuple[list[TaskRow], set[int]]:
    """The rows of every task table, and the ``id`` of each paragraph a table takes (header
    included)."""
    rows: list[TaskRow] = []
    used: set[int] = set()
    i = 0
    while i < len(paras):
        p = paras[i]
        roles = column_roles(split_cells(text[p.start:p.end], p.start)) if _has_cells(p) else None
        if roles is None:
            i += 1
            continue
        used.add(id(p))
        before = paras[i - 1] if i > 0 else None
        group = None
        i += 1
        while i < len(paras) and _has_cells(paras[i]):
            q = paras[i]
            cells = split_cells(text[q.start:q.end], q.start)
            if len(cells) > len(roles):
                break
            # empty cells at the end of a row may have been trimmed with the line's end
            cells += [Cell(q.end, q.end, "")] * (len(roles) - len(cells))
            used.add(id(q))
            i += 1
            by = {}
            for role, c in zip(roles, cells):
                if role and c.text:
                    by.setdefault(role, c)
            number = by.get("no")
            task = by.get("task")
            others = [r for r in by if r not in ("no", "task")]
            if task is None:
                continue
            if not others and number is not None and (_ROMAN.match(number.text) or filled_rows(roles, i, paras, text)):
                # "I | Nhóm nhiệm vụ về thể chế | | |", "1 | Cải cách thể chế | | |": a group of the rows below
                group = number.text.rstrip(".")
                continue
            label = number.text.rstrip(".") if number else None
            if label and group and not label.startswith(group + "."):
                label = f"{group}.{label}"  # ("1.1" under the group row "1" stays "1.1")
            rows.append(TaskRow(q, label, task, [(r, by[r]) for r in ("who", "with", "when") if r in by], before))
    return rows, used
