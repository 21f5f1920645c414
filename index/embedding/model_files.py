"""What a sentence-transformers model folder says: pooling, window, tokenizer; and pooling itself.

The tokenizer is read with the `tokenizers` package straight from tokenizer.json (milliseconds):
importing `transformers` for `AutoTokenizer` cost seconds on every `newsbot ask`.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


def pooling(model_dir: Path) -> str:
    """'cls' or 'mean', as the model's sentence-transformers pooling config says."""
    for config in sorted(model_dir.glob("*Pooling*/config.json")):
        if json.loads(config.read_text()).get("pooling_mode_cls_token"):
            return "cls"
    return "mean"


def max_length(model_dir: Path) -> int:
    """The model's sequence window (256 for all-MiniLM-L6-v2)."""
    config = model_dir / "sentence_bert_config.json"
    return json.loads(config.read_text()).get("max_seq_length", 512) if config.exists() else 512


def pooled(hidden: np.ndarray, attention_mask: np.ndarray, how: str) -> np.ndarray:
    """Sentence vectors from token states: the first token's ('cls') or the masked mean, normalised."""
    if how == "cls":
        vectors = hidden[:, 0]
    else:
        mask = attention_mask[..., None].astype(np.float32)
        vectors = (hidden * mask).sum(1) / np.maximum(mask.sum(1), 1e-9)
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def padded(rows: list[list[int]], pad_id: int) -> dict[str, np.ndarray]:
    """The model's inputs for rows of token ids: padded ids, attention mask, zero token types."""
    ids = np.full((len(rows), max(map(len, rows))), pad_id, dtype=np.int64)
    mask = np.zeros_like(ids)
    for r, row in enumerate(rows):
        ids[r, :len(row)] = row
        mask[r, :len(row)] = 1
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}


class Tokenizer:
    """Token ids as `AutoTokenizer(texts, truncation=True, max_length=n)` gives them, and the pad id."""

    def __init__(self, model_dir: Path, window: int):
        self.window = window
        if (model_dir / "tokenizer.json").exists():
            from tokenizers import Tokenizer as Fast

            self._fast = Fast.from_file(str(model_dir / "tokenizer.json"))
            # the file carries the exporter's own truncation and fixed padding (128): the model's window rules
            self._fast.enable_truncation(max_length=window)
            self._fast.no_padding()
            self.pad_id = self._fast.token_to_id(_pad_token(model_dir)) or 0
        else:  # a model shipped without tokenizer.json: only transformers can build its tokenizer
            from transformers import AutoTokenizer

            self._slow = AutoTokenizer.from_pretrained(str(model_dir))
            self._fast = None
            self.pad_id = self._slow.pad_token_id or 0

    def ids(self, texts: list[str]) -> list[list[int]]:
        """One row of token ids per text, special tokens added, cut to the window."""
        if self._fast is None:
            return self._slow(list(texts), truncation=True, max_length=self.window)["input_ids"]
        return [e.ids for e in self._fast.encode_batch(list(texts))]


def _pad_token(model_dir: Path) -> str:
    """The pad token's text from the model's tokenizer config ([PAD] when it names none)."""
    for name in ("special_tokens_map.json", "tokenizer_config.json"):
        path = model_dir / name
        if path.exists():
            token = json.loads(path.read_text()).get("pad_token")
            if isinstance(token, dict):  # {"content": "[PAD]", ...} in newer configs
                token = token.get("content")
            if token:
                return token
    return "[PAD]"
