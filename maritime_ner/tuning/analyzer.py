"""`make profile`: Model Analyzer configs from the YAML templates in analyzer_configs/, and perf_analyzer input data.

Two searches run against a built repository with the local tritonserver:

* ``ensemble``: the ``ner`` ensemble with its composing models (quick search), one document per
  request, so throughput is documents/s and p99 is per document;
* ``core``: ``ner_model`` alone (manual brute sweep of preferred batch sizes, queue delay,
  instance count and max batch size), fed real windows of real documents.

Each sweep (``quick``, ``full``, ``minimal``) is one YAML template per search in analyzer_configs/
(README.md there). Everything a user tunes (targets, objectives, search mode, sweep values,
perf_analyzer flags) is read from the template as written; only this machine's values, written
``${name}`` (server, backend folder, library path, ports, output folders, input data), are filled
in here, on the parsed YAML, before the result is written to the run folder and run.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from maritime_ner.core import contract
from maritime_ner.serving import local_triton
from maritime_ner import paths
from maritime_ner.repository.layout import ModelRepository
from maritime_ner.core.tokenization import DocumentEncoder

DEV_SET = paths.resource(paths.DEV_SET)
LIBB64 = "libb64.so.0d"
OUTPUT_REPO = "output_model_repository"  # under each search's folder; `make tune` reads the variants there
CONFIG_NAME = "config.yaml"



@dataclass(frozen=True)
class Targets:
    """What a profile run aims at: its constraints (p99 ms, throughput) and objective weights."""

    max_p99_ms: float
    min_throughput: float
    objectives: dict

    @classmethod
    def of(cls, config: dict, source: str, default: "Targets | None" = None) -> "Targets":
        """The targets a Model Analyzer config states; what it leaves out comes from ``default``."""
        constraints = config.get("constraints") or {}
        try:
            p99 = constraints.get("perf_latency_p99", {}).get("max", default and default.max_p99_ms)
            throughput = constraints.get("perf_throughput", {}).get("min", default and default.min_throughput)
            objectives = config.get("objectives") or (default and default.objectives)
            return cls(float(p99), float(throughput), dict(objectives))
        except (AttributeError, TypeError, ValueError):
            raise AnalyzerConfigError(
                f"{source}: needs numbers at constraints.perf_latency_p99.max and constraints.perf_throughput.min, "
                "and an objectives mapping"
            ) from None

    @classmethod
    def of_file(cls, path: Path, default: "Targets | None" = None) -> "Targets":
        """The targets of a YAML config file."""
        import yaml

        return cls.of(yaml.safe_load(path.read_text(encoding="utf-8")) or {}, str(path), default)

    def describe(self) -> str:
        """The constraints in words."""
        return f"p99 <= {self.max_p99_ms:g} ms and >= {self.min_throughput:g}/s"

    def as_config(self) -> dict:
        """The ``constraints`` block Model Analyzer reads."""
        return {"perf_latency_p99": {"max": self.max_p99_ms}, "perf_throughput": {"min": self.min_throughput}}

# The model each search profiles, and each sweep's template per search (files in analyzer_configs/).
SEARCH_MODELS = {"core": contract.ONNX_MODEL, "ensemble": contract.ENSEMBLE}
SEARCHES = tuple(SEARCH_MODELS)
TEMPLATES: dict[str, dict[str, str]] = {
    "quick": {"core": "core_sweep.yaml", "ensemble": "ensemble_quick.yaml"},  # this CPU machine, < 10 min
    "full": {"core": "gpu_full_core.yaml", "ensemble": "gpu_full_ensemble.yaml"},  # a GPU host
    "minimal": {"core": "minimal_core.yaml", "ensemble": "minimal_ensemble.yaml"},  # the tests' end-to-end check
}
# A machine value in a template: a key's whole value written ${name}.
PLACEHOLDER = re.compile(r"\$\{(\w*)\}")
# Keys a filled config must have: without them Model Analyzer would profile the wrong server,
# reuse an old checkpoint or write outside the run folder.
REQUIRED_KEYS = ("model_repository", "export_path", "checkpoint_directory", "output_model_repository_path", "triton_server_path")


class AnalyzerConfigError(ValueError):
    """A template or user config that cannot be filled or run; the message names the file and the key."""


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


def design_targets() -> Targets:
    """The design's targets (p99 per document, documents/s), as the default sweep's core template states them."""
    return Targets.of_file(template_path("quick", "core"))


def template_path(sweep: str, search: str) -> Path:
    """The shipped template of one sweep's search (analyzer_configs/<file>)."""
    if sweep not in TEMPLATES:
        raise AnalyzerConfigError(f"unknown sweep '{sweep}' (known: {', '.join(sorted(TEMPLATES))})")
    if search not in TEMPLATES[sweep]:
        raise AnalyzerConfigError(f"unknown search '{search}' (known: {', '.join(SEARCHES)})")
    return paths.resource(paths.ANALYZER_CONFIGS) / TEMPLATES[sweep][search]


