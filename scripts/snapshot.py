#!/usr/bin/env python3
"""Whole-output regression check for refactors that must not change behaviour (speed work).

    python scripts/snapshot.py write /tmp/before.jsonl   # before the change
    python scripts/snapshot.py diff  /tmp/before.jsonl   # after: exit 1 and the first difference per document
    python scripts/snapshot.py diff  /tmp/before.jsonl --no-rows   # provenance row numbers ignored
                                                                   # (after rows were inserted in a table)

Runs the pipeline (``explain=True``: provenance included) over ``corpora/raw/*.txt`` and
``samples/*.txt`` and writes or compares one JSON record per text; floats are compared with a
1e-9 tolerance.  Not a test: the snapshot is of the code as it is, not a gold standard
(``scripts/evaluate.py`` is that).
"""
from __future__ import annotations

import glob
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def records() -> list[dict]:
    from extract.pipeline import extract_text

    paths = sorted(glob.glob(os.path.join(ROOT, "corpora", "raw", "*.txt")))
    paths += sorted(glob.glob(os.path.join(ROOT, "samples", "*.txt")))
    out = []
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            rec = extract_text(fh.read(), os.path.basename(p), explain=True)
        out.append(json.loads(json.dumps(rec, ensure_ascii=False, sort_keys=True)))
    return out


_ROW = re.compile(r"#\d+")


def first_difference(a, b, path: str = "", no_rows: bool = False) -> str | None:
    """The first difference of two records, or None; ``no_rows`` compares provenance rules without
    their row numbers ("segment_cues:modal#49" equals "segment_cues:modal#55")."""
    if no_rows and isinstance(a, str) and isinstance(b, str) and path.endswith(".rule"):
        a, b = _ROW.sub("#", a), _ROW.sub("#", b)
    if isinstance(a, float) and isinstance(b, float):
        return None if abs(a - b) <= 1e-9 else f"{path}: {a!r} != {b!r}"
    if type(a) is not type(b):
        return f"{path}: {str(a)[:200]!r} != {str(b)[:200]!r}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            d = first_difference(a.get(k), b.get(k), f"{path}.{k}", no_rows)
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}[{i}]", no_rows)
            if d:
                return d
        return None
    return None if a == b else f"{path}: {str(a)[:200]!r} != {str(b)[:200]!r}"


def main() -> int:
    args = sys.argv[1:]
    no_rows = "--no-rows" in args
    if no_rows:
        args.remove("--no-rows")
    if len(args) != 2 or args[0] not in ("write", "diff"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, path = args
    recs = records()
    if mode == "write":
        with open(path, "w", encoding="utf-8") as fh:
            for r in recs:
                fh.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
        print(f"wrote {len(recs)} records to {path}")
        return 0
    with open(path, encoding="utf-8") as fh:
        old = [json.loads(line) for line in fh if line.strip()]
    if len(old) != len(recs):
        print(f"{len(old)} records in the snapshot, {len(recs)} now")
        return 1
    bad = 0
    for a, b in zip(old, recs):
        d = first_difference(a, b, no_rows=no_rows)
        if d:
            bad += 1
            print(f"{a.get('source')}: {d}")
    print(f"differing documents: {bad} of {len(recs)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
