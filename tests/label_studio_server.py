"""A real Label Studio (from .venv-ls) on a free loopback port, with a known API token."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from maritime_ner.serving.local_triton import LocalServer, free_port, http_ok

PROJECT_ROOT = Path(__file__).resolve().parents[1]
LS_VENV = PROJECT_ROOT / ".venv-ls"
LS_BIN = LS_VENV / "bin" / "label-studio"
# A migrated, empty database made by `make ls-setup`: copying it skips ~1 minute of migrations.
LS_TEMPLATE = LS_VENV / "template"
QUIET_ENV = {
    "LABEL_STUDIO_LATEST_VERSION_CHECK": "false",  # no pypi.org call at start
    "LABEL_STUDIO_COLLECT_ANALYTICS": "false",
    "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
    # the ML backend under test listens on 127.0.0.1, which Label Studio refuses by default
    # (the backend itself, and the webhook Label Studio registers for it)
    "LABEL_STUDIO_ML_BLOCK_LOCAL_IP": "false",
    "LABEL_STUDIO_SSRF_PROTECTION_ENABLED": "false",
}


@dataclass
class LabelStudioServer(LocalServer):
    """``label-studio start`` on 127.0.0.1 with its data in ``data_dir``; use as a context manager."""

    data_dir: Path
    username: str = "ci@example.com"
    password: str = "ci-password-1"
    token: str = "ci0token0maritime0ner"
    port: int = 0
    process: subprocess.Popen | None = None
    stop_timeout: float = 20.0

    def __post_init__(self) -> None:
        self.port = self.port or free_port()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        """The start command: a default user with our token, legacy tokens on."""
        return [
            str(LS_BIN), "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(self.port),
            "--data-dir", str(self.data_dir), "--username", self.username, "--password", self.password,
            "--user-token", self.token, "--enable-legacy-api-token",
        ]

    def start(self, timeout: float = 300.0) -> "LabelStudioServer":
        """Start (from the migrated template when there is one) and wait for /health."""
        if LS_TEMPLATE.is_dir() and not self.data_dir.exists():
            shutil.copytree(LS_TEMPLATE, self.data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, **QUIET_ENV, "LABEL_STUDIO_BASE_DATA_DIR": str(self.data_dir)}
        env.pop("PYTHONPATH", None)  # our packages must not shadow Label Studio's
        log = open(self.data_dir / "server.log", "wb")
        return self.launch(self.command(), env, log, self.healthy, timeout, f"label-studio (log: {self.data_dir / 'server.log'})")

    def healthy(self) -> bool:
        """True when /health answers 200."""
        return http_ok(f"{self.url}/health")
