"""The bench's documents: the hand-written dev set, generated validation docs and long dossiers."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Sequence

from maritime_ner.core.ls_format import convert_export
from maritime_ner.core.tokenization import encode_documents, load_tokenizer

VAL_SEED = 1000  # the Makefile's validation seed (SEED + 1000)
LONG_SEED = 2000
LONG_GENRE = "long_dossier"


def dev_documents(path: Path) -> list[dict]:
    """The hand-written Label Studio export as ``{"text", "entities", "source"}`` records."""
    records, _ = convert_export(json.loads(path.read_text(encoding="utf-8")))
    return [{**r, "source": "dev"} for r in records]


def generated_documents(n: int, seed: int, genres: Sequence[str] | None, source: str) -> list[dict]:
    """Seeded synthetic documents from training.generate."""
    from training.generate import generate_documents

    docs = generate_documents(n, seed, genres) if n else []
    return [{"text": d["text"], "entities": d["entities"], "source": source} for d in docs]


def build_corpus(dev_file: Path | None, val_docs: int, long_docs: int, shuffle_seed: int = 0) -> list[dict]:
    """Dev + validation + long documents, shuffled so long ones are spread through the run."""
    docs = dev_documents(dev_file) if dev_file else []
    docs += generated_documents(val_docs, VAL_SEED, None, "val")
    docs += generated_documents(long_docs, LONG_SEED, [LONG_GENRE], "long")
    random.Random(shuffle_seed).shuffle(docs)
    return docs


def read_jsonl(path: Path) -> list[dict]:
    """Documents from a JSONL file of ``{"text", "entities"}`` records."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [{"source": path.stem, **json.loads(line)} for line in lines if line.strip()]


def count_tokens(docs: list[dict], tokenizer_file: Path) -> list[int]:
    """Content tokens per document (specials excluded), with the served tokenizer."""
    encoded = encode_documents(load_tokenizer(tokenizer_file), [d["text"] for d in docs])
    return [len(e) for e in encoded]


def gold_entities(docs: Sequence[dict]) -> list[list[tuple[int, int, str]]]:
    """Gold (start, end, label) per document, code points."""
    return [[(e["start"], e["end"], e["label"]) for e in d.get("entities", [])] for d in docs]
