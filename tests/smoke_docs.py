"""Smoke expectations a model meets by construction: the in-process reference's own spans."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from maritime_ner.core.offsets import utf16_len
from maritime_ner.ops import verify
from maritime_ner.repository.reference import Pipeline


def reference_smoke(repository: Path, texts: Sequence[str], per_doc: int) -> list[verify.SmokeDoc]:
    """The first ``per_doc`` spans the reference finds in each text, as smoke documents (UTF-16 offsets)."""
    spans = Pipeline.from_repository(repository).spans(list(texts))
    return [
        verify.SmokeDoc(f"doc{i}", text, tuple(
            verify.Expected(s.text, s.label, utf16_len(text[: s.start]), utf16_len(text[: s.end])) for s in doc[:per_doc]))
        for i, (text, doc) in enumerate(zip(texts, spans))
    ]
