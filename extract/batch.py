"""Many documents: input expansion, order, parallelism, limits, atomic output, resume.

* :func:`process_one` is *the* per-document function: path → its records (one
  document record, one line per obligation with ``flat``, or one error record).
  It never raises.  The local pool, the serial loop and the Dask path
  (:mod:`extract.dask`) all call it.
* :func:`run_docs` yields one :class:`Done` per input, in input order, whatever
  ``jobs`` is.  Inputs are read lazily and at most ``window`` documents are in
  flight or waiting to be written, so memory stays flat however many files.
* Limits: a file over ``max_bytes`` gets a ``too_large`` record without being
  read; a document over ``timeout`` seconds gets a ``timeout`` record.  The
  budget is enforced inside the worker (SIGALRM) and, in case the worker is
  stuck where a signal cannot reach, by the parent, which kills it and starts
  a new one.  A worker that dies (segfault, out of memory) costs one
  ``internal`` error record, never the batch.
* Output: :class:`AtomicWriter` writes each document's lines with one
  ``write`` and flushes, into ``OUT.part``; the file is renamed to ``OUT`` when
  the run ends.  A killed run leaves whole lines in ``OUT.part`` (a torn last
  line is cut off when resuming); ``--resume`` (:func:`read_done`) skips every
  source already there and appends the rest.
"""
from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

from .models import error_record
from .readers import SUPPORTED_SUFFIXES

STDIN = "-"
DEFAULT_TIMEOUT = 60.0  # seconds per document; 0 or None = no budget
HARD_KILL_GRACE = 2.0  # the parent kills a worker this long after its own alarm should have fired


@dataclass
class Options:
    with_text: bool = False
    flat: bool = False
    explain: bool = False
    max_bytes: int | None = None
    timeout: float | None = DEFAULT_TIMEOUT


@dataclass
class Done:
    """One input's outcome: its source, its records (in order) and its size in bytes."""

    source: str
    records: list[dict[str, Any]]
    nbytes: int = 0

    @property
    def failed(self) -> bool:
        return any("error" in r for r in self.records)


# ------------------------------------------------------------------ inputs ----

def expand_inputs(paths: Iterable[str]) -> Iterator[tuple[str, dict[str, Any] | None]]:
    """Yield ``(path, None)`` for each document, or ``(path, error_record)`` for a bad input.

    Folders are walked lazily (sorted, hidden entries skipped), so a folder of a
    million files costs no memory up front.
    """
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


def count_inputs(paths: Iterable[str], done: set[str] | None = None) -> tuple[int, int]:
    """(documents, bytes) the inputs hold, for a progress bar's total."""
    n = size = 0
    done = done or set()
    for p, err in expand_inputs(paths):
        if p in done:
            continue
        n += 1
        if err is None and p != STDIN:
            try:
                size += os.path.getsize(p)
            except OSError:
                pass
    return n, size


# -------------------------------------------------------- one document ----

def _extract_path(path: str, opts: Options) -> list[dict[str, Any]]:
    from .pipeline import process_path

    return process_path(path, opts.max_bytes, opts.with_text, opts.explain, opts.flat)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def process_one(path: str, opts: Options | None = None, source: str | None = None) -> list[dict[str, Any]]:
    """The per-document function: the records of one file; never raises.

    ``source`` (default: ``path``) is what the records call the input, e.g. the
    path as the user gave it while ``path`` is absolute on a cluster worker.
    The time budget is applied here when the call runs in a main thread
    (SIGALRM); elsewhere the caller enforces it.
    """
    opts = opts or Options()
    source = path if source is None else source
    try:
        if opts.timeout and _in_main_thread() and hasattr(__import__("signal"), "SIGALRM"):
            recs = _with_alarm(path, opts)
        else:
            recs = _extract_path(path, opts)
    except Exception as e:  # the pipeline already turns failures into records; this is a last guard
        recs = [error_record(path, "internal", f"{type(e).__name__}: {e}")]
    if source != path:
        for r in recs:
            if r.get("source") == path:
                r["source"] = source
    return recs


