"""Many documents: input expansion, order, parallelism, atomic output, resume.

Each input yields its records in input order, whatever ``jobs`` is.  Output
lines are written whole and flushed one by one into ``OUT.part``; the file is
renamed to ``OUT`` when the run ends, so a crash never leaves a half-written
line in ``OUT`` and ``--resume`` can pick up both.
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from .models import error_record
from .readers import SUPPORTED_SUFFIXES

STDIN = "-"


@dataclass
class Options:
    with_text: bool = False
    flat: bool = False
    explain: bool = False
    max_bytes: int | None = None
    timeout: float | None = None


def expand_inputs(paths: Iterable[str]) -> Iterator[tuple[str, dict[str, Any] | None]]:
    """Yield ``(path, None)`` for each document, or ``(path, error_record)`` for a bad input."""
    for p in paths:
        if p == STDIN:
            yield p, None
            continue
        path = Path(p)
        if path.is_dir():
            found = False
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    if Path(name).suffix.lower() in SUPPORTED_SUFFIXES - {""}:
                        found = True
                        yield str(Path(root) / name), None
            if not found:
                yield p, error_record(p, "empty", "folder has no documents (.txt, .html, .docx, .pdf)")
        elif not path.exists():
            yield p, error_record(p, "not_found", f"no such file or folder: {p}")
        else:
            yield p, None


def _process_one(args: tuple[str, Options]) -> list[dict[str, Any]]:
    path, opts = args
    from .pipeline import process_path

    if opts.timeout:
        return _with_timeout(path, opts)
    return process_path(path, opts.max_bytes, opts.with_text, opts.explain, opts.flat)


def _with_timeout(path: str, opts: Options) -> list[dict[str, Any]]:
    """Run one document under a wall-clock budget (SIGALRM, main thread of a process)."""
    import signal

    from .pipeline import process_path

    def on_alarm(signum, frame):
        raise TimeoutError

    if not hasattr(signal, "SIGALRM"):
        return process_path(path, opts.max_bytes, opts.with_text, opts.explain, opts.flat)
    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, opts.timeout)
    try:
        return process_path(path, opts.max_bytes, opts.with_text, opts.explain, opts.flat)
    except TimeoutError:
        return [error_record(path, "timeout", f"took longer than {opts.timeout:g} s (--timeout)")]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def process_stdin(opts: Options, stream: IO[bytes] | None = None) -> list[dict[str, Any]]:
    from .models import ExtractError
    from .pipeline import extract_document
    from .readers import DEFAULT_MAX_BYTES, read_bytes

    data = (stream or sys.stdin.buffer).read((opts.max_bytes or DEFAULT_MAX_BYTES) + 1)
    if len(data) > (opts.max_bytes or DEFAULT_MAX_BYTES):
        return [error_record(STDIN, "too_large", "standard input is over the size limit (--max-size)")]
    try:
        text, warnings = read_bytes(data, ".txt", STDIN)
        doc = extract_document(text, STDIN)
        doc.warnings[:0] = warnings
    except ExtractError as e:
        return [error_record(STDIN, e.code, e.message)]
    except Exception as e:  # pragma: no cover - defensive
        return [error_record(STDIN, "internal", f"{type(e).__name__}: {e}")]
    return doc.flat_json(opts.explain) if opts.flat else [doc.to_json(opts.with_text, opts.explain)]


def run(paths: list[str], opts: Options, jobs: int = 1, done: set[str] | None = None,
        progress=None) -> Iterator[dict[str, Any]]:
    """Records for ``paths`` in input order.  ``done`` sources are skipped (resume)."""
    done = done or set()
    todo: list[tuple[str, dict[str, Any] | None]] = [
        (p, err) for p, err in expand_inputs(paths) if p not in done
    ]
    files = [p for p, err in todo if err is None and p != STDIN]
    if jobs > 1 and len(files) > 1:
        import multiprocessing as mp

        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        with ctx.Pool(min(jobs, len(files))) as pool:
            results = pool.imap(_process_one, [(p, opts) for p in files], chunksize=4)
            for p, err in todo:
                recs = [err] if err else process_stdin(opts) if p == STDIN else next(results)
                if progress:
                    progress(p)
                yield from recs
        return
    for p, err in todo:
        recs = [err] if err else process_stdin(opts) if p == STDIN else _process_one((p, opts))
        if progress:
            progress(p)
        yield from recs


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": ")) + "\n"


def read_done(out: str) -> set[str]:
    """Sources already present in ``out`` (and its ``.part``), for ``--resume``."""
    done: set[str] = set()
    for f in (out, out + ".part"):
        if not os.path.exists(f):
            continue
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                if not line.endswith("\n"):
                    break  # a torn last line is redone
                try:
                    done.add(json.loads(line)["source"])
                except (ValueError, KeyError, TypeError):
                    continue
    return done


class AtomicWriter:
    """Line-at-a-time writer into ``OUT.part``, renamed to ``OUT`` on close."""

    def __init__(self, out: str, resume: bool = False):
        self.out = out
        self.part = out + ".part"
        prior: list[str] = []
        if resume:
            for f in (out, self.part):
                if os.path.exists(f):
                    with open(f, encoding="utf-8") as fh:
                        prior.extend(line for line in fh if line.endswith("\n"))
        self.fh = open(self.part, "w", encoding="utf-8")
        for line in prior:
            self.fh.write(line)
        self.fh.flush()

    def write(self, line: str) -> None:
        self.fh.write(line)
        self.fh.flush()

    def close(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.part, self.out)
