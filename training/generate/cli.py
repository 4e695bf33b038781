"""Command line: `python -m training.generate --n N --seed S --out FILE [--genres ...] [--exclude-genres ...]
[--real FILE ... --real-repeat K]`."""

from __future__ import annotations

import argparse
import json
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
    p.add_argument("--real", type=Path, action="append", default=[], metavar="FILE",
                   help="hand-annotated documents (Label Studio export .json or our .jsonl) written after the generated "
                        "ones; repeatable; a sealed evaluation set is refused")
    p.add_argument("--real-repeat", type=int, default=1, metavar="K", help="copies of each --real document (default 1)")
    return p.parse_args(argv)


def real_documents(paths: Sequence[Path], repeat: int) -> list[dict]:
    """The documents of ``paths``, ``repeat`` times over, each marked with its file (``source``).

    Raises ValueError naming the file for a missing or malformed file and for a sealed set's document.
    """
    from training.data import load_records  # numpy and tokenizers: only when real documents are mixed in
    from training.eval_sets import refuse_sealed

    docs = []
    for path in paths:
        if not path.is_file():
            raise ValueError(f"--real {path}: no such file (a Label Studio export .json or a .jsonl of text + entities)")
        try:
            records = load_records(path)
        except (json.JSONDecodeError, AttributeError, KeyError, TypeError) as e:
            raise ValueError(f"--real {path}: not a Label Studio export or a .jsonl of text + entities ({e})") from None
        if not records:
            raise ValueError(f"--real {path}: no annotated document in it (export the project with its annotations)")
        refuse_sealed(records, f"--real {path}")
        docs += [{"text": r["text"], "entities": r["entities"], "source": str(path)} for r in records]
    return docs * repeat


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
    try:
        if args.n < 0 or args.real_repeat < 1:
            raise ValueError("--n must be >= 0 and --real-repeat >= 1")
        genres = select_genres(args.genres, args.exclude_genres)
        if not genres:
            raise ValueError("no genres left after --exclude-genres")
        real = real_documents(args.real, args.real_repeat)
    except ValueError as e:
        raise SystemExit(str(e)) from None
    docs = generate_documents(args.n, args.seed, genres)
    write_jsonl(docs + real, args.out)
    mixed = f" and {len(real)} hand-annotated ({len(real) // args.real_repeat} x {args.real_repeat})" if real else ""
    print(f"wrote {len(docs)} generated documents{mixed} to {args.out}")
