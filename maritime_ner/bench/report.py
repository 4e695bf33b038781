"""Bench results -> metrics, ratios against the targets, bench.json / bench.md / bench.png."""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path
from typing import Sequence

import numpy as np

from maritime_ner.core import contract
from maritime_ner.core.scores import entity_scores

from . import specs
from .corpus import gold_entities
from .specs import NO_FUSIONS, OFFLINE_FUSIONS, REFERENCE, REFERENCE_1DOC, REFERENCE_FP32, REFERENCE_INT8, TRITON, TRITON_VARIANTS, Variant
from .targets import (CONCURRENCY_VS_C1, CONCURRENCY_VS_CEILING, ENSEMBLE_VS_CEILING, ENSEMBLE_VS_HF, INT8_F1_DELTA,
                      PYTHON_SHARE, SPANS_IDENTICAL, TargetResult)

# CPU time spent outside the bench's own process tree during the run, as a share of all cores'
# time: above this, other work shared the CPU and the numbers are low and noisy.
CONTENDED_OTHER_CPU = 0.05
REPRODUCE = "make bench"


def machine(threads: int) -> dict:
    """What ran the bench: CPU, cores, memory, library versions, load before the run."""
    import onnxruntime
    import transformers

    cpu = "unknown"
    if Path("/proc/cpuinfo").exists():
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    try:
        import torch

        torch_version = torch.__version__
    except ImportError:
        torch_version = None
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem_gib, 1), "gpu": None,
        "python": platform.python_version(), "onnxruntime": onnxruntime.__version__, "torch": torch_version,
        "transformers": transformers.__version__, "tritonserver": "2.51.0 (nvidia-pytriton 0.7.0)",
        "threads": threads, "load_average_before": list(os.getloadavg()),
    }


