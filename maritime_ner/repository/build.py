"""`make build-repo`: exported model + model_repository/ sources -> a self-contained Triton repository.

The build refuses what once reached production unnoticed: an ONNX core whose logits are
not (batch, seq, 9), a label map that differs from the contract, a config that does not
parse or does not match the contract's names, a core and a tokenizer that disagree on case marks.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tritonclient.grpc import model_config_pb2 as mc

from maritime_ner import paths
from maritime_ner.core import contract
from maritime_ner.core.decoding import min_score_setting
from maritime_ner.core.tokenization import CASE_MARKS_KEY, case_marks, load_tokenizer
from maritime_ner.repository import configs
from maritime_ner.repository.device import ACCELERATORS, DEVICES, DeviceError, DeviceProfile, apply_device, apply_shapes, check_device
from maritime_ner.repository.exported import HF_CONFIG_FILE, TOKENIZER_FILES, exported_labels, model_version
from maritime_ner.repository.layout import ModelRepository

PACKAGE = paths.PACKAGE_DIR
CORE = PACKAGE / "core"
SOURCES = paths.resource(paths.TEMPLATES)  # the config and model.py templates
MODEL_PY = "model.py"
# What the Python steps import on the server, besides the Python backend itself: pinned to the
# versions of the environment that builds (and tests) the repository.
SERVER_PACKAGES = ("numpy", "tokenizers")
SERVER_PYTHON = "3.10"  # the Python of nvcr.io/nvidia/tritonserver:24.10-py3 (build/Dockerfile)


def server_requirements() -> str:
    """requirements-server.txt: every package the Python steps import, at this environment's exact version."""
    lines = [
        "# The Python steps' imports, pinned to the build environment's versions (maritime-ner build-repo).",
        f"# Installed into the server image (build/Dockerfile, Python {SERVER_PYTHON}).",
    ]
    for name in SERVER_PACKAGES:
        try:
            lines.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            raise BuildError(f"{name} is not installed in this environment: the Python steps need it (`make setup`)") from None
    return "\n".join(lines) + "\n"


class BuildError(Exception):
    """The inputs break the serving contract; the message says what and how to fix it."""


@dataclass(frozen=True)
class Tuning:
    """Batching and instance settings applied to the configs (from `make tune` or defaults)."""

    max_batch_size: int | None = None
    preferred_batch_size: tuple[int, ...] = ()
    max_queue_delay_microseconds: int | None = None
    instance_counts: dict | None = None
    source: str = "defaults in model_repository/"
    device: str | None = None  # the device it was measured on (None: no tuned file, fits any)

    @classmethod
    def load(cls, path: Path) -> "Tuning":
        """Read a tuned-config JSON written by `make tune`."""
        data = json.loads(path.read_text(encoding="utf-8"))
        model = data.get(contract.ONNX_MODEL, {})
        return cls(
            max_batch_size=model.get("max_batch_size"),
            preferred_batch_size=tuple(model.get("preferred_batch_size", ())),
            max_queue_delay_microseconds=model.get("max_queue_delay_microseconds"),
            instance_counts=data.get("instance_counts"),
            source=str(path),
            device=data.get("device", "cpu"),  # files from before the field existed were measured on CPUs
        )

    def check_device(self, device: str) -> None:
        """Refuse a tuned file measured on the other device: its batching and counts do not carry over."""
        if self.device is not None and self.device != device:
            raise BuildError(
                f"{self.source} was tuned on device '{self.device}' but this build is for '{device}': "
                f"re-run the profile on a {device.upper()} host (`make build-repo DEVICE={device} TUNED= && make profile tune`), "
                f"or build without it (`make build-repo DEVICE={device} TUNED=`)"
            )


def read_templates(templates: ModelRepository) -> dict[str, mc.ModelConfig]:
    """The source configs; one that does not parse is a BuildError naming the file."""
    try:
        return templates.configs()
    except configs.ConfigError as err:
        raise BuildError(str(err)) from None