def _with_alarm(path: str, opts: Options) -> list[dict[str, Any]]:
    import signal

    def on_alarm(signum, frame):
        raise _Timeout

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, opts.timeout)
    try:
        return _extract_path(path, opts)
    except _Timeout:
        return [timeout_record(path, opts.timeout)]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` in a stage swallows it."""


def timeout_record(source: str, timeout: float | None) -> dict[str, Any]:
    return error_record(source, "timeout", f"took longer than {timeout or 0:g} s (--timeout)")


def _size_of(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _sniff_suffix(data: bytes) -> str:
    """Standard input has no file name: tell a PDF or a .docx by its first bytes."""
    if data.startswith(b"%PDF-"):
        return ".pdf"
    if data.startswith(b"PK\x03\x04") and b"word/" in data[:65536]:
        return ".docx"
    return ".txt"


def process_stdin(opts: Options, stream: IO[bytes] | None = None) -> list[dict[str, Any]]:
    from .models import ExtractError
    from .pipeline import extract_document
    from .readers import DEFAULT_MAX_BYTES, read_bytes

    limit = opts.max_bytes or DEFAULT_MAX_BYTES
    data = (stream or sys.stdin.buffer).read(limit + 1)
    if len(data) > limit:
        return [error_record(STDIN, "too_large", "standard input is over the size limit (--max-size)")]
    try:
        text, warnings = read_bytes(data, _sniff_suffix(data), STDIN)
        doc = extract_document(text, STDIN)
        doc.warnings[:0] = warnings
    except ExtractError as e:
        return [error_record(STDIN, e.code, e.message)]
    except Exception as e:  # pragma: no cover - defensive
        return [error_record(STDIN, "internal", f"{type(e).__name__}: {e}")]
    return doc.flat_json(opts.explain) if opts.flat else [doc.to_json(opts.with_text, opts.explain)]


# ------------------------------------------------------------ local pool ----

def _worker_main(conn, opts: Options) -> None:  # pragma: no cover - runs in a child process
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        seq, path = task
        recs = process_one(path, opts)
        try:
            conn.send((seq, recs, _size_of(path)))
        except (BrokenPipeError, OSError):
            return


class _Worker:
    def __init__(self, ctx, opts: Options):
        parent, child = ctx.Pipe(duplex=True)
        self.conn = parent
        self.proc = ctx.Process(target=_worker_main, args=(child, opts), daemon=True)
        self.proc.start()
        child.close()
        self.task: tuple[int, str] | None = None
        self.started = 0.0

    def give(self, seq: int, path: str) -> None:
        self.task = (seq, path)
        self.started = time.monotonic()
        self.conn.send((seq, path))

    def kill(self) -> None:
        try:
            self.proc.kill()
            self.proc.join(5)
        except Exception:  # pragma: no cover
            pass
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(2)
        if self.proc.is_alive():
            self.kill()
        else:
            self.conn.close()


_WARM_LETTER = (
    "ỦY BAN NHÂN DÂN\nTỈNH AN GIANG\nSố: 12/UBND-VP\nAn Giang, ngày 22 tháng 4 năm 2024\n"
    "V/v báo cáo kết quả\nKính gửi:\n- Các sở, ban, ngành tỉnh;\n- Ủy ban nhân dân các huyện.\n"
    "Thực hiện Công văn số 280/CĐ-TTg ngày 19/4/2023 của Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh yêu cầu:\n"
    "1. Sở Nội vụ chủ trì, phối hợp với Sở Tài chính rà soát và báo cáo Ủy ban nhân dân tỉnh trước ngày 15/6/2024.\n"
    "2. Các sở thường xuyên theo dõi, đôn đốc; định kỳ báo cáo trước ngày 25 hằng tháng.\n"
    "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nLê Văn Phước\n"
)
_warm = False


def _warm_up() -> None:
    """Run one small letter in this process, so forked workers start with loaded data and compiled patterns."""
    global _warm
    if _warm:
        return
    _warm = True
    try:
        from .pipeline import extract_text

        extract_text(_WARM_LETTER, "warm-up")
    except Exception:  # pragma: no cover - a warm-up never fails a run
        pass


def _mp_context():
    import multiprocessing as mp

    # fork: workers start at once with the pipeline already loaded in the parent
    return mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()


def _run_pool(tasks: Iterator[tuple[str, dict[str, Any] | None]], opts: Options, jobs: int,
              window: int) -> Iterator[Done]:
    from multiprocessing.connection import wait

    ctx = _mp_context()
    if ctx.get_start_method() == "fork":
        _warm_up()  # load data and compile patterns once, shared copy-on-write by the workers
    workers = [_Worker(ctx, opts) for _ in range(jobs)]
    ready: dict[int, Done] = {}
    todo: deque[tuple[int, str]] = deque()
    hard = (opts.timeout + max(HARD_KILL_GRACE, opts.timeout * 0.5)) if opts.timeout else None
    seq_in = seq_out = 0
    exhausted = False
    try:
        while True:
            # read ahead, at most `window` documents beyond the next one to write
            while not exhausted and seq_in - seq_out < window:
                try:
                    p, err = next(tasks)
                except StopIteration:
                    exhausted = True
                    break
                if err is not None:
                    ready[seq_in] = Done(p, [err])
                elif p == STDIN:
                    ready[seq_in] = Done(p, process_stdin(opts))
                else:
                    todo.append((seq_in, p))
                seq_in += 1
            for w in workers:
                if w.task is None and todo:
                    w.give(*todo.popleft())
            while seq_out in ready:
                yield ready.pop(seq_out)
                seq_out += 1
            if exhausted and seq_out == seq_in:
                return
            busy = [w for w in workers if w.task is not None]
            if not busy:
                continue
            wait_for = None
            if hard:
                now = time.monotonic()
                wait_for = max(0.0, min(w.started + hard - now for w in busy))
            got = wait([w.conn for w in busy], timeout=wait_for)
            for i, w in enumerate(workers):
                if w.task is None:
                    continue
                seq, path = w.task
                if w.conn in got:
                    try:
                        rseq, recs, nbytes = w.conn.recv()
                    except (EOFError, OSError):
                        code = w.proc.exitcode if not w.proc.is_alive() else None
                        w.kill()
                        ready[seq] = Done(path, [error_record(
                            path, "internal", f"the worker process died on this document (exit code {code})")])
                        workers[i] = _Worker(ctx, opts)
                        continue
                    ready[rseq] = Done(path, recs, nbytes)
                    w.task = None
                elif hard and time.monotonic() - w.started > hard:
                    w.kill()
                    ready[seq] = Done(path, [timeout_record(path, opts.timeout)], _size_of(path))
                    workers[i] = _Worker(ctx, opts)
    finally:
        for w in workers:
            if w.task is not None:
                w.kill()
            else:
                w.stop()


# ------------------------------------------------------------------- run ----

def run_docs(paths: Iterable[str], opts: Options | None = None, jobs: int = 1, done: set[str] | None = None,
             window: int | None = None) -> Iterator[Done]:
    """One :class:`Done` per input, in input order; ``done`` sources are skipped (resume)."""
    opts = opts or Options()
    done = done or set()
    tasks = ((p, err) for p, err in expand_inputs(paths) if p not in done)
    if jobs > 1:
        # a pool pays only for two documents or more: look at the first two
        head = [t for _, t in zip(range(2), tasks)]
        tasks = itertools.chain(head, tasks)
        if len(head) > 1:
            yield from _run_pool(tasks, opts, jobs, window or jobs * 8)
            return
    for p, err in tasks:
        if err is not None:
            yield Done(p, [err])
        elif p == STDIN:
            yield Done(p, process_stdin(opts))
        else:
            yield Done(p, process_one(p, opts), _size_of(p))


def run(paths: list[str], opts: Options | None = None, jobs: int = 1, done: set[str] | None = None,
        progress: Callable[[str], None] | None = None) -> Iterator[dict[str, Any]]:
    """Records for ``paths`` in input order (the flat form of :func:`run_docs`)."""
    for d in run_docs(paths, opts, jobs, done):
        if progress:
            progress(d.source)
        yield from d.records


# ------------------------------------------------------------------ output ----

def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": ")) + "\n"


_SOURCE = re.compile(r'"source": ("(?:[^"\\]|\\.)*")')


def _source_of(line: str) -> str | None:
    m = _SOURCE.search(line)  # the first top-level "source" key: no nested object has one
    try:
        if m:
            return json.loads(m.group(1))
        return json.loads(line)["source"]
    except (ValueError, KeyError, TypeError):
        return None


def _complete_lines(path: str) -> Iterator[str]:
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.endswith("\n"):
                yield line


def read_done(out: str) -> set[str]:
    """Sources already present in ``out`` (and its ``.part``), for ``--resume``.

    Only whole lines count: a torn last line (a run killed mid-write) is redone.
    """
    done: set[str] = set()
    for f in (out, out + ".part"):
        if os.path.exists(f):
            for line in _complete_lines(f):
                s = _source_of(line)
                if s is not None:
                    done.add(s)
    return done


def _cut_torn_tail(path: str) -> None:
    """Truncate ``path`` after its last newline (a line the killed run did not finish)."""
    with open(path, "rb+") as fh:
        fh.seek(0, os.SEEK_END)
        end = pos = fh.tell()
        block = 65536
        while pos > 0:
            step = min(block, pos)
            pos -= step
            fh.seek(pos)
            chunk = fh.read(step)
            i = chunk.rfind(b"\n")
            if i >= 0:
                cut = pos + i + 1
                if cut != end:
                    fh.truncate(cut)
                return
        fh.truncate(0)


class AtomicWriter:
    """Writes into ``OUT.part`` and renames it to ``OUT`` on :meth:`close`.

    With ``resume``, what ``OUT`` and ``OUT.part`` already hold is kept (streamed,
    never loaded into memory) and new lines are appended.
    """

    def __init__(self, out: str, resume: bool = False):
        self.out = out
        self.part = out + ".part"
        parent = os.path.dirname(os.path.abspath(out))
        os.makedirs(parent, exist_ok=True)  # "-o out/samples.jsonl" on a fresh checkout
        if resume:
            self._prepare_resume()
            self.fh = open(self.part, "a", encoding="utf-8")
        else:
            self.fh = open(self.part, "w", encoding="utf-8")

    def _prepare_resume(self) -> None:
        have_out, have_part = os.path.exists(self.out), os.path.exists(self.part)
        if have_part:
            _cut_torn_tail(self.part)
        if have_out and not have_part:
            shutil.copyfile(self.out, self.part)
            _cut_torn_tail(self.part)
        elif have_out and have_part:
            # an earlier complete run plus a killed later one: keep OUT's lines for the
            # sources the .part does not have, then the .part
            in_part = {s for s in map(_source_of, _complete_lines(self.part)) if s is not None}
            tmp = self.part + ".merge"
            with open(tmp, "w", encoding="utf-8") as fh:
                for line in _complete_lines(self.out):
                    if _source_of(line) not in in_part:
                        fh.write(line)
                with open(self.part, encoding="utf-8", errors="replace") as src:
                    shutil.copyfileobj(src, fh)
            os.replace(tmp, self.part)

    def write(self, text: str) -> None:
        """Write one document's lines at once and hand them to the OS."""
        self.fh.write(text)
        self.fh.flush()

    def close(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.part, self.out)


# ---------------------------------------------------------------- progress ----

class Progress:
    """Documents, MB, rate and ETA on a terminal (tqdm when installed, else a small line of our own).

    The totals are counted by a background thread, so the first record is not
    held up by a walk over a million files; until they are known no ETA is shown.
    """

    def __init__(self, stream: IO[str] | None = None, min_interval: float = 0.2):
        self.stream = stream or sys.stderr
        self.total_docs: int | None = None
        self.total_bytes: int | None = None
        self.docs = 0
        self.nbytes = 0
        self.failed = 0
        self.t0 = time.monotonic()
        self.min_interval = min_interval
        self._last = 0.0
        try:
            from tqdm import tqdm
        except ImportError:
            self.bar = None
        else:
            self.bar = tqdm(total=None, unit="doc", file=self.stream, dynamic_ncols=True, smoothing=0.1,
                            mininterval=min_interval, leave=True)

    def count_in_background(self, paths: list[str], done: set[str] | None = None) -> None:
        def count():
            n, size = count_inputs(paths, done)
            self.total_docs, self.total_bytes = n, size

        threading.Thread(target=count, name="nhiemvu-count", daemon=True).start()

    def _mb(self) -> str:
        el = max(1e-9, time.monotonic() - self.t0)
        tot = f"/{self.total_bytes / 1e6:.1f}" if self.total_bytes is not None else ""
        return f"{self.nbytes / 1e6:.1f}{tot} MB, {self.nbytes / 1e6 / el:.2f} MB/s" + (
            f", {self.failed} failed" if self.failed else "")

    def update(self, nbytes: int = 0, failed: bool = False) -> None:
        self.docs += 1
        self.nbytes += nbytes
        self.failed += bool(failed)
        if self.bar is not None:
            if self.total_docs is not None and self.bar.total != self.total_docs:
                self.bar.total = self.total_docs
            self.bar.set_postfix_str(self._mb(), refresh=False)
            self.bar.update(1)
            return
        now = time.monotonic()
        if now - self._last >= self.min_interval:
            self._last = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        el = max(1e-9, now - self.t0)
        rate = self.docs / el
        if self.total_docs:
            left = max(0, self.total_docs - self.docs)
            eta = left / rate if rate else 0
            head = f"{self.docs}/{self.total_docs} docs ({100 * self.docs / max(1, self.total_docs):.0f}%)"
            tail = f", ETA {int(eta // 3600)}:{int(eta % 3600 // 60):02d}:{int(eta % 60):02d}"
        else:
            head, tail = f"{self.docs} docs", ""
        self.stream.write(f"\r{head}, {rate:.1f} docs/s, {self._mb()}{tail}\x1b[K")
        self.stream.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(self._mb(), refresh=False)
            self.bar.close()
        else:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()
