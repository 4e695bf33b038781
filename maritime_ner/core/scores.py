"""Entity-level scores with strict span match (same label, same start and end)."""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Sequence

from .contract import ENTITY_LABELS

Entity = tuple[int, int, str]  # (start, end, label), code points


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall, F1 from counts (0 where undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def entity_scores(gold: Sequence[Iterable[Entity]], pred: Sequence[Iterable[Entity]]) -> dict[str, dict]:
    """Per-label and micro precision/recall/F1/support over documents."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for g_doc, p_doc in zip(gold, pred, strict=True):
        g, p = set(g_doc), set(p_doc)
        for _, _, label in g & p:
            tp[label] += 1
        for _, _, label in p - g:
            fp[label] += 1
        for _, _, label in g - p:
            fn[label] += 1
    scores = {label: {**_prf(tp[label], fp[label], fn[label]), "support": tp[label] + fn[label]} for label in ENTITY_LABELS}
    total = (sum(tp.values()), sum(fp.values()), sum(fn.values()))
    scores["micro"] = {**_prf(*total), "support": total[0] + total[2]}
    return scores


def format_scores(scores: dict[str, dict]) -> str:
    """A fixed-width table of entity_scores' output."""
    lines = [f"{'label':<12}{'prec':>7}{'rec':>7}{'f1':>7}{'support':>9}"]
    for label, s in scores.items():
        lines.append(f"{label:<12}{s['precision']:>7.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}{s['support']:>9d}")
    return "\n".join(lines)


def entity_set(record: dict[str, Any]) -> set[tuple[int, int, str]]:
    """A record's gold entities as (start, end, label) tuples."""
    return {(e["start"], e["end"], e["label"]) for e in record["entities"]}
