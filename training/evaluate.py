"""`make eval`: score a built model in process and through the served ensemble (which must agree).

Writes reports/eval.json, reports/eval.md and reports/eval.png (per-label F1, training curves).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Sequence

from maritime_ner import paths
from maritime_ner.core.scores import entity_scores, entity_set, format_scores
from maritime_ner.repository.exported import QUANTIZATION_REPORT, graph_precision
from maritime_ner.repository.layout import ModelRepository
from maritime_ner.repository.reference import Pipeline

from .data import load_records
from .eval_sets import DEFAULT_SETS, SEALED_SUFFIX, is_sealed, shared_texts

CONTEXT = 40  # characters of context either side of an error
MISSED = "(missed)"
SPURIOUS = "O"


def snippet(text: str, start: int, end: int) -> str:
    """The entity in brackets with some context, on one line."""
    left, right = text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]
    return f"{left}[{text[start:end]}]{right}".replace("\r", " ").replace("\n", " ")


def classify_errors(text: str, gold: set, pred: dict) -> list[dict[str, Any]]:
    """False positives, misses, boundary and type errors of one document; pred maps entity -> score."""
    errors = []
    for start, end, label in sorted(gold - set(pred)):
        overlap = [p for p in pred if p[0] < end and start < p[1]]
        kind = "missed" if not overlap else ("type" if any(p[2] != label for p in overlap) else "boundary")
        errors.append({"kind": kind, "gold": [start, end, label], "predicted": [[*p, text[p[0]:p[1]]] for p in overlap],
                       "context": snippet(text, start, end), "weight": 1.0})
    for p, score in pred.items():
        if p not in gold and not any(g[0] < p[1] and p[0] < g[1] for g in gold):
            errors.append({"kind": "spurious", "gold": None, "predicted": [[*p, text[p[0]:p[1]]]],
                           "context": snippet(text, p[0], p[1]), "weight": score})
    return errors


def type_confusion(gold: set, pred: set) -> Counter:
    """Counts (gold label, predicted label) over overlapping spans; misses and spurious spans included."""
    pairs: Counter = Counter()
    for g in gold:
        overlap = [p for p in pred if p[0] < g[1] and g[0] < p[1]]
        if overlap:
            pairs.update((g[2], p[2]) for p in overlap)
        else:
            pairs[(g[2], MISSED)] += 1
    for p in pred:
        if not any(g[0] < p[1] and p[0] < g[1] for g in gold):
            pairs[(SPURIOUS, p[2])] += 1
    return pairs


def evaluate_set(name: str, records: Sequence[dict], predicted: Sequence[list]) -> dict[str, Any]:
    """Scores, errors and confusion for one evaluation set (no error examples for a sealed one)."""
    gold = [entity_set(r) for r in records]
    pred = [{(s.start, s.end, s.label): s.score for s in spans} for spans in predicted]
    errors, confusion = [], Counter()
    for record, g, p in zip(records, gold, pred):
        errors.extend(classify_errors(record["text"], g, p))
        confusion.update(type_confusion(g, set(p)))
    errors.sort(key=lambda e: (-e["weight"], e["kind"]))
    sealed = is_sealed(name)  # scored and its errors counted, none shown: an error list invites tuning
    return {
        "name": name,
        "documents": len(records),
        "scores": entity_scores(gold, [set(p) for p in pred]),
        "error_counts": dict(Counter(e["kind"] for e in errors)),
        "sealed": sealed,
        "worst_errors": [] if sealed else errors[:40],
        "confusion": [{"gold": g, "predicted": p, "count": c} for (g, p), c in sorted(confusion.items())],
    }


def served_spans(repository: Path, text_sets: Sequence[Sequence[str]]) -> list[list[tuple[int, int, str]]]:
    """Spans from a local tritonserver on the built repository (code points, via UTF-16 offsets).

    Each set is sent on its own, 8 documents per request like the in-process reference groups
    them: a dynamic-INT8 core quantises activations per batch, so the grouping must match.
    """
    from maritime_ner.client.ner_client import NerClient
    from maritime_ner.serving.local_triton import TritonServer
    from maritime_ner.core.offsets import from_utf16

    log = paths.state_dir() / "eval-server.log"
    log.parent.mkdir(exist_ok=True)
    with TritonServer(repository, log_path=log) as server:
        client = NerClient(server.grpc_url)
        results = [item for texts in text_sets for item in client.infer(list(texts))]
        client.close()
    out = []
    for text, items in zip([t for texts in text_sets for t in texts], results):
        if not isinstance(items, list):
            raise RuntimeError(f"the server refused an evaluation document: {items}")
        out.append([(from_utf16(text, r["value"]["start"]), from_utf16(text, r["value"]["end"]), r["value"]["labels"][0]) for r in items])
    return out


def render_markdown(report: dict[str, Any]) -> str:
    """reports/eval.md."""
    gate = report.get("quantization")
    served = f"served graph: {report.get('precision', '?')}, decoder min_score {report.get('min_score', 0)}" + (
        f"; export gate on {gate['documents']} validation documents: entity F1 fp32 {gate['f1_fp32']:.4f}, "
        f"int8 {gate['f1_int8']:.4f} (delta {gate['f1_delta']:+.4f})" if gate else "")
    lines = ["# Evaluation", "", f"Model: `{report['repository']}` (`{report['model_version']}`; {served})", "",
             f"Served ensemble agrees with the in-process reference: **{report['served_agrees']}** "
             f"({report['served_disagreements']} documents differ)", ""]
    for result in report["sets"]:
        note = trained_on_note(result)
        lines += [f"## {result['name']} ({result['documents']} documents)", "", *([note.capitalize() + ".", ""] if note else []), "```", format_scores(result["scores"]), "```", "",
                  "Errors: " + ", ".join(f"{k} {v}" for k, v in sorted(result["error_counts"].items())), "",
                  "### Entity-type confusion (gold → predicted, overlapping spans)", "",
                  "| gold | predicted | count |", "|---|---|---|"]
        lines += [f"| {c['gold']} | {c['predicted']} | {c['count']} |" for c in result["confusion"] if c["gold"] != c["predicted"]]
        if result.get("sealed"):
            lines += ["", "Sealed set: its errors are counted above, never shown (data/eval/README.md).", ""]
            continue
        lines += ["", "### Worst errors", "", "| kind | gold | predicted | context |", "|---|---|---|---|"]
        for e in result["worst_errors"][:25]:
            gold = e["gold"][2] if e["gold"] else "—"
            predicted = ", ".join(f"{p[2]} '{p[3]}'" for p in e["predicted"]).replace("|", "/") or "—"
            lines.append(f"| {e['kind']} | {gold} | {predicted} | `{e['context'].replace('|', '/').replace('`', '')}` |")
        lines.append("")
    return "\n".join(lines)


def plot(report: dict[str, Any], history: list[dict], path: Path) -> None:
    """Per-label F1 for each set, and the training loss / validation F1 curves."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.5))
    labels = [k for k in report["sets"][0]["scores"] if k != "micro"]
    width = 0.8 / len(report["sets"])
    for i, result in enumerate(report["sets"]):
        left.bar([x + i * width for x in range(len(labels))], [result["scores"][k]["f1"] for k in labels], width,
                 label=result["name"] + (" (trained on)" if result.get("trained_on") else ""), hatch="//" if result.get("trained_on") else None)
    left.set_xticks([x + 0.4 - width / 2 for x in range(len(labels))], labels, rotation=30)
    left.set_ylim(0, 1.05)
    left.set_title("Entity F1 per label")
    left.legend(fontsize=8)
    if history:
        right.plot([h["step"] for h in history], [h["loss"] for h in history], lw=0.6, label="training loss")
        right.set_xlabel("step")
        evals = [h for h in history if "dev_f1" in h]
        twin = right.twinx()
        twin.plot([h["step"] for h in evals], [h["dev_f1"] for h in evals], "o-", color="tab:green", label="validation F1")
        twin.set_ylim(0, 1.05)
        right.set_title("Training")
        right.legend(loc="upper left", fontsize=8)
        twin.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def trained_on_note(result: dict[str, Any]) -> str:
    """'trained on: n of m documents, ...' for a set the model's training data shares documents with, else ''."""
    n = result.get("trained_on", 0)
    return f"trained on: {n} of {result['documents']} documents, a training-set score" if n else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--repository", type=Path, default=paths.REPO_OUT)
    parser.add_argument("--set", action="append", default=None, metavar="NAME=PATH",
                        help=f"evaluation set (JSONL or Label Studio export); repeatable; a NAME ending in {SEALED_SUFFIX} "
                             "is scored without showing its errors")
    parser.add_argument("--metrics", type=Path, default=paths.MODEL_DIR / "training_metrics.json")
    parser.add_argument("--out", type=Path, default=paths.REPORTS)
    parser.add_argument("--no-serve", action="store_true", help="skip the served-ensemble comparison")
    parser.add_argument("--train-file", type=Path, default=Path("data/train.jsonl"),
                        help="the model's training data: sets sharing documents with it are marked as trained on "
                             "(a sealed one is refused)")
    args = parser.parse_args(argv)
    loaded = []  # (name, records, documents also in the training data)
    train_texts = {r["text"] for r in load_records(args.train_file)} if args.train_file.exists() else set()
    for item in args.set or [f"{name}={path}" for name, path in DEFAULT_SETS]:
        name, _, path = item.partition("=")
        if not Path(path).exists():
            print(f"eval: skipping {name}: {path} does not exist", file=sys.stderr)
            continue
        records = load_records(Path(path))
        trained_on = shared_texts((r["text"] for r in records), train_texts)
        if trained_on and is_sealed(name):
            print(f"eval: {trained_on} document(s) of the sealed set {name} ({path}) are in the training data "
                  f"{args.train_file}, so its score would mean nothing; make the training data without them "
                  "(rm data/train.jsonl; make data; data/eval/README.md)", file=sys.stderr)
            return 2
        loaded.append((name, records, trained_on))
    if not loaded:
        parser.error("no evaluation set found")
    pipeline = Pipeline.from_repository(args.repository)
    report: dict[str, Any] = {"repository": str(args.repository), "sets": [], "served_disagreements": 0}
    repo = ModelRepository(args.repository)
    report["model_version"] = repo.model_version
    report["precision"] = graph_precision(repo.onnx_path)
    report["min_score"] = pipeline.min_score
    gate = args.metrics.parent / QUANTIZATION_REPORT
    if report["precision"] == "int8" and gate.exists():
        report["quantization"] = json.loads(gate.read_text(encoding="utf-8"))
    text_sets, all_local = [], []
    for name, records, trained_on in loaded:
        predicted = pipeline.spans([r["text"] for r in records])
        report["sets"].append(evaluate_set(name, records, predicted) | {"trained_on": trained_on})
        text_sets.append([r["text"] for r in records])
        all_local += [[(s.start, s.end, s.label) for s in spans] for spans in predicted]
    if not args.no_serve:
        served = served_spans(args.repository, text_sets)
        report["served_disagreements"] = sum(a != b for a, b in zip(served, all_local))
    report["served_agrees"] = None if args.no_serve else report["served_disagreements"] == 0
    history = json.loads(args.metrics.read_text())["history"] if args.metrics.exists() else []
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "eval.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    (args.out / "eval.md").write_text(render_markdown(report), encoding="utf-8")
    plot(report, history, args.out / "eval.png")
    for result in report["sets"]:
        print(f"{result['name']}: micro F1 {result['scores']['micro']['f1']:.3f} "
              f"(P {result['scores']['micro']['precision']:.3f}, R {result['scores']['micro']['recall']:.3f})"
              + (f" ({note})" if (note := trained_on_note(result)) else ""))
    print(f"served == in-process: {report['served_agrees']}; wrote {args.out}/eval.md, eval.json, eval.png")
    return 1 if report["served_agrees"] is False else 0


if __name__ == "__main__":
    sys.exit(main())
