"""The evaluation sets `make eval` reports, and the rule that keeps the sealed one out of training.

A set whose name ends in ``_sealed`` (the outside set's test half, data/eval/README.md) is scored
only to report: `make eval` never shows its errors, `maritime-ner data --real` refuses to mix its
documents into training data, and `make eval` refuses to score it for a model trained on them.
Other sets may be trained on (the outside dev half is, by default: docs/experiments.md); `make eval`
then marks their scores as training-set scores.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

SEALED_SUFFIX = "_sealed"
ROOT = Path(__file__).resolve().parents[1]  # the checkout the default sets' paths are relative to

# (name, path) in report order. outside_test is sealed: written by someone who never saw the
# generator, split once from outside_dev. writers_dev: written from data/annotated/BRIEF.md by two
# writers who saw neither the generator nor any other set; never trained on. writers_dev2: the same, by two
# more writers, from the brief alone, after the focus rounds had drawn on writers_dev's errors.
DEFAULT_SETS = (
    ("handwritten_dev", "data/dev/handwritten.json"),
    ("outside_dev", "data/eval/outside_dev.json"),
    ("writers_dev", "data/eval/writers_dev.json"),
    ("writers_dev2", "data/eval/writers_dev2.json"),
    ("outside_test" + SEALED_SUFFIX, "data/eval/outside_test.json"),
    ("holdout_genres", "data/holdout.jsonl"),
)


def is_sealed(name: str) -> bool:
    return name.endswith(SEALED_SUFFIX)


def shared_texts(texts: Iterable[str], others: Iterable[str]) -> int:
    """How many of ``texts`` occur, exactly, among ``others``."""
    pool = set(others)
    return sum(text in pool for text in texts)


def sealed_sets(root: Path = ROOT) -> list[tuple[str, Path]]:
    """The default sealed sets that exist under ``root``."""
    return [(name, root / path) for name, path in DEFAULT_SETS if is_sealed(name) and (root / path).exists()]


def refuse_sealed(records: Sequence[dict], where: str, root: Path = ROOT) -> None:
    """Raise ValueError if any of ``records`` (training documents from ``where``) is a sealed document."""
    from .data import load_records  # numpy and tokenizers: only where training data is built

    for name, path in sealed_sets(root):
        shared = shared_texts((r["text"] for r in records), (r["text"] for r in load_records(path)))
        if shared:
            raise ValueError(
                f"{where}: {shared} document(s) of the sealed set {name} ({path}); it is scored only to report and "
                f"must never be trained on. Leave it out of --real (data/eval/README.md)")
