"""Deploy, verify, rollback and least privilege against a real tritonserver in explicit model-control mode."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import tritonclient.grpc as grpcclient
import tritonclient.http as httpclient

from load import DOCS, Load
from maritime_ner.core import contract
from maritime_ner.ops import deploy
from maritime_ner.ops import verify
from maritime_ner.client.ner_client import NerClient
from maritime_ner.serving.local_triton import TritonServer, restricted_api_args
from smoke_docs import reference_smoke
from tiny_model import make_checkpoint
from training.export import export

pytestmark = pytest.mark.integration
KEY = "test-admin-key"
LOAD_THREADS = 4


def substitute(path: Path, old: str, new: str) -> None:
    """Replace text in a file; the text must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def smoke_file(built_repo, tmp_path_factory) -> Path:
    """Expectations the tiny model meets: the reference pipeline's own spans (first three per document)."""
    docs = reference_smoke(built_repo, DOCS, per_doc=3)
    assert all(d.entities for d in docs)
    path = tmp_path_factory.mktemp("smoke") / "smoke.json"
    verify.write_smoke(path, docs)
    return path


@pytest.fixture(scope="module")
def bad_repos(built_repo, tmp_path_factory) -> dict[str, Path]:
    """Releases that must be rejected: a 2-label core behind a 9-label config, a broken tokenizer config."""
    root = tmp_path_factory.mktemp("bad")
    make_checkpoint(root / "checkpoint", num_labels=2, case_marks=True)  # like the served tiny model but for the labels
    export(root / "checkpoint", root / "model")
    repos = {name: root / name for name in ("two_labels", "broken_config")}
    for path in repos.values():
        shutil.copytree(built_repo, path)
    shutil.copy2(root / "model" / contract.ONNX_FILE, repos["two_labels"] / contract.ONNX_MODEL / "1" / contract.ONNX_FILE)
    substitute(repos["broken_config"] / contract.TOKENIZER_MODEL / "config.pbtxt", 'string_value: "32"', 'string_value: "thirty-two"')
    return repos


@pytest.fixture(scope="module")
def live(built_repo, tmp_path_factory):
    """Release 1 installed into a fresh target, served in explicit mode with restricted admin APIs."""
    target = deploy.LocalTarget(tmp_path_factory.mktemp("target") / "models")
    assert deploy.install(built_repo, target).served == 1
    log = tmp_path_factory.mktemp("deploy-triton") / "server.log"
    server = TritonServer(target.root, log_path=log, extra_args=[
        "--model-control-mode=explicit", "--load-model=*", *restricted_api_args(KEY)])
    with server:
        yield server, target


def checker(url: str, smoke: Path):
    """Verify as deploy calls it: (server URL, model-name suffix); ``url`` is the one server expected."""
    def check(server_url: str, suffix: str) -> verify.Report:
        assert server_url == url
        return verify.verify(server_url, "grpc", smoke, suffix)
    return check


def test_verify_passes_contract_and_derived_smoke(live, smoke_file, capsys):
    server, _ = live
    assert verify.main(["--url", server.grpc_url, "--smoke", str(smoke_file)]) == 0
    report = verify.verify(server.http_url, "http", smoke_file)
    assert report.ok, report.lines()
    assert any("label map" in p for p in report.passed) and any("[-1, -1, 9]" in p for p in report.passed)


def test_verify_default_smoke_fails_clearly_on_random_model(live, capsys):
    server, _ = live
    assert verify.main(["--url", server.grpc_url]) == 1
    err = capsys.readouterr().err
    assert "FAILED" in err and "no served span contains VESSEL 'Ocean Star'" in err
    assert "FAIL models not ready" not in err and "label map O,VESSEL" in err  # the structure itself is right


def test_verify_unreachable_server_fails(capsys):
    from maritime_ner.serving.local_triton import free_port

    assert verify.main(["--url", f"127.0.0.1:{free_port()}"]) == 1
    assert "not reachable" in capsys.readouterr().err


