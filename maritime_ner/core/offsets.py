"""Offsets between Python code points and Label Studio's UTF-16 code units."""

from __future__ import annotations

from typing import Any

import numpy as np


def code_points(text: str) -> np.ndarray:
    """Every character of ``text`` as its code point (uint32), indexed like the str."""
    return np.frombuffer(text.encode("utf-32-le", errors="surrogatepass"), dtype="<u4")


def _is_bmp_only(text: str) -> bool:
    """True when every character fits one UTF-16 code unit."""
    return text.isascii() or len(text.encode("utf-16-le", errors="surrogatepass")) == 2 * len(text)


def utf16_prefix(text: str) -> np.ndarray | None:
    """UTF-16 offset of every code-point position 0..len(text), or None when identical."""
    if _is_bmp_only(text):
        return None
    widths = np.where(code_points(text) > 0xFFFF, 2, 1)
    return np.concatenate(([0], np.cumsum(widths)))


# ``prefix`` argument not given: compute it. A given None is utf16_prefix's answer for a text
# whose offsets need no table, so callers converting many offsets compute it once.
_COMPUTE: Any = object()


def to_utf16(text: str, index: int, prefix: np.ndarray | None = _COMPUTE) -> int:
    """Code-point index -> UTF-16 code-unit index (``prefix``: ``utf16_prefix(text)``, if at hand)."""
    if prefix is _COMPUTE:
        prefix = utf16_prefix(text)
    return index if prefix is None else int(prefix[index])


def from_utf16(text: str, index: int, prefix: np.ndarray | None = _COMPUTE) -> int:
    """UTF-16 code-unit index -> code-point index; raises ValueError inside a surrogate pair."""
    if prefix is _COMPUTE:
        prefix = utf16_prefix(text)
    if prefix is None:
        if not 0 <= index <= len(text):
            raise ValueError(f"UTF-16 offset {index} outside a text of {len(text)} units")
        return index
    pos = int(np.searchsorted(prefix, index))
    if pos >= len(prefix) or prefix[pos] != index:
        raise ValueError(f"UTF-16 offset {index} is not on a character boundary")
    return pos


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (JavaScript's ``length``)."""
    return len(text.encode("utf-16-le")) // 2


def utf16_slice(text: str, start: int, end: int) -> str:
    """``text[start:end]`` with UTF-16 offsets, as JavaScript's ``substring`` sees it."""
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le", errors="surrogatepass")
