"""Obligation type (SPEC §8) from the obligation text: a small linear model read from JSON.

Prediction needs only ``json`` and plain Python (numpy is used by the training code only): no scikit-learn (``scripts/train.py`` uses it to
fit the weights) and never pickle, so a model file received from someone else is only data.
The model is ``models/obligation_type.json`` (override with ``load_model(path)`` or the
environment variable ``NHIEMVU_TYPE_MODEL``); it is read once per process and cached.

Public API::

    classify(texts, depths=None, positions=None) -> list[tuple[str, float]]
    load_model(path=None) -> TypeModel | None

``depths`` are outline depths (0 for prose, 1 for ``7.``, 2 for ``3.b``, ...; see
:func:`label_depth`), ``positions`` the obligation's place among its document's obligations,
0.0 for the first and 1.0 for the last (see :func:`relative_positions`).

Features (no word segmentation needed), each block L2-normalised and weighted:

* ``w`` syllable 1-2-grams of the whole text (sublinear tf x idf);
* ``o`` syllable 1-2-grams of the opening (first ``opening`` syllables, where the head verb
  stands), with a start marker;
* ``c`` character 2-5-grams inside syllable boundaries (``char_wb``) of the opening;
* ``q`` SPEC §8 cue words from ``extract/data/type_cues.tsv`` (copied into the model file so a
  model and its cues always agree): which types have a cue in the text / in the opening, and
  the type chosen by the first-cue-verb rule;
* ``m`` outline depth and relative position;
* ``u`` (optional, off unless training chose it) underthesea word 1-2-grams.

The model may carry a *cue prior* (``rule_prior``): a constant added to the logit of the type the
first-cue-verb rule picks, and softmax temperatures fitted on cross-validated scores (one for
texts where the rule finds a cue, ``temperature_nocue`` for the others).

If the model file is missing or unreadable, :func:`classify` falls back to the first-cue-verb
rule with score 0.0 and says so in a warning.
"""
from __future__ import annotations

import json
import math
import os
import unicodedata
import warnings
from collections import Counter
from functools import lru_cache
from itertools import chain, compress, count, repeat
from operator import mul
from pathlib import Path
from typing import Any, Iterable, Sequence

import regex

from . import datafile

TYPES = (
    "implement",
    "disseminate",
    "report",
    "advise",
    "review",
    "oversee",
    "regulate",
    "discipline",
    "prohibit",
)
FORMAT = "nhiemvu-obligation-type/1"
DEFAULT_TYPE = "implement"  # the majority class of the gold; the rule's answer when no cue
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL_PATH = REPO_ROOT / "models" / "obligation_type.json"
CUES_PATH = Path(__file__).resolve().parent / "data" / "type_cues.tsv"
# the cue words exactly as printed in the SPEC §8 table (the issue-4 baseline; not used to predict)
SPEC_CUES_PATH = Path(__file__).resolve().parent / "data" / "spec_type_cues.tsv"
MAX_MODEL_BYTES = 20 * 1024 * 1024

DEFAULT_CONFIG: dict[str, Any] = {
    "opening": 12,
    "word_ngrams": [1, 2],
    "char_ngrams": [2, 5],
    "char_scope": "opening",  # "opening" or "text"
    "underthesea": False,
    "head": False,  # block ``h``: the head verb after leading modals/adverbs (see head_syllables)
    "weights": {"w": 0.5, "o": 1.0, "c": 0.5, "q": 1.0, "r": 2.0, "m": 0.5, "u": 1.0, "h": 1.0},
}
# Leading words skipped to reach the head verb of an obligation: modals, adverbs of manner or
# time, and light verbs that hand over to the next verb (SPEC §3, §8). Whole syllable sequences.
HEAD_SKIP = (
    "tiếp tục", "khẩn trương", "chủ động", "thường xuyên", "phải", "cần", "đồng thời", "kịp thời",
    "tích cực", "nghiêm túc", "quyết liệt", "kiên quyết", "tập trung", "trực tiếp", "định kỳ",
    "sớm", "ngay", "khẩn cấp", "đặc biệt", "cần thiết", "có trách nhiệm", "chịu trách nhiệm",
    "chủ trì", "phối hợp", "phối hợp với", "chỉ đạo", "tổ chức", "nghiên cứu", "giao", "yêu cầu",
    "đề nghị", "tăng cường", "đẩy mạnh", "và", "hoặc", "để", "việc", "thì", "cũng", "luôn",
    "thường trực", "khi", "tiếp", "chỉ",
)
TFIDF_BLOCKS = ("w", "o", "c", "u")

