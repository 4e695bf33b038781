"""Export the best checkpoint to ONNX (opset 17, dynamic batch/seq) and prove it matches PyTorch.

ONNX Runtime applies its transformer fusions (attention, GELU, layer norm) when it loads the
graph (``ORT_ENABLE_ALL``, the default), so the exported graph stays plain. The fp32 graph is
always kept as ``model.fp32.onnx`` (the GPU/FP16 recipe starts from it). ``--quantize int8``
makes ``model.onnx`` a dynamically quantised copy (INT8 weights, per channel) only when it
passes the gate: on ``--val-file`` documents its entity F1 may fall at most ``--max-f1-loss``
(0.01) below the fp32 graph's; otherwise ``model.onnx`` stays fp32. Both F1 values and the
decision land in ``quantization.json``. On the same documents the export picks the decoder's
``min_score`` (spans scoring below it are dropped) with the best F1 and writes it, with the
F1 of every candidate, to ``decoding.json``; ``make build-repo`` puts it in ``ner_decoder``'s
config. ``decoding.json`` also records the window the checkpoint was trained on (and its stride),
which the build gives ``ner_tokenizer``: the model is served the windows it learned.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Sequence

import numpy as np

from maritime_ner import paths
from maritime_ner.core import contract
from maritime_ner.core.tokenization import case_marks
from maritime_ner.repository.exported import FP32_FILE, INT8_FILE, QUANTIZATION_REPORT, graph_precision  # noqa: F401 - re-exported

from .casing import logits_module, write_case_marks

OPSET = 17
TOLERANCE = 1e-4
QUANTIZE_CHOICES = ("int8",)
MAX_F1_LOSS = 0.01  # the most entity F1 INT8 may lose against fp32 to become model.onnx
MIN_SCORE_CANDIDATES = (0.0, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)  # decoder score cuts tried
SAMPLES = (
    "MV Ocean Star (IMO 9123456), Panama flag, loaded 20 t of frozen yellowfin tuna (HS 0303.42) at Busan on 12 March 2025.",
    "Risk level: HIGH.",
    "F/V Hai Feng 718 called at Las Palmas.\r\nDate: 2025-03-12 🚢 Valparaíso 大连",
)


class ExportError(Exception):
    """The exported graph disagrees with PyTorch or the contract."""


def sample_batch(tokenizer, case_shift: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Padded (batch, seq) int64 ids and mask for the sample sentences; with ``case_shift``, every
    other content token carries a case mark, so the check covers both kinds of ids."""
    enc = tokenizer(list(SAMPLES), padding=True, return_tensors="np")
    ids, mask = enc["input_ids"].astype(np.int64), enc["attention_mask"].astype(np.int64)
    if case_shift:
        content = (mask == 1) & ~np.isin(ids, tokenizer.all_special_ids)
        ids = np.where(content & (np.arange(ids.shape[1]) % 2 == 1), ids + case_shift, ids)
    return ids, mask




def quantize_int8(src: Path, dst: Path) -> None:
    """Dynamic INT8 quantisation of an fp32 ONNX graph (weights per channel, activations at run time)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True)


SpanRows = list[list[tuple[int, int, str, float]]]  # per document: (start, end, label, score)


def training_window(checkpoint: Path) -> int:
    """The window the checkpoint was trained on (its training_metrics.json), which the build serves.

    A checkpoint trained elsewhere, without that file, gets the default (contract.DEFAULT_WINDOW).
    """
    path = checkpoint / "training_metrics.json"
    if not path.exists():
        return contract.DEFAULT_WINDOW
    try:
        return contract.window_setting(
            json.loads(path.read_text(encoding="utf-8")).get("config", {}).get("max_length", contract.DEFAULT_WINDOW))
    except ValueError as err:
        raise ExportError(f"{path}: config.max_length: {err}") from None


def val_spans(model_path: Path, tokenizer_dir: Path, records: Sequence[dict], window: int = contract.DEFAULT_WINDOW) -> SpanRows:
    """Every span one ONNX graph finds in the records, through the serving pipeline (no score cut)."""
    from maritime_ner.repository.reference import Pipeline, onnx_forward
    from maritime_ner.core.tokenization import DocumentEncoder

    encoder = DocumentEncoder.from_dir(tokenizer_dir, window=window, stride=contract.stride_for(window),
                                       buckets=(), max_windows=10**6)
    pipeline = Pipeline(encoder, onnx_forward(model_path), contract.ID2LABEL)
    return [[(s.start, s.end, s.label, s.score) for s in doc] for doc in pipeline.spans([r["text"] for r in records])]


def f1_at(records: Sequence[dict], spans: SpanRows, min_score: float = 0.0) -> float:
    """Strict entity micro F1 of the spans scoring at least ``min_score``."""
    from maritime_ner.core.scores import entity_scores

    from maritime_ner.core.scores import entity_set

    gold = [entity_set(r) for r in records]
    pred = [{(a, b, label) for a, b, label, score in doc if score >= min_score} for doc in spans]
    return float(entity_scores(gold, pred)["micro"]["f1"])


def choose_min_score(records: Sequence[dict], spans: SpanRows) -> dict:
    """The decoder's ``min_score`` with the best F1 on the records (ties: the lower one), and the curve."""
    curve = {t: round(f1_at(records, spans, t), 4) for t in MIN_SCORE_CANDIDATES}
    best = max(MIN_SCORE_CANDIDATES, key=lambda t: (curve[t], -t))
    return {"min_score": best, "documents": len(records), "f1_by_min_score": {str(t): f for t, f in curve.items()}}


