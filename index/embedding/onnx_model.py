"""The same sentence-transformers model run by ONNX Runtime: exported once, optionally int8.

Short inputs (questions, answer sentences) run several times faster than through PyTorch. The
graph is traced with eager attention so ONNX Runtime's transformer optimizer can fuse attention,
embeddings and layer norms (checked to give the same vectors); int8 weights on top keep cosine
~0.99 to the fp32 vectors. Batches are bounded by padded tokens, not only by count.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np

from index.embedding.base import Embedder
from index.errors import EmbeddingModelError

log = logging.getLogger("newsbot.embedder")


def _pooling(model_dir: Path) -> str:
    """'cls' or 'mean', as the model's sentence-transformers pooling config says."""
    for config in sorted(model_dir.glob("*Pooling*/config.json")):
        if json.loads(config.read_text()).get("pooling_mode_cls_token"):
            return "cls"
    return "mean"


def _max_length(model_dir: Path) -> int:
    """The model's sequence window (256 for all-MiniLM-L6-v2)."""
    config = model_dir / "sentence_bert_config.json"
    return json.loads(config.read_text()).get("max_seq_length", 512) if config.exists() else 512


EXPORT_VERSION = "fused-1"  # part of the cache key: a changed export recipe makes new files


def export(model_dir: Path, cache: Path, quantize: bool) -> Path:
    """The exported model's file: made once, in a child process, so torch never stays in this one."""
    key = hashlib.sha1(f"{model_dir.resolve()}:{quantize}:{EXPORT_VERSION}".encode()).hexdigest()[:12]
    target = cache / key / ("model-int8.onnx" if quantize else "model.onnx")
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    log.info("exporting %s to ONNX (once, into %s)", model_dir, target.parent)
    done = subprocess.run([sys.executable, "-m", "index.embedding.onnx_model", str(model_dir), str(target)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode or not target.exists():
        tail = " ".join(done.stderr.strip().splitlines()[-3:])
        raise EmbeddingModelError(f"exporting the embedding model {model_dir} to ONNX failed: {tail}")
    return target


def _export_here(model_dir: Path, target: Path) -> None:
    """Trace, fuse and (for an int8 target) quantize into target, via temporary names."""
    fp32 = target.parent / "model-fp32.onnx"
    # tracing and quantizing print pages of warnings that say nothing to a newsbot user
    with warnings.catch_warnings(), _quiet_root_logger():
        warnings.simplefilter("ignore")
        if not fp32.exists():
            _export_fp32(model_dir, fp32)
        if target.name == "model-int8.onnx":
            from onnxruntime.quantization import QuantType, quantize_dynamic

            # per-channel int8 keeps vectors at cosine ~0.99 of fp32; per-tensor uint8 lost more
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            # fused operators have no inferred output types: float is the right default for every one
            quantize_dynamic(str(fp32), str(tmp), per_channel=True, weight_type=QuantType.QInt8,
                             extra_options={"DefaultTensorType": 1})  # 1 = onnx.TensorProto.FLOAT
            tmp.replace(target)
        elif fp32 != target:
            fp32.replace(target)


@contextlib.contextmanager
def _quiet_root_logger():
    """onnxruntime's quantizer logs advice on the root logger; hold it back for the call."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        yield
    finally:
        root.setLevel(level)


def _export_fp32(model_dir: Path, out: Path) -> None:
    """Trace the transformer to ONNX (dynamic batch and length), then fuse it when that is lossless."""
    traced = out.with_name(f"model-traced.{os.getpid()}.onnx")
    config = _trace(model_dir, traced)
    _fuse(traced, out, model_dir, config)


def _trace(model_dir: Path, out: Path):
    """Trace the Hugging Face transformer with eager attention (the pattern the optimizer fuses)."""
    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # "Loading weights" bars are noise in a CLI
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    try:
        model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()
    except (TypeError, ValueError):  # a model class without the choice: trace what it has
        model = AutoModel.from_pretrained(str(model_dir)).eval()
    sample = tokenizer(["a short one", "and a slightly longer sample"], padding=True, return_tensors="pt")
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in sample]

    class Hidden(torch.nn.Module):
        """Keyword call, so argument order of the model's forward does not matter."""

        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, *args):
            return self.inner(**dict(zip(names, args))).last_hidden_state

    axes = {n: {0: "batch", 1: "tokens"} for n in [*names, "hidden"]}
    tmp = out.with_suffix(f".{os.getpid()}.tmp")
    with torch.no_grad():
        torch.onnx.export(Hidden(model), tuple(sample[n] for n in names), str(tmp), input_names=names,
                          output_names=["hidden"], dynamic_axes=axes, opset_version=17, dynamo=False)
    tmp.replace(out)
    return model.config


def _fuse(traced: Path, out: Path, model_dir: Path, config) -> None:
    """Fuse attention and layer norms with ONNX Runtime's optimizer; keep the traced graph if outputs change."""
    heads, hidden = getattr(config, "num_attention_heads", 0), getattr(config, "hidden_size", 0)
    fused = out.with_name(f"model-fused.{os.getpid()}.onnx")
    try:
        from onnxruntime.transformers import optimizer

        optimizer.optimize_model(str(traced), model_type="bert", num_heads=heads, hidden_size=hidden).save_model_to_file(
            str(fused))
        same = _same_outputs(traced, fused, model_dir)
    except Exception as exc:  # an architecture the optimizer does not know: the traced graph still works
        log.info("ONNX fusion skipped for %s: %s", model_dir, exc)
        same = False
    if same:
        fused.replace(out)
        traced.unlink()
    else:
        fused.unlink(missing_ok=True)
        traced.replace(out)


def _same_outputs(a: Path, b: Path, model_dir: Path) -> bool:
    """Whether two graphs give the same pooled vectors on a few texts (cosine > 0.9999)."""
    import onnxruntime as ort
    from transformers import AutoTokenizer

    texts = ["Rates were left on hold by the central bank.", "Short.", "A longer sentence about a peace deal " * 8]
    enc = AutoTokenizer.from_pretrained(str(model_dir))(texts, padding=True, return_tensors="np")
    outs = []
    for path in (a, b):
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        hidden = session.run(None, {i.name: enc[i.name].astype(np.int64) for i in session.get_inputs()})[0]
        outs.append(_pooled(hidden, enc["attention_mask"], _pooling(model_dir)))
    return bool(((outs[0] * outs[1]).sum(1) > 0.9999).all())


def _pooled(hidden: np.ndarray, attention_mask: np.ndarray, how: str) -> np.ndarray:
    """Sentence vectors from token states: the first token's ('cls') or the masked mean, normalised."""
    if how == "cls":
        vectors = hidden[:, 0]
    else:
        mask = attention_mask[..., None].astype(np.float32)
        vectors = (hidden * mask).sum(1) / np.maximum(mask.sum(1), 1e-9)
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


class OnnxEmbedder(Embedder):
    """SentenceEmbedder's interface over ONNX Runtime; exports on first use, not at construction."""

    def __init__(self, model_name: str, cache: Path, quantize: bool = False, batch_size: int = 32,
                 batch_tokens: int = 256):
        super().__init__(model_name, batch_size)
        self.cache = cache
        self.quantize = quantize
        self.batch_tokens = batch_tokens

    def _load(self):
        """Export if needed, then open the tokenizer and the session (returned)."""
        import onnxruntime as ort
        from transformers import AutoTokenizer

        model_dir = Path(self.model_name)
        if not model_dir.is_dir():
            raise EmbeddingModelError(f"the ONNX backend needs a local model folder, not '{self.model_name}' "
                                      "(NEWSBOT_EMBEDDING_MODEL / NEWSBOT_EMBEDDING_BACKEND)")
        path = export(model_dir, self.cache, self.quantize)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        self._pool = _pooling(model_dir)
        self._max_length = _max_length(model_dir)
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self._inputs = [i.name for i in session.get_inputs()]
        self._pad_id = self._tokenizer.pad_token_id or 0
        self._dimension = session.get_outputs()[0].shape[-1]
        return session

    @property
    def dimension(self) -> int:
        """Length of the vectors."""
        self._ready()
        return int(self._dimension)

    def _run(self, rows: list[list[int]]) -> np.ndarray:
        """Embed one batch of token id rows: pad, run, pool, normalise."""
        width = max(map(len, rows))
        ids = np.full((len(rows), width), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for r, row in enumerate(rows):
            ids[r, :len(row)] = row
            mask[r, :len(row)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        with self._encode_lock:
            hidden = self._model.run(None, {n: feeds[n] for n in self._inputs})[0]
        return _pooled(hidden, mask, self._pool)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed texts in batches of similar length and at most batch_tokens padded tokens.

        Small batches run faster on CPU (whole chunks alone: ~1.3x the chunks/s of batches of 32,
        their activations stay in cache) while short sentences still share a run.
        """
        self._ready()
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        rows = self._tokenizer(list(texts), truncation=True, max_length=self._max_length)["input_ids"]
        order = sorted(range(len(rows)), key=lambda i: -len(rows[i]))
        out = np.zeros((len(rows), self._dimension), dtype=np.float32)
        start = 0
        while start < len(order):
            # sorted longest first, so the first row of a batch sets its padded width
            n = max(1, min(self.batch_size, self.batch_tokens // len(rows[order[start]])))
            idx = order[start:start + n]
            out[idx] = self._run([rows[i] for i in idx])
            start += n
        return out


if __name__ == "__main__":  # the child process of export(): python -m index.embedding.onnx_model MODEL_DIR TARGET
    _export_here(Path(sys.argv[1]), Path(sys.argv[2]))
