"""`make build-repo DEVICE=gpu`, the server image's inputs and the GPU bench's smoke run (no GPU needed)."""

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from tritonclient.grpc import model_config_pb2 as mc

from maritime_ner.core import contract
from maritime_ner.repository.build import BuildError, Tuning, build, check_contract, main as build_main
from maritime_ner.repository.device import DeviceError, DeviceProfile, GpuSettings
from maritime_ner.repository.exported import FP32_FILE
from maritime_ner.repository.layout import ModelRepository
from maritime_ner.serving.local_triton import restricted_api_args

ROOT = Path(__file__).resolve().parent.parent
GPU = DeviceProfile.for_device("gpu")
CUDA = DeviceProfile.for_device("gpu", "cuda")


@pytest.fixture(scope="module")
def model_dir(exported_model, tmp_path_factory) -> Path:
    """The tiny export with an INT8 model.onnx beside its fp32 graph, as `make export` leaves a CPU model."""
    from training.export import quantize_int8

    folder = tmp_path_factory.mktemp("int8") / "model"
    shutil.copytree(exported_model, folder)
    quantize_int8(folder / FP32_FILE, folder / contract.ONNX_FILE)
    assert (folder / contract.ONNX_FILE).read_bytes() != (folder / FP32_FILE).read_bytes()
    return folder


@pytest.fixture(scope="module")
def gpu_repo(model_dir, tmp_path_factory) -> ModelRepository:
    out = tmp_path_factory.mktemp("gpu") / "repo"
    build(model_dir, out, profile=GPU)
    return ModelRepository(out)


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_gpu_core_runs_on_kind_gpu_with_tensorrt_fp16_and_an_engine_cache(gpu_repo):
    core = gpu_repo.config(contract.ONNX_MODEL)
    assert [(g.kind, g.count, list(g.gpus)) for g in core.instance_group] == [(mc.ModelInstanceGroup.KIND_GPU, 1, [])]
    (accel,) = core.optimization.execution_accelerators.gpu_execution_accelerator
    assert accel.name == "tensorrt"
    params = dict(accel.parameters)
    assert params["precision_mode"] == "FP16" and params["trt_engine_cache_enable"] == "true"
    assert params["trt_engine_cache_path"] and int(params["max_workspace_size_bytes"]) >= 1 << 30
    assert params["trt_profile_max_shapes"] == f"input_ids:{core.max_batch_size}x128,attention_mask:{core.max_batch_size}x128"
    assert "intra_op_thread_count" not in core.parameters  # CPU thread settings do not carry over
    assert gpu_repo.device == "gpu"


def test_cuda_variant_has_no_accelerator_block(model_dir, tmp_path):
    build(model_dir, tmp_path / "repo", profile=CUDA)
    core = ModelRepository(tmp_path / "repo").config(contract.ONNX_MODEL)
    assert not core.HasField("optimization")
    assert core.instance_group[0].kind == mc.ModelInstanceGroup.KIND_GPU and len(core.model_warmup) == 2


def test_gpu_buckets_batching_and_python_steps(gpu_repo):
    assert gpu_repo.window_settings()["buckets"] == [64, 128]  # cut at the served window
    core = gpu_repo.config(contract.ONNX_MODEL)
    assert list(core.dynamic_batching.preferred_batch_size) == [16, 32, 64]
    assert core.dynamic_batching.max_queue_delay_microseconds <= 1000
    assert gpu_repo.max_windows == core.max_batch_size
    for step in (contract.TOKENIZER_MODEL, contract.DECODER_MODEL):
        assert gpu_repo.instance_kinds[step] == "KIND_CPU"


def test_warmup_covers_every_bucket_with_the_contract_inputs(gpu_repo):
    core = gpu_repo.config(contract.ONNX_MODEL)
    inputs = {i.name: i.data_type for i in core.input}
    assert inputs == {contract.INPUT_IDS: mc.TYPE_INT64, contract.ATTENTION_MASK: mc.TYPE_INT64}
    seen = []
    for warmup in core.model_warmup:
        assert 1 <= warmup.batch_size <= core.max_batch_size
        assert {k: v.data_type for k, v in warmup.inputs.items()} == inputs
        dims = {tuple(v.dims) for v in warmup.inputs.values()}
        assert len(dims) == 1 and all(v.zero_data for v in warmup.inputs.values())
        seen.append(dims.pop()[0])
    assert seen == [64, 128]


