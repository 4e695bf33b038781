"""`make verify`: check a live Triton against the serving contract; exit 1 with reasons if it breaks it.

    python -m maritime_ner.ops.verify --url HOST:PORT [--protocol grpc|http] [--smoke FILE]

(`maritime-ner verify --every SECONDS` repeats it as a canary with /metrics: maritime_ner.ops.canary.)

Checks, in order: the four models are ready; ``ner_model``'s metadata has INT64 inputs
``input_ids``/``attention_mask`` and an FP32 output ``logits`` ending in ``[-1, 9]``; its
config's label map is the contract's; smoke documents come back as valid Label Studio
spans that contain the entities the smoke file expects.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from maritime_ner import paths
from maritime_ner.core import contract
from maritime_ner.core.offsets import utf16_len, utf16_slice

DEFAULT_SMOKE = paths.resource(paths.SMOKE)
CORE_INPUTS = {contract.INPUT_IDS: "INT64", contract.ATTENTION_MASK: "INT64"}


@dataclass(frozen=True)
class Expected:
    """An entity a smoke document must yield: a served span with ``label`` covering [start, end) (UTF-16)."""

    text: str
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class SmokeDoc:
    """One smoke document and the entities the served model must find in it."""

    name: str
    text: str
    entities: tuple[Expected, ...]


@dataclass
class Report:
    """Outcome of one verification: passed checks and failures, each one line."""

    url: str
    passed: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def lines(self) -> list[str]:
        """Human-readable summary, failures first."""
        head = f"verify {self.url}: " + ("OK" if self.ok else f"FAILED ({len(self.failures)} problem(s))")
        return [head] + [f"  FAIL {f}" for f in self.failures] + [f"  ok   {p}" for p in self.passed]


def load_smoke(path: Path) -> list[SmokeDoc]:
    """Read a smoke file: [{"name", "text", "entities": [{"text", "label", optional "start"/"end" UTF-16}]}]."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    docs = []
    for i, item in enumerate(data):
        text, name = item["text"], item.get("name", f"doc{i}")
        entities = []
        for ent in item["entities"]:
            if ent["label"] not in contract.ENTITY_LABELS:
                raise ValueError(f"{path}: {name}: label {ent['label']!r} is not one of {list(contract.ENTITY_LABELS)}")
            if "start" in ent:
                start, end = int(ent["start"]), int(ent["end"])
            else:
                at = text.find(ent["text"])
                if at < 0:
                    raise ValueError(f"{path}: {name}: entity {ent['text']!r} does not occur in the text")
                start = utf16_len(text[:at])
                end = start + utf16_len(ent["text"])
            if utf16_slice(text, start, end) != ent["text"]:
                raise ValueError(f"{path}: {name}: offsets [{start}, {end}) do not hold {ent['text']!r}")
            entities.append(Expected(ent["text"], ent["label"], start, end))
        docs.append(SmokeDoc(name, text, tuple(entities)))
    return docs


def write_smoke(path: Path, docs: Sequence[SmokeDoc]) -> None:
    """Write a smoke file (offsets included) that `load_smoke` reads back."""
    data = [
        {"name": d.name, "text": d.text,
         "entities": [{"text": e.text, "label": e.label, "start": e.start, "end": e.end} for e in d.entities]}
        for d in docs
    ]
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def result_problems(text: str, results: Any) -> list[str]:
    """Why ``results`` is not a valid Label Studio result list for ``text`` (empty if it is)."""
    if not isinstance(results, list):
        return [f"SPANS is {type(results).__name__}, not a list of Label Studio results"]
    problems = []
    for k, r in enumerate(results):
        try:
            v = r["value"]
            names = (r["from_name"], r["to_name"], r["type"])
            start, end, label, score = v["start"], v["end"], v["labels"][0], r["score"]
        except (KeyError, IndexError, TypeError) as err:
            problems.append(f"result {k} lacks {err}: {r!r:.200}")
            continue
        if names != (contract.LS_FROM_NAME, contract.LS_TO_NAME, contract.LS_TYPE):
            problems.append(f"result {k} has from_name/to_name/type {names}")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= utf16_len(text)):
            problems.append(f"result {k} has offsets [{start}, {end}) outside the document")
        elif utf16_slice(text, start, end) != v.get("text"):
            problems.append(f"result {k} text {v.get('text')!r} is not the document's [{start}, {end})")
        if label not in contract.ENTITY_LABELS:
            problems.append(f"result {k} has label {label!r}, not one of {list(contract.ENTITY_LABELS)}")
        if not (isinstance(score, (int, float)) and 0 < score <= 1):
            problems.append(f"result {k} has score {score!r}")
    return problems