def chosen_templates(sweep: str, searches: Sequence[str], configs: Sequence[Path] = ()) -> list[Path]:
    """One config per search: the user's ``--config`` for the search it profiles, else the sweep's template."""
    mine: dict[str, Path] = {}
    for path in configs:
        search = search_of(load_config(path), path)
        if search in mine:
            raise AnalyzerConfigError(f"{path}: a second config for the {search} search (one config per search)")
        mine[search] = path
    for search, path in mine.items():
        if search not in searches:
            raise AnalyzerConfigError(f"{path} profiles the {search} search, which --searches {' '.join(searches)} leaves out")
    return [mine.get(search) or template_path(sweep, search) for search in searches]


def load_config(path: Path) -> dict:
    """A Model Analyzer YAML config (template or filled), parsed; a clear error when it is not a mapping."""
    import yaml

    try:
        config = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise AnalyzerConfigError(f"{path}: cannot read it as YAML: {err}") from err
    if not isinstance(config, dict):
        raise AnalyzerConfigError(f"{path}: expected a mapping of Model Analyzer options, got {type(config).__name__}")
    return config


def profiled_models(config: dict) -> list[str]:
    """Model names under ``profile_models`` (a mapping, a list or a comma-separated string)."""
    models = config.get("profile_models")
    if isinstance(models, dict):
        return list(models)
    if isinstance(models, list):
        return [str(m) for m in models]
    if isinstance(models, str):
        return [m.strip() for m in models.split(",") if m.strip()]
    return []


def search_of(config: dict, source: Path) -> str:
    """Which search a config runs (``core`` or ``ensemble``), from the one model it profiles."""
    models = profiled_models(config)
    for search, model in SEARCH_MODELS.items():
        if models == [model]:
            return search
    expected = " or ".join(SEARCH_MODELS.values())
    raise AnalyzerConfigError(f"{source}: profile_models must name exactly one model, {expected}; it names {models or 'none'}")


def machine_values(repo: Path, folder: Path, input_json: Path, tools: Tools) -> dict[str, str]:
    """This machine's value for every placeholder: tools, library path, free ports, the run folder's paths."""
    env = local_triton.server_env()
    return {
        "model_repository": str(repo.resolve()),
        "export_path": str(folder),
        "checkpoint_directory": str(folder / "checkpoints"),
        "output_model_repository_path": str(folder / OUTPUT_REPO),
        "triton_output_path": str(folder / "tritonserver.log"),
        "triton_server_path": str(tools.tritonserver),
        "backend_directory": str(tools.backend_directory),
        "ld_library_path": env["LD_LIBRARY_PATH"],
        "path": env["PATH"],
        "perf_analyzer_path": str(tools.perf_analyzer),
        "input_data": str(input_json),
        "triton_http_endpoint": f"localhost:{local_triton.free_port()}",
        "triton_grpc_endpoint": f"localhost:{local_triton.free_port()}",
        "triton_metrics_url": f"http://localhost:{local_triton.free_port()}/metrics",
    }


def fill(node: Any, values: dict[str, str], source: Path, key: str = "") -> Any:
    """``node`` with every ``${name}`` value replaced by ``values[name]``; unknown or partial placeholders fail."""
    if isinstance(node, dict):
        return {k: fill(v, values, source, f"{key}.{k}" if key else str(k)) for k, v in node.items()}
    if isinstance(node, list):
        return [fill(v, values, source, f"{key}[{i}]") for i, v in enumerate(node)]
    if not isinstance(node, str) or "${" not in node:
        return node
    match = PLACEHOLDER.fullmatch(node)
    if match is None:
        raise AnalyzerConfigError(f"{source}: {key}: '{node}': a placeholder must be the key's whole value, written ${{name}}")
    if match.group(1) not in values:
        raise AnalyzerConfigError(
            f"{source}: {key}: unknown placeholder '{node}' (known: {', '.join(f'${{{n}}}' for n in sorted(values))})"
        )
    return values[match.group(1)]


