"""Running children for the fault suite: the CLI without the capabilities root reads past permissions with, in a mount namespace of its own, with bytes in.

Permission cases run the CLI in a child without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (the tests run
as root, who otherwise reads everything); a full disk is a small tmpfs mounted in a child's own mount
namespace. Where the machine allows neither, those tests are skipped with the reason.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

NEWSBOT = str(Path(sys.executable).with_name("newsbot"))
NO_DAC = ["--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-dac_override,-dac_read_search"]


@functools.cache
def _drop_problem() -> str:
    """Why a child cannot run without the permission-bypassing capabilities ('' when it can)."""
    if os.geteuid() != 0:
        return ""  # permissions already apply
    if not shutil.which("setpriv"):
        return "setpriv (util-linux) is not installed"
    probe = subprocess.run(["setpriv", *NO_DAC, "true"], capture_output=True, text=True)
    return f"setpriv cannot drop capabilities here: {probe.stderr.strip()}" if probe.returncode else ""


@functools.cache
def _mount_problem() -> str:
    """Why a child cannot mount a tmpfs in its own mount namespace ('' when it can)."""
    if not shutil.which("unshare"):
        return "unshare (util-linux) is not installed"
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"],
                           capture_output=True, text=True)
    return f"cannot mount a tmpfs here ({probe.stderr.strip() or probe.returncode})" if probe.returncode else ""


def unprivileged(argv: list[str]) -> list[str]:
    """argv run without the capabilities that let root ignore file permissions (skips when impossible)."""
    if problem := _drop_problem():
        pytest.skip(f"permission case needs a capability-dropped child: {problem}")
    return ["setpriv", *NO_DAC, *argv] if os.geteuid() == 0 else argv


def require_tmpfs() -> None:
    """Skip, with the reason, where a child may not mount a small tmpfs."""
    if problem := _mount_problem():
        pytest.skip(f"full-disk case needs a small tmpfs: {problem}")


def run(argv: list[str], stdin: bytes | None = None, timeout: float = 300, **env: str) -> subprocess.CompletedProcess:
    """Run a command with the test's environment (its data dir, no secrets) plus env; bytes in, text out."""
    done = subprocess.run(argv, input=stdin, capture_output=True, timeout=timeout, env={**os.environ, **env})
    done.stdout = done.stdout.decode("utf-8", "backslashreplace")
    done.stderr = done.stderr.decode("utf-8", "backslashreplace")
    return done


def newsbot(*args: str, drop: bool = False, stdin: bytes | None = None, **env: str) -> subprocess.CompletedProcess:
    """The newsbot console script in a child (without the capabilities root reads past permissions with, if drop)."""
    argv = [NEWSBOT, *args]
    return run(unprivileged(argv) if drop else argv, stdin=stdin, **env)


def one_line_error(stderr: str) -> str:
    """The one error line a failed command printed (asserts there is exactly one and no traceback)."""
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert "Traceback" not in stderr, stderr
    assert len(lines) == 1, stderr
    return lines[0]
