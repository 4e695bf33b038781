"""Spread documents over several Triton replicas: bounded concurrency, a failed request retried on another replica.

    pool = ReplicaPool(["host-a:8001", "host-b:8001"])
    results = pool.infer(texts)      # one entry per text, in order (list of results or InferenceFailed)
    pool.counts                      # documents each replica answered

    python -m maritime_ner.client.replicas --url HOST:PORT[,HOST:PORT...] FILE...   (`maritime-ner annotate`)

Each document is answered exactly once: a batch's results are kept only from the request that
succeeded, and a batch goes back to the queue (for any replica) only when its request failed
as a whole. A replica that fails ``max_failures`` times in a row is dropped for the rest of
the run; a document the model itself refuses (INVALID_ARG) is not retried elsewhere.
"""

from __future__ import annotations

import queue
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from maritime_ner.client.ner_client import DEFAULT_URLS, MAX_DOCS_PER_REQUEST, InferenceFailed, NerClient, annotate, parse_args

Result = list[dict[str, Any]] | InferenceFailed
# The server refused the request's content: another replica would refuse it too.
REFUSED_STATUSES = frozenset({"StatusCode.INVALID_ARGUMENT", "400"})


def parse_urls(spec: str | Sequence[str]) -> list[str]:
    """``"a:8001,b:8001"`` (or a list) -> distinct URLs in order; at least one."""
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    urls = list(dict.fromkeys(u.strip() for u in items if u.strip()))
    if not urls:
        raise ValueError("no Triton URL given")
    return urls


@dataclass
class Batch:
    """Consecutive documents sent in one request; ``attempts`` counts failed tries on any replica."""

    start: int
    texts: list[str]
    attempts: int = 0
    tried: set[str] = field(default_factory=set)