_SYL = regex.compile(r"\w+")
_LABEL_SPLIT = regex.compile(r"[.]")


# --------------------------------------------------------------------------- text helpers


def syllables(text: str) -> list[str]:
    """Lower-cased syllables (runs of word characters) of NFC text; punctuation dropped."""
    return _SYL.findall(unicodedata.normalize("NFC", text or "").lower())


def label_depth(label: str | None) -> int:
    """Outline depth of a SPEC §3 label: None -> 0, ``"7"`` -> 1, ``"3.b"`` -> 2, ``"3.d.-1"`` -> 3."""
    if not label:
        return 0
    return len([p for p in _LABEL_SPLIT.split(label.strip()) if p.strip()]) or 1


def relative_positions(n: int) -> list[float]:
    """Positions 0.0 ... 1.0 of ``n`` obligations in reading order (0.0 when n == 1)."""
    if n <= 1:
        return [0.0] * n
    return [i / (n - 1) for i in range(n)]


# --------------------------------------------------------------------------- cue words


def load_cues(path: str | os.PathLike | None = None) -> list[list[str]]:
    """Rows ``[type, cue, strength]`` of type_cues.tsv (``stop`` rows included)."""
    rows = []
    for _, parts in datafile.rows(Path(path or CUES_PATH)):
        if len(parts) < 3:
            line = "\t".join(parts)
            raise ValueError(f"type_cues.tsv: bad row {line!r}")
        typ, cue, strength = parts[0].strip(), parts[1].strip(), parts[2].strip()
        if typ != "stop" and typ not in TYPES:
            raise ValueError(f"type_cues.tsv: unknown type {typ!r}")
        rows.append([typ, " ".join(syllables(cue)), strength])
    return rows


def load_spec_cues(path: str | os.PathLike | None = None) -> list[list[str]]:
    """Rows ``[type, cue, "strong"]`` of spec_type_cues.tsv: the SPEC §8 table's cue words only."""
    rows = []
    for _, parts in datafile.rows(Path(path or SPEC_CUES_PATH)):
        typ, cue = [x.strip() for x in parts[:2]]
        if typ not in TYPES:
            raise ValueError(f"spec_type_cues.tsv: unknown type {typ!r}")
        rows.append([typ, " ".join(syllables(cue)), "strong"])
    return rows


class CueMatcher:
    """Left-to-right, longest-first matching of cue phrases over syllables."""

    def __init__(self, rows: Iterable[Sequence[str]]):
        self.index: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        for typ, cue, strength in rows:
            syl = tuple(cue.split())
            if syl:
                self.index.setdefault(syl[0], []).append((syl, typ, strength))
        for lst in self.index.values():
            lst.sort(key=lambda e: (-len(e[0]), e[1], e[2]))

    def matches(self, syls: Sequence[str]) -> list[tuple[int, str, str]]:
        """``(position, type, strength)`` of each cue found; ``stop`` phrases consume their syllables."""
        out = []
        index = self.index
        end = 0  # the syllables before ``end`` belong to the last phrase matched
        # Only a syllable that starts some cue can start a match: those positions are found at C
        # speed, the others are stepped over one by one exactly as a left-to-right scan would.
        for i in compress(count(), map(index.__contains__, syls)):
            if i < end:
                continue
            for syl, typ, strength in index[syls[i]]:
                k = len(syl)
                if tuple(syls[i : i + k]) == syl:
                    if typ != "stop":
                        out.append((i, typ, strength))
                    end = i + k
                    break
        return out

    def first_type(self, syls: Sequence[str]) -> str | None:
        """The first-cue-verb rule: the first strong cue's type, else the first weak one's."""
        return first_cue_type(self.matches(syls))


def first_cue_type(found: Sequence[tuple[int, str, str]]) -> str | None:
    """:meth:`CueMatcher.first_type` from the result of :meth:`CueMatcher.matches`."""
    for _, typ, strength in found:
        if strength == "strong":
            return typ
    return found[0][1] if found else None


# A clause break as the syllable scan sees it: ";" ends the head clause unless a capital follows
# (then it separates the items of an agency list: "Các sở, ban, ngành; Ủy ban nhân dân các huyện ...").
_BREAK = regex.compile(r"\w+|([;,:])")
_CAPITAL_NEXT = regex.compile(r"\s*\p{Lu}")
# words that may stand between a clause break and a prohibit cue ("; kiên quyết không để ...")
_CLAUSE_LEAD = frozenset(("tuyệt", "đối", "kiên", "quyết", "và", "đồng", "thời", "cũng", "phải", "cần"))