def batch_sizes(value: Any, source: Path, key: str) -> list[int]:
    """A sweep's batch-size value (a number or a list of them) as a list; anything else fails."""
    sizes = value if isinstance(value, list) else [value]
    if not sizes or not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in sizes):
        raise AnalyzerConfigError(f"{source}: {key}: expected positive integers, got {value!r}")
    return sizes


def floor_core_batch(config: dict, windows: int, source: Path) -> None:
    """Keep the core's batch sizes at or above ``windows`` (one request's windows fit in one batch), in place."""
    # A manual sweep's smaller max_batch_size values are dropped; a search's minimum is raised. Nothing left fails.
    models = config.get("profile_models")
    for model, spec in (models.items() if isinstance(models, dict) else ()):
        params = (spec or {}).get("model_config_parameters") or {}
        if "max_batch_size" not in params:
            continue
        key = f"profile_models.{model}.model_config_parameters.max_batch_size"
        sizes = batch_sizes(params["max_batch_size"], source, key)
        kept = [s for s in sizes if s >= windows]
        if not kept:
            raise AnalyzerConfigError(
                f"{source}: {key} {sizes}: every value is below the built repository's max_windows {windows} "
                f"(one request's windows must fit in one batch): list at least one value >= {windows}"
            )
        if kept != sizes:
            print(f"profile: {source.name}: max_batch_size {sorted(set(sizes) - set(kept))} dropped: below max_windows {windows}")
        params["max_batch_size"] = kept
    if config.get("run_config_search_disable"):
        return
    low = batch_sizes(config.get("run_config_search_min_model_batch_size", 1), source, "run_config_search_min_model_batch_size")[0]
    config["run_config_search_min_model_batch_size"] = max(low, windows)
    if "run_config_search_max_model_batch_size" in config:
        high = batch_sizes(config["run_config_search_max_model_batch_size"], source, "run_config_search_max_model_batch_size")[0]
        if high < windows:
            raise AnalyzerConfigError(
                f"{source}: run_config_search_max_model_batch_size {high} is below the built repository's "
                f"max_windows {windows} (one request's windows must fit in one batch): raise it to at least {windows}"
            )


def check_filled(config: dict, source: Path) -> None:
    """Fail unless the filled config names the run's server, repository and fresh folders, and real input data."""
    missing = [k for k in REQUIRED_KEYS if not config.get(k)]
    if missing:
        raise AnalyzerConfigError(f"{source}: missing {', '.join(missing)}: add e.g. `{missing[0]}: ${{{missing[0]}}}`")
    models = config.get("profile_models")
    for model, spec in (models.items() if isinstance(models, dict) else ()):
        data = ((spec or {}).get("perf_analyzer_flags") or {}).get("input-data")
        if data in (None, "zero", "random"):
            raise AnalyzerConfigError(
                f"{source}: profile_models.{model}.perf_analyzer_flags.input-data is {data!r}: "
                "use `input-data: ${input_data}` (the real documents the analyzer writes)"
            )


def target_note(config: dict, source: str) -> str | None:
    """A note when a config aims at other targets than the design's (`make tune` then judges by the config's)."""
    design = design_targets()
    if Targets.of(config, source, design) == design:
        return None
    return (f"note: its targets differ from the design's (p99 <= {design.max_p99_ms:g} ms, >= "
            f"{design.min_throughput:g}/s, objectives {design.objectives}); `make tune` judges this run by its own")


def render(template: Path, repo: Path, folder: Path, input_json: Path, tools: Tools) -> dict:
    """The template filled for this machine and run folder, the core's batch sizes floored at max_windows."""
    config = fill(load_config(template), machine_values(repo, folder, input_json, tools), template)
    search_of(config, template)
    floor_core_batch(config, max_windows(repo), template)
    check_filled(config, template)
    return config


