"""`make retrain`: retrain from a Label Studio project and deploy the challenger only if it holds up.

    maritime-ner retrain --project ID --target DIR [--url HOST:PORT] [--smoke FILE] [--margin 0.01]
        [--test-share 0.2] [--workdir artifacts/retrain] [--report-dir reports/retrain] [--dry-run]
        [-- TRAIN FLAGS, e.g. --max-steps 200 --base-model DIR]

1. Exports the project (``$LABEL_STUDIO_URL``, ``$LABEL_STUDIO_API_KEY``; or ``--export FILE``).
2. Keeps a fixed, seeded share of the annotated tasks out of training as the project's own test
   set: task ``t`` is a test task when ``sha256(f"{seed}:{t}")`` falls below ``--test-share``, so
   the choice of a task never changes as the project grows; the ids are recorded in
   ``<workdir>/project-<ID>/test_set.json`` and a recorded task stays a test task for good.
3. Trains a challenger on the rest (train/val split by text hash, as ``ls-export``), exports
   and builds it.
4. Scores the challenger and the champion (the release the deploy target serves, or
   ``--champion DIR``) on the test set through the same decoding (the reference Pipeline over
   each built repository), and writes a side-by-side report (``retrain.md`` + ``retrain.json``:
   per-label P/R/F1, the spans that changed).
5. Deploys the challenger with ``ops.deploy`` (load + verify when ``--url`` is given) only if
   its micro F1 is not below the champion's by more than ``--margin``; otherwise the champion
   keeps serving and the report says why.

Exit status: 0 when the run completed (the report's ``decision`` is ``deploy`` or ``keep``),
1 when the deploy failed (and was rolled back), 2 for input errors.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from maritime_ner.core import contract
from maritime_ner.core.ls_format import ExportStats, convert_export
from maritime_ner.core.scores import entity_scores, entity_set
from maritime_ner.labelstudio.api import LabelStudio, LabelStudioError, MissingCredentials, add_connection_args
from maritime_ner.ops import deploy
from maritime_ner.ops.verify import DEFAULT_SMOKE, verify
from maritime_ner.repository.layout import VERSION, ModelRepository
from training.ls_export import split, usable_records, write_jsonl

DEFAULT_TEST_SHARE = 0.2
DEFAULT_SEED = "maritime-ner-test-set"
DEFAULT_MARGIN = 0.01
DEFAULT_VAL_FRACTION = 0.1
REPORT_JSON, REPORT_MD = "retrain.json", "retrain.md"
MAX_CHANGED_IN_MD = 30


class RetrainError(Exception):
    """The run cannot go on (the message says why)."""


def in_test_share(task_id: int, share: float, seed: str = DEFAULT_SEED) -> bool:
    """True when the seeded hash of ``task_id`` falls in the test share (stable as the project grows)."""
    digest = hashlib.sha256(f"{seed}:{task_id}".encode("utf-8")).hexdigest()
    return int(digest[:15], 16) / float(16**15) < share


@dataclass
class TestSet:
    """The project's held-out tasks: the recorded ids plus every annotated task the hash rule picks."""

    path: Path
    share: float
    seed: str
    task_ids: set[int]

    @classmethod
    def load(cls, path: Path, share: float, seed: str) -> "TestSet":
        """The recorded set (empty when new); a different seed on record is an error, a share change is not."""
        if not path.exists():
            return cls(path, share, seed, set())
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("seed") != seed:
            raise RetrainError(f"{path} was drawn with seed {data.get('seed')!r}, not {seed!r}: keep the seed, or "
                               "move the file away to start a new test set (its tasks may already be in old models)")
        return cls(path, share, seed, {int(i) for i in data.get("task_ids", [])})

    def add(self, task_ids: Sequence[int]) -> None:
        """Take in the annotated tasks the hash rule picks."""
        self.task_ids.update(t for t in task_ids if in_test_share(t, self.share, self.seed))

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"rule": "sha256(f'{seed}:{task_id}') as a fraction of 16**15 < share; recorded ids stay",
                "seed": self.seed, "share": self.share, "task_ids": sorted(self.task_ids)}
        self.path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def task_records(tasks: Sequence[dict[str, Any]], text_key: str = "text") -> tuple[dict[int, dict[str, Any]], ExportStats, list[str]]:
    """Annotated tasks of an export as our records keyed by task id; the stats and the invalid ones left out."""
    total, by_id, problems = ExportStats(tasks=len(tasks)), {}, []
    for task in tasks:
        records, stats = convert_export([task], text_key)
        total.converted += stats.converted
        total.cancelled += stats.cancelled
        total.without_annotation += stats.without_annotation
        for label, n in stats.unknown_labels.items():
            total.unknown_labels[label] = total.unknown_labels.get(label, 0) + n
        kept, bad = usable_records(records)
        problems += [f"task {task.get('id')}: {p}" for p in bad]
        if kept:
            by_id[int(task["id"])] = kept[0]
    return by_id, total, problems


