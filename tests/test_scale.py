"""Scale-out on loopback: an S3 model repository (moto_server) served by two real tritonservers.

Deploys and rollbacks go through the object store and load + verify on both replicas in turn;
the replica pool spreads documents over both and survives one of them being killed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from load import DOCS, Load
from maritime_ner.client.ner_client import InferenceFailed, NerClient
from maritime_ner.client.replicas import ReplicaPool, parse_urls
from maritime_ner.core import contract
from maritime_ner.ops import deploy, verify
from maritime_ner.repository.build import Tuning, build
from maritime_ner.serving.local_triton import TritonServer, free_port, restricted_api_args, stop_process, wait_until_up
from test_deploy import bad_repos, smoke_file  # noqa: F401  (module fixtures shared with the single-server tests)

pytestmark = [pytest.mark.integration, pytest.mark.slow]
ROOT = Path(__file__).resolve().parent.parent
MOTO_SERVER = ROOT / ".venv-scale" / "bin" / "moto_server"
KEY = "scale-admin-key"
BUCKET, PREFIX = "models", "ner-repo"
# moto accepts any credentials; they travel through the environment only, as in production.
AWS_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def s3_url(tmp_path_factory):
    """A moto S3 endpoint on loopback with an empty bucket; yields the repository URL Triton takes."""
    pytest.importorskip("boto3")
    if not MOTO_SERVER.exists():
        pytest.skip("moto_server missing: run `make scale-setup`")
    saved = {k: os.environ.get(k) for k in AWS_ENV}
    os.environ.update(AWS_ENV)
    port = free_port()
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "wb")
    process = subprocess.Popen([str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT)
    try:
        import boto3

        s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}")

        def up() -> bool:
            try:
                s3.list_buckets()
                return True
            except Exception:
                return False

        wait_until_up(process, up, 30, "moto_server")
        s3.create_bucket(Bucket=BUCKET)
        yield f"s3://127.0.0.1:{port}/{BUCKET}/{PREFIX}"
    finally:
        stop_process(process, 5)
        log.close()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture(scope="module")
def lean_repo(exported_model, tmp_path_factory) -> Path:
    """The tiny model built with one instance per step: fewer stub processes to start per load on 2 cores."""
    out = tmp_path_factory.mktemp("lean") / "model_repository"
    build(exported_model, out, Tuning(instance_counts={m: 1 for m in contract.ALL_MODELS if m != contract.ENSEMBLE}))
    return out


@pytest.fixture(scope="module")
def replicas(s3_url, lean_repo, tmp_path_factory):
    """Release 1 published to the bucket, then two tritonservers in explicit mode reading it."""
    target = deploy.parse_target(s3_url)
    assert isinstance(target, deploy.S3Target) and target.endpoint and target.bucket == BUCKET
    assert deploy.install(lean_repo, target).served == 1
    servers = []
    try:
        for name in ("a", "b"):
            folder = tmp_path_factory.mktemp(f"replica-{name}")
            server = TritonServer(s3_url, log_path=folder / "server.log", env={"TRITON_AWS_MOUNT_DIRECTORY": str(folder)},
                                  extra_args=["--model-control-mode=explicit", "--load-model=*", *restricted_api_args(KEY)])
            servers.append(server.start())
        yield servers, target
    finally:
        for server in servers:
            server.stop()


def admins(servers) -> list[deploy.Server]:
    return [deploy.Server(s.grpc_url, KEY) for s in servers]


def check(smoke: Path):
    return lambda url, suffix: verify.verify(url, "grpc", smoke, suffix)


def serves(server: deploy.Server, version: int, others: tuple[int, ...]) -> bool:
    """``version`` of every model ready and no other release of the ensemble loaded."""
    return server.ready(version) == [] and not any(server.client.is_model_ready(contract.ENSEMBLE, str(v)) for v in others)


def test_s3_target_parses_triton_forms():
    t = deploy.S3Target.parse("s3://127.0.0.1:9000/bucket/a/b")
    assert (t.endpoint, t.bucket, t.prefix) == ("http://127.0.0.1:9000", "bucket", "a/b")
    t = deploy.S3Target.parse("s3://https://minio.local:9443/bucket/p")
    assert (t.endpoint, t.bucket, t.prefix) == ("https://minio.local:9443", "bucket", "p")
    t = deploy.S3Target.parse("s3://bucket/prefix/")
    assert (t.endpoint, t.bucket, t.prefix) == (None, "bucket", "prefix")
    with pytest.raises(deploy.DeployError, match="no bucket"):
        deploy.S3Target.parse("s3://")


def test_good_deploy_switches_both_replicas_under_load(replicas, lean_repo, smoke_file):  # noqa: F811
    servers, target = replicas
    fleet = admins(servers)
    with Load(servers[0].grpc_url, threads=1) as load_a, Load(servers[1].grpc_url, threads=1) as load_b:
        outcome = deploy.install(lean_repo, target, fleet, check(smoke_file))
    assert outcome.ok and outcome.served == 2, outcome.messages
    assert len(outcome.reports) == 2 and all(r.ok for r in outcome.reports)
    assert load_a.failed == 0 and load_b.failed == 0, (dict(load_a.errors), dict(load_b.errors))
    assert load_a.ok > 0 and load_b.ok > 0
    assert all(serves(s, 2, (1,)) for s in fleet)
    assert target.versions(contract.ONNX_MODEL) == [1, 2]  # the previous release stays in the bucket
    assert target.versions(deploy.candidate(contract.ENSEMBLE)) == []  # candidates cleaned up
    for s in fleet:
        s.close()


def test_bad_deploy_rejected_and_both_replicas_keep_serving(replicas, bad_repos, smoke_file):  # noqa: F811
    servers, target = replicas
    fleet = admins(servers)
    with Load(servers[0].grpc_url, threads=1) as load_a, Load(servers[1].grpc_url, threads=1) as load_b:
        outcome = deploy.install(bad_repos["two_labels"], target, fleet, check(smoke_file))
    text = "\n".join(outcome.messages)
    assert not outcome.ok and outcome.served == 2, text
    assert "expected [-1,-1,9], got" in text.lower() and "still serving release 2 (no served model was touched); removed release 3" in text
    assert load_a.failed == 0 and load_b.failed == 0, (dict(load_a.errors), dict(load_b.errors))
    assert load_a.ok > 0 and load_b.ok > 0
    assert deploy.served_version(target) == 2 and 3 not in target.versions(contract.ENSEMBLE)
    assert all(serves(s, 2, (1, 3)) for s in fleet)
    for s in fleet:
        s.close()


def test_failure_on_second_replica_restores_both(replicas, lean_repo, smoke_file):  # noqa: F811
    """Replica A already serves the new release when B fails its verification: A goes back too."""
    servers, target = replicas
    fleet = admins(servers)
    real = check(smoke_file)

    def flaky(url: str, suffix: str) -> verify.Report:
        if url == servers[1].grpc_url and suffix == "":
            return verify.Report(url, failures=["injected failure on replica b"])
        return real(url, suffix)

    with Load(servers[0].grpc_url, threads=1) as load_a:
        outcome = deploy.install(lean_repo, target, fleet, flaky)
    text = "\n".join(outcome.messages)
    assert not outcome.ok and outcome.served == 2, text
    assert f"{servers[1].grpc_url}: verification failed" in text and "injected failure on replica b" in text
    assert "rolled back to release 2; removed release 3" in text
    assert load_a.failed == 0 and load_a.ok > 0, dict(load_a.errors)
    assert all(serves(s, 2, (1, 3)) for s in fleet)  # A had loaded release 3; the rewritten configs unloaded it
    for s in fleet:
        s.close()


def test_rollback_cli_on_both_replicas(replicas, smoke_file, monkeypatch, capsys):  # noqa: F811
    servers, target = replicas
    monkeypatch.setenv(contract.ADMIN_KEY_ENV, KEY)
    urls = ",".join(s.grpc_url for s in servers)
    args = ["rollback", "--target", f"s3://{target.endpoint.split('://')[1]}/{BUCKET}/{PREFIX}", "--url", urls,
            "--smoke", str(smoke_file)]
    assert deploy.main(args) == 0
    out = capsys.readouterr().out
    assert "rolled back from release 2 to release 1" in out and f"on {servers[0].grpc_url}, {servers[1].grpc_url} (verified)" in out
    fleet = admins(servers)
    # Release 2's folders are still in the bucket: only the rewritten config keeps it unloaded.
    assert 2 in target.versions(contract.ENSEMBLE) and deploy.served_version(target) == 1
    assert all(serves(s, 1, (2,)) for s in fleet)
    for s in fleet:
        s.close()


def child_pids(pid: int) -> list[int]:
    """Direct children of a process (Linux /proc)."""
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def spans(results) -> list[list[tuple]]:
    """Comparable spans: (start, end, label, text) per document."""
    return [[(r["value"]["start"], r["value"]["end"], r["value"]["labels"][0], r["value"]["text"]) for r in doc] for doc in results]


def test_pool_survives_a_killed_replica(replicas):
    """Kill replica b with SIGKILL mid-run: every document comes back once, same spans as one server."""
    servers, _ = replicas
    docs = [f"{DOCS[i % len(DOCS)]} Ref {i}." for i in range(120)]
    single = NerClient(servers[0].grpc_url)
    expected = single.infer(docs)
    single.close()
    assert not any(isinstance(r, InferenceFailed) for r in expected)

    pool = ReplicaPool([s.grpc_url for s in servers], concurrency=2, batch_size=2, backoff=0.2)
    victim = servers[1]

    stubs = child_pids(victim.process.pid)  # SIGKILL leaves the Python stubs and their shared memory behind
    regions = [arg for pid in stubs for arg in Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
               if arg.startswith("triton_python_backend_shm_region")]

    def kill_when_busy() -> None:
        deadline = time.monotonic() + 60
        while pool.counts[victim.grpc_url] < 2 and time.monotonic() < deadline:  # b has answered: kill it early in the run
            time.sleep(0.01)
        victim.process.kill()

    killer = threading.Thread(target=kill_when_busy, daemon=True)
    killer.start()
    try:
        results = pool.infer(docs)
    finally:
        killer.join()
        victim.process.wait(10)
        for pid in stubs:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for region in regions:
            Path("/dev/shm", region).unlink(missing_ok=True)
    assert not any(isinstance(r, InferenceFailed) for r in results), [r for r in results if isinstance(r, InferenceFailed)][:3]
    assert spans(results) == spans(expected)
    assert sum(pool.counts.values()) == len(docs)  # each document answered exactly once
    assert pool.counts[victim.grpc_url] >= 2 and pool.counts[servers[0].grpc_url] > 0
    assert pool.retries >= 1  # requests to the dead replica failed and went to the live one
    assert "retried" in pool.summary()


def test_parse_urls():
    assert parse_urls(" a:1, b:2,a:1 ,") == ["a:1", "b:2"]
    with pytest.raises(ValueError):
        parse_urls(",")
