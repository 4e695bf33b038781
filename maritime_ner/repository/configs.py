"""Read Triton config.pbtxt files into ModelConfig messages (build, reference, tune, bench)."""

from __future__ import annotations

from pathlib import Path

from google.protobuf import text_format
from tritonclient.grpc import model_config_pb2 as mc


class ConfigError(ValueError):
    """A config.pbtxt that cannot be read or parsed."""


def parse_config_text(text: str, where: str) -> mc.ModelConfig:
    """Parse config text; a syntax error names where the text came from."""
    try:
        return text_format.Parse(text, mc.ModelConfig())
    except text_format.ParseError as err:
        raise ConfigError(f"{where}: config does not parse: {err}") from None


def parse_config(path: Path) -> mc.ModelConfig:
    """Parse a config.pbtxt; a syntax error or an unreadable file names the file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise ConfigError(f"{path}: config cannot be read: {err}") from None
    return parse_config_text(text, str(path))


def config_text(config: mc.ModelConfig) -> str:
    """The config.pbtxt text of a message."""
    return text_format.MessageToString(config)
