"""glibc's malloc arenas capped for the Slack app: checked in a child by counting the heaps malloc_info lists."""

from __future__ import annotations

import subprocess
import sys

import pytest

# eight threads each allocate (and keep) 64 KiB blocks; malloc_info then lists one <heap> per arena in use
CHILD = r"""
import ctypes, ctypes.util, sys, threading
from bot.memory import cap_malloc_arenas
capped = cap_malloc_arenas() if sys.argv[1] == "cap" else False
kept, started = [], threading.Barrier(8)
def work():
    started.wait()  # all eight alive at once, so none can reuse another's arena as idle
    kept.extend(bytearray(64 * 1024) for _ in range(20))
threads = [threading.Thread(target=work) for _ in range(8)]
[t.start() for t in threads]; [t.join() for t in threads]
libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.fopen.restype = ctypes.c_void_p
out = libc.fopen(sys.argv[2].encode(), b"w")
libc.malloc_info(0, ctypes.c_void_p(out)); libc.fclose(ctypes.c_void_p(out))
print(capped, open(sys.argv[2]).read().count("<heap nr="))
"""


def _heaps(mode: str, tmp_path, **env) -> tuple[str, int]:
    done = subprocess.run([sys.executable, "-c", CHILD, mode, str(tmp_path / f"{mode}.xml")], capture_output=True,
                          text=True, check=True, env={"PATH": "/usr/bin:/bin", **env})
    capped, heaps = done.stdout.split()
    return capped, int(heaps)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc arenas")
def test_the_cap_keeps_eight_threads_in_two_arenas(tmp_path):
    assert _heaps("cap", tmp_path) == ("True", 2)
    capped, heaps = _heaps("free", tmp_path)  # the same threads without the cap spread over more arenas
    assert capped == "False" and heaps > 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc arenas")
def test_an_operators_malloc_arena_max_wins(tmp_path):
    assert _heaps("cap", tmp_path, MALLOC_ARENA_MAX="3") == ("False", 3)
