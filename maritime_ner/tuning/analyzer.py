"""`make profile`: Model Analyzer configs and perf_analyzer input data, generated from the build's names.

Two searches run against a built repository with the local tritonserver:

* ``ensemble``: the ``ner`` ensemble with its composing models (quick search), one document per
  request, so throughput is documents/s and p99 is per document;
* ``core``: ``ner_model`` alone (manual brute sweep of preferred batch sizes, queue delay,
  instance count and max batch size), fed real windows of real documents.

Nothing here hard-codes a path: the repository, the output folder and the tools come from the
arguments and from ``maritime_ner.serving.local_triton``; model and tensor names from the contract.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from maritime_ner.core import contract
from maritime_ner.serving import local_triton
from maritime_ner import paths
from maritime_ner.repository.layout import ModelRepository
from maritime_ner.core.tokenization import DocumentEncoder

DEV_SET = paths.resource(paths.DEV_SET)
LIBB64 = "libb64.so.0d"

# The design's targets: p99 latency per document and documents per second.
MAX_P99_MS = 100
MIN_THROUGHPUT = 100
# Throughput first, latency weighted (Model Analyzer normalises the weights).
OBJECTIVES = {"perf_throughput": 3, "perf_latency_p99": 1}
SEARCHES = ("core", "ensemble")


@dataclass(frozen=True)
class Sweep:
    """How wide a search is: the CPU quick search, the GPU full search, or the test's minimal one."""

    name: str
    concurrency: tuple[int, ...]
    queue_delays_us: tuple[int, ...]
    preferred: tuple[tuple[int, ...], ...]
    instance_counts: tuple[int, ...]
    batch_size_factors: tuple[int, ...]  # max_batch_size candidates, in multiples of max_windows
    request_count: int  # requests per perf_analyzer measurement window
    stability_pct: int
    max_instance_count: int
    max_concurrency: int
    ensemble_concurrency: int = 0  # 0: quick search picks the load, then sweeps it for the reports
    gpu: bool = False


SWEEPS = {
    # Finishes within 10 minutes on 2 shared CPU cores.
    "quick": Sweep("quick", (8,), (1000, 10000), ((8, 16),), (1, 2), (1,), 40, 100, 2, 16, 4),
    # For a GPU host (native onnxruntime backend, KIND_GPU core): the full grid.
    # 54 core configs x 3 loads, then the ensemble's quick search with its concurrency sweep.
    "full": Sweep(
        "full", (8, 32, 128), (0, 2000, 10000), ((8, 16), (32, 64), (64, 128)), (1, 2, 3), (1, 2),
        200, 10, 4, 256, gpu=True,
    ),
    # The test's end-to-end check: one swept core config (plus the default), one concurrency, short windows.
    "minimal": Sweep("minimal", (4,), (8000,), ((4, 8),), (1,), (1,), 30, 100, 1, 4, 4),
}


def max_windows(repo: Path) -> int:
    """Most windows one request may carry, as the build wrote it into the tokenizer's config (never re-typed)."""
    return ModelRepository(repo).max_windows


def dev_texts(path: Path = DEV_SET) -> list[str]:
    """Texts of the hand-written dev set (Label Studio tasks)."""
    if not path.exists():
        return []
    return [task["data"]["text"] for task in json.loads(path.read_text(encoding="utf-8"))]


def documents(extra: Sequence[Path] = (), dev_path: Path = DEV_SET) -> list[str]:
    """Realistic documents: the shipped dev set, then the texts of each ``extra`` JSONL file (``make profile``
    adds validation-style generated documents and long dossiers)."""
    texts = dev_texts(dev_path)
    for path in extra:
        with open(path, encoding="utf-8") as handle:
            texts += [json.loads(line)["text"] for line in handle if line.strip()]
    return texts


