"""A tiny BERT token classifier on the real MiniLM vocabulary, made in seconds, offline."""

from __future__ import annotations

import json
from pathlib import Path

from maritime_ner.core import contract


# The decoder score cut the test builds carry (conftest): the tiny model's span scores spread around it.
TEST_MIN_SCORE = 0.6


def make_checkpoint(out: Path, num_labels: int = contract.NUM_LABELS, seed: int = 0, confidence: float = 40.0,
                    case_marks: bool = False) -> Path:
    """Save a randomly initialised 2-layer BERT (+ tokenizer) whose classifier is made confident.

    Scaling the classifier weights makes argmax decisions far from ties, so the served and
    in-process paths cannot disagree through float noise, while spans stay plentiful.
    ``case_marks``: the tokenizer config asks for case marks (its two random token types differ,
    so capitals change the logits), as a trained default's does.
    """
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForTokenClassification

    from training.casing import write_case_marks
    from training.train import default_base_model

    torch.manual_seed(seed)
    labels = {i: contract.LABELS[i] if i < contract.NUM_LABELS else f"EXTRA_{i}" for i in range(num_labels)}
    config = BertConfig(
        vocab_size=30522, hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
        max_position_embeddings=512, num_labels=num_labels, id2label=labels,
        label2id={v: k for k, v in labels.items()}, attn_implementation="eager",
    )
    model = BertForTokenClassification(config)
    with torch.no_grad():
        model.classifier.weight.mul_(confidence)
    model.save_pretrained(out)
    AutoTokenizer.from_pretrained(default_base_model()).save_pretrained(out)
    if case_marks:
        write_case_marks(out, config.vocab_size)
    return out


TINY_TEXT = "F/V Hai Feng 718 (IMO9123456) landed yellowfin tuna at Port of Busan on 12 March 2025."
TINY_ENTITIES = [
    {"start": 0, "end": 16, "label": "VESSEL"},
    {"start": 18, "end": 28, "label": "IMO"},
    {"start": 37, "end": 51, "label": "SPECIES"},
    {"start": 55, "end": 68, "label": "PORT"},
    {"start": 72, "end": 85, "label": "DATE"},
]


def write_tiny_training_data(path: Path, docs: int = 16) -> Path:
    """JSONL of ``docs`` prefixes of one annotated sentence: windows of many lengths, one each."""
    lines = []
    for i in range(docs):
        end = 40 + 3 * i
        lines.append(json.dumps({"text": TINY_TEXT[:end], "entities": [e for e in TINY_ENTITIES if e["end"] <= end]}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
