"""Against a real Label Studio (from .venv-ls) and a real tritonserver: pre-annotate, read back, export, convert.

Needs `make ls-setup` (part of `make test`); without .venv-ls these tests skip and say so.
"""

import json
import threading

import pytest

from label_studio_server import LS_BIN, LabelStudioServer
from maritime_ner.labelstudio import preannotate
from maritime_ner.client.ner_client import NerClient
from maritime_ner.core.decoding import Span
from maritime_ner.core.ls_format import to_results
from maritime_ner.labelstudio.api import LabelStudio, label_config
from maritime_ner.labelstudio.backend import make_server
from maritime_ner.core.offsets import from_utf16, utf16_slice
from training import ls_export
from training.data import load_records

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


def test_preannotate_stores_predictions_once_and_reports_failures(ls, label_studio, triton, capsys):
    project = ls.create_project("Pre-annotation", label_config())
    ids = ls.import_tasks(project, [{"text": t} for t in DOCS + [TOO_LONG]])
    argv = ["--ls-url", label_studio.url, "--ls-api-key", label_studio.token, "--project", str(project),
            "--triton-url", triton.grpc_url, "--no-progress"]
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


def test_export_round_trip_keeps_every_span_exact(ls, tmp_path, capsys):
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
    argv = ["--url", ls.url, "--api-key", ls.api_key, "--project", str(project), "--save-export", str(saved), "--train-out", str(train)]
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
