"""Against a real tritonserver (started by the `triton` fixture on free ports)."""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest
import tritonclient.grpc as grpcclient

from maritime_ner.core import contract
from maritime_ner.core.decoding import MAJORITY_MIN_PROB
from maritime_ner.client.ner_client import InferenceFailed, NerClient
from maritime_ner.core.offsets import utf16_slice
from maritime_ner.repository.layout import ModelRepository
from maritime_ner.repository.reference import Pipeline

from tiny_model import TEST_MIN_SCORE

pytestmark = pytest.mark.integration

LONG = " ".join(
    f"Section {i}: MV Ocean Star IMO 9123456 loaded yellowfin tuna at Busan on 12 March 2025; risk HIGH."
    for i in range(400)
)  # about 5,600 words: many windows
DOCS = [
    "MV Ocean Star (IMO 9123456), Panama flag, loaded frozen yellowfin tuna (HS 0303.42) at Busan on 12 March 2025.",
    "🚢🐟 F/V Hai Feng 718 called at Valparaíso and 大连 on 2025-03-12.\r\nRisk: MEDIUM-HIGH. Señora del Carmen ✓",
    "   leading spaces\tand tabs  \r\n\r\n trailing   ",
    "x",
    "ÉTÉ 😀 São Tomé — Rønne; 東京 🇯🇵 ok",
    LONG,
    "A" * 300,
    "Lucky Fortune No. 3 " * 50,
]


@pytest.fixture(scope="module")
def reference(built_repo):
    return Pipeline.from_repository(built_repo)


@pytest.fixture(scope="module", params=["grpc", "http"])
def client(request, triton):
    url = triton.grpc_url if request.param == "grpc" else triton.http_url
    c = NerClient(url, request.param)
    yield c
    c.close()


def test_served_equals_reference(client, reference):
    served = client.infer(DOCS)
    expected = reference.results(DOCS)
    assert len(served) == len(DOCS)
    for got, want in zip(served, expected):
        assert [{k: v for k, v in r.items() if k != "score"} for r in got] == [{k: v for k, v in r.items() if k != "score"} for r in want]
        assert [r["score"] for r in got] == pytest.approx([r["score"] for r in want], abs=1e-3)


def test_decoder_drops_spans_below_the_built_min_score(client, built_repo):
    cut = ModelRepository(built_repo).min_score
    assert cut == TEST_MIN_SCORE
    served = [r["score"] for doc in client.infer(DOCS) for r in doc]
    # under the cut only names the model is sure of, whose label holds a majority, are kept
    assert served and min(served) >= min(cut, MAJORITY_MIN_PROB)
    uncut = Pipeline.from_repository(built_repo)
    uncut.min_score = 0.0
    below = [s.score for doc in uncut.spans(DOCS) for s in doc if s.score < cut]
    assert len(below) > sum(score < cut for score in served)  # the cut really removes spans


def test_spans_are_exact_sorted_disjoint_and_trimmed(client):
    for text, results in zip(DOCS, client.infer(DOCS)):
        previous_end = 0
        for r in results:
            v = r["value"]
            assert utf16_slice(text, v["start"], v["end"]) == v["text"] == v["text"].strip()
            assert v["start"] >= previous_end and v["end"] > v["start"]
            assert v["labels"][0] in contract.ENTITY_LABELS and 0 < r["score"] <= 1
            assert (r["from_name"], r["to_name"], r["type"]) == ("label", "text", "labels")
            previous_end = v["end"]


def test_long_document_is_read_whole(client, reference):
    (results,) = client.infer([LONG])
    assert results, "the long document must produce spans"
    windows = reference.encoder.encode([LONG]).input_ids.shape[0]
    assert windows > 20  # really split
    # Spans reach the end of the document: nothing was truncated.
    assert max(r["value"]["end"] for r in results) > len(LONG) - 200


def test_empty_and_whitespace_documents_return_empty_results(client):
    assert client.infer(["", "   \r\n\t "]) == [[], []]


def test_invalid_utf8_is_invalid_arg_and_server_keeps_serving(triton):
    c = grpcclient.InferenceServerClient(triton.grpc_url)
    tensor = grpcclient.InferInput(contract.TEXT, [1, 1], "BYTES")
    tensor.set_data_from_numpy(np.array([[b"Busan \xff\xfe"]], dtype=np.object_))
    with pytest.raises(grpcclient.InferenceServerException) as info:
        c.infer(contract.ENSEMBLE, [tensor])
    assert info.value.status() == "StatusCode.INVALID_ARGUMENT"
    assert "UTF-8" in info.value.message()
    assert NerClient(triton.grpc_url).infer(["Busan"])[0] is not None


def test_too_long_document_is_refused_with_advice(client, reference):
    too_long = "tuna " * (reference.encoder.max_tokens + 10)
    (result,) = client.infer([too_long])
    assert isinstance(result, InferenceFailed)
    assert "split the document" in str(result) and "at most" in str(result)
    huge = "x" * (reference.encoder.max_chars + 1)
    (result,) = client.infer([huge])
    assert isinstance(result, InferenceFailed) and "characters" in str(result)
    assert client.infer(["MV Ocean Star"])[0] is not None


def test_one_bad_document_does_not_lose_the_others(triton):
    good = ["Busan", "Tema"]
    c = NerClient(triton.grpc_url)
    results = c.infer([good[0], "tuna " * 100_000, good[1]])
    assert isinstance(results[1], InferenceFailed)
    assert not isinstance(results[0], InferenceFailed) and not isinstance(results[2], InferenceFailed)


def test_dynamic_batcher_merges_windows_of_concurrent_requests(triton):
    def stats():
        s = grpcclient.InferenceServerClient(triton.grpc_url).get_inference_statistics(contract.ONNX_MODEL)
        return s.model_stats[0].inference_count, s.model_stats[0].execution_count

    before = stats()
    docs = [DOCS[0], DOCS[1], "Lucky Fortune No. 3 " * 40]
    errors = []

    def worker(k):
        c = NerClient(triton.grpc_url)  # one gRPC client per thread
        try:
            for i in range(6):
                c.infer_batch([docs[(k + i) % len(docs)]])
        except Exception as err:  # noqa: BLE001 - collected and asserted below
            errors.append(err)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    after = stats()
    windows, executions = after[0] - before[0], after[1] - before[1]
    assert not errors
    assert windows >= 16 * 6
    assert executions < windows, f"{windows} windows ran in {executions} executions: no batching happened"


def test_model_version_comes_from_the_build(client):
    assert client.model_version().startswith("ner-")


def test_spans_output_is_utf8_json(triton):
    c = grpcclient.InferenceServerClient(triton.grpc_url)
    tensor = grpcclient.InferInput(contract.TEXT, [2, 1], "BYTES")
    tensor.set_data_from_numpy(np.array([["大连 🚢".encode()], [b"Tema"]], dtype=np.object_))
    out = c.infer(contract.ENSEMBLE, [tensor]).as_numpy(contract.SPANS)
    assert out.shape == (2, 1)
    assert all(isinstance(json.loads(row[0].decode("utf-8")), list) for row in out)
