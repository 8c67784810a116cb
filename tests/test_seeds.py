"""The five seed letters against their gold (../shared/corpus/gold/seeds.jsonl).

Expected values are read from the gold file, never copied into code.
"""
import unicodedata

import pytest

from conftest import SEED_GOLD, load_jsonl, raw_text
from extract import extract_text

GOLD = {r["source"]: r for r in load_jsonl(SEED_GOLD)}
_CACHE: dict[str, dict] = {}


def pred(source: str) -> dict:
    if source not in _CACHE:
        _CACHE[source] = extract_text(raw_text(source), source)
    return _CACHE[source]


def first_words(s: str, n: int = 6) -> list[str]:
    return unicodedata.normalize("NFC", s).lower().split()[:n]


def key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).lower().replace(",", " , ").split())


def agency_names(agencies) -> list[str]:
    out = []
    for a in agencies:
        name, head = a["name"], a.get("head")
        out.append(f"{head} {name}" if head and not name.lower().startswith(head.lower()) else name)
    return out


@pytest.mark.parametrize("source", sorted(GOLD))
def test_obligation_count_and_labels(source):
    g, p = GOLD[source], pred(source)
    assert "error" not in p, p
    assert [o["label"] for o in p["obligations"]] == [o["label"] for o in g["obligations"]]


@pytest.mark.parametrize("source", sorted(GOLD))
def test_obligation_first_words(source):
    g, p = GOLD[source], pred(source)
    assert [first_words(o["text"]) for o in p["obligations"]] == [first_words(o["text"]) for o in g["obligations"]]


CASES = [(s, i) for s in sorted(GOLD) for i in range(len(GOLD[s]["obligations"]))]


@pytest.mark.parametrize("source,i", CASES)
def test_assignees(source, i):
    g = GOLD[source]["obligations"][i]
    p = pred(source)["obligations"]
    if i >= len(p):
        pytest.fail("obligation missing")
    assert sorted(map(key, agency_names(p[i]["assignees"]))) == sorted(map(key, g["assignees"]))


@pytest.mark.parametrize("source", sorted(GOLD))
def test_document_metadata(source):
    g, p = GOLD[source], pred(source)
    assert p["format"] == g["format"]
    assert p["doc_type"] == g["doc_type"]
    assert p["number"] == g["number"]
    assert p["issued_date"] == g["issued_date"]


def test_spans_point_at_the_text():
    for source in GOLD:
        p = extract_text(raw_text(source), source, with_text=True)
        for o in p["obligations"]:
            s, e = o["span"]
            assert " ".join(p["text"][s:e].split()) == o["text"]