def missing_entities(doc: SmokeDoc, results: list[dict]) -> list[Expected]:
    """Expected entities that no served span of the same label contains."""
    spans = [(r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]) for r in results]
    return [e for e in doc.entities if not any(s <= e.start and e.end <= t and lab == e.label for s, t, lab in spans)]


class Verifier:
    """Runs the contract checks against one server through tritonclient."""

    def __init__(self, url: str, protocol: str = "grpc", timeout: float = 60.0, suffix: str = ""):
        from maritime_ner.client.ner_client import NerClient

        self.protocol, self.suffix = protocol, suffix  # suffix: checks models named <name><suffix>
        self.core = contract.ONNX_MODEL + suffix
        self.ner = NerClient(url, protocol, timeout, model=contract.ENSEMBLE + suffix)
        self.client, self.tc = self.ner.client, self.ner._tc
        self.report = Report(f"{protocol}://{url}")
        self.ready: dict[str, bool] = {}  # model (contract name) -> ready, as readiness() found it

    def _check(self, ok: bool, passed: str, failure: str) -> bool:
        (self.report.passed if ok else self.report.failures).append(passed if ok else failure)
        return ok

    def _json(self, message: Any) -> dict:
        """A gRPC protobuf or HTTP JSON answer as a dict with the HTTP field names."""
        if self.protocol == "http":
            return message
        from google.protobuf.json_format import MessageToDict

        return MessageToDict(message, preserving_proto_field_name=True)

    def readiness(self) -> bool:
        """Server live and all four models ready."""
        try:
            live = self.client.is_server_live()
        except Exception as err:  # connection refused, DNS, TLS: all mean "not reachable"
            return self._check(False, "", f"server not reachable at {self.report.url}: {err}")
        if not self._check(live, "server live", "server is not live"):
            return False
        names = [m + self.suffix for m in contract.ALL_MODELS]
        self.ready = {m: bool(self.client.is_model_ready(m + self.suffix)) for m in contract.ALL_MODELS}
        not_ready = [m + self.suffix for m, ok in self.ready.items() if not ok]
        return self._check(not not_ready, f"models ready: {', '.join(names)}",
                           f"models not ready: {', '.join(not_ready)} (all of {names} must be loaded)")

    def core_metadata(self) -> None:
        """ner_model's inputs/outputs: names, datatypes, and logits ending in [-1, NUM_LABELS]."""
        meta = self._json(self.client.get_model_metadata(self.core))
        inputs = {t["name"]: t for t in meta.get("inputs", [])}
        outputs = {t["name"]: t for t in meta.get("outputs", [])}
        for name, dtype in CORE_INPUTS.items():
            got = inputs.get(name, {}).get("datatype")
            self._check(got == dtype, f"{self.core} input {name} {dtype}",
                        f"{self.core} input '{name}' must be {dtype}, is {got or 'missing'} (inputs: {sorted(inputs)})")
        logits = outputs.get(contract.LOGITS)
        if not self._check(logits is not None, f"{self.core} has output {contract.LOGITS}",
                           f"{self.core} has no output '{contract.LOGITS}' (outputs: {sorted(outputs)})"):
            return
        shape = [int(d) for d in logits.get("shape", [])]
        self._check(logits.get("datatype") == "FP32", f"{contract.LOGITS} FP32",
                    f"{self.core} output '{contract.LOGITS}' must be FP32, is {logits.get('datatype')}")
        self._check(shape[-2:] == [-1, contract.NUM_LABELS], f"{contract.LOGITS} shape {shape}",
                    f"{self.core} output '{contract.LOGITS}' has shape {shape}; the contract needs [..., -1, "
                    f"{contract.NUM_LABELS}] ({contract.NUM_LABELS} labels): this is not the 9-label NER model")

    def label_map(self) -> None:
        """The labels ner_model's config declares for its logit columns equal the contract's."""
        config = self._json(self.client.get_model_config(self.core))
        config = config.get("config", config)
        raw = config.get("parameters", {}).get(contract.LABELS_PARAM, {}).get("string_value")
        labels = raw.split(",") if raw else None
        self._check(labels == list(contract.LABELS), f"label map {','.join(contract.LABELS)}",
                    f"{self.core} config parameter '{contract.LABELS_PARAM}' is {labels}, the contract's "
                    f"labels are {list(contract.LABELS)}" + ("" if labels else " (rebuild with `make build-repo`)"))

    def smoke(self, docs: Sequence[SmokeDoc]) -> None:
        """Each smoke document gives valid Label Studio spans containing its expected entities."""
        from maritime_ner.client.ner_client import InferenceFailed

        results = self.ner.infer([d.text for d in docs])
        for doc, result in zip(docs, results):
            if isinstance(result, InferenceFailed):
                self._check(False, "", f"smoke '{doc.name}': inference failed: {result}")
                continue
            problems = result_problems(doc.text, result)
            if not self._check(not problems, f"smoke '{doc.name}': valid Label Studio results",
                               f"smoke '{doc.name}': invalid results: " + "; ".join(problems[:3])):
                continue
            missing = missing_entities(doc, result)
            found = ", ".join(f"{r['value']['labels'][0]} {r['value']['text']!r}" for r in result[:8]) or "no spans"
            self._check(not missing, f"smoke '{doc.name}': {len(doc.entities)} expected entities found",
                        f"smoke '{doc.name}': no served span contains " + ", ".join(f"{e.label} {e.text!r}" for e in missing)
                        + f" (served: {found})")

    def run(self, docs: Sequence[SmokeDoc]) -> Report:
        """All checks; later ones are skipped when the server or models are not ready."""
        try:
            if self.readiness():
                self.core_metadata()
                self.label_map()
                self.smoke(docs)
        except self.tc.InferenceServerException as err:
            self._check(False, "", f"server answered with an error: {err.message()}")
        return self.report

    def close(self) -> None:
        self.ner.close()


