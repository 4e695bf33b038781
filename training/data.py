"""Training data: our JSONL or a Label Studio export -> token windows with aligned IO labels."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from tokenizers import Tokenizer

from maritime_ner.core import contract
from maritime_ner.core.ls_format import convert_export
from maritime_ner.core.tokenization import encode_documents
from maritime_ner.core.windowing import WindowSpec, pack_windows

from .records import read_jsonl

IGNORE_INDEX = -100  # positions the loss skips: special tokens and padding


def load_records(path: Path) -> list[dict[str, Any]]:
    """Read ``.jsonl`` (ours) or ``.json`` (a Label Studio export, UTF-16 offsets)."""
    path = Path(path)
    if path.suffix == ".jsonl":
        records = read_jsonl(path)
    else:
        records, stats = convert_export(json.loads(path.read_text(encoding="utf-8")))
        print(
            f"{path}: {stats.converted}/{stats.tasks} tasks converted, {stats.cancelled} cancelled, "
            f"{stats.without_annotation} without annotation",
            file=sys.stderr,
        )
        if stats.unknown_labels:
            print(f"{path}: labels outside the 9 skipped: {stats.unknown_labels}", file=sys.stderr)
    for i, record in enumerate(records):
        validate_record(record, f"{path}:{i}")
    return records


def validate_record(record: dict[str, Any], where: str) -> None:
    """Entities inside the text, with known labels, not overlapping."""
    text = record["text"]
    previous_end = 0
    for e in sorted(record["entities"], key=lambda e: e["start"]):
        if e["label"] not in contract.ENTITY_LABELS:
            raise ValueError(f"{where}: unknown label {e['label']!r}; expected one of {contract.ENTITY_LABELS}")
        if not 0 <= e["start"] < e["end"] <= len(text):
            raise ValueError(f"{where}: entity [{e['start']}, {e['end']}) outside a text of {len(text)} characters")
        if e["start"] < previous_end:
            raise ValueError(f"{where}: entities overlap at {e['start']}")
        previous_end = e["end"]


def token_labels(offsets: np.ndarray, entities: Sequence[dict[str, Any]]) -> np.ndarray:
    """IO label id of every token: the entity its start falls in, else O (0)."""
    labels = np.zeros(len(offsets), dtype=np.int64)
    for e in entities:
        inside = (offsets[:, 0] >= e["start"]) & (offsets[:, 0] < e["end"]) & (offsets[:, 1] > offsets[:, 0])
        labels[inside] = contract.LABEL2ID[e["label"]]
    return labels


def make_windows(tokenizer: Tokenizer, records: Sequence[dict[str, Any]], spec: WindowSpec,
                 case_shift: int = 0) -> list[dict[str, np.ndarray]]:
    """Training examples: each document cut into windows like serving does, labels aligned per sub-token
    (``case_shift``: the tokenizer step's case marks)."""
    examples = []
    docs = encode_documents(tokenizer, [r["text"] for r in records], case_shift)
    for record, doc in zip(records, docs):
        labels = token_labels(doc.offsets, record["entities"])
        batch = pack_windows([doc], spec)
        for row in range(len(batch.input_ids)):
            length = int(batch.attention_mask[row].sum())
            index = batch.token_map[row, :length, 0]
            examples.append({
                "input_ids": batch.input_ids[row, :length],
                "labels": np.where(index >= 0, labels[np.maximum(index, 0)], IGNORE_INDEX),
            })
    return examples


def collate(examples: Sequence[dict[str, np.ndarray]], pad_id: int) -> dict[str, np.ndarray]:
    """Pad a list of examples to the longest one."""
    longest = max(len(e["input_ids"]) for e in examples)
    input_ids = np.full((len(examples), longest), pad_id, dtype=np.int64)
    labels = np.full((len(examples), longest), IGNORE_INDEX, dtype=np.int64)
    mask = np.zeros((len(examples), longest), dtype=np.int64)
    for i, e in enumerate(examples):
        n = len(e["input_ids"])
        input_ids[i, :n], labels[i, :n], mask[i, :n] = e["input_ids"], e["labels"], 1
    return {"input_ids": input_ids, "attention_mask": mask, "labels": labels}


class LengthGroupedBatches:
    """Batches of windows of similar length (less padding), in a new seeded order every epoch.

    A batch sampler: yields lists of example indices. Epoch ``e`` uses the seed's ``e + 1``-th
    successive shuffle, so any process, and a resumed run, rebuilds the same order from
    ``(seed, epoch)`` alone. No ``batch_size`` attribute on purpose: batches vary in size (the
    shortest windows form the last one), which accelerate's sharding then keeps whole.
    """

    def __init__(self, lengths: Sequence[int], batch_size: int, seed: int):
        order = sorted(range(len(lengths)), key=lengths.__getitem__)  # stable: ties keep file order
        self.batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
        self.seed, self.epoch = seed, 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def epoch_order(self, epoch: int) -> list[int]:
        """Positions of the batches in ``epoch``'s order."""
        rng, order = random.Random(self.seed), list(range(len(self.batches)))
        for _ in range(epoch + 1):
            rng.shuffle(order)
        return order

    def __len__(self) -> int:
        return len(self.batches)

    def __iter__(self):
        return iter([self.batches[i] for i in self.epoch_order(self.epoch)])
