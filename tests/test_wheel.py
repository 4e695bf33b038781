"""`pip install .` gives a working `maritime-ner`: the wheel carries the templates, the backend and the smoke data."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from maritime_ner import paths
from maritime_ner.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The project's wheel, built offline with this environment's setuptools."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
                   check=True, cwd=out)
    (found,) = out.glob("maritime_ner_triton-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed; dependencies come from this environment (no network)."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True).stdout.strip())
    # A plain path line: this environment's packages come after the venv's own, and its .pth hooks stay off.
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--no-deps", "--no-index",
                    "--ignore-installed", "-q", str(wheel)], check=True)  # the dev venv's editable install must not count
    return venv


def run(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """``maritime-ner ARGS`` from the venv, outside the source tree, without the checkout on PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run([str(venv / "bin" / "maritime-ner"), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_wheel_carries_the_shipped_files_and_no_build_module(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for relative in paths.SHIPPED:
        prefix = f"maritime_ner/_data/{relative}"
        assert any(n == prefix or n.startswith(prefix + "/") for n in names), relative
    assert "maritime_ner/_data/model_repository/ner_tokenizer/1/model.py" in names
    assert not any(n.startswith("build/") for n in names)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    requires = [line for line in zipfile.ZipFile(wheel).read(metadata).decode().splitlines() if line.startswith("Requires-Dist:")]
    assert any("tritonclient" in r for r in requires) and any("torch" in r and "extra ==" in r for r in requires)


def test_installed_command_lists_every_job(installed, tmp_path):
    result = run(installed, "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for command in COMMANDS:
        assert command.name in result.stdout
    for command in ("build-repo", "verify", "deploy", "preannotate"):
        sub = run(installed, command, "--help", cwd=tmp_path)
        assert sub.returncode == 0 and "usage:" in sub.stdout, sub.stderr
    bad = run(installed, "no-such-job", cwd=tmp_path)
    assert bad.returncode == 2 and "unknown command" in bad.stderr


def test_installed_build_repo_runs_outside_the_source_tree(installed, exported_model, tmp_path):
    result = run(installed, "build-repo", "--model-dir", str(exported_model), "--out", "repo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    where = subprocess.run([str(installed / "bin" / "python"), "-c", "import maritime_ner.paths as p; print(p.resource(p.TEMPLATES))"],
                           cwd=tmp_path, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
                           capture_output=True, text=True, check=True).stdout.strip()
    assert str(installed) in where and "_data" in where  # the wheel's templates, not the checkout's
    repo = tmp_path / "repo"
    for model in ("ner", "ner_tokenizer", "ner_model", "ner_decoder"):
        assert (repo / model / "config.pbtxt").exists()
    assert (repo / "ner_decoder" / "1" / "maritime_ner" / "core" / "decoding.py").exists()
