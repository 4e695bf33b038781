"""Where ``ner_model`` runs: a typed device profile the build applies to the parsed configs.

``cpu`` (the default) changes nothing: the templates in model_repository/ are the CPU
repository, and the served graph is the export's ``model.onnx`` (INT8 when it kept F1).
``gpu`` serves the export's fp32 graph on ``KIND_GPU`` with Triton's onnxruntime-backend GPU
settings (TensorRT FP16 or the plain CUDA execution provider), length buckets in the
tokenizer, GPU-sized dynamic batching and a ``model_warmup`` per bucket. The Python steps
stay on ``KIND_CPU`` for every device.

Parameter names are the ones Triton's onnxruntime backend reads (r24.10, Triton 2.51,
``src/onnxruntime.cc``): ``precision_mode``, ``max_workspace_size_bytes``,
``trt_engine_cache_enable``, ``trt_engine_cache_path`` and ``trt_profile_{min,opt,max}_shapes``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tritonclient.grpc import model_config_pb2 as mc

from maritime_ner.core import contract
from maritime_ner.repository.exported import FP32_FILE

DEVICES = ("cpu", "gpu")
ACCELERATORS = ("tensorrt", "cuda")  # cuda: the onnxruntime backend's CUDA EP alone (no accelerator block)
PYTHON_STEPS = (contract.TOKENIZER_MODEL, contract.DECODER_MODEL)
KIND_NAMES = {mc.ModelInstanceGroup.KIND_CPU: "KIND_CPU", mc.ModelInstanceGroup.KIND_GPU: "KIND_GPU"}


class DeviceError(ValueError):
    """A device profile that cannot be applied (the build turns it into a BuildError)."""


@dataclass(frozen=True)
class GpuSettings:
    """What a GPU repository sets on ``ner_model`` and the tokenizer.

    Buckets 64,128,256, cut at the served window (128 for the embedded default: 64,128): windows are
    at most ``window`` tokens, so two or three shapes cover the sequence axis. Triton's dynamic batcher merges only requests of the same shape, and
    TensorRT runs one engine profile best when few shapes reach it; on a GPU a 32-token window
    costs about what a 64-token one does, so the CPU bench's 32 bucket only splits batches.
    """

    accelerator: str = "tensorrt"
    precision_mode: str = "FP16"
    max_workspace_size_bytes: int = 2 << 30  # 2 GiB of scratch for TensorRT's tactics
    # A folder TensorRT may create (its parent must exist): engines built once are reused at
    # the next load. The server image (build/Dockerfile) makes it a volume.
    trt_engine_cache_path: str = "/trt-cache/ner_model"
    buckets: tuple[int, ...] = (64, 128, 256)
    # Windows from concurrent requests merge into large batches; the delay stays short so a
    # lone request does not wait for company (p99 target: 100 ms per document).
    preferred_batch_size: tuple[int, ...] = (16, 32, 64)
    max_queue_delay_microseconds: int = 500
    instance_count: int = 1  # per GPU: ``gpus`` is left unset, so one instance on every visible GPU
    warmup_batch_size: int = 32

    def __post_init__(self) -> None:
        if self.accelerator not in ACCELERATORS:
            raise DeviceError(f"GPU accelerator must be one of {ACCELERATORS}, got '{self.accelerator}'")
        if self.precision_mode not in ("FP32", "FP16"):
            raise DeviceError(f"precision_mode must be FP32 or FP16, got '{self.precision_mode}'")
        if not self.buckets or any(b < 1 for b in self.buckets):
            raise DeviceError(f"GPU buckets must be positive token counts, got {self.buckets}")


@dataclass(frozen=True)
class DeviceProfile:
    """The device a repository is built for; ``gpu`` is None on a CPU."""

    device: str = "cpu"
    gpu: GpuSettings | None = field(default=None)

    def __post_init__(self) -> None:
        if self.device not in DEVICES:
            raise DeviceError(f"device must be one of {DEVICES}, got '{self.device}'")
        if (self.device == "gpu") != (self.gpu is not None):
            raise DeviceError("a gpu profile needs GpuSettings, a cpu profile none")

    @classmethod
    def for_device(cls, device: str = "cpu", accelerator: str = "tensorrt", trt_cache_path: str | None = None) -> "DeviceProfile":
        """The shipped profile for ``device`` (``accelerator`` and the cache path matter on a GPU only)."""
        if device != "gpu":
            return cls(device)
        extra = {"trt_engine_cache_path": trt_cache_path} if trt_cache_path else {}
        return cls("gpu", GpuSettings(accelerator=accelerator, **extra))

    @property
    def served_file(self) -> str:
        """The export's file ner_model serves: fp32 on a GPU (TensorRT/CUDA make their own FP16), else model.onnx."""
        return FP32_FILE if self.gpu else contract.ONNX_FILE

    @property
    def instance_kind(self) -> int:
        return mc.ModelInstanceGroup.KIND_GPU if self.gpu else mc.ModelInstanceGroup.KIND_CPU

    def describe(self, configs: dict[str, mc.ModelConfig]) -> str:
        """One line for the build's console: what this profile put in the configs."""
        core = configs[contract.ONNX_MODEL]
        kinds = ", ".join(f"{n}={instance_kind(configs[n])}" for n in contract.ALL_MODELS[1:])
        if not self.gpu:
            return f"device=cpu (served {self.served_file}); kinds {kinds}"
        buckets = configs[contract.TOKENIZER_MODEL].parameters["buckets"].string_value
        warmup = [f"{w.batch_size}x{list(w.inputs[contract.INPUT_IDS].dims)}" for w in core.model_warmup]
        accel = self.gpu.accelerator + (f" {self.gpu.precision_mode}, engine cache {self.gpu.trt_engine_cache_path}"
                                        if self.gpu.accelerator == "tensorrt" else " (CUDA EP, no accelerator block)")
        return (f"device=gpu (served {self.served_file}); accelerator {accel}; buckets {buckets}; "
                f"warmup {', '.join(warmup)}; kinds {kinds}")


