"""Label Studio's formats: prediction results out, JSON exports in (UTF-16 offsets)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from .contract import ENTITY_LABELS, LS_FROM_NAME, LS_TO_NAME, LS_TYPE
from .decoding import Span
from .offsets import from_utf16, to_utf16, utf16_prefix, utf16_slice


def result_id(start: int, end: int, label: str) -> str:
    """Stable region id, so the same span always gets the same id."""
    return hashlib.sha1(f"{start}:{end}:{label}".encode()).hexdigest()[:10]


def to_results(text: str, spans: Iterable[Span]) -> list[dict[str, Any]]:
    """Label Studio result items for ``spans`` (code points) with UTF-16 offsets."""
    prefix = utf16_prefix(text)
    results = []
    for span in spans:
        start, end = to_utf16(text, span.start, prefix), to_utf16(text, span.end, prefix)
        results.append({
            "id": result_id(start, end, span.label),
            "from_name": LS_FROM_NAME,
            "to_name": LS_TO_NAME,
            "type": LS_TYPE,
            "value": {"start": start, "end": end, "text": span.text, "labels": [span.label]},
            "score": span.score,
        })
    return results


def prediction(results: Sequence[dict[str, Any]], model_version: str) -> dict[str, Any]:
    """A Label Studio prediction; its score is the mean of the region scores (0 when none)."""
    score = sum(r["score"] for r in results) / len(results) if results else 0.0
    return {"model_version": model_version, "score": round(score, 6), "result": list(results)}


@dataclass
class ExportStats:
    """What converting an export skipped or could not use."""

    tasks: int = 0
    converted: int = 0
    cancelled: int = 0
    without_annotation: int = 0
    unknown_labels: dict[str, int] = field(default_factory=dict)


def choose_annotation(task: dict[str, Any]) -> dict[str, Any] | None:
    """The ground-truth annotation if any, else the most recent; cancelled ones never."""
    usable = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    if not usable:
        return None
    truth = [a for a in usable if a.get("ground_truth")]
    pool = truth or usable
    return max(pool, key=lambda a: (str(a.get("updated_at") or a.get("created_at") or ""), a.get("id") or 0))


def task_text(task: dict[str, Any], text_key: str = "text") -> str:
    """The task's document text."""
    data = task.get("data") or {}
    if text_key not in data:
        raise ValueError(f"task {task.get('id')} has no data.{text_key}")
    return str(data[text_key])


def entities_from_results(text: str, results: Iterable[dict[str, Any]], stats: ExportStats) -> list[dict[str, Any]]:
    """Label Studio regions (UTF-16) -> our entities (code points), sorted; unknown labels counted."""
    prefix = utf16_prefix(text)
    entities = []
    for item in results:
        if item.get("type") != LS_TYPE:
            continue
        value = item["value"]
        for label in value.get("labels", []):
            if label not in ENTITY_LABELS:
                stats.unknown_labels[label] = stats.unknown_labels.get(label, 0) + 1
                continue
            start = from_utf16(text, int(value["start"]), prefix)
            end = from_utf16(text, int(value["end"]), prefix)
            given = value.get("text")
            if given is not None and given != text[start:end] and given != utf16_slice(text, value["start"], value["end"]):
                raise ValueError(f"region text {given!r} does not match the document at [{start}, {end})")
            entities.append({"start": start, "end": end, "label": label})
    return sorted(entities, key=lambda e: (e["start"], e["end"]))


def convert_export(tasks: Sequence[dict[str, Any]], text_key: str = "text") -> tuple[list[dict[str, Any]], ExportStats]:
    """A Label Studio JSON export -> our JSONL records ``{"text", "entities"}`` plus stats."""
    stats = ExportStats(tasks=len(tasks))
    records = []
    for task in tasks:
        annotation = choose_annotation(task)
        if annotation is None:
            if any(a.get("was_cancelled") for a in task.get("annotations") or []):
                stats.cancelled += 1
            else:
                stats.without_annotation += 1
            continue
        text = task_text(task, text_key)
        entities = entities_from_results(text, annotation.get("result") or [], stats)
        records.append({"text": text, "entities": entities})
        stats.converted += 1
    return records, stats
