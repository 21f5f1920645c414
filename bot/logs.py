"""Logging for every front end: to stderr, with tokens, keys and configured secrets redacted."""

from __future__ import annotations

import logging
import re

from index.settings import Settings


class RedactSecrets(logging.Filter):
    """Scrub Slack tokens, API keys and configured secrets from every log record."""

    PATTERN = re.compile(r"\b(xox[abposr]-[\w-]+|xapp-[\w-]+|sk-[\w-]{8,})")

    def __init__(self, secrets: list[str]):
        super().__init__()
        self.secrets = [s for s in secrets if len(s) >= 6]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.PATTERN.sub("[redacted]", message)
        for secret in self.secrets:
            clean = clean.replace(secret, "[redacted]")
        if clean != message:
            record.msg, record.args = clean, None
        return True


def setup_logging(settings: Settings, level: str = "INFO") -> None:
    """Log to stderr with secrets redacted, whatever a library logs."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(settings.secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "chromadb", "sentence_transformers", "urllib3", "trafilatura", "htmldate"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
