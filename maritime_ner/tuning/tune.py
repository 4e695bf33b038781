"""`make tune`: Model Analyzer results -> the tuned-config JSON that `make build-repo` applies.

The ``core`` search (ner_model alone) decides the core's batching: max batch size, preferred
batch sizes, queue delay. The ``ensemble`` search measures whole documents end to end, so it
decides the instance count of every step and gives the headline documents/s and p99. Either
search alone is enough; the core's own instance count is used when there is no ensemble result.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from tritonclient.grpc import model_config_pb2 as mc

from maritime_ner.core import contract
from maritime_ner.repository import configs
from maritime_ner import paths
from maritime_ner.repository.layout import CONFIG_FILE, ModelRepository
from maritime_ner.tuning.analyzer import CONFIG_NAME, OUTPUT_REPO, Targets, design_targets, max_windows

CSV_NAME = Path("results") / "metrics-model-inference.csv"
STEPS = (contract.TOKENIZER_MODEL, contract.ONNX_MODEL, contract.DECODER_MODEL)


class TuneError(Exception):
    """No usable results; the message says what to run."""


@dataclass
class Candidate:
    """One measured row: a model config (with its composing configs) at one concurrency."""

    search: str
    config_name: str
    concurrency: int
    throughput: float  # inferences/s: documents/s for the ensemble, windows/s for the core
    p99_ms: float
    configs: dict[str, mc.ModelConfig] = field(default_factory=dict)  # step name -> its variant config
    targets: Targets = field(default_factory=design_targets)  # what the run that measured it aimed at

    @property
    def meets_constraints(self) -> bool:
        """The run's targets: p99 <= its max and throughput >= its min."""
        return self.p99_ms <= self.targets.max_p99_ms and self.throughput >= self.targets.min_throughput

    @property
    def score(self) -> float:
        """Objective: throughput favoured, latency weighted (scale-free, like relative gains)."""
        weights = self.targets.objectives
        return weights.get("perf_throughput", 0) * math.log(max(self.throughput, 1e-9)) - weights.get(
            "perf_latency_p99", 0) * math.log(max(self.p99_ms, 1e-9))

    @property
    def shortfall(self) -> float:
        """How far the row misses the targets (relative; 0 when it meets them)."""
        return (max(0.0, self.p99_ms / self.targets.max_p99_ms - 1)
                + max(0.0, 1 - self.throughput / self.targets.min_throughput))

    def describe(self) -> str:
        """One line for the console."""
        unit = "documents/s" if self.search == "ensemble" else "windows/s"
        counts = ", ".join(f"{n}={c.instance_group[0].count}" for n, c in self.configs.items() if c.instance_group)
        ok = "meets" if self.meets_constraints else "misses"
        return (
            f"{self.config_name} @ concurrency {self.concurrency}: {self.throughput:.1f} {unit}, "
            f"p99 {self.p99_ms:.1f} ms ({ok} targets); instances {counts}"
        )


def column(header: Sequence[str], prefix: str) -> str:
    """The CSV column whose name starts with ``prefix`` (Model Analyzer appends units)."""
    for name in header:
        if name.startswith(prefix):
            return name
    raise TuneError(f"results CSV has no '{prefix}…' column (columns: {list(header)})")


def variant_config(path: Path) -> mc.ModelConfig:
    """A variant's config.pbtxt written by Model Analyzer."""
    if not path.exists():
        raise TuneError(f"{path} is missing: the profile's output model repository is incomplete, run `make profile` again")
    return configs.parse_config(path)


def step_configs(folder: Path, config_path: str) -> dict[str, mc.ModelConfig]:
    """Step name -> variant config for a 'Model Config Path' cell ('ner_config_0: a, b, c' or 'ner_model_config_1')."""
    names = config_path.split(":", 1)[1].split(",") if ":" in config_path else [config_path]
    configs = {}
    for variant in (n.strip() for n in names):
        config = variant_config(folder / OUTPUT_REPO / variant / CONFIG_FILE)
        configs[config.name] = config
    return configs


def read_candidates(folder: Path, search: str) -> list[Candidate]:
    """Every row of one search's metrics CSV, with the variant configs it names."""
    path = folder / CSV_NAME
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        thr, p99 = column(reader.fieldnames or [], "Throughput"), column(reader.fieldnames or [], "p99 Latency")
        rows = list(reader)
    run_config = folder / CONFIG_NAME  # the filled config the run used: its targets judge its rows
    targets = Targets.of_file(run_config, design_targets()) if run_config.exists() else design_targets()
    return [
        Candidate(
            search, row["Model Config Path"].split(":", 1)[0].strip(), int(row["Concurrency"]),
            float(row[thr]), float(row[p99]), step_configs(folder, row["Model Config Path"]), targets,
        )
        for row in rows
    ]