def check_labels(model_dir: Path) -> list[str]:
    """The model's id2label, which must be the contract's 9 labels in order."""
    config_path = model_dir / HF_CONFIG_FILE
    if not config_path.exists():
        raise BuildError(f"{config_path} is missing: export the model first (`make export`)")
    labels = exported_labels(model_dir)
    if labels != list(contract.LABELS):
        raise BuildError(
            f"{config_path}: id2label is {labels} but the served contract needs {list(contract.LABELS)}: "
            "train with the bundle's label list (training/train.py) and export again"
        )
    return labels


def check_onnx(path: Path):
    """Input/output names and types, and that logits come out as (batch, seq, 9) on a sample; returns
    the ONNX Runtime session for the checks that follow."""
    import onnx
    import onnxruntime as ort

    if not path.exists():
        raise BuildError(f"{path} is missing: run `make export`")
    graph = onnx.load(str(path), load_external_data=False).graph
    inputs = {i.name: i.type.tensor_type for i in graph.input}
    outputs = {o.name: o.type.tensor_type for o in graph.output}
    for name in (contract.INPUT_IDS, contract.ATTENTION_MASK):
        if name not in inputs or inputs[name].elem_type != onnx.TensorProto.INT64:
            raise BuildError(f"{path}: needs INT64 input '{name}', has inputs {sorted(inputs)}")
    if contract.LOGITS not in outputs or outputs[contract.LOGITS].elem_type != onnx.TensorProto.FLOAT:
        raise BuildError(f"{path}: needs FP32 output '{contract.LOGITS}', has outputs {sorted(outputs)}")
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    sample = np.ones((2, 7), dtype=np.int64)
    (logits,) = session.run([contract.LOGITS], {contract.INPUT_IDS: sample, contract.ATTENTION_MASK: sample})
    if logits.shape != (2, 7, contract.NUM_LABELS):
        raise BuildError(
            f"{path}: logits for a (2, 7) input have shape {logits.shape}, the contract is "
            f"(batch, seq, {contract.NUM_LABELS}) for labels {list(contract.LABELS)}: this is not the 9-label NER model"
        )
    return session


def check_case_marks(session, graph: Path, model_dir: Path) -> None:
    """The core (``session`` over ``graph``) reads exactly the ids the tokenizer step sends: with case marks
    (``tokenizer_config.json``) ids go up to twice the vocabulary, which only a core exported with marks accepts."""
    try:
        shift = case_marks(model_dir)
    except ValueError as err:
        raise BuildError(str(err)) from None
    vocab = shift or load_tokenizer(model_dir / TOKENIZER_FILES[0]).get_vocab_size(with_added_tokens=True)
    top = 2 * vocab - 1  # the highest marked id
    ids = np.array([[0, top, 0]], dtype=np.int64)
    try:
        session.run([contract.LOGITS], {contract.INPUT_IDS: ids, contract.ATTENTION_MASK: np.ones_like(ids)})
        reads_marks = True
    except Exception:  # onnxruntime's own error types differ by version: an index out of range
        reads_marks = False
    together = "export the checkpoint with its tokenizer (`make export`) and build from that folder"
    if shift and not reads_marks:
        raise BuildError(
            f"{model_dir}: the tokenizer marks capitals (case_marks {shift} in tokenizer_config.json, ids up to {top}) "
            f"but {graph.name} rejects id {top}: it was exported without case marks; {together}"
        )
    if not shift and reads_marks:
        raise BuildError(
            f"{graph}: the core reads case marks (it accepts id {top}, beyond the tokenizer's {vocab} ids) but "
            f"{model_dir / TOKENIZER_FILES[1]} has no {CASE_MARKS_KEY}: it would never see a capital; {together}"
        )