def write_search(template: Path, repo: Path, out: Path, texts: Sequence[str], tools: Tools) -> Path:
    """Write one template's input data and filled YAML into ``out`` (made fresh); returns the YAML."""
    import yaml

    search = search_of(load_config(template), template)
    if out.exists():
        shutil.rmtree(out)  # every run starts from a fresh checkpoint folder
    out.mkdir(parents=True)
    folder = out.resolve()
    encoder = encoder_for(repo)
    data = core_input_data(texts, encoder) if search == "core" else ensemble_input_data(texts, encoder)
    input_json = folder / "input_data.json"
    input_json.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    config = render(template, repo, folder, input_json, tools)
    path = folder / CONFIG_NAME
    header = (
        f"# Filled from {template} for this machine (server, backends, library path, free ports, run folder).\n"
        f"# Run by hand: model-analyzer profile -f {path}\n"
        f"# (it resumes from checkpoint_directory: delete {folder / 'checkpoints'} to measure afresh)\n"
    )
    path.write_text(header + yaml.safe_dump(config, sort_keys=False, default_flow_style=None), encoding="utf-8")
    note = target_note(config, str(template))
    if note:
        print(f"profile: {template.name}: {note}")
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


def search_folders(templates: Sequence[Path], out: Path) -> dict[Path, Path]:
    """Each template's run folder, ``out/<search>``; two templates of one search fail."""
    folders: dict[Path, Path] = {}
    for template in templates:
        folder = out / search_of(load_config(template), template)
        if folder in folders.values():
            raise AnalyzerConfigError(f"{template}: a second config for the {folder.name} search (one config per search)")
        folders[template] = folder
    return folders


def generate(repo: Path, out: Path, templates: Sequence[Path], texts: Sequence[str], tools: Tools) -> dict[str, Path]:
    """Write every template's filled YAML and input data into ``out/<search>`` (each made fresh); returns search -> YAML."""
    folders = search_folders(templates, out)
    return {folder.name: write_search(template, repo, folder, texts, tools) for template, folder in folders.items()}


def profile(repo: Path, out: Path, templates: Sequence[Path], texts: Sequence[str], tools: Tools) -> dict[str, Path]:
    """Fill every template into a fresh ``out``, then run each; returns each search's export folder (results/, reports/, plots/)."""
    link_libb64()
    search_folders(templates, out)  # a bad --config list fails before anything is deleted
    if out.exists():
        shutil.rmtree(out)  # no stale search from an earlier run reaches `make tune`
    written = generate(repo, out, templates, texts, tools)  # every config is filled and checked before the first long run
    for search, config in written.items():
        print(f"profile: {search}: model-analyzer profile -f {config}", flush=True)
        run_analyzer(config, config.parent / "model_analyzer.log")
    return {search: config.parent for search, config in written.items()}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command line of ``python -m maritime_ner.tuning.analyzer``."""
    parser = argparse.ArgumentParser(allow_abbrev=False, prog="python -m maritime_ner.tuning.analyzer", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("libs", help=f"provide {LIBB64} for perf_analyzer in .triton/lib")
    for name, help_text in (("generate", "write configs and input data only"), ("profile", "generate and run model-analyzer")):
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("--repository", type=Path, required=True, help="built model repository (make build-repo)")
        cmd.add_argument("--out", type=Path, required=True, help="export folder, e.g. reports/analyzer")
        cmd.add_argument("--sweep", choices=sorted(TEMPLATES), default="quick", help="which templates of analyzer_configs/ (README.md there)")
        cmd.add_argument("--searches", nargs="+", choices=SEARCHES, default=list(SEARCHES))
        cmd.add_argument("--config", type=Path, action="append", default=[], metavar="YAML",
                         help="your own Model Analyzer config (an edited template), used instead of the sweep's file for the search it profiles; repeatable")
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
    tools = Tools.local(args.tritonserver, args.backend_directory)
    texts = documents(args.documents)
    try:
        templates = chosen_templates(args.sweep, args.searches, args.config)
        if args.command == "generate":
            link_libb64()
            for config in generate(args.repository, args.out, templates, texts, tools).values():
                print(config)
            return 0
        done = profile(args.repository, args.out, templates, texts, tools)
    except (AnalyzerConfigError, RuntimeError) as err:
        print(f"profile: error: {err}", file=sys.stderr)
        return 1
    for search, folder in done.items():
        print(f"profile: {search}: {folder / 'results' / 'metrics-model-inference.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
