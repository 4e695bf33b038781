"""The serving metrics the ensemble's Python steps export: names, buckets and what one request adds.

Pure logic: the Triton ``model.py`` files hand in ``triton_python_backend_utils`` (its
``MetricFamily`` API) and call ``encoded`` / ``decoded`` / ``refused``; tests hand in a fake.

Cheap on the request path: every metric call of a Python step is a round trip to the server, so
a step adds up what its requests count and sends it at most once per ``flush_seconds`` (the
``metrics_flush_seconds`` parameter, 1 s by default; 0 sends after every request), one increment
per changed series. Histograms are therefore kept as their three Prometheus series of counters
(``<name>_bucket{le=...}``, ``<name>_sum``, ``<name>_count``), which PromQL's histogram functions
read as they read a native histogram. Counts lag by at most the flush period plus the gap to the
next request (the canary's requests bound that gap).
Every series carries the served ``model_version`` (the build writes it into each step's config)
and ``step_instance``, the model instance that counted it (name, Triton version, process). No two live
instances share a metric: tritonserver 2.51 frees a metric shared by several Python-backend
instances when one of them unloads and then crashes on the next use (triton-inference-server/server
issue 8663) — which a deploy that loads a new version next to the old one would hit.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from .contract import ENTITY_LABELS, MODEL_VERSION_PARAM, REFUSAL_REASONS, REFUSED_UNDECODABLE
from .decoding import Span

COUNTER = "counter"
HISTOGRAM = "histogram"
VERSION_LABEL = MODEL_VERSION_PARAM
INSTANCE_LABEL = "step_instance"  # not "instance": Prometheus gives that name to the scrape target
UNKNOWN_VERSION = "unknown"  # a repository built before the steps carried the version
FLUSH_SECONDS_PARAM = "metrics_flush_seconds"
DEFAULT_FLUSH_SECONDS = 1.0
BUCKET_LABEL = "le"


@dataclass(frozen=True)
class MetricSpec:
    """One metric family: Prometheus name, help text, kind, its own labels (besides model_version), buckets."""

    name: str
    help: str
    kind: str
    labels: tuple[str, ...] = ()
    buckets: tuple[float, ...] = ()


# Span scores are a label's mean probability over the span's tokens; decoders cut below min_score.
SCORE_BUCKETS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99, 1.0)
WINDOW_BUCKETS = (1, 2, 3, 4, 6, 8, 16, 32, 64, 128)
TOKEN_BUCKETS = (16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384)

DOCUMENTS = MetricSpec("maritime_ner_documents_total", "Documents the ner_decoder answered with Label Studio results.", COUNTER)
EMPTY_DOCUMENTS = MetricSpec("maritime_ner_empty_documents_total", "Documents answered with no entity at all.", COUNTER)
ENTITIES = MetricSpec("maritime_ner_entities_total", "Entity spans returned, by label.", COUNTER, ("label",))
SPAN_SCORE = MetricSpec("maritime_ner_span_score", "Score of each returned span, by label.", HISTOGRAM, ("label",), SCORE_BUCKETS)
WINDOWS = MetricSpec("maritime_ner_windows_per_document", "Token windows per document.", HISTOGRAM, (), WINDOW_BUCKETS)
TOKENS = MetricSpec("maritime_ner_tokens_per_document", "Content tokens per document.", HISTOGRAM, (), TOKEN_BUCKETS)
REFUSED = MetricSpec("maritime_ner_refused_requests_total", "Requests answered with INVALID_ARG, by reason.", COUNTER, ("reason",))
ALL_SPECS: tuple[MetricSpec, ...] = (DOCUMENTS, EMPTY_DOCUMENTS, ENTITIES, SPAN_SCORE, WINDOWS, TOKENS, REFUSED)

# Label values each step creates at load, so every series exists (at zero) before its first event.
LABEL_VALUES: Mapping[str, tuple[str, ...]] = {"label": ENTITY_LABELS, "reason": REFUSAL_REASONS}

FamilyFactory = Callable[[MetricSpec], Any]  # -> an object with .Metric(labels=...)


def bucket_bound(bound: float) -> str:
    """A bucket's ``le`` label value, as Prometheus writes it."""
    return "+Inf" if bound == float("inf") else repr(float(bound))