def cpu_snapshot() -> dict[str, float] | None:
    """Busy CPU seconds of the whole machine and of this process plus its waited-for children.

    None where ``/proc/stat`` is missing (not Linux). The arms are children that the bench
    waits for, and they wait for theirs (tritonserver, its stubs), so the second number covers
    the bench's whole process tree once the arms have finished.
    """
    import resource

    try:
        fields = Path("/proc/stat").read_text(encoding="ascii").splitlines()[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    own = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return {"machine": (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK"),
            "bench": sum(r.ru_utime + r.ru_stime for r in own), "time": time.monotonic()}


def other_cpu_share(before: dict | None, after: dict | None) -> float | None:
    """Share of all cores' time that processes outside the bench used between two snapshots."""
    if not before or not after or after["time"] <= before["time"]:
        return None
    other = (after["machine"] - before["machine"]) - (after["bench"] - before["bench"])
    return round(max(other, 0.0) / ((after["time"] - before["time"]) * (os.cpu_count() or 1)), 4)


def entities(rows: Sequence[Sequence]) -> list[tuple[int, int, str]]:
    """(start, end, label) of span rows."""
    return [(int(r[0]), int(r[1]), str(r[2])) for r in rows]


def micro_f1(gold: Sequence[Sequence[tuple]], pred: Sequence[Sequence[tuple]]) -> float:
    """Strict entity-level micro F1."""
    return entity_scores(gold, pred)["micro"]["f1"]


def python_share(stats: dict[str, dict[str, int]] | None) -> float | None:
    """The Python steps' (tokenizer + decoder) share of the three steps' compute time."""
    if not stats:
        return None

    def compute(name: str) -> int:
        row = stats.get(name, {})
        return row.get("compute_input", 0) + row.get("compute_infer", 0) + row.get("compute_output", 0)

    return _python_fraction({name: compute(name) for name in contract.ALL_MODELS[1:]})


def _python_fraction(per_step: dict[str, float]) -> float | None:
    """(tokenizer + decoder) / (tokenizer + decoder + ner_model) of a per-step amount, None if all 0."""
    python = per_step.get(contract.TOKENIZER_MODEL, 0) + per_step.get(contract.DECODER_MODEL, 0)
    total = python + per_step.get(contract.ONNX_MODEL, 0)
    return round(python / total, 4) if total else None


def python_cpu_share(cpu: dict[str, float] | None) -> float | None:
    """The Python steps' share of the three steps' CPU time (their backend stubs' user + system seconds).

    Only where the ONNX step runs in a stub of its own (the local Python-based onnxruntime
    backend); Triton's native backend runs it inside tritonserver, whose CPU time also holds
    the frontends.
    """
    if not cpu or contract.ONNX_MODEL not in cpu:
        return None
    return _python_fraction(cpu)


def windows_per_execution(stats: dict[str, dict[str, int]] | None) -> float | None:
    """Average windows ner_model ran per ONNX Runtime execution (what the dynamic batcher formed)."""
    row = (stats or {}).get(contract.ONNX_MODEL, {})
    return round(row["inference_count"] / row["execution_count"], 2) if row.get("execution_count") else None


def phase_row(arm: str, variant: str, ph: dict, tokens: int, gold: list, reference: list | None) -> dict:
    """Metrics of one phase (``variant``: the name of the arm's spec: hf, reference, triton or a variant)."""
    lat = np.asarray(ph["latencies_ms"], dtype=float)
    pred = [entities(doc) for doc in ph["spans"]]
    row = {
        "name": ph["name"], "arm": arm, "variant": variant, "docs": len(ph["spans"]), "tokens": tokens, "wall_s": round(ph["wall_s"], 3),
        "docs_per_s": round(len(ph["spans"]) / ph["wall_s"], 3), "tokens_per_s": round(tokens / ph["wall_s"], 1),
        "latency_ms": {f"p{q}": round(float(np.percentile(lat, q)), 2) for q in (50, 95, 99)},
        "peak_rss_mb": ph.get("peak_rss_mb"), "f1_vs_gold": micro_f1(gold, pred),
    }
    if reference is not None:
        ref_entities = [entities(doc) for doc in reference]
        row["f1_vs_reference"] = micro_f1(ref_entities, pred)
        row["spans_identical_to_reference"] = pred == ref_entities
        if row["spans_identical_to_reference"]:
            diffs = [abs(a[3] - b[3]) for da, db in zip(ph["spans"], reference) for a, b in zip(da, db)]
            row["max_score_diff"] = round(max(diffs, default=0.0), 6)
    if "model_stats" in ph:
        row.update(protocol=ph["protocol"], concurrency=ph["concurrency"], python_share=python_share(ph["model_stats"]),
                   windows_per_execution=windows_per_execution(ph["model_stats"]), model_stats=ph["model_stats"],
                   python_cpu_share=python_cpu_share(ph.get("cpu_seconds")), cpu_seconds=ph.get("cpu_seconds"))
    return row


def rows_of(rows: list[dict], variant: Variant) -> list[dict]:
    """The phases of ``variant``'s arm, in order."""
    return [r for r in rows if r["variant"] == variant.name]


def row_of(rows: list[dict], variant: Variant) -> dict | None:
    """The first phase of ``variant``'s arm (a reference arm has only one)."""
    return next(iter(rows_of(rows, variant)), None)


def phase_of(rows: list[dict], variant: Variant, protocol: str, concurrency: int | None) -> dict | None:
    """A Triton arm's phase at one protocol and concurrency."""
    return next((r for r in rows_of(rows, variant) if r.get("protocol") == protocol and r.get("concurrency") == concurrency), None)


def is_ceiling(row: dict) -> bool:
    """A phase of a reference arm that runs the served graph as served (only the grouping may differ)."""
    variant = specs.variant(row["variant"])
    return row["arm"] == "reference" and isinstance(variant, specs.ReferenceVariant) and variant.is_ceiling


def ratio(a: float | None, b: float | None) -> float | None:
    """a / b rounded, or None."""
    return round(a / b, 3) if a and b else None


def comparison(rows: list[dict]) -> dict:
    """The issue's ratios: best ensemble phase vs the in-process ceiling and vs the HF pipeline."""
    ceiling = max(filter(is_ceiling, rows), key=lambda r: r["docs_per_s"])
    main = rows_of(rows, TRITON)
    best = max(main, key=lambda r: r["docs_per_s"]) if main else None
    hf = next((r for r in rows if r["arm"] == "hf"), None)
    return {**under_concurrency(main, ceiling),
        "ceiling": ceiling["name"], "ceiling_docs_per_s": ceiling["docs_per_s"],
        "best_ensemble": best and best["name"], "best_ensemble_docs_per_s": best and best["docs_per_s"],
        "hf_docs_per_s": hf and hf["docs_per_s"],
        "ensemble_vs_ceiling": ratio(best and best["docs_per_s"], ceiling["docs_per_s"]),
        "ensemble_vs_hf": ratio(best and best["docs_per_s"], hf and hf["docs_per_s"]),
        "ceiling_vs_hf": ratio(ceiling["docs_per_s"], hf and hf["docs_per_s"]),
        "python_share": best and best.get("python_share"),
        "python_cpu_share": best and best.get("python_cpu_share"),
        "spans_identical_at_concurrency_1": all(r.get("spans_identical_to_reference") for r in main if r.get("concurrency") == 1),
        "spans_identical_under_concurrency": all(r.get("spans_identical_to_reference") for r in main),
    }


def under_concurrency(main: list[dict], ceiling: dict) -> dict:
    """The worst phase above concurrency 1: against its protocol's concurrency-1 phase, and against the ceiling."""
    single = {r.get("protocol"): r for r in main if r.get("concurrency") == 1}
    loaded = [r for r in main if (r.get("concurrency") or 1) > 1]
    vs_c1 = [(ratio(r["docs_per_s"], single[r.get("protocol")]["docs_per_s"]), r["name"])
             for r in loaded if r.get("protocol") in single]
    worst_c1 = min(vs_c1) if vs_c1 else (None, None)
    slowest = min(loaded, key=lambda r: r["docs_per_s"]) if loaded else None
    return {"concurrency_vs_c1": worst_c1[0], "concurrency_vs_c1_phase": worst_c1[1],
            "concurrency_vs_ceiling": ratio(slowest and slowest["docs_per_s"], ceiling["docs_per_s"]),
            "concurrency_vs_ceiling_phase": slowest and slowest["name"]}


def target_results(c: dict) -> list[TargetResult]:
    """The issue's targets checked against this run's comparison."""
    moved = "" if c["spans_identical_under_concurrency"] else \
        " (dynamic INT8 scales activations per batch, so merged requests can move a few spans; see 'F1 vs (b)')"
    return [
        ENSEMBLE_VS_CEILING.check(c["ensemble_vs_ceiling"], f"best ensemble phase {c['best_ensemble']}, ceiling {c['ceiling']}"),
        ENSEMBLE_VS_HF.check(c["ensemble_vs_hf"], f"ceiling vs HF {fmt(c['ceiling_vs_hf'])}×"),
        PYTHON_SHARE.check(c["python_share"], "by the stubs' CPU time instead of Triton's wall-clock compute time: "
                                              f"{fmt(c['python_cpu_share'], 3)}"),
        SPANS_IDENTICAL.check(c["spans_identical_at_concurrency_1"],
                              f"also under concurrency: {fmt(c['spans_identical_under_concurrency'])}{moved}"),
        CONCURRENCY_VS_C1.check(c.get("concurrency_vs_c1"), f"worst phase {c.get('concurrency_vs_c1_phase')}"),
        CONCURRENCY_VS_CEILING.check(c.get("concurrency_vs_ceiling"),
                                     f"worst phase {c.get('concurrency_vs_ceiling_phase')}, ceiling {c['ceiling']}"),
    ]


def optimisations(rows: list[dict], concurrency: int | None) -> dict:
    """Each optimisation's measured effect, as ratios from this run."""
    out: dict = {}
    ref, nofuse = row_of(rows, REFERENCE), row_of(rows, NO_FUSIONS)
    fp32_row = row_of(rows, REFERENCE_FP32)  # present only when the repository serves INT8
    served_int8 = fp32_row is not None
    int8 = ref if served_int8 else row_of(rows, REFERENCE_INT8)
    fp32 = fp32_row or ref
    if nofuse:
        out["fusions_speedup"] = ratio(ref["docs_per_s"], nofuse["docs_per_s"])
    if int8 and fp32:
        delta = round(int8["f1_vs_gold"] - fp32["f1_vs_gold"], 4)
        out["int8"] = {"served": "int8" if served_int8 else "fp32",
                       "speedup": ratio(int8["docs_per_s"], fp32["docs_per_s"]), "f1_fp32": fp32["f1_vs_gold"],
                       "f1_int8": int8["f1_vs_gold"], "f1_delta": delta,
                       "f1_int8_vs_fp32_spans": (fp32 if served_int8 else int8)["f1_vs_reference"],
                       "qualifies_as_cpu_default": INT8_F1_DELTA.check(delta).met}
    fused = row_of(rows, OFFLINE_FUSIONS)
    if fused and fp32:
        out["offline_fusions"] = {"speedup": ratio(fused["docs_per_s"], fp32["docs_per_s"]),
                                  "spans_identical": fused.get("spans_identical_to_fp32", fused.get("spans_identical_to_reference"))}
    base = phase_of(rows, TRITON, "grpc", concurrency)
    variants = [(v, phase_of(rows, v, "grpc", concurrency)) for v in TRITON_VARIANTS]
    out["triton_variants"] = [
        {"variant": v.name, "description": v.description, "docs_per_s_vs_default": ratio(row["docs_per_s"], base["docs_per_s"]),
         "windows_per_execution": row.get("windows_per_execution"), "default_windows_per_execution": base.get("windows_per_execution")}
        for v, row in variants if row and base]
    return out


def summarize(results: list[dict], docs: list[dict], tokens: list[int], machine_info: dict, settings: dict) -> dict:
    """Everything bench.json holds (targets as TargetResult records; ``write`` makes them JSON)."""
    gold = gold_entities(docs)
    total_tokens = int(sum(tokens))
    by_name = {r["name"]: r for r in results}
    reference = by_name[REFERENCE.name]["phases"][0]["spans"]
    # The ensemble gets one document per request, like reference_1doc: compare (c) with that grouping.
    one_doc = by_name[REFERENCE_1DOC.name]["phases"][0]["spans"] if REFERENCE_1DOC.name in by_name else reference
    rows = []
    for result in results:
        for ph in result["phases"]:
            base = one_doc if result["arm"] == "triton" else reference
            rows.append(phase_row(result["arm"], result["name"], ph, total_tokens, gold,
                                  None if result["name"] == REFERENCE.name else base))
    fused, fp32 = by_name.get(OFFLINE_FUSIONS.name), by_name.get(REFERENCE_FP32.name)
    if fused and fp32:  # the fused graph is the fp32 graph rewritten: compare it with that, not with INT8
        row_of(rows, OFFLINE_FUSIONS)["spans_identical_to_fp32"] = ([entities(d) for d in fused["phases"][0]["spans"]]
                                                                    == [entities(d) for d in fp32["phases"][0]["spans"]])
    concurrency = max(settings["concurrency"])
    other = machine_info.get("other_cpu_share")
    contended = other is not None and other > CONTENDED_OTHER_CPU
    sources = {s: sum(1 for d in docs if d.get("source") == s) for s in sorted({d.get("source", "") for d in docs})}
    compared = comparison(rows)
    return {
        "machine": machine_info, "contended": contended, "settings": settings,
        "documents": {"count": len(docs), "tokens": total_tokens, "by_source": sources,
                      "longest_tokens": max(tokens, default=0)},
        "peak_rss_mb_per_arm": {r["name"]: r["peak_rss_mb"] for r in results},
        "phases": rows, "comparison": compared, "targets": target_results(compared),
        "optimisations": optimisations(rows, concurrency),
    }

def fmt(value, digits: int = 2) -> str:
    """A table cell."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "**no**"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def instance_counts(settings: dict, models: Sequence[str] = contract.ALL_MODELS[1:]) -> str:
    """"ner_tokenizer 1, ..." for ``models``, as the served repository configures them ("" if unknown)."""
    served = settings.get("served_instances", {})
    return ", ".join(f"{name} {served[name]}" for name in models if name in served)


def served_line(settings: dict) -> str:
    """The served repository's core precision and instance counts, as the Triton rows ran it."""
    counts = instance_counts(settings)
    return (f"Served repository: {settings.get('repository')} ({settings.get('served_precision')} core"
            + (f"; instances {counts}" if counts else "") + ").")


def markdown(summary: dict) -> str:
    """bench.md: machine, table, ratios against the targets, optimisations."""
    m, docs = summary["machine"], summary["documents"]
    lines = [
        "# Throughput bench", "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, no GPU; Python {m['python']}, "
        f"onnxruntime {m['onnxruntime']}, torch {m['torch']}, transformers {m['transformers']}, tritonserver {m['tritonserver']}. "
        f"Thread budget {m['threads']} per arm. Load average before/after: "
        f"{m['load_average_before'][0]:.2f} / {m.get('load_average_after', [float('nan')])[0]:.2f}; "
        f"CPU used by other processes during the run: {fmt(m.get('other_cpu_share'), 3)} of all cores"
        + (" — **measured under CPU contention** (other work shared the cores)." if summary["contended"] else "."),
        f"Documents: {docs['count']} ({', '.join(f'{k} {v}' for k, v in docs['by_source'].items())}), "
        f"{docs['tokens']:,} tokens, longest {docs['longest_tokens']:,} tokens. Reproduce: `{REPRODUCE}`.",
        served_line(summary["settings"]), "",
        "| arm | docs/s | tokens/s | p50 ms | p95 ms | p99 ms | peak RSS MiB | F1 vs gold | F1 vs (b) | spans = (b) | Python share | Python CPU share | windows/exec |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for r in summary["phases"]:
        lat = r["latency_ms"]
        lines.append(
            f"| {r['name']} | {fmt(r['docs_per_s'])} | {fmt(r['tokens_per_s'], 0)} | {fmt(lat['p50'], 1)} | {fmt(lat['p95'], 1)} | "
            f"{fmt(lat['p99'], 1)} | {fmt(r['peak_rss_mb'], 0)} | {fmt(r['f1_vs_gold'], 3)} | {fmt(r.get('f1_vs_reference'), 3)} | "
            f"{fmt(r.get('spans_identical_to_reference'))} | {fmt(r.get('python_share'), 3)} | {fmt(r.get('python_cpu_share'), 3)} | {fmt(r.get('windows_per_execution'), 1)} |")
    lines += [
        "", f"(b) for the Triton rows is `{REFERENCE_1DOC.name}` (one document per request, as the bench sends them); "
        f"for the other rows `{REFERENCE.name}` (8 documents per call).",
        "", "## Targets (ratios from this run)", "",
        *(target_line(r) for r in summary["targets"]),
        "", "## Optimisations (measured in this run)", "",
    ]
    opt = summary["optimisations"]
    if "fusions_speedup" in opt:
        lines.append(f"- ONNX Runtime transformer fusions (ORT_ENABLE_ALL vs ORT_DISABLE_ALL at session load): {fmt(opt['fusions_speedup'])}×")
    if "int8" in opt:
        q = opt["int8"]
        lines.append(f"- Dynamic INT8 (`QUANTIZE=int8`, served here: {q['served']}): {fmt(q['speedup'])}× the fp32 reference; entity F1 vs gold "
                     f"{fmt(q['f1_fp32'], 3)} → {fmt(q['f1_int8'], 3)} (delta {q['f1_delta']:+.4f}); "
                     f"{'qualifies' if q['qualifies_as_cpu_default'] else 'does not qualify'} as the CPU default (max loss {-INT8_F1_DELTA.minimum:g})")
    if "offline_fusions" in opt:
        f = opt["offline_fusions"]
        lines.append(f"- Offline BERT fusions (onnxruntime.transformers optimizer: fused Attention, SkipLayerNorm, BiasGelu) on the fp32 graph: "
                     f"{fmt(f['speedup'])}× the fp32 reference; spans identical to it: {fmt(f['spans_identical'])}")
    for v in opt.get("triton_variants", []):
        lines.append(f"- {variant_label(specs.variant(v['variant']), summary['settings'])}: {fmt(v['docs_per_s_vs_default'])}× "
                     f"the default's docs/s; windows per ONNX execution {fmt(v['windows_per_execution'], 1)} "
                     f"(default {fmt(v['default_windows_per_execution'], 1)})")
    return "\n".join(lines) + "\n"


def target_line(result: TargetResult) -> str:
    """One bench.md bullet: what the target measures, this run's value, its bound, met or not, what was compared."""
    t = result.target
    if isinstance(result.value, bool):
        value = "yes" if result.value else "no"
    else:
        value = fmt(result.value, t.digits) + (t.unit if result.value is not None else "")
    bound = f" (target {t.bound()})" if t.bound() else ""
    return (f"- {t.description}: **{value}**{bound} — {'met' if result.met else 'not met'}"
            + (f"; {result.detail}" if result.detail else ""))


def variant_label(variant: specs.TritonVariant, settings: dict) -> str:
    """A Triton variant's description, with the served instance counts when it changes them."""
    if variant.python_instances is None:
        return variant.description
    served = instance_counts(settings, (contract.TOKENIZER_MODEL, contract.DECODER_MODEL))
    return f"{variant.description} (served: {served or 'see config'})"


def chart(summary: dict, path: Path) -> None:
    """bench.png: documents/s and p95 latency per arm."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    rows = summary["phases"]
    names = [r["name"] for r in rows]
    colors = {"hf": "tab:red", "reference": "tab:blue", "triton": "tab:green"}
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 0.35 * len(rows) + 1.5), sharey=True)
    y = np.arange(len(rows))
    ax1.barh(y, [r["docs_per_s"] for r in rows], color=[colors[r["arm"]] for r in rows])
    ax1.set_yticks(y, names)
    ax1.invert_yaxis()
    ax1.set_xlabel("documents / s")
    ax2.barh(y, [r["latency_ms"]["p95"] for r in rows], color=[colors[r["arm"]] for r in rows])
    ax2.set_xscale("log")
    ax2.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax2.set_xlabel("p95 latency per document (ms, log)")
    m = summary["machine"]
    title = f"{m['cores']} cores, {m['threads']} threads per arm" + (" (under CPU contention)" if summary["contended"] else "")
    fig.suptitle(f"maritime NER throughput — {title}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write(summary: dict, out: Path) -> None:
    """bench.json, bench.md and bench.png into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False, default=jsonable), encoding="utf-8")
    (out / "bench.md").write_text(markdown(summary), encoding="utf-8")
    chart(summary, out / "bench.png")


def jsonable(value: object) -> dict:
    """The records a summary holds (target results) as bench.json entries."""
    if isinstance(value, TargetResult):
        return value.to_json()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def headline(summary: dict) -> str:
    """One line for the terminal."""
    c = summary["comparison"]
    met = ", ".join(f"{r.target.key} {'met' if r.met else 'NOT met'}" for r in summary["targets"])
    return (f"bench: ensemble {fmt(c['best_ensemble_docs_per_s'])} docs/s ({c['best_ensemble']}) = "
            f"{fmt(c['ensemble_vs_ceiling'])}× ceiling, {fmt(c['ensemble_vs_hf'])}× HF; Python share {fmt(c['python_share'], 3)}; "
            f"targets: {met}")
