"""Logging for every front end: to stderr, with secrets redacted and terminal controls escaped everywhere.

Everything newsbot writes to stderr goes through `redact`: log messages, the tracebacks printed with
them, exception strings, the CLI's error lines, and uncaught exceptions (sys and thread hooks).
`printable` escapes the control characters an article (or a file name) could use to drive a terminal.
"""

from __future__ import annotations

import logging
import re
import sys
import tempfile
import threading
import traceback
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pydantic costs a third of a second: `newsbot --help` never loads the settings
    from bot.settings import Settings

# (pattern, replacement): token shapes, credentials in headers and urls, whatever the secret's value
PATTERNS = [
    (re.compile(r"\b(xox[a-z]-[\w-]+|xapp-[\w-]+|sk-[\w-]{8,})"), "[redacted]"),
    (re.compile(r"\b([Bb]earer|Basic)(\s+)(?=[\w.~+/=-]*\d)[\w.~+/=-]{8,}"), r"\1\2[redacted]"),
    (re.compile(r"""(?i)(["']?(?:authorization|x-api-key|api[-_]key|x-chroma-token)["']?\s*[:=]\s*["']?)[^"'\s,}]+"""),
     r"\1[redacted]"),
    (re.compile(r"(://[^:/@\s]+:)[^@\s/]+@"), r"\1[redacted]@"),  # scheme://user:password@host
]


# C0 controls but tab and newline, DEL, C1 controls (CSI, OSC...), and bidi overrides that reorder what is shown
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text that cannot move the cursor, clear the screen or set a title: controls shown as \\x1b, \\u202e."""
    return CONTROLS.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


class Redactor:
    """Scrubs known token shapes and the configured secrets (with their url-encoded forms) from text."""

    def __init__(self, secrets: list[str] = ()):
        from urllib.parse import quote

        values = {s for s in secrets if len(s) >= 6} | {quote(s, safe="") for s in secrets if len(s) >= 6}
        self.secrets = sorted(values, key=len, reverse=True)  # longest first: no partial leftovers

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        for pattern, replacement in PATTERNS:
            text = pattern.sub(replacement, text)
        return text


_current = Redactor()


def redact(text: str) -> str:
    """Text safe for stderr and the log (secrets out, controls escaped), under the last setup_logging's secrets."""
    return printable(_current(str(text)))


class RedactSecrets(logging.Filter):
    """Scrub secrets from a record's message and traceback, for every handler that sees the record after."""

    def __init__(self, redactor: Redactor | list[str]):
        super().__init__()
        self.redactor = redactor if isinstance(redactor, Redactor) else Redactor(redactor)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.redactor(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:  # formatted once here, then reused by every formatter
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            record.exc_text = self.redactor(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redactor(record.stack_info)
        return True


class RedactingFormatter(logging.Formatter):
    """The last line of defence: the whole formatted record, traceback included, is redacted."""

    def __init__(self, fmt: str, redactor: Redactor):
        super().__init__(fmt)
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        return printable(self.redactor(super().format(record)))


def print_exception(exc_type, exc, tb, file=None) -> None:
    """An uncaught exception's traceback, redacted, on stderr."""
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    print(redact(text), end="", file=file or sys.stderr)


def new_reference() -> str:
    """A short reference for an unexpected error, shown to whoever met it and logged beside its traceback."""
    return uuid.uuid4().hex[:8]


def unexpected(prefix: str, exc: BaseException) -> str:
    """One redacted line for an error newsbot did not expect, with a reference to its redacted traceback."""
    ref = new_reference()
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    line = f"{prefix}: unexpected error ({type(exc).__name__}{': ' + first if first else ''}); reference {ref}"
    path = Path(tempfile.gettempdir()) / f"newsbot-error-{ref}.txt"
    try:
        with path.open("w", encoding="utf-8", errors="backslashreplace") as out:
            print_exception(type(exc), exc, exc.__traceback__, file=out)
        return redact(f"{line}, traceback in {path}")
    except OSError:  # no room for it either: the line still says what happened
        return redact(line)


def _thread_hook(args) -> None:
    """threading.excepthook: a thread's uncaught exception, redacted."""
    if args.exc_type is SystemExit:
        return
    print(redact(f"Exception in thread {args.thread.name if args.thread else '?'}:"), file=sys.stderr)
    print_exception(args.exc_type, args.exc_value, args.exc_traceback)


class CleanupNoise(logging.Filter):
    """Drops psycopg's "error ignored terminating/in rollback" lines: the failure behind them is reported, named."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("error ignored ")


def setup_logging(settings: Settings, level: str = "INFO") -> None:
    """Log to stderr with secrets redacted, whatever a library logs, and redact uncaught exceptions too."""
    global _current
    _current = Redactor(settings.secrets)
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", _current))
    handler.addFilter(RedactSecrets(_current))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in [n for n in logging.root.manager.loggerDict if n == "newsbot" or n.startswith("newsbot.")]:
        logging.getLogger(name).setLevel(logging.NOTSET)  # a level left by an earlier command (follow, watch) ends
    for noisy in ("httpx", "chromadb", "sentence_transformers", "urllib3", "trafilatura", "htmldate"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for driver in ("psycopg", "psycopg.transaction"):  # a lost server is one named line, not three
        if not any(isinstance(f, CleanupNoise) for f in logging.getLogger(driver).filters):
            logging.getLogger(driver).addFilter(CleanupNoise())
    sys.excepthook = print_exception
    threading.excepthook = _thread_hook
