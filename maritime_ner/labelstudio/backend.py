"""A Label Studio ML backend that answers from the served ``ner`` ensemble.

    python -m maritime_ner.labelstudio.backend --triton-url HOST:PORT [--host 127.0.0.1] [--port 9090]
        [--retrain-args "--target DIR --url HOST:PORT ..."] [--retrain-after N]

Speaks the protocol Label Studio uses for ML backends: ``GET /health``, ``POST /setup``
(returns the served model version), ``POST /predict`` (``{"tasks": [...], "label_config": ...}``
-> ``{"results": [prediction per task]}``), ``GET /versions``, and ``POST /webhook`` for Label
Studio's events: ``START_TRAINING`` (the *Start Training* button, ``POST /api/ml/{id}/train``)
starts ``maritime-ner retrain`` for the project as a background job (``POST /train``, the older
form of the same request, too); ``ANNOTATION_CREATED`` / ``ANNOTATION_UPDATED`` are counted and,
with ``--retrain-after N``, start one after N of them. ``GET /retrain/status`` reports the jobs;
``GET /metrics`` serves request counts, failures and latency for Prometheus (docs/monitoring.md).
With ``$BASIC_AUTH_USER`` and ``$BASIC_AUTH_PASS`` set every request needs HTTP basic auth
(Label Studio: the model's *Use basic auth* setting). Connect it in the project's
Settings -> Model, or with ``POST /api/ml``.
"""

from __future__ import annotations

import argparse
import base64
import hmac
import json
import logging
import os
import queue
import shlex
import sys
import time
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterator

from tritonclient.utils import InferenceServerException

from maritime_ner.client.ner_client import InferenceFailed, NerClient
from maritime_ner.core.ls_format import prediction
from maritime_ner import paths
from maritime_ner.labelstudio.api import config_text_key
from maritime_ner.labelstudio.jobs import RetrainJobs, retrain_command
from maritime_ner.labelstudio.metrics import BackendMetrics

log = logging.getLogger("maritime_ner.labelstudio.backend")
MODEL_CLASS = "TritonNER"
MAX_BODY_BYTES = 64 * 1024 * 1024
BASIC_AUTH_ENV = ("BASIC_AUTH_USER", "BASIC_AUTH_PASS")
TRAINING_EVENTS = ("START_TRAINING",)
ANNOTATION_EVENTS = ("ANNOTATION_CREATED", "ANNOTATION_UPDATED", "ANNOTATIONS_CREATED")
Route = Callable[[dict[str, Any]], dict[str, Any]]  # JSON body -> JSON answer


class BadRequest(ValueError):
    """A request this backend answers with 400."""


class Backend:
    """The protocol's logic over a pool of Triton clients (one per concurrent request, reused)."""

    def __init__(self, make_client: Callable[[], NerClient], jobs: RetrainJobs | None = None):
        self.make_client, self.jobs = make_client, jobs
        self._idle: queue.SimpleQueue[NerClient] = queue.SimpleQueue()

    def routes(self) -> dict[tuple[str, str], Route]:
        """(method, path) -> handler taking the JSON body (``{}`` for GET)."""
        return {
            ("GET", "/"): lambda _: self.health(),
            ("GET", "/health"): lambda _: self.health(),
            ("GET", "/versions"): lambda _: self.versions(),
            ("GET", "/retrain/status"): lambda _: self.retrain_status(),
            ("POST", "/setup"): self.setup,
            ("POST", "/predict"): self.predict,
            ("POST", "/webhook"): self.webhook,
            ("POST", "/train"): self.train,
        }

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
        """Close the idle clients; stop a retraining job still running."""
        if self.jobs is not None:
            self.jobs.close()
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
        """``/health``: up, with the served model version (and the retraining state when enabled)."""
        answer = {"status": "UP", "model_class": MODEL_CLASS, "model_version": self.model_version()}
        if self.jobs is not None:
            latest = self.jobs.status()["latest"]
            answer["retrain"] = None if latest is None else {k: latest[k] for k in ("id", "project", "state", "decision")}
        return answer

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

    def webhook(self, body: dict[str, Any]) -> dict[str, Any]:
        """``/webhook``: Label Studio's events; training starts a retrain job, annotations are counted."""
        action = body.get("action")
        if not isinstance(action, str):
            raise BadRequest('webhook body must carry "action"')
        if action in TRAINING_EVENTS:
            return self.start_retrain(project_id(body), f"{action} from Label Studio")
        if action in ANNOTATION_EVENTS and self.jobs is not None:
            job = self.jobs.annotation_event(project_id(body))
            return {"action": action, "counted": True, "retrain_started": None if job is None else job.id}
        return {"action": action, "counted": False}

    def train(self, body: dict[str, Any]) -> dict[str, Any]:
        """``/train``: the older training request (annotations in the body); starts the same job."""
        return self.start_retrain(project_id(body), "training request from Label Studio")

    def start_retrain(self, project: int, reason: str) -> dict[str, Any]:
        """Start a retraining job for ``project`` unless one is running."""
        if self.jobs is None:
            raise BadRequest("retraining is off: start the backend with --retrain-args (see docs/labelstudio.md)")
        started, job = self.jobs.start(project, reason)
        log.info("retrain for project %d: %s (job %d)", project, "started" if started else "already running", job.id)
        return {"started": started, "job": job.as_dict()}

    def retrain_status(self) -> dict[str, Any]:
        """``/retrain/status``: the retraining jobs."""
        if self.jobs is None:
            return {"enabled": False}
        return {"enabled": True, **self.jobs.status()}


