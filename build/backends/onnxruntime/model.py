"""A Python-based Triton backend named ``onnxruntime``: serves ``platform: "onnxruntime_onnx"``.

Installed at ``<backend-directory>/onnxruntime/model.py`` for local serving only (the
PyPI tritonserver has no C++ onnxruntime backend). It reads the same config.pbtxt the
native backend reads: inputs/outputs, max_batch_size, default_model_filename and the
``intra_op_thread_count`` / ``inter_op_thread_count`` parameters. Requests the dynamic
batcher hands over together run as one ONNX Runtime call per input shape.

On a ``KIND_GPU`` instance it runs the CUDA execution provider on the instance's GPU, behind
the TensorRT one when the config names a ``tensorrt`` GPU accelerator (its parameters mapped
as Triton's native backend maps them); that needs ``onnxruntime-gpu`` in the environment the
stub runs. ``KIND_CPU`` instances use the CPU provider, as before.
"""

import json
from pathlib import Path

import numpy as np
import onnxruntime as ort
import triton_python_backend_utils as pb_utils


# Triton's accelerator parameters -> TensorRT EP options (as src/onnxruntime.cc of the native backend maps them).
_TRT_KEYS = {"max_workspace_size_bytes": "trt_max_workspace_size", "int8_calibration_table_name": "trt_int8_calibration_table_name",
             "int8_use_native_calibration_table": "trt_int8_use_native_calibration_table"}


def _providers(config: dict, args: dict) -> list:
    """ONNX Runtime providers for this instance: CPU on KIND_CPU; [TensorRT,] CUDA on KIND_GPU."""
    if args.get("model_instance_kind") != "GPU":
        return ["CPUExecutionProvider"]
    device = str(args.get("model_instance_device_id", "0"))
    if hasattr(ort, "preload_dlls"):
        ort.preload_dlls()  # CUDA/cuDNN from the nvidia-* wheels of onnxruntime-gpu[cuda,cudnn]
    available = ort.get_available_providers()
    if "CUDAExecutionProvider" not in available:
        raise pb_utils.TritonModelException(
            f"KIND_GPU instance but ONNX Runtime offers only {available}: install onnxruntime-gpu "
            "into the Python environment the stub runs (the venv whose python is first on PATH)")
    providers: list = []
    accelerators = config.get("optimization", {}).get("execution_accelerators", {}).get("gpu_execution_accelerator", [])
    for accel in accelerators:
        if accel.get("name") != "tensorrt":
            continue
        if "TensorrtExecutionProvider" not in available:
            raise pb_utils.TritonModelException("config asks for the tensorrt accelerator but this ONNX Runtime has no TensorRT EP")
        options = {"device_id": device}
        for key, value in accel.get("parameters", {}).items():
            if key == "precision_mode":
                if value in ("FP16", "INT8"):
                    options[f"trt_{value.lower()}_enable"] = "True"
            else:
                options[_TRT_KEYS.get(key, key)] = value
        providers.append(("TensorrtExecutionProvider", options))
    providers.append(("CUDAExecutionProvider", {"device_id": device}))
    return providers


def _thread_param(params: dict, key: str) -> int:
    """A thread-count parameter (0 = ONNX Runtime's default)."""
    value = params.get(key, {}).get("string_value", "0")
    try:
        return int(value)
    except ValueError:
        raise pb_utils.TritonModelException(f"parameter '{key}' must be an integer, got '{value}'") from None


class TritonPythonModel:
    def initialize(self, args):
        config = json.loads(args["model_config"])
        self.batching = int(config.get("max_batch_size", 0)) > 0
        self.inputs = [(i["name"], pb_utils.triton_string_to_numpy(i["data_type"])) for i in config["input"]]
        self.outputs = [o["name"] for o in config["output"]]
        filename = config.get("default_model_filename") or "model.onnx"
        path = Path(args["model_repository"]) / args["model_version"] / filename
        params = config.get("parameters", {})
        options = ort.SessionOptions()
        options.intra_op_num_threads = _thread_param(params, "intra_op_thread_count")
        options.inter_op_num_threads = _thread_param(params, "inter_op_thread_count")
        self.session = ort.InferenceSession(str(path), options, providers=_providers(config, args))
        have_in = {i.name for i in self.session.get_inputs()}
        have_out = {o.name for o in self.session.get_outputs()}
        missing = [n for n, _ in self.inputs if n not in have_in] + [n for n in self.outputs if n not in have_out]
        if missing:
            raise pb_utils.TritonModelException(
                f"{path.name} has inputs {sorted(have_in)} and outputs {sorted(have_out)}; config names {missing} are missing"
            )

    def execute(self, requests):
        # Group requests whose inputs share a shape past the batch axis (the tokenizer pads
        # windows to length buckets so they do); each group is one ONNX Runtime call.
        feeds = [{name: pb_utils.get_input_tensor_by_name(r, name).as_numpy().astype(dtype, copy=False)
                  for name, dtype in self.inputs} for r in requests]
        groups: dict[tuple, list[int]] = {}
        for index, feed in enumerate(feeds):
            key = tuple(feed[name].shape[1:] for name, _ in self.inputs) if self.batching else (index,)
            groups.setdefault(key, []).append(index)
        responses = [None] * len(requests)
        for members in groups.values():
            batch = {name: np.concatenate([feeds[i][name] for i in members]) for name, _ in self.inputs}
            try:
                results = self.session.run(self.outputs, batch)
            except Exception as err:  # ONNX Runtime rejects bad shapes/values: an error for these requests only
                for i in members:
                    responses[i] = pb_utils.InferenceResponse(
                        error=pb_utils.TritonError(f"onnxruntime: {err}", pb_utils.TritonError.INVALID_ARG))
                continue
            sizes = np.cumsum([len(feeds[i][self.inputs[0][0]]) for i in members])[:-1]
            parts = [np.split(result, sizes) for result in results]
            for k, i in enumerate(members):
                tensors = [pb_utils.Tensor(name, part[k]) for name, part in zip(self.outputs, parts)]
                responses[i] = pb_utils.InferenceResponse(tensors)
        return responses
