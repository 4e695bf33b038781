"""The serving metrics the ensemble's Python steps export: names, buckets and what one request adds.

Pure logic: the Triton ``model.py`` files hand in ``triton_python_backend_utils`` (its
``MetricFamily`` API) and call ``encoded`` / ``decoded`` / ``refused``; tests hand in a fake.
Every series carries the served ``model_version`` (the build writes it into each step's config)
and ``step_instance``, the model instance that counted it (name, Triton version, process). No two live
instances share a metric: tritonserver 2.51 frees a metric shared by several Python-backend
instances when one of them unloads and then crashes on the next use (triton-inference-server/server
issue 8663) — which a deploy that loads a new version next to the old one would hit.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np

from .contract import ENTITY_LABELS, MODEL_VERSION_PARAM, REFUSAL_REASONS, REFUSED_UNDECODABLE
from .decoding import Span

COUNTER = "counter"
HISTOGRAM = "histogram"
VERSION_LABEL = MODEL_VERSION_PARAM
INSTANCE_LABEL = "step_instance"  # not "instance": Prometheus gives that name to the scrape target
UNKNOWN_VERSION = "unknown"  # a repository built before the steps carried the version


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

FamilyFactory = Callable[[MetricSpec], Any]  # -> an object with .Metric(labels=..., [buckets=...])


def model_version_setting(params: Mapping[str, Any]) -> str:
    """The model_version parameter of a step's config (raw string or Triton's {"string_value": ...})."""
    value = params.get(MODEL_VERSION_PARAM, "")
    if isinstance(value, Mapping):
        value = value.get("string_value", "")
    return str(value) or UNKNOWN_VERSION


def document_sizes(token_map: np.ndarray, window_doc: np.ndarray, n_docs: int) -> tuple[np.ndarray, np.ndarray]:
    """Windows and content tokens of each of ``n_docs`` documents, from the tokenizer's outputs."""
    window_doc = np.asarray(window_doc, dtype=np.int64)
    windows = np.bincount(window_doc, minlength=n_docs)[:n_docs]
    last = np.full(n_docs, -1, dtype=np.int64)
    if window_doc.size:
        per_window = token_map[..., 0].max(axis=-1)  # (windows,): highest global token index, -1 when none
        np.maximum.at(last, window_doc, per_window)
    return windows, last + 1


def label_counts(spans: Iterable[Span]) -> dict[str, int]:
    """How many spans carry each label."""
    counts: dict[str, int] = {}
    for span in spans:
        counts[span.label] = counts.get(span.label, 0) + 1
    return counts


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
    """A factory of python-backend ``MetricFamily`` objects, given the ``triton_python_backend_utils`` module."""
    kinds = {COUNTER: pb_utils.MetricFamily.COUNTER, HISTOGRAM: pb_utils.MetricFamily.HISTOGRAM}
    return lambda spec: pb_utils.MetricFamily(name=spec.name, description=spec.help, kind=kinds[spec.kind])


class StepMetrics:
    """The metric families of one step, made once at model load; every label value starts at zero."""

    specs: tuple[MetricSpec, ...] = ()
    reasons: tuple[str, ...] = ()  # refusal reasons this step can give

    def __init__(self, families: FamilyFactory, model_version: str, instance: str = ""):
        self.model_version, self.instance = model_version, instance
        self._families = {spec.name: families(spec) for spec in self.specs}
        self._metrics: dict[tuple[str, tuple[str, ...]], Any] = {}
        for spec in self.specs:
            values = [self.reasons] if spec is REFUSED else [LABEL_VALUES[label] for label in spec.labels]
            for combo in _product(values):
                self._metric(spec, *combo)

    def _metric(self, spec: MetricSpec, *values: str) -> Any:
        """The metric of ``spec`` for these label values (in ``spec.labels`` order)."""
        key = (spec.name, values)
        metric = self._metrics.get(key)
        if metric is None:
            labels = {VERSION_LABEL: self.model_version, **dict(zip(spec.labels, values))}
            if self.instance:
                labels[INSTANCE_LABEL] = self.instance
            extra = {"buckets": [float(b) for b in spec.buckets]} if spec.kind == HISTOGRAM else {}
            metric = self._metrics[key] = self._families[spec.name].Metric(labels=labels, **extra)
        return metric

    def refused(self, err: Exception) -> None:
        """Count one request answered with INVALID_ARG."""
        self._metric(REFUSED, refusal_reason(err)).increment(1)

    def close(self) -> None:
        """Drop the metrics before their families (the python backend requires that order)."""
        self._metrics.clear()
        self._families.clear()


class TokenizerMetrics(StepMetrics):
    """ner_tokenizer: document sizes and the requests it refuses."""

    specs = (WINDOWS, TOKENS, REFUSED)
    reasons = tuple(r for r in REFUSAL_REASONS if r != REFUSED_UNDECODABLE)

    def encoded(self, token_map: np.ndarray, window_doc: np.ndarray, n_docs: int) -> None:
        """Observe the windows and tokens of each document of one request."""
        windows, tokens = document_sizes(token_map, window_doc, n_docs)
        for w, t in zip(windows.tolist(), tokens.tolist()):
            self._metric(WINDOWS).observe(w)
            self._metric(TOKENS).observe(t)


class DecoderMetrics(StepMetrics):
    """ner_decoder: documents answered, empty ones, entities and span scores per label."""

    specs = (DOCUMENTS, EMPTY_DOCUMENTS, ENTITIES, SPAN_SCORE, REFUSED)
    reasons = (REFUSED_UNDECODABLE,)

    def decoded(self, spans: Sequence[Sequence[Span]]) -> None:
        """Count one request's documents and the spans returned for them."""
        self._metric(DOCUMENTS).increment(len(spans))
        empty = sum(1 for doc in spans if not doc)
        if empty:
            self._metric(EMPTY_DOCUMENTS).increment(empty)
        for label, n in label_counts(s for doc in spans for s in doc).items():
            self._metric(ENTITIES, label).increment(n)
        for doc in spans:
            for span in doc:
                self._metric(SPAN_SCORE, span.label).observe(span.score)


def _product(values: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    """All combinations of label values (one empty tuple for a family without labels)."""
    combos: list[tuple[str, ...]] = [()]
    for options in values:
        combos = [c + (v,) for c in combos for v in options]
    return combos
