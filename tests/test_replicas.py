"""ReplicaPool without servers: fake replicas that answer, refuse a document, or die."""

from __future__ import annotations

import threading
import time

import pytest

from maritime_ner.client.ner_client import InferenceFailed
from maritime_ner.client.replicas import ReplicaPool, make_client


class FakeReplica:
    """Answers [{"doc": text, "by": url}] per text; ``dead`` URLs fail every request like a killed server."""

    sent: dict[str, int] = {}
    dead: set[str] = set()
    lock = threading.Lock()

    def __init__(self, url: str, protocol: str, timeout: float):
        self.url = url

    def infer_batch(self, texts):
        time.sleep(0.005)  # a request takes a moment, so every worker gets batches
        with self.lock:
            self.sent[self.url] = self.sent.get(self.url, 0) + 1
            if self.url in self.dead:
                raise InferenceFailed("failed to connect to all addresses", "StatusCode.UNAVAILABLE")
        if any("BAD" in t for t in texts):
            raise InferenceFailed("document too long", "StatusCode.INVALID_ARGUMENT")
        return [[{"doc": t, "by": self.url}] for t in texts]

    def model_version(self) -> str:
        if self.url in self.dead:
            raise ConnectionError("refused")
        return "v7"

    def close(self) -> None:
        pass


@pytest.fixture(autouse=True)
def fresh():
    FakeReplica.sent, FakeReplica.dead = {}, set()


def pool(urls="a:1,b:1,c:1", **kwargs) -> ReplicaPool:
    return ReplicaPool(urls.split(","), client_factory=FakeReplica, backoff=0.01, **kwargs)


def test_spreads_and_answers_each_document_once_in_order():
    p = pool(concurrency=2, batch_size=3)
    docs = [f"doc {i}" for i in range(50)]
    results = p.infer(docs)
    assert [r[0]["doc"] for r in results] == docs
    assert sum(p.counts.values()) == 50 and len(p.counts) == 3 and p.retries == 0
    assert "a:1: " in p.summary() and "retried" not in p.summary()


def test_dead_replica_is_dropped_and_its_batches_go_elsewhere():
    FakeReplica.dead = {"b:1"}
    p = pool(concurrency=1, batch_size=2, max_failures=2)
    docs = [f"doc {i}" for i in range(40)]
    results = p.infer(docs)
    assert [r[0]["doc"] for r in results] == docs
    assert all(r[0]["by"] != "b:1" for r in results)
    assert p.counts["b:1"] == 0 and sum(p.counts.values()) == 40
    assert "b:1" in p.dropped and p.retries >= 1 and "(dropped)" in p.summary()


def test_refused_document_is_not_retried_elsewhere():
    p = pool(batch_size=4)
    results = p.infer(["ok 1", "BAD one", "ok 2", "ok 3", "ok 4"])
    assert isinstance(results[1], InferenceFailed) and "too long" in str(results[1])
    assert [r[0]["doc"] for i, r in enumerate(results) if i != 1] == ["ok 1", "ok 2", "ok 3", "ok 4"]
    assert p.retries == 0 and not p.dropped


def test_all_replicas_dead_fails_every_document_with_reasons():
    FakeReplica.dead = {"a:1", "b:1"}
    p = pool("a:1,b:1", max_failures=2)
    results = p.infer([f"doc {i}" for i in range(10)])
    assert all(isinstance(r, InferenceFailed) for r in results)
    assert "failed to connect" in str(results[0])
    assert set(p.dropped) == {"a:1", "b:1"}


def test_model_version_from_first_live_replica_and_factory():
    FakeReplica.dead = {"a:1"}
    assert pool("a:1,b:1").model_version() == "v7"
    assert isinstance(make_client("x:1,y:1"), ReplicaPool)
    with pytest.raises(ValueError):
        ReplicaPool(["a:1"], batch_size=9)
