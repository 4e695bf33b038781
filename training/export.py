"""Export the best checkpoint to ONNX (opset 17, dynamic batch/seq) and prove it matches PyTorch.

ONNX Runtime applies its transformer fusions (attention, GELU, layer norm) when it loads the
graph (``ORT_ENABLE_ALL``, the default), so the exported graph stays plain. The fp32 graph is
always kept as ``model.fp32.onnx`` (the GPU/FP16 recipe starts from it). ``--quantize int8``
makes ``model.onnx`` a dynamically quantised copy (INT8 weights, per channel) only when it
passes the gate: on ``--gate-file`` documents its entity F1 may fall at most ``--max-f1-loss``
(0.01) below the fp32 graph's; otherwise ``model.onnx`` stays fp32. Both F1 values and the
decision land in ``quantization.json``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Sequence

import numpy as np

from maritime_ner import contract

ROOT = Path(__file__).resolve().parent.parent
OPSET = 17
TOLERANCE = 1e-4
QUANTIZE_CHOICES = ("int8",)
FP32_FILE = "model.fp32.onnx"
QUANTIZATION_REPORT = "quantization.json"
MAX_F1_LOSS = 0.01  # the most entity F1 INT8 may lose against fp32 to become model.onnx
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


QUANT_OPS = {"DynamicQuantizeLinear", "MatMulInteger", "DynamicQuantizeMatMul", "QAttention", "QuantizeLinear"}


def graph_precision(path: Path) -> str:
    """'int8' when an ONNX graph is quantised (it has quantisation operators), else 'fp32'."""
    import onnx

    return "int8" if {n.op_type for n in onnx.load(str(path)).graph.node} & QUANT_OPS else "fp32"


def quantize_int8(src: Path, dst: Path) -> None:
    """Dynamic INT8 quantisation of an fp32 ONNX graph (weights per channel, activations at run time)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True)


def gate_f1(model_path: Path, tokenizer_dir: Path, records: Sequence[dict]) -> float:
    """Entity micro F1 of one ONNX graph on gold records, through the serving pipeline's defaults."""
    from maritime_ner.reference import Pipeline, onnx_forward
    from maritime_ner.tokenization import DocumentEncoder

    from .train import evaluate

    encoder = DocumentEncoder.from_dir(tokenizer_dir, window=contract.DEFAULT_WINDOW, stride=contract.DEFAULT_STRIDE,
                                       buckets=(), max_windows=10**6)
    pipeline = Pipeline(encoder, onnx_forward(model_path), contract.ID2LABEL)
    return float(evaluate(pipeline, records)["micro"]["f1"])


def quantization_gate(out: Path, records: Sequence[dict], max_loss: float = MAX_F1_LOSS) -> dict:
    """Quantise ``out/model.fp32.onnx``; make the INT8 copy ``model.onnx`` only if it keeps entity F1.

    Returns (and writes to ``quantization.json``) both F1 values, the delta and the decision.
    """
    fp32, int8 = out / FP32_FILE, out / "model.int8.onnx"
    quantize_int8(fp32, int8)
    f1_fp32, f1_int8 = gate_f1(fp32, out, records), gate_f1(int8, out, records)
    delta = round(f1_int8 - f1_fp32, 4)
    accepted = delta >= -max_loss
    report = {"quantize": "int8", "documents": len(records), "f1_fp32": round(f1_fp32, 4), "f1_int8": round(f1_int8, 4),
              "f1_delta": delta, "max_f1_loss": max_loss, "served": "int8" if accepted else "fp32"}
    shutil.copy2(int8 if accepted else fp32, out / contract.ONNX_FILE)
    int8.unlink()
    (out / QUANTIZATION_REPORT).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return report


def export(checkpoint: Path, out: Path, tolerance: float = TOLERANCE, quantize: str | None = None,
           gate_records: Sequence[dict] | None = None, max_f1_loss: float = MAX_F1_LOSS) -> float:
    """Write ``out/model.onnx`` + ``model.fp32.onnx`` + tokenizer + config; return the max |logit difference| vs PyTorch.

    The fp32 graph is checked against PyTorch first. With ``quantize="int8"``, ``gate_records``
    (gold documents) decide whether the INT8 copy replaces it as ``model.onnx``.
    """
    if quantize not in (None, *QUANTIZE_CHOICES):
        raise ExportError(f"quantize must be one of {QUANTIZE_CHOICES}, got {quantize!r}")
    if quantize is not None and not gate_records:
        raise ExportError("quantize needs gold documents for the F1 gate (--gate-file)")
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
    shutil.copy2(onnx_path, out / FP32_FILE)
    (out / QUANTIZATION_REPORT).unlink(missing_ok=True)
    model.config.save_pretrained(out)
    tokenizer.save_pretrained(out)
    if quantize == "int8":
        quantization_gate(out, gate_records, max_f1_loss)
    for extra in ("training_metrics.json",):
        if (checkpoint / extra).exists():
            shutil.copy2(checkpoint / extra, out / extra)
    return diff


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__)
    parser.add_argument("--checkpoint", type=Path, default=ROOT / "artifacts" / "checkpoint")
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "model")
    parser.add_argument("--quantize", choices=[*QUANTIZE_CHOICES, "none"], default="none",
                        help="int8: serve a dynamic INT8 copy if it passes the F1 gate (CPU); none: fp32")
    parser.add_argument("--gate-file", type=Path, default=ROOT / "data" / "val.jsonl",
                        help="gold documents (JSONL or Label Studio export) for the INT8 F1 gate")
    parser.add_argument("--max-f1-loss", type=float, default=MAX_F1_LOSS, help="entity F1 INT8 may lose against fp32")
    args = parser.parse_args(argv)
    quantize = None if args.quantize == "none" else args.quantize
    records = None
    if quantize:
        if not args.gate_file.exists():
            parser.error(f"--quantize {quantize} needs gold documents for its F1 gate: {args.gate_file} does not exist "
                         "(run `make data`, pass --gate-file, or --quantize none)")
        from .data import load_records

        records = load_records(args.gate_file)
    try:
        diff = export(args.checkpoint, args.out, quantize=quantize, gate_records=records, max_f1_loss=args.max_f1_loss)
    except ExportError as err:
        print(f"export: error: {err}", file=sys.stderr)
        return 1
    print(f"export: wrote {args.out / FP32_FILE} (opset {OPSET}); max |fp32 ONNX - PyTorch| = {diff:.2e}")
    if quantize:
        q = json.loads((args.out / QUANTIZATION_REPORT).read_text(encoding="utf-8"))
        verdict = ("INT8 serves" if q["served"] == "int8" else
                   f"INT8 refused (loses more than {q['max_f1_loss']}); fp32 serves")
        print(f"export: {quantize} gate on {q['documents']} documents: entity F1 fp32 {q['f1_fp32']:.4f}, "
              f"int8 {q['f1_int8']:.4f} (delta {q['f1_delta']:+.4f}): {verdict} as {args.out / contract.ONNX_FILE}")
    else:
        print(f"export: {args.out / contract.ONNX_FILE} is the fp32 graph")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
