"""The Helm chart and KServe manifest, checked offline with real tools (deploy/check_chart.py, tool venv .venv-scale)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from maritime_ner.core import contract
from maritime_ner.serving.local_triton import restricted_api_args

ROOT = Path(__file__).resolve().parent.parent
TOOL_PYTHON = ROOT / ".venv-scale" / "bin" / "python"
PROMTOOL = ROOT / ".tools" / "prometheus" / "usr" / "bin" / "promtool"
CHART = ROOT / "deploy" / "helm" / "maritime-ner"
KSERVE = ROOT / "deploy" / "kserve" / "inferenceservice.yaml"

pytestmark = pytest.mark.skipif(not (TOOL_PYTHON.exists() and PROMTOOL.exists()), reason="run `make scale-setup` (tool venv + promtool)")


def chart_check(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(TOOL_PYTHON), str(ROOT / "deploy" / "check_chart.py"), "--chart", str(CHART),
                           "--promtool", str(PROMTOOL), "--out", str(tmp_path), *args],
                          capture_output=True, text=True, timeout=120)


def rendered(tmp_path: Path) -> dict[str, dict]:
    return {o["kind"]: o for o in yaml.safe_load_all((tmp_path / "rendered.yaml").read_text(encoding="utf-8"))}


@pytest.fixture(scope="module", params=["default", "gpu"])
def render(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"chart-{request.param}")
    args = ["--values", str(CHART / "values-gpu.yaml")] if request.param == "gpu" else []
    done = chart_check(out, *args)
    assert done.returncode == 0, done.stderr + done.stdout
    return request.param, rendered(out), done.stdout


def test_every_object_validated(render):
    _, objects, report = render
    assert set(objects) == {"Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "PodMonitor"}
    for kind in ("Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler"):
        assert f"kubernetes-validate --strict: {kind}" in report
    assert "CRD schema: PodMonitor" in report and "CRD schema: InferenceService" in report
    assert "promtool check + test rules" in report


def test_deployment_probes_secrets_and_restricted_apis(render):
    flavour, objects, _ = render
    (container,) = objects["Deployment"]["spec"]["template"]["spec"]["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == f"/v2/models/{contract.ENSEMBLE}/ready"
    assert container["livenessProbe"]["httpGet"]["path"] == "/v2/health/live"
    env = {e["name"]: e for e in container["env"]}
    for name in (contract.ADMIN_KEY_ENV, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        assert "secretKeyRef" in env[name]["valueFrom"], name  # from Secrets, never literal values
    # The same flags `make serve` gives the local server, the key expanded by Kubernetes from the Secret.
    for flag in restricted_api_args(f"$({contract.ADMIN_KEY_ENV})"):
        assert flag in container["args"]
    assert any(a.startswith("--model-repository=s3://") for a in container["args"])
    assert "--model-control-mode=explicit" in container["args"]
    gpus = container["resources"].get("limits", {}).get("nvidia.com/gpu")
    assert (gpus == 1) if flavour == "gpu" else gpus is None
    ports = {p["name"] for p in objects["Service"]["spec"]["ports"]}
    assert ports == {"http", "grpc", "metrics"}


def test_hpa_scales_on_inner_models_queue_time(render):
    _, objects, report = render
    hpa = objects["HorizontalPodAutoscaler"]
    assert hpa["apiVersion"] == "autoscaling/v2"
    (metric,) = hpa["spec"]["metrics"]
    assert metric["type"] == "Pods" and metric["pods"]["metric"]["name"] in report
    assert all(m in report for m in (contract.TOKENIZER_MODEL, contract.ONNX_MODEL, contract.DECODER_MODEL))


@pytest.mark.parametrize("broken, error", [
    ("values", "'limit' was unexpected"),
    ("kserve", "'storageUrl' was unexpected"),
])
def test_checks_catch_unknown_fields(tmp_path, broken, error):
    if broken == "values":
        path = tmp_path / "typo.yaml"
        path.write_text("resources:\n  requests:\n    cpu: '1'\n  limit:\n    memory: 1Gi\n", encoding="utf-8")
        done = chart_check(tmp_path, "--values", str(path))
    else:
        path = tmp_path / "isvc.yaml"
        path.write_text(KSERVE.read_text(encoding="utf-8").replace("storageUri:", "storageUrl:"), encoding="utf-8")
        done = chart_check(tmp_path, "--kserve", str(path))
    assert done.returncode == 1 and error in done.stdout + done.stderr
