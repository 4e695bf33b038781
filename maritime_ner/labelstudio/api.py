"""A small Label Studio REST client (stdlib only): projects, tasks, predictions, exports, ML backends.

Both kinds of Label Studio API key work, told apart by their form:

* a **Personal Access Token** (a JWT refresh token, three base64url parts): exchanged at
  ``POST /api/token/refresh`` for a short-lived access token sent as ``Authorization: Bearer``;
  a new access token is fetched shortly before the old one expires, and once more on a 401;
* a **legacy token** (40 hex characters): sent as ``Authorization: Token <key>`` (Label Studio
  >= 1.20 needs legacy tokens enabled for the organisation).

The address and key come from ``$LABEL_STUDIO_URL`` and ``$LABEL_STUDIO_API_KEY``
(``LabelStudio.from_env``); no command takes the key on its command line, where ``ps`` and
shell history would show it, and nothing here prints it.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Iterator, Sequence
from xml.etree import ElementTree

from maritime_ner.core.contract import ENTITY_LABELS, LS_FROM_NAME, LS_TO_NAME

DEFAULT_PAGE_SIZE = 100
URL_ENV = "LABEL_STUDIO_URL"
API_KEY_ENV = "LABEL_STUDIO_API_KEY"
DEFAULT_URL = "http://localhost:8080"
REFRESH_PATH = "/api/token/refresh/"  # Django routes it with the slash; a POST without it is not redirected
REFRESH_MARGIN_S = 30.0  # fetch a new access token this long before the current one expires
KEY_ADVICE = (f"put the Label Studio API key in the environment as ${API_KEY_ENV} (a Personal Access Token or a "
              "legacy token, from Account & Settings); a key on the command line is visible to every user of "
              "this machine (ps, /proc) and lands in shell history")


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


def is_jwt(token: str) -> bool:
    """True for a JWT (three base64url parts with a JSON header), as Personal Access Tokens are."""
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        return False
    try:
        header = json.loads(_b64url(parts[0]))
    except (ValueError, binascii.Error):
        return False
    return isinstance(header, dict) and "alg" in header


def _b64url(part: str) -> bytes:
    """Decode one unpadded base64url JWT part."""
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def jwt_expiry(token: str) -> float | None:
    """The ``exp`` claim of a JWT (seconds since the epoch), read without checking the signature."""
    try:
        claims = json.loads(_b64url(token.split(".")[1]))
    except (ValueError, IndexError, binascii.Error):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    return float(exp) if isinstance(exp, (int, float)) else None


class MissingCredentials(ValueError):
    """No API key in the environment (the message says where to put it)."""


class RefuseSecretOption(argparse.Action):
    """An option that used to take the API key: refuse it with advice, never echoing the value."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any):
        kwargs.setdefault("help", argparse.SUPPRESS)
        kwargs.setdefault("nargs", "?")
        super().__init__(option_strings, dest, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option_string: str | None = None) -> None:
        parser.error(f"{option_string} is not accepted: {KEY_ADVICE}")


def add_connection_args(parser: argparse.ArgumentParser, url_flag: str = "--ls-url") -> None:
    """``url_flag`` (default ``$LABEL_STUDIO_URL``) and the refused key options."""
    parser.add_argument(url_flag, dest="ls_url", default=None,
                        help=f"Label Studio address (default ${URL_ENV}, else {DEFAULT_URL}); the key is read from ${API_KEY_ENV}")
    parser.add_argument("--ls-api-key", "--api-key", dest="refused_key", action=RefuseSecretOption)


class Auth:
    """The ``Authorization`` header for one API key; PATs refresh their access token."""

    def __init__(self, key: str):
        self._key = key
        self.kind = "personal access token" if is_jwt(key) else "legacy token"
        self._access: str | None = None
        self._expires = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Auth({self.kind})"  # never the key

    @property
    def refreshes(self) -> bool:
        return self.kind == "personal access token"

    def header(self, ls: "LabelStudio") -> str:
        """The header value, fetching a new access token when there is none or it is about to expire."""
        if not self.refreshes:
            return f"Token {self._key}"
        with self._lock:
            if self._access is None or time.time() > self._expires - REFRESH_MARGIN_S:
                self._refresh(ls)
            return f"Bearer {self._access}"

    def _refresh(self, ls: "LabelStudio") -> None:
        try:
            answer = ls.send("POST", REFRESH_PATH, {"refresh": self._key}, None)
        except LabelStudioError as err:
            if err.status in (400, 401, 403):
                raise LabelStudioError(err.status, "the personal access token was refused at "
                                       f"{REFRESH_PATH} (revoked, expired, or personal access tokens are off for the organisation)") from None
            raise
        access = answer.get("access") if isinstance(answer, dict) else None
        if not isinstance(access, str):
            raise LabelStudioError(502, f"{REFRESH_PATH} answered without an access token")
        self._access = access
        self._expires = jwt_expiry(access) or time.time() + 60.0

    def expire(self) -> None:
        """Forget the access token (after a 401): the next header fetches a new one."""
        with self._lock:
            self._access = None