def series_specs(spec: MetricSpec) -> tuple[MetricSpec, ...]:
    """The counter families that carry a metric: itself, or a histogram's _bucket, _sum and _count."""
    if spec.kind != HISTOGRAM:
        return (spec,)
    return (
        replace(spec, name=f"{spec.name}_bucket", kind=COUNTER, labels=spec.labels + (BUCKET_LABEL,), buckets=()),
        replace(spec, name=f"{spec.name}_sum", kind=COUNTER, buckets=()),
        replace(spec, name=f"{spec.name}_count", kind=COUNTER, buckets=()),
    )


def parameter(params: Mapping[str, Any], key: str) -> str:
    """A config parameter's value, from raw strings or Triton's {"string_value": ...} form ("" when absent)."""
    value = params.get(key, "")
    return str(value.get("string_value", "") if isinstance(value, Mapping) else value)


def flush_seconds_setting(params: Mapping[str, Any]) -> float:
    """The ``metrics_flush_seconds`` parameter in seconds; refuses nonsense."""
    value = parameter(params, FLUSH_SECONDS_PARAM)
    try:
        seconds = float(value) if str(value).strip() else DEFAULT_FLUSH_SECONDS
    except ValueError:
        raise ValueError(f"{FLUSH_SECONDS_PARAM} must be a number of seconds >= 0, got {value!r}") from None
    if seconds < 0:
        raise ValueError(f"{FLUSH_SECONDS_PARAM} must be a number of seconds >= 0, got {value!r}")
    return seconds


def model_version_setting(params: Mapping[str, Any]) -> str:
    """The model_version parameter of a step's config."""
    return parameter(params, MODEL_VERSION_PARAM) or UNKNOWN_VERSION


def document_sizes(token_map: np.ndarray, window_doc: np.ndarray, n_docs: int) -> tuple[np.ndarray, np.ndarray]:
    """Windows and content tokens of each of ``n_docs`` documents, from the tokenizer's outputs."""
    window_doc = np.asarray(window_doc, dtype=np.int64)
    windows = np.bincount(window_doc, minlength=n_docs)[:n_docs]
    last = np.full(n_docs, -1, dtype=np.int64)
    if window_doc.size:
        per_window = token_map[..., 0].max(axis=-1)  # (windows,): highest global token index, -1 when none
        np.maximum.at(last, window_doc, per_window)
    return windows, last + 1


def refusal_reason(err: Exception) -> str:
    """The refused-requests ``reason`` for an error a step answered with INVALID_ARG."""
    reason = getattr(err, "reason", REFUSED_UNDECODABLE)
    return reason if reason in REFUSAL_REASONS else REFUSED_UNDECODABLE


def instance_label(args: Mapping[str, str]) -> str:
    """The ``step_instance`` of a Python model: instance name, Triton version and the stub's process id.

    The process id keeps it unique while a reload of the same version starts new instances beside the old.
    """
    return f"{args.get('model_instance_name', '')}/{args.get('model_version', '')}/{os.getpid()}"


def triton_families(pb_utils: Any) -> FamilyFactory:
    """A factory of python-backend counter ``MetricFamily`` objects, given the ``triton_python_backend_utils`` module."""
    return lambda spec: pb_utils.MetricFamily(name=spec.name, description=spec.help, kind=pb_utils.MetricFamily.COUNTER)


