"""Index nhiemvu/1 records in SQLite and search what each agency was told to do.

Reads records (JSONL, document records or ``--flat`` lines) only; never runs the pipeline.

Tables (stdlib :mod:`sqlite3`, FTS5 for the task text)::

    documents    one row per document id (re-indexing a document replaces it)
    obligations  one row per obligation: type, due, deadline kind, the obligation's JSON
    agencies     distinct agencies (name, head, kind, level, jurisdiction, collective), folded keys
    roles        obligation x agency x role (assignee | coordinator | report_to)
    ob_fts       FTS5 over the accent-folded task text (rowid = obligations.rowid)

Agency queries (:class:`AgencyQuery`) expand abbreviations with :func:`extract.agencies.expand`
(``UBND tỉnh`` = ``Ủy ban nhân dân tỉnh``), fold accents (``so noi vu`` = ``Sở Nội vụ``), match a
name at word boundaries from its start, and also reach collectives that include the agency
(``extract/data/collectives.tsv``); such hits carry ``via_collective: true``.
"""
from __future__ import annotations

import datetime
import json
import re
import sqlite3
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Iterator

from . import datafile

__all__ = [
    "TYPES", "ROLES", "fold", "iter_records", "index", "search", "Store", "AgencyQuery", "Collectives",
    "collectives",
]

TYPES = ("implement", "disseminate", "report", "advise", "review", "oversee", "regulate", "discipline", "prohibit")
ROLES = ("assignee", "coordinator", "report_to")
_ROLE_KEYS = {"assignee": "assignees", "coordinator": "coordinators", "report_to": "report_to"}
SCHEMA_VERSION = 1
BATCH = 2000  # documents per transaction

# --------------------------------------------------------------------------- folding


