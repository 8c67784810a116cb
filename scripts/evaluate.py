#!/usr/bin/env python3
"""Score the pipeline against the gold corpus, field by field (SPEC §10).

For every gold record in corpora/gold/*.jsonl the raw text corpora/raw/<source> goes through
``extract.extract_text``; :func:`score` compares the records:

* obligations: matched to gold one-to-one by word-overlap IoU >= 0.5 (words = lower-cased
  syllables, punctuation dropped; multiset IoU), greedily by best IoU; P/R/F1 over obligations.
* assignees, coordinators, report_to: agency names (pred: ``Agency.full_name``; both sides
  NFC, lower case, old-style tones moved, abbreviations UBND/HĐND/MTTQ expanded, punctuation
  stripped, spaces collapsed) micro-averaged over matched pairs; agencies of unmatched gold
  obligations are false negatives, of unmatched predicted ones false positives.
* deadlines: (due, recurrence) equal on a matched pair is a true positive; precision over
  predicted obligations with a deadline, recall over gold ones with a deadline. ``deadline_kind``
  is the same with ``kind``.
* references: normalised number sets per document (nulls ignored), micro P/R/F1.
* types: accuracy and macro-F1 over matched obligations.
* metadata: number, issued_date, doc_type, issuer: accuracy over documents (exact after
  normalisation; null = null counts as right).
* tasks fully right: matched with the exact assignee set, deadline (due, recurrence) and type,
  as a share of gold obligations.

Types are never scored on the classifier's own training data. For documents that the split
(corpora/splits.json) says train the classifier, predicted obligations are re-typed by a model
retrained in-process without that document: ``--cv K`` folds by document over the train
split, each fold fitted with ``scripts/train.py``'s ``fit`` (same setting and cue prior as the
committed model). Eval-only documents (and gold documents in neither list) are re-typed with
the committed model. ``--cv 0`` keeps the pipeline's own types (optimistic on train docs).

``--baseline`` scores a trivial system in the same run: every non-empty line of >= 40
characters that holds a SPEC §8 cue word (extract/data/type_cues.tsv) is one obligation, type =
the majority class of the train split, no roles, no deadline, no references, no metadata.

    python scripts/evaluate.py [--per-doc] [--baseline] [--json] [--cv 5] [--docs a.txt,b.txt]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Sequence

import regex

REPO = Path(__file__).resolve().parent.parent
# This repository's code, unless PYTHONPATH names another tree to score: the probe sets are scored
# blind with "PYTHONPATH=/tmp/wt python scripts/evaluate.py ..." on a pinned worktree, so its entries
# (sys.path[1:] after the script's own directory) must stay ahead of this repository.
_AFTER = 1 + len([p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
for p in (str(REPO / "scripts"), str(REPO)):
    if p not in sys.path:
        sys.path.insert(_AFTER, p)

from extract import classify as clf  # noqa: E402
from train import class_report, prf  # noqa: E402  (one P/R/F1 for both scripts)

RAW_DIR = REPO / "corpora" / "raw"
IOU_THRESHOLD = 0.5
ROLE_FIELDS = ("assignees", "coordinators", "report_to")
META_FIELDS = ("number", "issued_date", "doc_type", "issuer")

_WORD = regex.compile(r"\w+")
_PUNCT = regex.compile(r"[\p{P}\p{S}]+")
_SPACE = regex.compile(r"\s+")
_TONE_MOVE = regex.compile(r"(?<![qQ])([oOuU])([aAeEyY])([\u0300\u0301\u0303\u0309\u0323])(?!\w)")
_ABBR = [
    (regex.compile(r"\bubnd\b"), "ủy ban nhân dân"),
    (regex.compile(r"\bhđnd\b"), "hội đồng nhân dân"),
    (regex.compile(r"\bmttq\b"), "mặt trận tổ quốc"),
    (regex.compile(r"\bvpcp\b"), "văn phòng chính phủ"),
    (regex.compile(r"\bttg\b"), "thủ tướng chính phủ"),
]


# --------------------------------------------------------------------------- normalisation


def words(text: str | None) -> list[str]:
    """Lower-cased syllables after whitespace collapsing (punctuation dropped)."""
    return _WORD.findall(unicodedata.normalize("NFC", text or "").lower())


def iou(a: str | Sequence[str], b: str | Sequence[str]) -> float:
    """Multiset word-overlap IoU of two texts (or word lists)."""
    ca = Counter(words(a) if isinstance(a, str) else a)
    cb = Counter(words(b) if isinstance(b, str) else b)
    union = sum((ca | cb).values())
    return sum((ca & cb).values()) / union if union else 0.0


def norm_name(name: str | None) -> str:
    """Agency / issuer name for comparison: NFC, new-style tones, lower, expanded, no punctuation."""
    if not name:
        return ""
    s = unicodedata.normalize("NFD", name)
    s = _TONE_MOVE.sub(r"\1\3\2", s)
    s = unicodedata.normalize("NFC", s).lower()
    for pat, rep in _ABBR:
        s = pat.sub(rep, s)
    s = _PUNCT.sub(" ", s)
    return _SPACE.sub(" ", s).strip()


def norm_number(num: str | None) -> str:
    """Số ký hiệu for comparison: NFC, `số` dropped, no spaces, case-folded."""
    if not num:
        return ""
    s = unicodedata.normalize("NFC", num).strip()
    s = regex.sub(r"^(?:số\s*)+", "", s, flags=regex.IGNORECASE)
    s = _SPACE.sub("", s)
    return s.casefold()


def agency_name(a: Any) -> str:
    """A gold name (str) or a pipeline agency (dict): ``(head + " " + name)`` unless name starts with head."""
    if a is None:
        return ""
    if isinstance(a, str):
        return a
    name = a.get("name") or a.get("text") or ""
    head = a.get("head")
    if head and not name.lower().startswith(head.lower()):
        return f"{head} {name}"
    return name


def _names(lst: Iterable[Any] | None) -> set[str]:
    return {n for n in (norm_name(agency_name(a)) for a in (lst or [])) if n}


def _deadline_key(d: dict | None) -> tuple | None:
    if not d:
        return None
    return (d.get("due"), d.get("recurrence"))


def _deadline_kind(d: dict | None) -> str | None:
    return d.get("kind") if d else None


def _refs(rec: dict) -> set[str]:
    """Normalised reference numbers of a record: gold lists numbers, predictions list objects."""
    out = set()
    for r in rec.get("references") or []:
        num = r.get("number") if isinstance(r, dict) else r
        if num:
            out.add(norm_number(num))
    return out


# --------------------------------------------------------------------------- matching & scoring


def match(gold_obls: Sequence[dict], pred_obls: Sequence[dict], threshold: float = IOU_THRESHOLD) -> list[tuple[int, int, float]]:
    """One-to-one pairs (gold index, pred index, IoU) with IoU >= threshold, greedy by best IoU."""
    gw = [Counter(words(o.get("text"))) for o in gold_obls]
    pw = [Counter(words(o.get("text"))) for o in pred_obls]
    cands = []
    for i, g in enumerate(gw):
        gs = sum(g.values())
        for j, p in enumerate(pw):
            inter = sum((g & p).values())
            if not inter:
                continue
            v = inter / (gs + sum(p.values()) - inter)
            if v >= threshold:
                cands.append((-v, i, j))
    cands.sort()
    used_g, used_p, out = set(), set(), []
    for negv, i, j in cands:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        out.append((i, j, -negv))
    out.sort()
    return out


class _PRF:
    __slots__ = ("tp", "fp", "fn")

    def __init__(self):
        self.tp = self.fp = self.fn = 0

    def add(self, tp=0, fp=0, fn=0):
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def result(self) -> dict[str, float]:
        return prf(self.tp, self.fp, self.fn)


def _type_report(y_true: Sequence[str], y_pred: Sequence[str]) -> dict[str, Any]:
    r = class_report(y_true, y_pred)
    return {"n": r["n"], "accuracy": r["accuracy"], "macro_f1": r["macro_f1"],
            "per_class_f1": {c: r["per_class"][c]["f1"] for c in sorted(r["per_class"])}}


def score(gold_records: Sequence[dict], pred_records: Sequence[dict], threshold: float = IOU_THRESHOLD) -> dict[str, Any]:
    """Field-by-field scores of ``pred_records`` against ``gold_records`` (paired by ``source``,
    else by position). Pure: JSON records in, a JSON-ready dict out (with a ``per_doc`` list)."""
    by_src = {p.get("source"): p for p in pred_records if isinstance(p, dict)}
    obl, roles = _PRF(), {f: _PRF() for f in ROLE_FIELDS}
    dl, dlk, refs = _PRF(), _PRF(), _PRF()
    y_true, y_pred = [], []
    meta = {f: [0, 0] for f in META_FIELDS}
    full_right, n_gold_obl = 0, 0
    per_doc = []
    for k, g in enumerate(gold_records):
        p = by_src.get(g.get("source"))
        if p is None and k < len(pred_records) and "source" not in (pred_records[k] or {}):
            p = pred_records[k]
        p = p or {}
        if "error" in p:
            p = {**p, "obligations": [], "references": []}
        gobl, pobl = g.get("obligations") or [], p.get("obligations") or []
        pairs = match(gobl, pobl, threshold)
        d_obl, d_roles = _PRF(), {f: _PRF() for f in ROLE_FIELDS}
        d_true, d_pred = [], []
        d_obl.add(tp=len(pairs), fp=len(pobl) - len(pairs), fn=len(gobl) - len(pairs))
        mg = {i for i, _, _ in pairs}
        mp = {j for _, j, _ in pairs}
        d_full = 0
        for i, j, _ in pairs:
            go, po = gobl[i], pobl[j]
            for f in ROLE_FIELDS:
                gs, ps = _names(go.get(f)), _names(po.get(f))
                d_roles[f].add(tp=len(gs & ps), fp=len(ps - gs), fn=len(gs - ps))
            gk, pk = _deadline_key(go.get("deadline")), _deadline_key(po.get("deadline"))
            dl.add(tp=int(gk is not None and gk == pk), fp=int(pk is not None and pk != gk),
                   fn=int(gk is not None and gk != pk))
            gkk, pkk = _deadline_kind(go.get("deadline")), _deadline_kind(po.get("deadline"))
            dlk.add(tp=int(gkk is not None and gkk == pkk), fp=int(pkk is not None and pkk != gkk),
                    fn=int(gkk is not None and gkk != pkk))
            d_true.append(go.get("type") or "-")
            d_pred.append(po.get("type") or "-")
            if (_names(go.get("assignees")) == _names(po.get("assignees")) and gk == pk
                    and go.get("type") == po.get("type")):
                d_full += 1
        # unmatched obligations: their roles and deadline are all missed (gold) or extra (predicted)
        for side, obls, matched in (("fn", gobl, mg), ("fp", pobl, mp)):
            for i, o in enumerate(obls):
                if i not in matched:
                    for f in ROLE_FIELDS:
                        d_roles[f].add(**{side: len(_names(o.get(f)))})
                    if o.get("deadline"):
                        dl.add(**{side: 1})
                        dlk.add(**{side: 1})
        gr, pr = _refs(g), _refs(p)
        refs.add(tp=len(gr & pr), fp=len(pr - gr), fn=len(gr - pr))
        for f in META_FIELDS:
            if f == "issuer":
                ok = norm_name(agency_name(g.get(f))) == norm_name(agency_name(p.get(f)))
            elif f == "number":
                ok = norm_number(g.get(f)) == norm_number(p.get(f))
            else:
                ok = (g.get(f) or None) == (p.get(f) or None)
            meta[f][0] += int(ok)
            meta[f][1] += 1
        obl.add(d_obl.tp, d_obl.fp, d_obl.fn)
        for f in ROLE_FIELDS:
            roles[f].add(d_roles[f].tp, d_roles[f].fp, d_roles[f].fn)
        y_true += d_true
        y_pred += d_pred
        full_right += d_full
        n_gold_obl += len(gobl)
        per_doc.append({
            "source": g.get("source"), "gold": len(gobl), "pred": len(pobl), "matched": len(pairs),
            "obligations_f1": d_obl.result()["f1"],
            "assignees_f1": (d_roles["assignees"].result()["f1"]
                             if d_roles["assignees"].tp + d_roles["assignees"].fp + d_roles["assignees"].fn else None),
            "type_accuracy": (sum(a == b for a, b in zip(d_true, d_pred)) / len(d_true)) if d_true else None,
            "fully_right": d_full,
        })
    return {
        "documents": len(gold_records),
        "obligations": obl.result(),
        **{f: roles[f].result() for f in ROLE_FIELDS},
        "deadlines": dl.result(),
        "deadline_kind": dlk.result(),
        "references": refs.result(),
        "types": _type_report(y_true, y_pred),
        "metadata": {f: (meta[f][0] / meta[f][1] if meta[f][1] else 0.0) for f in META_FIELDS},
        "tasks_fully_right": {"right": full_right, "gold": n_gold_obl,
                              "share": full_right / n_gold_obl if n_gold_obl else 0.0},
        "per_doc": per_doc,
    }


# --------------------------------------------------------------------------- systems


def read_raw(source: str, raw_dir: str | os.PathLike = RAW_DIR) -> str:
    """The text of a raw file: a .txt as UTF-8; a .docx, .pdf or .html through the pipeline's readers."""
    path = os.path.join(str(raw_dir), source)
    suffix = os.path.splitext(source)[1].lower()
    if suffix not in ("", ".txt"):
        from extract.readers import read_bytes

        with open(path, "rb") as f:
            return read_bytes(f.read(), suffix, source)[0]
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def baseline_record(text: str, source: str, majority: str = clf.DEFAULT_TYPE, matcher=None) -> dict[str, Any]:
    """The trivial baseline: each line >= 40 chars with a SPEC §8 cue word is an obligation."""
    matcher = matcher or clf.CueMatcher(clf.load_cues())
    text = unicodedata.normalize("NFC", text)
    obls = []
    for line in text.splitlines():
        line = _SPACE.sub(" ", line).strip()
        if len(line) >= 40 and matcher.matches(clf.syllables(line)):
            obls.append({"label": None, "text": line, "assignees": [], "coordinators": [], "report_to": [],
                         "deadline": None, "type": majority, "type_score": 0.0, "references": []})
    return {"source": source, "number": None, "issued_date": None, "doc_type": None, "issuer": None,
            "references": [], "obligations": obls}


