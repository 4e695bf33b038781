"""`make bench`: throughput of the Triton ensemble against the in-process ceiling and the HF pipeline.

    python -m bench.run --repository dist/model_repository --checkpoint artifacts/checkpoint \
        --out reports/bench [--threads 2] [--val-docs 200] [--long-docs 5] [--variants all]

Arms run one after another, each in its own child process (memory is sampled over that
process tree, tritonserver and its stubs included), on the same documents with the same
thread budget: torch threads, ONNX Runtime intra-op threads, ner_model's intra_op_thread_count.
Writes bench.json, bench.md and bench.png to --out.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Sequence

from google.protobuf import text_format

from maritime_ner import paths
from maritime_ner.core import contract
from maritime_ner.repository.exported import FP32_FILE, graph_precision
from maritime_ner.repository.layout import ModelRepository
from maritime_ner.client.ner_client import MAX_DOCS_PER_REQUEST

from . import corpus, report

SAMPLE_INTERVAL_S = 0.1

# Reference (b) variants: the first is the ceiling as the ensemble takes documents (8 per request).
REFERENCE_VARIANTS: dict[str, dict] = {
    "reference_1doc": {"docs_per_call": 1},
    "reference_no_fusions": {"graph_optimization": "ORT_DISABLE_ALL"},
    "reference_int8": {"int8": True},  # when the repository serves fp32 (QUANTIZE=none)
    "reference_fp32": {"fp32": True},  # when it serves the INT8 graph (the CPU default)
    "reference_offline_fusions": {"offline_fusions": True},  # on the fp32 graph
}
# Triton (c) variants, each a server of its own, measured over gRPC at the highest concurrency.
TRITON_VARIANTS: dict[str, dict] = {
    "triton_buckets": {"buckets": "32,64,128,256"},  # the GPU setting; the default has none
    "triton_python_x1": {"python_instances": 1},
    "triton_ort_threads_1": {"intra_op": 1},
}


class RssSampler:
    """Samples the summed RSS of a process and all its descendants in a background thread."""

    def __init__(self, pid: int, interval: float = SAMPLE_INTERVAL_S):
        import psutil

        self.root, self.interval = psutil.Process(pid), interval
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self) -> int:
        """Bytes resident in the tree now (processes that exit mid-read are skipped)."""
        import psutil

        total = 0
        try:
            procs = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return 0
        for proc in procs:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                continue
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.time(), self._rss()))
            self._stop.wait(self.interval)

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def peak_mb(self, t0: float | None = None, t1: float | None = None) -> float:
        """Highest sample in [t0, t1] widened by one interval (the whole run when not given), in MiB."""
        lo = -float("inf") if t0 is None else t0 - self.interval
        hi = float("inf") if t1 is None else t1 + self.interval
        values = [rss for t, rss in self.samples if lo <= t <= hi]
        if not values:  # a phase shorter than the sampling interval: the last sample before it ended
            values = [rss for t, rss in self.samples if t <= hi][-1:]
        return round(max(values or [0]) / 2**20, 1)


def run_arm(spec: dict, work: Path) -> dict:
    """Run one arm in a child process; return its phases with each phase's peak memory."""
    spec_path, result_path = work / f"{spec['name']}.spec.json", work / f"{spec['name']}.result.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(paths.SOURCE_ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
           # tokenizers' batch encoding (and tritonserver's stubs, which inherit this) stay within the budget too
           "RAYON_NUM_THREADS": str(spec["threads"])}
    process = subprocess.Popen([sys.executable, "-m", "maritime_ner.bench.arms", str(spec_path), str(result_path)], env=env)
    with RssSampler(process.pid) as sampler:
        code = process.wait()
    if code != 0:
        raise RuntimeError(f"bench arm '{spec['name']}' failed with exit code {code}")
    result = json.loads(result_path.read_text(encoding="utf-8"))
    for ph in result["phases"]:
        ph["peak_rss_mb"] = sampler.peak_mb(ph["t0"], ph["t1"])
    result["peak_rss_mb"] = sampler.peak_mb()
    return result


def configure_repo(src: Path, dst: Path, threads: int, buckets: str | None = None,
                   python_instances: int | None = None, intra_op: int | None = None) -> Path:
    """Copy a built repository and set ner_model's threads, the tokenizer's buckets, the Python steps' instances."""
    shutil.copytree(src, dst)
    configs = {name: read_config(dst, name) for name in contract.ALL_MODELS[1:]}
    core = configs[contract.ONNX_MODEL]
    core.parameters["intra_op_thread_count"].string_value = str(intra_op or threads)
    core.parameters["inter_op_thread_count"].string_value = "1"
    if buckets is not None:
        configs[contract.TOKENIZER_MODEL].parameters["buckets"].string_value = buckets
    if python_instances:
        for name in (contract.TOKENIZER_MODEL, contract.DECODER_MODEL):
            configs[name].instance_group[0].count = python_instances
    for name, config in configs.items():
        (dst / name / "config.pbtxt").write_text(text_format.MessageToString(config), encoding="utf-8")
    return dst


