#!/usr/bin/env python3
"""Measure the whole pipeline: documents/s, MB/s, peak memory, and time to the first record.

    python scripts/benchmark.py                 # corpus repeated to 20 MB, jobs 1 and all cores
    python scripts/benchmark.py --mb 2 --jobs 1 # a quick look
    python scripts/benchmark.py --json out.json # figures as JSON too
    python scripts/benchmark.py --against 08bb01a  # before/after: REV and the working tree, alternated

The corpus is fixed: the texts of ``corpora/raw/*.txt`` (sorted), written as
files and repeated until they hold at least ``--mb`` MB (default 20).  Each phase
runs in a fresh process, so its peak memory (max RSS, the parent's and the
largest worker's) is its own:

* ``pipeline``: ``batch.run_docs`` over the files (read, decode, extract, JSON),
  with ``--jobs`` 1 and with all cores;
* ``baseline``: ``underthesea.word_tokenize`` over the same texts, one core,
  printed as the pipeline's speed-up over it (per core);
* ``latency``: ``python -m extract extract SEED -j 1`` from process start to the
  first record on stdout (import + first document), median of 3, after one cold run
  that fills the compiled-pattern cache (``extract/_recache.py``; printed too).

Throughput is given per wall-clock second and per CPU-second (user + system,
the workers' included): on a shared machine the second is the fair "per core"
figure.  Nothing here asserts a speed: the figures are printed, for the README.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "raw"
SEED = ROOT / "corpora" / "raw" / "004_cbb06b3a45a81e29.txt"


def build_corpus(dest: Path, mb: float) -> tuple[int, int]:
    texts = [p.read_bytes() for p in sorted(CORPUS.glob("*.txt"))]
    if not texts:
        sys.exit(f"no texts in {CORPUS}")
    dest.mkdir(parents=True, exist_ok=True)
    n = size = 0
    rnd = 0
    while size < mb * 1e6:
        sub = dest / f"r{rnd:03d}"
        sub.mkdir()
        for i, data in enumerate(texts):
            (sub / f"{i:03d}.txt").write_bytes(data)
            n += 1
            size += len(data)
        rnd += 1
    return n, size


def _peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return round(own, 1), round(kids, 1)


def phase_pipeline(corpus: str, jobs: int) -> dict:
    t_import = time.perf_counter()
    from extract import batch

    opts = batch.Options(timeout=None)
    docs = nbytes = records = failed = 0
    c0 = os.times()
    t0 = time.perf_counter()
    with open(os.devnull, "w", encoding="utf-8") as sink:
        for d in batch.run_docs([corpus], opts, jobs=jobs):
            docs += 1
            nbytes += d.nbytes
            failed += d.failed
            for r in d.records:
                sink.write(batch.dumps(r))
                records += 1
    el = time.perf_counter() - t0
    c1 = os.times()
    cpu = (c1.user - c0.user) + (c1.system - c0.system) + (c1.children_user - c0.children_user) + (
        c1.children_system - c0.children_system)
    own, kids = _peak_mb()
    return {"phase": "pipeline", "jobs": jobs, "docs": docs, "mb": nbytes / 1e6, "seconds": el,
            "cpu_seconds": cpu, "mb_per_cpu_s": nbytes / 1e6 / cpu,
            "docs_per_s": docs / el, "mb_per_s": nbytes / 1e6 / el, "mb_per_s_per_core": nbytes / 1e6 / el / jobs,
            "failed": failed, "import_s": t0 - t_import, "peak_rss_mb": own, "peak_worker_rss_mb": kids}


def phase_baseline(corpus: str) -> dict:
    from underthesea import word_tokenize

    paths = sorted(Path(corpus).rglob("*.txt"))
    word_tokenize("Ủy ban nhân dân tỉnh")  # load the model before the clock starts
    nbytes = 0
    c0 = time.process_time()
    t0 = time.perf_counter()
    for p in paths:
        data = p.read_bytes()
        nbytes += len(data)
        word_tokenize(data.decode("utf-8"))
    el = time.perf_counter() - t0
    cpu = time.process_time() - c0
    own, _ = _peak_mb()
    return {"phase": "baseline", "docs": len(paths), "mb": nbytes / 1e6, "seconds": el,
            "cpu_seconds": cpu, "mb_per_cpu_s": nbytes / 1e6 / cpu,
            "docs_per_s": len(paths) / el, "mb_per_s": nbytes / 1e6 / el, "peak_rss_mb": own}


def phase_latency(repeats: int = 3) -> dict:
    """``python -m extract extract SEED -j 1`` to its first record: once cold (no compiled-pattern
    cache, as on a machine's first run) and ``repeats`` times warm (the median is the figure).
    Python may write its bytecode here, as an installed package has it."""
    cache = tempfile.mkdtemp(prefix="nhiemvu-bench-cache-")
    env = {**os.environ, "NHIEMVU_CACHE_DIR": cache}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("NHIEMVU_REGEX_CACHE", None)
    times = []
    try:
        for _ in range(repeats + 1):
            t0 = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-m", "extract", "extract", str(SEED), "-j", "1"],
                                    cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
            line = proc.stdout.readline()
            times.append(time.perf_counter() - t0)
            proc.wait()
            assert line.startswith(b"{"), line[:200]
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return {"phase": "latency", "seconds": statistics.median(times[1:]), "cold_seconds": times[0],
            "all": times[1:]}


_ROUND = r"""
import glob, json, sys, time
sys.path.insert(0, sys.argv[1])
from extract import extract_text
texts = [open(p, encoding="utf-8").read() for p in sorted(glob.glob(sys.argv[2] + "/*.txt"))]
for t in texts:
    extract_text(t)  # warm: data loaded, patterns compiled
best = None
for _ in range(int(sys.argv[3])):
    c = time.process_time()
    for t in texts:
        extract_text(t)
    best = min(best or 1e9, time.process_time() - c)
print(json.dumps({"mb": sum(len(t.encode("utf-8")) for t in texts) / 1e6, "cpu_s": best}))
"""


def compare(rev: str, rounds: int = 6, reps: int = 5) -> dict:
    """The pipeline at git revision ``rev`` and the working tree, alternated ``rounds`` times over
    the texts of corpora/raw (each round: ``extract_text`` per text, CPU time, best of ``reps``):
    on a shared machine whose speed drifts between runs, the fair before/after."""
    tmp = Path(tempfile.mkdtemp(prefix="nhiemvu-rev-"))
    try:
        archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
        env = {**os.environ, "NHIEMVU_REGEX_CACHE": "0"}
        figures: dict[str, list[float]] = {rev: [], "working tree": []}
        for _ in range(rounds):
            for name, root in ((rev, tmp), ("working tree", ROOT)):
                out = subprocess.run([sys.executable, "-c", _ROUND, str(root), str(CORPUS), str(reps)],
                                     capture_output=True, text=True, env=env, cwd=tmp)
                if out.returncode:
                    sys.exit(f"{name} failed:\n{out.stderr}")
                r = json.loads(out.stdout.strip().splitlines()[-1])
                figures[name].append(r["mb"] / r["cpu_s"])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"phase": "compare", "rev": rev, "rounds": rounds,
            "mb_per_cpu_s": {k: {"best": max(v), "median": statistics.median(v), "all": v} for k, v in figures.items()}}


def _sub(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, "_phase", *args], cwd=ROOT, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"phase {args} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_phase":
        kind = sys.argv[2]
        if kind == "pipeline":
            res = phase_pipeline(sys.argv[3], int(sys.argv[4]))
        elif kind == "baseline":
            res = phase_baseline(sys.argv[3])
        else:
            res = phase_latency()
        print(json.dumps(res))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    ap.add_argument("--jobs", type=int, nargs="*", default=None,
                    help="job counts to measure (default: 1 and all cores)")
    ap.add_argument("--no-baseline", action="store_true", help="skip underthesea.word_tokenize")
    ap.add_argument("--json", metavar="FILE", help="also write the figures here")
    ap.add_argument("--against", metavar="REV",
                    help="only compare the working tree with git revision REV, alternated (MB per CPU-second)")
    args = ap.parse_args()
    if args.against:
        r = compare(args.against)
        m = r["mb_per_cpu_s"]
        for name, v in m.items():
            print(f"{name}: best {v['best']:.3f}, median {v['median']:.3f} MB per CPU-second "
                  f"({r['rounds']} alternated rounds)")
        b, a = m[args.against], m["working tree"]
        print(f"working tree / {args.against}: {a['best'] / b['best']:.2f}x (best), "
              f"{a['median'] / b['median']:.2f}x (median)")
        if args.json:
            Path(args.json).write_text(json.dumps(r, indent=2), encoding="utf-8")
        return
    jobs = args.jobs or sorted({1, os.cpu_count() or 1})

    tmp = Path(tempfile.mkdtemp(prefix="nhiemvu-bench-"))
    try:
        n, size = build_corpus(tmp / "corpus", args.mb)
        print(f"corpus: {n} documents, {size / 1e6:.1f} MB ({len(list(CORPUS.glob('*.txt')))} texts of "
              f"corpora/raw repeated); {os.cpu_count()} cores; Python {platform.python_version()}")
        results = {"date": dt.date.today().isoformat(), "cores": os.cpu_count(),
                   "python": platform.python_version(), "corpus_docs": n, "corpus_mb": size / 1e6, "phases": []}
        latency = _sub(["latency"])
        results["phases"].append(latency)
        print(f"import + first record: {latency['seconds']:.2f} s (median of 3: "
              + ", ".join(f"{t:.2f}" for t in latency["all"])
              + f"); first run, before the compiled-pattern cache exists: {latency['cold_seconds']:.2f} s")
        per_core = None
        for j in jobs:
            r = _sub(["pipeline", str(tmp / "corpus"), str(j)])
            results["phases"].append(r)
            if j == 1:
                per_core = r["mb_per_cpu_s"]
            print(f"pipeline -j {j}: {r['docs_per_s']:.1f} docs/s, {r['mb_per_s']:.3f} MB/s wall "
                  f"({r['mb_per_s_per_core']:.3f} MB/s per core), {r['mb_per_cpu_s']:.3f} MB per CPU-second, "
                  f"{r['seconds']:.1f} s, "
                  f"peak RSS {r['peak_rss_mb']:.0f} MB (largest worker {r['peak_worker_rss_mb']:.0f} MB), "
                  f"{r['failed']} failed")
        if not args.no_baseline:
            try:
                b = _sub(["baseline", str(tmp / "corpus")])
            except SystemExit as e:
                print(f"baseline skipped: {e}")
            else:
                results["phases"].append(b)
                print(f"underthesea.word_tokenize: {b['docs_per_s']:.1f} docs/s, {b['mb_per_s']:.3f} MB/s wall, "
                      f"{b['mb_per_cpu_s']:.3f} MB per CPU-second, {b['seconds']:.1f} s, "
                      f"peak RSS {b['peak_rss_mb']:.0f} MB")
                if per_core:
                    results["ratio_vs_word_tokenize"] = per_core / b["mb_per_cpu_s"]
                    print(f"pipeline / word_tokenize (MB per CPU-second, one core each): "
                          f"{per_core / b['mb_per_cpu_s']:.2f}x")
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
