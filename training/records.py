"""Training records on disk: one JSON object per line ({text, entities} with code-point offsets)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable


def write_jsonl(docs: Iterable[dict], path: str | Path) -> None:
    """Write one JSON object per line (UTF-8, non-ASCII kept)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")


def read_jsonl(path: str | Path) -> list[dict]:
    """Read a JSONL file written by write_jsonl."""
    with Path(path).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
