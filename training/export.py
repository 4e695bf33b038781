"""Export the best checkpoint to ONNX (opset 17, dynamic batch/seq) and prove it matches PyTorch.

ONNX Runtime applies its transformer fusions (attention, GELU, layer norm) when it loads the
graph (``ORT_ENABLE_ALL``, the default), so the exported graph stays plain. ``--quantize int8``
then replaces ``model.onnx`` by a dynamically quantised copy (INT8 weights, per channel);
judge that by entity F1 (``make bench``), not by logits.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import numpy as np

from maritime_ner import contract

ROOT = Path(__file__).resolve().parent.parent
OPSET = 17
TOLERANCE = 1e-4
QUANTIZE_CHOICES = ("int8",)
SAMPLES = (
    "MV Ocean Star (IMO 9123456), Panama flag, loaded 20 t of frozen yellowfin tuna (HS 0303.42) at Busan on 12 March 2025.",
    "Risk level: HIGH.",
    "F/V Hai Feng 718 called at Las Palmas.\r\nDate: 2025-03-12 🚢 Valparaíso 大连",
)


class ExportError(Exception):
    """The exported graph disagrees with PyTorch or the contract."""


def sample_batch(tokenizer) -> tuple[np.ndarray, np.ndarray]:
    """Padded (batch, seq) int64 ids and mask for the sample sentences."""
    enc = tokenizer(list(SAMPLES), padding=True, return_tensors="np")
    return enc["input_ids"].astype(np.int64), enc["attention_mask"].astype(np.int64)


def quantize_int8(src: Path, dst: Path) -> None:
    """Dynamic INT8 quantisation of an fp32 ONNX graph (weights per channel, activations at run time)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True)


def export(checkpoint: Path, out: Path, tolerance: float = TOLERANCE, quantize: str | None = None) -> float:
    """Write ``out/model.onnx`` + tokenizer + config; return the max |logit difference| vs PyTorch.

    The fp32 graph is checked against PyTorch first; with ``quantize="int8"`` it is then
    replaced by its quantised copy (whose logits are not held to ``tolerance``).
    """
    if quantize not in (None, *QUANTIZE_CHOICES):
        raise ExportError(f"quantize must be one of {QUANTIZE_CHOICES}, got {quantize!r}")
    import onnxruntime as ort
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    model = AutoModelForTokenClassification.from_pretrained(checkpoint, attn_implementation="eager").eval()
    tokenizer = AutoTokenizer.from_pretrained(checkpoint, use_fast=True)
    ids, mask = sample_batch(tokenizer)
    out.mkdir(parents=True, exist_ok=True)
    onnx_path = out / contract.ONNX_FILE
    dynamic = {0: "batch", 1: "sequence"}
    with torch.inference_mode():
        torch.onnx.export(
            model,
            (torch.from_numpy(ids), torch.from_numpy(mask)),
            str(onnx_path),
            input_names=[contract.INPUT_IDS, contract.ATTENTION_MASK],
            output_names=[contract.LOGITS],
            dynamic_axes={contract.INPUT_IDS: dynamic, contract.ATTENTION_MASK: dynamic, contract.LOGITS: dynamic},
            opset_version=OPSET,
            dynamo=False,
        )
    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    # Check the traced shape and another one: the axes must really be dynamic.
    diff = 0.0
    for batch_ids, batch_mask in ((ids, mask), (ids[:1, :5], mask[:1, :5])):
        with torch.inference_mode():
            expected = model(input_ids=torch.from_numpy(batch_ids), attention_mask=torch.from_numpy(batch_mask)).logits.numpy()
        (got,) = session.run([contract.LOGITS], {contract.INPUT_IDS: batch_ids, contract.ATTENTION_MASK: batch_mask})
        if got.shape != expected.shape:
            onnx_path.unlink()
            raise ExportError(f"ONNX Runtime logits have shape {got.shape}, PyTorch {expected.shape}")
        # Compare only real tokens: padded positions carry no meaning.
        diff = max(diff, float(np.abs(got - expected)[batch_mask.astype(bool)].max()))
    if diff > tolerance:
        onnx_path.unlink()
        raise ExportError(f"ONNX Runtime logits differ from PyTorch by {diff:.2e} (> {tolerance:.0e})")
    if quantize == "int8":
        fp32 = out / "model.fp32.onnx"
        onnx_path.replace(fp32)
        quantize_int8(fp32, onnx_path)
        fp32.unlink()
    model.config.save_pretrained(out)
    tokenizer.save_pretrained(out)
    for extra in ("training_metrics.json",):
        if (checkpoint / extra).exists():
            shutil.copy2(checkpoint / extra, out / extra)
    return diff


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__)
    parser.add_argument("--checkpoint", type=Path, default=ROOT / "artifacts" / "checkpoint")
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "model")
    parser.add_argument("--quantize", choices=QUANTIZE_CHOICES, default=None, help="replace model.onnx by a dynamic INT8 copy")
    args = parser.parse_args(argv)
    try:
        diff = export(args.checkpoint, args.out, quantize=args.quantize)
    except ExportError as err:
        print(f"export: error: {err}", file=sys.stderr)
        return 1
    kind = f", quantised {args.quantize}" if args.quantize else ""
    print(f"export: wrote {args.out / contract.ONNX_FILE} (opset {OPSET}{kind}); max |fp32 ONNX - PyTorch| = {diff:.2e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
