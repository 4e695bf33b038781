"""The exported model folder (training's output, the build's input): its file names and what can be read from it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from maritime_ner.core import contract

FP32_FILE = "model.fp32.onnx"  # the export's fp32 graph, kept beside the served model.onnx
INT8_FILE = "model.int8.onnx"
QUANTIZATION_REPORT = "quantization.json"  # the INT8 gate's verdict (F1 fp32 vs int8)
HF_CONFIG_FILE = "config.json"  # Hugging Face config: id2label
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")
# Operators only a quantised graph has.
QUANT_OPS = frozenset({"DynamicQuantizeLinear", "MatMulInteger", "DynamicQuantizeMatMul", "QAttention", "QuantizeLinear"})


def graph_precision(path: Path) -> str:
    """'int8' when an ONNX graph is quantised (it has quantisation operators), else 'fp32'."""
    import onnx

    return "int8" if {n.op_type for n in onnx.load(str(path)).graph.node} & QUANT_OPS else "fp32"


def model_version(model_dir: Path, filename: str = contract.ONNX_FILE) -> str:
    """A version tag that changes whenever the served ONNX core (``filename`` in ``model_dir``) changes."""
    digest = hashlib.sha256((Path(model_dir) / filename).read_bytes()).hexdigest()
    return f"{contract.ENSEMBLE}-{digest[:12]}"


def exported_labels(model_dir: Path) -> list[str]:
    """The model's labels in logit-column order, from its id2label."""
    id2label = json.loads((Path(model_dir) / HF_CONFIG_FILE).read_text(encoding="utf-8")).get("id2label", {})
    return [id2label[k] for k in sorted(id2label, key=int)]