def test_gpu_serves_the_fp32_graph(gpu_repo, model_dir):
    assert gpu_repo.onnx_path.read_bytes() == (model_dir / FP32_FILE).read_bytes()
    assert gpu_repo.model_version != ""


def test_contract_holds_for_both_devices(gpu_repo, model_dir, tmp_path):
    check_contract(gpu_repo.configs())
    build(model_dir, tmp_path / "cpu")
    check_contract(ModelRepository(tmp_path / "cpu").configs())
    configs = gpu_repo.configs()
    configs[contract.DECODER_MODEL].instance_group[0].kind = mc.ModelInstanceGroup.KIND_GPU
    with pytest.raises(BuildError, match="KIND_CPU"):
        check_contract(configs)


def test_cpu_build_is_unchanged(model_dir, tmp_path):
    build(model_dir, tmp_path / "default")
    build(model_dir, tmp_path / "cpu", profile=DeviceProfile.for_device("cpu", "cuda"))
    assert files(tmp_path / "default") == files(tmp_path / "cpu")
    repo = ModelRepository(tmp_path / "cpu")
    core = repo.config(contract.ONNX_MODEL)
    assert repo.onnx_path.read_bytes() == (model_dir / contract.ONNX_FILE).read_bytes()  # the INT8 model.onnx
    assert not core.HasField("optimization") and not core.model_warmup
    assert repo.device == "cpu" and repo.window_settings()["buckets"] == []
    assert core.parameters["intra_op_thread_count"].string_value == "1"


