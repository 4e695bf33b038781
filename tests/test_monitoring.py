"""Monitoring: the Python steps' custom metrics on a real tritonserver, the canary, the rules (promtool),
the dashboard's and rules' expressions on a real Prometheus, the Label Studio backend's /metrics."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import numpy as np
import pytest
import yaml

from load import DOCS
from maritime_ner.client.ner_client import NerClient
from maritime_ner.core import contract, telemetry
from maritime_ner.core.decoding import Span
from maritime_ner.labelstudio import backend as ls_backend
from maritime_ner.labelstudio.metrics import BackendMetrics, route_label
from maritime_ner.ops import canary, verify
from maritime_ner.repository.layout import ModelRepository
from smoke_docs import reference_smoke
from maritime_ner.serving.local_triton import METRICS_ARGS, LocalServer, TritonServer, free_port, http_ok

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "deploy" / "prometheus" / "rules.yaml"
RULES_TEST = ROOT / "deploy" / "prometheus" / "rules_test.yaml"
DASHBOARD = ROOT / "deploy" / "grafana" / "maritime-ner.json"
PROM_BIN = ROOT / ".tools" / "prometheus" / "usr" / "bin"


def prom_tool(name: str) -> Path:
    """promtool / prometheus from `make promtool` (.tools/), or on PATH; fail with what to run."""
    path = PROM_BIN / name
    found = path if path.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is missing: run `make promtool` (or `make test`, which depends on it)")
    return Path(found)


# ---------- pure telemetry logic ----------

class FakeMetric:
    def __init__(self, labels, buckets=None):
        self.labels, self.buckets, self.value, self.observed = labels, buckets, 0.0, []

    def increment(self, n):
        self.value += n

    def observe(self, v):
        self.observed.append(v)


class FakeFamily:
    def __init__(self, spec):
        self.spec, self.metrics = spec, []

    def Metric(self, labels, **kw):
        self.metrics.append(FakeMetric(labels, **kw))
        return self.metrics[-1]


def fake_families():
    made: dict[str, FakeFamily] = {}

    def factory(spec):
        made[spec.name] = FakeFamily(spec)
        return made[spec.name]
    return made, factory


def by_labels(family: FakeFamily, key: str) -> dict[str, FakeMetric]:
    return {m.labels.get(key, ""): m for m in family.metrics}


def series(made, name: str, **labels) -> FakeMetric:
    """The one fake series of family ``name`` whose labels include ``labels``."""
    (found,) = [m for m in made[name].metrics if labels.items() <= m.labels.items()]
    return found


def test_decoder_metrics_count_documents_entities_and_scores():
    made, factory = fake_families()
    metrics = telemetry.DecoderMetrics(factory, "v7", flush_seconds=0)
    ents = made[telemetry.ENTITIES.name]
    assert set(by_labels(ents, "label")) == set(contract.ENTITY_LABELS)  # all at zero from the start
    assert all(m.labels[telemetry.VERSION_LABEL] == "v7" for f in made.values() for m in f.metrics)
    buckets = {m.labels["le"] for m in made["maritime_ner_span_score_bucket"].metrics if m.labels["label"] == "PORT"}
    assert buckets == {telemetry.bucket_bound(b) for b in telemetry.SCORE_BUCKETS} | {"+Inf"}
    metrics.decoded([[Span(0, 3, "PORT", 0.9, "abc"), Span(4, 5, "PORT", 0.7, "d"), Span(6, 7, "IMO", 0.8, "e")], []])
    assert by_labels(ents, "label")["PORT"].value == 2 and by_labels(ents, "label")["IMO"].value == 1
    # a histogram as Prometheus series: cumulative buckets, sum, count
    assert series(made, "maritime_ner_span_score_bucket", label="PORT", le="0.6").value == 0
    assert series(made, "maritime_ner_span_score_bucket", label="PORT", le="0.7").value == 1
    assert series(made, "maritime_ner_span_score_bucket", label="PORT", le="0.9").value == 2
    assert series(made, "maritime_ner_span_score_bucket", label="PORT", le="+Inf").value == 2
    assert series(made, "maritime_ner_span_score_sum", label="PORT").value == pytest.approx(1.6)
    assert series(made, "maritime_ner_span_score_count", label="PORT").value == 2
    assert made[telemetry.DOCUMENTS.name].metrics[0].value == 2
    assert made[telemetry.EMPTY_DOCUMENTS.name].metrics[0].value == 1
    metrics.refused(ValueError("logits have 2 labels"))
    assert by_labels(made[telemetry.REFUSED.name], "reason")[contract.REFUSED_UNDECODABLE].value == 1
    metrics.close()


def test_metrics_are_sent_in_batches_once_per_flush_period():
    """Each metric call is a round trip to the server: requests are added up and sent at most once a period."""
    made, factory = fake_families()
    now = [0.0]
    metrics = telemetry.DecoderMetrics(factory, "v7", flush_seconds=1.0, clock=lambda: now[0])
    calls = []
    for family in made.values():
        for m in family.metrics:
            m.increment = lambda n, m=m: (calls.append(n), setattr(m, "value", m.value + n))
    for _ in range(5):
        metrics.decoded([[Span(0, 3, "PORT", 0.9, "abc")]])
    assert calls == [] and made[telemetry.DOCUMENTS.name].metrics[0].value == 0  # still pending
    now[0] = 1.5
    metrics.decoded([[Span(0, 3, "PORT", 0.9, "abc")]])
    assert made[telemetry.DOCUMENTS.name].metrics[0].value == 6
    assert series(made, "maritime_ner_span_score_count", label="PORT").value == 6
    # one increment per changed series: documents, entities, sum, count, and the 6 buckets from 0.9 to +Inf
    assert len(calls) == 4 + 6
    metrics.decoded([[]])
    metrics.close()  # sends what is pending
    assert made[telemetry.DOCUMENTS.name].metrics[0].value == 7 and made[telemetry.EMPTY_DOCUMENTS.name].metrics[0].value == 1
    with pytest.raises(ValueError, match="metrics_flush_seconds"):
        telemetry.flush_seconds_setting({"metrics_flush_seconds": {"string_value": "-1"}})
    assert telemetry.flush_seconds_setting({}) == telemetry.DEFAULT_FLUSH_SECONDS


def test_tokenizer_metrics_document_sizes_and_refusals():
    made, factory = fake_families()
    metrics = telemetry.TokenizerMetrics(factory, telemetry.model_version_setting({}), flush_seconds=0)
    # two windows of document 0 (tokens 0..5, overlapping), one of document 1 (tokens 0..2), -1 = special/pad
    token_map = np.full((3, 6, 4), -1, dtype=np.int64)
    token_map[0, 1:5, 0] = [0, 1, 2, 3]
    token_map[1, 1:4, 0] = [3, 4, 5]
    token_map[2, 1:4, 0] = [0, 1, 2]
    metrics.encoded(token_map, np.array([0, 0, 1]), 2)
    assert series(made, "maritime_ner_windows_per_document_count").value == 2
    assert series(made, "maritime_ner_windows_per_document_sum").value == 3  # 2 windows + 1 window
    assert series(made, "maritime_ner_windows_per_document_bucket", le="1.0").value == 1
    assert series(made, "maritime_ner_tokens_per_document_sum").value == 9  # 6 + 3 tokens
    assert series(made, "maritime_ner_windows_per_document_count").labels == {telemetry.VERSION_LABEL: telemetry.UNKNOWN_VERSION}
    with pytest.raises(contract.InvalidRequest) as err:
        contract.decode_texts([b"\xff"])
    metrics.refused(err.value)
    with pytest.raises(contract.InvalidRequest) as err:
        contract.check_length(["x" * 10], 5)
    metrics.refused(err.value)
    reasons = by_labels(made[telemetry.REFUSED.name], "reason")
    assert set(reasons) == {contract.REFUSED_INVALID_UTF8, contract.REFUSED_TOO_LONG, contract.REFUSED_TOO_MANY_WINDOWS}
    assert reasons[contract.REFUSED_INVALID_UTF8].value == 1 and reasons[contract.REFUSED_TOO_LONG].value == 1


def test_build_writes_the_model_version_into_every_step(built_repo):
    repo = ModelRepository(built_repo)
    version = repo.model_version
    assert version.startswith("ner-")
    for step in (contract.TOKENIZER_MODEL, contract.DECODER_MODEL):
        assert repo.parameters(step)[contract.MODEL_VERSION_PARAM] == version


# ---------- rules and dashboard, offline ----------

def test_promtool_checks_and_unit_tests_the_rules():
    promtool = prom_tool("promtool")
    for args in (["check", "rules", str(RULES)], ["test", "rules", str(RULES_TEST)]):
        done = subprocess.run([str(promtool), *args], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
    tested = set(re.findall(r"alertname: (\w+)", RULES_TEST.read_text(encoding="utf-8")))
    assert tested == {r["alert"] for r in rule_list() if "alert" in r}  # every alert has unit tests


def rule_list() -> list[dict]:
    return [r for g in yaml.safe_load(RULES.read_text(encoding="utf-8"))["groups"] for r in g["rules"]]


def dashboard_exprs() -> list[str]:
    panels = json.loads(DASHBOARD.read_text(encoding="utf-8"))["panels"]
    return [t["expr"] for p in panels for t in p.get("targets", [])]


def test_dashboard_is_wellformed_grafana_json():
    dash = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    ids = [p["id"] for p in dash["panels"]]
    assert len(ids) == len(set(ids)) and dash["uid"]
    assert {v["name"] for v in dash["templating"]["list"]} == {"datasource"}
    for panel in dash["panels"]:
        if panel["type"] != "row":
            assert panel["targets"] and panel["datasource"]["uid"] == "${datasource}", panel["title"]
    exprs = " ".join(dashboard_exprs())
    for name in ("maritime_ner:entities:rate5m", "maritime_ner_span_score_bucket", "maritime_ner:empty_documents:ratio_rate30m",
                 "maritime_ner:step_queue:mean_us_rate5m", "nv_inference_request_failure", "maritime_ner_canary_success"):
        assert name in exprs


def test_backend_metrics_render_prometheus_text():
    metrics = BackendMetrics()
    metrics.observe("/predict?x=1", 200, 0.2)
    metrics.observe("/predict", 503, 0.1)
    metrics.observe("/wp-admin", 404, 0.01)
    text = metrics.render().decode()
    assert 'maritime_ner_ls_backend_requests_total{code="200",route="/predict"} 1.0' in text
    assert 'maritime_ner_ls_backend_request_failures_total{route="/predict"} 1.0' in text
    assert 'maritime_ner_ls_backend_request_duration_seconds_count{route="/predict"} 2.0' in text
    assert route_label("/wp-admin") == "other" and route_label("/") == "/"


# ---------- against a real tritonserver ----------

def scrape(url: str) -> dict[tuple[str, frozenset], float]:
    """Prometheus text -> {(name, labels): value}."""
    text = urllib.request.urlopen(url, timeout=5).read().decode()
    out = {}
    for line in text.splitlines():
        m = re.match(r"^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$", line)
        if m:
            labels = frozenset(re.findall(r'(\w+)="([^"]*)"', m.group(2) or ""))
            out[(m.group(1), labels)] = float(m.group(3))
    return out


def value(samples, name: str, **labels) -> float:
    want = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and want <= set(ls))


@pytest.fixture(scope="module")
def served(built_repo, tmp_path_factory):
    """A copy of the built repository on an explicit-mode server with latency summaries (the swap test reloads it)."""
    repo = tmp_path_factory.mktemp("monitor-repo") / "repo"
    shutil.copytree(built_repo, repo)
    built = ModelRepository(repo)
    for step in (contract.TOKENIZER_MODEL, contract.DECODER_MODEL):  # send metrics after every request: exact counts
        config = built.config(step)
        config.parameters[telemetry.FLUSH_SECONDS_PARAM].string_value = "0"
        built.write_config(step, config)
    log = tmp_path_factory.mktemp("monitor-triton") / "server.log"
    server = TritonServer(repo, log_path=log, extra_args=[*METRICS_ARGS, "--model-control-mode=explicit", "--load-model=*"])
    with server:
        yield server, repo


def metrics_url(server: TritonServer) -> str:
    return f"http://{server.host}:{server.metrics_port}/metrics"


@pytest.mark.integration
def test_custom_metrics_count_what_the_responses_carried(served):
    server, repo = served
    version = ModelRepository(repo).model_version
    before = scrape(metrics_url(server))
    client = NerClient(server.grpc_url)
    results = [r for i in range(0, len(DOCS), 4) for r in client.infer_batch(DOCS[i:i + 4])]
    with pytest.raises(Exception, match="UTF-8"):
        client.infer_batch([b"\xff\xfe not utf-8"])
    client.close()
    time.sleep(0.2)
    after = scrape(metrics_url(server))

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("maritime_ner_documents_total", model_version=version) == len(DOCS)
    for label in contract.ENTITY_LABELS:
        carried = sum(1 for doc in results for r in doc if r["value"]["labels"][0] == label)
        assert delta("maritime_ner_entities_total", label=label, model_version=version) == carried, label
        assert delta("maritime_ner_span_score_count", label=label) == carried
    assert delta("maritime_ner_empty_documents_total") == sum(1 for doc in results if not doc)
    assert delta("maritime_ner_windows_per_document_count") == len(DOCS)
    assert delta("maritime_ner_tokens_per_document_count") == len(DOCS)
    assert delta("maritime_ner_refused_requests_total", reason=contract.REFUSED_INVALID_UTF8, model_version=version) == 1
    # Triton 2.51 counts one failed ensemble request twice: the failure rule's factor 2 depends on it.
    assert delta("nv_inference_request_failure", model="ner") == 2
    assert value(after, "nv_inference_queue_summary_us", model="ner_model", quantile="0.99") >= 0  # summaries on


@pytest.fixture(scope="module")
def smoke_file(built_repo, tmp_path_factory) -> Path:
    """Smoke expectations the tiny model meets: the reference pipeline's own first spans per document."""
    smoke = reference_smoke(built_repo, DOCS[:3], per_doc=3)
    path = tmp_path_factory.mktemp("smoke") / "smoke.json"
    verify.write_smoke(path, smoke)
    return path


