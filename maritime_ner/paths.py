"""Where files are: what ships with the package (templates, backend, smoke data) and the working folder's defaults."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# In a source checkout the shipped files are the checkout's own; an installed wheel carries copies in _data/.
SOURCE_ROOT = PACKAGE_DIR.parent
INSTALLED_DATA = PACKAGE_DIR / "_data"

# Shipped files, relative to the project root (the wheel keeps the same relative paths under _data/).
TEMPLATES = "model_repository"
ORT_BACKEND = "build/backends/onnxruntime/model.py"
SMOKE = "data/verify/smoke.json"
SAMPLES = "data/samples"
DEV_SET = "data/dev/handwritten.json"
ANALYZER_CONFIGS = "analyzer_configs"
SHIPPED = (TEMPLATES, ORT_BACKEND, SMOKE, SAMPLES, DEV_SET, ANALYZER_CONFIGS)

# Working-folder defaults (relative to the current directory, as the Makefile runs from the project root).
MODEL_DIR = Path("artifacts/model")
CHECKPOINT_DIR = Path("artifacts/checkpoint")
REPO_OUT = Path("dist/model_repository")
REPORTS = Path("reports")
STATE_DIR = Path(".triton")  # local tritonserver backends, libraries and logs


def resource(relative: str) -> Path:
    """A shipped file or folder: the checkout's when running from source, else the wheel's copy."""
    for base in (SOURCE_ROOT, INSTALLED_DATA):
        path = base / relative
        if path.exists():
            return path
    raise FileNotFoundError(f"{relative} is missing from {SOURCE_ROOT} and {INSTALLED_DATA}: reinstall maritime-ner-triton")


def state_dir(*parts: str) -> Path:
    """A folder under .triton/ in the current directory (made when missing)."""
    path = Path.cwd() / STATE_DIR
    for part in parts:
        path = path / part
    path.mkdir(parents=True, exist_ok=True)
    return path
