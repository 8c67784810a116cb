"""The same per-document function on a Dask cluster (issue 5).

A local dask.distributed cluster of two workers, on loopback only (threads in
this process, TCP on 127.0.0.1), stands in for a real one.
"""
from __future__ import annotations

import json

import pytest

pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")

from conftest import SEEDS_DIR  # noqa: E402
from extract.batch import Options, process_one  # noqa: E402
from extract.cli import main  # noqa: E402

FILES = sorted(str(p) for p in SEEDS_DIR.glob("*.txt"))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp://",
                      host="127.0.0.1", dashboard_address=None,
                      local_directory=str(tmp_path_factory.mktemp("dask"))) as lc:
        with Client(lc) as client:
            assert len(client.scheduler_info()["workers"]) == 2
            yield lc


@pytest.fixture(scope="module")
def local_records():
    return [process_one(p)[0] for p in FILES]


def test_python_api_over_a_bag(cluster, local_records):
    from distributed import Client

    import dask.bag as db
    from extract.dask import extract_bag

    with Client(cluster):
        recs = extract_bag(db.from_sequence(FILES, npartitions=3)).compute()
    assert [r["source"] for r in recs] == FILES
    assert recs == local_records


def test_python_api_over_texts_flat(cluster):
    from distributed import Client

    from extract.dask import extract_text_bag

    items = [(f"doc{i}", open(p, encoding="utf-8").read()) for i, p in enumerate(FILES)]
    with Client(cluster):
        recs = extract_text_bag(items, Options(flat=True)).compute()
    assert recs and {r["source"] for r in recs} <= {s for s, _ in items}
    assert all("doc_id" in r and "type" in r for r in recs)


def test_cli_on_the_cluster_keeps_input_order(cluster, local_records, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    missing = str(tmp_path / "missing.txt")
    inputs = FILES[:2] + [missing] + FILES[2:]
    code = main(["extract", *inputs, "--dask", cluster.scheduler_address, "-o", str(out), "-q"])
    assert code == 1  # the missing file failed, the rest went on
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["source"] for r in recs] == inputs
    assert recs[2]["error"]["code"] == "not_found"
    assert [r for r in recs if "error" not in r] == local_records


def test_cli_on_the_cluster_resumes(cluster, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    assert main(["extract", *FILES[:2], "--dask", cluster.scheduler_address, "-o", str(out), "-q"]) == 0
    assert main(["extract", *FILES, "--dask", cluster.scheduler_address, "-o", str(out), "-q", "--resume"]) == 0
    sources = [json.loads(line)["source"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert sources == FILES
