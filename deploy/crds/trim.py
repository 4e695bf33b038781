"""Write the trimmed CRD schemas in this folder from upstream CRD YAML (run once per upstream update).

    python deploy/crds/trim.py PODMONITOR_CRD.yaml INFERENCESERVICE_CRD.yaml

Keeps each CRD's served version's ``openAPIV3Schema`` without ``status``. The InferenceService
schema is ~2 MB upstream: under ``spec`` only ``predictor`` is kept, and of the predictor's
properties only ``model`` and those whose schema is under 4 KB (replicas, scaling, service
account, ...). A manifest that uses a dropped field fails the offline check (deploy/check_chart.py
adds ``additionalProperties: false``): copy that field back in from upstream.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SMALL = 4096


def served_schema(crd: dict, version: str) -> dict:
    """openAPIV3Schema of ``version``, status removed."""
    (ver,) = [v for v in crd["spec"]["versions"] if v["name"] == version]
    schema = ver["schema"]["openAPIV3Schema"]
    schema["properties"].pop("status", None)
    return schema


def trim_inferenceservice(schema: dict) -> dict:
    spec = schema["properties"]["spec"]
    spec["properties"] = {"predictor": spec["properties"]["predictor"]}
    predictor = spec["properties"]["predictor"]
    predictor["properties"] = {k: v for k, v in predictor["properties"].items() if k == "model" or len(json.dumps(v)) < SMALL}
    return schema


def main(podmonitor: str, inferenceservice: str) -> None:
    for source, version, name, trim in ((podmonitor, "v1", "podmonitor", None),
                                         (inferenceservice, "v1beta1", "inferenceservice", trim_inferenceservice)):
        crd = yaml.safe_load(Path(source).read_text(encoding="utf-8"))
        schema = served_schema(crd, version)
        schema = trim(schema) if trim else schema
        out = {"group": crd["spec"]["group"], "version": version, "kind": crd["spec"]["names"]["kind"], "openAPIV3Schema": schema}
        (HERE / f"{name}.schema.json").write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
