"""The Label Studio loop without servers: both kinds of API key, key hygiene, backend events and auth, retrain gate logic."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from maritime_ner.labelstudio import preannotate
from maritime_ner.labelstudio.api import LabelStudio, LabelStudioError, MissingCredentials, is_jwt, jwt_expiry
from maritime_ner.labelstudio.backend import Backend, BackendServer, project_id
from maritime_ner.labelstudio.jobs import REPORT_FILE, RetrainJobs
from training import ls_export, retrain

LEGACY = "0123456789abcdef0123456789abcdef01234567"


def b64(obj: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


def jwt(**claims) -> str:
    return f"{b64({'alg': 'HS256', 'typ': 'JWT'})}.{b64(claims)}.c2lnbmF0dXJl"


@pytest.mark.parametrize("token, expected", [(jwt(exp=1), True), (LEGACY, False), ("a.b.c", False), ("x..y", False), ("", False)])
def test_jwt_told_apart_from_legacy(token, expected):
    assert is_jwt(token) is expected


class FakeLabelStudio(BaseHTTPRequestHandler):
    """Refresh endpoint + one API path that accepts only the current access token (or the legacy token)."""

    protocol_version = "HTTP/1.1"
    pat = jwt(token_type="refresh", exp=4_000_000_000)
    log: list = []
    access: str = ""
    lifetime = 300

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.log.append(("POST", self.path, self.headers.get("Authorization")))
        if self.path != "/api/token/refresh/" or body.get("refresh") != self.pat:
            return self.send(401, {"detail": "bad refresh"})
        type(self).access = jwt(token_type="access", exp=int(time.time()) + self.lifetime, n=len(self.log))
        self.send(200, {"access": self.access})

    def do_GET(self):
        auth = self.headers.get("Authorization")
        self.log.append(("GET", self.path, auth))
        ok = auth in (f"Bearer {self.access}", f"Token {LEGACY}")
        self.send(200 if ok else 401, {"ok": ok})

    def send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_ls():
    FakeLabelStudio.log, FakeLabelStudio.access, FakeLabelStudio.lifetime = [], "", 300
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLabelStudio)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_pat_is_exchanged_once_then_sent_as_bearer(fake_ls):
    ls = LabelStudio(fake_ls, FakeLabelStudio.pat)
    assert ls.request("GET", "/api/projects") == {"ok": True}
    assert ls.request("GET", "/api/projects") == {"ok": True}
    assert [e[:2] for e in FakeLabelStudio.log] == [("POST", "/api/token/refresh/"), ("GET", "/api/projects"), ("GET", "/api/projects")]
    assert FakeLabelStudio.log[0][2] is None  # the refresh itself carries no header
    assert FakeLabelStudio.pat not in repr(ls) and "personal access token" in repr(ls)


def test_pat_refreshes_on_401_and_before_expiry(fake_ls):
    ls = LabelStudio(fake_ls, FakeLabelStudio.pat)
    ls.request("GET", "/a")
    FakeLabelStudio.access = "revoked-by-server"  # the server forgot our access token: 401, refresh, retry
    assert ls.request("GET", "/b") == {"ok": True}
    assert [e[1] for e in FakeLabelStudio.log] == ["/api/token/refresh/", "/a", "/b", "/api/token/refresh/", "/b"]
    FakeLabelStudio.lifetime = 5  # shorter than the refresh margin: every request refreshes first
    ls.auth.expire()
    ls.request("GET", "/c")
    ls.request("GET", "/d")
    assert [e[1] for e in FakeLabelStudio.log[-4:]] == ["/api/token/refresh/", "/c", "/api/token/refresh/", "/d"]
    assert jwt_expiry(FakeLabelStudio.access) == pytest.approx(time.time() + 5, abs=3)


def test_legacy_token_sent_as_token_and_a_refused_pat_says_why(fake_ls):
    assert LabelStudio(fake_ls, LEGACY).request("GET", "/x") == {"ok": True}
    assert FakeLabelStudio.log == [("GET", "/x", f"Token {LEGACY}")]
    refused = jwt(token_type="refresh", exp=1)
    with pytest.raises(LabelStudioError, match="personal access token was refused") as err:
        LabelStudio(fake_ls, refused).request("GET", "/x")
    assert refused not in str(err.value)


def test_key_comes_from_the_environment_only(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    with pytest.raises(MissingCredentials, match="LABEL_STUDIO_API_KEY"):
        LabelStudio.from_env()
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", LEGACY)
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://ls.example:8080/")
    assert LabelStudio.from_env().url == "http://ls.example:8080"
    for main, argv in ((preannotate.main, ["--project", "1", "--triton-url", "x:1"]),
                       (ls_export.main, ["--project", "1", "--train-out", str(tmp_path / "t.jsonl")]),
                       (retrain.main, ["--project", "1", "--target", str(tmp_path)])):
        for flag in (["--ls-api-key", "sekr1t"], ["--api-key=sekr1t"]):
            with pytest.raises(SystemExit) as stop:
                main(argv + flag)
            assert stop.value.code == 2
            err = capsys.readouterr().err
            assert "LABEL_STUDIO_API_KEY" in err and "sekr1t" not in err


# ---- ML backend: routes, events, basic auth (no Triton needed for these routes)

def call(url, path, body=None, auth=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + path, data=data, method="GET" if data is None else "POST", headers={"Content-Type": "application/json"})
    if auth:
        req.add_header("Authorization", "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def fake_retrain(project, report_dir):
    """A retrain stand-in: writes the report a real run writes."""
    code = f"import json,sys; json.dump({{'decision': 'keep', 'reason': 'project {project}'}}, open(sys.argv[1], 'w'))"
    return [sys.executable, "-c", code, str(report_dir / REPORT_FILE)]


@pytest.fixture
def backend(tmp_path):
    jobs = RetrainJobs(fake_retrain, tmp_path / "jobs", retrain_after=2)
    server = BackendServer(("127.0.0.1", 0), Backend(lambda: None, jobs), basic_auth=("ls", "pa:ss"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", jobs
    server.shutdown()
    server.server_close()


def wait_idle(jobs, timeout=30.0):
    deadline = time.monotonic() + timeout
    while jobs.running() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not jobs.running()


def test_backend_needs_basic_auth_when_configured(backend):
    url, _ = backend
    assert call(url, "/retrain/status")[0] == 401
    assert call(url, "/retrain/status", auth=("ls", "wrong"))[0] == 401
    status, answer = call(url, "/retrain/status", auth=("ls", "pa:ss"))
    assert status == 200 and answer["enabled"] and answer["latest"] is None
    metrics = urllib.request.Request(url + "/metrics", headers={"Authorization": "Basic " + base64.b64encode(b"ls:pa:ss").decode()})
    with urllib.request.urlopen(metrics, timeout=30) as resp:  # Prometheus text, behind the same auth
        text = resp.read().decode()
    assert 'code="200",route="/retrain/status"' in text and 'code="401",route="/retrain/status"' in text


def test_start_training_event_runs_one_retrain_job_and_reports_it(backend):
    url, jobs = backend
    auth = ("ls", "pa:ss")
    # what Label Studio 1.23 sends for POST /api/ml/{id}/train: the project serialised as in webhooks
    status, answer = call(url, "/webhook", {"action": "START_TRAINING", "project": {"id": 7, "title": "p"}}, auth)
    assert status == 200 and answer["started"] and answer["job"]["project"] == 7
    wait_idle(jobs)
    latest = call(url, "/retrain/status", auth=auth)[1]["latest"]
    assert (latest["state"], latest["decision"], latest["summary"]) == ("finished", "keep", "project 7")
    # the older /train request ("<id>.<timestamp>") starts the same job
    assert call(url, "/train", {"project": "8.1700000000", "annotations": []}, auth)[1]["job"]["project"] == 8
    wait_idle(jobs)


def test_annotation_events_are_counted_and_start_a_retrain_after_n(backend):
    url, jobs = backend
    auth = ("ls", "pa:ss")
    event = {"action": "ANNOTATION_CREATED", "annotation": {"id": 1}, "task": {"id": 3, "project": 5}, "project": {"id": 5}}
    assert call(url, "/webhook", event, auth)[1] == {"action": "ANNOTATION_CREATED", "counted": True, "retrain_started": None}
    answer = call(url, "/webhook", dict(event, action="ANNOTATION_UPDATED"), auth)[1]
    assert answer["retrain_started"] == 1
    wait_idle(jobs)
    assert call(url, "/webhook", {"action": "PROJECT_UPDATED", "project": {"id": 5}}, auth)[1]["counted"] is False
    assert call(url, "/webhook", {"project": 5}, auth)[0] == 400


def test_project_id_forms():
    assert project_id({"project": {"id": 4}}) == project_id({"project": "4.1712"}) == project_id({"task": {"project": 4}}) == 4


# ---- retrain: the test set and the gate

def test_test_share_is_stable_as_the_project_grows(tmp_path):
    picked = [t for t in range(1, 2001) if retrain.in_test_share(t, 0.2)]
    assert 300 < len(picked) < 500
    assert [t for t in range(1, 1001) if retrain.in_test_share(t, 0.2)] == [t for t in picked if t <= 1000]
    path = tmp_path / "test_set.json"
    first = retrain.TestSet.load(path, 0.2, "s")
    first.add(range(1, 101))
    first.save()
    again = retrain.TestSet.load(path, 0.1, "s")  # a smaller share later never releases recorded tasks
    again.add(range(1, 201))
    assert first.task_ids <= again.task_ids
    with pytest.raises(retrain.RetrainError, match="seed"):
        retrain.TestSet.load(path, 0.2, "other")


@pytest.mark.parametrize("champion, challenger, docs, decision", [
    (None, 0.1, 5, "deploy"), (0.80, 0.795, 5, "deploy"), (0.80, 0.85, 5, "deploy"), (0.80, 0.78, 5, "keep"), (0.8, 0.9, 0, "keep"),
])
def test_gate(champion, challenger, docs, decision):
    assert retrain.decide(champion, challenger, 0.01, docs)[0] == decision


def test_changed_spans_and_report_markdown():
    record = {"text": "MV Ocean Star at Tema", "entities": [{"start": 0, "end": 13, "label": "VESSEL"}]}
    old, new = [{(0, 13, "VESSEL")}], [{(3, 13, "VESSEL"), (17, 21, "PORT")}]
    changed = retrain.changed_spans([42], [record], old, new)
    assert changed == [{"task": 42, "only_champion": [{"start": 0, "end": 13, "label": "VESSEL", "text": "MV Ocean Star", "gold": True}],
                        "only_challenger": [{"start": 3, "end": 13, "label": "VESSEL", "text": "Ocean Star", "gold": False},
                                            {"start": 17, "end": 21, "label": "PORT", "text": "Tema", "gold": False}]}]
    scores = {"VESSEL": {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}, "micro": {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}}
    worse = {k: dict(v, f1=0.0) for k, v in scores.items()}
    report = {"project": 1, "decision": "keep", "reason": "why", "deploy": None, "changed": changed, "train_documents": 3, "val_documents": 1,
              "test_set": {"documents": 1, "share": 0.2, "seed": "s", "file": "f"},
              "champion": {"model_version": "ner-a", "release": 1, "scores": scores}, "challenger": {"model_version": "ner-b", "scores": worse}}
    md = retrain.render_markdown(report)
    assert "**Decision: keep** — why" in md and "| **micro** | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | 0.000 | -1.000 | 1 |" in md
    assert "✓ VESSEL 'MV Ocean Star'" in md and "✗ PORT 'Tema'" in md


def test_train_flags_pass_through():
    args, flags = retrain.parse_args(["--project", "3", "--target", "t", "--margin", "0.05", "--", "--max-steps", "4", "--base-model", "m"])
    assert (args.project, args.margin, flags) == (3, 0.05, ["--max-steps", "4", "--base-model", "m"])


def test_make_passes_the_key_by_environment_and_never_echoes_it():
    if shutil.which("make") is None:
        pytest.skip("no make")
    env = {**os.environ, "LABEL_STUDIO_API_KEY": "sekr1t-key"}
    for target in (["preannotate", "PROJECT=3"], ["retrain", "PROJECT=3", "TARGET=/tmp/models"], ["data-ls", "PROJECT=3"]):
        dry = subprocess.run(["make", "-n", *target], env=env, capture_output=True, text=True, timeout=60)
        assert dry.returncode == 0, dry.stderr
        assert "sekr1t" not in dry.stdout + dry.stderr and "--project 3" in dry.stdout
    refused = subprocess.run(["make", "-n", "preannotate", "PROJECT=3", "LS_API_KEY=sekr1t-key"], env=env, capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0 and "LABEL_STUDIO_API_KEY" in refused.stderr
    address = subprocess.run(["make", "-n", "ls-backend", "HOST=0.0.0.0", "PORT=9191"], env={**env, "HOST": "elsewhere"},
                             capture_output=True, text=True, timeout=60)
    assert "--host 0.0.0.0 --port 9191" in address.stdout