def allowed(candidate: Candidate, windows: int) -> bool:
    """False for a config whose core could not take the most windows one request may carry."""
    core = candidate.configs.get(contract.ONNX_MODEL)
    return core is None or core.max_batch_size >= windows


def best(candidates: Sequence[Candidate]) -> tuple[Candidate | None, bool]:
    """The best row meeting the targets (True), else the closest one (False)."""
    feasible = [c for c in candidates if c.meets_constraints]
    if feasible:
        return max(feasible, key=lambda c: c.score), True
    if not candidates:
        return None, False
    return min(candidates, key=lambda c: (c.shortfall, -c.score)), False


def tuned_config(core: Candidate | None, ensemble: Candidate | None, device: str = "cpu",
                 instance_kinds: dict[str, str] | None = None) -> dict:
    """The tuned-config JSON (format read by maritime_ner.repository.build.Tuning.load).

    ``device`` is where it was measured (the profiled repository's ner_model instance kind):
    the build refuses to apply it to a repository for the other device.
    """
    data: dict = {"device": device}
    if instance_kinds:
        data["instance_kinds"] = dict(instance_kinds)
    if core is not None:
        model = core.configs[contract.ONNX_MODEL]
        data[contract.ONNX_MODEL] = {
            "max_batch_size": model.max_batch_size,
            "preferred_batch_size": list(model.dynamic_batching.preferred_batch_size),
            "max_queue_delay_microseconds": model.dynamic_batching.max_queue_delay_microseconds,
        }
    counts = {}
    for source in (core, ensemble):  # the ensemble, measured end to end, has the last word
        for name, config in (source.configs if source else {}).items():
            if name in STEPS and config.instance_group:
                counts[name] = config.instance_group[0].count
    if counts:
        data["instance_counts"] = counts
    data["measured"] = {
        c.search: {
            "config": c.config_name, "concurrency": c.concurrency, "throughput": c.throughput,
            "throughput_unit": "documents/s" if c.search == "ensemble" else "windows/s",
            "p99_ms": c.p99_ms, "meets_constraints": c.meets_constraints,
        }
        for c in (core, ensemble) if c is not None
    }
    return data


def tune(results: Path, out: Path, repository: Path = paths.REPO_OUT, require: bool = False) -> dict:
    """Pick the best configurations under ``results`` (profiled on ``repository``) and write ``out``."""
    windows = max_windows(repository)
    picked: dict[str, Candidate | None] = {}
    for search in ("core", "ensemble"):
        candidates = [c for c in read_candidates(results / search, search) if allowed(c, windows)]
        choice, ok = best(candidates)
        picked[search] = choice
        if choice is None:
            continue
        if ok:
            print(f"tune: {search}: best meeting {choice.targets.describe()}: {choice.describe()}")
        else:
            print(f"tune: {search}: no configuration meets {choice.targets.describe()}; closest: {choice.describe()}")
            if require:
                raise TuneError(f"{search}: no configuration meets the targets (--require-constraints)")
    if picked["core"] is None and picked["ensemble"] is None:
        raise TuneError(f"no results under {results}: run `make profile` first")
    repo = ModelRepository(repository)
    data = tuned_config(picked["core"], picked["ensemble"], repo.device, repo.instance_kinds)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(allow_abbrev=False, prog="python -m maritime_ner.tuning.tune", description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, required=True, help="folder `make profile` wrote (reports/analyzer)")
    parser.add_argument("--out", type=Path, required=True, help="tuned-config JSON (analyzer_configs/tuned.json)")
    parser.add_argument("--repository", type=Path, default=paths.REPO_OUT, help="the built repository that was profiled (its max_windows)")
    parser.add_argument("--require-constraints", action="store_true", help="fail instead of writing the closest config")
    args = parser.parse_args(argv)
    try:
        data = tune(args.results, args.out, args.repository, args.require_constraints)
    except TuneError as err:
        print(f"tune: error: {err}", file=sys.stderr)
        return 1
    print(f"tune: wrote {args.out}: {json.dumps({k: v for k, v in data.items() if k != 'measured'})}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