def hard_wrap(text: str, width: int) -> str:
    """``text`` with every line longer than ``width`` broken at spaces, as a PDF's text layer or a
    letter typed with line breaks has it (a robustness check: the gold is the same)."""
    import textwrap

    out = []
    for line in text.split("\n"):
        out.extend(textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [line])
    return "\n".join(out)


def run_pipeline(gold: Sequence[dict], raw_dir=RAW_DIR, log=None, wrap: int | None = None) -> list[dict]:
    from extract import extract_text

    out = []
    for g in gold:
        src = g["source"]
        t0 = time.time()
        try:
            raw = read_raw(src, raw_dir)
            rec = extract_text(hard_wrap(raw, wrap) if wrap else raw, source=src)
        except Exception as e:  # a crash scores as an empty record; say so
            rec = {"source": src, "error": {"code": "internal", "message": repr(e)}}
        if log:
            log(f"  {src}: {len(rec.get('obligations') or [])} obligations, {time.time() - t0:.2f}s")
        out.append(rec)
    return out


def retype(preds: list[dict], gold: Sequence[dict], splits: dict[str, set[str]], k: int, seed: int = 0, log=None,
           gold_dir: str | os.PathLike | None = None) -> dict:
    """Replace predicted types: cross-validated for train-split documents, committed model otherwise."""
    import train as T

    committed = clf.load_model()
    cfg = T._config("opening", False, 4.0, "balanced")
    prior = 0.0
    if committed is not None:
        tr = committed.meta.get("trainer", {})
        cfg = T._config(committed.config.get("char_scope", "opening"), bool(committed.config.get("underthesea")),
                        tr.get("C", 4.0), tr.get("class_weight"))
        cfg["weights"] = dict(committed.config["weights"])
        cfg["head"] = bool(committed.config.get("head"))
        prior = committed.rule_prior
    train_docs = [g["source"] for g in gold if g["source"] in splits["train"]]
    all_train_ex = T.examples_from_records([g for g in T.load_gold(gold_dir or T.GOLD_DIR) if g["source"] in splits["train"]])
    fold_of: dict[str, Any] = {}
    info = {"cv_folds": 0, "cv_docs": 0, "committed_docs": 0}
    if k and train_docs:
        folds = T.folds_by_document(sorted({e["doc"] for e in all_train_ex} | set(train_docs)), k, seed)
        cues = committed.cues if committed is not None else None
        for fold in folds:
            fs = set(fold) & set(train_docs)
            if not fs:
                continue
            ex = [e for e in all_train_ex if e["doc"] not in set(fold)]
            m = clf.model_from_json({**T.fit(ex, cfg, seed, cues), "rule_prior": prior,
                                     "temperature": committed.temperature if committed else 1.0,
                                     "temperature_nocue": committed.temperature_nocue if committed else 1.0})
            for d in fs:
                fold_of[d] = m
            info["cv_folds"] += 1
        if log:
            log(f"  types: {info['cv_folds']} CV models for {len(fold_of)} train-split documents")
    for rec in preds:
        obls = rec.get("obligations") or []
        if not obls:
            continue
        model = fold_of.get(rec.get("source"))
        if model is None and k == 0 and rec.get("source") in splits["train"]:
            continue  # keep the pipeline's types
        texts = [o.get("text") or "" for o in obls]
        depths = [clf.label_depth(o.get("label")) for o in obls]
        positions = clf.relative_positions(len(obls))
        if model is not None:
            res = model.predict(texts, depths, positions)
            info["cv_docs"] += 1
        else:
            res = clf.classify(texts, depths, positions)
            info["committed_docs"] += 1
        for o, (t, s) in zip(obls, res):
            o["type"], o["type_score"] = t, s
    return info


