"""Pre-annotation throughput: one request per prediction vs chunked bulk import, on fresh projects.

    LABEL_STUDIO_URL=... LABEL_STUDIO_API_KEY=... \\
    python -m maritime_ner.bench.preannotate --triton-url HOST:PORT [--tasks 2000] [--workers 4] [--chunk-size 200]

Creates two projects of ``--tasks`` documents each (the synthetic generator's, seeded), runs
``preannotate`` one-by-one (1 Triton request in flight) on the first and in bulk on the second,
checks that both stored one prediction per task, and prints tasks/s for each and their ratio
(JSON with ``--json``). Projects are left in Label Studio for inspection (their ids are printed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from typing import Any

from maritime_ner.client.ner_client import NerClient
from maritime_ner.labelstudio.api import LabelStudio, add_connection_args, label_config
from maritime_ner.labelstudio.preannotate import DEFAULT_CHUNK, DEFAULT_WORKERS, preannotate


def documents(n: int, seed: int) -> list[str]:
    """``n`` seeded synthetic documents (short genres: the bench measures the loop, not long texts)."""
    from training.generate import BASE_GENRES, generate_documents  # bench may use training; serving code may not

    return [d["text"] for d in generate_documents(n, seed, list(BASE_GENRES))]


def run_arm(ls: LabelStudio, triton_url: str, texts: list[str], bulk: bool, workers: int, chunk_size: int) -> dict[str, Any]:
    """One fresh project pre-annotated one way; its timing."""
    name = "bulk" if bulk else "one-by-one"
    project = ls.create_project(f"bench preannotate {name} {time.strftime('%H:%M:%S')}", label_config())
    for i in range(0, len(texts), 500):
        ls.import_tasks(project, [{"text": t} for t in texts[i : i + 500]])
    client = NerClient(triton_url)
    started = time.perf_counter()
    try:
        report = preannotate(ls, client, project, progress=False, workers=workers if bulk else 1,
                             make_client=lambda: NerClient(triton_url), chunk_size=chunk_size, bulk=bulk)
    finally:
        client.close()
    seconds = time.perf_counter() - started
    return {"arm": name, "project": project, "tasks": report.tasks, "stored": report.stored, "failed": len(report.failed),
            "dropped": report.dropped, "seconds": round(seconds, 2), "tasks_per_s": round(report.stored / seconds, 1),
            "workers": workers if bulk else 1, "chunk_size": chunk_size if bulk else 1}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(allow_abbrev=False, prog="python -m maritime_ner.bench.preannotate", description=__doc__.splitlines()[0])
    add_connection_args(parser)
    parser.add_argument("--triton-url", required=True, help="Triton gRPC HOST:PORT")
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    ls = LabelStudio.from_env(args.ls_url)
    texts = documents(args.tasks, args.seed)
    arms = [run_arm(ls, args.triton_url, texts, bulk, args.workers, args.chunk_size) for bulk in (False, True)]
    result = {"machine": f"{platform.machine()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end",
              "documents_chars": sum(map(len, texts)), "arms": arms,
              "speedup": round(arms[1]["tasks_per_s"] / max(arms[0]["tasks_per_s"], 1e-9), 1)}
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        for arm in arms:
            print(f"{arm['arm']:>10}: {arm['stored']}/{arm['tasks']} tasks in {arm['seconds']} s = {arm['tasks_per_s']} tasks/s "
                  f"(workers {arm['workers']}, chunk {arm['chunk_size']}, project {arm['project']}, failed {arm['failed']})")
        print(f"bulk / one-by-one: {result['speedup']}x on {result['machine']}")
    return 0 if all(a["failed"] == 0 and a["stored"] == a["tasks"] for a in arms) else 1


if __name__ == "__main__":
    sys.exit(main())
