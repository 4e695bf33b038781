"""One bench arm per process: ``python -m maritime_ner.bench.arms SPEC.json RESULT.json``.

Each arm runs in its own child process so the orchestrator can sample that process tree's
memory (tritonserver and its Python stubs included). A result holds phases; each phase has
its wall time, per-document latencies and per-document spans ``[start, end, label, score]``
(code points), plus what the arm knows about itself (Triton's per-model statistics).
"""

from __future__ import annotations

import itertools
import json
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from maritime_ner.core import contract
from maritime_ner.core.offsets import from_utf16, utf16_prefix
from maritime_ner.repository.layout import ModelRepository

from .specs import ArmKind, ArmSpec

SpanRow = list  # [start, end, label, score]
WARMUP_DOCS = 2


def phase(name: str, wall: float, t0: float, latencies: Sequence[float], spans: list[list[SpanRow]], **extra) -> dict:
    """One measured phase (latencies in ms; t0/t1 are time.time() for the memory sampler)."""
    return {"name": name, "t0": t0, "t1": t0 + wall, "wall_s": wall, "latencies_ms": [round(x, 3) for x in latencies],
            "spans": spans, **extra}


# ---------------------------------------------------------------- (a) Hugging Face pipeline

def hf_arm(spec: ArmSpec, texts: list[str]) -> list[dict]:
    """transformers' token-classification pipeline (aggregation "simple", stride) in PyTorch."""
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer, pipeline

    torch.set_num_threads(spec.threads)
    tokenizer = AutoTokenizer.from_pretrained(spec.checkpoint)
    tokenizer.model_max_length = spec.window  # the same window as the served tokenizer
    model = AutoModelForTokenClassification.from_pretrained(spec.checkpoint).eval()
    pipe = pipeline("token-classification", model=model, tokenizer=tokenizer, aggregation_strategy="simple",
                    stride=spec.stride, device=-1)
    with torch.inference_mode():
        for text in texts[:WARMUP_DOCS]:
            pipe(text)
        t0, start = time.time(), time.perf_counter()
        spans, latencies = [], []
        for text in texts:
            t = time.perf_counter()
            found = pipe(text) if text.strip() else []
            latencies.append((time.perf_counter() - t) * 1000)
            spans.append([[int(e["start"]), int(e["end"]), e["entity_group"], float(e["score"])] for e in found])
        wall = time.perf_counter() - start
    return [phase("hf", wall, t0, latencies, spans)]


# ---------------------------------------------------------------- (b) in-process reference