def read_config(repository: Path, name: str):
    """One model's parsed config.pbtxt."""
    from maritime_ner.repository.configs import parse_config

    return parse_config(repository / name / "config.pbtxt")


def request_groups(tokens: Sequence[int], repository: Path, docs_per_call: int) -> list[list[int]]:
    """Documents grouped into requests of at most ``docs_per_call`` docs and the window cap, in order."""
    from maritime_ner.core.windowing import count_windows

    encoder = ModelRepository(repository).encoder()
    groups: list[list[int]] = []
    windows = 0
    for i, n in enumerate(tokens):
        w = count_windows(n, encoder.spec)
        if not groups or len(groups[-1]) >= docs_per_call or windows + w > encoder.max_windows:
            groups.append([])
            windows = 0
        groups[-1].append(i)
        windows += w
    return groups


def offline_fusions(src: Path, dst: Path, model_config: Path) -> None:
    """onnxruntime.transformers' BERT optimizer (fused Attention, SkipLayerNorm, BiasGelu) written to ``dst``."""
    from onnxruntime.transformers import optimizer

    config = json.loads(model_config.read_text(encoding="utf-8"))  # it cannot detect heads/hidden on this export
    model = optimizer.optimize_model(str(src), model_type="bert", num_heads=config["num_attention_heads"],
                                     hidden_size=config["hidden_size"], opt_level=0)
    model.save_model_to_file(str(dst))


def load_docs(args: argparse.Namespace) -> list[dict]:
    """The documents for this run (a JSONL file, or dev + validation + long)."""
    if args.docs:
        return corpus.read_jsonl(args.docs)
    return corpus.build_corpus(args.dev_file, args.val_docs, args.long_docs)


def selected(names: str, known: Sequence[str]) -> list[str]:
    """Variant names from --variants (all, none, or a comma list)."""
    if names == "all":
        return list(known)
    if names == "none":
        return []
    chosen = [n.strip() for n in names.split(",") if n.strip()]
    unknown = sorted(set(chosen) - set(known))
    if unknown:
        raise ValueError(f"unknown variants {unknown}; choose from {', '.join(known)}")
    return chosen


def reference_spec(args: argparse.Namespace, base: dict, name: str, options: dict, tokens: list[int], work: Path) -> dict:
    """One (b) arm: the repository's graph, or a quantised / offline-fused copy of it."""
    repo = Path(base["repository"])
    spec = {**base, "name": name, "groups": request_groups(tokens, repo, options.get("docs_per_call", args.docs_per_request))}
    if "graph_optimization" in options:
        spec["graph_optimization"] = options["graph_optimization"]
    graph = repo / contract.ONNX_MODEL / "1" / contract.ONNX_FILE
    fp32_graph = graph if args.served_precision == "fp32" else args.fp32_model
    if options.get("int8"):
        from training.export import quantize_int8

        spec["model_path"] = str(work / "model.int8.onnx")
        quantize_int8(graph, Path(spec["model_path"]))
    if options.get("fp32"):
        spec["model_path"] = str(fp32_graph)
    if options.get("offline_fusions"):
        spec["model_path"] = str(work / "model.fused.onnx")
        offline_fusions(fp32_graph, Path(spec["model_path"]), args.checkpoint / "config.json")
    return spec


def applicable(variant: str, args: argparse.Namespace) -> bool:
    """Whether a reference variant makes sense for the served graph (and its fp32 source is at hand)."""
    served_fp32 = args.served_precision == "fp32"
    if variant == "reference_int8":
        return served_fp32
    if variant == "reference_fp32":
        return not served_fp32 and args.fp32_model.exists()
    if variant == "reference_offline_fusions":
        return served_fp32 or args.fp32_model.exists()
    return True


