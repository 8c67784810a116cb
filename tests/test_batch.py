"""Batch runs: resume after a killed run, order with --jobs 2, flat memory, progress (issue 5)."""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SEEDS_DIR
from extract import batch
from extract.batch import AtomicWriter, Options, Progress, read_done, run_docs
from extract.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = SEEDS_DIR / "004_cbb06b3a45a81e29.txt"
LETTER = ("Số: 12/UBND-VP\nAn Giang, ngày 22 tháng 4 năm 2024\nV/v báo cáo kết quả\nKính gửi: Sở Nội vụ.\n"
          "1. Sở Nội vụ báo cáo Ủy ban nhân dân tỉnh trước ngày 15/6/2024.\n"
          "2. Sở Tài chính chủ trì, phối hợp với các sở rà soát kinh phí.\n")


def _corpus(tmp_path: Path, n: int) -> list[str]:
    d = tmp_path / "letters"
    d.mkdir()
    for i in range(n):
        # each a little different, so each gets its own id
        (d / f"cv_{i:03d}.txt").write_text(LETTER + f"Ghi chú {i}.\n", encoding="utf-8")
    return sorted(str(p) for p in d.iterdir())


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_resume_after_a_killed_run(tmp_path):
    files = _corpus(tmp_path, 150)
    out = tmp_path / "out.jsonl"
    part = Path(str(out) + ".part")
    cmd = [sys.executable, "-m", "extract", "extract", str(tmp_path / "letters"), "-o", str(out), "-j", "2", "-q"]
    proc = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if part.exists() and part.read_bytes().count(b"\n") >= 5:
                break
            assert proc.poll() is None, "the run ended before it could be killed"
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)  # the run and its workers, mid-flight
    finally:
        proc.wait(10)
    assert not out.exists() and part.exists()
    done_before = read_done(str(out))
    assert 5 <= len(done_before) < len(files)
    # whatever the kill tore, the finished lines are whole records
    raw = part.read_text(encoding="utf-8")
    complete = raw[: raw.rfind("\n") + 1]
    assert all(json.loads(line)["schema"] == "nhiemvu/1" for line in complete.splitlines())

    code = main(["extract", str(tmp_path / "letters"), "-o", str(out), "-j", "2", "-q", "--resume"])
    assert code == 0
    recs = _lines(out)
    assert [r["source"] for r in recs] == files  # each exactly once, in input order
    assert not part.exists()


def test_resume_merges_a_finished_output_and_a_killed_part(tmp_path):
    out = tmp_path / "out.jsonl"
    rec = lambda s: batch.dumps({"schema": "nhiemvu/1", "source": s, "x": 1})  # noqa: E731
    out.write_text(rec("a") + rec("b"), encoding="utf-8")
    Path(str(out) + ".part").write_text(rec("b") + rec("c") + '{"schema": "nhiemvu/1", "sour', encoding="utf-8")
    assert read_done(str(out)) == {"a", "b", "c"}
    w = AtomicWriter(str(out), resume=True)
    w.write(rec("d"))
    w.close()
    assert [r["source"] for r in _lines(out)] == ["a", "b", "c", "d"]


def test_source_is_found_without_parsing_the_whole_line():
    line = batch.dumps({"schema": "nhiemvu/1", "doc_id": "x", "issuer": {"text": 'say "source": "no"'},
                        "source": 'dir/"quoted".txt', "text": "..."})
    assert batch._source_of(line) == 'dir/"quoted".txt'


def test_order_with_two_jobs_when_the_first_document_is_slow(tmp_path, monkeypatch):
    real = batch._extract_path

    def slow_first(path, opts):
        if path.endswith("cv_000.txt"):
            time.sleep(1.0)
        return real(path, opts)

    monkeypatch.setattr(batch, "_extract_path", slow_first)
    files = _corpus(tmp_path, 6)
    docs = list(run_docs(files + [str(tmp_path / "nope.txt")], Options(), jobs=2))
    assert [d.source for d in docs] == files + [str(tmp_path / "nope.txt")]
    assert docs[-1].records[0]["error"]["code"] == "not_found"
    assert all(d.nbytes > 0 for d in docs[:-1])


def test_inputs_are_read_lazily_so_memory_stays_flat(tmp_path):
    files = _corpus(tmp_path, 20)
    taken = []

    def inputs():
        for f in files:
            taken.append(f)
            yield f

    it = run_docs(inputs(), Options(), jobs=2, window=4)
    first = next(it)
    assert first.source == files[0]
    assert len(taken) <= 4 + 2  # the window, not the whole list
    assert [d.source for d in it] == files[1:]


def test_progress_is_silent_when_not_a_terminal(tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    [one] = _corpus(tmp_path, 1)
    assert main(["extract", one, "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err and "docs/s" not in err and "it/s" not in err
    assert main(["extract", one, "-o", str(out), "-q"]) == 0
    assert capsys.readouterr().err == ""


def test_progress_bar_of_our_own(monkeypatch, tmp_path):
    import builtins

    real_import = builtins.__import__

    def no_tqdm(name, *a, **k):
        if name == "tqdm":
            raise ImportError
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_tqdm)
    stream = io.StringIO()
    p = Progress(stream, min_interval=0)
    assert p.bar is None
    p.total_docs, p.total_bytes = 4, 4_000_000
    for _ in range(2):
        p.update(1_000_000)
    p.close()
    shown = stream.getvalue()
    assert "2/4 docs" in shown and "2.0/4.0 MB" in shown and "MB/s" in shown and "ETA" in shown


def test_progress_totals_are_counted_in_the_background(tmp_path):
    files = _corpus(tmp_path, 5)
    p = Progress(io.StringIO())
    p.count_in_background([str(tmp_path / "letters")])
    deadline = time.monotonic() + 10
    while p.total_docs is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert p.total_docs == 5 and p.total_bytes == sum(os.path.getsize(f) for f in files)
    p.close()


@pytest.mark.parametrize("flat", [False, True])
def test_one_write_per_document(tmp_path, flat, monkeypatch):
    writes = []
    real = AtomicWriter.write

    def spy(self, text):
        writes.append(text)
        real(self, text)

    monkeypatch.setattr(AtomicWriter, "write", spy)
    out = tmp_path / "out.jsonl"
    args = ["extract", str(SEED), "-o", str(out), "-q"] + (["--flat"] if flat else [])
    assert main(args) == 0
    assert len(writes) == 1 and writes[0].count("\n") == len(_lines(out)) >= 1
