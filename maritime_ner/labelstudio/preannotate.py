"""Pre-annotate a Label Studio project with the served ``ner`` ensemble.

    python -m maritime_ner.labelstudio.preannotate --ls-url URL --ls-api-key KEY --project ID --triton-url HOST:PORT[,HOST:PORT...]

Every task without a prediction from the served model version is sent to Triton in batches;
each result is stored at once as a prediction (``model_version``, scores), so a rerun adds
nothing and an interrupted run resumes where it stopped. Tasks that fail are listed at the
end (exit status 1); the others are stored. Several Triton URLs spread the work over replicas
(maritime_ner.client.replicas.ReplicaPool); the summary then gives per-replica counts.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from tqdm import tqdm
from tritonclient.utils import InferenceServerException

from maritime_ner.client.ner_client import MAX_DOCS_PER_REQUEST, InferenceFailed, NerClient
from maritime_ner.client.replicas import ReplicaPool, make_client
from maritime_ner.core.ls_format import prediction
from maritime_ner.labelstudio.api import LabelStudio, LabelStudioError, config_text_key


@dataclass
class Report:
    """What one pre-annotation run did."""

    model_version: str
    tasks: int = 0
    skipped: int = 0
    stored: int = 0
    failed: dict[int, str] = field(default_factory=dict)

    def summary(self) -> str:
        """One line for the end of the run."""
        return (
            f"{self.tasks} tasks: {self.stored} pre-annotated with {self.model_version}, "
            f"{self.skipped} already had its prediction, {len(self.failed)} failed"
        )


def has_prediction(task: dict[str, Any], model_version: str) -> bool:
    """True when the task already carries a prediction from ``model_version``."""
    return any(isinstance(p, dict) and p.get("model_version") == model_version for p in task.get("predictions") or [])


def pending(tasks: Iterable[dict[str, Any]], model_version: str, report: Report) -> list[dict[str, Any]]:
    """The tasks still to pre-annotate; counts the others as skipped."""
    todo = []
    for task in tasks:
        report.tasks += 1
        if has_prediction(task, model_version):
            report.skipped += 1
        else:
            todo.append(task)
    return todo


def batches(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    """Consecutive slices of at most ``size`` items."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def annotate_batch(ls: LabelStudio, client: NerClient | ReplicaPool, tasks: Sequence[dict[str, Any]], text_key: str, report: Report) -> None:
    """Infer one batch and store each result; failures are recorded per task."""
    texts, ready = [], []
    for task in tasks:
        text = (task.get("data") or {}).get(text_key)
        if not isinstance(text, str):
            report.failed[task["id"]] = f"no text in data.{text_key}"
        else:
            texts.append(text)
            ready.append(task)
    if not ready:
        return
    try:
        results = client.infer(texts)
    except (InferenceServerException, OSError) as err:  # server gone mid-run: these tasks fail, stored ones stay
        for task in ready:
            report.failed[task["id"]] = f"Triton: {err}"
        return
    for task, result in zip(ready, results):
        if isinstance(result, InferenceFailed):
            report.failed[task["id"]] = f"Triton refused it: {result}"
            continue
        try:
            ls.create_prediction(task["id"], prediction(result, report.model_version))
        except (LabelStudioError, OSError) as err:
            report.failed[task["id"]] = f"Label Studio did not store it: {err}"
        else:
            report.stored += 1


def preannotate(ls: LabelStudio, client: NerClient | ReplicaPool, project: int, batch_size: int = MAX_DOCS_PER_REQUEST,
                text_key: str | None = None, progress: bool = True) -> Report:
    """Pre-annotate every task of ``project`` that lacks a prediction from the served model version."""
    report = Report(model_version=client.model_version())
    key = text_key or config_text_key(ls.project(project)["label_config"])
    todo = pending(ls.iter_tasks(project), report.model_version, report)
    # A pool keeps several requests in flight: hand it enough tasks at once to fill them.
    step = batch_size * getattr(client, "parallelism", 1)
    with tqdm(total=len(todo), unit="task", disable=not progress, file=sys.stderr) as bar:
        for chunk in batches(todo, step):
            annotate_batch(ls, client, chunk, key, report)
            bar.update(len(chunk))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(allow_abbrev=False, prog="python -m maritime_ner.labelstudio.preannotate", description=__doc__.splitlines()[0])
    parser.add_argument("--ls-url", required=True, help="Label Studio address, e.g. http://localhost:8080")
    parser.add_argument("--ls-api-key", required=True, help="Label Studio API token (Account & Settings)")
    parser.add_argument("--project", required=True, type=int, help="Label Studio project id")
    parser.add_argument("--triton-url", required=True, help="Triton HOST:PORT (gRPC by default); several, comma-separated, for replicas")
    parser.add_argument("--protocol", choices=("grpc", "http"), default="grpc")
    parser.add_argument("--batch-size", type=int, default=MAX_DOCS_PER_REQUEST, help="documents per Triton request (1-8)")
    parser.add_argument("--text-key", help="task data field with the text (default: read from the labeling config)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if not 1 <= args.batch_size <= MAX_DOCS_PER_REQUEST:
        parser.error(f"--batch-size must be 1-{MAX_DOCS_PER_REQUEST}")
    ls = LabelStudio(args.ls_url, args.ls_api_key)
    client = make_client(args.triton_url, args.protocol, batch_size=args.batch_size) if "," in args.triton_url \
        else NerClient(args.triton_url, args.protocol)
    try:
        report = preannotate(ls, client, args.project, args.batch_size, args.text_key, progress=not args.no_progress)
    except (LabelStudioError, OSError, InferenceServerException, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    finally:
        client.close()
    for task_id, reason in sorted(report.failed.items()):
        print(f"task {task_id}: {reason}", file=sys.stderr)
    print(report.summary(), file=sys.stderr)
    if isinstance(client, ReplicaPool):
        print(client.summary(), file=sys.stderr)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
