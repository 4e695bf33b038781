"""One object owns a built Triton model repository: where its files are and the settings the build wrote."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from tritonclient.grpc import model_config_pb2 as mc

from maritime_ner.core import contract
from maritime_ner.core.decoding import min_score_setting
from maritime_ner.core.tokenization import DocumentEncoder, window_settings
from maritime_ner.repository.configs import config_text, parse_config

CONFIG_FILE = "config.pbtxt"
VERSION = "1"  # the build writes every model as version 1 (deploy renumbers releases on the target)
SERVER_REQUIREMENTS_FILE = "requirements-server.txt"


class RepositoryError(FileNotFoundError):
    """A path that should hold a built repository does not; the message says how to make one."""


@dataclass(frozen=True)
class ModelRepository:
    """A built repository (``make build-repo``): ``<root>/<model>/config.pbtxt`` and ``<root>/<model>/1/<file>``."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    def __fspath__(self) -> str:
        return str(self.root)

    # ---- paths
    def model_dir(self, model: str) -> Path:
        return self.root / model

    def config_path(self, model: str) -> Path:
        return self.root / model / CONFIG_FILE

    def version_dir(self, model: str, version: str = VERSION) -> Path:
        return self.root / model / version

    @property
    def onnx_path(self) -> Path:
        return self.version_dir(contract.ONNX_MODEL) / contract.ONNX_FILE

    @property
    def tokenizer_dir(self) -> Path:
        return self.version_dir(contract.TOKENIZER_MODEL)

    @property
    def tokenizer_file(self) -> Path:
        return self.tokenizer_dir / contract.TOKENIZER_FILE

    @property
    def labels_path(self) -> Path:
        return self.version_dir(contract.DECODER_MODEL) / contract.LABELS_FILE

    @property
    def requirements_path(self) -> Path:
        return self.root / SERVER_REQUIREMENTS_FILE

    def exists(self) -> bool:
        """True when every model's config is there."""
        return all(self.config_path(m).exists() for m in contract.ALL_MODELS)

    def require(self) -> "ModelRepository":
        """Self, or a RepositoryError naming the command that builds it."""
        if not self.exists():
            raise RepositoryError(f"{self.root} is not a built model repository: run `make build-repo` (or `maritime-ner build-repo --out {self.root}`)")
        return self

    def copy_to(self, dst: Path) -> "ModelRepository":
        """A copy of this repository at ``dst`` (which must not exist yet)."""
        shutil.copytree(self.root, dst)
        return ModelRepository(dst)

    # ---- configs
    def config(self, model: str) -> mc.ModelConfig:
        return parse_config(self.config_path(model))

    def configs(self) -> dict[str, mc.ModelConfig]:
        return {m: self.config(m) for m in contract.ALL_MODELS}

    def write_config(self, model: str, config: mc.ModelConfig) -> None:
        path = self.config_path(model)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(config_text(config), encoding="utf-8")

    def parameters(self, model: str) -> dict[str, str]:
        return {k: v.string_value for k, v in self.config(model).parameters.items()}

    # ---- the settings the build wrote
    def window_settings(self) -> dict[str, object]:
        """The tokenizer step's window settings (window, stride, buckets, max_windows, max_chars)."""
        return window_settings(self.parameters(contract.TOKENIZER_MODEL))

    @property
    def max_windows(self) -> int:
        return int(self.window_settings()["max_windows"])

    @property
    def min_score(self) -> float:
        return min_score_setting(self.parameters(contract.DECODER_MODEL).get(contract.MIN_SCORE_PARAM, ""))

    @property
    def labels(self) -> list[str]:
        return json.loads(self.labels_path.read_text(encoding="utf-8"))

    @property
    def id2label(self) -> dict[int, str]:
        return dict(enumerate(self.labels))

    @property
    def instance_kinds(self) -> dict[str, str]:
        """Each step's instance kind ('KIND_CPU' / 'KIND_GPU'), as the build wrote it."""
        from maritime_ner.repository.device import instance_kind

        return {m: instance_kind(self.config(m)) for m in contract.ALL_MODELS[1:]}

    @property
    def device(self) -> str:
        """'gpu' when ner_model runs on KIND_GPU (`make build-repo DEVICE=gpu`), else 'cpu'."""
        return "gpu" if self.instance_kinds[contract.ONNX_MODEL] == "KIND_GPU" else "cpu"

    @property
    def model_version(self) -> str:
        return self.parameters(contract.ONNX_MODEL).get(contract.MODEL_VERSION_PARAM, "")

    def encoder(self, **overrides: object) -> DocumentEncoder:
        """The tokenizer step's DocumentEncoder, with its built settings (``overrides`` replace some)."""
        return DocumentEncoder.from_dir(self.tokenizer_dir, **{**self.window_settings(), **overrides})
