"""HTML → text with one line per block element; scripts, styles and nav dropped."""
from __future__ import annotations

from html.parser import HTMLParser

_BLOCK = {
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "table", "ul", "ol", "header", "footer", "blockquote", "pre", "dd", "dt",
}
_CELL = {"td", "th"}
_SKIP = {"script", "style", "noscript", "template", "svg", "nav", "aside", "iframe", "form", "button", "select"}


class _TextParser(HTMLParser):
    """A table row is one line, its cells joined by `` | `` (as the .docx reader writes them), so
    a task table keeps its columns; blocks inside a cell (``<p>``, ``<br>``) are spaces there."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.cell = 0  # depth inside <td>/<th>
        self.cells_in_row = 0

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