def check_contract(configs: dict[str, mc.ModelConfig]) -> None:
    """Config names and shapes agree with the contract (and with each other)."""
    core = configs[contract.ONNX_MODEL]
    logits = {o.name: list(o.dims) for o in core.output}
    if logits.get(contract.LOGITS) != [-1, contract.NUM_LABELS]:
        raise BuildError(f"{contract.ONNX_MODEL}: output '{contract.LOGITS}' must have dims [-1, {contract.NUM_LABELS}], has {logits}")
    if core.platform != "onnxruntime_onnx":
        raise BuildError(f"{contract.ONNX_MODEL}: platform must be onnxruntime_onnx, is '{core.platform}'")
    for name, config in configs.items():
        if config.name != name:
            raise BuildError(f"model_repository/{name}/config.pbtxt names the model '{config.name}'")
    steps = [s.model_name for s in configs[contract.ENSEMBLE].ensemble_scheduling.step]
    if steps != [contract.TOKENIZER_MODEL, contract.ONNX_MODEL, contract.DECODER_MODEL]:
        raise BuildError(f"{contract.ENSEMBLE}: ensemble steps are {steps}")
    windows = int(configs[contract.TOKENIZER_MODEL].parameters["max_windows"].string_value)
    if windows > core.max_batch_size:
        raise BuildError(
            f"{contract.TOKENIZER_MODEL} lets a request carry {windows} windows but "
            f"{contract.ONNX_MODEL}.max_batch_size is {core.max_batch_size}"
        )
    problems = check_device(configs)
    if problems:
        raise BuildError("; ".join(problems))


def apply_tuning(configs: dict[str, mc.ModelConfig], tuning: Tuning) -> None:
    """Write batching/instance settings into the configs; the tokenizer's window cap follows the core."""
    core = configs[contract.ONNX_MODEL]
    if tuning.max_batch_size is not None:
        core.max_batch_size = tuning.max_batch_size
    if tuning.preferred_batch_size:
        del core.dynamic_batching.preferred_batch_size[:]
        core.dynamic_batching.preferred_batch_size.extend(tuning.preferred_batch_size)
    if tuning.max_queue_delay_microseconds is not None:
        core.dynamic_batching.max_queue_delay_microseconds = tuning.max_queue_delay_microseconds
    for name, count in (tuning.instance_counts or {}).items():
        if name not in configs or name == contract.ENSEMBLE:
            raise BuildError(f"{tuning.source}: instance count for unknown step '{name}'")
        configs[name].instance_group[0].count = int(count)
    configs[contract.TOKENIZER_MODEL].parameters["max_windows"].string_value = str(core.max_batch_size)


