"""Reliability against a real tritonserver: soak, a killed Python stub, malformed requests (loopback, bounded)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import numpy as np
import pytest
import tritonclient.grpc as grpcclient

from load import Load
from maritime_ner.core import contract
from maritime_ner.client.ner_client import InferenceFailed, NerClient
from maritime_ner.ops.deploy import Server
from maritime_ner.serving.local_triton import TritonServer, restricted_api_args
from maritime_ner.ops.watchdog import check_once, unhealthy_models

pytestmark = pytest.mark.integration
STUB = "triton_python_backend_stub"


def stubs(server_pid: int) -> dict[int, str]:
    """pid -> command line of the Python backend stubs the server started."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == server_pid and STUB in cmdline:
            found[int(entry.name)] = cmdline
    return found


def rss_kib(pids) -> int:
    """Summed VmRSS of live processes, KiB."""
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return total


@pytest.mark.slow
def test_soak_concurrency_32_for_60s(triton, record_property):
    pids = list(stubs(triton.process.pid))
    assert pids, "no Python stubs found under the server"
    with Load(triton.grpc_url, threads=32, max_seconds=75) as load:
        time.sleep(10)  # warm-up: shared-memory regions and caches settle
        warm = rss_kib(pids)
        time.sleep(50)
        end = rss_kib(pids)
    growth = (end - warm) / warm
    record_property("requests", load.ok)
    record_property("stub_rss_growth", round(growth, 4))
    print(f"\nsoak: {load.ok} ok, {load.failed} failed; stub RSS {warm} -> {end} KiB ({growth:+.1%})")
    assert load.failed == 0, dict(load.errors)
    assert load.ok > 0 and growth < 0.10


def test_killed_stub_recovers(built_repo, tmp_path, record_property):
    """A SIGKILLed decoder stub: the server recovers (by itself, or the watchdog reloads the model); later requests all succeed."""
    key = "reliability-test-key"
    extra = restricted_api_args(key) + ["--model-control-mode=explicit", "--load-model=*"]
    with TritonServer(built_repo, log_path=tmp_path / "server.log", extra_args=extra) as server:
        victims = [pid for pid, cmd in stubs(server.process.pid).items() if contract.DECODER_MODEL in cmd]
        assert victims, "no ner_decoder stub found"
        client = NerClient(server.grpc_url, "grpc", timeout=30)
        admin = Server(server.grpc_url, key)
        reloaded: set[str] = set()
        with Load(server.grpc_url, threads=4, max_seconds=90) as load:
            time.sleep(3)
            os.kill(victims[0], signal.SIGKILL)
            time.sleep(1)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                dead = check_once(client, admin)  # 8 probes reach both decoder instances
                reloaded |= dead
                if not dead:
                    break
            time.sleep(3)
            failed_before_later = load.failed
        later = [client.infer(["MV Ocean Star at Busan, IMO 9123456."])[0] for _ in range(20)]
        client.close()
        admin.close()
        assert server.process.poll() is None and server.ready()
    later_failed = [str(r) for r in later if not isinstance(r, list)]
    record_property("failed_after_kill", load.failed)
    record_property("later_failed", len(later_failed))
    print(f"\nkilled ner_decoder stub {victims[0]}: {load.ok} ok, {load.failed} failed during load "
          f"({dict(load.errors)}; {failed_before_later} before the reload settled); watchdog reloaded {sorted(reloaded)}; "
          f"{len(later_failed)} of 20 later requests failed")
    record_property("watchdog_reloaded", ",".join(sorted(reloaded)))
    assert load.ok > 0 and not later_failed, later_failed


def test_watchdog_reloads_only_models_named_in_stub_errors():
    class FakeClient:  # pure logic: what the ensemble answered, no server needed
        def infer(self, texts):
            return [InferenceFailed("in ensemble 'ner', Stub process 'ner_decoder_0_1' is not healthy."), []] + [[]] * (len(texts) - 2)

    class FakeServer:
        loaded: tuple = ()

        def load(self, models):
            self.loaded = models

    server = FakeServer()
    assert check_once(FakeClient(), server) == {"ner_decoder"} and server.loaded == ("ner_decoder",)


def test_watchdog_reads_model_names_from_triton_errors():
    messages = ["in ensemble 'ner', Stub process 'ner_decoder_0_1' is not healthy.", "other error",
                "Stub process 'ner_tokenizer_0_0' is not healthy."]
    assert unhealthy_models(messages) == {"ner_decoder", "ner_tokenizer"}


def tensor(name: str, array: np.ndarray, dtype: str) -> grpcclient.InferInput:
    t = grpcclient.InferInput(name, list(array.shape), dtype)
    t.set_data_from_numpy(array)
    return t


def text(rows) -> np.ndarray:
    return np.array([[r] for r in rows], dtype=np.object_)


MALFORMED = {
    "missing input": lambda: [],
    "wrong dtype": lambda: [tensor(contract.TEXT, np.array([[1]], dtype=np.int32), "INT32")],
    "wrong shape": lambda: [tensor(contract.TEXT, np.array([[b"a", b"b"]], dtype=np.object_), "BYTES")],
    "invalid UTF-8": lambda: [tensor(contract.TEXT, text([b"MV Ocean \xff\xfe Star"]), "BYTES")],
    "10 MB document": lambda: [tensor(contract.TEXT, text([b"MV Ocean Star at Busan. " * (10 * 2**20 // 24)]), "BYTES")],
    "oversized batch": lambda: [tensor(contract.TEXT, text([b"MV Ocean Star"] * 9), "BYTES")],
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_request_is_invalid_arg_and_server_stays_healthy(triton, case):
    client = grpcclient.InferenceServerClient(triton.grpc_url)
    with pytest.raises(grpcclient.InferenceServerException) as info:
        client.infer(contract.ENSEMBLE, MALFORMED[case](), client_timeout=120)
    assert info.value.status() == "StatusCode.INVALID_ARGUMENT", (info.value.status(), info.value.message())
    assert client.is_server_live() and client.is_model_ready(contract.ENSEMBLE)
    client.close()
    ner = NerClient(triton.grpc_url, "grpc")
    assert isinstance(ner.infer(["MV Ocean Star at Busan."])[0], list)
    ner.close()
