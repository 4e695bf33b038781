"""`training.export --quantize int8`: INT8 serves only when it keeps entity F1 (the gate); fp32 is always kept."""

from __future__ import annotations

import json
import shutil

import numpy as np
import onnxruntime as ort
import pytest
from tiny_model import make_checkpoint

from maritime_ner.core import contract
from training.export import FP32_FILE, QUANTIZATION_REPORT, ExportError, export, graph_precision, main
from training.generate import generate_documents

@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    root = tmp_path_factory.mktemp("quant")
    make_checkpoint(root / "checkpoint")
    return root / "checkpoint"


@pytest.fixture(scope="module")
def gold():
    return generate_documents(6, seed=3)


def test_int8_within_the_loss_serves_and_fp32_is_kept(checkpoint, gold, tmp_path):
    export(checkpoint, tmp_path, quantize="int8", val_records=gold, max_f1_loss=1.0)
    report = json.loads((tmp_path / QUANTIZATION_REPORT).read_text())
    assert report["served"] == "int8" and report["documents"] == len(gold)
    assert report["f1_delta"] == pytest.approx(report["f1_int8"] - report["f1_fp32"], abs=1e-4)
    assert graph_precision(tmp_path / contract.ONNX_FILE) == "int8"
    assert graph_precision(tmp_path / FP32_FILE) == "fp32"
    assert not (tmp_path / "model.int8.onnx").exists()
    session = ort.InferenceSession(str(tmp_path / contract.ONNX_FILE), providers=["CPUExecutionProvider"])
    ids = np.ones((2, 5), dtype=np.int64)
    (logits,) = session.run([contract.LOGITS], {contract.INPUT_IDS: ids, contract.ATTENTION_MASK: ids})
    assert logits.shape == (2, 5, contract.NUM_LABELS) and logits.dtype == np.float32


def test_int8_that_loses_too_much_is_refused(checkpoint, gold, tmp_path):
    # A negative allowance can never be met: the gate must fall back to the fp32 graph.
    export(checkpoint, tmp_path, quantize="int8", val_records=gold, max_f1_loss=-1.0)
    assert json.loads((tmp_path / QUANTIZATION_REPORT).read_text())["served"] == "fp32"
    assert (tmp_path / contract.ONNX_FILE).read_bytes() == (tmp_path / FP32_FILE).read_bytes()


def test_quantize_without_gold_documents_is_an_error(checkpoint, tmp_path, capsys):
    with pytest.raises(ExportError, match="gate"):
        export(checkpoint, tmp_path, quantize="int8")
    with pytest.raises(SystemExit):
        main(["--checkpoint", str(checkpoint), "--out", str(tmp_path), "--quantize", "int8", "--val-file", str(tmp_path / "none.jsonl")])
    assert "make data" in capsys.readouterr().err


def test_fp32_export_drops_a_stale_quantization_report(checkpoint, gold, tmp_path):
    export(checkpoint, tmp_path, quantize="int8", val_records=gold, max_f1_loss=1.0)
    export(checkpoint, tmp_path)
    assert not (tmp_path / QUANTIZATION_REPORT).exists()
    assert (tmp_path / contract.ONNX_FILE).read_bytes() == (tmp_path / FP32_FILE).read_bytes()


def test_unknown_quantization_is_refused(exported_model, tmp_path):
    with pytest.raises(ExportError, match="quantize"):
        export(exported_model.parent / "checkpoint", tmp_path / "x", quantize="int4")
    with pytest.raises(SystemExit):
        main(["--checkpoint", str(exported_model.parent / "checkpoint"), "--quantize", "int4"])


def test_export_picks_the_decoder_cut_on_the_validation_documents(checkpoint, gold, tmp_path):
    export(checkpoint, tmp_path, val_records=gold)
    decoding = json.loads((tmp_path / contract.DECODING_FILE).read_text())
    curve = {float(k): v for k, v in decoding["f1_by_min_score"].items()}
    assert decoding["documents"] == len(gold) and 0.0 in curve
    assert curve[decoding["min_score"]] == max(curve.values())
    assert decoding["min_score"] == min(t for t, f in curve.items() if f == max(curve.values()))  # ties: the lower cut
    export(checkpoint, tmp_path)  # no validation documents: no cut (none stale); the served window still recorded
    assert json.loads((tmp_path / contract.DECODING_FILE).read_text()) == {
        "window": contract.DEFAULT_WINDOW, "stride": contract.DEFAULT_STRIDE}


def test_export_records_the_training_window_for_the_build(checkpoint, tmp_path):
    trained = tmp_path / "checkpoint"
    shutil.copytree(checkpoint, trained)
    metrics = trained / "training_metrics.json"
    metrics.write_text(json.dumps({"config": {"max_length": 64}}))
    export(trained, tmp_path / "model")
    assert json.loads((tmp_path / "model" / contract.DECODING_FILE).read_text()) == {"window": 64, "stride": 16}
    metrics.write_text(json.dumps({"config": {"max_length": "long"}}))
    with pytest.raises(ExportError, match="max_length"):
        export(trained, tmp_path / "model")
