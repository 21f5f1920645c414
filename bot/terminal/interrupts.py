"""Ctrl-C in the REPL: taken by the prompt's thread alone, and working even when the parent ignored it.

This module imports nothing heavy: it must run before numpy starts OpenBLAS's threads.
"""

from __future__ import annotations

import signal
import threading


def hold_ctrl_c() -> None:
    """Block SIGINT in the main thread, so the threads started from now on (OpenBLAS's when numpy loads, ONNX
    Runtime's, Chroma's) inherit it blocked: the kernel hands a process's signal to any thread not blocking it,
    and one caught by a helper thread does not wake `input()` (the prompt then ignored Ctrl-C)."""
    if threading.current_thread() is threading.main_thread():
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def ctrl_c_interrupts() -> None:
    """Ctrl-C cancels the line or the answer even when newsbot was started with SIGINT ignored or blocked
    (a parent that ignores it passes that on, and Python then installs no handler of its own). A Ctrl-C
    pressed while it was held arrives now."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
