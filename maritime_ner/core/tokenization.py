"""Fast tokenizer (``tokenizers``) -> encoded documents and the window spec around them."""

from __future__ import annotations

import json
from itertools import chain
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
from tokenizers import Tokenizer

from .contract import REFUSED_TOO_MANY_WINDOWS, TOKENIZER_FILE, InvalidRequest
from .offsets import code_points
from .windowing import EncodedDoc, WindowBatch, WindowSpec, count_windows, pack_windows

# A request longer than this many characters per allowed token is refused before tokenising.
CHARS_PER_TOKEN_LIMIT = 8
# Key of ``tokenizer_config.json`` that turns case marks on: an uncased tokenizer (the embedded
# MiniLM) lower-cases "Arctic Char" the ship and "arctic char" the fish alike, so the id of every
# token whose first character is an upper-case letter is shifted by this number (the vocabulary
# size); the exported model takes the shift back off and reads it as the token's type
# (training/casing.py). 0 or absent: ids as the tokenizer gives them.
CASE_MARKS_KEY = "case_marks"


def load_tokenizer(path: str | Path) -> Tokenizer:
    """Load ``tokenizer.json`` with any built-in truncation and padding switched off."""
    return unbounded(Tokenizer.from_file(str(path)))


def unbounded(tokenizer: Tokenizer) -> Tokenizer:
    """A copy of ``tokenizer`` that neither truncates nor pads (windowing does both)."""
    copy = Tokenizer.from_str(tokenizer.to_str())
    copy.no_truncation()
    copy.no_padding()
    return copy


def special_layout(tokenizer: Tokenizer) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Special token ids the tokenizer puts before and after a single sequence."""
    content = tokenizer.encode("a", add_special_tokens=False).ids
    full = tokenizer.encode("a", add_special_tokens=True).ids
    for k in range(len(full) - len(content) + 1):
        if full[k : k + len(content)] == content:
            return tuple(full[:k]), tuple(full[k + len(content) :])
    raise ValueError("cannot locate content tokens between the special tokens")


def pad_token_id(tokenizer_dir: str | Path, tokenizer: Tokenizer) -> int:
    """The pad token id from the tokenizer files next to ``tokenizer.json`` (0 if none names one)."""
    for name in ("special_tokens_map.json", "tokenizer_config.json"):
        path = Path(tokenizer_dir) / name
        if path.exists():
            token = json.loads(path.read_text(encoding="utf-8")).get("pad_token")
            if isinstance(token, dict):
                token = token.get("content")
            if token is not None and tokenizer.token_to_id(token) is not None:
                return int(tokenizer.token_to_id(token))
    return 0


def case_marks(tokenizer_dir: str | Path) -> int:
    """The case-mark shift recorded in ``tokenizer_dir/tokenizer_config.json`` (0: none)."""
    path = Path(tokenizer_dir) / "tokenizer_config.json"
    value = json.loads(path.read_text(encoding="utf-8")).get(CASE_MARKS_KEY, 0) if path.exists() else 0
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{path}: {CASE_MARKS_KEY} must be a non-negative integer (the vocabulary size), got {value!r}")
    return value


def mark_case(ids: np.ndarray, offsets: np.ndarray, text: str, shift: int) -> np.ndarray:
    """``ids`` with ``shift`` added where the token's first character in ``text`` is upper-case."""
    if not shift or not len(ids):
        return ids
    points = code_points(text)[offsets[:, 0]]
    upper = (points >= 0x41) & (points <= 0x5A)  # A-Z without a Python loop; other scripts one by one
    for k in np.flatnonzero(points > 0x7F).tolist():
        upper[k] = chr(points[k]).isupper()
    return np.where(upper, ids + shift, ids)


def window_spec(tokenizer: Tokenizer, pad_id: int, window: int, stride: int, buckets: Sequence[int]) -> WindowSpec:
    """A WindowSpec for this tokenizer's special tokens."""
    prefix, suffix = special_layout(tokenizer)
    return WindowSpec(window, stride, tuple(sorted(buckets)), prefix, suffix, pad_id)