def champion_repository(target: deploy.Target, dest: Path) -> tuple[Path, int] | None:
    """The release ``target`` serves, laid out as a built repository in ``dest`` (None for an empty target)."""
    if not isinstance(target, deploy.LocalTarget):
        raise RetrainError("the champion is read from a local --target folder; for a remote one pass --champion DIR "
                           "(a copy of the served release as a built repository)")
    served = deploy.served_version(target)
    if served is None:
        return None
    for name in contract.ALL_MODELS:
        release = target.root / name / str(served)
        shutil.copytree(release, dest / name / VERSION, symlinks=False)
        shutil.copy2(release / deploy.CONFIG, dest / name / deploy.CONFIG)
        (dest / name / VERSION / deploy.CONFIG).unlink()
    return dest, served


def score(repository: Path, records: Sequence[dict[str, Any]]) -> tuple[dict[str, dict], list[set[tuple[int, int, str]]]]:
    """Entity scores of a built repository on ``records`` through the reference Pipeline, and its spans."""
    from maritime_ner.repository.reference import Pipeline

    spans = Pipeline.from_repository(repository).spans([r["text"] for r in records])
    predicted = [{(s.start, s.end, s.label) for s in doc} for doc in spans]
    return entity_scores([entity_set(r) for r in records], predicted), predicted


def changed_spans(ids: Sequence[int], records: Sequence[dict[str, Any]], champion: Sequence[set], challenger: Sequence[set]) -> list[dict[str, Any]]:
    """Per test task whose spans differ: spans only the champion finds, only the challenger finds, each marked gold or not."""
    out = []
    for task_id, record, old, new in zip(ids, records, champion, challenger):
        if old == new:
            continue
        gold, text = entity_set(record), record["text"]

        def listed(spans: set) -> list[dict[str, Any]]:
            return [{"start": a, "end": b, "label": label, "text": text[a:b], "gold": (a, b, label) in gold}
                    for a, b, label in sorted(spans)]

        out.append({"task": task_id, "only_champion": listed(old - new), "only_challenger": listed(new - old)})
    return out


def decide(champion_f1: float | None, challenger_f1: float, margin: float, test_docs: int) -> tuple[str, str]:
    """("deploy" | "keep", why)."""
    if champion_f1 is None:
        return "deploy", "no champion is served yet: the challenger becomes the first release"
    if test_docs == 0:
        return "keep", "the project has no annotated test task yet: nothing to compare on, the champion keeps serving"
    delta = challenger_f1 - champion_f1
    if delta >= -margin:
        return "deploy", (f"challenger F1 {challenger_f1:.4f} vs champion {champion_f1:.4f} (delta {delta:+.4f}) "
                          f"is within the margin {margin}")
    return "keep", (f"challenger F1 {challenger_f1:.4f} is worse than the champion's {champion_f1:.4f} by {-delta:.4f}, "
                    f"more than the margin {margin}: the champion keeps serving")


def render_markdown(report: dict[str, Any]) -> str:
    """retrain.md: the decision, per-label scores side by side, the changed spans."""
    champ, chall = report["champion"], report["challenger"]
    lines = [f"# Retrain: project {report['project']}", "",
             f"**Decision: {report['decision']}** — {report['reason']}", ""]
    if report.get("deploy"):
        lines += ["Deploy: " + "; ".join(report["deploy"]["messages"]), ""]
    ts = report["test_set"]
    lines += [f"Test set: {ts['documents']} annotated tasks held out (share {ts['share']}, seed `{ts['seed']}`, "
              f"ids in `{ts['file']}`); trained on {report['train_documents']}, validated on {report['val_documents']}.", "",
              f"Champion: `{champ['model_version'] if champ else '—'}`" + (f" (release {champ['release']})" if champ and champ.get("release") else ""),
              f"Challenger: `{chall['model_version']}`", "",
              "| label | champion P | R | F1 | challenger P | R | F1 | ΔF1 | support |", "|---|---|---|---|---|---|---|---|---|"]
    for label, new in chall["scores"].items():
        old = champ["scores"][label] if champ else None
        cells = [f"{old['precision']:.3f} | {old['recall']:.3f} | {old['f1']:.3f}" if old else "— | — | —",
                 f"{new['precision']:.3f} | {new['recall']:.3f} | {new['f1']:.3f}",
                 f"{new['f1'] - old['f1']:+.3f}" if old else "—"]
        name = f"**{label}**" if label == "micro" else label
        lines.append(f"| {name} | {' | '.join(cells)} | {new['support']} |")
    changed = report["changed"]
    lines += ["", f"## Changed spans ({len(changed)} test tasks differ)", ""]
    if changed:
        lines += ["| task | only champion | only challenger |", "|---|---|---|"]

        def cell(spans: list[dict[str, Any]]) -> str:
            text = ", ".join(f"{'✓' if s['gold'] else '✗'} {s['label']} '{s['text']}'" for s in spans) or "—"
            return text.replace("|", "/").replace("\n", " ")

        for item in changed[:MAX_CHANGED_IN_MD]:
            lines.append(f"| {item['task']} | {cell(item['only_champion'])} | {cell(item['only_challenger'])} |")
        if len(changed) > MAX_CHANGED_IN_MD:
            lines.append(f"\n({len(changed) - MAX_CHANGED_IN_MD} more in {REPORT_JSON})")
        lines += ["", "✓ = the span is in the test annotation, ✗ = it is not."]
    return "\n".join(lines) + "\n"