_MARKS = re.compile(r"[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def _plain(s: str) -> str:
    """NFD, combining marks stripped, đ -> d, lower case."""
    return _MARKS.sub("", unicodedata.normalize("NFD", s)).replace("đ", "d").replace("Đ", "D").casefold()


def fold(s: str | None) -> str:
    """Accent- and case-free form: NFD, combining marks stripped, đ -> d, lower case, spaces collapsed,
    dashes spaced (``"Sở Lao động-Thương binh"`` -> ``"so lao dong - thuong binh"``)."""
    if not s:
        return ""
    s = _plain(s)
    s = re.sub(r"\s*[-–—]\s*", " - ", s)
    s = re.sub(r"\s*,\s*", ", ", s)
    return re.sub(r"\s+", " ", s).strip()


@lru_cache(maxsize=65536)
def _expand(s: str) -> str:
    try:
        from .agencies import expand
    except Exception:  # pragma: no cover - agencies unavailable: match as written
        return s
    return expand(s)


def _words(s: str) -> str:
    """Folded text reduced to words (for prefix tests at word boundaries)."""
    return re.sub(r"[^\w]+", " ", fold(s)).strip()


def _starts(name: str, q: str) -> str | None:
    """Rest of ``name`` after ``q`` when ``q`` begins it at a word boundary (both in _words form)."""
    if not q:
        return name
    if name == q:
        return ""
    if name.startswith(q + " "):
        return name[len(q) + 1:]
    return None


# --------------------------------------------------------------------------- collectives


@dataclass(frozen=True)
class _Word:
    word: str  # _words form
    kind: str  # org | place
    includes: tuple[str, ...]  # _words form; "*" = any


@dataclass(frozen=True)
class Parsed:
    """A collective name read as PREFIX + class words (or a literal head when no word is known)."""

    prefix: str
    words: tuple[_Word, ...]
    literal: str | None = None


_LOCAL_AUTHORITIES = ("uy ban nhan dan", "hoi dong nhan dan")  # "địa phương", not "cơ quan, đơn vị"


class Collectives:
    """The table of ``extract/data/collectives.tsv``: which agencies a collective includes."""

    def __init__(self, text: str):
        self.words: dict[str, _Word] = {}
        self.examples: list[tuple[str, str, bool]] = []
        for _, parts in datafile.parse(text, notes=True, strip=True):
            if parts[0] == "example":
                self.examples.append((parts[1], parts[2], parts[3] == "yes"))
                continue
            w = _words(parts[0])
            inc = tuple("*" if x.strip() == "*" else _words(x) for x in parts[2].split("|") if x.strip())
            self.words[w] = _Word(w, parts[1], inc)
        self._by_len = sorted(self.words, key=lambda w: -len(w.split()))
        heads = [_words(h) for h in _heads()]
        self.heads = sorted(set(heads), key=lambda h: (-len(h), h))  # longest first; fixed order

    def _word_at(self, toks: list[str], i: int) -> _Word | None:
        for w in self._by_len:
            n = len(w.split())
            if toks[i:i + n] == w.split():
                return self.words[w]
        return None

    def _class_run(self, items: list[str]) -> list[_Word]:
        found: list[_Word] = []
        for item in items:
            toks = item.split()
            i, got = 0, False
            while i < len(toks):
                w = self._word_at(toks, i)
                if w is None:
                    break
                found.append(w)
                got = True
                i += len(w.word.split())
            if not got or i < len(toks):  # a qualifier follows: the list ends here
                break
        return found

    @lru_cache(maxsize=65536)
    def parse(self, name: str) -> Parsed | None:
        """``name`` in any form (accents, abbreviations, head allowed); None when it names no class."""
        f = self.strip_head(fold(_expand(name)))
        m = re.search(r"(?:^|\s)cac\s", f)
        if m:
            prefix, tail = _words(f[: m.start()]), f[m.end():]
        else:
            m = re.search(r"\bcap (tinh|huyen|xa)\b", f)
            if m:
                prefix, tail = _words(f[: m.start()]), f[m.start():]
            elif "," in f:
                first = f.split(",")[0]
                toks = first.split()
                for k in range(len(toks)):  # the longest class word ending the first item
                    if _words(" ".join(toks[k:])) in self.words:
                        prefix, tail = _words(" ".join(toks[:k])), " ".join(toks[k:]) + f[len(first):]
                        break
                else:
                    return None
            else:
                return None
        items = [_words(x) for x in re.split(r",|;|\s+va\s+", tail)]
        items = [x for x in items if x]
        if not items:
            return None
        found = self._class_run(items)
        if not found:
            return Parsed(prefix, (), items[0])
        return Parsed(prefix, tuple(found))

    def strip_head(self, f: str) -> str:
        """Folded name without the heads addressed in front: ``giam doc, thu truong cac so`` -> ``cac so``."""
        f = f.strip()
        changed = True
        while changed:
            changed = False
            for h in self.heads:
                if h in ("truong", "chanh"):  # ambiguous once folded (Trường, Chánh văn phòng ...)
                    continue
                for sep in (" ", ", "):
                    if f.startswith(h + sep):
                        f = f[len(h) + len(sep):].lstrip(" ,")
                        if f.startswith("va "):
                            f = f[3:]
                        changed = True
                        break
                if changed:
                    break
        return f

    def includes(self, collective: str, agency: str) -> bool:
        """Does the collective named ``collective`` include the agency named ``agency``?"""
        p = self.parse(collective)
        if p is None:
            return False
        return self.includes_parsed(p, _words(self.strip_head(fold(_expand(agency)))))

    @staticmethod
    def includes_parsed(p: Parsed, a: str) -> bool:
        """``a`` in :func:`_words` form, head stripped."""
        rest = _starts(a, p.prefix)
        if rest is None:
            return False
        if p.literal is not None:
            return _starts(rest, p.literal) is not None
        for w in p.words:
            if w.kind == "place":
                if not p.prefix:
                    continue
                if rest == "" or any(_starts(rest, x) is not None for x in w.includes):
                    return True
            else:
                if p.prefix:
                    return True
                for x in w.includes:
                    if x == "*" and not any(_starts(rest, la) is not None for la in _LOCAL_AUTHORITIES):
                        return True
                    if _starts(rest, x) is not None:
                        return True
        return False


def _heads() -> list[str]:
    try:
        from .agencies import words

        return [r[0] for r in words().get("head", []) if r]
    except Exception:  # pragma: no cover
        return ["Chủ tịch", "Phó Chủ tịch", "Giám đốc", "Thủ trưởng", "Người đứng đầu", "Bộ trưởng"]


@lru_cache(maxsize=1)
def collectives() -> Collectives:
    return Collectives(datafile.read("collectives.tsv"))


@lru_cache(maxsize=1)
def _provinces() -> tuple[str, ...]:
    try:
        from .agencies import provinces

        names = set()
        for p in provinces():
            names.add(_words(p.name))
            names.update(_words(a) for a in p.aliases)
    except Exception:  # pragma: no cover
        return ()
    return tuple(sorted(names, key=lambda n: -len(n)))


_PLACE_WORDS = ("tinh", "thanh pho", "huyen", "quan", "thi xa", "xa", "phuong", "thi tran")

# --------------------------------------------------------------------------- agency queries


@lru_cache(maxsize=1)
def _lower_abbreviations() -> dict[str, str]:
    """``ubnd`` -> ``UBND``, ``hdnd`` -> ``HĐND`` ... for abbreviations of 3+ letters (short ones such as
    ``tu``, ``cp``, ``vp`` are ordinary syllables when typed in lower case)."""
    try:
        from .agencies import abbreviations
    except Exception:  # pragma: no cover
        return {}
    out: dict[str, str] = {}
    for abbr, _, _ in abbreviations():
        k = fold(abbr)
        if re.fullmatch(r"[a-z&]{3,}", k) and k not in out:
            out[k] = abbr
    return out


def _upper_abbreviations(text: str) -> str:
    """A query typed in lower case without accents (``van phong ubnd tinh``) gets its abbreviations back."""
    table = _lower_abbreviations()

    def repl(m: "re.Match[str]") -> str:
        t = m.group(0)
        return table.get(t, t) if t == t.lower() else t

    return re.sub(r"[\w&]+", repl, text)



class AgencyQuery:
    """One ``--agency`` value, ready to test agency rows.

    A row matches *directly* when its name (or head + name) begins with the query at a word
    boundary; a query that ends with a province (``Sở Nội vụ tỉnh An Giang``) also matches
    ``Sở Nội vụ`` whose jurisdiction is that province. It matches *via a collective* when the
    row is a collective that includes the query's agency (:class:`Collectives`)."""

    def __init__(self, text: str):
        self.text = text
        col = collectives()
        f = fold(_expand(_upper_abbreviations(text)))
        self.q = _words(f)
        nohead = col.strip_head(f)
        self.q_nohead = _words(nohead)
        parsed = col.parse(text)
        self.is_collective = " cac " in f" {self.q_nohead} " or ("," in nohead and parsed is not None and bool(parsed.words))
        self.base, self.level_word, self.place = self._split_place(self.q)
        b, lvl, _ = self._split_place(self.q_nohead)
        self.base_nohead = f"{b} {lvl}" if lvl else b  # "uy ban nhan dan tinh": the level word stays

    @staticmethod
    def _split_place(q: str) -> tuple[str, str | None, str | None]:
        """``so noi vu tinh an giang`` -> (``so noi vu``, ``tinh``, ``an giang``); no province: (q, None, None)."""
        for prov in _provinces():
            if q == prov or q.endswith(" " + prov):
                base = q[: -len(prov)].strip()
                lvl = None
                for w in ("tinh", "thanh pho"):
                    if base == w or base.endswith(" " + w):
                        lvl, base = w, base[: -len(w)].strip()
                        break
                if base:
                    return base, lvl, prov
                break
        return q, None, None

    def _name_match(self, variant: str, jur: str) -> bool:
        if _starts(variant, self.q) is not None:
            return True
        if self.place is None:
            return False
        rest = _starts(variant, self.base)
        if rest is None:
            return False
        if rest and rest != self.level_word and any(_starts(rest, w) is not None for w in _PLACE_WORDS):
            return False
        return (" " + self.place + " ") in (" " + jur + " ")

    def direct(self, name_w: str, full_w: str, jur_w: str) -> bool:
        return self._name_match(name_w, jur_w) or (full_w != name_w and self._name_match(full_w, jur_w))

    def via(self, name: str, collective: bool, jur_w: str) -> bool:
        """Reached through a collective that includes the queried agency."""
        if not collective or self.is_collective:
            return False
        p = collectives().parse(name)
        if p is None:
            return False
        if self.place is not None and (" " + self.place + " ") not in (" " + jur_w + " "):
            return False
        target = self.base_nohead if self.place is not None else self.q_nohead
        return Collectives.includes_parsed(p, target)

    def match(self, name: str, name_w: str, full_w: str, jur_w: str, collective: bool) -> bool | None:
        """None: no match; False: direct; True: via a collective."""
        if self.direct(name_w, full_w, jur_w):
            return bool(collective) and not self.is_collective
        if self.via(name, collective, jur_w):
            return True
        return None


# --------------------------------------------------------------------------- reading records


def iter_records(paths: Iterable[str]) -> Iterator[dict[str, Any]]:
    """JSON objects from JSONL files (``-`` = standard input); blank lines skipped."""
    for path in paths:
        fh = sys.stdin if path == "-" else open(path, encoding="utf-8-sig")
        try:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as e:
                    raise ValueError(f"{path}:{lineno}: not JSON: {e}") from None
        finally:
            if fh is not sys.stdin:
                fh.close()


def _doc_of(rec: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]], bool] | None:
    """(document fields, obligations, flat?) of a document record or a ``--flat`` line; None for errors."""
    if "error" in rec:
        return None
    if "obligations" in rec:
        return rec, rec.get("obligations") or [], False
    if "doc_id" in rec:  # --flat
        doc = {k: rec.get(k) for k in ("number", "issuer", "issued_date", "source")}
        doc["id"] = rec["doc_id"]
        ob = {k: v for k, v in rec.items() if k not in ("schema", "doc_id", "number", "issuer", "issued_date", "source")}
        return doc, [ob], True
    return None