def quantization_gate(out: Path, records: Sequence[dict], max_loss: float = MAX_F1_LOSS,
                      window: int = contract.DEFAULT_WINDOW) -> tuple[dict, SpanRows]:
    """Quantise ``out/model.fp32.onnx``; make the INT8 copy ``model.onnx`` only if it keeps entity F1.

    Returns the report (also written to ``quantization.json``: both F1 values, the delta, the
    decision) and the served graph's spans on the records.
    """
    fp32, int8 = out / FP32_FILE, out / INT8_FILE
    quantize_int8(fp32, int8)
    spans_fp32, spans_int8 = val_spans(fp32, out, records, window), val_spans(int8, out, records, window)
    f1_fp32, f1_int8 = f1_at(records, spans_fp32), f1_at(records, spans_int8)
    delta = round(f1_int8 - f1_fp32, 4)
    accepted = delta >= -max_loss
    report = {"quantize": "int8", "documents": len(records), "f1_fp32": round(f1_fp32, 4), "f1_int8": round(f1_int8, 4),
              "f1_delta": delta, "max_f1_loss": max_loss, "served": "int8" if accepted else "fp32"}
    shutil.copy2(int8 if accepted else fp32, out / contract.ONNX_FILE)
    int8.unlink()
    (out / QUANTIZATION_REPORT).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return report, spans_int8 if accepted else spans_fp32


def export(checkpoint: Path, out: Path, tolerance: float = TOLERANCE, quantize: str | None = None,
           val_records: Sequence[dict] | None = None, max_f1_loss: float = MAX_F1_LOSS) -> float:
    """Write ``out/model.onnx`` + ``model.fp32.onnx`` + tokenizer + config; return the max |logit difference| vs PyTorch.

    The fp32 graph is checked against PyTorch first. ``val_records`` (gold documents) decide,
    with ``quantize="int8"``, whether the INT8 copy replaces it as ``model.onnx``, and pick the
    decoder's ``min_score`` (``decoding.json``; without them the decoder keeps every span).
    """
    if quantize not in (None, *QUANTIZE_CHOICES):
        raise ExportError(f"quantize must be one of {QUANTIZE_CHOICES}, got {quantize!r}")
    if quantize is not None and not val_records:
        raise ExportError("quantize needs gold documents for the F1 gate (--val-file)")
    import onnxruntime as ort
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    model = AutoModelForTokenClassification.from_pretrained(checkpoint, attn_implementation="eager").eval()
    tokenizer = AutoTokenizer.from_pretrained(checkpoint, use_fast=True)
    case_shift = case_marks(checkpoint)
    logits = logits_module(model, case_shift)
    ids, mask = sample_batch(tokenizer, case_shift)
    out.mkdir(parents=True, exist_ok=True)
    onnx_path = out / contract.ONNX_FILE
    dynamic = {0: "batch", 1: "sequence"}
    with torch.inference_mode():
        torch.onnx.export(
            logits,
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
            expected = logits(torch.from_numpy(batch_ids), torch.from_numpy(batch_mask)).numpy()
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
    (out / contract.DECODING_FILE).unlink(missing_ok=True)
    model.config.save_pretrained(out)
    tokenizer.save_pretrained(out)
    write_case_marks(out, case_shift)
    window = training_window(checkpoint)
    decoding = {"window": window, "stride": contract.stride_for(window)}  # the build serves the training window
    if val_records:
        if quantize == "int8":
            _, spans = quantization_gate(out, val_records, max_f1_loss, window)
        else:
            spans = val_spans(onnx_path, out, val_records, window)
        decoding |= choose_min_score(val_records, spans)
    (out / contract.DECODING_FILE).write_text(json.dumps(decoding, indent=1) + "\n", encoding="utf-8")
    for extra in ("training_metrics.json",):
        if (checkpoint / extra).exists():
            shutil.copy2(checkpoint / extra, out / extra)
    return diff


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__)
    parser.add_argument("--checkpoint", type=Path, default=paths.CHECKPOINT_DIR)
    parser.add_argument("--out", type=Path, default=paths.MODEL_DIR)
    parser.add_argument("--quantize", choices=[*QUANTIZE_CHOICES, "none"], default="none",
                        help="int8: serve a dynamic INT8 copy if it passes the F1 gate (CPU); none: fp32")
    parser.add_argument("--val-file", type=Path, default=Path("data/val.jsonl"),
                        help="gold documents (JSONL or Label Studio export) for the INT8 F1 gate and the decoder's min_score")
    parser.add_argument("--max-f1-loss", type=float, default=MAX_F1_LOSS, help="entity F1 INT8 may lose against fp32")
    args = parser.parse_args(argv)
    quantize = None if args.quantize == "none" else args.quantize
    records = None
    if quantize and not args.val_file.exists():
        parser.error(f"--quantize {quantize} needs gold documents for its F1 gate: {args.val_file} does not exist "
                     "(run `make data`, pass --val-file, or --quantize none)")
    if args.val_file.exists():
        from .data import load_records

        records = load_records(args.val_file)
    else:
        print(f"export: {args.val_file} does not exist: the decoder keeps every span (min_score 0)", file=sys.stderr)
    try:
        diff = export(args.checkpoint, args.out, quantize=quantize, val_records=records, max_f1_loss=args.max_f1_loss)
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
    if records:
        d = json.loads((args.out / contract.DECODING_FILE).read_text(encoding="utf-8"))
        print(f"export: decoder min_score {d['min_score']} (entity F1 on {d['documents']} documents: "
              f"{d['f1_by_min_score']['0.0']:.4f} keeping every span, {d['f1_by_min_score'][str(d['min_score'])]:.4f} at the cut)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
