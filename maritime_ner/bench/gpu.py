"""`make bench-gpu`: GPU numbers for the ONNX core in process and for the served ensemble.

    python -m maritime_ner.bench.gpu [--out reports/bench-gpu] [--models default,distilbert]
    python -m maritime_ner.bench.gpu --smoke --out /tmp/smoke     # CPU, tiny model, a few documents

Per model (the embedded default MiniLM-L6 model, and a randomly initialised DistilBERT-sized
one, 66M parameters: the same shapes and cost as a trained one), on the bench documents:

* in process, documents 8 at a time (the ensemble's batch): ONNX Runtime's CUDA execution
  provider, and TensorRT FP16 when this ONNX Runtime has it;
* served: ``make build-repo DEVICE=gpu`` on a local tritonserver, requests of 8 documents
  from several client threads.

It records p50/p99 latency per document (a document's latency is its batch's) and documents/s,
and writes ``gpu_bench.json`` and ``gpu_bench.md`` (a table with the targets: p99 < 100 ms,
> 100 documents/s; > 2,000 documents/s for the DistilBERT-sized model). ``--smoke`` runs the
same code on the CPU provider with a tiny model so the script is proven before GPU time is spent.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from maritime_ner import paths
from maritime_ner.core import contract
from maritime_ner.bench.arms import run_threads
from maritime_ner.repository.exported import FP32_FILE

TARGET_P99_MS = 100.0
TARGET_DOCS_S = {"default": 100.0, "distilbert": 2000.0}  # the smoke's tiny model has no target
BATCH_DOCS = 8  # documents per call / request (the ensemble's max_batch_size)
MODELS = ("default", "distilbert")


@dataclass
class Row:
    """One measured arm: a model on one path (in process on a provider, or served)."""

    model: str
    arm: str
    documents: int
    p50_ms: float
    p99_ms: float
    docs_per_s: float
    note: str = ""

    @property
    def meets(self) -> bool | None:
        """Whether it meets its model's targets (None: not measured, or a model without targets)."""
        if self.documents == 0 or self.model not in TARGET_DOCS_S:
            return None
        return self.p99_ms < TARGET_P99_MS and self.docs_per_s > TARGET_DOCS_S[self.model]


# ---------------------------------------------------------------- models

def random_checkpoint(kind: str, out: Path) -> Path:
    """A randomly initialised token classifier with the contract's 9 labels and the embedded tokenizer."""
    import torch
    from transformers import AutoConfig, AutoModelForTokenClassification, AutoTokenizer, BertConfig, DistilBertConfig

    from training.train import default_base_model

    torch.manual_seed(0)
    labels = dict(contract.ID2LABEL)
    common = {"num_labels": contract.NUM_LABELS, "id2label": labels, "label2id": contract.LABEL2ID}
    if kind == "tiny":
        config = BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                            intermediate_size=64, max_position_embeddings=512, **common)
    elif kind == "distilbert":  # DistilBERT-base: 6 layers, 768 hidden, 12 heads, 66M parameters
        config = DistilBertConfig(vocab_size=30522, **common)
    elif kind == "default":  # the embedded MiniLM-L6-H384 encoder's shape
        config = AutoConfig.from_pretrained(default_base_model(), **common)
    else:
        raise ValueError(f"unknown model kind {kind!r}")
    config._attn_implementation = "eager"
    model = AutoModelForTokenClassification.from_config(config)
    model.save_pretrained(out)
    AutoTokenizer.from_pretrained(default_base_model()).save_pretrained(out)
    return out


def model_dir(kind: str, work: Path, trained: Path | None) -> tuple[Path, str]:
    """An exported model folder for ``kind`` (the trained export for 'default' when there is one)."""
    if kind == "default" and trained and (trained / FP32_FILE).exists():
        return trained, f"trained export {trained}"
    out = work / "models" / kind
    if not (out / FP32_FILE).exists():
        from training.export import export

        export(random_checkpoint(kind, work / "checkpoints" / kind), out)
    return out, "random weights (speed only)"


