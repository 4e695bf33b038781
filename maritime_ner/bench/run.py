"""`make bench`: throughput of the Triton ensemble against the in-process ceiling and the HF pipeline.

    python -m maritime_ner.bench.run --repository dist/model_repository --checkpoint artifacts/checkpoint \
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

from maritime_ner import paths
from maritime_ner.client.ner_client import MAX_DOCS_PER_REQUEST
from maritime_ner.core import contract
from maritime_ner.repository.exported import FP32_FILE, HF_CONFIG_FILE, graph_precision
from maritime_ner.repository.layout import ModelRepository

from . import corpus, report
from .specs import REFERENCE, TRITON, VARIANTS, ArmSpec, ReferenceVariant, TritonVariant, Variant, select

SAMPLE_INTERVAL_S = 0.1


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


def run_arm(spec: ArmSpec, work: Path) -> dict:
    """Run one arm in a child process; return its phases with each phase's peak memory."""
    spec_path, result_path = work / f"{spec.name}.spec.json", work / f"{spec.name}.result.json"
    spec_path.write_text(spec.to_json(), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(paths.SOURCE_ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
           # tokenizers' batch encoding (and tritonserver's stubs, which inherit this) stay within the budget too
           "RAYON_NUM_THREADS": str(spec.threads)}
    process = subprocess.Popen([sys.executable, "-m", "maritime_ner.bench.arms", str(spec_path), str(result_path)], env=env)
    with RssSampler(process.pid) as sampler:
        code = process.wait()
    if code != 0:
        raise RuntimeError(f"bench arm '{spec.name}' failed with exit code {code}")
    result = json.loads(result_path.read_text(encoding="utf-8"))
    for ph in result["phases"]:
        ph["peak_rss_mb"] = sampler.peak_mb(ph["t0"], ph["t1"])
    result["peak_rss_mb"] = sampler.peak_mb()
    return result


def configure_repo(src: ModelRepository, dst: Path, threads: int, variant: TritonVariant = TRITON) -> ModelRepository:
    """Copy a built repository; set the variant's ner_model threads and instances, buckets and Python steps' instances."""
    repo = src.copy_to(dst)
    configs = {name: repo.config(name) for name in contract.ALL_MODELS[1:]}
    core = configs[contract.ONNX_MODEL]
    built = int(core.parameters["intra_op_thread_count"].string_value or 0)
    # The variant's setting, else the built one; 0 (ONNX Runtime's default: every core) means the budget.
    setting = variant.intra_op if variant.intra_op is not None else built
    core.parameters["intra_op_thread_count"].string_value = str(setting or threads)
    core.parameters["inter_op_thread_count"].string_value = "1"
    if variant.buckets is not None:
        configs[contract.TOKENIZER_MODEL].parameters["buckets"].string_value = variant.buckets
    if variant.model_instances:
        core.instance_group[0].count = variant.model_instances
    if variant.python_instances:
        for name in (contract.TOKENIZER_MODEL, contract.DECODER_MODEL):
            configs[name].instance_group[0].count = variant.python_instances
    for name, config in configs.items():
        repo.write_config(name, config)
    return repo


def request_groups(tokens: Sequence[int], repository: ModelRepository, docs_per_call: int) -> list[list[int]]:
    """Documents grouped into requests of at most ``docs_per_call`` docs and the window cap, in order."""
    from maritime_ner.core.windowing import count_windows

    encoder = repository.encoder()
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


def fp32_graph(repo: ModelRepository, args: argparse.Namespace) -> Path | None:
    """The fp32 graph: the served one when it is fp32, else the export's (None when that is not at hand)."""
    if args.served_precision == "fp32":
        return repo.onnx_path
    return args.fp32_model if args.fp32_model.exists() else None


def variant_graph(args: argparse.Namespace, repo: ModelRepository, variant: ReferenceVariant, work: Path) -> Path | None:
    """The graph file a reference variant runs (None: the repository's own)."""
    if variant.graph == "int8":
        from training.export import quantize_int8

        quantize_int8(repo.onnx_path, work / "model.int8.onnx")
        return work / "model.int8.onnx"
    if variant.graph == "fp32":
        return fp32_graph(repo, args)
    if variant.graph == "fused":
        offline_fusions(fp32_graph(repo, args), work / "model.fused.onnx", args.checkpoint / HF_CONFIG_FILE)
        return work / "model.fused.onnx"
    return None


def reference_spec(args: argparse.Namespace, repo: ModelRepository, variant: ReferenceVariant, tokens: list[int], work: Path) -> ArmSpec:
    """One (b) arm: the repository's graph, or a quantised / offline-fused copy of it, grouped as the variant says."""
    return ArmSpec(variant.kind, variant.name, work / "docs.json", args.threads, repository=repo.root,
                   groups=request_groups(tokens, repo, variant.docs_per_call or args.docs_per_request),
                   model_path=variant_graph(args, repo, variant, work), graph_optimization=variant.graph_optimization)


def triton_spec(args: argparse.Namespace, repo: ModelRepository, variant: TritonVariant, work: Path) -> ArmSpec:
    """One (c) arm: the default over every protocol and concurrency, a variant over gRPC at the highest."""
    sweep = variant.is_default
    return ArmSpec(variant.kind, variant.name, work / "docs.json", args.threads, repository=repo.root,
                   protocols=args.protocols if sweep else ["grpc"], concurrency=args.concurrency if sweep else [max(args.concurrency)],
                   log_path=args.out / "logs" / f"{variant.name}.log")


def arm_specs(args: argparse.Namespace, tokens: list[int], work: Path, variants: Sequence[Variant]) -> list[ArmSpec]:
    """The arms of this run, in the order they run: (a), (b) and its variants, (c) and its variants."""
    built = ModelRepository(args.repository)
    repo = configure_repo(built, work / "repo", args.threads)
    settings = repo.window_settings()
    specs = []
    if not args.skip_hf:
        specs.append(ArmSpec("hf", "hf", work / "docs.json", args.threads, checkpoint=args.checkpoint,
                             window=int(settings["window"]), stride=int(settings["stride"])))
    has_fp32 = fp32_graph(repo, args) is not None
    references = [REFERENCE, *(v for v in variants if isinstance(v, ReferenceVariant) and v.applicable(args.served_precision, has_fp32))]
    specs += [reference_spec(args, repo, v, tokens, work) for v in references]
    (args.out / "logs").mkdir(parents=True, exist_ok=True)
    specs.append(triton_spec(args, repo, TRITON, work))
    specs += [triton_spec(args, configure_repo(built, work / v.name, args.threads, v), v, work)
              for v in variants if isinstance(v, TritonVariant)]
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
                        help=f"all, none, or a comma list of {', '.join(v.name for v in VARIANTS)}")
    parser.add_argument("--skip-hf", action="store_true", help="leave out the Hugging Face pipeline arm")
    args = parser.parse_args(argv)
    if args.threads < 1:
        parser.error("--threads must be >= 1")
    repo = ModelRepository(args.repository)
    if not repo.exists():
        parser.error(f"{args.repository} is not a built repository: run `make build-repo`")
    has_checkpoint = (args.checkpoint / HF_CONFIG_FILE).exists()
    if not args.skip_hf and not has_checkpoint:
        parser.error(f"{args.checkpoint} has no PyTorch checkpoint for the HF pipeline: run `make train` or pass --skip-hf")
    if not has_checkpoint and args.variants == "all":
        args.variants = ",".join(v.name for v in VARIANTS if not v.needs_checkpoint)
    try:
        args.variants_list = select(args.variants)
    except ValueError as err:
        parser.error(str(err))
    if any(p not in ("grpc", "http") for p in args.protocols):
        parser.error("--protocols takes grpc and/or http")
    args.served_precision = graph_precision(repo.onnx_path)
    args.served_instances = {name: sum(g.count for g in repo.config(name).instance_group) for name in contract.ALL_MODELS[1:]}
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    docs = load_docs(args)
    tokens = corpus.count_tokens(docs, ModelRepository(args.repository).tokenizer_file)
    machine = report.machine(args.threads)
    cpu_before = report.cpu_snapshot()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        (work / "docs.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
        results = []
        for spec in arm_specs(args, tokens, work, args.variants_list):
            print(f"bench: running {spec.name} ...", flush=True)
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
    """The run's settings, JSON-friendly (paths as text, variants by name)."""
    return {k: plain(v) for k, v in vars(args).items()}


def plain(value: object) -> object:
    """A setting as JSON takes it."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (ReferenceVariant, TritonVariant)):
        return value.name
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


if __name__ == "__main__":
    sys.exit(main())
