import json
import os
import tempfile
from pathlib import Path

import pytest

# the command keeps compiled patterns in the user's cache directory; tests keep theirs apart
if "NHIEMVU_CACHE_DIR" not in os.environ:
    import atexit
    import shutil

    os.environ["NHIEMVU_CACHE_DIR"] = _cache_dir = tempfile.mkdtemp(prefix="nhiemvu-cache-")
    atexit.register(shutil.rmtree, _cache_dir, True)

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS_RAW = ROOT / "corpora" / "raw"
SEED_GOLD = (
    SHARED / "corpus" / "gold" / "seeds.jsonl"
    if (SHARED / "corpus" / "gold" / "seeds.jsonl").exists()
    else ROOT / "corpora" / "gold" / "seeds.jsonl"
)


def _seeds_dir() -> Path:
    """``../shared/seeds`` beside the clone; without it, the five seeds copied from corpora/raw
    into a folder of their own (tests treat the folder as exactly the five seed letters)."""
    if (SHARED / "seeds").is_dir():
        return SHARED / "seeds"
    import shutil
    import tempfile

    d = Path(tempfile.mkdtemp(prefix="nhiemvu-seeds-"))
    with open(SEED_GOLD, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                name = json.loads(line)["source"]
                shutil.copy(CORPUS_RAW / name, d / name)
    return d


SEEDS_DIR = _seeds_dir()


def load_jsonl(path):
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="session")
def seed_gold():
    return {rec["source"]: rec for rec in load_jsonl(SEED_GOLD)}


def raw_text(name: str) -> str:
    for d in (SEEDS_DIR, CORPUS_RAW):
        p = d / name
        if p.exists():
            return p.read_text(encoding="utf-8")
    raise FileNotFoundError(name)
