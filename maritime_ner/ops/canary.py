"""A live canary: `maritime-ner verify --every SECONDS` repeats the verify checks and exports the outcome.

    maritime-ner verify --url HOST:PORT --every 30 --metrics-port 9465 [--metrics-host 0.0.0.0] [--rounds N]

Without ``--every`` it is the one-shot `maritime-ner verify` (maritime_ner.ops.verify).

Each round runs the whole verification (models ready, ner_model's contract and label map, the
smoke documents' known entities) and sets, on ``/metrics`` (``--metrics-port``):

- ``maritime_ner_canary_success``: 1 when the last round passed, else 0;
- ``maritime_ner_canary_last_success_timestamp_seconds``: Unix time of the last passed round;
- ``maritime_ner_canary_checks_total{result="success"|"failure"}``: rounds by outcome;
- ``maritime_ner_canary_model_ready{model=...}``: each model's readiness seen by the last round;
- ``maritime_ner_canary_round_duration_seconds``: how long the last round took.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from dataclasses import dataclass
from typing import Callable, Sequence

from prometheus_client import CollectorRegistry, Counter, Gauge, start_http_server

from maritime_ner.core import contract
from maritime_ner.ops import verify
from maritime_ner.ops.verify import Report, SmokeDoc, Verifier

SUCCESS = "success"
FAILURE = "failure"


class CanaryMetrics:
    """The canary's own metrics, in a registry of their own (served by ``serve``)."""

    def __init__(self, models: Sequence[str] = contract.ALL_MODELS):
        self.models = tuple(models)
        self.registry = CollectorRegistry(auto_describe=True)
        self.success = Gauge("maritime_ner_canary_success", "1 when the last canary round passed every check, else 0.",
                             registry=self.registry)
        self.last_success = Gauge("maritime_ner_canary_last_success_timestamp_seconds",
                                  "Unix time of the last canary round that passed (0: none yet).", registry=self.registry)
        self.checks = Counter("maritime_ner_canary_checks", "Canary rounds by result.", ["result"], registry=self.registry)
        self.ready = Gauge("maritime_ner_canary_model_ready", "1 when the last canary round found the model ready.",
                           ["model"], registry=self.registry)
        self.duration = Gauge("maritime_ner_canary_round_duration_seconds", "Duration of the last canary round.",
                              registry=self.registry)
        for result in (SUCCESS, FAILURE):
            self.checks.labels(result=result)
        for model in models:
            self.ready.labels(model=model).set(0)

    def record(self, report: Report, ready: dict[str, bool], seconds: float, now: float) -> None:
        """Set the gauges and count the round from its report."""
        self.success.set(1 if report.ok else 0)
        if report.ok:
            self.last_success.set(now)
        self.checks.labels(result=SUCCESS if report.ok else FAILURE).inc()
        for model in self.models:  # an unreachable server: no model ready
            self.ready.labels(model=model).set(1 if ready.get(model) else 0)
        self.duration.set(seconds)

    def serve(self, port: int, host: str = "127.0.0.1"):
        """Serve ``/metrics`` on ``host:port`` (0 picks a free port) from a daemon thread; returns the server."""
        server, _thread = start_http_server(port, host, registry=self.registry)
        return server


@dataclass
class Canary:
    """Verifies one server in rounds; ``make_verifier`` builds a fresh Verifier per round (new connections)."""

    make_verifier: Callable[[], Verifier]
    docs: Sequence[SmokeDoc]
    metrics: CanaryMetrics

    @classmethod
    def for_url(cls, url: str, docs: Sequence[SmokeDoc], protocol: str = "grpc", timeout: float = 30.0) -> "Canary":
        """A canary against the server at ``url``."""
        return cls(lambda: Verifier(url, protocol, timeout), docs, CanaryMetrics())

    def round(self) -> Report:
        """One verification; its outcome goes to the metrics."""
        started = time.monotonic()
        verifier = None
        try:
            verifier = self.make_verifier()
            report = verifier.run(self.docs)
            ready = verifier.ready
        except Exception as err:  # a canary reports every failure as a failed round, it never dies of one
            report = Report(getattr(verifier, "report", Report("?")).url, failures=[f"verification raised {type(err).__name__}: {err}"])
            ready = {}
        finally:
            if verifier is not None:
                verifier.close()
        self.metrics.record(report, ready, time.monotonic() - started, time.time())
        return report

    def run(self, every: float, rounds: int | None = None, stop: threading.Event | None = None,
            on_report: Callable[[Report], None] = lambda report: None) -> list[bool]:
        """Rounds every ``every`` seconds until ``rounds`` are done or ``stop`` is set; the outcome of each."""
        stop = stop or threading.Event()
        outcomes: list[bool] = []
        while not stop.is_set() and (rounds is None or len(outcomes) < rounds):
            started = time.monotonic()
            report = self.round()
            outcomes.append(report.ok)
            on_report(report)
            if rounds is not None and len(outcomes) >= rounds:
                break
            stop.wait(max(0.0, every - (time.monotonic() - started)))
        return outcomes


def print_report(report: Report) -> None:
    """One line per round (the failures under it), flushed so a log collector sees it at once."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
    lines = report.lines()
    print("\n".join([f"{stamp} {lines[0]}"] + [line for line in lines[1:] if line.lstrip().startswith("FAIL")]),
          file=sys.stdout if report.ok else sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(allow_abbrev=False, prog="maritime-ner verify", description=__doc__.splitlines()[0])
    verify.add_arguments(parser)
    parser.add_argument("--every", type=float, default=None, metavar="SECONDS",
                        help="run as a canary: verify every SECONDS and export /metrics (without it: verify once)")
    parser.add_argument("--rounds", type=int, default=None, help="stop after N rounds (default: run until interrupted)")
    parser.add_argument("--metrics-port", type=int, default=9465, help="port of the canary's /metrics (0: a free one)")
    parser.add_argument("--metrics-host", default="127.0.0.1", help="address of /metrics (0.0.0.0 for a Prometheus elsewhere)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds one round's requests may take")
    args = parser.parse_args(argv)
    if args.every is None:
        if args.rounds is not None:
            parser.error("--rounds needs --every")
        return verify.main(["--url", args.url, "--protocol", args.protocol, "--smoke", str(args.smoke)])
    if args.every <= 0 or (args.rounds is not None and args.rounds < 1):
        parser.error("--every must be > 0 and --rounds >= 1")
    docs = verify.read_smoke_arg(parser, args.smoke)
    canary = Canary.for_url(args.url, docs, args.protocol, args.timeout)
    server = canary.metrics.serve(args.metrics_port, args.metrics_host)
    print(f"canary: verifying {args.url} every {args.every:g} s; metrics on http://{args.metrics_host}:{server.server_port}/metrics",
          flush=True)
    try:
        outcomes = canary.run(args.every, args.rounds, on_report=print_report)
    except KeyboardInterrupt:
        return 0
    finally:
        server.shutdown()
    return 0 if all(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
