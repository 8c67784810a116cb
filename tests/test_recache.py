"""The compiled-pattern cache (extract/_recache.py): same patterns, same output, never a failure.

Each case runs in a child process: enabling the cache patches ``regex`` for the whole process.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "004_cbb06b3a45a81e29.txt"

CHILD = r"""
import json, sys
from extract import _recache
on = _recache.enable()
from extract.pipeline import extract_text
text = open(sys.argv[1], encoding="utf-8").read()
rec = extract_text(text, "x", explain=True)
saved = _recache.save()
print(json.dumps({"on": on, "stats": _recache.stats(), "saved": saved, "record": rec}, ensure_ascii=False))
"""


def run_child(cache_dir: Path, *, env_extra: dict | None = None) -> dict:
    env = {**os.environ, "NHIEMVU_CACHE_DIR": str(cache_dir), "PYTHONPATH": str(ROOT)}
    env.pop("NHIEMVU_REGEX_CACHE", None)
    env.update(env_extra or {})
    out = subprocess.run([sys.executable, "-c", CHILD, str(SAMPLE)], capture_output=True, text=True,
                         env=env, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def cache_file(d: Path) -> Path:
    files = list(d.glob("regex-*.marshal"))
    assert len(files) == 1, files
    return files[0]


def test_second_run_compiles_from_the_cache_and_gives_the_same_record(tmp_path):
    first = run_child(tmp_path)
    assert first["on"] and first["saved"] and first["stats"]["misses"] > 100
    second = run_child(tmp_path)
    assert second["stats"]["derived"] > 10  # what _literals read off the patterns, kept too
    assert second["stats"]["hits"] >= first["stats"]["misses"] - 2
    assert second["stats"]["misses"] <= 2
    off = run_child(tmp_path / "unused", env_extra={"NHIEMVU_REGEX_CACHE": "0"})
    assert not off["on"] and not (tmp_path / "unused").exists()
    assert first["record"] == second["record"] == off["record"]


def test_patterns_made_from_the_cache_behave_as_compiled_ones(tmp_path):
    run_child(tmp_path)
    code = r"""
import marshal, sys, regex, regex._main as M
text = open(sys.argv[2], encoding="utf-8").read()
fmt, ver, entries, derived = marshal.loads(open(sys.argv[1], "rb").read())
n = 0
for (pattern, flags, version), args in entries.items():
    a = M._regex.compile(pattern, *args)
    b = regex.compile(pattern, flags)
    assert (a.pattern, a.flags, a.groupindex, a.groups) == (b.pattern, b.flags, b.groupindex, b.groups), pattern
    for s in (text, text.upper(), text[:2000].lower()):
        assert [m.span() for m in a.finditer(s)] == [m.span() for m in b.finditer(s)], pattern
    n += 1
print(n)
"""
    out = subprocess.run([sys.executable, "-c", code, str(cache_file(tmp_path)), str(SAMPLE)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) > 100


@pytest.mark.parametrize("content", [b"", b"not marshal at all", b"\x00" * 100])
def test_a_damaged_cache_file_is_ignored_and_replaced(tmp_path, content):
    good = run_child(tmp_path / "good")["record"]
    path = cache_file(tmp_path / "good")
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    (bad_dir / path.name).write_bytes(content)
    res = run_child(bad_dir)
    assert res["on"] and res["record"] == good and res["saved"]
    assert run_child(bad_dir)["stats"]["misses"] <= 2


def test_a_cache_of_another_regex_version_is_not_used(tmp_path):
    import marshal

    run_child(tmp_path)
    path = cache_file(tmp_path)
    fmt, ver, entries, derived = marshal.loads(path.read_bytes())
    path.write_bytes(marshal.dumps((fmt, "0.0.0", entries, derived)))
    res = run_child(tmp_path)
    assert res["stats"]["hits"] == 0 and res["stats"]["misses"] > 100


def test_an_unwritable_cache_directory_costs_nothing_but_the_cache(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    res = run_child(blocker / "sub")  # a directory below a file cannot be made
    assert res["on"] and res["saved"] is False and res["record"]["obligations"]


def test_the_command_keeps_patterns_between_runs(tmp_path):
    env = {**os.environ, "NHIEMVU_CACHE_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("NHIEMVU_REGEX_CACHE", None)
    outs = []
    for _ in range(2):
        p = subprocess.run([sys.executable, "-m", "extract", "extract", str(SAMPLE), "-j", "1"],
                           capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
        assert p.returncode == 0, p.stderr
        outs.append(p.stdout)
    assert outs[0] == outs[1] and json.loads(outs[0])["obligations"]
    assert cache_file(tmp_path).stat().st_size > 10_000
