"""Against a real Label Studio (from .venv-ls) and a real tritonserver: pre-annotate, read back, export, convert,
both kinds of API key, the ML backend's events, and the gated retrain.

One Label Studio and one tritonserver (explicit model control, serving the tiny model as release 1
of a deploy target: the champion) serve the whole module; the retrain test runs last because it
deploys a new release. Needs `make ls-setup` (part of `make test`); without .venv-ls these tests skip.
"""

import base64
import json
import sys
import threading
import time
import urllib.request

import pytest

from label_studio_server import LS_BIN, LabelStudioServer
from load import DOCS as SMOKE_DOCS
from maritime_ner.labelstudio import preannotate
from maritime_ner.client.ner_client import NerClient
from maritime_ner.core import contract
from maritime_ner.core.decoding import Span
from maritime_ner.core.ls_format import to_results
from maritime_ner.labelstudio.api import LabelStudio, LabelStudioError, is_jwt, label_config
from maritime_ner.labelstudio.backend import make_server
from maritime_ner.labelstudio.jobs import RetrainJobs, retrain_command
from maritime_ner.core.offsets import from_utf16, utf16_slice
from maritime_ner.ops import deploy, verify
from maritime_ner.repository.reference import Pipeline
from smoke_docs import reference_smoke
from maritime_ner.serving.local_triton import TritonServer
from training import ls_export, retrain
from training.data import load_records
from training.generate import generate_documents

pytestmark = pytest.mark.integration

DOCS = [
    "🚢🐟 MV Ocean Star (IMO 9123456), flag Panama, discharged yellowfin tuna at Tema on 12 March 2025.",
    "Risk HIGH for F/V Hai Feng 718 🇨🇳 calling at Las Palmas; HS 0303.42, Patagonian toothfish.",
    "PSC inspection 2025-05-14 at Port of Busan: Liberian reefer Lucky Fortune No. 3, risk medium.",
    "😀😀 Frozen squid (Illex) loaded at Montevideo, HS 0307.43, 28 March.",
    "Catch certificate: vessel Zhong Yu 12, IMO9207714, flag Comoras, port of landing Songkhla.",
    "Nothing to see here.",
    "🐟 Skipjack tuna 1604.14.10 shipped from Abidjan to Vigo on 03/12/2025 aboard MSC Aurora.",
    "Albacore and bigeye tuna transhipped off Mauritius; risk very high; vessel Shin Jyi Chyuu 88.",
    "𝔐𝔙 Ocean Star 🚢 (former name Ocean Pearl) flagged Togo, ports Tema and Lomé.",
    "IUU listing June 2024: F/V Sea Breeze, Panama, toothfish, HS 0303.83.",
]
TOO_LONG = "tuna " * 200_000  # more than one request may carry: Triton refuses it


def spans(text, *pieces):
    """Code-point spans of (substring, label) pairs, first occurrence each."""
    out = []
    for piece, label in pieces:
        start = text.index(piece)
        out.append(Span(start, start + len(piece), label, 1.0, piece))
    return out


@pytest.fixture(scope="module")
def label_studio(tmp_path_factory):
    if not LS_BIN.exists():
        pytest.skip("Label Studio is not installed in .venv-ls: run `make ls-setup` (make test does)")
    with LabelStudioServer(tmp_path_factory.mktemp("label-studio") / "data") as server:
        yield server


@pytest.fixture(scope="module")
def ls(label_studio):
    return LabelStudio(label_studio.url, label_studio.token)


@pytest.fixture(scope="module")
def triton(built_repo, tmp_path_factory):
    """The tiny model installed as release 1 of a deploy target, served in explicit mode: the champion."""
    target = deploy.LocalTarget(tmp_path_factory.mktemp("target") / "models")
    assert deploy.install(built_repo, target).served == 1
    log = tmp_path_factory.mktemp("ls-triton") / "server.log"
    server = TritonServer(target.root, log_path=log, extra_args=["--model-control-mode=explicit", "--load-model=*"])
    server.target = target
    with server:
        yield server