# --------------------------------------------------------------------------- printing


def _row(name: str, r: dict) -> str:
    return f"{name:<20} {r['precision']:>6.3f} {r['recall']:>6.3f} {r['f1']:>6.3f}   (tp {r['tp']}, fp {r['fp']}, fn {r['fn']})"


def format_report(s: dict, b: dict | None = None) -> str:
    L = []
    if b is None:
        L.append(f"{'field':<20} {'P':>6} {'R':>6} {'F1':>6}")
        for f in ("obligations", *ROLE_FIELDS, "deadlines", "deadline_kind", "references"):
            L.append(_row(f, s[f]))
        t = s["types"]
        L.append(f"{'types':<20} accuracy {t['accuracy']:.3f}  macro-F1 {t['macro_f1']:.3f}  (n {t['n']} matched)")
        L.append("metadata accuracy:   " + "  ".join(f"{k} {v:.3f}" for k, v in s["metadata"].items()))
        tf = s["tasks_fully_right"]
        L.append(f"tasks fully right:   {tf['right']}/{tf['gold']} = {tf['share']:.3f}")
        return "\n".join(L)
    L.append(f"{'field':<20} {'pipeline P/R/F1':>24}   {'baseline P/R/F1':>24}")
    for f in ("obligations", *ROLE_FIELDS, "deadlines", "deadline_kind", "references"):
        a, c = s[f], b[f]
        L.append(f"{f:<20} {a['precision']:>7.3f} {a['recall']:>7.3f} {a['f1']:>7.3f}   "
                 f"{c['precision']:>7.3f} {c['recall']:>7.3f} {c['f1']:>7.3f}")
    L.append(f"{'types acc / macroF1':<20} {s['types']['accuracy']:>15.3f} {s['types']['macro_f1']:>7.3f}   "
             f"{b['types']['accuracy']:>15.3f} {b['types']['macro_f1']:>7.3f}")
    for k in META_FIELDS:
        L.append(f"{'meta ' + k:<20} {s['metadata'][k]:>23.3f}   {b['metadata'][k]:>23.3f}")
    L.append(f"{'tasks fully right':<20} {s['tasks_fully_right']['share']:>23.3f}   {b['tasks_fully_right']['share']:>23.3f}")
    return "\n".join(L)