class LabelStudioError(RuntimeError):
    """Label Studio answered with an error status (the message carries its answer)."""

    def __init__(self, status: int, message: str):
        super().__init__(f"HTTP {status}: {message}")
        self.status = status


class LabelStudio:
    """Label Studio's REST API at ``url`` with an API key (a Personal Access Token or a legacy token)."""

    def __init__(self, url: str, api_key: str, timeout: float = 60.0):
        if not api_key:
            raise MissingCredentials(f"no Label Studio API key: {KEY_ADVICE}")
        self.url, self.timeout = url.rstrip("/"), timeout
        self.auth = Auth(api_key)

    def __repr__(self) -> str:
        return f"LabelStudio({self.url!r}, {self.auth.kind})"

    @classmethod
    def from_env(cls, url: str | None = None, timeout: float = 60.0) -> "LabelStudio":
        """The client for ``url`` (else ``$LABEL_STUDIO_URL``, else localhost:8080) with ``$LABEL_STUDIO_API_KEY``."""
        key = os.environ.get(API_KEY_ENV, "").strip()
        if not key:
            raise MissingCredentials(f"${API_KEY_ENV} is not set: {KEY_ADVICE}")
        return cls(url or os.environ.get(URL_ENV) or DEFAULT_URL, key, timeout)

    def request(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        """One authenticated JSON request; returns the decoded answer (None when empty).

        With a Personal Access Token a 401 fetches a new access token and tries once more.
        """
        try:
            return self.send(method, path, body, self.auth.header(self), **params)
        except LabelStudioError as err:
            if err.status != 401 or not self.auth.refreshes:
                raise
        self.auth.expire()
        return self.send(method, path, body, self.auth.header(self), **params)

    def send(self, method: str, path: str, body: Any, authorization: str | None, **params: Any) -> Any:
        """One JSON request with the given ``Authorization`` header (None: none)."""
        query = "?" + urllib.parse.urlencode(params) if params else ""
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        req = urllib.request.Request(f"{self.url}{path}{query}", data=data, method=method)
        if authorization:
            req.add_header("Authorization", authorization)
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

    def import_predictions(self, project: int, predictions: Sequence[dict[str, Any]]) -> int:
        """Store many predictions in one request (``[{"task", "model_version", "score", "result"}]``); returns how many were created.

        Label Studio 1.23 validates each against the labeling config and leaves out (and logs) the
        ones that do not fit, so the count can be lower than the list.
        """
        answer = self.request("POST", f"/api/projects/{project}/import/predictions", list(predictions))
        return int((answer or {}).get("created", 0))

    def connect_ml_backend(self, project: int, url: str, title: str = "maritime-ner",
                           basic_auth: tuple[str, str] | None = None) -> dict[str, Any]:
        """Connect an ML backend at ``url`` to the project (Label Studio calls its /health and /setup).

        ``basic_auth`` (user, password) is what Label Studio sends to a backend started with
        ``BASIC_AUTH_USER``/``BASIC_AUTH_PASS``.
        """
        body: dict[str, Any] = {"project": project, "url": url, "title": title}
        if basic_auth is not None:
            body.update(auth_method="BASIC_AUTH", basic_auth_user=basic_auth[0], basic_auth_pass=basic_auth[1])
        return self.request("POST", "/api/ml", body)

    def train_ml_backend(self, ml_backend: int) -> None:
        """Press *Start Training*: Label Studio sends ``START_TRAINING`` to the backend's /webhook."""
        self.request("POST", f"/api/ml/{ml_backend}/train")

    def webhooks(self, project: int) -> list[dict[str, Any]]:
        """The project's webhooks (connecting an ML backend adds one to its /webhook)."""
        return self.request("GET", "/api/webhooks/", project=project)

    def set_webhook_headers(self, webhook: int, headers: dict[str, str]) -> dict[str, Any]:
        """Headers Label Studio sends with a webhook (e.g. basic auth for the ML backend's /webhook)."""
        return self.request("PATCH", f"/api/webhooks/{webhook}/", {"headers": headers})

    def create_personal_access_token(self) -> str:
        """A new Personal Access Token for the calling user (``POST /api/token/``; 409 when one exists)."""
        answer = self.request("POST", "/api/token/")
        token = (answer or {}).get("token")
        if not isinstance(token, str):
            raise LabelStudioError(502, "POST /api/token/ answered without a token")
        return token

    def jwt_settings(self) -> dict[str, Any]:
        """The organisation's token settings (``api_tokens_enabled``, ``legacy_api_tokens_enabled``, ...)."""
        return self.request("GET", "/api/jwt/settings")

    def set_jwt_settings(self, **settings: Any) -> dict[str, Any]:
        """Change the organisation's token settings, e.g. ``legacy_api_tokens_enabled=False``."""
        return self.request("POST", "/api/jwt/settings", {**self.jwt_settings(), **settings})
