"""newsbot's one error family: every error raised on purpose carries the exit code the CLI ends with."""

from __future__ import annotations


class NewsbotError(Exception):
    """Base of every error newsbot raises on purpose; the CLI maps it to a message and an exit code."""

    exit_code = 1
    scoped = True  # the CLI names the command in front of the message ("newsbot ask: …")


class ConfigError(NewsbotError):
    """A setting that is invalid or cannot be used (the message names it)."""

    scoped = False


class EmbeddingModelError(ConfigError):
    """The embedding model cannot be loaded or exported, or the index was built with another one."""


class BadInput(NewsbotError):
    """A path, file or flag value the command was given that it cannot use."""

    exit_code = 2


class BadFlag(NewsbotError):
    """A flag value of the wrong form (a date that is not one)."""

    scoped = False


class QuestionError(BadInput):
    """A question that cannot be asked (empty, too long)."""


class NothingIndexed(NewsbotError):
    """A command that searches the index, run where nothing is indexed: one line naming the index and what to run."""

    def __init__(self, label: str):
        super().__init__(f"nothing is indexed in {label}: run `newsbot index PATH` (a folder of articles, a file "
                         "or a feed url) first")


class WriterBusy(NewsbotError):
    """Another process is writing to the same index."""

    exit_code = 3


class ArticleError(NewsbotError):
    """A file (or a line of one) that cannot be indexed, with the reason; collected, never fatal to a run."""

    def __init__(self, where: str, reason: str):
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


class FetchError(ArticleError):
    """A url that cannot be fetched or read: refused, unreachable, too big, of the wrong kind; never fatal."""

    def __init__(self, url: str, reason: str, status: int | None = None, transient: bool = False):
        super().__init__(url, reason)
        self.status = status  # the HTTP status when the server answered
        self.transient = transient  # worth trying again on the next poll (network, 5xx, timeouts)


class AddressRefused(FetchError):
    """A url whose host is (or resolves to) a private, loopback or link-local address, with private ones not allowed."""


class DataDirError(NewsbotError):
    """The data dir cannot take a write (full, read-only, not ours): one line naming it, nothing half-written."""

    exit_code = 74  # sysexits' EX_IOERR


class ServerUnavailable(NewsbotError):
    """A PostgreSQL or Chroma server that cannot be reached or went away: named by address and setting, never credentials."""

    exit_code = 69  # sysexits' EX_UNAVAILABLE

    def __init__(self, server: str, address: str, setting: str, reason: str):
        super().__init__(f"the {server} at {address} ({setting}) is unavailable: {reason}")
        self.server, self.address, self.setting, self.reason = server, address, setting, reason

    def for_questions(self) -> str:
        """What a question gets while the server is away."""
        return f"search is unavailable right now ({self}); ask again in a moment"
