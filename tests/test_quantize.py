"""`training.export --quantize int8`: the fp32 graph is checked, then replaced by a dynamic INT8 copy."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from maritime_ner import contract
from training.export import ExportError, export, main


def test_int8_export_replaces_model_and_keeps_the_contract(exported_model, tmp_path):
    out = tmp_path / "int8"
    export(exported_model.parent / "checkpoint", out, quantize="int8")
    ops = {n.op_type for n in onnx.load(str(out / contract.ONNX_FILE)).graph.node}
    assert "DynamicQuantizeLinear" in ops or "MatMulInteger" in ops
    assert not (out / "model.fp32.onnx").exists()
    session = ort.InferenceSession(str(out / contract.ONNX_FILE), providers=["CPUExecutionProvider"])
    ids = np.ones((2, 5), dtype=np.int64)
    (logits,) = session.run([contract.LOGITS], {contract.INPUT_IDS: ids, contract.ATTENTION_MASK: ids})
    assert logits.shape == (2, 5, contract.NUM_LABELS) and logits.dtype == np.float32


def test_unknown_quantization_is_refused(exported_model, tmp_path):
    with pytest.raises(ExportError, match="quantize"):
        export(exported_model.parent / "checkpoint", tmp_path / "x", quantize="int4")
    with pytest.raises(SystemExit):
        main(["--checkpoint", str(exported_model.parent / "checkpoint"), "--quantize", "int4"])
