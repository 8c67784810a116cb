"""Beyond one machine: the same per-document function on a Dask cluster.

Python API::

    from extract.dask import extract_bag, extract_text_bag
    records = extract_bag(["letters/a.txt", "letters/b.docx"])        # a dask.bag of records
    records = extract_bag(db.from_sequence(paths, npartitions=64))    # or from a bag of paths
    texts = extract_text_bag(db.from_sequence([("cv1", text1), ("cv2", text2)]))
    records.map(json.dumps).to_textfiles("out/*.jsonl")

Command line: ``nhiemvu extract PATHS --dask tcp://scheduler:8786 -o out.jsonl``
(:func:`run_dask`): inputs are expanded on the client, sent to the workers in
chunks with a bounded number in flight (flat memory), and written in input order.
Workers read the files themselves, so they must see the same paths (shared
storage); the records still name each input as it was given.

Time budget: a worker thread cannot be interrupted, so on the cluster the client
enforces it per chunk: a chunk not back within ``timeout`` × its size (+ slack)
after it reached the head of the queue gets ``timeout`` records and the run goes on.

``dask`` is imported lazily: this module costs nothing until it is used.
"""
from __future__ import annotations

import os
from collections import deque
from typing import Any, Iterable, Iterator

from .batch import STDIN, Done, Options, _size_of, expand_inputs, process_one, timeout_record
from .models import error_record

CHUNK = 16  # documents per task: amortises scheduling (~1 ms a task) over ~16 documents
SLACK = 30.0  # seconds a chunk may wait on top of its documents' budgets (scheduling, transfer)


def _process_chunk(chunk: list[tuple[str, str]], opts: Options) -> list[tuple[str, list[dict[str, Any]], int]]:
    """Run on a worker: ``(absolute path, source)`` pairs → ``(source, records, bytes)``."""
    return [(src, process_one(path, opts, source=src), _size_of(path)) for path, src in chunk]


def _process_text(item: tuple[str, str], opts: Options) -> list[dict[str, Any]]:
    from .models import ExtractError
    from .pipeline import extract_document

    source, text = item
    try:
        doc = extract_document(text, source)
    except ExtractError as e:
        return [error_record(source, e.code, e.message)]
    except Exception as e:  # one bad document never kills a batch
        return [error_record(source, "internal", f"{type(e).__name__}: {e}")]
    return doc.flat_json(opts.explain) if opts.flat else [doc.to_json(opts.with_text, opts.explain)]


def extract_bag(paths, opts: Options | None = None, npartitions: int | None = None):
    """A ``dask.bag`` of records (one per document, or one per obligation with ``flat``).

    ``paths`` is a list of file paths or a ``dask.bag.Bag`` of them; the workers
    must be able to read them.  Order within the bag follows the input.
    """
    import dask.bag as db

    opts = opts or Options()
    if not isinstance(paths, db.Bag):
        paths = list(paths)
        paths = db.from_sequence(paths, npartitions=npartitions or max(1, min(len(paths), 256)))
    return paths.map(process_one, opts=opts).flatten()


def extract_text_bag(items, opts: Options | None = None, npartitions: int | None = None):
    """A ``dask.bag`` of records from ``(source, text)`` pairs (texts already in memory)."""
    import dask.bag as db

    opts = opts or Options()
    if not isinstance(items, db.Bag):
        items = list(items)
        items = db.from_sequence(items, npartitions=npartitions or max(1, min(len(items), 256)))
    return items.map(_process_text, opts=opts).flatten()


def run_dask(paths: Iterable[str], opts: Options | None, address, done: set[str] | None = None,
             chunk: int = CHUNK, window: int | None = None) -> Iterator[Done]:
    """Like :func:`extract.batch.run_docs`, on the cluster at ``address`` (or a ``Client``)."""
    from distributed import Client, TimeoutError as DaskTimeout

    opts = opts or Options()
    done = done or set()
    own = not isinstance(address, Client)
    client = Client(address) if own else address
    try:
        nworkers = max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()))
        window = window or nworkers * 4
        head_since: float | None = None
        queue: deque = deque()  # items: ("ready", [Done]) or ("future", future, [sources])

        def flush_chunk(buf: list[tuple[str, str]]):
            fut = client.submit(_process_chunk, list(buf), opts, pure=False)
            queue.append(("future", fut, [src for _, src in buf]))

        buf: list[tuple[str, str]] = []
        inputs = iter((p, err) for p, err in expand_inputs(paths) if p not in done)
        exhausted = False
        import time

        while True:
            while not exhausted and sum(1 for q in queue if q[0] == "future") < window:
                try:
                    p, err = next(inputs)
                except StopIteration:
                    exhausted = True
                    if buf:
                        flush_chunk(buf)
                        buf = []
                    break
                if err is not None or p == STDIN:
                    if buf:
                        flush_chunk(buf)
                        buf = []
                    rec = err or error_record(p, "unsupported_format", "standard input cannot go to a cluster")
                    queue.append(("ready", [Done(p, [rec])]))
                    continue
                buf.append((os.path.abspath(p), p))
                if len(buf) >= chunk:
                    flush_chunk(buf)
                    buf = []
            if not queue:
                if exhausted:
                    return
                continue
            item = queue[0]
            if item[0] == "ready":
                queue.popleft()
                yield from item[1]
                continue
            _, fut, sources = item
            if head_since is None:
                head_since = time.monotonic()
            budget = None
            if opts.timeout:
                budget = max(0.0, opts.timeout * len(sources) + SLACK - (time.monotonic() - head_since))
            try:
                results = fut.result(timeout=budget)
            except (DaskTimeout, TimeoutError):
                fut.cancel()
                results = [(s, [timeout_record(s, opts.timeout)], 0) for s in sources]
            except Exception as e:  # a worker lost, a task that could not run: one record per input
                results = [(s, [error_record(s, "internal", f"cluster: {type(e).__name__}: {e}")], 0)
                           for s in sources]
            queue.popleft()
            head_since = None
            for src, recs, nbytes in results:
                yield Done(src, recs, nbytes)
    finally:
        for q in queue:
            if q[0] == "future":
                q[1].cancel()
        if own:
            client.close()