class StepMetrics:
    """The metric series of one step, made once at model load (every label value starts at zero),
    with what requests counted added up locally and sent in batches (see the module docstring)."""

    specs: tuple[MetricSpec, ...] = ()
    reasons: tuple[str, ...] = ()  # refusal reasons this step can give

    def __init__(self, families: FamilyFactory, model_version: str, instance: str = "",
                 flush_seconds: float = DEFAULT_FLUSH_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.model_version, self.instance = model_version, instance
        self.flush_seconds, self._clock = flush_seconds, clock
        self._families: dict[str, Any] = {}
        self._label_names: dict[str, tuple[str, ...]] = {}  # family name -> its own label names, in order
        self._metrics: dict[tuple[str, tuple[str, ...]], Any] = {}
        self._pending: dict[tuple[str, tuple[str, ...]], float] = {}
        self._last_flush = clock()
        for spec in self.specs:
            values = [self.reasons] if spec is REFUSED else [LABEL_VALUES[label] for label in spec.labels]
            for part in series_specs(spec):
                self._families[part.name], self._label_names[part.name] = families(part), part.labels
                bounds = [[bucket_bound(b) for b in (*spec.buckets, float("inf"))]] if part.name.endswith("_bucket") else []
                for combo in _product(values + bounds):
                    self._metric(part.name, combo)

    def _metric(self, name: str, values: tuple[str, ...]) -> Any:
        """The series of family ``name`` for these label values (in the family's label order)."""
        key = (name, values)
        metric = self._metrics.get(key)
        if metric is None:
            labels = {VERSION_LABEL: self.model_version, **dict(zip(self._label_names[name], values))}
            if self.instance:
                labels[INSTANCE_LABEL] = self.instance
            metric = self._metrics[key] = self._families[name].Metric(labels=labels)
        return metric

    def _add(self, name: str, values: tuple[str, ...], amount: float) -> None:
        """Count ``amount`` on a series, to be sent at the next flush."""
        key = (name, values)
        self._pending[key] = self._pending.get(key, 0.0) + amount

    def _observe(self, spec: MetricSpec, values: tuple[str, ...], numbers: Sequence[float]) -> None:
        """Add observations to a histogram's cumulative buckets, sum and count."""
        data = np.asarray(numbers, dtype=np.float64)
        bounds = (*spec.buckets, float("inf"))
        at_or_below = np.searchsorted(np.sort(data), bounds, side="right")
        for bound, count in zip(bounds, at_or_below.tolist()):
            if count:
                self._add(f"{spec.name}_bucket", values + (bucket_bound(bound),), count)
        self._add(f"{spec.name}_sum", values, float(data.sum()))
        self._add(f"{spec.name}_count", values, float(len(data)))

    def flush(self) -> None:
        """Send what was counted since the last flush: one increment per changed series."""
        pending, self._pending = self._pending, {}
        for (name, values), amount in pending.items():
            if amount:
                self._metric(name, values).increment(amount)
        self._last_flush = self._clock()

    def _counted(self) -> None:
        """Flush when the flush period has passed (after every request when it is 0)."""
        if self._clock() - self._last_flush >= self.flush_seconds:
            self.flush()

    def refused(self, err: Exception) -> None:
        """Count one request answered with INVALID_ARG."""
        self._add(REFUSED.name, (refusal_reason(err),), 1)
        self._counted()

    def close(self) -> None:
        """Send what is pending, then drop the series before their families (the python backend requires that order)."""
        self.flush()
        self._metrics.clear()
        self._families.clear()


class TokenizerMetrics(StepMetrics):
    """ner_tokenizer: document sizes and the requests it refuses."""

    specs = (WINDOWS, TOKENS, REFUSED)
    reasons = tuple(r for r in REFUSAL_REASONS if r != REFUSED_UNDECODABLE)

    def encoded(self, token_map: np.ndarray, window_doc: np.ndarray, n_docs: int) -> None:
        """Observe the windows and tokens of each document of one request."""
        windows, tokens = document_sizes(token_map, window_doc, n_docs)
        self._observe(WINDOWS, (), windows)
        self._observe(TOKENS, (), tokens)
        self._counted()


class DecoderMetrics(StepMetrics):
    """ner_decoder: documents answered, empty ones, entities and span scores per label."""

    specs = (DOCUMENTS, EMPTY_DOCUMENTS, ENTITIES, SPAN_SCORE, REFUSED)
    reasons = (REFUSED_UNDECODABLE,)

    def decoded(self, spans: Sequence[Sequence[Span]]) -> None:
        """Count one request's documents and the spans returned for them."""
        self._add(DOCUMENTS.name, (), len(spans))
        self._add(EMPTY_DOCUMENTS.name, (), sum(1 for doc in spans if not doc))
        scores: dict[str, list[float]] = {}
        for doc in spans:
            for span in doc:
                scores.setdefault(span.label, []).append(span.score)
        for label, values in scores.items():
            self._add(ENTITIES.name, (label,), len(values))
            self._observe(SPAN_SCORE, (label,), values)
        self._counted()


def _product(values: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    """All combinations of label values (one empty tuple for a family without labels)."""
    combos: list[tuple[str, ...]] = [()]
    for options in values:
        combos = [c + (v,) for c in combos for v in options]
    return combos