# --------------------------------------------------------------------------- the store

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, source TEXT, format TEXT, doc_type TEXT, number TEXT, number_key TEXT,
    issuer TEXT, issuer_jurisdiction TEXT, issuer_jur_key TEXT, issued_date TEXT, subject TEXT, issuer_json TEXT);
CREATE INDEX IF NOT EXISTS documents_number ON documents(number_key);
CREATE TABLE IF NOT EXISTS obligations (
    rowid INTEGER PRIMARY KEY, ob_id TEXT UNIQUE, doc_id TEXT NOT NULL, idx INTEGER, label TEXT, text TEXT,
    type TEXT, due TEXT, deadline_kind TEXT, recurrence TEXT, n_assignees INTEGER, json TEXT);
CREATE INDEX IF NOT EXISTS obligations_doc ON obligations(doc_id);
CREATE INDEX IF NOT EXISTS obligations_type ON obligations(type, due);
CREATE INDEX IF NOT EXISTS obligations_due ON obligations(due);
CREATE TABLE IF NOT EXISTS agencies (
    aid INTEGER PRIMARY KEY, akey TEXT UNIQUE, name TEXT, head TEXT, kind TEXT, level TEXT, jurisdiction TEXT,
    collective INTEGER, name_key TEXT, full_key TEXT, jur_key TEXT);
