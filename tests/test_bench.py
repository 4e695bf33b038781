"""The bench's wiring on the tiny model: fields, identical spans of (b) and (c); no speed assertions."""

from __future__ import annotations

import json
import os

import pytest
from google.protobuf import text_format
from tritonclient.grpc import model_config_pb2 as mc

from maritime_ner.bench import report, run
from maritime_ner.core import contract

DOCS = [
    {"text": "MV Ocean Star (IMO 9123456) loaded yellowfin tuna at Busan on 12 March 2025.", "entities": [
        {"start": 3, "end": 13, "label": "VESSEL"}]},
    {"text": "🚢 F/V Hai Feng 718 called at Valparaíso; risk HIGH.", "entities": []},
    {"text": " ".join(["Section: MV Lucky Fortune No. 3 at Las Palmas."] * 80), "entities": []},
]


def test_python_share_and_batching_from_statistics():
    stats = {
        contract.TOKENIZER_MODEL: {"compute_input": 1, "compute_infer": 3, "compute_output": 1},
        contract.DECODER_MODEL: {"compute_input": 0, "compute_infer": 5, "compute_output": 0},
        contract.ONNX_MODEL: {"compute_input": 10, "compute_infer": 70, "compute_output": 10,
                              "inference_count": 12, "execution_count": 4},
    }
    assert report.python_share(stats) == pytest.approx(10 / 100)
    assert report.windows_per_execution(stats) == 3.0
    assert report.python_share({}) is None


def test_python_cpu_share_needs_the_core_in_a_stub_of_its_own():
    cpu = {contract.TOKENIZER_MODEL: 0.2, contract.DECODER_MODEL: 0.3, contract.ONNX_MODEL: 4.5, "tritonserver": 1.0}
    assert report.python_cpu_share(cpu) == pytest.approx(0.5 / 5.0)
    assert report.python_cpu_share({contract.TOKENIZER_MODEL: 0.2, "tritonserver": 3.0}) is None  # native core: unknown
    assert report.python_cpu_share(None) is None


def test_request_groups_keep_order_and_caps(built_repo):
    tokens = [10, 20000, 20000, 5, 5, 5, 5, 5, 5, 5, 5]  # 20,000 tokens: 105 of the 128 windows allowed
    groups = run.request_groups(tokens, built_repo, docs_per_call=4)
    assert [i for g in groups for i in g] == list(range(len(tokens)))
    assert all(len(g) <= 4 for g in groups)
    assert groups[0] == [0, 1] and groups[1][0] == 2  # two long documents never share a request


def test_configure_repo_sets_threads_buckets_instances(built_repo, tmp_path):
    out = run.configure_repo(built_repo, tmp_path / "r", threads=3, buckets="", python_instances=1)

    def parse(name):
        return text_format.Parse((out / name / "config.pbtxt").read_text(encoding="utf-8"), mc.ModelConfig())

    assert parse(contract.ONNX_MODEL).parameters["intra_op_thread_count"].string_value == "3"
    assert parse(contract.TOKENIZER_MODEL).parameters["buckets"].string_value == ""
    assert parse(contract.DECODER_MODEL).instance_group[0].count == 1
    assert parse(contract.ONNX_MODEL).instance_group[0].count == 1


@pytest.mark.integration
def test_bench_smoke_on_tiny_model(exported_model, built_repo, tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in DOCS), encoding="utf-8")
    out = tmp_path / "out"
    code = run.main([
        "--repository", str(built_repo), "--checkpoint", str(exported_model.parent / "checkpoint"), "--out", str(out),
        "--docs", str(docs), "--threads", "1", "--concurrency", "1,2", "--variants", "reference_int8",
    ])
    assert code == 0
    summary = json.loads((out / "bench.json").read_text(encoding="utf-8"))
    assert (out / "bench.md").read_text(encoding="utf-8").startswith("# Throughput bench")
    assert (out / "bench.png").stat().st_size > 0
    names = [p["name"] for p in summary["phases"]]
    assert names == ["hf", "reference", "reference_int8", "triton/grpc/c1", "triton/grpc/c2", "triton/http/c1", "triton/http/c2"]
    for phase in summary["phases"]:
        assert phase["docs"] == len(DOCS)
        assert phase["docs_per_s"] > 0 and phase["peak_rss_mb"] > 0
        assert set(phase["latency_ms"]) == {"p50", "p95", "p99"}
    served = [p for p in summary["phases"] if p["arm"] == "triton"]
    assert all(p["spans_identical_to_reference"] for p in served)
    assert all(0 <= p["python_share"] <= 1 for p in served)
    # every model's stub was found and charged some CPU time
    assert all(set(p["cpu_seconds"]) == {"tritonserver", *contract.ALL_MODELS[1:]} for p in served)
    # CPU time comes in 10 ms ticks: a phase of three tiny-model documents may show none at all
    assert all(p["python_cpu_share"] is None or 0 <= p["python_cpu_share"] <= 1 for p in served)
    assert summary["settings"]["served_instances"] == {contract.TOKENIZER_MODEL: 2, contract.ONNX_MODEL: 1, contract.DECODER_MODEL: 2}
    assert 0 <= summary["phases"][0]["f1_vs_reference"] <= 1
    assert {"ensemble_vs_ceiling", "ensemble_vs_hf", "python_share", "met"} <= set(summary["targets"])
    assert "f1_delta" in summary["optimisations"]["int8"]


def test_other_cpu_share_counts_only_processes_outside_the_bench():
    import subprocess
    import sys
    import time

    before = report.cpu_snapshot()
    busy = subprocess.Popen([sys.executable, "-c", "import time\nt = time.time()\nwhile time.time() - t < 2: pass"])
    time.sleep(2.5)
    running = report.cpu_snapshot()  # the busy child is not reaped yet: someone else's CPU
    busy.wait()
    reaped = report.cpu_snapshot()  # once waited for, its CPU time is the bench's own
    cores = os.cpu_count() or 1
    assert report.other_cpu_share(before, running) > 0.5 / cores
    assert report.other_cpu_share(before, reaped) < 0.25 / cores
    assert report.other_cpu_share(None, reaped) is None
