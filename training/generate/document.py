"""Rendering segments to text with offsets, seeded document generation and JSONL input/output."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence

from maritime_ner.core.contract import ENTITY_LABELS
from training.records import read_jsonl, write_jsonl  # noqa: F401 - re-exported

from .foreign import FOREIGN_GENRES, FOREIGN_RATE, with_foreign
from .genres import BASE_GENRES, GENRES, LONG_GENRE, LONG_WEIGHT, MIXED_GENRE, MIXED_WEIGHT, g_long
from .noise import ocr_noise
from .segments import Rng, Segs, chance


def is_clean_span(s: str) -> bool:
    """True if the span has no leading/trailing whitespace or punctuation."""
    def bad(c: str) -> bool:
        return c.isspace() or unicodedata.category(c).startswith("P")
    return bool(s) and not bad(s[0]) and not bad(s[-1])


def render(segs: Segs) -> tuple[str, list[dict]]:
    """Join segments into text and code-point entity offsets; asserts every span is clean."""
    segs = [(t, lab) for t, lab in segs if t]
    if segs and segs[0][1] is None:
        segs[0] = (segs[0][0].lstrip(), None)
    if segs and segs[-1][1] is None:
        segs[-1] = (segs[-1][0].rstrip(), None)
    parts: list[str] = []
    ents: list[dict] = []
    pos = 0
    for text, label in segs:
        if label is not None:
            assert label in ENTITY_LABELS, label
            assert is_clean_span(text), (label, text)
            ents.append({"start": pos, "end": pos + len(text), "label": label})
        parts.append(text)
        pos += len(text)
    return "".join(parts), ents


def make_document(r: Rng, genre: str, genres: Sequence[str], ocr_rate: float = 0.08) -> dict:
    """One document of the given genre."""
    segs = g_long(r, genres) if genre == LONG_GENRE else BASE_GENRES[genre](r)
    if genre in FOREIGN_GENRES and chance(r, FOREIGN_RATE):
        segs = with_foreign(r, segs)
    if chance(r, ocr_rate):
        segs = ocr_noise(r, segs)
    text, ents = render(segs)
    return {"text": text, "entities": ents, "genre": genre}


def generate_documents(n: int, seed: int = 0, genres: Sequence[str] | None = None) -> list[dict]:
    """n seeded documents; document i depends only on (seed, i, genres)."""
    chosen = list(GENRES if genres is None else genres)
    unknown = sorted(set(chosen) - set(GENRES))
    if unknown or not chosen:
        raise ValueError(f"unknown or empty genres {unknown}; choose from {', '.join(GENRES)}")
    weights = [LONG_WEIGHT if g == LONG_GENRE else MIXED_WEIGHT if g == MIXED_GENRE else 1.0 for g in chosen]
    docs = []
    for i in range(n):
        r = random.Random(f"{seed}:{i}")
        genre = r.choices(chosen, weights)[0]
        docs.append(make_document(r, genre, chosen))
    return docs
