"""Reload Python steps whose stub process died (tritonserver 2.51's Python backend does not restart them).

A killed or crashed ``triton_python_backend_stub`` leaves its model instance answering
"Stub process '<model>_<group>_<index>' is not healthy" while Triton still reports the model
ready. The watchdog probes the ensemble, finds such messages, and reloads the named model
through the repository API (explicit model-control mode, admin key from the environment).

    python -m maritime_ner.ops.watchdog --url HOST:GRPC_PORT [--interval 10] [--once]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time

from maritime_ner.core import contract
from maritime_ner.client.ner_client import InferenceFailed, NerClient
from maritime_ner.ops.deploy import DeployError, Server

UNHEALTHY = re.compile(r"Stub process '(?P<model>[\w.-]+?)_\d+_\d+' is not healthy")
PROBE = "MV Ocean Star (IMO 9123456) loaded yellowfin tuna at Busan on 12 March 2025."
PROBES_PER_CHECK = 8  # enough to reach every instance of each step under round-robin


def unhealthy_models(messages: list[str]) -> set[str]:
    """Model names found in 'stub process is not healthy' errors."""
    return {m.group("model") for text in messages for m in UNHEALTHY.finditer(text)}


def check_once(client: NerClient, server: Server, probes: int = PROBES_PER_CHECK) -> set[str]:
    """Probe the ensemble; reload every model whose stub is dead. Returns the reloaded names."""
    failures = [str(r) for r in client.infer([PROBE] * probes) if isinstance(r, InferenceFailed)]
    dead = unhealthy_models(failures) & set(contract.ALL_MODELS)
    if dead:
        server.load(tuple(sorted(dead)))
    return dead


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(allow_abbrev=False, prog="python -m maritime_ner.ops.watchdog", description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="localhost:8001", help="gRPC HOST:PORT of a server in explicit model-control mode")
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between checks")
    parser.add_argument("--once", action="store_true", help="check once and exit (0: healthy or repaired)")
    args = parser.parse_args(argv)
    client = NerClient(args.url, "grpc", timeout=60)
    server = Server(args.url, os.environ.get(contract.ADMIN_KEY_ENV))
    try:
        while True:
            try:
                reloaded = check_once(client, server)
            except DeployError as err:
                print(f"watchdog: reload failed: {err}", file=sys.stderr, flush=True)
                if args.once:
                    return 1
                reloaded = set()
            if reloaded:
                print(f"watchdog: reloaded {', '.join(sorted(reloaded))} (dead stub)", flush=True)
            if args.once:
                return 0
            time.sleep(args.interval)
    except KeyboardInterrupt:
        return 0
    finally:
        client.close()
        server.close()


if __name__ == "__main__":
    sys.exit(main())