def instance_kind(config: mc.ModelConfig) -> str:
    """'KIND_CPU' / 'KIND_GPU' of a config's first instance group ('KIND_AUTO' when unset)."""
    if not config.instance_group:
        return "KIND_AUTO"
    return KIND_NAMES.get(config.instance_group[0].kind, mc.ModelInstanceGroup.Kind.Name(config.instance_group[0].kind))


def device_of(config: mc.ModelConfig) -> str:
    """'gpu' when ner_model's config runs on KIND_GPU, else 'cpu' (how `make tune` names a profiled repository)."""
    return "gpu" if instance_kind(config) == "KIND_GPU" else "cpu"


def served_buckets(configs: dict[str, mc.ModelConfig], gpu: GpuSettings) -> list[int]:
    """The GPU buckets below the served window, and the window itself: no bucket a window cannot reach."""
    window = int(configs[contract.TOKENIZER_MODEL].parameters["window"].string_value)
    return [b for b in sorted(gpu.buckets) if b < window] + [window]


def apply_device(configs: dict[str, mc.ModelConfig], profile: DeviceProfile) -> None:
    """Instance kinds, accelerator, buckets and batching defaults (before a tuned file overrides batching)."""
    if not profile.gpu:
        return  # the templates are the CPU repository
    gpu, core = profile.gpu, configs[contract.ONNX_MODEL]
    del core.instance_group[:]
    core.instance_group.add(kind=mc.ModelInstanceGroup.KIND_GPU, count=gpu.instance_count)
    for name in PYTHON_STEPS:
        for group in configs[name].instance_group:
            group.kind = mc.ModelInstanceGroup.KIND_CPU
    # The CPU thread settings do not apply to a GPU session.
    for key in ("intra_op_thread_count", "inter_op_thread_count"):
        if key in core.parameters:
            del core.parameters[key]
    del core.dynamic_batching.preferred_batch_size[:]
    core.dynamic_batching.preferred_batch_size.extend(gpu.preferred_batch_size)
    core.dynamic_batching.max_queue_delay_microseconds = gpu.max_queue_delay_microseconds
    configs[contract.TOKENIZER_MODEL].parameters["buckets"].string_value = ",".join(map(str, served_buckets(configs, gpu)))