@pytest.fixture
def ls_env(monkeypatch, label_studio):
    """The commands' environment: Label Studio's address and the legacy key (never on argv)."""
    monkeypatch.setenv("LABEL_STUDIO_URL", label_studio.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", label_studio.token)


def test_preannotate_stores_predictions_once_and_reports_failures(ls, ls_env, triton, capsys):
    project = ls.create_project("Pre-annotation", label_config())
    ids = ls.import_tasks(project, [{"text": t} for t in DOCS + [TOO_LONG]])
    argv = ["--project", str(project), "--triton-url", triton.grpc_url, "--no-progress", "--workers", "2", "--chunk-size", "4"]
    assert preannotate.main(argv) == 1  # the too-long task failed, the rest were stored
    err = capsys.readouterr().err
    assert f"task {ids[-1]}: Triton refused it" in err and f"{len(DOCS)} pre-annotated" in err

    client = NerClient(triton.grpc_url)
    version = client.model_version()
    expected = client.infer(DOCS)
    after_emoji = 0
    for task_id, text, want in zip(ids, DOCS, expected):
        (pred,) = ls.predictions(task_id)
        assert pred["model_version"] == version
        assert [r["value"] for r in pred["result"]] == [r["value"] for r in want]
        assert [r["score"] for r in pred["result"]] == pytest.approx([r["score"] for r in want])
        for item in pred["result"]:
            value = item["value"]
            assert utf16_slice(text, value["start"], value["end"]) == value["text"]
            after_emoji += from_utf16(text, value["start"]) != value["start"]
    assert ls.predictions(ids[-1]) == []
    assert after_emoji > 0, "no predicted span after an astral character: the UTF-16 path went untested"

    assert preannotate.main(argv) == 1  # idempotent: nothing new, the refused task is reported again
    assert f"0 pre-annotated with {version}, {len(DOCS)} already had its prediction, 1 failed" in capsys.readouterr().err
    assert all(len(ls.predictions(i)) == 1 for i in ids[:-1])


def test_export_round_trip_keeps_every_span_exact(ls, ls_env, tmp_path, capsys):
    project = ls.create_project("Round trip", label_config(("VESSEL", "PORT", "FLAG", "SPECIES", "IMO", "HS_CODE", "DATE", "RISK_LEVEL", "CITY")))
    texts = DOCS[:5]
    ids = ls.import_tasks(project, [{"text": t} for t in texts])
    gold = {
        texts[0]: spans(texts[0], ("MV Ocean Star", "VESSEL"), ("9123456", "IMO"), ("Panama", "FLAG"), ("yellowfin tuna", "SPECIES"), ("Tema", "PORT"), ("12 March 2025", "DATE")),
        texts[1]: spans(texts[1], ("HIGH", "RISK_LEVEL"), ("F/V Hai Feng 718", "VESSEL"), ("Las Palmas", "PORT"), ("0303.42", "HS_CODE"), ("Patagonian toothfish", "SPECIES")),
        texts[3]: spans(texts[3], ("squid", "SPECIES"), ("Illex", "SPECIES"), ("Montevideo", "PORT"), ("0307.43", "HS_CODE"), ("28 March", "DATE")),
    }
    # task 0: a first draft, then the corrected annotation (the latest wins)
    ls.create_annotation(ids[0], to_results(texts[0], gold[texts[0]][:2]))
    ls.create_annotation(ids[0], to_results(texts[0], gold[texts[0]]))
    # task 1: the ground truth wins over a later annotation; regions without value.text
    truth = [{k: v for k, v in r.items() if k != "score"} for r in to_results(texts[1], gold[texts[1]])]
    for r in truth:
        del r["value"]["text"]
    ls.create_annotation(ids[1], truth, ground_truth=True)
    ls.create_annotation(ids[1], to_results(texts[1], gold[texts[1]][:1]))
    # task 2: cancelled only; task 4: no annotation; task 3: one label outside our 9 (dropped, reported)
    ls.create_annotation(ids[2], [], was_cancelled=True)
    city = to_results(texts[3], spans(texts[3], ("Montevideo", "CITY")))
    ls.create_annotation(ids[3], to_results(texts[3], gold[texts[3]][:2]) + [dict(city[0], id="city")] + to_results(texts[3], gold[texts[3]][3:]))

    train = tmp_path / "train.jsonl"
    saved = tmp_path / "export.json"
    argv = ["--url", ls.url, "--project", str(project), "--save-export", str(saved), "--train-out", str(train)]
    assert ls_export.main(argv) == 0
    err = capsys.readouterr().err
    assert "3/5 tasks converted, 1 only cancelled, 1 without annotation" in err and "'CITY': 1" in err
    got = {r["text"]: r["entities"] for r in map(json.loads, train.read_text(encoding="utf-8").splitlines())}
    want = {texts[0]: gold[texts[0]], texts[1]: gold[texts[1]], texts[3]: [s for s in gold[texts[3]] if s.label != "PORT"]}
    assert got == {t: [{"start": s.start, "end": s.end, "label": s.label} for s in w] for t, w in want.items()}
    for text, entities in got.items():
        assert [text[e["start"]:e["end"]] for e in entities] == [s.text for s in want[text]]
    assert {r["text"]: r["entities"] for r in load_records(saved)} == got  # training reads the raw export the same way


def test_label_studio_fetches_predictions_from_the_ml_backend(ls, triton):
    server = make_server(triton.grpc_url, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        project = ls.create_project("ML backend", label_config())
        ids = ls.import_tasks(project, [{"text": t} for t in DOCS[:3]])
        ls.connect_ml_backend(project, f"http://127.0.0.1:{server.server_port}")
        ls.request("POST", "/api/dm/actions", {"selectedItems": {"all": True, "excluded": []}}, id="retrieve_tasks_predictions", project=project)
        client = NerClient(triton.grpc_url)
        for task_id, want in zip(ids, client.infer(DOCS[:3])):
            (pred,) = ls.predictions(task_id)
            assert pred["model_version"] == client.model_version()
            assert [r["value"] for r in pred["result"]] == [r["value"] for r in want]
    finally:
        server.shutdown()
        server.server_close()
        server.backend.close()


def test_bulk_preannotation_resumes_where_one_by_one_stopped(ls, ls_env, triton, capsys):
    texts = [f"{DOCS[i % len(DOCS)]} (copy {i})" for i in range(30)]
    project = ls.create_project("Bulk", label_config())
    ids = ls.import_tasks(project, [{"text": t} for t in texts])
    client = NerClient(triton.grpc_url)
    version = client.model_version()
    # an earlier run stored the first 10 one by one, then stopped
    first = preannotate.Report(version)
    preannotate.annotate_batch(ls, client, [{"id": i, "data": {"text": t}} for i, t in zip(ids[:10], texts[:10])], "text", first)
    assert first.stored == 10
    argv = ["--project", str(project), "--triton-url", triton.grpc_url, "--no-progress", "--workers", "3", "--chunk-size", "8"]
    assert preannotate.main(argv) == 0
    assert "30 tasks: 20 pre-annotated with" in capsys.readouterr().err
    for task_id, want in zip(ids, client.infer(texts)):
        (pred,) = ls.predictions(task_id)
        assert pred["model_version"] == version and [r["value"] for r in pred["result"]] == [r["value"] for r in want]
    client.close()


def test_personal_access_token_works_with_legacy_tokens_off(ls, label_studio, monkeypatch, tmp_path, capsys):
    pat = ls.create_personal_access_token()  # POST /api/token/, authenticated with the legacy token
    assert is_jwt(pat) and not is_jwt(label_studio.token)
    with_pat = LabelStudio(label_studio.url, pat)
    before = with_pat.jwt_settings()
    with_pat.set_jwt_settings(legacy_api_tokens_enabled=False, api_tokens_enabled=True)
    try:
        with pytest.raises(LabelStudioError) as refused:
            ls.request("GET", "/api/projects")
        assert refused.value.status == 401 and "legacy token authentication has been disabled" in str(refused.value)
        project = with_pat.create_project("With a PAT", label_config())
        task = with_pat.import_tasks(project, [{"text": DOCS[0]}])[0]
        with_pat.create_annotation(task, to_results(DOCS[0], spans(DOCS[0], ("MV Ocean Star", "VESSEL"))))
        with_pat.auth._access = "expired-or-revoked"  # the next request gets a 401, refreshes, retries
        assert with_pat.task(task)["id"] == task
        monkeypatch.setenv("LABEL_STUDIO_URL", label_studio.url)
        monkeypatch.setenv("LABEL_STUDIO_API_KEY", pat)
        assert ls_export.main(["--project", str(project), "--train-out", str(tmp_path / "t.jsonl")]) == 0
        assert pat not in capsys.readouterr().err
        start = DOCS[0].index("MV Ocean Star")
        assert load_records(tmp_path / "t.jsonl")[0]["entities"] == [{"start": start, "end": start + 13, "label": "VESSEL"}]
    finally:
        with_pat.set_jwt_settings(**before)
    assert ls.request("GET", "/api/projects") is not None  # legacy key works again for the tests after this one


def wait_for(predicate, timeout=60.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_label_studio_start_training_and_annotation_events_reach_the_backend(ls, triton, tmp_path):
    def fake_retrain(project, report_dir):
        return [sys.executable, "-c", "import json,sys; json.dump({'decision': 'keep', 'reason': 'stub'}, open(sys.argv[1], 'w'))",
                str(report_dir / "retrain.json")]

    user, password = "label-studio", "s3cret:pass"
    jobs = RetrainJobs(fake_retrain, tmp_path / "jobs")
    server = make_server(triton.grpc_url, "127.0.0.1", 0, jobs=jobs, basic_auth=(user, password))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        project = ls.create_project("Events", label_config())
        task = ls.import_tasks(project, [{"text": DOCS[0]}])[0]
        ml = ls.connect_ml_backend(project, url, basic_auth=(user, password))  # LS checks /health and /setup with basic auth
        assert ml["state"] in ("CO", "connected") or ml.get("id")
        ls.train_ml_backend(ml["id"])  # the Start Training button: START_TRAINING to /webhook
        job = wait_for(lambda: jobs.status()["latest"], what="a retrain job")
        assert job["project"] == project and "START_TRAINING" in job["reason"]
        wait_for(lambda: jobs.status()["latest"]["state"] == "finished", what="the job to finish")
        # annotation webhooks carry no basic auth until the webhook is given the header
        (hook,) = [h for h in ls.webhooks(project) if h["url"] == f"{url}/webhook"]
        ls.create_annotation(task, [])
        assert jobs.status()["new_annotations"].get(str(project), 0) == 0
        basic = base64.b64encode(f"{user}:{password}".encode()).decode()
        ls.set_webhook_headers(hook["id"], {"Authorization": f"Basic {basic}"})
        ls.create_annotation(task, [])
        wait_for(lambda: jobs.status()["new_annotations"].get(str(project)) == 1, what="ANNOTATION_CREATED at the backend")
    finally:
        server.shutdown()
        server.server_close()
        server.backend.close()


def reference_annotations(repository, texts):
    """What the champion finds, as annotations: the champion scores F1 = 1 on them."""
    return [to_results(t, s) for t, s in zip(texts, Pipeline.from_repository(repository).spans(texts))]


def rotate_labels(results):
    """Every region relabelled with the next entity label: a corrupted annotation."""
    labels = list(contract.ENTITY_LABELS)
    return [dict(r, value=dict(r["value"], labels=[labels[(labels.index(r["value"]["labels"][0]) + 1) % len(labels)]])) for r in results]


def test_retrain_refuses_a_worse_challenger_and_deploys_a_good_one(ls, ls_env, triton, built_repo, exported_model, tmp_path, capsys):
    """Corrupted training labels -> refused, champion still served; correct labels -> deployed and verified."""
    texts = [d["text"] for d in generate_documents(40, 11, ["bill_of_lading", "catch_certificate"])]
    project = ls.create_project("Retrain", label_config())
    ids = ls.import_tasks(project, [{"text": t} for t in texts])
    truth = reference_annotations(built_repo, texts)
    held_out = {t for t in ids if retrain.in_test_share(t, 0.25)}
    assert 3 <= len(held_out) <= 20 and any(truth[ids.index(t)] for t in held_out)
    for task, results in zip(ids, truth):
        ls.create_annotation(task, results if task in held_out else rotate_labels(results))
    smoke = tmp_path / "smoke.json"  # the champion's own spans: a release that keeps them passes verify
    verify.write_smoke(smoke, reference_smoke(built_repo, SMOKE_DOCS, per_doc=2))
    base = ["--project", str(project), "--target", str(triton.target.root), "--url", triton.grpc_url, "--smoke", str(smoke),
            "--test-share", "0.25", "--workdir", str(tmp_path / "work"), "--val-fraction", "0.2"]
    checkpoint = exported_model.parent / "checkpoint"

    # the corrupted challenger: Start Training in Label Studio -> the backend's /webhook -> `python -m maritime_ner retrain`
    jobs = RetrainJobs(retrain_command([*base[2:], "--", "--base-model", str(checkpoint), "--max-steps", "25",
                                        "--learning-rate", "0.01", "--batch-size", "8", "--quiet"]), tmp_path / "jobs")
    backend = make_server(triton.grpc_url, "127.0.0.1", 0, jobs=jobs)
    threading.Thread(target=backend.serve_forever, daemon=True).start()
    try:
        ml = ls.connect_ml_backend(project, f"http://127.0.0.1:{backend.server_port}")
        ls.train_ml_backend(ml["id"])
        wait_for(lambda: jobs.status()["latest"] and jobs.status()["latest"]["state"] != "running", timeout=300, what="the retrain job")
        with urllib.request.urlopen(f"http://127.0.0.1:{backend.server_port}/retrain/status", timeout=30) as answer:
            done = json.loads(answer.read())["latest"]
    finally:
        backend.shutdown()
        backend.server_close()
        backend.backend.close()
    assert done["project"] == project and "START_TRAINING" in done["reason"]
    log = open(done["log"], encoding="utf-8").read()
    assert done["state"] == "finished" and done["decision"] == "keep", log[-3000:]
    report = json.loads((tmp_path / "jobs" / "job-1" / "retrain.json").read_text(encoding="utf-8"))
    assert report["champion"]["scores"]["micro"]["f1"] == 1.0 and report["champion"]["release"] == 1
    assert report["challenger"]["scores"]["micro"]["f1"] < 0.99 and report["changed"]
    assert "worse than the champion" in report["reason"] and deploy.served_version(triton.target) == 1
    assert sorted(report["test_set"]["task_ids"]) == sorted(held_out)
    md = (tmp_path / "jobs" / "job-1" / "retrain.md").read_text(encoding="utf-8")
    assert "**Decision: keep**" in md and "| **micro** | 1.000 | 1.000 | 1.000 |" in md

    # the annotators fix the training tasks; the retrained challenger holds up and is deployed
    for task, results in zip(ids, truth):
        if task not in held_out:
            ls.create_annotation(task, results)  # the latest annotation wins
    report_dir = tmp_path / "good"
    # near copy of the champion: the tiny model's spans sit near the decoder's bars, so one may flip
    # between CPUs; the margin leaves room for that, the corrupted challenger is far below it
    code = retrain.main([*base, "--report-dir", str(report_dir), "--margin", "0.05", "--", "--base-model", str(checkpoint),
                         "--max-steps", "2", "--learning-rate", "1e-6", "--quiet"])
    report = json.loads((report_dir / "retrain.json").read_text(encoding="utf-8"))
    assert code == 0 and report["decision"] == "deploy", report["reason"]
    assert report["challenger"]["scores"]["micro"]["f1"] >= 0.95
    assert report["deploy"]["ok"] and report["deploy"]["served"] == 2 and deploy.served_version(triton.target) == 2
    assert any("verified" in m for m in report["deploy"]["messages"])
    assert verify.verify(triton.grpc_url, "grpc", smoke).ok
    assert NerClient(triton.grpc_url).model_version() == report["challenger"]["model_version"]
    assert json.loads((tmp_path / "work" / f"project-{project}" / "test_set.json").read_text())["task_ids"] == sorted(held_out)
