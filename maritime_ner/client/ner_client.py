"""Send documents to the served ``ner`` ensemble; print one Label Studio prediction per document.

    python -m maritime_ner.client.ner_client [--url HOST:PORT] [--protocol grpc|http] FILE... (- for stdin)

Several URLs (replicas of one model): `maritime-ner annotate --url A,B` (maritime_ner.client.replicas).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from maritime_ner.core import contract
from maritime_ner.core.ls_format import prediction

DEFAULT_URLS = {"grpc": "localhost:8001", "http": "localhost:8000"}
MAX_DOCS_PER_REQUEST = 8  # the ensemble's max_batch_size


class InferenceFailed(Exception):
    """The server refused a document (its message says why; ``status`` is Triton's, e.g. StatusCode.UNAVAILABLE)."""

    def __init__(self, message: str, status: str | None = None):
        super().__init__(message)
        self.status = status


class NerClient:
    """A thin tritonclient wrapper for the ensemble, over gRPC or HTTP."""

    def __init__(self, url: str | None = None, protocol: str = "grpc", timeout: float = 120.0, model: str = contract.ENSEMBLE):
        if protocol not in DEFAULT_URLS:
            raise ValueError(f"protocol must be grpc or http, got {protocol!r}")
        self.protocol, self.url, self.timeout = protocol, url or DEFAULT_URLS[protocol], timeout
        self.model = model  # the ensemble's name (a deploy test-loads a candidate under another name)
        if protocol == "grpc":
            import tritonclient.grpc as tc
        else:
            import tritonclient.http as tc
        self._tc = tc
        kwargs = {} if protocol == "grpc" else {"connection_timeout": timeout, "network_timeout": timeout}
        self.client = tc.InferenceServerClient(self.url, **kwargs)

    def model_version(self) -> str:
        """The served model's version tag (written by the build into ner_model's config)."""
        config = self.client.get_model_config(contract.ONNX_MODEL)
        if self.protocol == "grpc":
            params = {k: v.string_value for k, v in config.config.parameters.items()}
        else:
            params = {k: v["string_value"] for k, v in config.get("parameters", {}).items()}
        return params.get(contract.MODEL_VERSION_PARAM, contract.ONNX_MODEL)

    def infer_batch(self, texts: Sequence[str | bytes]) -> list[list[dict[str, Any]]]:
        """Label Studio results for up to 8 documents in one request."""
        rows = np.array([[t if isinstance(t, bytes) else t.encode("utf-8")] for t in texts], dtype=np.object_)
        tensor = self._tc.InferInput(contract.TEXT, list(rows.shape), "BYTES")
        tensor.set_data_from_numpy(rows)
        output = self._tc.InferRequestedOutput(contract.SPANS)
        kwargs = {"client_timeout": self.timeout} if self.protocol == "grpc" else {}
        try:
            result = self.client.infer(self.model, [tensor], outputs=[output], **kwargs)
        except self._tc.InferenceServerException as err:
            raise InferenceFailed(err.message(), err.status()) from None
        return [json.loads(row[0]) for row in result.as_numpy(contract.SPANS)]

    def infer(self, texts: Sequence[str]) -> list[list[dict[str, Any]] | InferenceFailed]:
        """Results for any number of documents; a refused batch is retried one document at a time."""
        out: list[list[dict[str, Any]] | InferenceFailed] = []
        for i in range(0, len(texts), MAX_DOCS_PER_REQUEST):
            chunk = texts[i : i + MAX_DOCS_PER_REQUEST]
            try:
                out.extend(self.infer_batch(chunk))
            except InferenceFailed:
                for text in chunk:
                    try:
                        out.extend(self.infer_batch([text]))
                    except InferenceFailed as err:
                        out.append(err)
        return out

    def close(self) -> None:
        self.client.close()


def read_documents(paths: Sequence[str]) -> list[tuple[str, str]]:
    """(name, text) for each FILE argument; ``-`` reads standard input."""
    docs = []
    for path in paths:
        if path == "-":
            docs.append(("<stdin>", sys.stdin.read()))
        else:
            docs.append((path, Path(path).read_text(encoding="utf-8")))
    return docs


def parse_args(argv: list[str] | None, prog: str) -> tuple[argparse.Namespace, list[tuple[str, str]]]:
    """The annotate command's options and its documents (shared with the replicas' entry point)."""
    parser = argparse.ArgumentParser(allow_abbrev=False, prog=prog, description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", metavar="FILE", help="UTF-8 text documents; - for stdin")
    parser.add_argument("--url", help="HOST:PORT (default localhost:8001 for grpc, localhost:8000 for http); "
                                      "several, comma-separated, to spread the documents over replicas")
    parser.add_argument("--protocol", choices=sorted(DEFAULT_URLS), default="grpc")
    args = parser.parse_args(argv)
    try:
        docs = read_documents(args.files)
    except (OSError, UnicodeDecodeError) as err:
        parser.error(f"cannot read input: {err}")
    return args, docs


def annotate(client: Any, docs: Sequence[tuple[str, str]], protocol: str) -> int:
    """Send the documents through ``client`` (a NerClient or a ReplicaPool), print one prediction per line."""
    try:
        version = client.model_version()
        results = client.infer([text for _, text in docs])
    except Exception as err:  # connection refused, server not ready: say so plainly
        print(f"error: cannot use Triton at {client.url} ({protocol}): {err}", file=sys.stderr)
        return 2
    finally:
        client.close()
    if hasattr(client, "summary"):
        print(client.summary(), file=sys.stderr)
    failed = 0
    for (name, _), result in zip(docs, results):
        if isinstance(result, InferenceFailed):
            failed += 1
            print(f"error: {name}: {result}", file=sys.stderr)
            continue
        print(json.dumps(prediction(result, version), ensure_ascii=False))
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    args, docs = parse_args(argv, "python -m maritime_ner.client.ner_client")
    if args.url and "," in args.url:
        print("error: several URLs: use `maritime-ner annotate` (python -m maritime_ner.client.replicas)", file=sys.stderr)
        return 2
    return annotate(NerClient(args.url, args.protocol), docs, args.protocol)


if __name__ == "__main__":
    sys.exit(main())
