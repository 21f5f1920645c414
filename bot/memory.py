"""A long-running bot's memory: glibc's malloc arenas capped, so answering on many threads does not creep up.

glibc gives each new thread its own malloc arena, up to eight per core. The Slack app answers on
Bolt's workers and a thread per HTTP request, so every answer's allocations landed in one of up to
16 arenas on 2 cores, each keeping its freed pages: in a soak of 600 questions at 2 a second the RSS
of two `newsbot slack` processes rose 9.0% and 6.2% and was still rising; with two arenas it rose
4.7% and 6.6% and was flat over the second half (BENCHMARKS-scale.md). Python's GIL runs one thread at
a time anyway, so fewer arenas cost no throughput.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys

log = logging.getLogger("newsbot")

M_ARENA_MAX = -8  # mallopt's parameter number, from glibc's malloc.h
ARENAS = 2


def cap_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas (before the threads start); True when capped. MALLOC_ARENA_MAX, if set, wins."""
    if not sys.platform.startswith("linux") or os.environ.get("MALLOC_ARENA_MAX"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt): nothing to cap
        return False
    if not mallopt(M_ARENA_MAX, arenas):
        log.debug("mallopt(M_ARENA_MAX, %d) was refused", arenas)
        return False
    return True