def split_train_flags(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """(our arguments, training flags after ``--``)."""
    argv = list(argv)
    if "--" in argv:
        i = argv.index("--")
        return argv[:i], argv[i + 1 :]
    return argv, []


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    own, train_flags = split_train_flags(argv)
    parser = argparse.ArgumentParser(allow_abbrev=False, prog="maritime-ner retrain", description=__doc__.splitlines()[0],
                                     epilog="Training flags (maritime-ner train --help) go after `--`.")
    parser.add_argument("--project", type=int, required=True, help="Label Studio project id")
    add_connection_args(parser)
    parser.add_argument("--export", type=Path, help="a saved Label Studio JSON export instead of fetching one")
    parser.add_argument("--text-key", default="text", help="task data field with the text")
    parser.add_argument("--target", required=True, help="the deploy target (a Triton model repository folder) whose served release is the champion")
    parser.add_argument("--champion", type=Path, help="the champion as a built repository (default: the release --target serves)")
    parser.add_argument("--url", help="gRPC HOST:PORT of the server on --target (explicit model control): load and verify the challenger; "
                                      "several, comma-separated, for replicas reading the same repository")
    parser.add_argument("--smoke", type=Path, default=DEFAULT_SMOKE, help="smoke file for verify")
    parser.add_argument("--no-verify", action="store_true", help="load only; skip the contract checks")
    parser.add_argument("--keep", type=int, default=3, help="releases to keep on the target")
    parser.add_argument("--margin", type=float, default=DEFAULT_MARGIN, help="micro F1 the challenger may lose against the champion")
    parser.add_argument("--test-share", type=float, default=DEFAULT_TEST_SHARE, help="share of annotated tasks held out as the test set")
    parser.add_argument("--seed", default=DEFAULT_SEED, help="seed of the test-set draw (keep it for the life of the project)")
    parser.add_argument("--val-fraction", type=float, default=DEFAULT_VAL_FRACTION, help="share of training tasks used for validation")
    parser.add_argument("--quantize", choices=("none", "int8"), default="none", help="export: int8 if it keeps F1 (see export)")
    parser.add_argument("--workdir", type=Path, default=Path("artifacts/retrain"), help="data, checkpoint, model and repository of the run")
    parser.add_argument("--report-dir", type=Path, default=Path("reports/retrain"), help=f"where {REPORT_MD} and {REPORT_JSON} go")
    parser.add_argument("--dry-run", action="store_true", help="train, compare and report; never deploy")
    args = parser.parse_args(own)
    if not 0 < args.test_share < 1:
        parser.error("--test-share must be in (0, 1)")
    if not 0 <= args.val_fraction < 1:
        parser.error("--val-fraction must be in [0, 1)")
    if args.margin < 0:
        parser.error("--margin must be >= 0")
    return args, train_flags


def fetch_tasks(args: argparse.Namespace) -> list[dict[str, Any]]:
    """The project's export: from --export, else through the API."""
    if args.export:
        return json.loads(args.export.read_text(encoding="utf-8"))
    tasks = LabelStudio.from_env(args.ls_url).export(args.project)
    return tasks


def train_challenger(train_flags: Sequence[str], train_file: Path, val_file: Path, out: Path, quantize: str,
                     val_records: Sequence[dict[str, Any]]) -> Path:
    """Train, export and build the challenger; returns its built repository."""
    from maritime_ner.repository.build import build
    from training.export import export
    from training.train import parse_args as train_args, train

    cfg = train_args([*train_flags, "--train-file", str(train_file), "--dev-file", str(val_file),
                      "--output-dir", str(out / "checkpoint")])
    train(cfg)
    export(out / "checkpoint", out / "model", quantize=None if quantize == "none" else quantize, val_records=val_records)
    build(out / "model", out / "model_repository")
    return out / "model_repository"


def retrain(args: argparse.Namespace, train_flags: Sequence[str], log=print) -> tuple[int, dict[str, Any]]:
    """The whole run; returns (exit status, report)."""
    started = time.time()
    tasks = fetch_tasks(args)
    by_id, stats, problems = task_records(tasks, args.text_key)
    log(f"retrain: {len(by_id)}/{stats.tasks} tasks annotated and usable ({stats.cancelled} only cancelled, "
        f"{stats.without_annotation} without annotation, {len(problems)} invalid)")
    project_dir = args.workdir / f"project-{args.project}"
    test_set = TestSet.load(project_dir / "test_set.json", args.test_share, args.seed)
    test_set.add(sorted(by_id))
    test_set.save()
    test_ids = sorted(t for t in by_id if t in test_set.task_ids)
    rest = [by_id[t] for t in sorted(by_id) if t not in test_set.task_ids]
    train, val = split(rest, args.val_fraction)
    if not train or not val:
        raise RetrainError(f"{len(rest)} annotated tasks outside the test set: too few to train and validate on")
    test = [by_id[t] for t in test_ids]
    run = project_dir / "run"
    shutil.rmtree(run, ignore_errors=True)
    for name, records in (("train", train), ("val", val), ("test", test)):
        write_jsonl(records, run / f"{name}.jsonl")
    log(f"retrain: test set {len(test)} tasks ({test_set.path}), training on {len(train)}, validating on {len(val)}")

    try:
        target = deploy.parse_target(args.target)
    except deploy.DeployError as err:
        raise RetrainError(str(err)) from None
    challenger = train_challenger(train_flags, run / "train.jsonl", run / "val.jsonl", run, args.quantize, val)
    with tempfile.TemporaryDirectory(prefix="champion-") as tmp:
        if args.champion:
            champion: tuple[Path, int | None] | None = (args.champion, None)
        else:
            champion = champion_repository(target, Path(tmp) / "repo")
        new_scores, new_spans = score(challenger, test)
        champ_info = None
        if champion is not None:
            old_scores, old_spans = score(champion[0], test)
            champ_info = {"model_version": ModelRepository(champion[0]).model_version, "release": champion[1], "scores": old_scores}
        else:
            old_spans = [set() for _ in test]
    decision, reason = decide(champ_info["scores"]["micro"]["f1"] if champ_info else None, new_scores["micro"]["f1"],
                              args.margin, len(test))
    if args.dry_run and decision == "deploy":
        decision, reason = "keep", f"dry run (would deploy: {reason})"
    report: dict[str, Any] = {
        "project": args.project, "decision": decision, "reason": reason, "margin": args.margin,
        "test_set": {"documents": len(test), "task_ids": test_ids, "share": args.test_share, "seed": args.seed, "file": str(test_set.path)},
        "train_documents": len(train), "val_documents": len(val), "left_out": problems,
        "champion": champ_info,
        "challenger": {"model_version": ModelRepository(challenger).model_version, "repository": str(challenger), "scores": new_scores},
        "changed": changed_spans(test_ids, test, old_spans, new_spans) if champ_info else [],
        "deploy": None,
    }
    code = 0
    if decision == "deploy":
        outcome = deploy_challenger(challenger, target, args)
        report["deploy"] = {"ok": outcome.ok, "served": outcome.served, "messages": outcome.messages}
        if not outcome.ok:
            code = 1
            report["decision"], report["reason"] = "keep", f"the gate passed but the deploy failed: {outcome.messages[-1]}"
    report["seconds"] = round(time.time() - started, 1)
    write_report(report, args.report_dir)
    log(f"retrain: {report['decision']}: {report['reason']} (report: {args.report_dir / REPORT_MD})")
    return code, report


def deploy_challenger(repository: Path, target: deploy.Target, args: argparse.Namespace) -> deploy.Outcome:
    """Install the challenger as a new release (loaded and verified on every --url server)."""
    urls = [u.strip() for u in (args.url or "").split(",") if u.strip()]
    servers = [deploy.Server(url, os.environ.get(contract.ADMIN_KEY_ENV)) for url in urls]
    check = None if args.no_verify or not servers else (lambda url, suffix: verify(url, "grpc", args.smoke, suffix))
    try:
        return deploy.install(repository, target, servers or None, check, args.keep)
    except deploy.DeployError as err:
        return deploy.Outcome(False, None, [f"deploy refused: {err}"])
    finally:
        for server in servers:
            server.close()


def write_report(report: dict[str, Any], folder: Path) -> None:
    """retrain.json and retrain.md in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / REPORT_JSON).write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / REPORT_MD).write_text(render_markdown(report), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    args, train_flags = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        code, _ = retrain(args, train_flags, log=lambda line: print(line, file=sys.stderr))
    except (RetrainError, MissingCredentials, LabelStudioError, OSError, ValueError) as err:
        print(f"retrain: error: {err}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
