"""The command: bad input never crashes a batch and never loses output (SPEC §2)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS_DIR
from extract.cli import main

GOOD = SEEDS_DIR / "004_cbb06b3a45a81e29.txt"


def run(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    lines = [json.loads(l) for l in out.out.splitlines() if l.strip()]
    return code, lines, out.err


def test_one_good_file(capsys):
    code, recs, _ = run(["extract", str(GOOD)], capsys)
    assert code == 0 and len(recs) == 1
    rec = recs[0]
    assert list(rec)[:4] == ["schema", "id", "source", "format"]
    assert rec["schema"] == "nhiemvu/1" and rec["number"] == "493/UBND-KGVX"
    assert len(rec["id"]) == 16


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text("   \n\n \t\n", encoding="utf-8")
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    bad_utf8 = tmp_path / "bad.txt"
    bad_utf8.write_bytes(b"garbage \xc3\x28 \xff\x81\x8d \xa0\xa1 " * 50)
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:
        fh.seek(50 * 1024 * 1024)
        fh.write(b"x")
    empty_dir = tmp_path / "nothing_here"
    empty_dir.mkdir()
    (empty_dir / "notes.jpg").write_bytes(b"\x89PNG")
    return {
        "missing": (tmp_path / "does_not_exist.txt", "not_found"),
        "empty": (empty, "empty"),
        "blank": (blank, "empty"),
        "binary": (binary, "unsupported_format"),
        "bad_utf8": (bad_utf8, "encoding"),
        "huge": (huge, "too_large"),
        "empty_dir": (empty_dir, "empty"),
    }


@pytest.mark.parametrize("kind", ["missing", "empty", "blank", "binary", "bad_utf8", "huge", "empty_dir"])
def test_bad_input_gets_one_error_record_and_the_batch_goes_on(kind, tmp_path, capsys):
    path, code_expected = _bad_inputs(tmp_path)[kind]
    code, recs, _ = run(["extract", str(GOOD), str(path), str(GOOD), "-j", "1"], capsys)
    assert code == 1
    assert len(recs) == 3  # good, error, good — in input order
    assert "obligations" in recs[0] and "obligations" in recs[2]
    err = recs[1]
    assert list(err) == ["schema", "source", "error"]
    assert err["source"] == str(path)
    assert err["error"]["code"] == code_expected
    assert err["error"]["message"]


def test_output_file_is_written_atomically(tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    code = main(["extract", str(SEEDS_DIR), "-o", str(out), "-q", "-j", "1"])
    assert code == 0
    assert out.exists() and not (tmp_path / "out.jsonl.part").exists()
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5
    assert all(json.loads(l)["schema"] == "nhiemvu/1" for l in lines)


def test_resume_skips_done_inputs(tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    first = sorted(SEEDS_DIR.glob("*.txt"))[:2]
    assert main(["extract", *map(str, first), "-o", str(out), "-q", "-j", "1"]) == 0
    # a run killed mid-line leaves a torn .part: the torn line is redone, nothing duplicated
    with open(str(out) + ".part", "w", encoding="utf-8") as fh:
        fh.write(out.read_text(encoding="utf-8"))
        fh.write('{"schema": "nhiemvu/1", "source": "tor')
    out.unlink()
    assert main(["extract", str(SEEDS_DIR), "-o", str(out), "--resume", "-q", "-j", "1"]) == 0
    sources = [json.loads(l)["source"] for l in out.read_text(encoding="utf-8").splitlines()]
    assert len(sources) == len(set(sources)) == 5


def test_parallel_output_keeps_input_order(tmp_path, capsys):
    files = sorted(str(p) for p in SEEDS_DIR.glob("*.txt"))
    code, recs, _ = run(["extract", *files, "-j", "2"], capsys)
    assert code == 0
    assert [r["source"] for r in recs] == files


def test_flat_output_one_line_per_obligation(capsys):
    code, recs, _ = run(["extract", str(GOOD), "--flat"], capsys)
    assert code == 0 and len(recs) >= 5
    for r in recs:
        assert {"doc_id", "number", "issuer", "issued_date", "source", "text", "type"} <= set(r)
        assert r["number"] == "493/UBND-KGVX"


def test_with_text_spans_check_out(capsys):
    code, recs, _ = run(["extract", str(GOOD), "--with-text"], capsys)
    rec = recs[0]
    text = rec["text"]
    for o in rec["obligations"]:
        s, e = o["span"]
        assert " ".join(text[s:e].split()) == o["text"]
        for a in o["assignees"] + o["coordinators"] + o["report_to"]:
            if not a.get("inherited"):
                assert text[a["span"][0]:a["span"][1]] == a["text"]
        if o["deadline"]:
            s, e = o["deadline"]["span"]
            assert text[s:e] == o["deadline"]["text"]
    for r in rec["references"]:
        for s, e in r["mentions"]:
            assert text[s:e].strip()


def test_stdin_and_python_m(tmp_path):
    data = GOOD.read_bytes()
    proc = subprocess.run([sys.executable, "-m", "extract", "extract", "-"], input=data,
                          capture_output=True, cwd=Path(__file__).resolve().parent.parent, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    rec = json.loads(proc.stdout.decode().splitlines()[0])
    assert rec["source"] == "-" and rec["number"] == "493/UBND-KGVX"


def test_help_explains_every_option(capsys):
    with pytest.raises(SystemExit):
        main(["extract", "--help"])
    out = capsys.readouterr().out
    for opt in ("--flat", "--with-text", "-o", "--jobs", "--resume", "--max-size", "--timeout", "examples:", "exit status"):
        assert opt in out


def test_usage_error_exit_code(capsys):
    assert main(["extract", "x.txt", "--resume"]) == 2


def test_output_folder_is_created(tmp_path, capsys):
    # the README's first command writes into out/ on a fresh checkout
    out = tmp_path / "out" / "samples.jsonl"
    assert main(["extract", str(GOOD), "-o", str(out), "-q", "-j", "1"]) == 0
    assert out.exists()


def test_unwritable_output_is_a_usage_error(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["extract", str(GOOD), "-o", str(blocker / "out.jsonl"), "-q"]) == 2
    assert "cannot write" in capsys.readouterr().err
