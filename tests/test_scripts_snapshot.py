"""scripts/snapshot.py: the regression check used for behaviour-preserving (speed) changes."""
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load():
    spec = importlib.util.spec_from_file_location("snapshot", ROOT / "scripts" / "snapshot.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_first_difference_names_the_path_and_tolerates_float_noise():
    fd = load().first_difference
    a = {"obligations": [{"type": "report", "type_score": 0.5, "assignees": ["Sở Y tế"]}]}
    assert fd(a, a) is None
    assert fd(a, {"obligations": [{"type": "report", "type_score": 0.5 + 1e-12, "assignees": ["Sở Y tế"]}]}) is None
    d = fd(a, {"obligations": [{"type": "implement", "type_score": 0.5, "assignees": ["Sở Y tế"]}]})
    assert d.startswith(".obligations[0].type:")
    assert "2 items" in fd({"x": [1, 2]}, {"x": [1]})


def test_the_corpus_is_its_own_snapshot(tmp_path):
    snap = tmp_path / "s.jsonl"
    script = str(ROOT / "scripts" / "snapshot.py")
    w = subprocess.run([sys.executable, script, "write", str(snap)], capture_output=True, text=True, timeout=300)
    assert w.returncode == 0, w.stderr
    d = subprocess.run([sys.executable, script, "diff", str(snap)], capture_output=True, text=True, timeout=300)
    assert d.returncode == 0 and "differing documents: 0 of" in d.stdout
    lines = snap.read_text(encoding="utf-8").splitlines()
    last = json.loads(lines[-1])
    last["warnings"] = last.get("warnings", []) + ["changed"]
    snap.write_text("\n".join(lines[:-1] + [json.dumps(last, ensure_ascii=False)]) + "\n", encoding="utf-8")
    d = subprocess.run([sys.executable, script, "diff", str(snap)], capture_output=True, text=True, timeout=300)
    assert d.returncode == 1 and "differing documents: 1 of" in d.stdout