def head_cues(text: str, found: Sequence[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """The cues of ``found`` (from :meth:`CueMatcher.matches` over ``syllables(text)``) that may
    decide the type: SPEC §8 judges it from the head verb phrase ("the first main verb decides";
    an item that opens "Nêu cao tinh thần trách nhiệm ..." and later says "Nghiêm cấm ..." is
    implement). So a cue after the ";" that closes the head clause does not count, and neither does
    a prohibit cue opening a later clause (", không để ...", "; kiên quyết không để ..."): the head
    verb before it is one the cue list does not know ("dự trữ", "phát quang", "cắm biển"), which
    the rule's default (implement) stands for."""
    if not found or (";" not in text and "," not in text and ":" not in text):
        return list(found)
    end = None  # syllable index of the head clause's closing ";"
    starts = set()  # syllable indexes where a later clause starts
    n = 0
    nfc = unicodedata.normalize("NFC", text)
    for m in _BREAK.finditer(nfc):
        mark = m.group(1)
        if not mark:
            n += 1
            continue
        if n:
            starts.add(n)
        if mark == ";" and end is None and n and not _CAPITAL_NEXT.match(nfc, m.end()):
            end = n
    syls = None
    out = []
    for cue in found:
        pos, typ = cue[0], cue[1]
        if end is not None and pos >= end:
            break
        if typ == "prohibit" and starts:
            j = pos
            if j not in starts:
                syls = syls or syllables(text)
                while j > 0 and j not in starts and syls[j - 1] in _CLAUSE_LEAD:
                    j -= 1
            if j in starts:
                continue
        out.append(cue)
    return out


def head_cue_type(text: str, found: Sequence[tuple[int, str, str]]) -> str | None:
    """The first-cue-verb rule over the cues of the head (:func:`head_cues`)."""
    return first_cue_type(head_cues(text, found))


_DEFAULT_MATCHER: CueMatcher | None = None


def _default_matcher() -> CueMatcher:
    global _DEFAULT_MATCHER
    if _DEFAULT_MATCHER is None:
        _DEFAULT_MATCHER = CueMatcher(load_cues())
    return _DEFAULT_MATCHER


_HEAD_SKIP = sorted({tuple(h.split()) for h in HEAD_SKIP}, key=lambda t: -len(t))


def head_syllables(syls: Sequence[str], n: int = 2) -> list[str]:
    """The first ``n`` syllables after leading words of :data:`HEAD_SKIP` (the head verb)."""
    i = 0
    while i < len(syls):
        for h in _HEAD_SKIP:
            if tuple(syls[i : i + len(h)]) == h:
                i += len(h)
                break
        else:
            break
    return list(syls[i : i + n])


def rule_type(text: str, matcher: CueMatcher | None = None) -> str:
    """SPEC §8 first-cue-verb rule; ``implement`` when the text holds no cue."""
    return head_cue_type(text, (matcher or _default_matcher()).matches(syllables(text))) or DEFAULT_TYPE


# --------------------------------------------------------------------------- features


def _ngram_tuples(tokens: Sequence[str], lo: int, hi: int) -> Iterable[tuple[str, ...]]:
    """Token ``lo``..``hi``-grams as tuples, shortest first, each length in text order (lo >= 1)."""
    tokens = list(tokens)
    return chain.from_iterable(zip(*(tokens[i:] for i in range(n))) for n in range(lo, hi + 1))


def _ngrams(tokens: Sequence[str], lo: int, hi: int) -> Iterable[str]:
    """The same n-grams as strings, tokens joined by a space (the feature names)."""
    return map(" ".join, _ngram_tuples(tokens, lo, hi))


def _ngram_keys(tokens: Sequence[str], lo: int, hi: int) -> Iterable[str | tuple[str, ...]]:
    """The same n-grams as lookup keys (no string joining): the token itself for a 1-gram, the
    tuple of tokens for longer ones."""
    if lo != 1:
        return _ngram_tuples(tokens, lo, hi)
    return chain(tokens, _ngram_tuples(tokens, 2, hi))


@lru_cache(maxsize=8192)
def _char_wb_token(tok: str, lo: int, hi: int) -> tuple[str, ...]:
    """Character ``lo``..``hi``-grams of `` tok `` (the same syllables recur: cached)."""
    w = f" {tok} "
    return tuple(w[i : i + n] for n in range(lo, hi + 1) for i in range(len(w) - n + 1))


def _char_wb(tokens: Sequence[str], lo: int, hi: int) -> Iterable[str]:
    """Character n-grams inside syllable boundaries (scikit-learn's ``char_wb``), token by token."""
    return chain.from_iterable(map(_char_wb_token, tokens, repeat(lo), repeat(hi)))


def _cue_features(found: Sequence[tuple[int, str, str]], opening: int) -> dict[str, float]:
    """Block ``q``: the types with a cue in the text / in the opening, and the first cue's type."""
    q: dict[str, float] = {}
    for pos, typ, strength in found:
        q[f"any={typ}"] = 1.0
        if pos < opening:
            q[f"open={typ}"] = 1.0
    if found:
        q[f"first={found[0][1]}"] = 1.0
    return q


def _meta_features(depth: int, position: float) -> dict[str, float]:
    """Block ``m``: outline depth (capped at 3) and relative position (value and quarter)."""
    d = max(0, int(depth or 0))
    p = min(1.0, max(0.0, float(position or 0.0)))
    return {f"depth={min(d, 3)}": 1.0, "position": p, f"pos={min(int(p * 4), 3)}": 1.0}


def _head_features(syls: Sequence[str], matcher: CueMatcher) -> dict[str, float]:
    """Block ``h``: the head verb (see :func:`head_syllables`) and the cue rule's type for it."""
    head = head_syllables(syls, 2)
    h: dict[str, float] = {}
    if head:
        h[f"1={head[0]}"] = 1.0
        h[f"2={' '.join(head)}"] = 1.0
        ht = matcher.first_type(head)
        h[f"type={ht or 'none'}"] = 1.0
    return h


def _known(block: str, feats: dict[str, float], index: dict[str, int]) -> dict[int, float]:
    """``{column: value}`` of the features of ``block`` that have a column in ``index``, in order."""
    out = {}
    for f, v in feats.items():
        j = index.get(f"{block}:{f}")
        if j is not None:
            out[j] = v
    return out


def _segment_words(text: str) -> list[str]:
    from underthesea import word_tokenize  # heavy: imported only when a model asks for it

    return [w.lower().replace(" ", "_") for w in word_tokenize(unicodedata.normalize("NFC", text))]


def raw_features(
    text: str, depth: int, position: float, config: dict[str, Any], matcher: CueMatcher
) -> dict[str, dict[str, float]]:
    """Un-weighted features per block: ``{block: {feature: value}}`` (counts for tf-idf blocks).

    :meth:`TypeModel.predict` computes the same features straight as model columns
    (:meth:`TypeModel._columns_of`); a change here must be made there too.
    """
    syls = syllables(text)
    k = int(config["opening"])
    opening = syls[:k]
    wlo, whi = config["word_ngrams"]
    clo, chi = config["char_ngrams"]
    found = matcher.matches(syls)
    blocks: dict[str, dict[str, float]] = {}
    blocks["w"] = dict(Counter(_ngrams(syls, wlo, whi)))
    blocks["o"] = dict(Counter(_ngrams(["<s>", *opening], wlo, whi)))
    char_src = opening if config.get("char_scope", "opening") == "opening" else syls
    blocks["c"] = dict(Counter(_char_wb(char_src, clo, chi)))
    blocks["q"] = _cue_features(found, k)
    blocks["r"] = {f"rule={head_cue_type(text, found) or 'none'}": 1.0}
    blocks["m"] = _meta_features(depth, position)
    if config.get("head"):
        blocks["h"] = _head_features(syls, matcher)
    if config.get("underthesea"):
        blocks["u"] = dict(Counter(_ngrams(_segment_words(text), wlo, whi)))
    return blocks


def weigh(
    blocks: dict[str, dict[str, float]],
    index: dict[str, int],
    idf: Sequence[float],
    weights: dict[str, float],
) -> dict[int, float]:
    """Feature vector ``{column: value}``: sublinear tf x idf, L2 per block, times block weight."""
    out: dict[int, float] = {}
    for b in sorted(blocks):
        feats = blocks[b]
        vals: dict[int, float] = {}
        for f, v in feats.items():
            j = index.get(f"{b}:{f}")
            if j is None:
                continue
            if b in TFIDF_BLOCKS:
                v = (1.0 + math.log(v)) * idf[j]
            vals[j] = v
        norm = math.sqrt(sum(v * v for v in vals.values()))
        if norm > 0:
            w = float(weights.get(b, 1.0)) / norm
            for j, v in vals.items():
                out[j] = v * w
    return out


# --------------------------------------------------------------------------- model


class _Lookup(dict):
    """``key -> compute(key)``, computed on first use and remembered; emptied when it holds
    ``limit`` keys (the keys are what texts yield, an open set)."""

    def __init__(self, compute, limit: int = 100_000):
        super().__init__()
        self.compute, self.limit = compute, limit

    def __missing__(self, key):
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.compute(key)
        return value


# count -> 1.0 + log(count): the sublinear tf of the tf-idf blocks
_TF = _Lookup(lambda n: 1.0 + math.log(n), limit=10_000)


class TypeModel:
    """A loaded model: multinomial logistic regression over :func:`raw_features`.

    Prediction computes the features straight as model columns (:meth:`_columns_of`): n-grams
    are looked up by syllable (tuple) and remembered per model, so no feature name is built for
    a syllable or n-gram seen before, and what the model does not know is dropped at once.  The
    arithmetic is :func:`weigh`'s followed by the dot product with the weight rows, operation for
    operation and in the same order as ``weigh(raw_features(...))``, so the numbers are the same
    to the last bit.
    """

    def __init__(self, data: dict[str, Any]):
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} model file")
        self.classes: list[str] = [str(c) for c in data["classes"]]
        if not self.classes or any(c not in TYPES for c in self.classes):
            raise ValueError("model classes must be SPEC §8 types")
        if len(set(self.classes)) != len(self.classes):
            raise ValueError("model classes must be distinct")
        self.config: dict[str, Any] = {**DEFAULT_CONFIG, **data.get("config", {})}
        self.features: list[str] = list(map(str, data["features"]))
        self.index = {f: i for i, f in enumerate(self.features)}
        self.idf = list(map(float, data["idf"]))
        if len(self.idf) != len(self.features):
            raise ValueError("model idf and features differ in length")
        # coef is stored feature-major: one row of len(classes) weights per feature (or one flat
        # list).  Prediction reads the rows as tuples of plain numbers (importing numpy would cost
        # more than a document); the numpy arrays ``coef``/``intercept`` are built on first use
        # by the training code.
        nc, nf = len(self.classes), len(self.features)
        raw = data["coef"]
        if raw and isinstance(raw[0], list):
            if len(raw) != nf or any(len(row) != nc for row in raw):
                raise ValueError("model coef has the wrong size")
            rows = list(map(tuple, raw))
        else:
            if len(raw) != nf * nc:
                raise ValueError("model coef has the wrong size")
            rows = list(zip(*(raw[c::nc] for c in range(nc)))) if nc > 1 else [(x,) for x in raw]
        # every weight must be a number (ints compute as their float would): a TypeError otherwise
        sum(chain.from_iterable(rows), 0.0)
        self._intercept = list(map(float, data["intercept"]))
        if len(self._intercept) != nc:
            raise ValueError("model intercept has the wrong size")
        self._rows = rows  # _rows[j][c]: weight of column j for class c
        # predict() unrolls the loop over the nine SPEC §8 types: a model with fewer classes
        # gets zero weights for the missing ones (their scores are dropped again)
        pad = (0.0,) * (len(TYPES) - nc)
        self._rows9 = [row + pad for row in rows] if pad else rows
        self._intercept9 = self._intercept + list(pad)
        self.temperature = float(data.get("temperature", 1.0)) or 1.0
        # items where the cue rule found no cue get their own temperature (no prior on them)
        self.temperature_nocue = float(data.get("temperature_nocue", self.temperature)) or 1.0
        # cue prior: the first-cue-verb rule's type gets this much added to its logit
        self.rule_prior = float(data.get("rule_prior", 0.0))
        self.cues = [list(r) for r in (data.get("cues") or load_cues())]
        self.matcher = CueMatcher(self.cues)
        self.meta = data.get("meta", {})
        self._compile()

    def _compile(self) -> None:
        """Settings and lookup tables for :meth:`_columns_of` (the tables fill as texts come)."""
        cfg = self.config
        self._opening = int(cfg["opening"])
        self._word_ngrams = tuple(cfg["word_ngrams"])
        clo, chi = cfg["char_ngrams"]
        self._char_text = cfg.get("char_scope", "opening") != "opening"
        index = self.index

        def ngram_column(block: str):  # a key of _ngram_keys -> its column in block (or None)
            return lambda key: index.get(f"{block}:{key if isinstance(key, str) else ' '.join(key)}")

        def char_columns(tok: str) -> tuple[int, ...]:  # a syllable -> its c features' columns
            names = ["c:" + g for g in _char_wb_token(tok, clo, chi)]
            return tuple(j for j in map(index.get, names) if j is not None)

        # nothing to build at load time (it is on the first document's path); the same syllables
        # and n-grams recur, so each feature name is built and looked up once
        self._ngram_columns = {b: _Lookup(ngram_column(b)) for b in ("w", "o", "u")}
        self._char_columns = _Lookup(char_columns)
        blocks = ["w", "o", "c", "q", "r", "m"] + ["h"] * bool(cfg.get("head")) + ["u"] * bool(cfg.get("underthesea"))
        weights = cfg["weights"]
        # (block, tf-idf?, weight) in the order weigh() visits the blocks: sorted
        self._blocks = [(b, b in TFIDF_BLOCKS, float(weights.get(b, 1.0))) for b in sorted(blocks)]

    @property
    def coef(self):
        import numpy as np

        if not hasattr(self, "_coef_np"):
            self._coef_np = np.asarray(self._rows, dtype=float).reshape(len(self.features), len(self.classes))
        return self._coef_np

    @property
    def intercept(self):
        import numpy as np

        return np.asarray(self._intercept, dtype=float)

    def _columns_of(
        self, text: str, depth: int, position: float
    ) -> tuple[dict[str, dict[int, float]], str | None]:
        """:func:`raw_features` restricted to the model's features, keyed by column:
        ``{block: {column: value}}`` (same values, same order), and the first-cue-verb rule's type."""
        syls = syllables(text)
        found = self.matcher.matches(syls)
        first = head_cue_type(text, found)
        k = self._opening
        opening = syls[:k]
        wlo, whi = self._word_ngrams
        ngrams, index = self._ngram_columns, self.index
        blocks: dict[str, dict[int, float]] = {}
        # n-gram blocks: Counter keeps the columns in order of first occurrence, None collects
        # what the model does not know
        for b, tokens in (("w", syls), ("o", ["<s>", *opening])):
            blocks[b] = cols = Counter(map(ngrams[b].__getitem__, _ngram_keys(tokens, wlo, whi)))
            cols.pop(None, None)
        char_src = syls if self._char_text else opening
        blocks["c"] = Counter(chain.from_iterable(map(self._char_columns.__getitem__, char_src)))
        blocks["q"] = _known("q", _cue_features(found, k), index)
        blocks["r"] = _known("r", {f"rule={first or 'none'}": 1.0}, index)
        blocks["m"] = _known("m", _meta_features(depth, position), index)
        if self.config.get("head"):
            blocks["h"] = _known("h", _head_features(syls, self.matcher), index)
        if self.config.get("underthesea"):
            words = _segment_words(text)
            blocks["u"] = cols = Counter(map(ngrams["u"].__getitem__, _ngram_keys(words, wlo, whi)))
            cols.pop(None, None)
        return blocks, first

    def _weighed(
        self, text: str, depth: int, position: float
    ) -> tuple[list[tuple[dict[int, float], list[float], float]], str | None]:
        """:func:`weigh` of :func:`raw_features`, block by block in weigh's order: ``(columns,
        unscaled values, scale)``, the values being ``unscaled * scale``; and the first-cue-verb
        rule's type (None when the text holds no cue)."""
        blocks, first = self._columns_of(text, depth, position)
        idf = self.idf.__getitem__
        out = []
        for b, tfidf, weight in self._blocks:
            feats = blocks[b]
            if not feats:
                continue
            if tfidf:  # sublinear tf x idf
                bv = list(map(mul, map(_TF.__getitem__, feats.values()), map(idf, feats)))
            else:
                bv = list(feats.values())
            norm = math.sqrt(sum(map(mul, bv, bv)))  # L2 per block
            if norm > 0:
                out.append((feats, bv, weight / norm))
        return out, first

    def _vector(self, text: str, depth: int, position: float) -> tuple[list[int], list[float], str | None]:
        """:meth:`_weighed` as parallel lists (columns, values) in weigh's order."""
        blocks, first = self._weighed(text, depth, position)
        cols: list[int] = []
        vals: list[float] = []
        for feats, bv, scale in blocks:
            cols += feats
            vals += map(mul, bv, repeat(scale))
        return cols, vals, first

    def vectors(
        self, texts: Sequence[str], depths: Sequence[int], positions: Sequence[float]
    ) -> list[dict[int, float]]:
        """``weigh(raw_features(...))`` per text: ``{column: value}``."""
        return [dict(zip(*self._vector(t, d, p)[:2])) for t, d, p in zip(texts, depths, positions)]

    def scores(self, texts: Sequence[str], depths=None, positions=None):
        """Linear scores (before temperature and softmax), shape (n, len(classes)), and for each
        text whether the first-cue-verb rule found a cue (which picks the temperature)."""
        import numpy as np

        depths, positions = _defaults(texts, depths, positions)
        out = np.zeros((len(texts), len(self.classes)))
        fired = np.zeros(len(texts), dtype=bool)
        for i, (t, d, p) in enumerate(zip(texts, depths, positions)):
            cols, vals, r = self._vector(t, d, p)
            z = self.intercept.copy()
            if cols:
                z += np.asarray(vals, dtype=float) @ self.coef[np.asarray(cols, dtype=np.int64)]
            fired[i] = r is not None
            if self.rule_prior and r in self.classes:
                z[self.classes.index(r)] += self.rule_prior
            out[i] = z
        return out, fired

    def logits(self, texts: Sequence[str], depths=None, positions=None):
        return self.scores(texts, depths, positions)[0]

    def predict_proba(self, texts: Sequence[str], depths=None, positions=None):
        import numpy as np

        z, fired = self.scores(texts, depths, positions)
        t = np.where(fired, self.temperature, self.temperature_nocue)[:, None]
        return softmax(z / t)

    def predict(self, texts: Sequence[str], depths=None, positions=None) -> list[tuple[str, float]]:
        """``(type, probability)`` per text, in plain Python (the same numbers as
        :meth:`predict_proba`, without importing numpy)."""
        depths, positions = _defaults(texts, depths, positions)
        nc = len(self.classes)
        rows = self._rows9
        res = []
        for text, depth, position in zip(texts, depths, positions):
            blocks, r = self._weighed(text, depth, position)
            # z[c] = intercept[c] + v1*w1c + v2*w2c + ... added left to right, v = unscaled * scale
            # as in weigh(); the loop over the nine classes is unrolled (plain float arithmetic
            # is the fastest there is without numpy)
            z0, z1, z2, z3, z4, z5, z6, z7, z8 = self._intercept9
            for cols, bv, scale in blocks:
                for u, (w0, w1, w2, w3, w4, w5, w6, w7, w8) in zip(bv, map(rows.__getitem__, cols)):
                    v = u * scale
                    z0 += v * w0
                    z1 += v * w1
                    z2 += v * w2
                    z3 += v * w3
                    z4 += v * w4
                    z5 += v * w5
                    z6 += v * w6
                    z7 += v * w7
                    z8 += v * w8
            z = [z0, z1, z2, z3, z4, z5, z6, z7, z8][:nc]
            if self.rule_prior and r in self.classes:
                z[self.classes.index(r)] += self.rule_prior
            t = self.temperature if r is not None else self.temperature_nocue
            m = max(zz / t for zz in z)
            e = [math.exp(zz / t - m) for zz in z]
            total = sum(e)
            j = max(range(nc), key=lambda c: e[c])
            res.append((self.classes[j], e[j] / total))
        return res


def softmax(z, temperature: float = 1.0):
    """Row-wise softmax of ``z / temperature`` (numpy array)."""
    import numpy as np

    z = np.asarray(z, dtype=float) / (temperature or 1.0)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _defaults(texts, depths, positions):
    n = len(texts)
    depths = list(depths) if depths is not None else [0] * n
    positions = list(positions) if positions is not None else [0.0] * n
    if len(depths) != n or len(positions) != n:
        raise ValueError("texts, depths and positions must have the same length")
    return depths, positions


def model_from_json(data: dict[str, Any]) -> TypeModel:
    return TypeModel(data)


_CACHE: dict[str, TypeModel | None] = {}
_ACTIVE: list[TypeModel | None] = []  # [] = nothing loaded yet


def load_model(path: str | None = None) -> TypeModel | None:
    """Read the JSON model (once per path per process) and make it the one :func:`classify` uses.

    Returns None, with a warning, when the file is missing or not a valid model; classify()
    then uses the first-cue-verb rule with score 0.0.
    """
    p = str(path or os.environ.get("NHIEMVU_TYPE_MODEL") or DEFAULT_MODEL_PATH)
    if p not in _CACHE:
        model: TypeModel | None = None
        try:
            if os.path.getsize(p) > MAX_MODEL_BYTES:
                raise ValueError("model file too large")
            with open(p, encoding="utf-8") as f:
                model = TypeModel(json.load(f))
        except FileNotFoundError:
            warnings.warn(
                f"obligation type model {p} not found: using the first-cue-verb rule (type_score 0.0)",
                RuntimeWarning,
                stacklevel=2,
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError) as e:
            warnings.warn(
                f"obligation type model {p} unreadable ({e}): using the first-cue-verb rule (type_score 0.0)",
                RuntimeWarning,
                stacklevel=2,
            )
        _CACHE[p] = model
    _ACTIVE[:] = [_CACHE[p]]
    return _CACHE[p]


def classify(
    texts: list[str], depths: list[int] | None = None, positions: list[float] | None = None
) -> list[tuple[str, float]]:
    """``(type, type_score)`` for each obligation text (SPEC §8)."""
    texts = list(texts)
    if not texts:
        return []
    depths, positions = _defaults(texts, depths, positions)
    model = _ACTIVE[0] if _ACTIVE else load_model()
    if model is None:
        matcher = _default_matcher()
        out = [(rule_type(t, matcher), 0.0) for t in texts]
    else:
        out = model.predict(texts, depths, positions)
    return [_rules_over_model(t, r) for t, r in zip(texts, out)]


# Rules that stand over the model's answer, each checked against all the gold (models/MODEL_CARD.md).
# "Không yêu cầu người dân nộp thêm giấy tờ ...", "Tuyệt đối không để ...": the head verb phrase is a
# negation, so the duty is to refrain (SPEC §8 "judged from the head verb phrase"; 38 of 38 such gold
# obligations are prohibit); the model weighs later cues.
_NEGATED = regex.compile(r"(?i)^\W{0,3}(?:(?:các|những)\s[^.;:()]{0,60}?\s)?(?:tuyệt\s+đối\s+|kiên\s+quyết\s+)?không\s+(?!chỉ\s|những\s|ít\s|ngừng\s|ngại\s)")
NEGATED_HEAD_SCORE = 0.9
# "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, ... báo cáo / phản ánh về X": the closing
# duty is to report (36 of 36 in the gold); the model, seeing "thực hiện" and "hướng dẫn", had called
# many implement or oversee
_DIFFICULTIES = regex.compile(r"(?i)^\W{0,3}(?:(?:trong\s+)?(?:quá|qua)\s+tr[ìi]nh\b[^.;]{0,60}?|nếu\s+)"
                              r"(?:nếu\s+)?(?:có\s+)?(?:phát\s+sinh\s+)?(?:khó\s+khăn|vướng\s+mắc|kho\s+khan|vuong\s+mac)"
                              r"[^.;]{0,160}?\b(?:báo\s+cáo|báo\s+ngay|phản\s+[áả]nh|bao\s+cao|phan\s+anh)\b")
DIFFICULTIES_SCORE = 0.9
# "theo dõi chặt chẽ diễn biến mưa lũ": watching a phenomenon is carrying out a duty, not overseeing
# other agencies (corpus_a 006 convention; 12 of 12 such gold obligations are implement, all of which
# the model had called oversee)
_WATCHING = regex.compile(r"(?i)^.{0,120}?\b(?:theo\s+dõi|giám\s+sát|quan\s+trắc)(?:\s+(?:chặt\s+chẽ|sát\s+sao|sát"
                          r"|thường\s+xuyên))?,?\s+(?:diễn\s+biến|tình\s+hình\s+(?:thời\s+tiết|mưa|lũ|bão|dịch"
                          r"|thị\s+trường))")
WATCHING_SCORE = 0.8

# (pattern, the model's type it overrides or None for any other, the type, its score), in this order
_RULES = (
    (_NEGATED, None, "prohibit", NEGATED_HEAD_SCORE),
    (_DIFFICULTIES, None, "report", DIFFICULTIES_SCORE),
    (_WATCHING, "oversee", "implement", WATCHING_SCORE),
)


def _rules_over_model(text: str, typed: tuple[str, float]) -> tuple[str, float]:
    for rx, over, typ, score in _RULES:
        if typed[0] != typ and (over is None or typed[0] == over) and rx.match(text):
            typed = (typ, score)
    return typed