def copy_core(dest: Path) -> None:
    """Copy the pure serving core whole next to a model.py, as ``maritime_ner/core`` (never a fork)."""
    package = dest / "maritime_ner"
    package.mkdir(parents=True, exist_ok=True)
    shutil.copy2(PACKAGE / "__init__.py", package / "__init__.py")  # import-free
    shutil.copytree(CORE, package / "core", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"), dirs_exist_ok=True)


def decoding_settings(model_dir: Path) -> tuple[float, int | None]:
    """The decoder's min_score the export chose (0 when it chose none) and the window the model was
    trained on (None for an export that did not record it: the template's window stays), from decoding.json."""
    path = model_dir / contract.DECODING_FILE
    if not path.exists():
        return 0.0, None
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
        window = settings.get("window")
        return min_score_setting(settings.get("min_score", 0.0)), None if window is None else contract.window_setting(window)
    except (ValueError, AttributeError, TypeError) as err:
        raise BuildError(f"{path}: {err}") from None


def served_graph(model_dir: Path, profile: DeviceProfile) -> Path:
    """The export's file ner_model serves on this device; a GPU needs the fp32 graph."""
    path = model_dir / profile.served_file
    if not path.exists():
        if profile.gpu:
            raise BuildError(
                f"{path} is missing: a GPU repository serves the export's fp32 graph (TensorRT/CUDA make their own FP16); "
                "export again with this bundle (`make export`), which always keeps it"
            )
        raise BuildError(f"{path} is missing: run `make export`")
    return path


def build(model_dir: Path, out: Path, tuning: Tuning = Tuning(), sources: Path | None = None,
          profile: DeviceProfile = DeviceProfile()) -> dict[str, mc.ModelConfig]:
    """Check inputs and write the repository to ``out`` (replaced only when everything passed)."""
    templates = ModelRepository(sources or paths.resource(paths.TEMPLATES))
    tuning.check_device(profile.device)
    labels = check_labels(model_dir)
    graph = served_graph(model_dir, profile)
    session = check_onnx(graph)
    configs = read_templates(templates)
    min_score, window = decoding_settings(model_dir)
    if window:  # the model is served the windows it was trained on
        tokenizer_params = configs[contract.TOKENIZER_MODEL].parameters
        tokenizer_params["window"].string_value = str(window)
        tokenizer_params["stride"].string_value = str(contract.stride_for(window))
    apply_device(configs, profile)  # device defaults first: a tuned file (same device) overrides batching
    apply_tuning(configs, tuning)
    apply_shapes(configs, profile)  # warmup and TensorRT shapes follow the final batch size
    # The Python steps label their metrics with it (maritime_ner.core.telemetry): each step reads its own config.
    version = model_version(model_dir, graph.name)
    for name in (contract.ONNX_MODEL, contract.TOKENIZER_MODEL, contract.DECODER_MODEL):
        configs[name].parameters[contract.MODEL_VERSION_PARAM].string_value = version
    configs[contract.ONNX_MODEL].parameters[contract.LABELS_PARAM].string_value = ",".join(labels)
    configs[contract.DECODER_MODEL].parameters[contract.MIN_SCORE_PARAM].string_value = str(min_score)
    check_contract(configs)
    missing = [f for f in TOKENIZER_FILES[:1] if not (model_dir / f).exists()]
    if missing:
        raise BuildError(f"{model_dir} lacks {missing}: export the tokenizer with the model")
    check_case_marks(session, graph, model_dir)

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=out.parent))
    try:
        repo = ModelRepository(staging)
        for name, config in configs.items():
            repo.version_dir(name).mkdir(parents=True)
            repo.write_config(name, config)
        shutil.copy2(graph, repo.onnx_path)
        for step in (contract.TOKENIZER_MODEL, contract.DECODER_MODEL):
            shutil.copy2(templates.version_dir(step) / MODEL_PY, repo.version_dir(step) / MODEL_PY)
            copy_core(repo.version_dir(step))
        for f in TOKENIZER_FILES:
            if (model_dir / f).exists():
                shutil.copy2(model_dir / f, repo.tokenizer_dir / f)
        repo.labels_path.write_text(json.dumps(list(contract.LABELS)), encoding="utf-8")
        repo.requirements_path.write_text(server_requirements(), encoding="utf-8")
        repo.configs()  # what lands must parse back
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return configs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, default=paths.MODEL_DIR, help="output of `make export`")
    parser.add_argument("--out", type=Path, default=paths.REPO_OUT)
    parser.add_argument("--tuned", type=Path, default=None, help="tuned-config JSON from `make tune` (optional)")
    parser.add_argument("--device", choices=DEVICES, default="cpu",
                        help="cpu: the INT8/fp32 model.onnx on KIND_CPU; gpu: the fp32 graph on KIND_GPU with GPU settings")
    parser.add_argument("--accelerator", choices=ACCELERATORS, default="tensorrt",
                        help="GPU only: tensorrt (TensorRT FP16 through the onnxruntime backend) or cuda (plain CUDA EP)")
    parser.add_argument("--trt-cache-path", default=None, help="GPU/TensorRT only: engine cache folder on the server")
    args = parser.parse_args(argv)
    try:
        profile = DeviceProfile.for_device(args.device, args.accelerator, args.trt_cache_path)
        tuning = Tuning.load(args.tuned) if args.tuned and args.tuned.exists() else Tuning()
        configs = build(args.model_dir, args.out, tuning, profile=profile)
    except (BuildError, DeviceError) as err:
        print(f"build-repo: error: {err}", file=sys.stderr)
        return 1
    core = configs[contract.ONNX_MODEL]
    print(f"build-repo: applied tuned config: {tuning.source}")
    print(f"build-repo: {profile.describe(configs)}")
    print(
        f"build-repo: {contract.ONNX_MODEL} max_batch_size={core.max_batch_size} "
        f"preferred={list(core.dynamic_batching.preferred_batch_size)} "
        f"queue_delay_us={core.dynamic_batching.max_queue_delay_microseconds}; instances "
        + ", ".join(f"{n}={configs[n].instance_group[0].count}" for n in contract.ALL_MODELS[1:])
    )
    print(f"build-repo: wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
