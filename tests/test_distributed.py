"""Two CPU processes under torchrun (gloo): train to a checkpoint, and resume a run killed midway exactly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tiny_model import make_checkpoint, write_tiny_training_data
from training.train import INTERRUPTED_EXIT, STATE_DIR

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> list[str]:
    """Flags of a 7-step run on a tiny model: 3 batches an epoch, dealt out to 2 processes."""
    root = tmp_path_factory.mktemp("distributed")
    base = make_checkpoint(root / "base", confidence=1.0)
    data = write_tiny_training_data(root / "train.jsonl")
    return ["--base-model", str(base), "--train-file", str(data), "--dev-file", str(data), "--batch-size", "6",
            "--learning-rate", "3e-3", "--max-steps", "7", "--quiet"]


def torchrun(flags: list[str], out: Path) -> subprocess.CompletedProcess:
    """``torchrun --standalone --nproc_per_node=2 -m training.train`` (what `make train NPROC=2` runs)."""
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
               "-m", "training.train", *flags, "--output-dir", str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)


def metrics(out: Path) -> dict:
    return json.loads((out / "training_metrics.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def whole_run(tiny_run, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("whole")
    done = torchrun(tiny_run, out)
    assert done.returncode == 0, done.stderr[-3000:]
    return out


def test_two_processes_train_to_a_checkpoint(whole_run):
    m = metrics(whole_run)
    assert (m["processes"], m["steps"]) == (2, 7)
    assert (whole_run / "config.json").exists() and (whole_run / "model.safetensors").exists()
    assert not (whole_run / STATE_DIR).exists()


def test_killed_run_resumes_and_ends_like_an_uninterrupted_one(tiny_run, whole_run, tmp_path):
    out = tmp_path / "cut"
    killed = torchrun([*tiny_run, "--stop-after-steps", "3"], out)
    assert killed.returncode != 0 and f"exitcode  : {INTERRUPTED_EXIT}" in killed.stderr
    assert (out / STATE_DIR / "random_states_1.pkl").exists() and not (out / "training_metrics.json").exists()
    resumed = torchrun(tiny_run, out)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    m = metrics(out)
    assert (m["resumed_from_step"], m["steps"]) == (3, 7) and (out / "config.json").exists()
    # Same data order, RNG streams and optimiser state on both processes: the same losses step for step.
    assert [h["loss"] for h in m["history"]] == [h["loss"] for h in metrics(whole_run)["history"]]
