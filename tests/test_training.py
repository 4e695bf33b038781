"""Label alignment, training windows, a short real fine-tune and the ONNX export check."""

import json

import numpy as np
import pytest

from maritime_ner.core import contract
from maritime_ner.core.tokenization import load_tokenizer, window_spec
from tiny_model import make_checkpoint
from training.data import IGNORE_INDEX, collate, load_records, make_windows, token_labels
from training.export import ExportError, export
from training.train import TrainConfig, default_base_model, train

TEXT = "F/V Hai Feng 718 (IMO9123456) landed yellowfin tuna at Port of Busan on 12 March 2025."
ENTITIES = [
    {"start": 0, "end": 16, "label": "VESSEL"},
    {"start": 18, "end": 28, "label": "IMO"},
    {"start": 37, "end": 51, "label": "SPECIES"},
    {"start": 55, "end": 68, "label": "PORT"},
    {"start": 72, "end": 85, "label": "DATE"},
]


@pytest.fixture(scope="module")
def tokenizer():
    return load_tokenizer(f"{default_base_model()}/tokenizer.json")


def test_every_subtoken_gets_its_entity_label(tokenizer):
    enc = tokenizer.encode(TEXT, add_special_tokens=False)
    labels = token_labels(np.array(enc.offsets), ENTITIES)
    by_token = {tok: contract.LABELS[l] for tok, l in zip(enc.tokens, labels)}
    imo = [contract.LABELS[l] for (a, _), l in zip(enc.offsets, labels) if 18 <= a < 28]
    assert len(imo) > 2 and set(imo) == {"IMO"}  # glued prefix and digits: all sub-tokens
    assert by_token["yellow"] == by_token["##fin"] == "SPECIES"
    assert by_token["landed"] == by_token["("] == by_token["."] == "O"


def test_training_windows_follow_serving_windows(tokenizer):
    spec = window_spec(tokenizer, 0, window=8, stride=2, buckets=())
    examples = make_windows(tokenizer, [{"text": TEXT, "entities": ENTITIES}], spec)
    assert len(examples) > 3
    for e in examples:
        assert e["labels"][0] == e["labels"][-1] == IGNORE_INDEX  # [CLS], [SEP]
        assert len(e["input_ids"]) == len(e["labels"]) <= 8
    batch = collate(examples, pad_id=0)
    assert batch["input_ids"].shape == batch["labels"].shape == batch["attention_mask"].shape


def test_records_are_validated(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": "abc", "entities": [{"start": 0, "end": 9, "label": "PORT"}]}) + "\n")
    with pytest.raises(ValueError, match="outside"):
        load_records(path)
    path.write_text(json.dumps({"text": "abc", "entities": [{"start": 0, "end": 2, "label": "CITY"}]}) + "\n")
    with pytest.raises(ValueError, match="unknown label"):
        load_records(path)


def test_label_studio_export_is_read_as_training_data(tmp_path):
    export_file = tmp_path / "export.json"
    export_file.write_text(json.dumps([{"id": 1, "data": {"text": "🚢 Busan"}, "annotations": [
        {"id": 1, "result": [{"type": "labels", "value": {"start": 3, "end": 8, "labels": ["PORT"]}}]}]}]))
    assert load_records(export_file) == [{"text": "🚢 Busan", "entities": [{"start": 2, "end": 7, "label": "PORT"}]}]


def test_short_fine_tune_learns_and_keeps_best_checkpoint(tmp_path):
    base = make_checkpoint(tmp_path / "base", confidence=1.0)
    data = tmp_path / "train.jsonl"
    data.write_text("\n".join(json.dumps({"text": TEXT, "entities": ENTITIES}) for _ in range(16)) + "\n")
    cfg = TrainConfig(base_model=str(base), train_file=data, dev_file=data, output_dir=tmp_path / "out",
                      batch_size=8, learning_rate=3e-3, max_steps=60, evals_per_epoch=1, quiet=True)
    best = train(cfg)
    assert best["micro"]["f1"] > 0.5  # a memorised sentence: a broken loop stays near 0
    saved = json.loads((tmp_path / "out" / "config.json").read_text())
    assert [saved["id2label"][str(i)] for i in range(contract.NUM_LABELS)] == list(contract.LABELS)
    metrics = json.loads((tmp_path / "out" / "training_metrics.json").read_text())
    assert metrics["steps"] == 60 and any("dev_f1" in h for h in metrics["history"])


def test_export_fails_when_onnx_disagrees_with_pytorch(tmp_path):
    make_checkpoint(tmp_path / "ckpt")
    with pytest.raises(ExportError, match="differ"):
        export(tmp_path / "ckpt", tmp_path / "model", tolerance=-1.0)
    assert not (tmp_path / "model" / contract.ONNX_FILE).exists()


def test_export_writes_dynamic_opset17_graph(exported_model):
    import onnx

    model = onnx.load(str(exported_model / contract.ONNX_FILE))
    assert max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx")) >= 17
    dims = {i.name: [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim] for i in model.graph.input}
    assert all(isinstance(d, str) for d in dims[contract.INPUT_IDS])  # batch and sequence are symbolic
    assert [o.name for o in model.graph.output] == [contract.LOGITS]
