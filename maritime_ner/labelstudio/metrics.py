"""The ML backend's own ``/metrics``: requests, failures and latency per route (Prometheus text format)."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

ROUTES = ("/", "/health", "/setup", "/predict", "/versions", "/metrics", "/webhook", "/train", "/retrain/status")
OTHER_ROUTE = "other"  # unknown paths share one label value, so a scanner cannot grow the series
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


def route_label(path: str) -> str:
    """The route label of a request path (query dropped, unknown paths folded into ``other``)."""
    route = path.split("?", 1)[0].rstrip("/") or "/"
    return route if route in ROUTES else OTHER_ROUTE


class BackendMetrics:
    """Counters and a latency histogram in a registry of their own."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("maritime_ner_ls_backend_requests", "ML backend requests by route and HTTP status.",
                                ["route", "code"], registry=self.registry)
        self.failures = Counter("maritime_ner_ls_backend_request_failures",
                                "ML backend requests answered with a 5xx status (Triton unreachable or failing).",
                                ["route"], registry=self.registry)
        self.latency = Histogram("maritime_ner_ls_backend_request_duration_seconds", "ML backend request latency.",
                                 ["route"], buckets=LATENCY_BUCKETS, registry=self.registry)
        for route in ("/health", "/setup", "/predict"):
            self.failures.labels(route=route)
            self.latency.labels(route=route)

    def observe(self, path: str, status: int, seconds: float) -> None:
        """Count one answered request."""
        route = route_label(path)
        self.requests.labels(route=route, code=str(int(status))).inc()
        if int(status) >= 500:
            self.failures.labels(route=route).inc()
        self.latency.labels(route=route).observe(seconds)

    def render(self) -> bytes:
        """The exposition text."""
        return generate_latest(self.registry)
