"""Run the real tritonserver from ``nvidia-pytriton`` on this machine (tests, make serve, bench).

It lays out a backend directory with the Python backend (plus the stub for this Python)
and the bundle's Python-based ``onnxruntime`` backend, so an unchanged model repository
loads as it would in a production Triton container.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from maritime_ner import paths

ORT_BACKEND_SOURCE = paths.resource(paths.ORT_BACKEND)
# Per-model latency quantiles (nv_inference_*_summary_us) for the p99 alert (docs/monitoring.md).
METRICS_ARGS: tuple[str, ...] = ("--metrics-config=summary_latencies=true",)
# Repository locations tritonserver reads itself (credentials from its environment, e.g. AWS_*).
REMOTE_SCHEMES = ("s3://", "gs://", "as://")


def is_remote(repository: str | Path) -> bool:
    """True for an object-store repository URL (kept as text: Path would fold its '//')."""
    return isinstance(repository, str) and repository.startswith(REMOTE_SCHEMES)


def repository_arg(repository: str | Path) -> str:
    """The --model-repository value: an object-store URL as given, a folder made absolute."""
    return repository if is_remote(repository) else str(Path(repository).resolve())


def pytriton_root() -> Path:
    """Folder of the tritonserver that ships inside nvidia-pytriton."""
    try:
        import pytriton
    except ImportError:
        raise RuntimeError("nvidia-pytriton is not installed: run `make setup`") from None
    return Path(pytriton.__file__).resolve().parent / "tritonserver"


def library_dirs() -> list[str]:
    """Shared-library folders tritonserver and perf_analyzer need (bundled libs, libcudart, libb64)."""
    site = pytriton_root().parent.parent
    dirs = [site / "nvidia_pytriton.libs", site / "nvidia" / "cuda_runtime" / "lib", paths.state_dir("lib")]
    return [str(d) for d in dirs if d.is_dir()]


def server_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for tritonserver: this venv's python first on PATH (the stub imports from it)."""
    env = dict(os.environ if base is None else base)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["LD_LIBRARY_PATH"] = os.pathsep.join(library_dirs() + [env.get("LD_LIBRARY_PATH", "")]).rstrip(os.pathsep)
    env.setdefault("PYTHONIOENCODING", "utf-8")
    return env


def _install(src: Path, dst: Path) -> None:
    """Copy ``src`` to ``dst`` unless identical; replace by rename so a running server's file stays intact."""
    if dst.exists() and dst.read_bytes() == src.read_bytes():
        return
    tmp = dst.with_name(dst.name + ".tmp")
    shutil.copy2(src, tmp)
    os.replace(tmp, dst)


def prepare_backends(dest: Path | None = None) -> Path:
    """Backend directory with ``python/`` (+ stub for this Python) and ``onnxruntime/model.py``."""
    dest = dest or paths.state_dir("backends")
    root = pytriton_root()
    python_dir = dest / "python"
    if not (python_dir / "libtriton_python.so").exists():
        shutil.copytree(root / "backends" / "python", python_dir, dirs_exist_ok=True)
    stub = root / "python_backend_stubs" / f"{sys.version_info.major}.{sys.version_info.minor}" / "triton_python_backend_stub"
    _install(stub, python_dir / "triton_python_backend_stub")
    ort_dir = dest / "onnxruntime"
    ort_dir.mkdir(parents=True, exist_ok=True)
    _install(ORT_BACKEND_SOURCE, ort_dir / "model.py")
    return dest


def restricted_api_args(key: str) -> list[str]:
    """Flags that let only callers sending ``key`` in the admin header use the repository and shm APIs."""
    from maritime_ner.core.contract import ADMIN_KEY_HEADER, RESTRICTED_APIS

    apis = ",".join(RESTRICTED_APIS)
    return [
        f"--http-restricted-api={apis}:{ADMIN_KEY_HEADER}={key}",
        f"--grpc-restricted-protocol={apis}:{ADMIN_KEY_HEADER}={key}",
    ]


