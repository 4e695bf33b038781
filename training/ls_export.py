"""A Label Studio export (file or fetched through the API) -> our train/val JSONL.

    python -m training.ls_export --export export.json --train-out data/train.jsonl --val-out data/val.jsonl
    LABEL_STUDIO_URL=... LABEL_STUDIO_API_KEY=... python -m training.ls_export --project ID --save-export data/ls_export.json ...

UTF-16 offsets become code points, cancelled annotations are skipped, the ground-truth (else the
latest) annotation of each task is used, and labels outside our 9 are reported and dropped.
Records that break the guide (overlapping spans) are reported and left out.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any, Sequence

from maritime_ner.core.ls_format import ExportStats, convert_export
from maritime_ner.labelstudio.api import LabelStudio, LabelStudioError, MissingCredentials, add_connection_args
from training.data import validate_record


def usable_records(records: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """Records that pass ``validate_record``, and one problem line per record left out."""
    kept, problems = [], []
    for i, record in enumerate(records):
        try:
            validate_record(record, f"record {i}")
        except ValueError as err:
            problems.append(str(err))
        else:
            kept.append(record)
    return kept, problems


def split(records: Sequence[dict[str, Any]], val_fraction: float) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Stable train/val split by a hash of the text (a document stays on its side across exports)."""
    train, val = [], []
    for record in records:
        bucket = int(hashlib.sha1(record["text"].encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
        (val if bucket < val_fraction else train).append(record)
    if val_fraction > 0 and not val and len(train) > 1:
        val.append(train.pop())
    return train, val


def write_jsonl(records: Sequence[dict[str, Any]], path: Path) -> None:
    """One JSON record a line, UTF-8."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def describe(stats: ExportStats, problems: Sequence[str]) -> list[str]:
    """Report lines for the conversion."""
    lines = [
        f"{stats.converted}/{stats.tasks} tasks converted, {stats.cancelled} only cancelled, "
        f"{stats.without_annotation} without annotation, {len(problems)} left out as invalid"
    ]
    if stats.unknown_labels:
        lines.append(f"labels outside the 9 dropped: {dict(sorted(stats.unknown_labels.items()))}")
    lines.extend(f"left out: {p}" for p in problems)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(allow_abbrev=False, prog="python -m training.ls_export", description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--export", type=Path, help="a Label Studio JSON export file")
    source.add_argument("--project", type=int, help="project id: fetch its export through the API ($LABEL_STUDIO_API_KEY)")
    add_connection_args(parser, "--url")
    parser.add_argument("--save-export", type=Path, help="also keep the fetched export here")
    parser.add_argument("--text-key", default="text", help="task data field with the text")
    parser.add_argument("--train-out", type=Path, required=True)
    parser.add_argument("--val-out", type=Path, help="validation records (omit to put every record in --train-out)")
    parser.add_argument("--val-fraction", type=float, default=0.1)
    args = parser.parse_args(argv)
    if not 0 <= args.val_fraction < 1:
        parser.error("--val-fraction must be in [0, 1)")
    try:
        if args.project is not None:
            tasks = LabelStudio.from_env(args.ls_url).export(args.project)
            if args.save_export:
                args.save_export.parent.mkdir(parents=True, exist_ok=True)
                args.save_export.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
        else:
            tasks = json.loads(args.export.read_text(encoding="utf-8"))
        records, stats = convert_export(tasks, args.text_key)
    except (LabelStudioError, MissingCredentials, OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    kept, problems = usable_records(records)
    for line in describe(stats, problems):
        print(line, file=sys.stderr)
    if not kept:
        print("error: no usable annotated task in the export", file=sys.stderr)
        return 1
    train, val = split(kept, args.val_fraction if args.val_out else 0.0)
    write_jsonl(train, args.train_out)
    if args.val_out:
        write_jsonl(val, args.val_out)
    print(f"{len(train)} train records -> {args.train_out}" + (f", {len(val)} val -> {args.val_out}" if args.val_out else ""), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