def verify(url: str, protocol: str = "grpc", smoke: Path = DEFAULT_SMOKE, suffix: str = "") -> Report:
    """Verify the server at ``url`` (models named <name><suffix>) against the contract and the smoke file."""
    docs = load_smoke(smoke)
    verifier = Verifier(url, protocol, suffix=suffix)
    try:
        return verifier.run(docs)
    finally:
        verifier.close()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of a verification (shared with the canary's command line)."""
    parser.add_argument("--url", required=True, help="HOST:PORT of the server's gRPC (or HTTP with --protocol http) endpoint")
    parser.add_argument("--protocol", choices=("grpc", "http"), default="grpc")
    parser.add_argument("--smoke", type=Path, default=DEFAULT_SMOKE, help="smoke documents and the entities they must yield")


def read_smoke_arg(parser: argparse.ArgumentParser, path: Path) -> list[SmokeDoc]:
    """The smoke documents of ``--smoke``; a bad file is a usage error."""
    try:
        return load_smoke(path)
    except (OSError, ValueError, KeyError) as err:
        parser.error(f"cannot read smoke file {path}: {err}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(allow_abbrev=False, prog="python -m maritime_ner.ops.verify", description=__doc__.splitlines()[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    docs = read_smoke_arg(parser, args.smoke)
    verifier = Verifier(args.url, args.protocol)
    try:
        report = verifier.run(docs)
    finally:
        verifier.close()
    print("\n".join(report.lines()), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1

if __name__ == "__main__":
    sys.exit(main())