def apply_shapes(configs: dict[str, mc.ModelConfig], profile: DeviceProfile) -> None:
    """What depends on the final batch size and buckets: the TensorRT block and the warmup samples."""
    if not profile.gpu:
        return
    gpu, core = profile.gpu, configs[contract.ONNX_MODEL]
    buckets = served_buckets(configs, gpu)
    longest = buckets[-1]
    core.ClearField("optimization")
    if gpu.accelerator == "tensorrt":
        accel = core.optimization.execution_accelerators.gpu_execution_accelerator.add(name="tensorrt")
        opt_batch = min(max(gpu.preferred_batch_size), core.max_batch_size)
        params = {
            "precision_mode": gpu.precision_mode,
            "max_workspace_size_bytes": str(gpu.max_workspace_size_bytes),
            "trt_engine_cache_enable": "true",
            "trt_engine_cache_path": gpu.trt_engine_cache_path,
            # One engine profile covering every shape the tokenizer can send: no rebuild mid-traffic.
            "trt_profile_min_shapes": _shapes(1, 1),
            "trt_profile_opt_shapes": _shapes(opt_batch, buckets[len(buckets) // 2]),
            "trt_profile_max_shapes": _shapes(core.max_batch_size, longest),
        }
        for key, value in params.items():
            accel.parameters[key] = value
    del core.model_warmup[:]
    batch = min(gpu.warmup_batch_size, core.max_batch_size)
    for bucket in buckets:
        warmup = core.model_warmup.add(name=f"bucket_{bucket}", batch_size=batch)
        for name in (contract.INPUT_IDS, contract.ATTENTION_MASK):
            warmup.inputs[name].data_type = mc.TYPE_INT64
            warmup.inputs[name].dims.append(bucket)
            warmup.inputs[name].zero_data = True  # token id 0 is [PAD]: valid ids, realistic shape


def _shapes(batch: int, seq: int) -> str:
    """A TensorRT profile shape string for both inputs, e.g. 'input_ids:8x128,attention_mask:8x128'."""
    return ",".join(f"{name}:{batch}x{seq}" for name in (contract.INPUT_IDS, contract.ATTENTION_MASK))


def check_device(configs: dict[str, mc.ModelConfig]) -> list[str]:
    """Problems with the device settings, whichever device (empty when consistent)."""
    problems = []
    core = configs[contract.ONNX_MODEL]
    for name in PYTHON_STEPS:
        if instance_kind(configs[name]) != "KIND_CPU":
            problems.append(f"{name} must run on KIND_CPU (Python step), has {instance_kind(configs[name])}")
    inputs = {i.name: i.data_type for i in core.input}
    for warmup in core.model_warmup:
        if dict((k, v.data_type) for k, v in warmup.inputs.items()) != inputs:
            problems.append(f"{contract.ONNX_MODEL} warmup '{warmup.name}' inputs {sorted(warmup.inputs)} do not match {sorted(inputs)}")
        if not 1 <= warmup.batch_size <= core.max_batch_size:
            problems.append(f"{contract.ONNX_MODEL} warmup '{warmup.name}' batch_size {warmup.batch_size} outside 1..{core.max_batch_size}")
    accelerators = core.optimization.execution_accelerators.gpu_execution_accelerator
    if accelerators and instance_kind(core) != "KIND_GPU":
        problems.append(f"{contract.ONNX_MODEL} has a GPU execution accelerator but runs on {instance_kind(core)}")
    return problems