def encode_documents(tokenizer: Tokenizer, texts: Sequence[str], case_shift: int = 0) -> list[EncodedDoc]:
    """Tokenise whole documents (no specials, no truncation); offsets are code points.

    ``case_shift``: the case-mark shift (``CASE_MARKS_KEY``), 0 for plain ids.
    """
    encodings = tokenizer.encode_batch(list(texts), add_special_tokens=False)
    docs = []
    for text, enc in zip(texts, encodings):
        word_ids = enc.word_ids  # None marks special tokens, which add_special_tokens=False leaves out
        words = np.array(word_ids if None not in word_ids else [-1 if w is None else w for w in word_ids], dtype=np.int64)
        # from the flat sequence of (start, end) pairs: a third faster than from the list of tuples
        offsets = np.fromiter(chain.from_iterable(enc.offsets), dtype=np.int64, count=2 * len(enc)).reshape(-1, 2)
        docs.append(EncodedDoc(mark_case(np.array(enc.ids, dtype=np.int64), offsets, text, case_shift), words, offsets))
    return docs


class DocumentEncoder:
    """The tokenizer step: documents -> windows, refusing requests that exceed the window cap."""

    def __init__(self, tokenizer: Tokenizer, pad_id: int, window: int, stride: int, buckets: Sequence[int], max_windows: int,
                 case_shift: int = 0):
        self.tokenizer = unbounded(tokenizer)
        self.case_shift = case_shift
        self.spec = window_spec(self.tokenizer, pad_id, window, stride, buckets)
        if max_windows < 1:
            raise ValueError(f"max_windows must be >= 1, got {max_windows}")
        self.max_windows = max_windows

    @classmethod
    def from_dir(cls, tokenizer_dir: str | Path, **settings) -> "DocumentEncoder":
        """Encoder over the ``tokenizer.json`` (pad token and case marks) found in ``tokenizer_dir``."""
        tokenizer = load_tokenizer(Path(tokenizer_dir) / TOKENIZER_FILE)
        settings.setdefault("case_shift", case_marks(tokenizer_dir))
        return cls(tokenizer, pad_token_id(tokenizer_dir, tokenizer), **settings)

    def encode(self, texts: Sequence[str]) -> WindowBatch:
        """All windows of one request's documents."""
        docs = encode_documents(self.tokenizer, texts, self.case_shift)
        needed = sum(count_windows(len(d), self.spec) for d in docs)
        if needed > self.max_windows:
            sizes = ", ".join(str(len(d)) for d in docs)
            raise InvalidRequest(
                f"request needs {needed} windows of {self.spec.window} tokens (documents of {sizes} tokens) "
                f"but one request may carry at most {self.max_windows} "
                f"(about {self.max_tokens} tokens): split the document or send fewer documents per request",
                REFUSED_TOO_MANY_WINDOWS,
            )
        return pack_windows(docs, self.spec)

    @property
    def max_chars(self) -> int:
        """Longest request accepted before tokenising, in characters (a cheap early refusal)."""
        return CHARS_PER_TOKEN_LIMIT * self.max_tokens

    @property
    def max_tokens(self) -> int:
        """Longest single document accepted, in content tokens."""
        step = self.spec.content_len - self.spec.stride
        return self.spec.content_len + (self.max_windows - 1) * step


def _int_param(params: Mapping[str, str], key: str) -> int:
    """A required integer parameter; a bad value names the parameter."""
    try:
        return int(params[key])
    except (KeyError, ValueError):
        raise ValueError(f"parameter '{key}' must be an integer") from None


def window_settings(params: Mapping[str, str]) -> dict[str, object]:
    """DocumentEncoder settings from the ``ner_tokenizer`` config parameters (name -> string value)."""
    try:
        buckets = [int(b) for b in params.get("buckets", "").split(",") if b.strip()]
    except ValueError:
        raise ValueError("parameter 'buckets' must be comma-separated integers") from None
    return {
        "window": _int_param(params, "window"),
        "stride": _int_param(params, "stride"),
        "buckets": buckets,
        "max_windows": _int_param(params, "max_windows"),
    }