def spread_longest(texts: Sequence[str], seed: int = 0, every: int = 25) -> list[str]:
    """Shuffle, with the longest 1-in-``every`` documents spaced evenly from the start.

    perf_analyzer walks the input data in order, so a short measurement on a slow model only
    sees the first entries: long documents must not all sit at the end.
    """
    ranked = sorted(texts, key=len, reverse=True)
    count = max(1, len(ranked) // every)
    longest, rest = ranked[:count], ranked[count:]
    random.Random(seed).shuffle(rest)
    gap = len(rest) // count
    out: list[str] = []
    for i, text in enumerate(longest):
        out += [text, *rest[i * gap : (i + 1) * gap]]
    return out + rest[count * gap :]


def encoder_for(repo: Path) -> DocumentEncoder:
    """The served tokenizer step, exactly as the built repository configures it."""
    return ModelRepository(repo).encoder()


def ensemble_input_data(texts: Sequence[str], encoder: DocumentEncoder) -> dict:
    """perf_analyzer JSON for the ensemble: one document per request (those the server accepts)."""
    rows = []
    for text in spread_longest(texts):
        try:
            contract.check_length([text], encoder.max_chars)
            encoder.encode([text])
        except contract.InvalidRequest:
            continue
        rows.append({contract.TEXT: {"content": [text], "shape": [1]}})
    return {"data": rows}


def core_input_data(texts: Sequence[str], encoder: DocumentEncoder, limit: int = 400) -> dict:
    """perf_analyzer JSON for ner_model: the real windows (bucket-padded) the tokenizer sends it."""
    rows = []
    for text in texts:
        try:
            batch = encoder.encode([text])
        except contract.InvalidRequest:
            continue
        seq = int(batch.input_ids.shape[1])
        for ids, mask in zip(batch.input_ids, batch.attention_mask):
            rows.append({
                contract.INPUT_IDS: {"content": ids.tolist(), "shape": [seq]},
                contract.ATTENTION_MASK: {"content": mask.tolist(), "shape": [seq]},
            })
    # Windows are independent requests to the core: shuffle so every length is met early.
    random.Random(0).shuffle(rows)
    return {"data": rows[:limit]}


@dataclass(frozen=True)
class Tools:
    """The tritonserver, backend folder and perf_analyzer Model Analyzer launches (local launch mode)."""

    tritonserver: Path
    backend_directory: Path
    perf_analyzer: Path

    @classmethod
    def local(cls, tritonserver: Path | None = None, backend_directory: Path | None = None) -> "Tools":
        """This machine's tools (nvidia-pytriton's server, .triton/backends), unless given."""
        return cls(
            tritonserver or local_triton.pytriton_root() / "bin" / "tritonserver",
            backend_directory or local_triton.prepare_backends(),
            Path(sys.executable).parent / "perf_analyzer",
        )


def server_settings(out: Path, tools: Tools) -> dict:
    """Model Analyzer's local-launch settings: tools, free ports, environment."""
    env = local_triton.server_env()
    return {
        "triton_launch_mode": "local",
        "triton_server_path": str(tools.tritonserver),
        "triton_http_endpoint": f"localhost:{local_triton.free_port()}",
        "triton_grpc_endpoint": f"localhost:{local_triton.free_port()}",
        "triton_metrics_url": f"http://localhost:{local_triton.free_port()}/metrics",
        "triton_output_path": str(out / "tritonserver.log"),
        "triton_server_flags": {"backend_directory": str(tools.backend_directory)},
        # Also handed to perf_analyzer: it needs libb64 and libcudart from the same folders.
        "triton_server_environment": {"LD_LIBRARY_PATH": env["LD_LIBRARY_PATH"], "PATH": env["PATH"]},
        "perf_analyzer_path": str(tools.perf_analyzer),
    }


def common_config(repo: Path, out: Path, sweep: Sweep, tools: Tools) -> dict:
    """Settings both searches share: repository, output folders, targets, reports."""
    return {
        "model_repository": str(repo.resolve()),
        "export_path": str(out),
        "checkpoint_directory": str(out / "checkpoints"),
        "output_model_repository_path": str(out / "output_model_repository"),
        "override_output_model_repository": True,
        "client_protocol": "grpc",
        "objectives": dict(OBJECTIVES),
        "constraints": {"perf_latency_p99": {"max": MAX_P99_MS}, "perf_throughput": {"min": MIN_THROUGHPUT}},
        "perf_output": False,
        "run_config_search_max_concurrency": sweep.max_concurrency,
        **server_settings(out, tools),
    }


def perf_flags(input_json: Path, sweep: Sweep) -> dict:
    """perf_analyzer flags: real input data, short count windows, loose stability on shared cores."""
    return {
        "input-data": str(input_json),
        # Count windows adapt to the model's speed: a window never ends before a long document does.
        "measurement-mode": "count_windows",
        "measurement-request-count": sweep.request_count,
        "stability-percentage": sweep.stability_pct,
        "max-trials": 6,
    }


def core_config(repo: Path, out: Path, input_json: Path, sweep: Sweep, windows: int, tools: Tools) -> dict:
    """Manual sweep of ner_model alone; max_batch_size never below the windows one request may carry."""
    kind = "KIND_GPU" if sweep.gpu else "KIND_CPU"
    config = common_config(repo, out, sweep, tools)
    config.update({
        "run_config_search_disable": True,
        "profile_models": {
            contract.ONNX_MODEL: {
                "cpu_only": not sweep.gpu,
                "parameters": {"batch_sizes": [1], "concurrency": list(sweep.concurrency)},
                "model_config_parameters": {
                    "max_batch_size": [windows * f for f in sweep.batch_size_factors],
                    "dynamic_batching": {
                        "preferred_batch_size": [list(p) for p in sweep.preferred],
                        "max_queue_delay_microseconds": list(sweep.queue_delays_us),
                    },
                    "instance_group": [[{"kind": kind, "count": n}] for n in sweep.instance_counts],
                },
                "perf_analyzer_flags": perf_flags(input_json, sweep),
            }
        },
    })
    return config


def ensemble_config(repo: Path, out: Path, input_json: Path, sweep: Sweep, windows: int, tools: Tools) -> dict:
    """Quick search of the ensemble and its steps; the core's batch size is held at or above max_windows."""
    cpu_steps = [contract.TOKENIZER_MODEL, contract.DECODER_MODEL]
    if not sweep.gpu:
        cpu_steps.append(contract.ONNX_MODEL)
    config = common_config(repo, out, sweep, tools)
    config.update({
        "run_config_search_mode": "quick",
        "cpu_only_composing_models": cpu_steps,
        "run_config_search_min_model_batch_size": windows,
        "run_config_search_max_model_batch_size": windows * max(sweep.batch_size_factors),
        "run_config_search_max_instance_count": sweep.max_instance_count,
        "profile_models": {
            contract.ENSEMBLE: {
                "parameters": {"batch_sizes": [1]},  # one document per request: infer/s == documents/s
                "perf_analyzer_flags": perf_flags(input_json, sweep),
            }
        },
    })
    if sweep.ensemble_concurrency:
        # Quick search takes no concurrency list: pin its computed load, and skip the report sweep.
        config["run_config_search_min_concurrency"] = config["run_config_search_max_concurrency"] = sweep.ensemble_concurrency
        config["concurrency_sweep_disable"] = True
    return config


def write_search(search: str, repo: Path, out: Path, sweep: Sweep, texts: Sequence[str], windows: int, tools: Tools) -> Path:
    """Write one search's input data and YAML config into ``out`` (a fresh folder); returns the YAML."""
    import yaml

    if out.exists():
        shutil.rmtree(out)  # every run starts from a fresh checkpoint folder
    out.mkdir(parents=True)
    encoder = encoder_for(repo)
    input_json = out / "input_data.json"
    if search == "core":
        data, config = core_input_data(texts, encoder), core_config
    else:
        data, config = ensemble_input_data(texts, encoder), ensemble_config
    input_json.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    path = out / "config.yaml"
    path.write_text(yaml.safe_dump(config(repo, out.resolve(), input_json.resolve(), sweep, windows, tools), sort_keys=False), encoding="utf-8")
    return path


def link_libb64(lib_dir: Path | None = None) -> Path:
    """Make perf_analyzer's libb64.so.0d available: link the copy shipped in the pytriton wheel."""
    lib_dir = lib_dir or paths.state_dir("lib")
    target = lib_dir / LIBB64
    if target.exists():
        return target
    libs = local_triton.pytriton_root().parent.parent / "nvidia_pytriton.libs"
    found = sorted(libs.glob("libb64*.so.0d"))
    lib_dir.mkdir(parents=True, exist_ok=True)
    if found:
        target.unlink(missing_ok=True)  # a dangling link from an older venv
        target.symlink_to(found[0])
        return target
    return fetch_libb64_deb(lib_dir)


def fetch_libb64_deb(lib_dir: Path) -> Path:
    """Fallback: the Debian package libb64-0d, downloaded and unpacked without installing."""
    work = lib_dir / "deb"
    work.mkdir(parents=True, exist_ok=True)
    subprocess.run(["apt-get", "download", "libb64-0d"], cwd=work, check=True)
    deb = next(work.glob("libb64-0d_*.deb"))
    subprocess.run(["dpkg-deb", "-x", str(deb), str(work / "root")], check=True)
    lib = next((work / "root").rglob(LIBB64))
    shutil.copy2(lib, lib_dir / LIBB64)
    return lib_dir / LIBB64


def run_analyzer(config: Path, log: Path) -> None:
    """Run ``model-analyzer profile -f config`` (its log to ``log``); a failure names the log."""
    command = [str(Path(sys.executable).parent / "model-analyzer"), "profile", "-f", str(config)]
    env = local_triton.server_env()
    with open(log, "wb") as handle:
        result = subprocess.run(command, env=env, stdout=handle, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"model-analyzer failed ({result.returncode}); see {log}")


def profile(repo: Path, out: Path, sweep: Sweep, searches: Sequence[str], texts: Sequence[str], tools: Tools) -> dict[str, Path]:
    """Run the searches into a fresh ``out``; returns each search's export folder (results/, reports/, plots/)."""
    link_libb64()
    windows = max_windows(repo)
    if out.exists():
        shutil.rmtree(out)  # no stale search from an earlier run reaches `make tune`
    done = {}
    for search in searches:
        folder = out / search
        config = write_search(search, repo, folder, sweep, texts, windows, tools)
        print(f"profile: {search}: model-analyzer -f {config}", flush=True)
        run_analyzer(config, folder / "model_analyzer.log")
        done[search] = folder
    return done


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command line of ``python -m maritime_ner.tuning.analyzer``."""
    parser = argparse.ArgumentParser(allow_abbrev=False, prog="python -m maritime_ner.tuning.analyzer", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("libs", help=f"provide {LIBB64} for perf_analyzer in .triton/lib")
    for name, help_text in (("generate", "write configs and input data only"), ("profile", "generate and run model-analyzer")):
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("--repository", type=Path, required=True, help="built model repository (make build-repo)")
        cmd.add_argument("--out", type=Path, required=True, help="export folder, e.g. reports/analyzer")
        cmd.add_argument("--sweep", choices=sorted(SWEEPS), default="quick")
        cmd.add_argument("--searches", nargs="+", choices=SEARCHES, default=list(SEARCHES))
        cmd.add_argument("--documents", type=Path, action="append", default=[], metavar="JSONL",
                         help="more documents besides the shipped dev set (repeatable; `make profile` adds generated ones)")
        cmd.add_argument("--tritonserver", type=Path, default=None, help="tritonserver binary (default: nvidia-pytriton's)")
        cmd.add_argument("--backend-directory", type=Path, default=None, help="backends folder (default: .triton/backends)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.command == "libs":
        print(f"perf_analyzer library: {link_libb64()}")
        return 0
    if not ModelRepository(args.repository).exists():
        print(f"profile: error: {args.repository} is not a built repository: run `make build-repo`", file=sys.stderr)
        return 1
    sweep = SWEEPS[args.sweep]
    tools = Tools.local(args.tritonserver, args.backend_directory)
    texts = documents(args.documents)
    if args.command == "generate":
        windows = max_windows(args.repository)
        for search in args.searches:
            link_libb64()
            print(write_search(search, args.repository, args.out / search, sweep, texts, windows, tools))
        return 0
    try:
        done = profile(args.repository, args.out, sweep, args.searches, texts, tools)
    except RuntimeError as err:
        print(f"profile: error: {err}", file=sys.stderr)
        return 1
    for search, folder in done.items():
        print(f"profile: {search}: {folder / 'results' / 'metrics-model-inference.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
