"""A small Label Studio REST client (stdlib only): projects, tasks, predictions, exports, ML backends.

Authentication is Label Studio's API token: ``Authorization: Token <key>`` (the legacy token,
shown under Account & Settings; Label Studio >= 1.20 needs legacy tokens enabled for the
organisation, or start it with ``--enable-legacy-api-token``).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Iterator, Sequence
from xml.etree import ElementTree

from maritime_ner.core.contract import ENTITY_LABELS, LS_FROM_NAME, LS_TO_NAME

DEFAULT_PAGE_SIZE = 100


def label_config(labels: Sequence[str] = ENTITY_LABELS) -> str:
    """The annotation guide's labeling config, built from the contract's labels."""
    items = "".join(f'<Label value="{label}"/>' for label in labels)
    return (
        f'<View><Labels name="{LS_FROM_NAME}" toName="{LS_TO_NAME}">{items}</Labels>'
        f'<Text name="{LS_TO_NAME}" value="$text"/></View>'
    )


def config_text_key(config: str) -> str:
    """The task data key our ``Text`` tag reads (``$text`` -> ``text``); ValueError when the config does not fit."""
    try:
        root = ElementTree.fromstring(config)
    except ElementTree.ParseError as err:
        raise ValueError(f"labeling config is not valid XML: {err}") from None
    labels = [e for e in root.iter("Labels") if e.get("name") == LS_FROM_NAME and e.get("toName") == LS_TO_NAME]
    texts = [e for e in root.iter("Text") if e.get("name") == LS_TO_NAME]
    if not labels or not texts:
        raise ValueError(
            f'labeling config needs <Labels name="{LS_FROM_NAME}" toName="{LS_TO_NAME}"> and '
            f'<Text name="{LS_TO_NAME}" value="$..."> (see the annotation guide)'
        )
    value = texts[0].get("value", "")
    if not value.startswith("$") or len(value) < 2:
        raise ValueError(f'<Text name="{LS_TO_NAME}"> must read a task field like value="$text", got {value!r}')
    return value[1:]


class LabelStudioError(RuntimeError):
    """Label Studio answered with an error status (the message carries its answer)."""

    def __init__(self, status: int, message: str):
        super().__init__(f"HTTP {status}: {message}")
        self.status = status


class LabelStudio:
    """Label Studio's REST API at ``url`` with an API token."""

    def __init__(self, url: str, api_key: str, timeout: float = 60.0):
        self.url, self.api_key, self.timeout = url.rstrip("/"), api_key, timeout

    def request(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        """One JSON request; returns the decoded answer (None when empty)."""
        query = "?" + urllib.parse.urlencode(params) if params else ""
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        req = urllib.request.Request(f"{self.url}{path}{query}", data=data, method=method)
        req.add_header("Authorization", f"Token {self.api_key}")
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json; charset=utf-8")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as err:
            raise LabelStudioError(err.code, err.read().decode("utf-8", errors="replace")[:500]) from None
        return json.loads(raw) if raw else None

    def create_project(self, title: str, config: str | None = None) -> int:
        """A new project with the guide's labeling config; returns its id."""
        return int(self.request("POST", "/api/projects", {"title": title, "label_config": config or label_config()})["id"])

    def project(self, project: int) -> dict[str, Any]:
        """A project's settings (``label_config``, ``title``, ...)."""
        return self.request("GET", f"/api/projects/{project}")

    def import_tasks(self, project: int, tasks: Sequence[dict[str, Any]]) -> list[int]:
        """Import tasks (``{"data": {...}}`` or bare data dicts); returns the new task ids."""
        answer = self.request("POST", f"/api/projects/{project}/import", list(tasks), return_task_ids="true")
        return [int(i) for i in answer.get("task_ids", [])]

    def iter_tasks(self, project: int, page_size: int = DEFAULT_PAGE_SIZE) -> Iterator[dict[str, Any]]:
        """Every task of the project with its predictions and annotations, page by page."""
        page, seen = 1, 0
        while True:
            answer = self.request("GET", "/api/tasks", project=project, page=page, page_size=page_size, fields="all")
            tasks = answer.get("tasks", [])
            yield from tasks
            seen += len(tasks)
            if not tasks or seen >= int(answer.get("total", 0)):
                return
            page += 1

    def task(self, task: int) -> dict[str, Any]:
        """One task with its predictions and annotations."""
        return self.request("GET", f"/api/tasks/{task}")

    def create_prediction(self, task: int, prediction: dict[str, Any]) -> dict[str, Any]:
        """Store ``{"model_version", "score", "result"}`` as a prediction of ``task``."""
        return self.request("POST", "/api/predictions", {"task": task, **prediction})

    def predictions(self, task: int) -> list[dict[str, Any]]:
        """The predictions stored for one task."""
        return self.request("GET", "/api/predictions", task=task)

    def create_annotation(self, task: int, result: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
        """An annotation of ``task`` (``was_cancelled``, ``ground_truth`` as keyword fields)."""
        return self.request("POST", f"/api/tasks/{task}/annotations", {"result": result, **fields})

    def export(self, project: int, all_tasks: bool = True) -> list[dict[str, Any]]:
        """The project's JSON export (Label Studio's own format, UTF-16 offsets)."""
        return self.request("GET", f"/api/projects/{project}/export", exportType="JSON", download_all_tasks=str(all_tasks).lower())

    def connect_ml_backend(self, project: int, url: str, title: str = "maritime-ner") -> dict[str, Any]:
        """Connect an ML backend at ``url`` to the project (Label Studio calls its /health and /setup)."""
        return self.request("POST", "/api/ml", {"project": project, "url": url, "title": title})
