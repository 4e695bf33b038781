"""Pre-annotate a Label Studio project with the served ``ner`` ensemble, in bulk.

    LABEL_STUDIO_URL=... LABEL_STUDIO_API_KEY=... \
    python -m maritime_ner.labelstudio.preannotate --project ID --triton-url HOST:PORT[,HOST:PORT...] [--workers 4] [--chunk-size 200]

Every task without a prediction from the served model version is sent to Triton, 8 documents
a request, ``--workers`` requests in flight; the answers are stored ``--chunk-size`` at a time
through Label Studio's bulk prediction import (``POST /api/projects/{id}/import/predictions``),
each chunk as soon as it is complete. So a rerun adds nothing, and an interrupted run resumes
where it stopped (losing at most the chunk in flight). A progress bar runs on stderr; at the end
a summary says how many tasks were done, skipped and failed, and why each failed (exit status 1
when any did). ``--one-by-one`` stores each prediction with its own request (the old way, kept
for comparison). Several Triton URLs spread the work over replicas
(maritime_ner.client.replicas.ReplicaPool, which keeps its own requests in flight); the summary
then gives per-replica counts.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Protocol, Sequence

from tqdm import tqdm
from tritonclient.utils import InferenceServerException

from maritime_ner.client.ner_client import MAX_DOCS_PER_REQUEST, InferenceFailed, NerClient
from maritime_ner.client.replicas import ReplicaPool, make_client as make_replica_client, parse_urls
from maritime_ner.core.ls_format import prediction
from maritime_ner.labelstudio.api import LabelStudio, LabelStudioError, MissingCredentials, add_connection_args, config_text_key

DEFAULT_WORKERS = 4  # Triton requests in flight
DEFAULT_CHUNK = 200  # predictions per Label Studio bulk request
MAX_LISTED = 20  # failed tasks listed one a line; the rest are counted by reason


class Interrupted(Exception):
    """Ctrl-C during a run; carries the report so far (stored chunks stay stored)."""

    def __init__(self, report: "Report"):
        super().__init__("interrupted")
        self.report = report


class Client(Protocol):
    """What pre-annotation needs from the Triton side (``NerClient`` or anything shaped like it)."""

    def model_version(self) -> str: ...

    def infer(self, texts: Sequence[str]) -> list[Any]: ...


@dataclass
class Report:
    """What one pre-annotation run did."""

    model_version: str
    tasks: int = 0
    skipped: int = 0
    stored: int = 0
    failed: dict[int, str] = field(default_factory=dict)
    dropped: int = 0  # predictions a bulk import answered for but did not create (invalid for the config)

    def summary(self) -> str:
        """One line for the end of the run."""
        line = (
            f"{self.tasks} tasks: {self.stored} pre-annotated with {self.model_version}, "
            f"{self.skipped} already had its prediction, {len(self.failed)} failed"
        )
        if self.dropped:
            line += f"; Label Studio left out {self.dropped} of the stored predictions as invalid (rerun to retry them)"
        return line

    def failure_lines(self, listed: int = MAX_LISTED) -> list[str]:
        """One line per failed task (the first ``listed``), then counts per reason for the rest."""
        items = sorted(self.failed.items())
        lines = [f"task {task}: {reason}" for task, reason in items[:listed]]
        rest = Counter(reason for _, reason in items[listed:])
        lines += [f"... and {n} more: {reason}" for reason, n in rest.most_common()]
        return lines


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


Outcome = tuple[list[tuple[int, dict[str, Any]]], dict[int, str]]  # (task id, prediction) pairs, failures


def infer_tasks(client: Client, tasks: Sequence[dict[str, Any]], text_key: str, model_version: str) -> Outcome:
    """Predictions for one batch of tasks, and why the others failed (no shared state: runs in worker threads)."""
    ready, texts, failed = [], [], {}
    for task in tasks:
        text = (task.get("data") or {}).get(text_key)
        if isinstance(text, str):
            ready.append(task["id"])
            texts.append(text)
        else:
            failed[task["id"]] = f"no text in data.{text_key}"
    if not ready:
        return [], failed
    try:
        results = client.infer(texts)
    except (InferenceServerException, OSError) as err:  # server gone mid-run: these tasks fail, stored ones stay
        return [], {**failed, **{t: f"Triton: {err}" for t in ready}}
    done = []
    for task_id, result in zip(ready, results):
        if isinstance(result, InferenceFailed):
            failed[task_id] = f"Triton refused it: {result}"
        else:
            done.append((task_id, prediction(result, model_version)))
    return done, failed


def store_one_by_one(ls: LabelStudio, items: Sequence[tuple[int, dict[str, Any]]], report: Report) -> None:
    """One ``POST /api/predictions`` per task; failures recorded per task."""
    for task_id, pred in items:
        try:
            ls.create_prediction(task_id, pred)
        except (LabelStudioError, OSError) as err:
            report.failed[task_id] = f"Label Studio did not store it: {err}"
        else:
            report.stored += 1


def store_bulk(ls: LabelStudio, project: int, items: Sequence[tuple[int, dict[str, Any]]], report: Report) -> None:
    """One bulk import for the chunk; a refused chunk (e.g. a task deleted meanwhile) is retried task by task."""
    if not items:
        return
    try:
        created = ls.import_predictions(project, [{"task": t, **pred} for t, pred in items])
    except LabelStudioError as err:
        if err.status != 400:
            for task_id, _ in items:
                report.failed[task_id] = f"Label Studio did not store it: {err}"
            return
        store_one_by_one(ls, items, report)
        return
    except OSError as err:
        for task_id, _ in items:
            report.failed[task_id] = f"Label Studio did not store it: {err}"
        return
    report.stored += len(items)
    report.dropped += max(0, len(items) - created)


def annotate_batch(ls: LabelStudio, client: Client, tasks: Sequence[dict[str, Any]], text_key: str, report: Report) -> None:
    """Infer one batch and store each result with its own request; failures are recorded per task."""
    done, failed = infer_tasks(client, tasks, text_key, report.model_version)
    report.failed.update(failed)
    store_one_by_one(ls, done, report)


class ClientPool:
    """One client per worker thread (tritonclient's clients are not shared between threads)."""

    def __init__(self, first: Client, make_client: Callable[[], Client] | None):
        self.first, self.make_client = first, make_client
        self._local = threading.local()
        self._made: list[Client] = []
        self._first_taken = False
        self._lock = threading.Lock()

    def get(self) -> Client:
        """This thread's client: ``first`` for the first thread that asks, a new one for each other."""
        client = getattr(self._local, "client", None)
        if client is None:
            with self._lock:
                if not self._first_taken or self.make_client is None:
                    client, self._first_taken = self.first, True
                else:
                    client = self.make_client()
                    self._made.append(client)
            self._local.client = client
        return client

    def close(self) -> None:
        """Close the clients this pool made (not ``first``: its owner closes it)."""
        for client in self._made:
            close = getattr(client, "close", None)
            if close is not None:
                close()


def inferred(pool: ClientPool, todo: Sequence[dict[str, Any]], text_key: str, model_version: str, batch_size: int,
             workers: int) -> Iterator[tuple[int, Outcome]]:
    """(tasks in the batch, outcome) per Triton batch, in order, at most ``workers`` requests in flight."""
    def run(batch: Sequence[dict[str, Any]]) -> Outcome:
        return infer_tasks(pool.get(), batch, text_key, model_version)

    if workers <= 1:
        # a ReplicaPool keeps several requests in flight itself: hand it enough tasks at once to fill them
        step = batch_size * getattr(pool.first, "parallelism", 1)
        for batch in batches(todo, step):
            yield len(batch), run(batch)
        return
    window: list[tuple[int, Future]] = []  # bounded: an interrupted run leaves few requests queued
    with ThreadPoolExecutor(workers, thread_name_prefix="preannotate") as executor:
        try:
            for batch in batches(todo, batch_size):
                window.append((len(batch), executor.submit(run, batch)))
                if len(window) >= 2 * workers:
                    size, future = window.pop(0)
                    yield size, future.result()
            for size, future in window:
                yield size, future.result()
        finally:
            for _, future in window:
                future.cancel()


def preannotate(ls: LabelStudio, client: Client, project: int, batch_size: int = MAX_DOCS_PER_REQUEST,
                text_key: str | None = None, progress: bool = True, workers: int = 1,
                make_client: Callable[[], Client] | None = None, chunk_size: int = DEFAULT_CHUNK, bulk: bool = True) -> Report:
    """Pre-annotate every task of ``project`` that lacks a prediction from the served model version.

    ``client`` answers in the calling thread; with ``workers`` > 1, ``make_client`` makes one
    client per further worker thread. Predictions are stored ``chunk_size`` at a time (``bulk``)
    or one request per task.
    """
    report = Report(model_version=client.model_version())
    key = text_key or config_text_key(ls.project(project)["label_config"])
    todo = pending(ls.iter_tasks(project), report.model_version, report)
    workers = workers if make_client is not None else 1  # never share one client between threads
    pool = ClientPool(client, make_client if workers > 1 else None)
    chunk: list[tuple[int, dict[str, Any]]] = []
    try:
        with tqdm(total=len(todo), unit="task", disable=not progress, file=sys.stderr, desc="pre-annotating") as bar:
            for size, (done, failed) in inferred(pool, todo, key, report.model_version, batch_size, workers):
                report.failed.update(failed)
                if not bulk:
                    store_one_by_one(ls, done, report)
                else:
                    chunk.extend(done)
                    if len(chunk) >= chunk_size:
                        store_bulk(ls, project, chunk, report)
                        chunk = []
                bar.update(size)
                bar.set_postfix(stored=report.stored, failed=len(report.failed), refresh=False)
            store_bulk(ls, project, chunk, report)
    except KeyboardInterrupt:
        raise Interrupted(report) from None
    finally:
        pool.close()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(allow_abbrev=False, prog="python -m maritime_ner.labelstudio.preannotate", description=__doc__.splitlines()[0])
    add_connection_args(parser)
    parser.add_argument("--project", required=True, type=int, help="Label Studio project id")
    parser.add_argument("--triton-url", required=True, help="Triton HOST:PORT (gRPC by default); several, comma-separated, for replicas")
    parser.add_argument("--protocol", choices=("grpc", "http"), default="grpc")
    parser.add_argument("--batch-size", type=int, default=MAX_DOCS_PER_REQUEST, help="documents per Triton request (1-8)")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="Triton requests in flight")
    parser.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK, help="predictions per Label Studio bulk import")
    parser.add_argument("--one-by-one", action="store_true", help="store each prediction with its own request (slow; for comparison)")
    parser.add_argument("--text-key", help="task data field with the text (default: read from the labeling config)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if not 1 <= args.batch_size <= MAX_DOCS_PER_REQUEST:
        parser.error(f"--batch-size must be 1-{MAX_DOCS_PER_REQUEST}")
    if args.workers < 1 or args.chunk_size < 1:
        parser.error("--workers and --chunk-size must be at least 1")
    try:
        ls = LabelStudio.from_env(args.ls_url)
    except MissingCredentials as err:
        parser.error(str(err))
    urls = parse_urls(args.triton_url)
    if len(urls) > 1:  # the pool spreads each call over the replicas with its own workers
        client: NerClient | ReplicaPool = make_replica_client(urls, args.protocol, batch_size=args.batch_size)
        more_clients = None
    else:
        client = NerClient(urls[0], args.protocol)
        more_clients = lambda: NerClient(urls[0], args.protocol)  # noqa: E731
    try:
        report = preannotate(ls, client, args.project, args.batch_size, args.text_key, progress=not args.no_progress,
                             workers=args.workers, make_client=more_clients, chunk_size=args.chunk_size,
                             bulk=not args.one_by_one)
    except Interrupted as stop:
        print("\n".join(stop.report.failure_lines() + [f"interrupted: {stop.report.summary()}; rerun to resume"]), file=sys.stderr)
        return 130
    except (LabelStudioError, OSError, InferenceServerException, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    finally:
        client.close()
    for line in report.failure_lines():
        print(line, file=sys.stderr)
    print(report.summary(), file=sys.stderr)
    if isinstance(client, ReplicaPool):
        print(client.summary(), file=sys.stderr)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
