"""`maritime-ner`: one command with a subcommand for every job the Makefile runs."""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class Command:
    """A subcommand: the module whose ``main(argv)`` runs it, and argv words put before the user's."""

    name: str
    module: str
    summary: str
    leading: tuple[str, ...] = ()


COMMANDS: tuple[Command, ...] = (
    Command("data", "training.generate", "write seeded synthetic training documents (JSONL)"),
    Command("ls-export", "training.ls_export", "turn a Label Studio export into training/validation JSONL"),
    Command("train", "training.train", "fine-tune the token-classification model"),
    Command("export", "training.export", "export the ONNX core (fp32, INT8 when it keeps F1) and decoder settings"),
    Command("build-repo", "maritime_ner.repository.build", "write the Triton model repository from the exported model"),
    Command("prepare", "maritime_ner.serving.local_triton", "lay out the local tritonserver's backend folder", ("prepare",)),
    Command("serve", "maritime_ner.serving.local_triton", "run tritonserver on a built repository", ("serve",)),
    Command("demo", "maritime_ner.serving.demo", "serve the repository and annotate the sample documents"),
    Command("annotate", "maritime_ner.client.replicas", "send documents to a running server (or several replicas), print Label Studio results"),
    Command("eval", "training.evaluate", "score the built repository on the evaluation sets (served == in-process)"),
    Command("verify", "maritime_ner.ops.canary", "check a live server's contract and smoke documents (--every: a canary with /metrics)"),
    Command("deploy", "maritime_ner.ops.deploy", "install a built repository as a new release, verify, roll back on failure", ("install",)),
    Command("rollback", "maritime_ner.ops.deploy", "serve the previous release again", ("rollback",)),
    Command("watchdog", "maritime_ner.ops.watchdog", "reload Python steps whose stub died"),
    Command("profile", "maritime_ner.tuning.analyzer", "run Model Analyzer on the built repository", ("profile",)),
    Command("profile-configs", "maritime_ner.tuning.analyzer", "write the Model Analyzer configs only", ("generate",)),
    Command("tune", "maritime_ner.tuning.tune", "pick the best profiled configuration into tuned.json"),
    Command("bench", "maritime_ner.bench.run", "benchmark HF pipeline, in-process reference and the Triton ensemble"),
    Command("bench-gpu", "maritime_ner.bench.gpu", "GPU numbers: in-process CUDA/TensorRT and the served GPU ensemble (--smoke on CPU)"),
    Command("preannotate", "maritime_ner.labelstudio.preannotate", "pre-annotate a Label Studio project from Triton"),
    Command("ls-backend", "maritime_ner.labelstudio.backend", "serve the Label Studio ML backend"),
    Command("retrain", "training.retrain", "retrain from a Label Studio project; deploy only if it beats the champion's F1 (within a margin)"),
)
BY_NAME = {c.name: c for c in COMMANDS}


def usage() -> str:
    """The command list."""
    width = max(len(c.name) for c in COMMANDS)
    lines = ["usage: maritime-ner COMMAND [options]   (maritime-ner COMMAND --help for its options)", "", "commands:"]
    lines += [f"  {c.name.ljust(width)}  {c.summary}" for c in COMMANDS]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    command = BY_NAME.get(args[0])
    if command is None:
        print(f"maritime-ner: unknown command '{args[0]}'\n\n{usage()}", file=sys.stderr)
        return 2
    try:
        module = importlib.import_module(command.module)
    except ImportError as err:  # an extra that is not installed
        print(f"maritime-ner {command.name}: needs {err.name}: pip install 'maritime-ner-triton[all]'", file=sys.stderr)
        return 2
    code = module.main([*command.leading, *args[1:]])
    return int(code or 0)


if __name__ == "__main__":
    sys.exit(main())
