"""The export itself, run in a child process by onnx_export: trace, fuse, quantize (torch stays here).

The graph is traced with eager attention so ONNX Runtime's transformer optimizer can fuse attention,
embeddings and layer norms (checked to give the same vectors); int8 weights on top keep cosine
~0.99 to the fp32 vectors.

    python -m index.embedding.onnx_build MODEL_DIR TARGET   (TARGET in a folder of its own)
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import warnings
from pathlib import Path

from index.embedding.model_files import Tokenizer, max_length, padded, pooled, pooling

log = logging.getLogger("newsbot.embedder")


def _export_here(model_dir: Path, target: Path) -> None:
    """Trace, fuse and (for an int8 target) quantize into target; the folder is this process's own."""
    fp32 = target.with_name("model-fp32.onnx")
    # tracing and quantizing print pages of warnings that say nothing to a newsbot user
    with warnings.catch_warnings(), _quiet_root_logger():
        warnings.simplefilter("ignore")
        _export_fp32(model_dir, fp32)
        if target.name == "model-int8.onnx":
            from onnxruntime.quantization import QuantType, quantize_dynamic

            # per-channel int8 keeps vectors at cosine ~0.99 of fp32; per-tensor uint8 lost more;
            # fused operators have no inferred output types: float is the right default for every one
            quantize_dynamic(str(fp32), str(target), per_channel=True, weight_type=QuantType.QInt8,
                             extra_options={"DefaultTensorType": 1})  # 1 = onnx.TensorProto.FLOAT
        else:
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
    except Exception as exc:  # noqa: BLE001 - an architecture the optimizer does not know: the traced graph works
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

    texts = ["Rates were left on hold by the central bank.", "Short.", "A longer sentence about a peace deal " * 8]
    tokenizer = Tokenizer(model_dir, max_length(model_dir))
    enc = padded(tokenizer.ids(texts), tokenizer.pad_id)
    outs = []
    for path in (a, b):
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        hidden = session.run(None, {i.name: enc[i.name] for i in session.get_inputs()})[0]
        outs.append(pooled(hidden, enc["attention_mask"], pooling(model_dir)))
    return bool(((outs[0] * outs[1]).sum(1) > 0.9999).all())


if __name__ == "__main__":
    _export_here(Path(sys.argv[1]), Path(sys.argv[2]))