def test_inference_works_without_key_and_model_load_does_not(live):
    server, _ = live
    client = NerClient(server.grpc_url, "grpc")
    assert all(isinstance(r, list) for r in client.infer(DOCS))
    client.close()
    grpc = grpcclient.InferenceServerClient(server.grpc_url)
    with pytest.raises(grpcclient.InferenceServerException, match="restricted"):
        grpc.load_model(contract.ENSEMBLE)
    with pytest.raises(grpcclient.InferenceServerException, match="restricted"):
        grpc.load_model(contract.ENSEMBLE, headers={deploy.GRPC_HEADER_PREFIX + contract.ADMIN_KEY_HEADER: "wrong"})
    with pytest.raises(grpcclient.InferenceServerException, match="restricted"):
        grpc.get_system_shared_memory_status()
    grpc.close()
    http = httpclient.InferenceServerClient(server.http_url)
    with pytest.raises(httpclient.InferenceServerException):
        http.load_model(contract.ENSEMBLE)
    http.load_model(contract.ENSEMBLE, headers={contract.ADMIN_KEY_HEADER: KEY})  # unchanged: a no-op reload
    assert http.is_model_ready(contract.ENSEMBLE)
    http.close()


def test_deploy_without_key_is_refused_before_touching_anything(live, built_repo):
    server, target = live
    before = target.versions(contract.ENSEMBLE)
    with pytest.raises(deploy.DeployError, match=contract.ADMIN_KEY_ENV):
        deploy.install(built_repo, target, deploy.Server(server.grpc_url, None))
    assert target.versions(contract.ENSEMBLE) == before


def test_good_deploy_under_load_switches_with_zero_failures(live, built_repo, smoke_file):
    server, target = live
    admin = deploy.Server(server.grpc_url, KEY)
    with Load(server.grpc_url, threads=LOAD_THREADS) as load:
        outcome = deploy.install(built_repo, target, admin, checker(server.grpc_url, smoke_file))
    assert outcome.ok and outcome.served == 2, outcome.messages
    assert load.failed == 0, dict(load.errors)
    assert load.ok > 0
    assert admin.ready(2) == [] and not admin.client.is_model_ready(contract.ENSEMBLE, "1")
    assert target.versions(contract.ONNX_MODEL) == [1, 2]  # the previous release stays on disk
    admin.close()


@pytest.mark.parametrize("bad", ["two_labels", "broken_config"])
def test_bad_deploy_is_rejected_while_old_release_serves(live, bad_repos, smoke_file, bad):
    server, target = live
    admin = deploy.Server(server.grpc_url, KEY)
    with Load(server.grpc_url, threads=LOAD_THREADS) as load:
        outcome = deploy.install(bad_repos[bad], target, admin, checker(server.grpc_url, smoke_file))
    text = "\n".join(outcome.messages)
    assert not outcome.ok and outcome.served == 2, text
    assert "still serving release 2 (no served model was touched); removed release 3" in text
    assert ("expected [-1,-1,9], got" in text.lower()) if bad == "two_labels" else ("parameter 'stride' must be an integer" in text)
    assert load.failed == 0 and load.ok > 0, dict(load.errors)
    assert deploy.served_version(target) == 2 and 3 not in target.versions(contract.ENSEMBLE)
    assert admin.ready(2) == []
    admin.close()


def test_release_with_wrong_logits_dims_is_refused_before_loading(built_repo, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(built_repo, repo)
    substitute(repo / contract.ONNX_MODEL / "config.pbtxt", f"dims: {contract.NUM_LABELS}", "dims: 2")
    target = deploy.LocalTarget(tmp_path / "target")
    with pytest.raises(deploy.DeployError, match=r"must have dims \[-1, 9\]"):
        deploy.install(repo, target)
    assert target.versions(contract.ENSEMBLE) == []


def test_rollback_on_demand_then_cli(live, smoke_file, monkeypatch, capsys):
    server, target = live
    monkeypatch.setenv(contract.ADMIN_KEY_ENV, KEY)
    args = ["rollback", "--target", str(target.root), "--url", server.grpc_url, "--smoke", str(smoke_file)]
    assert deploy.main(args) == 0
    assert "rolled back from release 2 to release 1" in capsys.readouterr().out
    admin = deploy.Server(server.grpc_url, KEY)
    assert admin.ready(1) == [] and not admin.client.is_model_ready(contract.ENSEMBLE, "2")
    admin.close()
    assert deploy.main(args) == 1  # release 1 is the oldest kept
    assert "nothing to roll back to" in capsys.readouterr().err
