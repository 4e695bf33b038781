"""Labelled text segments and the seeded-choice helpers every generator module shares."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

from training import lexicon

Seg = tuple[str, str | None]  # (text, label or None for O)
Segs = list[Seg]
Rng = random.Random
T = TypeVar("T")


def plain(text: str) -> Segs:
    """An unlabelled piece."""
    return [(text, None)]


def entity(text: str, label: str) -> Segs:
    """A labelled piece."""
    return [(text, label)]


def seg_len(segs: Segs) -> int:
    """Characters in a run of segments (a table cell's width)."""
    return sum(len(t) for t, _ in segs)


def pick(r: Rng, items: Sequence):
    """Uniform choice; one randrange call, so tables of functions draw exactly like if-chains did."""
    return items[r.randrange(len(items))]


def chance(r: Rng, p: float) -> bool:
    """True with probability p."""
    return r.random() < p


def banded(rows: Sequence[tuple[float, T]], k: float) -> T:
    """The value of the first (upper bound, value) row whose bound is above k: a cumulative-weight table."""
    return next(value for bound, value in rows if k < bound)


def para(*parts: Segs) -> Segs:
    """Concatenate segment lists."""
    out: Segs = []
    for p in parts:
        out += p
    return out


def joined(r: Rng, items: list[Segs], conn: str | None = None) -> Segs:
    """Same-label items joined by a connector ('A and B', 'A, B and C', 'A / B', 'A y B')."""
    conn = conn or pick(r, lexicon.CONNECTORS)
    out: Segs = []
    for i, it in enumerate(items):
        if i:
            last = i == len(items) - 1
            out += plain(conn if (last or conn.strip() not in ("and", "y", "et", "und", "e", "AND")) else ", ")
        out += it
    return out


def upper_first(text: str) -> str:
    """The text with its first character upper-cased and the rest untouched."""
    return text[:1].upper() + text[1:]