def arm_specs(args: argparse.Namespace, tokens: list[int], work: Path, variants: list[str]) -> list[dict]:
    """The arms of this run, in the order they run: (a), (b) and its variants, (c) and its variants."""
    repo = configure_repo(args.repository, work / "repo", args.threads)
    settings = ModelRepository(repo).window_settings()
    base = {"docs_path": str(work / "docs.json"), "threads": args.threads}
    specs = []
    if not args.skip_hf:
        specs.append({**base, "arm": "hf", "name": "hf", "checkpoint": str(args.checkpoint),
                      "window": settings["window"], "stride": settings["stride"]})
    reference = {**base, "arm": "reference", "repository": str(repo)}
    specs.append(reference_spec(args, reference, "reference", {}, tokens, work))
    specs += [reference_spec(args, reference, v, REFERENCE_VARIANTS[v], tokens, work)
              for v in variants if v in REFERENCE_VARIANTS and applicable(v, args)]
    logs = args.out / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    triton = {**base, "arm": "triton"}
    specs.append({**triton, "name": "triton", "repository": str(repo), "protocols": args.protocols,
                  "concurrency": args.concurrency, "log_path": str(logs / "triton.log")})
    for name in [v for v in variants if v in TRITON_VARIANTS]:
        variant_repo = configure_repo(args.repository, work / name, args.threads, **TRITON_VARIANTS[name])
        specs.append({**triton, "name": name, "repository": str(variant_repo), "protocols": ["grpc"],
                      "concurrency": [max(args.concurrency)], "log_path": str(logs / f"{name}.log")})
    return specs


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(allow_abbrev=False, prog="python -m maritime_ner.bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--repository", type=Path, default=paths.REPO_OUT, help="built repository (make build-repo)")
    parser.add_argument("--checkpoint", type=Path, default=paths.CHECKPOINT_DIR, help="PyTorch weights for the HF pipeline")
    parser.add_argument("--fp32-model", type=Path, default=paths.MODEL_DIR / FP32_FILE,
                        help="the fp32 graph, for the fp32 and offline-fusion arms when the repository serves INT8")
    parser.add_argument("--out", type=Path, default=paths.REPORTS / "bench")
    parser.add_argument("--threads", type=int, default=2, help="thread budget of every arm")
    parser.add_argument("--dev-file", type=Path, default=paths.resource(paths.DEV_SET))
    parser.add_argument("--val-docs", type=int, default=200, help="generated validation documents")
    parser.add_argument("--long-docs", type=int, default=5, help="generated 1,000-5,000-word dossiers")
    parser.add_argument("--docs", type=Path, default=None, help="a JSONL of {text, entities} to use instead")
    parser.add_argument("--docs-per-request", type=int, default=MAX_DOCS_PER_REQUEST,
                        help="documents per in-process call for the reference (the ensemble's max_batch_size)")
    parser.add_argument("--protocols", type=lambda s: s.split(","), default=["grpc", "http"])
    parser.add_argument("--concurrency", type=lambda s: [int(x) for x in s.split(",")], default=[1, 4, 16])
    parser.add_argument("--variants", default="all",
                        help=f"all, none, or a comma list of {', '.join([*REFERENCE_VARIANTS, *TRITON_VARIANTS])}")
    parser.add_argument("--skip-hf", action="store_true", help="leave out the Hugging Face pipeline arm")
    args = parser.parse_args(argv)
    if args.threads < 1:
        parser.error("--threads must be >= 1")
    if not (args.repository / contract.ENSEMBLE / "config.pbtxt").exists():
        parser.error(f"{args.repository} is not a built repository: run `make build-repo`")
    if not args.skip_hf and not (args.checkpoint / "config.json").exists():
        parser.error(f"{args.checkpoint} has no PyTorch checkpoint for the HF pipeline: run `make train` or pass --skip-hf")
    if not (args.checkpoint / "config.json").exists() and args.variants == "all":
        args.variants = ",".join(v for v in [*REFERENCE_VARIANTS, *TRITON_VARIANTS] if v != "reference_offline_fusions")
    try:
        args.variants_list = selected(args.variants, [*REFERENCE_VARIANTS, *TRITON_VARIANTS])
    except ValueError as err:
        parser.error(str(err))
    if any(p not in ("grpc", "http") for p in args.protocols):
        parser.error("--protocols takes grpc and/or http")
    args.served_precision = graph_precision(ModelRepository(args.repository).onnx_path)
    args.served_instances = {name: sum(g.count for g in read_config(args.repository, name).instance_group)
                             for name in contract.ALL_MODELS[1:]}
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    docs = load_docs(args)
    tokens = corpus.count_tokens(docs, args.repository / contract.TOKENIZER_MODEL / "1" / contract.TOKENIZER_FILE)
    machine = report.machine(args.threads)
    cpu_before = report.cpu_snapshot()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        (work / "docs.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
        results = []
        for spec in arm_specs(args, tokens, work, args.variants_list):
            print(f"bench: running {spec['name']} ...", flush=True)
            results.append(run_arm(spec, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    machine["load_average_after"] = list(os.getloadavg())
    machine["other_cpu_share"] = report.other_cpu_share(cpu_before, report.cpu_snapshot())
    summary = report.summarize(results, docs, tokens, machine, vars_for_json(args))
    report.write(summary, args.out)
    print(report.headline(summary))
    print(f"bench: wrote {args.out / 'bench.json'}, bench.md, bench.png")
    return 0


def vars_for_json(args: argparse.Namespace) -> dict:
    """The run's settings, JSON-friendly."""
    return {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}


if __name__ == "__main__":
    sys.exit(main())