def test_gpu_without_fp32_graph_is_refused(model_dir, tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(model_dir, folder)
    (folder / FP32_FILE).unlink()
    with pytest.raises(BuildError, match="fp32 graph"):
        build(folder, tmp_path / "repo", profile=GPU)


def test_bad_profiles_are_refused():
    with pytest.raises(DeviceError, match="accelerator"):
        GpuSettings(accelerator="openvino")
    with pytest.raises(DeviceError, match="device"):
        DeviceProfile("tpu")


def tuned_file(path: Path, **extra) -> Path:
    path.write_text(json.dumps({contract.ONNX_MODEL: {"max_batch_size": 64, "preferred_batch_size": [8]}, **extra}))
    return path


def test_tuned_file_for_the_other_device_is_refused(model_dir, tmp_path, capsys):
    cpu_tuned = tuned_file(tmp_path / "cpu.json", device="cpu")
    with pytest.raises(BuildError, match=r"tuned on device 'cpu'.*DEVICE=gpu.*TUNED="):
        build(model_dir, tmp_path / "repo", Tuning.load(cpu_tuned), profile=GPU)
    gpu_tuned = tuned_file(tmp_path / "gpu.json", device="gpu")
    with pytest.raises(BuildError, match="tuned on device 'gpu'"):
        build(model_dir, tmp_path / "repo", Tuning.load(gpu_tuned))
    code = build_main(["--model-dir", str(model_dir), "--out", str(tmp_path / "r"), "--tuned", str(cpu_tuned), "--device", "gpu"])
    assert code == 1 and "make build-repo DEVICE=gpu TUNED= && make profile tune" in capsys.readouterr().err


def test_gpu_tuned_file_applies_and_shapes_follow_it(model_dir, tmp_path):
    out = tmp_path / "repo"
    build(model_dir, out, Tuning.load(tuned_file(tmp_path / "gpu.json", device="gpu")), profile=GPU)
    core = ModelRepository(out).config(contract.ONNX_MODEL)
    assert core.max_batch_size == 64 and list(core.dynamic_batching.preferred_batch_size) == [8]
    params = dict(core.optimization.execution_accelerators.gpu_execution_accelerator[0].parameters)
    assert params["trt_profile_max_shapes"].startswith("input_ids:64x128")
    assert all(w.batch_size <= 64 for w in core.model_warmup)


def test_old_tuned_file_without_device_is_a_cpu_file(model_dir, tmp_path):
    old = tuned_file(tmp_path / "old.json")
    assert Tuning.load(old).device == "cpu"
    build(model_dir, tmp_path / "repo", Tuning.load(old))
    assert ModelRepository(tmp_path / "repo").config(contract.ONNX_MODEL).max_batch_size == 64
    with pytest.raises(BuildError, match="tuned on device 'cpu'"):
        build(model_dir, tmp_path / "gpu", Tuning.load(old), profile=GPU)


def test_tune_records_the_profiled_device_and_kinds(gpu_repo):
    from maritime_ner.tuning.tune import tuned_config

    data = tuned_config(None, None, gpu_repo.device, gpu_repo.instance_kinds)
    assert data["device"] == "gpu" and data["instance_kinds"][contract.ONNX_MODEL] == "KIND_GPU"
    assert data["instance_kinds"][contract.TOKENIZER_MODEL] == "KIND_CPU"


def test_cli_prints_what_the_gpu_build_applied(model_dir, tmp_path, capsys):
    assert build_main(["--model-dir", str(model_dir), "--out", str(tmp_path / "r"), "--device", "gpu"]) == 0
    out = capsys.readouterr().out
    for fact in ("device=gpu", "tensorrt FP16", "buckets 64,128", "warmup 32x[64]", "ner_model=KIND_GPU", "queue_delay_us=500"):
        assert fact in out


# ---------------------------------------------------------------- server image

def test_server_requirements_are_exact_pins(gpu_repo):
    lines = [l for l in gpu_repo.requirements_path.read_text().splitlines() if l and not l.startswith("#")]
    assert {l.split("==")[0] for l in lines} == {"numpy", "tokenizers"}
    assert all(re.fullmatch(r"[a-z0-9_.-]+==[0-9][0-9a-z.]*", l) for l in lines), lines


def index_reachable() -> bool:
    try:
        with urllib.request.urlopen("https://pypi.org/simple/numpy/", timeout=10) as resp:
            return resp.status == 200
    except OSError:
        return False


def test_server_requirements_resolve_for_the_image_python(gpu_repo, tmp_path):
    if not index_reachable():
        pytest.skip("the package index (pypi.org) is unreachable from this machine")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--python-version", "3.10", "--only-binary=:all:",
         "--platform", "manylinux2014_x86_64", "-r", str(gpu_repo.requirements_path), "-d", str(tmp_path)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    wheels = sorted(p.name for p in tmp_path.glob("*.whl"))
    assert len(wheels) == 2 and all("cp310" in w for w in wheels), wheels


def test_image_entrypoint_uses_the_restricted_api_flags_and_no_baked_key():
    entry = (ROOT / "build" / "entrypoint.sh").read_text()
    for flag in restricted_api_args("${TRITON_ADMIN_KEY}"):
        assert f'"{flag}"' in entry.replace("${APIS}", ",".join(contract.RESTRICTED_APIS))
    docker = (ROOT / "build" / "Dockerfile").read_text()
    assert "nvcr.io/nvidia/tritonserver:24.10-py3" in docker and "requirements-server.txt" in docker
    assert not re.search(r"ENV\s+TRITON_ADMIN_KEY", docker)


def test_make_image_says_it_needs_docker(tmp_path):
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    bindir = tmp_path / "bin"  # a PATH with the basics and no docker
    bindir.mkdir()
    for tool in ("bash", "sh", "env"):
        if shutil.which(tool):
            os.symlink(shutil.which(tool), bindir / tool)
    result = subprocess.run([make, "-s", "-C", str(ROOT), "image"], env={"PATH": str(bindir), "HOME": str(tmp_path)},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "needs Docker" in result.stderr and "docs/gpu.md" in result.stderr


# ---------------------------------------------------------------- GPU bench

def test_gpu_bench_smoke_runs_end_to_end(tmp_path):
    from maritime_ner.bench import gpu

    assert gpu.main(["--smoke", "--out", str(tmp_path), "--val-docs", "4", "--long-docs", "0"]) == 0
    report = json.loads((tmp_path / "gpu_bench.json").read_text())
    arms = {r["arm"]: r for r in report["rows"]}
    assert set(arms) == {"in-process cpu", "served ensemble"}
    for r in arms.values():
        assert r["documents"] >= 4 and r["p99_ms"] >= r["p50_ms"] > 0 and r["docs_per_s"] > 0
    table = (tmp_path / "gpu_bench.md").read_text()
    assert "| model | arm |" in table and "p99 < 100 ms" in table