def free_port() -> int:
    """A TCP port the OS says is free now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_ok(url: str) -> bool:
    """True when ``url`` answers HTTP 200."""
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


def wait_until_up(process: subprocess.Popen, probe: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``probe`` until it is true; raise if the process exits or ``timeout`` passes (then stop it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        if probe():
            return
        time.sleep(0.3)
    stop_process(process)
    raise TimeoutError(f"{what} not up after {timeout:.0f} s")


def stop_process(process: subprocess.Popen | None, timeout: float = 30.0) -> None:
    """SIGTERM, then SIGKILL if it does not exit in time."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class LocalServer:
    """A server subprocess: ``launch`` starts it and waits for its probe; stop and the context manager are shared."""

    process: subprocess.Popen | None = None
    stop_timeout: float = 30.0  # seconds between SIGTERM and SIGKILL

    def start(self) -> "LocalServer":
        raise NotImplementedError

    def launch(self, command: list[str], env: dict[str, str], log, probe: Callable[[], bool], timeout: float, what: str) -> "LocalServer":
        """Start ``command`` (output to ``log``) and wait until ``probe`` says it is up."""
        self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_until_up(self.process, probe, timeout, what)
        return self

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not exit within ``stop_timeout``."""
        stop_process(self.process, self.stop_timeout)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@dataclass
class TritonServer(LocalServer):
    """A tritonserver process serving ``repository`` (a folder or an s3:// URL); use as a context manager."""

    repository: Path | str
    http_port: int = 0
    grpc_port: int = 0
    metrics_port: int = 0
    extra_args: list[str] = field(default_factory=list)
    address: str = "127.0.0.1"
    log_path: Path | None = None
    process: subprocess.Popen | None = None
    env: dict[str, str] = field(default_factory=dict)  # added to the environment (object-store credentials)

    def __post_init__(self) -> None:
        self.http_port = self.http_port or free_port()
        self.grpc_port = self.grpc_port or free_port()
        self.metrics_port = self.metrics_port or free_port()

    @property
    def http_url(self) -> str:
        return f"{self.host}:{self.http_port}"

    @property
    def grpc_url(self) -> str:
        return f"{self.host}:{self.grpc_port}"

    @property
    def host(self) -> str:
        return "127.0.0.1" if self.address == "0.0.0.0" else self.address

    def command(self) -> list[str]:
        """The tritonserver command line."""
        return [
            str(pytriton_root() / "bin" / "tritonserver"),
            f"--model-repository={repository_arg(self.repository)}",
            f"--backend-directory={prepare_backends()}",
            f"--http-port={self.http_port}",
            f"--grpc-port={self.grpc_port}",
            f"--metrics-port={self.metrics_port}",
            f"--http-address={self.address}",
            f"--grpc-address={self.address}",
            *self.extra_args,
        ]

    def start(self, timeout: float = 120.0) -> "TritonServer":
        """Start the server and wait until it reports ready."""
        log = open(self.log_path, "wb") if self.log_path else subprocess.DEVNULL
        return self.launch(self.command(), server_env({**os.environ, **self.env}), log, self.ready, timeout,
                           f"tritonserver (log: {self.log_path})")

    def ready(self) -> bool:
        """True when /v2/health/ready answers 200."""
        return http_ok(f"http://{self.http_url}/v2/health/ready")


def serve_forever(server: TritonServer) -> int:
    """Run tritonserver in the foreground (its log on our stdout) until interrupted."""
    process = subprocess.Popen(server.command(), env=server_env({**os.environ, **server.env}))
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGTERM)
        return process.wait()


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(allow_abbrev=False, prog="python -m maritime_ner.serving.local_triton", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("prepare", help="lay out the backend directory (.triton/backends)")
    serve = sub.add_parser("serve", help="serve a model repository in the foreground")
    serve.add_argument("--repository", required=True, help="built repository folder, or s3://[HOST:PORT/]BUCKET/PREFIX "
                       "(credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION)")
    serve.add_argument("--http-port", type=int, default=8000)
    serve.add_argument("--grpc-port", type=int, default=8001)
    serve.add_argument("--metrics-port", type=int, default=8002)
    serve.add_argument("--address", default="127.0.0.1", help="listen address (0.0.0.0 to serve other hosts)")
    serve.add_argument("--model-control-mode", choices=("none", "poll", "explicit"), default="none",
                       help="explicit: models change only through the repository API (`make deploy`)")
    args = parser.parse_args(argv)
    if args.command == "prepare":
        print(f"backends ready in {prepare_backends()}")
        return 0
    from maritime_ner.repository.layout import ModelRepository

    repository = args.repository if is_remote(args.repository) else Path(args.repository)
    if not is_remote(repository) and not ModelRepository(repository).exists():
        parser.error(f"{args.repository} is not a built repository: run `make build-repo`")
    from maritime_ner.core.contract import ADMIN_KEY_ENV

    # Least privilege: without the key in the environment nobody can use the admin APIs.
    key = os.environ.get(ADMIN_KEY_ENV) or secrets.token_hex(16)
    extra = restricted_api_args(key) + [*METRICS_ARGS, f"--model-control-mode={args.model_control_mode}"]
    if args.model_control_mode == "explicit":
        extra.append("--load-model=*")
    server = TritonServer(repository, args.http_port, args.grpc_port, args.metrics_port, extra_args=extra, address=args.address)
    admin = "callers sending the key from $" + ADMIN_KEY_ENV if ADMIN_KEY_ENV in os.environ else f"nobody (set {ADMIN_KEY_ENV})"
    print(f"model-repository and shared-memory APIs: {admin}", flush=True)
    print(f"serving {args.repository}: HTTP {server.http_url}, gRPC {server.grpc_url}; Ctrl-C stops", flush=True)
    return serve_forever(server)


if __name__ == "__main__":
    sys.exit(main())
