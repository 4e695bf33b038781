"""Shared fixtures: a tiny exported model, a built repository, a real tritonserver on free ports."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from maritime_ner.repository.build import build  # noqa: E402
from maritime_ner.core import contract  # noqa: E402
from maritime_ner.serving.local_triton import TritonServer  # noqa: E402
from tiny_model import TEST_MIN_SCORE, make_checkpoint  # noqa: E402
from training.export import export  # noqa: E402


@pytest.fixture(scope="session")
def exported_model(tmp_path_factory) -> Path:
    """artifacts/model-like folder: model.onnx + config.json + tokenizer, from a tiny checkpoint."""
    root = tmp_path_factory.mktemp("tiny")
    make_checkpoint(root / "checkpoint", case_marks=True)  # the served path reads case marks, like the default's
    export(root / "checkpoint", root / "model")
    # What an export with validation documents writes: a decoder score cut. The tiny model's span
    # scores spread around it, so served == reference checks that both apply it.
    (root / "model" / contract.DECODING_FILE).write_text(json.dumps({"min_score": TEST_MIN_SCORE}), encoding="utf-8")
    return root / "model"


@pytest.fixture(scope="session")
def built_repo(exported_model, tmp_path_factory) -> Path:
    """A built model repository over the tiny model."""
    out = tmp_path_factory.mktemp("repo") / "model_repository"
    build(exported_model, out)
    return out


@pytest.fixture(scope="session")
def triton(built_repo, tmp_path_factory):
    """A real tritonserver serving the built repository on free ports."""
    log = tmp_path_factory.mktemp("triton") / "server.log"
    server = TritonServer(built_repo, log_path=log)
    with server:
        yield server
