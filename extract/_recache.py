"""Compiled regular expressions kept across runs, as ``__pycache__`` keeps compiled modules.

The pipeline's ~260 patterns (gazetteer alternations of hundreds of names among them) take
about 0.4 s to compile with ``regex``, whose compiler is written in Python: most of a
short run's time to its first record.  What the compiler produces is plain data (a list of
opcodes, group tables, flags) that ``regex``'s C core turns into a pattern object in
microseconds.  This module stores that data per pattern in a file in the user's cache
directory and hands it straight to the C core on later runs.

* Opt-in per process: :func:`enable` (the ``nhiemvu`` command calls it; a library user
  compiling once in a long-lived process gains nothing from it).
* Transparent: a pattern made from the cache is the one ``regex.compile`` would make (same
  pattern string, flags, groups and code); anything unexpected (another ``regex`` or Python
  version, a damaged file, a named list, LOCALE/DEBUG flags) falls back to ``regex``'s own
  compiler.  ``NHIEMVU_REGEX_CACHE=0`` turns it off.
* The file is keyed by the ``regex`` and Python versions and holds only patterns, never
  text; writes are atomic (temporary file + rename) and failures to write are ignored.
"""
from __future__ import annotations

import marshal
import os
import sys
import tempfile
import threading
from typing import Any, Callable

import regex
import regex._main as _main

__all__ = ["enable", "save", "cache_path", "stats"]

_FORMAT = "nhiemvu-regex-cache/2"
_MAX_ENTRIES = 4096

_lock = threading.RLock()
_entries: dict[tuple[str, int, int], tuple] = {}  # from disk and from this run
_compiled: dict[tuple[str, int, int], Any] = {}  # this process's pattern objects
_derived: dict[tuple[str, str], Any] = {}  # (kind, pattern source) -> what was read off it
_MISSING = object()
_new = 0  # entries compiled in this process, not yet saved
_hits = 0
_misses = 0
_orig_compile = None


