"""HTML → text with one line per block element; scripts, styles, nav and the <head> dropped; the
numbers of an ordered list written out ("1.", "a)") as a browser shows them."""
from __future__ import annotations

from html.parser import HTMLParser

from .docx import _roman  # (the list numbers Word writes; python-docx itself is imported lazily there)

_BLOCK = {
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "table", "ul", "ol", "header", "footer", "blockquote", "pre", "dd", "dt",
}
_CELL = {"td", "th"}
_SKIP = {"script", "style", "noscript", "template", "svg", "nav", "aside", "iframe", "form", "button", "select",
         "head", "title"}


def _list_label(kind: str, n: int) -> str:
    """What a browser shows before the n-th item of a list: "1.", "a)", "II.", "-"."""
    if kind == "1":
        return f"{n}."
    if kind in ("a", "A"):
        letter = chr(ord("a") + (n - 1) % 26)
        return f"{letter})" if kind == "a" else f"{letter.upper()}."
    if kind in ("i", "I"):
        return f"{_roman(n)}." if kind == "I" else f"{_roman(n).lower()}."
    return "-"


class _TextParser(HTMLParser):
    """A table row is one line, its cells joined by `` | `` (as the .docx reader writes them), so
    a task table keeps its columns; blocks inside a cell (``<p>``, ``<br>``) are spaces there."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.cell = 0  # depth inside <td>/<th>
        self.cells_in_row = 0
        # open lists: [kind, items so far]; kind "1", "a", "A", "i", "I" (<ol type=...>) or "-" (<ul>)
        self.lists: list[list] = []

    def _block(self) -> None:
        self.parts.append(" " if self.cell else "\n")

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
        elif tag in _CELL:
            if self.cells_in_row and not self.skip:
                self.parts.append(" | ")
            self.cells_in_row += 1
            self.cell += 1
        elif tag == "tr":
            self.cell = 0
            self.cells_in_row = 0
            self.parts.append("\n")
        elif tag in ("ol", "ul"):
            a = dict(attrs)
            start = a.get("start") or "1"
            kind = (a.get("type") or "1") if tag == "ol" else "-"
            self.lists.append([kind, (int(start) - 1) if start.isdigit() else 0])
            self._block()
        elif tag == "li" and not self.skip:
            # the number a browser draws before the item is written out, so the outline survives
            self._block()
            if self.lists:
                self.lists[-1][1] += 1
                self.parts.append(_list_label(self.lists[-1][0], self.lists[-1][1]) + " ")
        elif tag in _BLOCK:
            self._block()

    def handle_startendtag(self, tag, attrs):
        # <iframe .../>, <svg/>: nothing to skip; <br/>, <p/>: a line break
        if tag in _BLOCK:
            self._block()

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _CELL:
            self.cell = max(0, self.cell - 1)
        elif tag in ("ol", "ul"):
            if self.lists:
                self.lists.pop()
            self._block()
        elif tag == "tr":
            self.cell = 0  # the next <tr> or the table's end breaks the line
        elif tag == "table":
            self.cell = 0
            self.cells_in_row = 0
            self.parts.append("\n")
        elif tag in _BLOCK:
            self._block()

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data.replace("\n", " "))


def html_to_text(html: str) -> str:
    p = _TextParser()
    p.feed(html)
    p.close()
    lines = [" ".join(line.split()) for line in "".join(p.parts).split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip() + "\n"
