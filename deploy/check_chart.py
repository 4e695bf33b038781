"""Offline checks of the Kubernetes artefacts (no cluster): `make chart-check`, tests/test_chart.py.

    .venv-scale/bin/python deploy/check_chart.py --chart deploy/helm/maritime-ner [--values FILE] \
        --promtool .tools/prometheus/usr/bin/promtool [--out DIR]

1. `helm lint --strict` and render the chart with a real Helm (helm-python-sdk bundles Helm v4);
2. every built-in object through `kubernetes-validate --strict` (unknown fields fail);
3. custom resources (the chart's PodMonitor, deploy/kserve/inferenceservice.yaml) against their
   CRDs' openAPIV3Schema (deploy/crds/, trimmed upstream copies) with jsonschema, unknown fields
   rejected as a strict API server would;
4. the autoscaling query: the prometheus-adapter rule names the HPA's metric, and its PromQL (with
   the adapter's template filled in) passes `promtool check rules` and a `promtool test rules`
   case that computes the expected queue time per request from synthetic Triton counters.

Exit status 0 when everything passed; the rendered objects are written to --out.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

DEPLOY = Path(__file__).resolve().parent
CRDS = DEPLOY / "crds"
KSERVE = DEPLOY / "kserve" / "inferenceservice.yaml"
ADAPTER = DEPLOY / "prometheus-adapter" / "values.yaml"
RELEASE, NAMESPACE = "maritime-ner", "serving"
CUSTOM = {("monitoring.coreos.com/v1", "PodMonitor"): "podmonitor", ("serving.kserve.io/v1beta1", "InferenceService"): "inferenceservice"}
INNER_MODELS = ("ner_tokenizer", "ner_model", "ner_decoder")


class CheckFailed(Exception):
    """One check failed; the message says which and why."""


def render(chart: Path, values_files: list[Path]) -> list[dict[str, Any]]:
    """Lint and render the chart; the objects in template order."""
    import helm_python as helm

    values: dict[str, Any] = {}
    for path in values_files:
        values = deep_merge(values, helm.values_from_yaml(path.read_text(encoding="utf-8")))
    report = helm.lint(str(chart), values, strict=True, namespace=NAMESPACE)
    problems = [m for m in report.get("messages", []) if m.get("severity", 0) >= 2] + report.get("errors", [])
    if problems:
        raise CheckFailed(f"helm lint: {problems}")
    manifests = helm.Chart.load(str(chart)).render(values, name=RELEASE, namespace=NAMESPACE, is_install=True)
    objects = []
    for path in sorted(manifests):
        objects += [doc for doc in yaml.safe_load_all(manifests[path]) if doc]
    return objects


def deep_merge(base: dict, override: dict) -> dict:
    """Helm's values merge: maps merge key by key, anything else is replaced."""
    out = dict(base)
    for key, value in override.items():
        out[key] = deep_merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def validate_builtin(objects: list[dict], work: Path) -> list[str]:
    """kubernetes-validate --strict on the built-in kinds."""
    builtin = [o for o in objects if (o["apiVersion"], o["kind"]) not in CUSTOM]
    path = work / "builtin.yaml"
    path.write_text(yaml.safe_dump_all(builtin, sort_keys=False), encoding="utf-8")
    done = subprocess.run([str(Path(sys.executable).parent / "kubernetes-validate"), "--strict", str(path)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise CheckFailed(f"kubernetes-validate --strict:\n{done.stdout}{done.stderr}")
    return [f"kubernetes-validate --strict: {o['kind']} {o['metadata']['name']}" for o in builtin]


def strict(schema: Any) -> Any:
    """The schema with unknown fields rejected wherever the CRD lists the fields (as a strict API server does)."""
    if isinstance(schema, dict):
        out = {k: strict(v) for k, v in schema.items()}
        if "properties" in out and "additionalProperties" not in out and not out.get("x-kubernetes-preserve-unknown-fields"):
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [strict(v) for v in schema]
    return schema


def validate_custom(obj: dict) -> str:
    """One custom resource against its trimmed CRD schema."""
    import jsonschema

    name = CUSTOM[(obj["apiVersion"], obj["kind"])]
    crd = json.loads((CRDS / f"{name}.schema.json").read_text(encoding="utf-8"))
    if f"{crd['group']}/{crd['version']}" != obj["apiVersion"] or crd["kind"] != obj["kind"]:
        raise CheckFailed(f"{name}.schema.json is for {crd['group']}/{crd['version']} {crd['kind']}")
    validator = jsonschema.Draft7Validator(strict(crd["openAPIV3Schema"]))
    errors = sorted(validator.iter_errors(obj), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"  {'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors[:10]]
        raise CheckFailed(f"{obj['kind']} {obj['metadata']['name']} does not match its CRD schema:\n" + "\n".join(lines))
    return f"CRD schema: {obj['kind']} {obj['metadata']['name']}"


def adapter_rule(metric: str) -> dict:
    """The prometheus-adapter rule that provides ``metric``."""
    rules = yaml.safe_load(ADAPTER.read_text(encoding="utf-8"))["rules"]["custom"]
    found = [r for r in rules if r["name"]["as"] == metric]
    if len(found) != 1:
        raise CheckFailed(f"{ADAPTER}: {len(found)} rules provide the HPA's metric {metric!r}, expected 1")
    return found[0]


def filled_query(rule: dict) -> str:
    """The rule's metricsQuery as prometheus-adapter runs it for the pods of one namespace."""
    return (rule["metricsQuery"].replace("<<.GroupBy>>", "namespace, pod")
            .replace("<<.LabelMatchers>>", f'namespace="{NAMESPACE}",pod=~"{RELEASE}-.*"'))


def promtool_case(record: str) -> dict:
    """A promtool unit test: 2 req/s through the ensemble; inner queues add 100 + 300 + 200 us/s -> 300 us per request."""
    pod = f'namespace="{NAMESPACE}",pod="{RELEASE}-abc"'
    per_second = {"ner_tokenizer": 100, "ner_model": 300, "ner_decoder": 200}
    series = [{"series": f'nv_inference_queue_duration_us{{{pod},model="{m}"}}', "values": f"0+{v * 15}x40"} for m, v in per_second.items()]
    series += [
        # Excluded: another model on the same server, the inner models' own request counts, another namespace.
        {"series": f'nv_inference_queue_duration_us{{{pod},model="other"}}', "values": "0+900000x40"},
        {"series": f'nv_inference_request_success{{{pod},model="ner"}}', "values": "0+30x40"},
        {"series": f'nv_inference_request_success{{{pod},model="ner_model"}}', "values": "0+300x40"},
        {"series": f'nv_inference_queue_duration_us{{namespace="other",pod="{RELEASE}-abc",model="ner_model"}}', "values": "0+900000x40"},
    ]
    return {"interval": "15s", "input_series": series, "promql_expr_test": [{
        "expr": record, "eval_time": "8m",
        "exp_samples": [{"labels": f'{record}{{{pod}}}', "value": sum(per_second.values()) / 2}],
    }]}


def check_autoscaling(objects: list[dict], promtool: Path, work: Path) -> list[str]:
    """The HPA reads the adapter's metric; the adapter's query parses and computes queue time per request."""
    hpas = [o for o in objects if o["kind"] == "HorizontalPodAutoscaler"]
    if not hpas:
        return ["autoscaling disabled: no HPA rendered"]
    (metric,) = [m["pods"]["metric"]["name"] for m in hpas[0]["spec"]["metrics"] if m["type"] == "Pods"]
    rule = adapter_rule(metric)
    query = filled_query(rule)
    for model in INNER_MODELS:
        if model not in query:
            raise CheckFailed(f"the autoscaling query does not read {model}'s queue time")
    record = "maritime_ner:queue_us_per_request"
    rules = work / "adapter_rules.yaml"
    rules.write_text(yaml.safe_dump({"groups": [{"name": "adapter", "rules": [{"record": record, "expr": query}]}]}), encoding="utf-8")
    tests = work / "adapter_rules_test.yaml"
    tests.write_text(yaml.safe_dump({"rule_files": [rules.name], "evaluation_interval": "15s", "tests": [promtool_case(record)]}),
                     encoding="utf-8")
    for args in (["check", "rules", str(rules)], ["test", "rules", str(tests)]):
        done = subprocess.run([str(promtool.resolve()), *args], capture_output=True, text=True, cwd=work)
        if done.returncode != 0:
            raise CheckFailed(f"promtool {' '.join(args[:2])}:\n{done.stdout}{done.stderr}")
    return [f"promtool check + test rules: HPA metric {metric} = {query}"]


def check(chart: Path, values_files: list[Path], promtool: Path, out: Path | None, kserve_file: Path = KSERVE) -> list[str]:
    """Every check; the lines say what passed. CheckFailed at the first failure."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        objects = render(chart, values_files)
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            (out / "rendered.yaml").write_text(yaml.safe_dump_all(objects, sort_keys=False), encoding="utf-8")
        lines = [f"helm lint --strict + render: {len(objects)} objects"]
        lines += validate_builtin(objects, work)
        kserve = [doc for doc in yaml.safe_load_all(kserve_file.read_text(encoding="utf-8")) if doc]
        lines += [validate_custom(o) for o in objects + kserve if (o["apiVersion"], o["kind"]) in CUSTOM]
        lines += check_autoscaling(objects, promtool, work)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--chart", type=Path, default=DEPLOY / "helm" / "maritime-ner")
    parser.add_argument("--values", type=Path, action="append", default=[], help="values file (repeatable)")
    parser.add_argument("--promtool", type=Path, required=True)
    parser.add_argument("--out", type=Path, help="write the rendered objects here (rendered.yaml)")
    parser.add_argument("--kserve", type=Path, default=KSERVE, help="InferenceService manifest to check")
    args = parser.parse_args(argv)
    try:
        lines = check(args.chart, args.values, args.promtool, args.out, args.kserve)
    except CheckFailed as err:
        print(f"chart-check: FAILED: {err}", file=sys.stderr)
        return 1
    print("\n".join(f"chart-check: ok {line}" for line in lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
