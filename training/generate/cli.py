"""Command line: `python -m training.generate --n N --seed S --out FILE [--genres ...] [--exclude-genres ...]`."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from .document import generate_documents, write_jsonl
from .genres import GENRES


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(prog="python -m training.generate", allow_abbrev=False,
                                description="Generate synthetic NER documents as JSONL.")
    p.add_argument("--n", type=int, default=2000, help="number of documents")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, required=True, help="output .jsonl path")
    p.add_argument("--genres", default="", help=f"comma-separated subset of: {','.join(GENRES)}")
    p.add_argument("--exclude-genres", default="", help="comma-separated genres to leave out")
    return p.parse_args(argv)


def select_genres(include: str, exclude: str) -> list[str]:
    """Resolve --genres / --exclude-genres into a genre list."""
    inc = [g.strip() for g in include.split(",") if g.strip()] or list(GENRES)
    exc = {g.strip() for g in exclude.split(",") if g.strip()}
    bad = sorted((set(inc) | exc) - set(GENRES))
    if bad:
        raise ValueError(f"unknown genres {bad}; choose from {', '.join(GENRES)}")
    return [g for g in inc if g not in exc]


def main(argv: Sequence[str] | None = None) -> None:
    """CLI entry point."""
    args = parse_args(argv)
    if args.n < 0:
        raise SystemExit("--n must be >= 0")
    try:
        genres = select_genres(args.genres, args.exclude_genres)
    except ValueError as e:
        raise SystemExit(str(e)) from None
    if not genres:
        raise SystemExit("no genres left after --exclude-genres")
    docs = generate_documents(args.n, args.seed, genres)
    write_jsonl(docs, args.out)
    print(f"wrote {len(docs)} documents to {args.out}")
