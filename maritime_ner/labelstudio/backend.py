"""A Label Studio ML backend that answers from the served ``ner`` ensemble.

    python -m maritime_ner.labelstudio.backend --triton-url HOST:PORT [--host 127.0.0.1] [--port 9090]

Speaks the protocol Label Studio uses for ML backends: ``GET /health``, ``POST /setup``
(returns the served model version), ``POST /predict`` (``{"tasks": [...], "label_config": ...}``
-> ``{"results": [prediction per task]}``) and ``GET /versions``; ``GET /metrics`` serves its
request counts, failures and latency for Prometheus (docs/monitoring.md). Connect it in the project's
Settings -> Model, or with ``POST /api/ml``.
"""

from __future__ import annotations

import argparse
import json
import logging
import queue
import sys
import time
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterator

from tritonclient.utils import InferenceServerException

from maritime_ner.client.ner_client import InferenceFailed, NerClient
from maritime_ner.core.ls_format import prediction
from maritime_ner.labelstudio.api import config_text_key
from maritime_ner.labelstudio.metrics import BackendMetrics

log = logging.getLogger("maritime_ner.labelstudio.backend")
MODEL_CLASS = "TritonNER"
MAX_BODY_BYTES = 64 * 1024 * 1024


class BadRequest(ValueError):
    """A request this backend answers with 400."""


class Backend:
    """The protocol's logic over a pool of Triton clients (one per concurrent request, reused)."""

    def __init__(self, make_client: Callable[[], NerClient]):
        self.make_client = make_client
        self._idle: queue.SimpleQueue[NerClient] = queue.SimpleQueue()

    @contextmanager
    def client(self) -> Iterator[NerClient]:
        """A client for this request; tritonclient's clients are not shared between threads."""
        try:
            client = self._idle.get_nowait()
        except queue.Empty:
            client = self.make_client()
        try:
            yield client
        finally:
            self._idle.put(client)

    def close(self) -> None:
        """Close the idle clients."""
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return

    def model_version(self) -> str:
        """The served model's version tag."""
        with self.client() as client:
            return client.model_version()

    def health(self) -> dict[str, Any]:
        """``/health``: up, with the served model version."""
        return {"status": "UP", "model_class": MODEL_CLASS, "model_version": self.model_version()}

    def setup(self, body: dict[str, Any]) -> dict[str, Any]:
        """``/setup``: checks the project's labeling config fits and reports the model version."""
        if body.get("schema"):
            try:
                config_text_key(body["schema"])
            except ValueError as err:
                raise BadRequest(str(err)) from None
        return {"model_version": self.model_version()}

    def predict(self, body: dict[str, Any]) -> dict[str, Any]:
        """``/predict``: one prediction per task; a task Triton refuses gets an empty list (no prediction)."""
        tasks = body.get("tasks")
        if not isinstance(tasks, list):
            raise BadRequest('body must carry "tasks": a list of Label Studio tasks')
        try:
            key = config_text_key(body["label_config"]) if body.get("label_config") else "text"
        except ValueError as err:
            raise BadRequest(str(err)) from None
        texts = []
        for task in tasks:
            text = (task.get("data") or {}).get(key) if isinstance(task, dict) else None
            if not isinstance(text, str):
                raise BadRequest(f"task {task.get('id') if isinstance(task, dict) else task!r} has no text in data.{key}")
            texts.append(text)
        with self.client() as client:
            version = client.model_version()
            answers = client.infer(texts)
        results: list[Any] = []
        for task, result in zip(tasks, answers):
            if isinstance(result, InferenceFailed):
                log.warning("task %s: Triton refused it: %s", task.get("id"), result)
                results.append([])
            else:
                results.append(prediction(result, version))
        return {"results": results, "model_version": version}

    def versions(self) -> dict[str, Any]:
        """``/versions``: the one version served now."""
        return {"versions": [self.model_version()]}


