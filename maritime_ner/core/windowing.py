"""Split tokenised documents into overlapping fixed-size windows for the ONNX core."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np


@dataclass(frozen=True)
class EncodedDoc:
    """One document's content tokens (no special tokens); offsets are code points."""

    ids: np.ndarray  # (n,) int64
    word_ids: np.ndarray  # (n,) int64
    offsets: np.ndarray  # (n, 2) int64

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class WindowBatch:
    """Windows of one request, ready for the ONNX core and the decoder."""

    input_ids: np.ndarray  # (windows, seq) int64
    attention_mask: np.ndarray  # (windows, seq) int64
    token_map: np.ndarray  # (windows, seq, 4) int64: token index, word index, start, end
    window_doc: np.ndarray  # (windows,) int64


@dataclass(frozen=True)
class WindowSpec:
    """How documents are cut: tokens per window (specials included), overlap, pad buckets."""

    window: int
    stride: int
    buckets: tuple[int, ...]
    prefix_ids: tuple[int, ...]
    suffix_ids: tuple[int, ...]
    pad_id: int

    def __post_init__(self) -> None:
        if self.content_len < 2:
            raise ValueError(f"window {self.window} leaves no room for content tokens")
        if not 0 <= self.stride < self.content_len:
            raise ValueError(f"stride must be in [0, {self.content_len}), got {self.stride}")
        if any(b < 1 for b in self.buckets):
            raise ValueError(f"buckets must be positive, got {self.buckets}")

    @property
    def content_len(self) -> int:
        """Content tokens per window, special tokens excluded."""
        return self.window - len(self.prefix_ids) - len(self.suffix_ids)


def window_starts(n_tokens: int, content_len: int, stride: int) -> list[int]:
    """Start token of each window; consecutive windows share ``stride`` tokens, last one ends at n."""
    if n_tokens <= content_len:
        return [0]
    step = content_len - stride
    starts = list(range(0, n_tokens - content_len, step))
    starts.append(n_tokens - content_len)
    return starts


def count_windows(n_tokens: int, spec: WindowSpec) -> int:
    """How many windows a document of ``n_tokens`` content tokens needs."""
    return len(window_starts(n_tokens, spec.content_len, spec.stride))


def bucket_length(length: int, buckets: Sequence[int]) -> int:
    """Smallest bucket that holds ``length`` tokens (the length itself past the largest)."""
    for bucket in sorted(buckets):
        if bucket >= length:
            return bucket
    return length


def pack_windows(docs: Sequence[EncodedDoc], spec: WindowSpec) -> WindowBatch:
    """Cut every document into windows, add special tokens, pad all to one bucket length.

    An empty document still gets one window of special tokens only, so a request always
    carries at least one window per document.
    """
    pieces: list[tuple[int, EncodedDoc, int, int]] = []  # (doc, encoded, start, stop)
    for doc_index, doc in enumerate(docs):
        for start in window_starts(len(doc), spec.content_len, spec.stride):
            pieces.append((doc_index, doc, start, min(start + spec.content_len, len(doc))))
    n_special = len(spec.prefix_ids) + len(spec.suffix_ids)
    longest = max(stop - start for _, _, start, stop in pieces) + n_special
    seq = bucket_length(longest, spec.buckets)

    input_ids = np.full((len(pieces), seq), spec.pad_id, dtype=np.int64)
    attention_mask = np.zeros((len(pieces), seq), dtype=np.int64)
    token_map = np.full((len(pieces), seq, 4), -1, dtype=np.int64)
    window_doc = np.empty(len(pieces), dtype=np.int64)
    prefix = np.asarray(spec.prefix_ids, dtype=np.int64)
    suffix = np.asarray(spec.suffix_ids, dtype=np.int64)
    for row, (doc_index, doc, start, stop) in enumerate(pieces):
        a, b = len(prefix), len(prefix) + stop - start
        input_ids[row, : len(prefix)] = prefix
        input_ids[row, a:b] = doc.ids[start:stop]
        input_ids[row, b : b + len(suffix)] = suffix
        attention_mask[row, : b + len(suffix)] = 1
        token_map[row, a:b, 0] = np.arange(start, stop)
        token_map[row, a:b, 1] = doc.word_ids[start:stop]
        token_map[row, a:b, 2:] = doc.offsets[start:stop]
        window_doc[row] = doc_index
    return WindowBatch(input_ids, attention_mask, token_map, window_doc)