def reference_pipeline(spec: ArmSpec):
    """The reference Pipeline over the repository's files and settings, with this arm's ORT session options."""
    import onnxruntime as ort

    from maritime_ner.repository.reference import Pipeline

    repo = ModelRepository(spec.repository)
    options = ort.SessionOptions()
    options.intra_op_num_threads = spec.threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = getattr(ort.GraphOptimizationLevel, spec.graph_optimization or "ORT_ENABLE_ALL")
    model_path = spec.model_path or repo.onnx_path
    session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])

    def forward(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return session.run([contract.LOGITS], {contract.INPUT_IDS: ids, contract.ATTENTION_MASK: mask})[0]

    return Pipeline.from_repository(repo, forward=forward)


def reference_arm(spec: ArmSpec, texts: list[str]) -> list[dict]:
    """tokenizers + onnxruntime + our decoder in this process, requests grouped as in ``spec.groups``."""
    pipeline = reference_pipeline(spec)
    groups = spec.groups
    pipeline.spans(texts[:WARMUP_DOCS])
    t0, start = time.time(), time.perf_counter()
    spans: list[list[SpanRow]] = [[] for _ in texts]
    latencies = [0.0] * len(texts)
    for group in groups:
        t = time.perf_counter()
        found = pipeline.spans([texts[i] for i in group])
        elapsed = (time.perf_counter() - t) * 1000
        for i, doc_spans in zip(group, found):
            spans[i] = [[s.start, s.end, s.label, s.score] for s in doc_spans]
            latencies[i] = elapsed
    wall = time.perf_counter() - start
    return [phase(spec.name, wall, t0, latencies, spans)]


# ---------------------------------------------------------------- (c) Triton ensemble

def results_to_rows(text: str, results: list[dict]) -> list[SpanRow]:
    """Label Studio results (UTF-16 offsets) -> span rows in code points."""
    prefix = utf16_prefix(text)
    return [[from_utf16(text, r["value"]["start"], prefix), from_utf16(text, r["value"]["end"], prefix),
             r["value"]["labels"][0], r["score"]] for r in results]


def run_threads(threads: Sequence[threading.Thread]) -> float:
    """Start the client threads together and wait for all; the wall-clock seconds they took."""
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


def drive(url: str, protocol: str, texts: list[str], concurrency: int) -> tuple[float, list[float], list]:
    """Send every document as its own request from ``concurrency`` threads (one client each)."""
    from maritime_ner.client.ner_client import NerClient

    results: list = [None] * len(texts)
    latencies = [0.0] * len(texts)
    counter = itertools.count()  # next() on it is atomic under the GIL
    clients = [NerClient(url, protocol) for _ in range(concurrency)]
    errors: list[BaseException] = []

    def loop(client) -> None:
        try:
            while (i := next(counter)) < len(texts):
                t = time.perf_counter()
                results[i] = client.infer_batch([texts[i]])[0]
                latencies[i] = (time.perf_counter() - t) * 1000
        except Exception as err:  # reported after the run; the other threads finish their work
            errors.append(err)

    wall = run_threads([threading.Thread(target=loop, args=(c,)) for c in clients])
    for client in clients:
        client.close()
    if errors:
        raise RuntimeError(f"{protocol} at concurrency {concurrency}: {errors[0]!r}")
    return wall, latencies, results


def model_statistics(url: str) -> dict[str, dict[str, int]]:
    """Cumulative compute time (ns) and counts per model from Triton's statistics API."""
    import tritonclient.grpc as grpcclient

    client = grpcclient.InferenceServerClient(url)
    try:
        stats = client.get_inference_statistics(as_json=True)
    finally:
        client.close()
    out = {}
    for model in stats.get("model_stats", []):
        inference = model.get("inference_stats", {})
        row = {key: int(inference.get(key, {}).get("ns", 0)) for key in ("compute_input", "compute_infer", "compute_output", "queue")}
        row["inference_count"] = int(model.get("inference_count", 0))
        row["execution_count"] = int(model.get("execution_count", 0))
        out[model["name"]] = row
    return out


def cpu_seconds(server_pid: int) -> dict[str, float]:
    """CPU seconds (user + system) used so far per model's backend stubs, and by tritonserver itself.

    Every Python-based model instance (the Python steps, and locally the onnxruntime backend)
    is a ``triton_python_backend_stub`` child whose first argument is the model's file in
    ``<model>/<version>/``; what tritonserver spends itself (frontends, ensemble, batcher) is
    reported as ``tritonserver``.
    """
    import psutil

    server = psutil.Process(server_pid)
    times = server.cpu_times()
    out = {"tritonserver": times.user + times.system}
    for child in server.children(recursive=True):
        try:
            args, times = child.cmdline(), child.cpu_times()
        except psutil.Error:
            continue
        if len(args) > 1 and args[0].endswith("triton_python_backend_stub"):
            model = Path(args[1]).parent.parent.name
            out[model] = out.get(model, 0.0) + times.user + times.system
    return out


def stats_delta(before: dict, after: dict) -> dict[str, dict[str, int]]:
    """Per-model counters accumulated between two statistics snapshots."""
    return {name: {k: v - before.get(name, {}).get(k, 0) for k, v in row.items()} for name, row in after.items()}


def triton_arm(spec: ArmSpec, texts: list[str]) -> list[dict]:
    """The ``ner`` ensemble on a real tritonserver, over each protocol at each concurrency."""
    from maritime_ner.serving.local_triton import TritonServer

    phases = []
    with TritonServer(spec.repository, log_path=spec.log_path) as server:
        urls = {"grpc": server.grpc_url, "http": server.http_url}
        for protocol in spec.protocols:
            drive(urls[protocol], protocol, texts[:WARMUP_DOCS], 1)
            for concurrency in spec.concurrency:
                before, cpu_before = model_statistics(server.grpc_url), cpu_seconds(server.process.pid)
                t0 = time.time()
                wall, latencies, results = drive(urls[protocol], protocol, texts, concurrency)
                cpu_after = cpu_seconds(server.process.pid)
                stats = stats_delta(before, model_statistics(server.grpc_url))
                cpu = {name: round(cpu_after[name] - cpu_before.get(name, 0.0), 3) for name in cpu_after}
                spans = [results_to_rows(t, r) for t, r in zip(texts, results)]
                phases.append(phase(f"{spec.name}/{protocol}/c{concurrency}", wall, t0, latencies, spans,
                                    protocol=protocol, concurrency=concurrency, model_stats=stats, cpu_seconds=cpu))
    return phases


ARMS: dict[ArmKind, Callable[[ArmSpec, list[str]], list[dict]]] = {"hf": hf_arm, "reference": reference_arm, "triton": triton_arm}


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(allow_abbrev=False, prog="python -m maritime_ner.bench.arms", description=__doc__.splitlines()[0])
    parser.add_argument("spec", type=Path, help="arm spec JSON written by bench.run")
    parser.add_argument("result", type=Path, help="where to write the phases")
    args = parser.parse_args(argv)
    spec = ArmSpec.from_json(args.spec.read_text(encoding="utf-8"))
    texts = [d["text"] for d in json.loads(spec.docs_path.read_text(encoding="utf-8"))]
    phases = ARMS[spec.arm](spec, texts)
    args.result.write_text(json.dumps({"name": spec.name, "arm": spec.arm, "phases": phases}), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