CREATE INDEX IF NOT EXISTS agencies_name ON agencies(name_key);
CREATE INDEX IF NOT EXISTS agencies_kind ON agencies(kind, level);
CREATE TABLE IF NOT EXISTS roles (ob_rowid INTEGER NOT NULL, aid INTEGER NOT NULL, role TEXT NOT NULL, inherited INTEGER);
CREATE INDEX IF NOT EXISTS roles_agency ON roles(aid, role);
CREATE INDEX IF NOT EXISTS roles_ob ON roles(ob_rowid);
CREATE VIRTUAL TABLE IF NOT EXISTS ob_fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
"""


def _number_key(n: str | None) -> str:
    return re.sub(r"\s+", "", fold(n)) if n else ""


def _date_arg(s: str | datetime.date | None) -> str | None:
    """ISO date from ``2024-06-30``, ``30/6/2024`` or a :class:`datetime.date`."""
    if s is None or s == "":
        return None
    if isinstance(s, datetime.date):
        return s.isoformat()
    s = str(s).strip()
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", s)
    if m:
        return datetime.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
    return datetime.date.fromisoformat(s).isoformat()


def _fts_query(words: Iterable[str]) -> str:
    parts = []
    for w in words:
        prefix = w.endswith("*")
        toks = re.findall(r"\w+", fold(w.rstrip("*")))
        if not toks:
            continue
        parts.append('"' + " ".join(toks) + '"' + ("*" if prefix else ""))
    return " ".join(parts)


class Store:
    """An index database. ``Store(path)`` creates it when missing."""

    def __init__(self, path: str, readonly: bool = False):
        self.path = path
        if readonly:
            import os

            if path != ":memory:" and not os.path.exists(path):
                raise FileNotFoundError(f"no index at {path} (build it with `nhiemvu index OUT.jsonl --db {path}`)")
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA foreign_keys = OFF")
        if not readonly:
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA wal_autocheckpoint = 20000")  # fewer fsyncs while loading
            self.db.execute("PRAGMA cache_size = -65536")
            self.db.executescript(_DDL)
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            self.db.commit()
        self._aids: dict[str, int] | None = None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ------------------------------------------------------------------ indexing

    def _aid(self, a: dict[str, Any], issuer_jur: str | None) -> int:
        jur = a.get("jurisdiction")
        if not jur and a.get("level") != "central" and a.get("kind") not in ("chinh_phu", "bo", "tong_cuc"):
            jur = issuer_jur  # effective jurisdiction: the issuer's, for a local agency that names none
        name = a.get("name") or a.get("text") or ""
        head = a.get("head")
        jur_w = _words(jur or "")
        if jur_w and issuer_jur and not re.match(r"(tinh|thanh pho) ", jur_w):
            jur_w += " | " + _words(issuer_jur)  # "huyen trieu phong | tinh quang tri"
        key = (name, head, a.get("kind"), a.get("level"), jur, bool(a.get("collective")), jur_w)
        assert self._aids is not None
        aid = self._aids.get(key)
        if aid is None:
            name_w = _words(_expand(name))
            full = f"{head} {name}" if head and not fold(name).startswith(fold(head)) else name
            cur = self.db.execute(
                "INSERT INTO agencies (akey, name, head, kind, level, jurisdiction, collective, name_key, full_key, jur_key)"
                " VALUES (?,?,?,?,?,?,?,?,?,?)",
                (json.dumps(key, ensure_ascii=False), name, head, a.get("kind"), a.get("level"), jur, int(bool(a.get("collective"))), name_w,
                 _words(_expand(full)), jur_w),
            )
            aid = self._aids[key] = int(cur.lastrowid)
        return aid

    def _delete_doc(self, doc_id: str) -> None:
        rows = [r[0] for r in self.db.execute("SELECT rowid FROM obligations WHERE doc_id = ?", (doc_id,))]
        if rows:
            self.db.executemany("DELETE FROM roles WHERE ob_rowid = ?", [(r,) for r in rows])
            self.db.executemany("DELETE FROM ob_fts WHERE rowid = ?", [(r,) for r in rows])
            self.db.execute("DELETE FROM obligations WHERE doc_id = ?", (doc_id,))
        self.db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))

    def add(self, records: Iterable[dict[str, Any]]) -> dict[str, int]:
        """Index records; a document already in the index is replaced. Returns counts."""
        if self._aids is None:
            self._aids = {tuple(json.loads(k)): a for k, a in self.db.execute("SELECT akey, aid FROM agencies")}
        stats = {"documents": 0, "obligations": 0, "errors": 0, "skipped": 0}
        seen_flat: set[str] = set()
        pending = 0
        self.db.execute("BEGIN")
        try:
            for rec in records:
                got = _doc_of(rec)
                if got is None:
                    stats["errors" if "error" in rec else "skipped"] += 1
                    continue
                doc, obs, flat = got
                doc_id = doc.get("id")
                if not doc_id:
                    stats["skipped"] += 1
                    continue
                issuer = doc.get("issuer") or {}
                if not isinstance(issuer, dict):
                    issuer = {"name": str(issuer)}
                ijur = issuer.get("jurisdiction")
                if not flat or doc_id not in seen_flat:
                    self._delete_doc(doc_id)
                    self.db.execute(
                        "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                        (doc_id, doc.get("source"), doc.get("format"), doc.get("doc_type"), doc.get("number"),
                         _number_key(doc.get("number")), issuer.get("name"), ijur, _words(ijur or ""),
                         doc.get("issued_date"), doc.get("subject"), json.dumps(issuer, ensure_ascii=False) if issuer else None),
                    )
                    stats["documents"] += 1
                    if flat:
                        seen_flat.add(doc_id)
                for i, ob in enumerate(obs, 1):
                    dl = ob.get("deadline") or {}
                    ob_id = ob.get("id") or f"{doc_id}:{ob.get('index') or i}"
                    if flat:  # the same obligation line met again
                        old = self.db.execute("SELECT rowid FROM obligations WHERE ob_id = ?", (ob_id,)).fetchone()
                        if old:
                            self.db.execute("DELETE FROM roles WHERE ob_rowid = ?", old)
                            self.db.execute("DELETE FROM ob_fts WHERE rowid = ?", old)
                            self.db.execute("DELETE FROM obligations WHERE rowid = ?", old)
                    cur = self.db.execute(
                        "INSERT INTO obligations (ob_id, doc_id, idx, label, text, type, due, deadline_kind, recurrence,"
                        " n_assignees, json) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        (ob_id, doc_id, ob.get("index") or i, ob.get("label"), ob.get("text"), ob.get("type"),
                         dl.get("due"), dl.get("kind"), dl.get("recurrence"), len(ob.get("assignees") or []),
                         json.dumps(ob, ensure_ascii=False)),
                    )
                    rid = cur.lastrowid
                    self.db.execute("INSERT INTO ob_fts (rowid, text) VALUES (?, ?)", (rid, _plain(ob.get("text") or "")))
                    rows = []
                    for role, key in _ROLE_KEYS.items():
                        for a in ob.get(key) or []:
                            if isinstance(a, str):
                                a = {"name": a}
                            rows.append((rid, self._aid(a, ijur), role, int(bool(a.get("inherited")))))
                    if rows:
                        self.db.executemany("INSERT INTO roles VALUES (?,?,?,?)", rows)
                    stats["obligations"] += 1
                pending += 1
                if pending >= BATCH:
                    self.db.execute("COMMIT")
                    self.db.execute("BEGIN")
                    pending = 0
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return stats

    def counts(self) -> dict[str, int]:
        return {
            "documents": self.db.execute("SELECT count(*) FROM documents").fetchone()[0],
            "obligations": self.db.execute("SELECT count(*) FROM obligations").fetchone()[0],
            "agencies": self.db.execute("SELECT count(*) FROM agencies").fetchone()[0],
        }

    # ------------------------------------------------------------------ searching

    def _agency_matches(self, agency: str | None, jurisdiction: str | None) -> dict[int, tuple[bool, str]] | None:
        """aid -> (via_collective, display name) for the agency/jurisdiction filters; None = no filter."""
        if not agency and not jurisdiction:
            return None
        aq = AgencyQuery(agency) if agency else None
        jq = _words(jurisdiction or "")
        if jq:
            jq = re.sub(r"^(tinh|thanh pho|huyen|quan|thi xa) ", "", jq) if jq not in _provinces() else jq
        out: dict[int, tuple[bool, str]] = {}
        for aid, name, head, jur, coll, name_w, full_w, jur_w in self.db.execute(
            "SELECT aid, name, head, jurisdiction, collective, name_key, full_key, jur_key FROM agencies"
        ):
            if jq and (" " + jq + " ") not in (" " + (jur_w or "") + " "):
                continue
            display = f"{head} {name}" if head and not fold(name).startswith(fold(head)) else name
            if aq is None:
                out[aid] = (False, display)
                continue
            m = aq.match(name, name_w, full_w, jur_w or "", bool(coll))
            if m is not None:
                out[aid] = (m, display)
        return out

    def search(
        self,
        words: str | Iterable[str] | None = None,
        agency: str | None = None,
        jurisdiction: str | None = None,
        type: str | Iterable[str] | None = None,  # noqa: A002 - the CLI's name
        due_before: str | datetime.date | None = None,
        due_after: str | datetime.date | None = None,
        overdue: bool = False,
        as_of: str | datetime.date | None = None,
        number: str | None = None,
        role: str | Iterable[str] = "assignee",
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Hits, ordered by due date (undated last), then document and reading order.

        Each hit: ``{"obligation": {...}, "document": {"id", "number", "doc_type", "issuer",
        "issued_date", "source"}, "via_collective": bool, "agency": str|None, "role": str|None}``.
        ``due_before``/``due_after`` are inclusive; ``overdue`` means ``due`` < ``as_of`` (default
        today), so recurring, immediate and ongoing deadlines (no ``due``) are never overdue."""
        roles = [role] if isinstance(role, str) else list(role)
        if roles == ["any"]:
            roles = list(ROLES)
        for r in roles:
            if r not in ROLES:
                raise ValueError(f"unknown role {r!r} (one of {', '.join(ROLES)}, any)")
        types = [type] if isinstance(type, str) else list(type or [])
        types = [t.strip() for x in types for t in x.split(",") if t.strip()]
        for t in types:
            if t not in TYPES:
                raise ValueError(f"unknown type {t!r} (one of {', '.join(TYPES)})")
        if isinstance(words, str):
            words = words.split()
        where, params = [], []  # type: list[str], list[Any]
        if words:
            q = _fts_query(words)
            if q:
                where.append("o.rowid IN (SELECT rowid FROM ob_fts WHERE ob_fts MATCH ?)")
                params.append(q)
        if types:
            where.append(f"o.type IN ({','.join('?' * len(types))})")
            params += types
        if due_before:
            where.append("o.due IS NOT NULL AND o.due <= ?")
            params.append(_date_arg(due_before))
        if due_after:
            where.append("o.due IS NOT NULL AND o.due >= ?")
            params.append(_date_arg(due_after))
        if overdue:
            where.append("o.due IS NOT NULL AND o.due < ?")
            params.append(_date_arg(as_of) or datetime.date.today().isoformat())
        if number:
            nk = _number_key(number)
            where.append("(d.number_key = ? OR d.number_key LIKE ? ESCAPE '\\' OR d.number_key LIKE ? ESCAPE '\\')")
            esc = nk.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params += [nk, esc + "/%", esc + "-%"]

        matches = self._agency_matches(agency, jurisdiction)
        cols = ("o.rowid, o.json, d.doc_id, d.number, d.doc_type, d.issuer, d.issued_date, d.source, d.issuer_json")
        order = "ORDER BY (o.due IS NULL), o.due, d.issued_date DESC, d.doc_id, o.idx"
        agency_order = "ORDER BY best >= 10, (o.due IS NULL), o.due, d.issued_date DESC, d.doc_id, o.idx"
        if matches is None:
            sql = f"SELECT {cols}, NULL, NULL FROM obligations o JOIN documents d ON d.doc_id = o.doc_id"
            if where:
                sql += " WHERE " + " AND ".join(where)
            rows = self.db.execute(sql + " " + order, params)
            hits = (self._hit(r, False, None, None) for r in rows)
        else:
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS _m (aid INTEGER PRIMARY KEY, via INTEGER, display TEXT)")
            self.db.execute("DELETE FROM _m")
            self.db.executemany("INSERT INTO _m VALUES (?,?,?)", [(a, int(v), n) for a, (v, n) in matches.items()])
            rsql = ",".join("?" * len(roles))
            sql = (
                f"SELECT {cols}, MIN(m.via * 10 + (CASE r.role WHEN 'assignee' THEN 0 WHEN 'coordinator' THEN 1 ELSE 2 END)) AS best,"
                f" m.display FROM roles r JOIN _m m ON m.aid = r.aid"
                f" JOIN obligations o ON o.rowid = r.ob_rowid JOIN documents d ON d.doc_id = o.doc_id"
                f" WHERE r.role IN ({rsql})"
            )
            p2 = list(roles) + params
            if where:
                sql += " AND " + " AND ".join(where)
            sql += " GROUP BY o.rowid " + agency_order
            rows = self.db.execute(sql, p2)
            aq = AgencyQuery(agency) if agency else None
            hits = (self._hit(r, bool(r[9] // 10), r[10], ROLES[r[9] % 10], aq) for r in rows)
        out = []
        for h in hits:
            if h is None:
                continue
            out.append(h)
            if limit and len(out) >= limit:
                break
        return out

    @staticmethod
    def _hit(r: tuple, via: bool, display: str | None, role: str | None, aq: AgencyQuery | None = None):
        issuer = json.loads(r[8]) if r[8] else None
        if via and aq is not None and issuer:
            # a collective never includes the issuer of its own document
            iname = _words(_expand(issuer.get("name") or ""))
            if aq.direct(iname, iname, _words(issuer.get("jurisdiction") or "")):
                return None
        return {
            "obligation": json.loads(r[1]),
            "document": {"id": r[2], "number": r[3], "doc_type": r[4], "issuer": r[5], "issued_date": r[6],
                         "source": r[7]},
            "via_collective": via,
            "agency": display,
            "role": role,
        }


# --------------------------------------------------------------------------- functions


def index(paths: Iterable[str], db: str) -> dict[str, int]:
    """Index the JSONL files ``paths`` into the SQLite database ``db``."""
    with Store(db) as st:
        return st.add(iter_records(paths))


def search(db: str, words: str | Iterable[str] | None = None, **filters: Any) -> list[dict[str, Any]]:
    """Search an index built by :func:`index`; see :meth:`Store.search` for the filters."""
    with Store(db, readonly=True) as st:
        return st.search(words, **filters)
