"""Case marks: the tokenizer step shifts capitalised tokens' ids, training and the exported core read them back."""

import json
import shutil

import numpy as np
import pytest

from maritime_ner.core.tokenization import CASE_MARKS_KEY, DocumentEncoder, case_marks, encode_documents, load_tokenizer
from tiny_model import make_checkpoint
from training.train import TrainConfig, default_base_model, train

VOCAB = 30522  # the MiniLM tokenizer's


@pytest.fixture(scope="module")
def tokenizer():
    return load_tokenizer(f"{default_base_model()}/tokenizer.json")


def test_tokens_that_start_with_a_capital_are_shifted(tokenizer):
    text = "Arctic char ARCTIC 9 Øst-Ålesund ẞ"
    (plain,) = encode_documents(tokenizer, [text])
    (marked,) = encode_documents(tokenizer, [text], case_shift=VOCAB)
    assert marked.ids.shape == plain.ids.shape and (marked.offsets == plain.offsets).all()
    for token, (start, _), shifted in zip(plain.ids, plain.offsets, marked.ids):
        assert shifted == token + VOCAB * text[start].isupper(), text[start:]
    starts = {text[s] for s, _ in plain.offsets[marked.ids >= VOCAB]}
    assert starts >= {"A", "Ø", "Å", "ẞ"} and not starts & {"c", "9", "-"}
    assert (plain.ids < VOCAB).all()


def test_case_marks_setting_is_read_from_the_tokenizer_config(tmp_path):
    shutil.copy(f"{default_base_model()}/tokenizer.json", tmp_path / "tokenizer.json")
    assert case_marks(tmp_path) == 0  # no tokenizer_config.json
    (tmp_path / "tokenizer_config.json").write_text(json.dumps({CASE_MARKS_KEY: VOCAB}))
    encoder = DocumentEncoder.from_dir(tmp_path, window=16, stride=4, buckets=(), max_windows=8)
    assert encoder.case_shift == VOCAB and (encoder.encode(["Sea Hawk"]).input_ids >= VOCAB).sum() == 2
    (tmp_path / "tokenizer_config.json").write_text(json.dumps({CASE_MARKS_KEY: "yes"}))
    with pytest.raises(ValueError, match=f"{CASE_MARKS_KEY} must be a non-negative integer"):
        case_marks(tmp_path)


def tiny(tmp_path, **overrides) -> TrainConfig:
    base = make_checkpoint(tmp_path / "base", confidence=1.0)
    data = tmp_path / "train.jsonl"
    rows = [{"text": "Sea Hawk landed hake at Vigo.", "entities": [{"start": 0, "end": 8, "label": "VESSEL"},
                                                                   {"start": 24, "end": 28, "label": "PORT"}]},
            {"text": "the sea hawk landed Hake at vigo.", "entities": [{"start": 20, "end": 24, "label": "SPECIES"}]}]
    data.write_text("\n".join(json.dumps(r) for r in rows * 4) + "\n")
    settings = dict(base_model=str(base), train_file=data, dev_file=data, output_dir=tmp_path / "out",
                    batch_size=4, learning_rate=3e-3, max_steps=6, quiet=True, threads=1)
    return TrainConfig(**{**settings, **overrides})


def test_training_learns_case_marks_and_the_export_serves_them(tmp_path):
    import torch
    from transformers import AutoModelForTokenClassification

    from maritime_ner.core import contract
    from maritime_ner.repository.reference import onnx_forward
    from training.export import export

    cfg = tiny(tmp_path)
    train(cfg)
    assert case_marks(cfg.output_dir) == VOCAB
    types = AutoModelForTokenClassification.from_pretrained(cfg.output_dir).bert.embeddings.token_type_embeddings.weight
    assert not torch.equal(types[0], types[1])  # started equal (copied), then learned "capitalised"
    export(cfg.output_dir, tmp_path / "model")
    assert case_marks(tmp_path / "model") == VOCAB
    encoder = DocumentEncoder.from_dir(tmp_path / "model", window=16, stride=4, buckets=(), max_windows=8)
    forward = onnx_forward(tmp_path / "model" / contract.ONNX_FILE)
    upper, lower = (encoder.encode([t]) for t in ("Sea Hawk", "sea hawk"))
    assert (upper.input_ids != lower.input_ids).any()
    assert not np.allclose(forward(upper.input_ids, upper.attention_mask), forward(lower.input_ids, lower.attention_mask))


def test_case_marks_off_or_impossible_leave_ids_alone(tmp_path, capsys):
    cfg = tiny(tmp_path, case_marks=False)
    train(cfg)
    assert case_marks(cfg.output_dir) == 0
    frozen = tiny(tmp_path, freeze_layers=1, output_dir=tmp_path / "frozen")
    train(frozen)
    assert case_marks(frozen.output_dir) == 0 and "case marks could not be learned" in capsys.readouterr().out