@dataclass
class ReplicaPool:
    """Same interface as NerClient (``model_version``, ``infer``, ``close``), over several URLs."""

    urls: Sequence[str]
    protocol: str = "grpc"
    concurrency: int = 2  # requests in flight per replica
    batch_size: int = MAX_DOCS_PER_REQUEST
    timeout: float = 120.0
    max_failures: int = 3  # consecutive failed requests before a replica is dropped for the run
    backoff: float = 0.5  # seconds a worker waits after a failure (others pick up the batch meanwhile)
    client_factory: Callable[[str, str, float], Any] = NerClient
    counts: Counter = field(default_factory=Counter)  # documents answered, per replica URL
    retries: int = 0  # batches sent again after a failed request
    dropped: dict[str, str] = field(default_factory=dict)  # replica URL -> last error

    def __post_init__(self) -> None:
        self.urls = parse_urls(self.urls)
        if not 1 <= self.batch_size <= MAX_DOCS_PER_REQUEST:
            raise ValueError(f"batch_size must be 1-{MAX_DOCS_PER_REQUEST}")
        self._lock = threading.Lock()
        self._failures: Counter = Counter()  # consecutive failed requests per replica (all its workers)

    @property
    def url(self) -> str:
        return ",".join(self.urls)

    @property
    def parallelism(self) -> int:
        """Requests the pool keeps in flight at most (callers size their chunks with it)."""
        return len(self.urls) * self.concurrency

    def model_version(self) -> str:
        """The served model version, from the first replica that answers."""
        errors = []
        for url in self.urls:
            client = self.client_factory(url, self.protocol, self.timeout)
            try:
                return client.model_version()
            except Exception as err:  # unreachable replica: ask the next one
                errors.append(f"{url}: {err}")
            finally:
                client.close()
        raise ConnectionError("no replica answered: " + "; ".join(errors))

    def infer(self, texts: Sequence[str]) -> list[Result]:
        """Results for every text, in order; spread over the replicas, each text answered once."""
        results: list[Result | None] = [None] * len(texts)
        todo: queue.Queue[Batch] = queue.Queue()
        for i in range(0, len(texts), self.batch_size):
            todo.put(Batch(i, list(texts[i : i + self.batch_size])))
        pending = [todo.qsize()]  # batches not settled yet (shared by the workers, under the lock)
        workers = [threading.Thread(target=self._work, args=(url, todo, results, pending), daemon=True)
                   for url in self.urls if url not in self.dropped for _ in range(self.concurrency)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        while not todo.empty():  # every replica dropped: what is left fails, with the reasons
            batch = todo.get_nowait()
            self._settle(batch, None, results, pending, "no replica left: " + "; ".join(f"{u}: {e}" for u, e in self.dropped.items()))
        return [r if r is not None else InferenceFailed("not answered") for r in results]

    @property
    def max_attempts(self) -> int:
        """Failed requests after which a batch fails instead of going back to the queue."""
        return 2 * len(self.urls) + 1

    def _settle(self, batch: Batch, answered: list[Result] | None, results: list, pending: list[int], error: str = "") -> None:
        """Record a batch's final outcome (call with the lock held, or after the workers ended)."""
        outcome = answered if answered is not None else [InferenceFailed(error)] * len(batch.texts)
        results[batch.start : batch.start + len(outcome)] = outcome
        pending[0] -= 1

    def _work(self, url: str, todo: queue.Queue, results: list, pending: list[int]) -> None:
        """One worker bound to one replica, with its own client (tritonclient's are not thread-safe)."""
        client = self.client_factory(url, self.protocol, self.timeout)
        try:
            while True:
                with self._lock:
                    if pending[0] == 0 or url in self.dropped:
                        return
                try:
                    batch = todo.get(timeout=0.05)
                except queue.Empty:
                    continue
                answered, error = self._send(client, batch)
                with self._lock:
                    if answered is not None:
                        self._failures[url] = 0
                        self.counts[url] += len(answered)
                        self._settle(batch, answered, results, pending)
                        continue
                    self._failures[url] += 1
                    batch.attempts += 1
                    batch.tried.add(url)
                    if self._failures[url] >= self.max_failures:
                        self.dropped[url] = error
                    if batch.attempts >= self.max_attempts:
                        self._settle(batch, None, results, pending, f"failed on {sorted(batch.tried)}: {error}")
                    else:
                        self.retries += 1
                        todo.put(batch)  # another replica (or this one, after the backoff) takes it
                time.sleep(self.backoff)
        finally:
            client.close()

    def _send(self, client: Any, batch: Batch) -> tuple[list[Result] | None, str]:
        """(results, "") when the replica answered; (None, why) when the request failed as a whole."""
        try:
            return client.infer_batch(batch.texts), ""
        except InferenceFailed as err:
            if err.status not in REFUSED_STATUSES:
                return None, str(err)
        except Exception as err:  # connection refused or reset, timeout: the replica's fault
            return None, f"{type(err).__name__}: {err}"
        # The model refused the batch's content: answer document by document on this replica.
        answered: list[Result] = []
        for text in batch.texts:
            try:
                answered.extend(client.infer_batch([text]))
            except InferenceFailed as err:
                if err.status not in REFUSED_STATUSES:
                    return None, str(err)
                answered.append(err)
            except Exception as err:
                return None, f"{type(err).__name__}: {err}"
        return answered, ""

    def close(self) -> None:
        """Nothing held between runs (each run's workers close their clients)."""

    def summary(self) -> str:
        """Per-replica counts for the end of a run."""
        parts = [f"{url}: {self.counts[url]}" + (" (dropped)" if url in self.dropped else "") for url in self.urls]
        return "documents per replica: " + ", ".join(parts) + (f"; {self.retries} request(s) retried" if self.retries else "")


def make_client(urls: str | Sequence[str], protocol: str = "grpc", **kwargs) -> NerClient | ReplicaPool:
    """A NerClient for one URL, a ReplicaPool for several (comma-separated)."""
    urls = parse_urls(urls)
    if len(urls) == 1 and not kwargs:
        return NerClient(urls[0], protocol)
    return ReplicaPool(urls, protocol, **kwargs)


def main(argv: list[str] | None = None) -> int:
    """`maritime-ner annotate`: one URL or several replicas."""
    args, docs = parse_args(argv, "maritime-ner annotate")
    return annotate(make_client(args.url or DEFAULT_URLS[args.protocol], args.protocol), docs, args.protocol)


if __name__ == "__main__":
    sys.exit(main())
