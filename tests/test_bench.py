"""The bench's wiring on the tiny model: fields, identical spans of (b) and (c); no speed assertions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from maritime_ner.bench import report, run, specs
from maritime_ner.bench.specs import ArmSpec, ReferenceVariant, TritonVariant
from maritime_ner.bench.targets import ENSEMBLE_VS_CEILING, PYTHON_SHARE, SPANS_IDENTICAL, Target
from maritime_ner.core import contract
from maritime_ner.repository.layout import ModelRepository

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
    tokens = [10, 10000, 10000, 5, 5, 5, 5, 5, 5, 5, 5]  # 10,000 tokens: 107 of the 128 windows allowed
    groups = run.request_groups(tokens, ModelRepository(built_repo), docs_per_call=4)
    assert [i for g in groups for i in g] == list(range(len(tokens)))
    assert all(len(g) <= 4 for g in groups)
    assert groups[0] == [0, 1] and groups[1][0] == 2  # two long documents never share a request


def test_configure_repo_sets_threads_buckets_instances(built_repo, tmp_path):
    variant = TritonVariant("triton_test", "two buckets, one Python instance", buckets="32,64", python_instances=1)
    out = run.configure_repo(ModelRepository(built_repo), tmp_path / "r", threads=3, variant=variant)

    assert out.root == tmp_path / "r"
    assert out.parameters(contract.ONNX_MODEL)["intra_op_thread_count"] == "1"  # as built: 1 thread per instance
    assert out.config(contract.ONNX_MODEL).instance_group[0].count == 2
    assert out.parameters(contract.TOKENIZER_MODEL)["buckets"] == "32,64"
    assert out.config(contract.DECODER_MODEL).instance_group[0].count == 1
    one = run.configure_repo(ModelRepository(built_repo), tmp_path / "one", threads=3,
                             variant=TritonVariant("one_session", "", model_instances=1, intra_op=0))
    assert one.parameters(contract.ONNX_MODEL)["intra_op_thread_count"] == "3"  # 0: the thread budget
    assert one.config(contract.ONNX_MODEL).instance_group[0].count == 1
    assert ModelRepository(built_repo).parameters(contract.TOKENIZER_MODEL)["buckets"] == ""  # the source stays as built


@pytest.mark.parametrize(("served", "fp32_at_hand", "expected"), [
    ("fp32", True, ["reference_1doc", "reference_no_fusions", "reference_int8", "reference_offline_fusions"]),
    ("int8", True, ["reference_1doc", "reference_no_fusions", "reference_fp32", "reference_offline_fusions"]),
    ("int8", False, ["reference_1doc", "reference_no_fusions"]),
])
def test_reference_variants_apply_by_their_fields(served, fp32_at_hand, expected):
    assert [v.name for v in specs.REFERENCE_VARIANTS if v.applicable(served, fp32_at_hand)] == expected
    # applicability is the record's: a new variant needs no new branch anywhere
    assert ReferenceVariant("x", "fp32 graph, INT8 servers only", graph="fp32", only_when_served="int8").applicable(served, fp32_at_hand) \
        == (served == "int8" and fp32_at_hand)
    assert [v.name for v in specs.VARIANTS if v.needs_checkpoint] == ["reference_offline_fusions"]
    assert [v.name for v in specs.REFERENCE_VARIANTS if v.is_ceiling] == ["reference_1doc"] and specs.REFERENCE.is_ceiling


def test_select_variants_and_arm_spec_json():
    assert specs.select("all") == list(specs.VARIANTS) and specs.select("none") == []
    assert specs.select("triton_buckets, reference_int8") == [specs.TRITON_VARIANTS[0], specs.REFERENCE_INT8]
    with pytest.raises(ValueError, match="reference_fp16"):
        specs.select("reference_fp16")
    spec = ArmSpec("reference", "reference_1doc", Path("/tmp/docs.json"), 2, repository=Path("/tmp/repo"), groups=[[0], [1, 2]])
    assert ArmSpec.from_json(spec.to_json()) == spec
    assert json.loads(spec.to_json())["repository"] == "/tmp/repo"
    with pytest.raises(ValueError, match="colour"):
        ArmSpec.from_json(json.dumps({**json.loads(spec.to_json()), "colour": "red"}))


def test_arm_specs_in_order_from_records(built_repo, tmp_path):
    args = run.parse_args(["--repository", str(built_repo), "--checkpoint", str(tmp_path / "none"), "--skip-hf",
                           "--out", str(tmp_path / "out"), "--concurrency", "1,4"])
    assert "reference_offline_fusions" not in [v.name for v in args.variants_list]  # no checkpoint: no optimizer config
    args.variants_list = specs.select("triton_python_x1,reference_1doc,reference_fp32")
    (tmp_path / "work").mkdir()
    arms = run.arm_specs(args, [10, 20, 30], tmp_path / "work", args.variants_list)
    # reference_fp32 needs an INT8-served repository: the tiny one serves fp32
    assert [(a.arm, a.name) for a in arms] == [("reference", "reference"), ("reference", "reference_1doc"),
                                               ("triton", "triton"), ("triton", "triton_python_x1")]
    assert arms[0].groups == [[0, 1, 2]] and arms[1].groups == [[0], [1], [2]]
    assert arms[2].protocols == ["grpc", "http"] and arms[2].concurrency == [1, 4]
    assert arms[3].protocols == ["grpc"] and arms[3].concurrency == [4]
    assert ModelRepository(arms[3].repository).config(contract.DECODER_MODEL).instance_group[0].count == 1
    assert run.vars_for_json(args)["variants_list"] == ["triton_python_x1", "reference_1doc", "reference_fp32"]


@pytest.mark.parametrize(("target", "value", "met"), [
    (ENSEMBLE_VS_CEILING, 0.79, False), (ENSEMBLE_VS_CEILING, 0.8, True), (ENSEMBLE_VS_CEILING, None, False),
    (PYTHON_SHARE, 0.11, False), (PYTHON_SHARE, 0.1, True), (SPANS_IDENTICAL, False, False), (SPANS_IDENTICAL, True, True),
    (Target("band", "between", minimum=1, maximum=2), 2.5, False),
])
def test_targets_check_their_bounds(target, value, met):
    assert target.check(value).met is met


def fake_phase(name: str, wall: float, spans: list, **extra) -> dict:
    return {"name": name, "wall_s": wall, "latencies_ms": [1.0, 2.0, 4.0], "spans": spans, "peak_rss_mb": 50.0, **extra}


def fake_results() -> list[dict]:
    """hf, reference, reference_1doc and the default Triton arm at two concurrencies, with made-up timings."""
    spans = [[[3, 13, "VESSEL", 0.9]], [], []]
    stats = {contract.TOKENIZER_MODEL: {"compute_infer": 4}, contract.DECODER_MODEL: {"compute_infer": 6},
             contract.ONNX_MODEL: {"compute_infer": 90, "inference_count": 6, "execution_count": 3}}
    triton = [fake_phase(f"triton/grpc/c{c}", wall, spans, protocol="grpc", concurrency=c, model_stats=stats, cpu_seconds=None)
              for c, wall in ((1, 2.0), (4, 1.5))]
    return [{"name": "hf", "arm": "hf", "peak_rss_mb": 300.0, "phases": [fake_phase("hf", 3.0, spans)]},
            {"name": "reference", "arm": "reference", "peak_rss_mb": 100.0, "phases": [fake_phase("reference", 1.0, spans)]},
            {"name": "reference_1doc", "arm": "reference", "peak_rss_mb": 100.0, "phases": [fake_phase("reference_1doc", 1.2, spans)]},
            {"name": "triton", "arm": "triton", "peak_rss_mb": 500.0, "phases": triton}]


def all_keys(value) -> list[str]:
    if isinstance(value, dict):
        return [k for k, v in value.items() for k in (k, *all_keys(v))]
    if isinstance(value, list):
        return [k for v in value for k in all_keys(v)]
    return []


def test_report_renders_targets_from_records():
    machine = {"cpu": "test cpu", "cores": 2, "memory_gib": 4.0, "python": "3", "onnxruntime": "1", "torch": "2",
               "transformers": "4", "tritonserver": "2", "threads": 1, "load_average_before": [0.0], "other_cpu_share": 0.0}
    settings = {"concurrency": [1, 4], "repository": "repo", "served_precision": "fp32",
                "served_instances": {contract.TOKENIZER_MODEL: 2, contract.ONNX_MODEL: 1, contract.DECODER_MODEL: 2}}
    summary = report.summarize(fake_results(), DOCS, [20, 15, 800], machine, settings)
    assert summary["comparison"]["ceiling"] == "reference" and summary["comparison"]["best_ensemble"] == "triton/grpc/c4"
    # 2 docs/s against a 3 docs/s ceiling: below the 0.8 minimum
    assert [(r.target.key, r.value, r.met) for r in summary["targets"]] == [
        ("ensemble_vs_ceiling", 0.667, False), ("ensemble_vs_hf", 2.0, True), ("python_share", 0.1, True), ("spans_identical_b_c", True, True),
        ("concurrency_vs_c1", 1.333, True), ("concurrency_vs_ceiling", 0.667, False)]
    written = json.loads(json.dumps(summary, default=report.jsonable))
    assert {k: written["targets"][0][k] for k in ("name", "value", "min", "met")} == {"name": "ensemble_vs_ceiling", "value": 0.667, "min": 0.8, "met": False}
    assert written["targets"][2]["max"] == 0.1 and "min" not in written["targets"][2]
    assert not [k for k in all_keys(written) if any(op in k for op in (">", "<", "="))]  # no thresholds inside keys
    md = report.markdown(summary)
    assert "**0.67×** (target ≥ 0.8) — not met; best ensemble phase triton/grpc/c4, ceiling reference" in md
    assert "**2.00×** (target ≥ 2) — met" in md and "**0.100** (target ≤ 0.1) — met" in md
    assert "| triton/grpc/c4 | 2.00 |" in md
    assert "ensemble_vs_ceiling NOT met" in report.headline(summary)


def test_under_concurrency_takes_the_worst_phase_per_protocol():
    rows = [{"name": f"triton/{p}/c{c}", "protocol": p, "concurrency": c, "docs_per_s": v}
            for p, c, v in (("grpc", 1, 20.0), ("grpc", 4, 18.0), ("grpc", 16, 25.0), ("http", 1, 10.0), ("http", 4, 10.0))]
    out = report.under_concurrency(rows, {"docs_per_s": 24.0})
    assert (out["concurrency_vs_c1"], out["concurrency_vs_c1_phase"]) == (0.9, "triton/grpc/c4")
    # the slowest loaded phase against the ceiling: http/c4, 10 of 24
    assert (out["concurrency_vs_ceiling"], out["concurrency_vs_ceiling_phase"]) == (0.417, "triton/http/c4")
    assert report.under_concurrency(rows[:1], {"docs_per_s": 24.0})["concurrency_vs_c1"] is None


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
    assert summary["settings"]["served_instances"] == {contract.TOKENIZER_MODEL: 2, contract.ONNX_MODEL: 2, contract.DECODER_MODEL: 2}
    assert 0 <= summary["phases"][0]["f1_vs_reference"] <= 1
    assert [t["name"] for t in summary["targets"]] == ["ensemble_vs_ceiling", "ensemble_vs_hf", "python_share", "spans_identical_b_c",
                                                       "concurrency_vs_c1", "concurrency_vs_ceiling"]
    assert all({"value", "met", "description"} <= set(t) for t in summary["targets"])
    assert summary["comparison"]["ceiling"] == "reference"
    assert "f1_delta" in summary["optimisations"]["int8"]


def test_other_cpu_share_counts_only_processes_outside_the_bench():
    """A busy child counts as someone else's CPU until it is reaped, then as the bench's own.

    Checked on the CPU seconds the snapshots record, so that other load on the machine (which
    both readings share) cannot decide the outcome.
    """
    import subprocess
    import sys
    import time

    before = report.cpu_snapshot()
    busy = subprocess.Popen([sys.executable, "-c", "import time\nt = time.time()\nwhile time.time() - t < 2: pass"])
    time.sleep(2.5)
    running = report.cpu_snapshot()  # the busy child is not reaped yet: someone else's CPU
    busy.wait()
    reaped = report.cpu_snapshot()  # once waited for, its CPU time is the bench's own

    def other_seconds(a, b):
        return (b["machine"] - a["machine"]) - (b["bench"] - a["bench"])

    child_cpu = reaped["bench"] - running["bench"]  # what reaping moved into the bench's account
    assert child_cpu > 0.1
    moved = other_seconds(before, running) - other_seconds(before, reaped)
    interval = reaped["time"] - running["time"]
    # Moving the child's seconds from "other" to "bench" is all that changed, up to what the whole
    # machine did in the short interval between the two readings (and /proc/stat's 10 ms ticks).
    assert abs(moved - child_cpu) <= 0.05 + 2 * interval + (reaped["machine"] - running["machine"])
    assert report.other_cpu_share(before, running) > report.other_cpu_share(before, reaped)
    assert report.other_cpu_share(None, reaped) is None
