"""The Label Studio ML backend over a real tritonserver: the requests Label Studio sends, the answers it expects."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor
import urllib.error
import urllib.request

import pytest

from maritime_ner.client.ner_client import NerClient
from maritime_ner.core.ls_format import prediction
from maritime_ner.labelstudio.api import label_config
from maritime_ner.labelstudio.backend import make_server
from maritime_ner.core.offsets import utf16_slice

pytestmark = pytest.mark.integration

TEXTS = [
    "🚢🐟 MV Ocean Star (IMO 9123456), flag Panama, discharged yellowfin tuna at Tema on 12 March 2025.",
    "Risk HIGH for F/V Hai Feng 718 🇨🇳 calling at Las Palmas; HS 0303.42.",
]


@pytest.fixture(scope="module")
def backend(triton):
    server = make_server(triton.grpc_url, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    server.backend.close()


def call(url, path, body=None, raw=None):
    """(status, decoded JSON answer) of one request."""
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    req = urllib.request.Request(url + path, data=data, method="GET" if data is None else "POST", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_health_and_setup_report_the_served_model_version(backend, triton):
    version = NerClient(triton.grpc_url).model_version()
    status, health = call(backend, "/health")
    assert status == 200 and health["status"] == "UP" and health["model_version"] == version
    setup = {"project": "1.1700000000", "schema": label_config(), "hostname": "http://localhost:8080", "access_token": "x", "extra_params": None}
    assert call(backend, "/setup", setup) == (200, {"model_version": version})
    assert call(backend, "/versions") == (200, {"versions": [version]})


def test_setup_refuses_a_config_without_our_controls(backend):
    status, answer = call(backend, "/setup", {"project": "1.1", "schema": '<View><Text name="t" value="$t"/></View>'})
    assert status == 400 and "Labels" in answer["error"]


def test_predict_answers_like_the_client_with_utf16_offsets(backend, triton):
    client = NerClient(triton.grpc_url)
    expected = [prediction(r, client.model_version()) for r in client.infer(TEXTS)]
    tasks = [{"id": i + 1, "data": {"text": t}, "annotations": [], "predictions": []} for i, t in enumerate(TEXTS)]
    body = {"tasks": tasks, "project": "1.1700000000", "label_config": label_config(), "params": {"login": None, "password": None, "context": None}}
    status, answer = call(backend, "/predict", body)
    assert status == 200
    assert answer["results"] == json.loads(json.dumps(expected))
    for text, pred in zip(TEXTS, answer["results"]):
        for item in pred["result"]:
            assert utf16_slice(text, item["value"]["start"], item["value"]["end"]) == item["value"]["text"]


def test_predict_reads_the_field_the_config_names(backend):
    config = label_config().replace("$text", "$body")
    status, answer = call(backend, "/predict", {"tasks": [{"id": 1, "data": {"body": TEXTS[0]}}], "label_config": config})
    assert status == 200 and len(answer["results"]) == 1 and "result" in answer["results"][0]
    status, answer = call(backend, "/predict", {"tasks": [{"id": 1, "data": {"text": TEXTS[0]}}], "label_config": config})
    assert status == 400 and "data.body" in answer["error"]


def test_a_refused_document_gets_no_prediction_and_the_others_do(backend):
    tasks = [{"id": 1, "data": {"text": TEXTS[0]}}, {"id": 2, "data": {"text": "tuna " * 200_000}}]
    status, answer = call(backend, "/predict", {"tasks": tasks, "label_config": label_config()})
    assert status == 200 and answer["results"][1] == [] and "result" in answer["results"][0]


@pytest.mark.parametrize("path, raw, status", [("/predict", b"not json", 400), ("/predict", b"[1]", 400), ("/train", b"{}", 400),
                                               ("/webhook", b'{"action": "START_TRAINING", "project": {"id": 1}}', 400), ("/nowhere", b"{}", 404)])
def test_bad_requests(backend, path, raw, status):
    assert call(backend, path, raw=raw)[0] == status


def test_concurrent_predicts_get_the_same_answers(backend):
    body = {"tasks": [{"id": 1, "data": {"text": TEXTS[0]}}], "label_config": label_config()}
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: call(backend, "/predict", body), range(8)))
    assert all(a == answers[0] for a in answers) and answers[0][0] == 200