# ---------------------------------------------------------------- measurement

def percentiles(latencies: Sequence[float]) -> tuple[float, float]:
    values = np.asarray(latencies, dtype=float)
    return float(np.percentile(values, 50)), float(np.percentile(values, 99))


def session(path: Path, provider: str, cache: Path, max_batch: int = 128, window: int = contract.DEFAULT_WINDOW):
    """An ONNX Runtime session on ``provider`` ('cpu', 'cuda' or 'tensorrt'); None when this runtime lacks it."""
    import onnxruntime as ort

    if provider != "cpu" and hasattr(ort, "preload_dlls"):
        ort.preload_dlls()  # CUDA/cuDNN from the nvidia-* wheels of onnxruntime-gpu[cuda,cudnn]
    available = ort.get_available_providers()
    if provider == "cpu":
        providers: list = ["CPUExecutionProvider"]
    elif "CUDAExecutionProvider" not in available:
        return None
    elif provider == "cuda":
        providers = ["CUDAExecutionProvider"]
    elif "TensorrtExecutionProvider" not in available:
        return None
    else:
        shapes = lambda b, s: ",".join(f"{n}:{b}x{s}" for n in (contract.INPUT_IDS, contract.ATTENTION_MASK))  # noqa: E731
        cache.mkdir(parents=True, exist_ok=True)
        providers = [("TensorrtExecutionProvider", {
            "trt_fp16_enable": True, "trt_engine_cache_enable": True, "trt_engine_cache_path": str(cache),
            "trt_profile_min_shapes": shapes(1, 1), "trt_profile_opt_shapes": shapes(32, 128),
            "trt_profile_max_shapes": shapes(max_batch, window)}), "CUDAExecutionProvider"]
    sess = ort.InferenceSession(str(path), providers=providers)
    wanted = {"cpu": "CPUExecutionProvider", "cuda": "CUDAExecutionProvider", "tensorrt": "TensorrtExecutionProvider"}[provider]
    return sess if sess.get_providers()[0] == wanted else None  # ORT falls back silently when libraries are missing