def format_per_doc(s: dict) -> str:
    L = [f"{'document':<58} {'gold':>4} {'pred':>4} {'match':>5} {'oblF1':>6} {'asgF1':>6} {'typeAcc':>7} {'full':>4}"]
    for d in s["per_doc"]:
        ta = "-" if d["type_accuracy"] is None else f"{d['type_accuracy']:.2f}"
        af = "-" if d["assignees_f1"] is None else f"{d['assignees_f1']:.2f}"
        L.append(f"{d['source'][:58]:<58} {d['gold']:>4} {d['pred']:>4} {d['matched']:>5} "
                 f"{d['obligations_f1']:>6.2f} {af:>6} {ta:>7} {d['fully_right']:>4}")
    return "\n".join(L)


def main(argv: list[str] | None = None) -> int:
    import train as T

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default=str(T.GOLD_DIR))
    ap.add_argument("--raw", default=str(RAW_DIR))
    ap.add_argument("--splits", default=str(T.SPLITS))
    ap.add_argument("--docs", help="comma-separated sources to score (default: every gold record)")
    ap.add_argument("--subset", choices=("all", "train", "eval"), default="all", help="which split's documents")
    ap.add_argument("--cv", type=int, default=5, help="folds for cross-validated types on train-split docs (0: keep pipeline types)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--baseline", action="store_true", help="also score the trivial line baseline")
    ap.add_argument("--per-doc", action="store_true")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--wrap", type=int, metavar="WIDTH",
                    help="break the raw texts' lines at WIDTH characters first (as a PDF text layer has them)")
    a = ap.parse_args(argv)
    log = lambda *x: print(*x, file=sys.stderr)  # noqa: E731

    gold = T.load_gold(a.gold)
    splits = T.load_splits(a.splits)
    if a.docs:
        want = {d.strip() for d in a.docs.split(",")}
        gold = [g for g in gold if g["source"] in want]
    if a.subset == "train":
        gold = [g for g in gold if g["source"] in splits["train"]]
    elif a.subset == "eval":
        gold = [g for g in gold if g["source"] not in splits["train"]]
    gold = [g for g in gold if os.path.exists(os.path.join(a.raw, g["source"]))]
    log(f"{len(gold)} gold documents")
    preds = run_pipeline(gold, a.raw, log, a.wrap)
    info = retype(preds, gold, splits, a.cv, a.seed, log, a.gold)
    result = score(gold, preds)
    result["type_scoring"] = {**info, "cv": a.cv}
    out: dict[str, Any] = {"pipeline": result}
    if a.baseline:
        train_ex = T.examples_from_records([g for g in T.load_gold(a.gold) if g["source"] in splits["train"]])
        counts = Counter(e["type"] for e in train_ex)
        majority = sorted(counts.items(), key=lambda kv: (-kv[1], clf.TYPES.index(kv[0])))[0][0] if counts else clf.DEFAULT_TYPE
        matcher = clf.CueMatcher(clf.load_cues())
        bpreds = [baseline_record(read_raw(g["source"], a.raw), g["source"], majority, matcher) for g in gold]
        out["baseline"] = score(gold, bpreds)
    if a.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    print(format_report(result, out.get("baseline")))
    print(f"\ntypes: {info['cv_docs']} train-split documents typed by {info['cv_folds']} cross-validation models "
          f"(--cv {a.cv}), {info['committed_docs']} documents by the committed model")
    if a.per_doc:
        print()
        print(format_per_doc(result))
        if a.baseline:
            print("\nbaseline per document:")
            print(format_per_doc(out["baseline"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