def project_id(body: dict[str, Any]) -> int:
    """The project id of a webhook or training body (``project`` as an object, an id, or ``"<id>.<timestamp>"``)."""
    project = body.get("project")
    if isinstance(project, dict):
        project = project.get("id")
    if project is None and isinstance(body.get("task"), dict):
        project = body["task"].get("project")
    try:
        return int(str(project).split(".", 1)[0])
    except ValueError:
        raise BadRequest(f"no project id in the body (project={project!r})") from None


class Handler(BaseHTTPRequestHandler):
    """Routes requests through ``self.server.backend.routes()``, behind optional basic auth."""

    server_version = "maritime-ner-ls-backend"
    protocol_version = "HTTP/1.1"

    def parse_request(self) -> bool:
        self.started = time.monotonic()  # every request passes here first: the latency's start
        return super().parse_request()

    def do_GET(self) -> None:
        self.dispatch("GET")

    def do_POST(self) -> None:
        self.dispatch("POST")

    def dispatch(self, method: str) -> None:
        """Authenticate, find the route, read the body, answer."""
        if not self.authorized():
            self.send_json(HTTPStatus.UNAUTHORIZED, {"error": "basic auth required"},
                           {"WWW-Authenticate": 'Basic realm="maritime-ner"'})
            return
        path = self.path.split("?", 1)[0].rstrip("/") or "/"
        if (method, path) == ("GET", "/metrics"):  # Prometheus text, not JSON
            self.send_body(HTTPStatus.OK, self.server.metrics.render(), self.server.metrics.content_type)
            return
        route = self.server.backend.routes().get((method, path))
        if route is None:
            self.send_json(HTTPStatus.NOT_FOUND, {"error": f"no {method} {self.path}"})
            return
        try:
            body = self.read_json() if method == "POST" else {}
        except BadRequest as err:
            self.send_json(HTTPStatus.BAD_REQUEST, {"error": str(err)})
            return
        self.answer(lambda: route(body))

    def authorized(self) -> bool:
        """True without basic auth configured, or when the request carries the configured user and password."""
        expected = self.server.basic_auth
        if expected is None:
            return True
        header = self.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            given = base64.b64decode(value.strip(), validate=True)
        except ValueError:
            return False
        return hmac.compare_digest(given, expected)

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

    def send_json(self, status: HTTPStatus, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        """Write a JSON answer."""
        self.send_body(status, json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8", headers)

    def send_body(self, status: HTTPStatus, data: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        """Write an answer and count it in the backend's metrics."""
        self.server.metrics.observe(self.path, status, time.monotonic() - getattr(self, "started", time.monotonic()))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)


class BackendServer(ThreadingHTTPServer):
    """The HTTP server carrying a ``Backend``."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], backend: Backend, basic_auth: tuple[str, str] | None = None):
        super().__init__(address, Handler)
        self.backend = backend
        self.basic_auth = None if basic_auth is None else f"{basic_auth[0]}:{basic_auth[1]}".encode("utf-8")
        self.metrics = BackendMetrics()


def basic_auth_from_env() -> tuple[str, str] | None:
    """(user, password) from $BASIC_AUTH_USER / $BASIC_AUTH_PASS; None when neither is set; ValueError for one alone."""
    user, password = (os.environ.get(name, "") for name in BASIC_AUTH_ENV)
    if bool(user) != bool(password):
        raise ValueError(f"set both {BASIC_AUTH_ENV[0]} and {BASIC_AUTH_ENV[1]}, or neither")
    return (user, password) if user else None


def make_server(triton_url: str, host: str = "127.0.0.1", port: int = 9090, protocol: str = "grpc",
                jobs: RetrainJobs | None = None, basic_auth: tuple[str, str] | None = None) -> BackendServer:
    """A ready-to-serve backend over Triton at ``triton_url`` (port 0 picks a free one)."""
    return BackendServer((host, port), Backend(lambda: NerClient(triton_url, protocol), jobs), basic_auth)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(allow_abbrev=False, prog="python -m maritime_ner.labelstudio.backend", description=__doc__.splitlines()[0])
    parser.add_argument("--triton-url", default="localhost:8001", help="Triton HOST:PORT (gRPC by default)")
    parser.add_argument("--protocol", choices=("grpc", "http"), default="grpc")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 for a Label Studio in another container)")
    parser.add_argument("--port", type=int, default=9090)
    parser.add_argument("--retrain-args", default=None, metavar="ARGS",
                        help='enable retraining from Label Studio: words added to `maritime-ner retrain --project ID` '
                             '(e.g. "--target /models --url localhost:8001"); the job reads $LABEL_STUDIO_URL/$LABEL_STUDIO_API_KEY')
    parser.add_argument("--retrain-after", type=int, default=0, metavar="N",
                        help="also start a retrain after N created/updated annotations of a project (0: only on Start Training)")
    parser.add_argument("--jobs-dir", type=Path, default=None, help="where retrain jobs write logs and reports (default .triton/retrain-jobs)")
    parser.add_argument("--log-level", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        auth = basic_auth_from_env()
    except ValueError as err:
        parser.error(str(err))
    jobs = None
    if args.retrain_args is not None:
        jobs = RetrainJobs(retrain_command(shlex.split(args.retrain_args)), args.jobs_dir or paths.state_dir("retrain-jobs"),
                           args.retrain_after)
    server = make_server(args.triton_url, args.host, args.port, args.protocol, jobs, auth)
    log.info("Label Studio ML backend on http://%s:%d, Triton at %s (%s)%s%s", args.host, server.server_port, args.triton_url,
             args.protocol, ", basic auth on" if auth else "", ", retraining on" if jobs else "")
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