def in_process(repo: Path, sess, texts: list[str]) -> tuple[float, list[float]]:
    """The reference pipeline over ``repo`` with ``sess`` as its core; documents 8 per call."""
    from maritime_ner.repository.reference import Pipeline

    def forward(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return sess.run([contract.LOGITS], {contract.INPUT_IDS: ids, contract.ATTENTION_MASK: mask})[0]

    pipeline = Pipeline.from_repository(repo, forward=forward)
    for bucket in pipeline.encoder.spec.buckets or (contract.DEFAULT_WINDOW,):  # warm every shape
        ids = np.zeros((BATCH_DOCS, bucket), dtype=np.int64)
        forward(ids, np.ones_like(ids))
    pipeline.spans(texts[:BATCH_DOCS])
    latencies: list[float] = []
    start = time.perf_counter()
    for i in range(0, len(texts), BATCH_DOCS):
        chunk = texts[i:i + BATCH_DOCS]
        t = time.perf_counter()
        pipeline.spans(chunk)
        latencies += [(time.perf_counter() - t) * 1000] * len(chunk)
    return time.perf_counter() - start, latencies


def served(repo: Path, texts: list[str], concurrency: int, log: Path) -> tuple[float, list[float]]:
    """The ensemble on a local tritonserver: requests of 8 documents from ``concurrency`` threads."""
    from maritime_ner.client.ner_client import NerClient
    from maritime_ner.serving.local_triton import TritonServer

    chunks = [texts[i:i + BATCH_DOCS] for i in range(0, len(texts), BATCH_DOCS)]
    latencies: list[float] = []
    errors: list[BaseException] = []
    lock, queue = threading.Lock(), list(reversed(chunks))
    with TritonServer(repo, log_path=log) as server:
        NerClient(server.grpc_url).infer_batch(texts[:BATCH_DOCS])  # warm the Python steps too

        def loop() -> None:
            client = NerClient(server.grpc_url)
            try:
                while True:
                    with lock:
                        if not queue:
                            return
                        chunk = queue.pop()
                    t = time.perf_counter()
                    client.infer_batch(chunk)
                    with lock:
                        latencies.extend([(time.perf_counter() - t) * 1000] * len(chunk))
            except Exception as err:  # reported after the run
                errors.append(err)
            finally:
                client.close()

        wall = run_threads([threading.Thread(target=loop) for _ in range(concurrency)])
    if errors:
        raise RuntimeError(f"served ensemble failed: {errors[0]!r} (log: {log})")
    return wall, latencies


def row(model: str, arm: str, wall: float, latencies: list[float], note: str = "") -> Row:
    p50, p99 = percentiles(latencies)
    return Row(model, arm, len(latencies), round(p50, 2), round(p99, 2), round(len(latencies) / wall, 1), note)


# ---------------------------------------------------------------- report

def markdown(rows: Sequence[Row], meta: dict) -> str:
    lines = [
        "# GPU bench (`make bench-gpu`)", "",
        f"Device: {meta['device']}; ONNX Runtime {meta['onnxruntime']} providers {meta['providers']}; "
        f"{meta['documents']} documents, {BATCH_DOCS} per call/request; served at concurrency {meta['concurrency']}.",
        "", f"Targets: p99 < {TARGET_P99_MS:.0f} ms per document; > {TARGET_DOCS_S['default']:.0f} documents/s "
        f"(default model), > {TARGET_DOCS_S['distilbert']:,.0f} documents/s (DistilBERT-sized).", "",
        "| model | arm | documents | p50 ms | p99 ms | documents/s | meets targets | note |",
        "|---|---|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        ok = {None: "n/a", True: "yes", False: "no"}[r.meets]
        cells = [r.model, r.arm, str(r.documents), f"{r.p50_ms:.2f}", f"{r.p99_ms:.2f}", f"{r.docs_per_s:,.1f}", ok, r.note]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def skipped(model: str, arm: str, why: str) -> Row:
    return Row(model, arm, 0, 0.0, 0.0, 0.0, f"not run: {why}")


# ---------------------------------------------------------------- main

def run(args: argparse.Namespace) -> list[Row]:
    import onnxruntime as ort

    from maritime_ner.bench import corpus
    from maritime_ner.repository.build import build
    from maritime_ner.repository.device import DeviceProfile

    work = args.out / "work"
    work.mkdir(parents=True, exist_ok=True)
    if args.smoke:
        docs = corpus.build_corpus(None, args.val_docs, args.long_docs)
        kinds, providers = ["tiny"], ["cpu"]
    else:
        docs = corpus.build_corpus(paths.resource(paths.DEV_SET), args.val_docs, args.long_docs)
        kinds, providers = args.models, ["cuda", "tensorrt"]
        if hasattr(ort, "preload_dlls"):
            ort.preload_dlls()
        if "CUDAExecutionProvider" not in ort.get_available_providers():
            raise SystemExit(
                f"bench-gpu: this ONNX Runtime ({ort.__version__}) has no CUDA provider ({ort.get_available_providers()}): "
                "run it through `make bench-gpu` (it makes .venv-gpu with onnxruntime-gpu), or --smoke on a CPU")
    texts = [d["text"] for d in docs]
    rows: list[Row] = []
    for kind in kinds:
        folder, origin = model_dir(kind, work, args.model_dir)
        print(f"bench-gpu: {kind}: {origin} ({folder})", flush=True)
        profile = DeviceProfile.for_device("cpu" if args.smoke else "gpu", args.accelerator, str((work / "trt-cache").resolve()))
        repo = work / "repos" / kind
        build(folder, repo, profile=profile)
        graph = folder / FP32_FILE
        for provider in providers:
            sess = session(graph, provider, work / "trt-cache-inprocess" / kind)
            if sess is None:
                rows.append(skipped(kind, f"in-process {provider}", f"no {provider} provider in this ONNX Runtime"))
                continue
            wall, latencies = in_process(repo, sess, texts)
            rows.append(row(kind, f"in-process {provider}" + (" FP16" if provider == "tensorrt" else ""), wall, latencies, origin))
            print(f"bench-gpu: {rows[-1]}", flush=True)
        if args.skip_served:
            rows.append(skipped(kind, "served", "--skip-served"))
            continue
        wall, latencies = served(repo, texts, args.concurrency, args.out / f"triton-{kind}.log")
        arm = "served ensemble" + ("" if args.smoke else f" ({args.accelerator})")
        rows.append(row(kind, arm, wall, latencies, origin))
        print(f"bench-gpu: {rows[-1]}", flush=True)
    return rows


def device_name() -> str:
    """The GPU's name from nvidia-smi, or a note that there is none."""
    try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"], capture_output=True, text=True, timeout=10)
        return out.stdout.strip().splitlines()[0] if out.returncode == 0 and out.stdout.strip() else "CPU (no GPU found)"
    except (OSError, subprocess.SubprocessError, IndexError):
        return "CPU (no GPU found)"


def main(argv: Sequence[str] | None = None) -> int:
    import onnxruntime as ort

    parser = argparse.ArgumentParser(allow_abbrev=False, prog="python -m maritime_ner.bench.gpu", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=paths.REPORTS / "bench-gpu")
    parser.add_argument("--smoke", action="store_true", help="CPU provider, tiny model, a few documents (proves the script)")
    parser.add_argument("--models", default=",".join(MODELS), help="comma list of: default, distilbert")
    parser.add_argument("--model-dir", type=Path, default=paths.MODEL_DIR, help="the trained export for 'default' (random weights if absent)")
    parser.add_argument("--accelerator", choices=("tensorrt", "cuda"), default="tensorrt", help="the served repository's GPU accelerator")
    parser.add_argument("--val-docs", type=int, default=None, help="generated validation documents (default 400; smoke 6)")
    parser.add_argument("--long-docs", type=int, default=None, help="long dossiers (default 10; smoke 1)")
    parser.add_argument("--concurrency", type=int, default=None, help="client threads for the served arm (default 8; smoke 2)")
    parser.add_argument("--skip-served", action="store_true", help="in-process arms only")
    parser.add_argument("--prepare-only", action="store_true",
                        help="export the models and stop (`make bench-gpu` runs this in the main venv, which has torch)")
    args = parser.parse_args(argv)
    args.models = [m.strip() for m in args.models.split(",") if m.strip()]
    if unknown := sorted(set(args.models) - set(MODELS)):
        parser.error(f"unknown models {unknown}; choose from {MODELS}")
    defaults = (6, 1, 2) if args.smoke else (400, 10, 8)
    args.val_docs = defaults[0] if args.val_docs is None else args.val_docs
    args.long_docs = defaults[1] if args.long_docs is None else args.long_docs
    args.concurrency = defaults[2] if args.concurrency is None else args.concurrency
    args.out.mkdir(parents=True, exist_ok=True)
    if args.prepare_only:
        for kind in (["tiny"] if args.smoke else args.models):
            folder, origin = model_dir(kind, args.out / "work", args.model_dir)
            print(f"bench-gpu: {kind}: {origin} ({folder})")
        return 0
    rows = run(args)
    meta = {"device": device_name(), "onnxruntime": ort.__version__, "providers": ort.get_available_providers(),
            "documents": max((r.documents for r in rows), default=0), "concurrency": args.concurrency, "smoke": args.smoke}
    (args.out / "gpu_bench.json").write_text(json.dumps({"meta": meta, "rows": [asdict(r) | {"meets": r.meets} for r in rows]}, indent=1) + "\n",
                                             encoding="utf-8")
    (args.out / "gpu_bench.md").write_text(markdown(rows, meta), encoding="utf-8")
    print(markdown(rows, meta))
    print(f"bench-gpu: wrote {args.out / 'gpu_bench.md'}")
    shutil.rmtree(args.out / "work" / "checkpoints", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
