"""Steady load for tests: N threads, one gRPC client each, bounded by a deadline and a stop event."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from maritime_ner.client.ner_client import InferenceFailed, NerClient

DOCS = [
    "MV Ocean Star (IMO 9123456), Panama flag, loaded frozen yellowfin tuna (HS 0303.42) at Busan on 12 March 2025.",
    "Risk assessment: the reefer Hai Feng 718 transshipped squid off Montevideo on 2025-03-12; overall risk HIGH.",
    "🚢 Shipment of Atlantic cod from Tromsø to Vigo aboard the Señora del Carmen.",
]


@dataclass
class Load:
    """Sends documents from ``threads`` threads until stopped or ``max_seconds`` pass."""

    url: str
    threads: int = 4
    max_seconds: float = 120.0
    docs: list[str] = field(default_factory=lambda: list(DOCS))
    ok: int = 0
    failed: int = 0
    errors: Counter = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._workers = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(self.threads)]

    def _run(self, index: int) -> None:
        client = NerClient(self.url, "grpc", timeout=60)
        deadline = time.monotonic() + self.max_seconds
        i = index
        try:
            while not self._stop.is_set() and time.monotonic() < deadline:
                doc = self.docs[i % len(self.docs)]
                i += 1
                try:
                    (result,) = client.infer([doc])
                    error = str(result) if isinstance(result, InferenceFailed) else None
                except Exception as err:  # connection-level failures count as failed requests too
                    error = f"{type(err).__name__}: {err}"
                with self._lock:
                    if error is None:
                        self.ok += 1
                    else:
                        self.failed += 1
                        self.errors[error[:200]] += 1
        finally:
            client.close()

    def start(self) -> "Load":
        for worker in self._workers:
            worker.start()
        return self

    def stop(self) -> "Load":
        self._stop.set()
        for worker in self._workers:
            worker.join(timeout=90)
        return self

    def __enter__(self) -> "Load":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
