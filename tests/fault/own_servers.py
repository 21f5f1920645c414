"""A PostgreSQL cluster and a `chroma run` server of the test's own, on free loopback ports, to kill and restart.

Started the way .ci/servers.sh starts CI's (initdb as the postgres user when root, trust auth, no fsync),
but owned by one test, so killing them leaves every other test's servers alone. Without the binaries
the test is skipped, or fails under NEWSBOT_REQUIRE_SERVERS=1 (CI, where a skip would hide a broken setup).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

CHROMA = Path(sys.executable).with_name("chroma")


def _missing(what: str) -> None:
    """Skip (or fail in CI) for a server binary that is not installed."""
    if os.environ.get("NEWSBOT_REQUIRE_SERVERS"):
        pytest.fail(f"outage tests need {what}")
    pytest.skip(f"outage tests need {what}")


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _owner(argv: list[str]) -> list[str]:
    """initdb and pg_ctl refuse root: run them as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


class Postgres:
    """One throwaway cluster: start(), kill() (immediate stop, as a crash), start() again on the same port."""

    def __init__(self, folder: Path):
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: p.parent.parent.name)
        if not bins:
            _missing("PostgreSQL (/usr/lib/postgresql/*/bin)")
        self.bin, self.dir, self.port = bins[-1].parent, folder / "pg", free_port()
        self.dir.mkdir(parents=True)
        if os.geteuid() == 0:
            os.chown(self.dir, *_postgres_ids())
        self.dir.chmod(0o700)
        subprocess.run(_owner([str(self.bin / "initdb"), "-D", str(self.dir), "-U", "newsbot", "--auth=trust",
                               "-E", "UTF8", "--locale=C.UTF-8"]), check=True, capture_output=True, timeout=300)

    @property
    def url(self) -> str:
        """The cluster's database url (trust auth: no password to leak)."""
        return f"postgresql+psycopg://newsbot@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        """Start (or restart) the cluster and wait until it takes connections."""
        opts = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off")
        subprocess.run(_owner([str(self.bin / "pg_ctl"), "-D", str(self.dir), "-l", str(self.dir / "log"), "-w",
                               "-t", "120", "start", "-o", opts]), check=True, capture_output=True, timeout=180)

    def kill(self) -> None:
        """Stop at once, as a crash would (no checkpoint, clients cut off)."""
        subprocess.run(_owner([str(self.bin / "pg_ctl"), "-D", str(self.dir), "-m", "immediate", "-w", "stop"]),
                       capture_output=True, timeout=120)


def _postgres_ids() -> tuple[int, int]:
    """uid and gid of the postgres user the package created."""
    import pwd

    entry = pwd.getpwnam("postgres")
    return entry.pw_uid, entry.pw_gid


class ChromaServer:
    """One `chroma run` on its own port and store: start(), kill() (SIGKILL), start() again."""

    def __init__(self, folder: Path):
        if not CHROMA.exists():
            _missing(f"the chroma command ({CHROMA})")
        self.dir, self.port, self.proc = folder / "chroma", free_port(), None

    def start(self, timeout: float = 120) -> None:
        """Start the server and wait for its heartbeat."""
        with open(self.dir.parent / "chroma.log", "ab") as log:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen([str(CHROMA), "run", "--path", str(self.dir), "--host", "127.0.0.1",
                                          "--port", str(self.port)], stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=1)
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.3)
        raise RuntimeError(f"chroma did not start: {(self.dir.parent / 'chroma.log').read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL, as a crash would."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(30)


@pytest.fixture
def own_servers(monkeypatch):
    """This test's own PostgreSQL and Chroma server, started, with the settings pointing at them."""
    # not under pytest's tmp dir: as root, the cluster belongs to the postgres user, who must reach it
    folder = Path(tempfile.mkdtemp(prefix="newsbot-outage-"))
    folder.chmod(0o755)
    try:
        pg, chroma = Postgres(folder), ChromaServer(folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    try:
        pg.start()
        chroma.start()
        for name, value in (("NEWSBOT_DATABASE_URL", pg.url), ("CHROMA_HOST", "127.0.0.1"),
                            ("CHROMA_PORT", str(chroma.port))):
            monkeypatch.setenv(name, value)
        yield pg, chroma
    finally:
        chroma.kill()
        pg.kill()
        shutil.rmtree(folder, ignore_errors=True)