def two_label_onnx(path: Path) -> Path:
    """A core with the right tensor names but 2 logit columns (the model that once reached production)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    table = numpy_helper.from_array(np.random.default_rng(0).normal(size=(30522, 2)).astype(np.float32), "table")
    ids = helper.make_tensor_value_info(contract.INPUT_IDS, TensorProto.INT64, ["b", "s"])
    mask = helper.make_tensor_value_info(contract.ATTENTION_MASK, TensorProto.INT64, ["b", "s"])
    logits = helper.make_tensor_value_info(contract.LOGITS, TensorProto.FLOAT, ["b", "s", 2])
    graph = helper.make_graph([helper.make_node("Gather", ["table", contract.INPUT_IDS], [contract.LOGITS])],
                              "two_labels", [ids, mask], [logits], [table])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(path))
    return path


@pytest.mark.integration
def test_canary_turns_zero_when_a_two_label_model_is_swapped_in(served, smoke_file, tmp_path, capsys):
    import tritonclient.grpc as grpcclient

    server, repo = served
    assert canary.main(["--url", server.grpc_url, "--smoke", str(smoke_file), "--every", "0.1", "--rounds", "1",
                        "--metrics-port", "0"]) == 0
    bird = canary.Canary.for_url(server.grpc_url, verify.load_smoke(smoke_file))
    http = bird.metrics.serve(0)
    url = f"http://127.0.0.1:{http.server_port}/metrics"
    assert bird.run(every=0.1, rounds=1) == [True]
    good = scrape(url)
    assert value(good, "maritime_ner_canary_success") == 1 and value(good, "maritime_ner_canary_model_ready", model="ner_model") == 1
    assert value(good, "maritime_ner_canary_last_success_timestamp_seconds") > time.time() - 60
    core = repo / contract.ONNX_MODEL / "1" / contract.ONNX_FILE
    saved = tmp_path / "good.onnx"
    shutil.copy2(core, saved)
    admin = grpcclient.InferenceServerClient(server.grpc_url)
    try:
        shutil.copy2(two_label_onnx(tmp_path / "two.onnx"), core)
        admin.load_model(contract.ONNX_MODEL)
        assert bird.run(every=0.1, rounds=1) == [False]
        bad = scrape(url)
        assert value(bad, "maritime_ner_canary_success") == 0
        assert value(bad, "maritime_ner_canary_checks_total", result="failure") == 1
        assert value(bad, "maritime_ner_canary_checks_total", result="success") == 1
        assert value(bad, "maritime_ner_canary_last_success_timestamp_seconds") == value(good, "maritime_ner_canary_last_success_timestamp_seconds")
    finally:
        shutil.copy2(saved, core)
        admin.load_model(contract.ONNX_MODEL)
        admin.close()
        http.shutdown()
    assert bird.run(every=0.1, rounds=1) == [True]


class Prometheus(LocalServer):
    """The prometheus server from .tools/ on a free loopback port, scraping every second."""

    def __init__(self, root: Path, targets: dict[str, str]):
        self.root, self.port = root, free_port()
        rules = root / "rules.yaml"
        shutil.copy2(RULES, rules)
        config = {
            "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
            "rule_files": [str(rules)],
            "scrape_configs": [{"job_name": job, "static_configs": [{"targets": [target]}]} for job, target in targets.items()],
        }
        (root / "prometheus.yml").write_text(yaml.safe_dump(config), encoding="utf-8")

    def start(self) -> "Prometheus":
        command = [str(prom_tool("prometheus")), f"--config.file={self.root / 'prometheus.yml'}",
                   f"--storage.tsdb.path={self.root / 'data'}", f"--web.listen-address=127.0.0.1:{self.port}"]
        log = open(self.root / "prometheus.log", "wb")
        return self.launch(command, None, log, lambda: http_ok(f"http://127.0.0.1:{self.port}/-/ready"), 30, "prometheus")

    def api(self, path: str, **params) -> dict:
        url = f"http://127.0.0.1:{self.port}/api/v1/{path}?{urllib.parse.urlencode(params)}"
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                return json.loads(resp.read())
        except urllib.error.HTTPError as err:
            return json.loads(err.read())


@pytest.mark.integration
def test_prometheus_scrapes_and_every_rule_and_panel_expression_returns_data(served, smoke_file, tmp_path):
    server, _ = served
    stop = threading.Event()
    bird = canary.Canary.for_url(server.grpc_url, verify.load_smoke(smoke_file))
    canary_http = bird.metrics.serve(0)
    backend = ls_backend.make_server(server.grpc_url, port=0)
    threads = [threading.Thread(target=bird.run, args=(0.5,), kwargs={"stop": stop}, daemon=True),
               threading.Thread(target=backend.serve_forever, daemon=True)]

    def traffic():
        client = NerClient(server.grpc_url)
        body = json.dumps({"tasks": [{"id": 1, "data": {"text": DOCS[0]}}]}).encode()
        while not stop.is_set():
            client.infer_batch(DOCS[:2])
            request = urllib.request.Request(f"http://127.0.0.1:{backend.server_port}/predict", body, {"Content-Type": "application/json"})
            urllib.request.urlopen(request, timeout=10).read()
            stop.wait(0.2)
        client.close()
    threads.append(threading.Thread(target=traffic, daemon=True))
    for t in threads:
        t.start()
    recorded = [r["record"] for r in rule_list() if "record" in r]
    panels = [e.replace("$__rate_interval", "1m") for e in dashboard_exprs()]
    targets = {"triton": f"127.0.0.1:{server.metrics_port}", "maritime-ner-canary": f"127.0.0.1:{canary_http.server_port}",
               "ls-backend": f"127.0.0.1:{backend.server_port}"}
    try:
        with Prometheus(tmp_path, targets) as prom:
            pending = recorded + panels
            deadline = time.monotonic() + 30
            while pending and time.monotonic() < deadline:
                time.sleep(1)
                pending = [e for e in pending if not prom.api("query", query=e).get("data", {}).get("result")]
            assert not pending, f"no data after 30 s for: {pending}"
            for rule in rule_list():  # alert expressions (empty when not firing) must parse and evaluate
                answer = prom.api("query", query=rule["expr"])
                assert answer["status"] == "success", (rule.get("alert") or rule.get("record"), answer)
            health = [(r["name"], r.get("lastError")) for g in prom.api("rules")["data"]["groups"] for r in g["rules"]]
            assert len(health) == len(rule_list()) and not [h for h in health if h[1]], health
            up = prom.api("query", query="up")["data"]["result"]
            assert {r["metric"]["job"]: r["value"][1] for r in up} == {job: "1" for job in targets}
    finally:
        stop.set()
        backend.shutdown()
        backend.server_close()
        canary_http.shutdown()
        for t in threads:
            t.join(10)
