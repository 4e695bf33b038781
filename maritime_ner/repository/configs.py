"""Read Triton config.pbtxt files into ModelConfig messages (build, reference, tune, bench)."""

from __future__ import annotations

from pathlib import Path

from google.protobuf import text_format
from tritonclient.grpc import model_config_pb2 as mc


class ConfigError(ValueError):
    """A config.pbtxt that cannot be read or parsed."""


def parse_config(path: Path) -> mc.ModelConfig:
    """Parse a config.pbtxt; a syntax error names the file."""
    try:
        return text_format.Parse(Path(path).read_text(encoding="utf-8"), mc.ModelConfig())
    except (text_format.ParseError, OSError) as err:
        raise ConfigError(f"{path}: config does not parse: {err}") from None