class Handler(BaseHTTPRequestHandler):
    """Routes the ML backend protocol to ``self.server.backend``."""

    server_version = "maritime-ner-ls-backend"
    protocol_version = "HTTP/1.1"

    def parse_request(self) -> bool:
        self.started = time.monotonic()  # every request passes here first: the latency's start
        return super().parse_request()

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0].rstrip("/") == "/metrics":
            self.send_body(HTTPStatus.OK, self.server.metrics.render(), self.server.metrics.content_type)
            return
        routes = {"/health": self.server.backend.health, "/": self.server.backend.health, "/versions": self.server.backend.versions}
        route = routes.get(self.path.split("?", 1)[0].rstrip("/") or "/")
        if route is None:
            self.send_json(HTTPStatus.NOT_FOUND, {"error": f"no GET {self.path}"})
        else:
            self.answer(route)

    def do_POST(self) -> None:
        routes = {"/setup": self.server.backend.setup, "/predict": self.server.backend.predict}
        route = routes.get(self.path.split("?", 1)[0].rstrip("/"))
        if route is None:
            self.send_json(HTTPStatus.NOT_FOUND, {"error": f"no POST {self.path}"})
            return
        try:
            body = self.read_json()
        except BadRequest as err:
            self.send_json(HTTPStatus.BAD_REQUEST, {"error": str(err)})
            return
        self.answer(lambda: route(body))

    def read_json(self) -> dict[str, Any]:
        """The request's JSON object body."""
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            raise BadRequest(f"body of {length} bytes is larger than {MAX_BODY_BYTES}")
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise BadRequest(f"body is not JSON: {err}") from None
        if not isinstance(body, dict):
            raise BadRequest("body must be a JSON object")
        return body

    def answer(self, route: Callable[[], dict[str, Any]]) -> None:
        """Run a route; 400 for bad requests, 503 when Triton cannot be used."""
        try:
            self.send_json(HTTPStatus.OK, route())
        except BadRequest as err:
            self.send_json(HTTPStatus.BAD_REQUEST, {"error": str(err)})
        except (InferenceServerException, OSError) as err:
            log.error("Triton unavailable: %s", err)
            self.send_json(HTTPStatus.SERVICE_UNAVAILABLE, {"status": "DOWN", "error": f"Triton: {err}"})

    def send_json(self, status: HTTPStatus, body: dict[str, Any]) -> None:
        """Write a JSON answer."""
        self.send_body(status, json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def send_body(self, status: HTTPStatus, data: bytes, content_type: str) -> None:
        """Write an answer and count it in the backend's metrics."""
        self.server.metrics.observe(self.path, status, time.monotonic() - getattr(self, "started", time.monotonic()))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)


class BackendServer(ThreadingHTTPServer):
    """The HTTP server carrying a ``Backend``."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], backend: Backend):
        super().__init__(address, Handler)
        self.backend = backend
        self.metrics = BackendMetrics()


def make_server(triton_url: str, host: str = "127.0.0.1", port: int = 9090, protocol: str = "grpc") -> BackendServer:
    """A ready-to-serve backend over Triton at ``triton_url`` (port 0 picks a free one)."""
    return BackendServer((host, port), Backend(lambda: NerClient(triton_url, protocol)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(allow_abbrev=False, prog="python -m maritime_ner.labelstudio.backend", description=__doc__.splitlines()[0])
    parser.add_argument("--triton-url", default="localhost:8001", help="Triton HOST:PORT (gRPC by default)")
    parser.add_argument("--protocol", choices=("grpc", "http"), default="grpc")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 for a Label Studio in another container)")
    parser.add_argument("--port", type=int, default=9090)
    parser.add_argument("--log-level", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    server = make_server(args.triton_url, args.host, args.port, args.protocol)
    log.info("Label Studio ML backend on http://%s:%d, Triton at %s (%s)", args.host, server.server_port, args.triton_url, args.protocol)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        server.server_close()
        server.backend.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
