"""``regex`` with a cheap compile cache.

``regex.compile`` keeps its own cache, but looking a pattern up there costs about
20 µs; the agency and role scanners call it thousands of times per document with
a few dozen distinct patterns.  This module is a drop-in for ``import regex as re``
whose functions go through an ``lru_cache`` keyed on (pattern, flags).
"""
from __future__ import annotations

from functools import lru_cache

import regex as _regex

from regex import *  # noqa: F401,F403  (constants, Pattern, Match, escape, ...)


@lru_cache(maxsize=4096)
def compile(pattern, flags=0):  # noqa: A001 - mirrors regex.compile
    if isinstance(pattern, _regex.Pattern):
        return pattern
    return _regex.compile(pattern, flags)


def match(pattern, string, flags=0, pos=None, endpos=None):
    p = compile(pattern, flags)
    return p.match(string, *(x for x in (pos, endpos) if x is not None))


def fullmatch(pattern, string, flags=0):
    return compile(pattern, flags).fullmatch(string)


def search(pattern, string, flags=0):
    return compile(pattern, flags).search(string)


def sub(pattern, repl, string, count=0, flags=0):
    return compile(pattern, flags).sub(repl, string, count)


def subn(pattern, repl, string, count=0, flags=0):
    return compile(pattern, flags).subn(repl, string, count)


def split(pattern, string, maxsplit=0, flags=0):
    return compile(pattern, flags).split(string, maxsplit)


def findall(pattern, string, flags=0):
    return compile(pattern, flags).findall(string)


def finditer(pattern, string, flags=0):
    return compile(pattern, flags).finditer(string)
