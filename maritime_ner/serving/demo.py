"""`make demo`: start the local tritonserver on the built repository, annotate the sample
documents over gRPC and HTTP, print the Label Studio predictions, stop the server."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from maritime_ner.client.ner_client import NerClient
from maritime_ner.core.ls_format import prediction
from maritime_ner import paths
from maritime_ner.serving.local_triton import TritonServer

SAMPLES = paths.resource(paths.SAMPLES)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--repository", type=Path, default=paths.REPO_OUT)
    parser.add_argument("--http-port", type=int, default=8000)
    parser.add_argument("--grpc-port", type=int, default=8001)
    parser.add_argument("--metrics-port", type=int, default=8002)
    parser.add_argument("--samples", type=Path, default=SAMPLES, help="folder of .txt documents")
    args = parser.parse_args(argv)
    files = sorted(args.samples.glob("*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    log = paths.state_dir() / "demo-server.log"
    log.parent.mkdir(exist_ok=True)
    server = TritonServer(args.repository, args.http_port, args.grpc_port, args.metrics_port, log_path=log)
    print(f"starting tritonserver on {args.repository} (log: {log}) ...", flush=True)
    with server:
        print(f"ready: HTTP {server.http_url}, gRPC {server.grpc_url}\n", flush=True)
        answers = {}
        for protocol, url in (("grpc", server.grpc_url), ("http", server.http_url)):
            client = NerClient(url, protocol)
            version = client.model_version()
            answers[protocol] = client.infer(texts)
            client.close()
        for f, text, result in zip(files, texts, answers["grpc"]):
            print(f"== {f.name} ({len(text)} characters)")
            for item in result:
                v = item["value"]
                print(f"  {v['labels'][0]:<11} [{v['start']:>4}, {v['end']:>4})  {v['text']!r}  score={item['score']:.3f}")
            print("  prediction:", json.dumps(prediction(result, version), ensure_ascii=False)[:300], "...\n")
        same = answers["grpc"] == answers["http"]
        print(f"gRPC and HTTP answers identical: {same}")
    print("server stopped")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