def cache_path() -> str:
    base = os.environ.get("NHIEMVU_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "nhiemvu")
    v = sys.version_info
    return os.path.join(base, f"regex-{regex.__version__}-py{v[0]}.{v[1]}.marshal")


def stats() -> dict[str, int]:
    return {"entries": len(_entries), "hits": _hits, "misses": _misses, "unsaved": _new,
            "derived": len(_derived)}


def derived(kind: str, source: str, compute: Callable[[str], Any]) -> Any:
    """``compute(source)``, kept with the compiled patterns across runs when the cache is on:
    for what is read off a pattern's source at start-up (``extract._literals``).  The value must
    be made of builtins (tuples, frozensets, strings, numbers) and depend on ``source`` alone."""
    global _new
    if _orig_compile is None:
        return compute(source)
    key = (kind, source)
    value = _derived.get(key, _MISSING)
    if value is _MISSING:
        value = _derived[key] = compute(source)
        _new += 1
    return value


def _load() -> None:
    try:
        with open(cache_path(), "rb") as f:
            data = marshal.loads(f.read())  # (marshal.load on a file reads item by item: 20x slower)
    except (OSError, EOFError, ValueError, TypeError):
        return
    if not (isinstance(data, tuple) and len(data) == 4 and data[0] == _FORMAT and data[1] == regex.__version__
            and isinstance(data[2], dict) and isinstance(data[3], dict)):
        return
    for key, value in data[3].items():
        if isinstance(key, tuple) and len(key) == 2 and isinstance(key[0], str) and isinstance(key[1], str):
            _derived[key] = value
    for key, args in data[2].items():
        if (isinstance(key, tuple) and len(key) == 3 and isinstance(key[0], str) and isinstance(args, tuple)
                and len(args) == 10 and isinstance(args[1], list)):
            _entries[key] = args


def _plain(o: Any) -> Any:
    """The compiler's output with enum flags turned into plain ints (marshal takes only builtins)."""
    if isinstance(o, bool) or o is None or isinstance(o, str):
        return o
    if isinstance(o, int):
        return int(o)
    if isinstance(o, list):
        return [_plain(x) for x in o]
    if isinstance(o, tuple):
        return tuple(_plain(x) for x in o)
    if isinstance(o, dict):
        return {_plain(k): _plain(v) for k, v in o.items()}
    raise TypeError(type(o).__name__)


class _Recorder:
    """Stands in for the ``_regex`` C module while one pattern is compiled, to keep the
    arguments the compiler passes to ``_regex.compile``."""

    def __init__(self, real: Any, pattern: str):
        self._real = real
        self._pattern = pattern
        self.args: tuple | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def compile(self, pattern, *args):  # noqa: A003 - mirrors _regex.compile
        if pattern == self._pattern and self.args is None:
            try:
                self.args = _plain(args)
            except TypeError:
                self.args = None
        return self._real.compile(pattern, *args)


def _cached_compile(pattern, flags, ignore_unused, kwargs, cache_it):
    global _hits, _misses, _new
    if (kwargs or not isinstance(pattern, str) or not cache_it
            or flags & (regex.DEBUG | regex.LOCALE) or "(?L" in pattern):
        return _orig_compile(pattern, flags, ignore_unused, kwargs, cache_it)
    key = (pattern, int(flags), int(getattr(regex, "DEFAULT_VERSION", 0)))
    p = _compiled.get(key)
    if p is not None:
        return p
    args = _entries.get(key)
    if args is not None:
        try:
            p = _main._regex.compile(pattern, *args)
            _hits += 1
            _compiled[key] = p
            return p
        except Exception:  # an entry the C core does not take: forget it, compile as usual
            _entries.pop(key, None)
    with _lock:
        real = _main._regex
        if isinstance(real, _Recorder):  # compiling from inside a compile: no recording
            return _orig_compile(pattern, flags, ignore_unused, kwargs, cache_it)
        rec = _Recorder(real, pattern)
        _main._regex = rec
        try:
            p = _orig_compile(pattern, flags, ignore_unused, kwargs, cache_it)
        finally:
            _main._regex = real
    _misses += 1
    _compiled[key] = p
    if rec.args is not None and len(_entries) < _MAX_ENTRIES:
        _entries[key] = rec.args
        _new += 1
    return p


def _compatible() -> bool:
    """Does this ``regex`` compile the way this module expects (checked, not assumed)?"""
    f = getattr(_main, "_compile", None)
    code = getattr(f, "__code__", None)
    if code is None or not hasattr(_main, "_regex"):
        return False
    return code.co_varnames[:code.co_argcount] == ("pattern", "flags", "ignore_unused", "kwargs", "cache_it")


def enable() -> bool:
    """Serve ``regex`` compiles in this process from the cache file (loaded now) and record the
    others; False when turned off by ``NHIEMVU_REGEX_CACHE=0`` or not possible here."""
    global _orig_compile
    if os.environ.get("NHIEMVU_REGEX_CACHE", "1").strip() in ("0", "false", "no", "off"):
        return False
    with _lock:
        if _orig_compile is not None:
            return True
        if not _compatible():
            return False
        _load()
        _orig_compile = _main._compile
        _main._compile = _cached_compile
    return True


def save() -> bool:
    """Write the entries compiled in this process to the cache file (merged with what another
    process may have written meanwhile).  Atomic; False when there was nothing to write or the
    directory is not writable."""
    global _new
    if _orig_compile is None or not _new:
        return False
    path = cache_path()
    with _lock:
        mine = dict(_entries)
        mine_derived = dict(_derived)
        _new = 0
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        try:
            with open(path, "rb") as f:
                data = marshal.loads(f.read())
            if (isinstance(data, tuple) and len(data) == 4 and data[0] == _FORMAT and data[1] == regex.__version__
                    and isinstance(data[2], dict) and isinstance(data[3], dict)):
                for k, v in data[2].items():
                    if len(mine) >= _MAX_ENTRIES:
                        break
                    mine.setdefault(k, v)
                for k, v in data[3].items():
                    if len(mine_derived) >= _MAX_ENTRIES:
                        break
                    mine_derived.setdefault(k, v)
        except (OSError, EOFError, ValueError, TypeError):
            pass
        fd, tmp = tempfile.mkstemp(prefix=".regex-", suffix=".part", dir=os.path.dirname(path))
        try:
            with os.fdopen(fd, "wb") as f:
                marshal.dump((_FORMAT, regex.__version__, mine, mine_derived), f)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except (OSError, ValueError):
        return False
    return True
