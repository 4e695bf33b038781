"""`make bench-train`: training throughput of the default model, where a step's time goes, and variants.

Every variant trains a fresh copy of the base model for the same number of optimiser steps on
the same training file (batches drawn in that variant's epoch order, so they sample its length
mix), timing data (collate), forward, backward and optimiser separately; one dev-set pass with
the served decoding is timed once. From these it projects a whole `make train` run per variant.
Numbers and their reading: docs/training.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import platform
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from .train import (TrainConfig, default_base_model, evaluate, freeze, load_model, make_optimizer, set_dropout,
                    torch_forward)

PHASES = ("data", "forward", "backward", "optimizer")
_DEFAULTS = TrainConfig()


@dataclass(frozen=True)
class Variant:
    name: str
    batching: str = "sorted"  # sorted: length-sorted batches, shuffled (train.py); random; random-max: padded to max_length
    max_length: int = _DEFAULTS.max_length
    stride: int = _DEFAULTS.stride
    threads: int = 0  # 0 = torch's default
    batch_size: int = _DEFAULTS.batch_size
    freeze_embeddings: bool = _DEFAULTS.freeze_embeddings
    freeze_layers: int = _DEFAULTS.freeze_layers
    dropout: float = _DEFAULTS.dropout
    note: str = ""


VARIANTS = {v.name: v for v in (
    Variant("current", note="train.py's defaults: length-sorted batches, dynamic padding, no window overlap"),
    Variant("stride32", stride=32, note="consecutive windows share 32 tokens (the default before the fast demo)"),
    Variant("freeze-layers", freeze_layers=-1, note="embeddings and the lowest third of the layers fixed (--freeze-layers -1)"),
    Variant("freeze-emb", freeze_embeddings=True, note="only the word embeddings fixed (--freeze-embeddings)"),
    Variant("random-pad-max", batching="random-max", note="random batches padded to max_length (HF padding='max_length')"),
    Variant("random-dynamic", batching="random", note="random batches, padded to their longest window"),
    Variant("len256", max_length=256, note="256-token windows"),
    Variant("len512", max_length=512, note="512-token windows, as few as the documents allow"),
    Variant("threads1", threads=1, note="torch.set_num_threads(1)"),
    Variant("batch32", batch_size=32, note="32 windows a batch (half the steps; the schedule changes)"),
    Variant("dropout", dropout=-1, note="the base model's own dropout (BERT: 0.1) instead of none (--dropout -1)"),
)}


def epoch_batches(lengths: Sequence[int], v: Variant, seed: int) -> list[list[int]]:
    """Epoch 0's batches of example indices under ``v``'s batching."""
    from .data import LengthGroupedBatches

    if v.batching == "sorted":
        return list(LengthGroupedBatches(lengths, v.batch_size, seed))
    order = list(range(len(lengths)))
    random.Random(seed).shuffle(order)
    return [order[i : i + v.batch_size] for i in range(0, len(order), v.batch_size)]


def padding(lengths: Sequence[int], batches: list[list[int]], pad_to: int) -> dict:
    """Real and padded tokens of one epoch; ``pad_to`` > 0 pads every batch to that length."""
    real = sum(lengths)
    padded = sum(len(b) * (pad_to or max(lengths[i] for i in b)) for b in batches)
    return {"real_tokens": real, "padded_tokens": padded, "pad_share": round(1 - real / padded, 4)}


def time_steps(model, optimizer, examples, batches, pad_id: int, pad_to: int, steps: int, warmup: int) -> dict:
    """Seconds per phase over ``steps`` timed optimiser steps (after ``warmup`` untimed ones)."""
    import torch

    from .data import collate

    phases = dict.fromkeys(PHASES, 0.0)
    tokens = padded = 0
    model.train()
    for n, batch in enumerate(batches[: warmup + steps]):
        t0 = time.perf_counter()
        chosen = [examples[i] for i in batch]
        if pad_to:  # a fake longest window forces the pad length, then is dropped
            arrays = collate(chosen + [{"input_ids": np.zeros(pad_to, np.int64), "labels": np.zeros(pad_to, np.int64)}], pad_id)
            arrays = {k: a[:-1] for k, a in arrays.items()}
        else:
            arrays = collate(chosen, pad_id)
        tensors = {k: torch.from_numpy(a) for k, a in arrays.items()}
        t1 = time.perf_counter()
        loss = model(**tensors).loss
        t2 = time.perf_counter()
        loss.backward()
        t3 = time.perf_counter()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad()
        t4 = time.perf_counter()
        if n >= warmup:
            for phase, seconds in zip(PHASES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
                phases[phase] += seconds
            tokens += int(arrays["attention_mask"].sum())
            padded += arrays["attention_mask"].size
    timed = min(steps, len(batches) - warmup)
    total = sum(phases.values())
    return {
        "steps": timed,
        "seconds": round(total, 3),
        "steps_per_s": round(timed / total, 3),
        "tokens_per_s": round(tokens / total, 1),
        "padded_tokens_per_s": round(padded / total, 1),
        "share": {p: round(s / total, 3) for p, s in phases.items()},
    }


def run_variant(v: Variant, base: str, records, cfg: TrainConfig, steps: int, warmup: int, default_threads: int) -> dict:
    """Windows, padding and timed steps of one variant, on a fresh model."""
    import torch
    from transformers import AutoTokenizer

    from maritime_ner.core.tokenization import unbounded, window_spec

    from .data import make_windows

    torch.set_num_threads(v.threads or default_threads)
    hf_tokenizer = AutoTokenizer.from_pretrained(base)
    tokenizer, pad_id = unbounded(hf_tokenizer.backend_tokenizer), hf_tokenizer.pad_token_id or 0
    t0 = time.perf_counter()
    examples = make_windows(tokenizer, records, window_spec(tokenizer, pad_id, v.max_length, v.stride, buckets=()))
    windowing = time.perf_counter() - t0
    lengths = [len(e["input_ids"]) for e in examples]
    batches = epoch_batches(lengths, v, cfg.seed)
    pad_to = v.max_length if v.batching == "random-max" else 0
    torch.manual_seed(cfg.seed)
    model = load_model(base)
    set_dropout(model, v.dropout)
    freeze(model, dataclasses.replace(cfg, freeze_embeddings=v.freeze_embeddings, freeze_layers=v.freeze_layers))
    timing = time_steps(model, make_optimizer(model, cfg), examples, batches, pad_id, pad_to, steps, warmup)
    return {
        **dataclasses.asdict(v),
        "threads": v.threads or default_threads,
        "windows": len(examples),
        "steps_per_epoch": len(batches),
        "windowing_s": round(windowing, 2),
        **padding(lengths, batches, pad_to),
        **timing,
    }


def time_eval(base: str, dev_records, cfg: TrainConfig, threads: int) -> dict:
    """One dev-set pass with the served decoding (what train.py runs at each evaluation)."""
    import torch
    from transformers import AutoTokenizer

    from maritime_ner.core import contract
    from maritime_ner.core.tokenization import DocumentEncoder, unbounded
    from maritime_ner.repository.reference import Pipeline

    torch.set_num_threads(threads)
    hf_tokenizer = AutoTokenizer.from_pretrained(base)
    encoder = DocumentEncoder(unbounded(hf_tokenizer.backend_tokenizer), hf_tokenizer.pad_token_id or 0,
                              window=cfg.dev_window, stride=contract.stride_for(cfg.dev_window), buckets=(), max_windows=10**6)
    model = load_model(base).eval()
    pipeline = Pipeline(encoder, torch_forward(model), contract.ID2LABEL)
    t0 = time.perf_counter()
    evaluate(pipeline, dev_records)
    return {"docs": len(dev_records), "seconds": round(time.perf_counter() - t0, 2)}


def seconds(value: float) -> float:
    """A duration to three significant digits (a tiny test run must not round to zero)."""
    return float(f"{value:.3g}")


def project(row: dict, cfg: TrainConfig, eval_s: float) -> dict:
    """A whole default run (cfg.epochs, one evaluation per epoch plus the last step) from measured rates."""
    total_steps = math.ceil(row["steps_per_epoch"] * cfg.epochs)
    passes = total_steps // row["steps_per_epoch"] + (total_steps % row["steps_per_epoch"] > 0)
    train_s = total_steps / row["steps_per_s"]
    return {"total_steps": total_steps, "train_s": seconds(train_s), "eval_s": seconds(passes * eval_s),
            "run_s": seconds(train_s + passes * eval_s + row["windowing_s"])}


def speedup(reference_s: float, variant_s: float) -> str:
    """How many times faster a variant is than the reference ('n/a' when a time rounds to zero)."""
    return f"{reference_s / variant_s:.2f}x" if variant_s > 0 and reference_s > 0 else "n/a"


def markdown(result: dict) -> str:
    """The report's tables."""
    head = result["machine"]
    lines = [f"Machine: {head['cpu']}, {head['cores']} cores, load average {head['load_before']} before / "
             f"{head['load_after']} after; torch {head['torch']}, {head['threads']} threads by default; "
             f"{result['steps']} timed steps per variant after {result['warmup']} warm-up steps.", "",
             f"Dev pass (served decoding, {result['eval']['docs']} docs): {result['eval']['seconds']} s.", "",
             "| variant | windows | pad share | tokens/s | steps/s | data | fwd | bwd | opt | projected run | vs current |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    current = next((r for r in result["variants"] if r["name"] == "current"), result["variants"][0])
    for r in result["variants"]:
        s, p = r["share"], r["projection"]
        lines.append(
            f"| {r['name']} | {r['windows']} | {r['pad_share']:.0%} | {r['tokens_per_s']:.0f} | {r['steps_per_s']:.2f} | "
            f"{s['data']:.0%} | {s['forward']:.0%} | {s['backward']:.0%} | {s['optimizer']:.0%} | "
            f"{p['run_s']} s ({p['train_s']} train + {p['eval_s']} eval) | "
            f"{speedup(current['projection']['run_s'], p['run_s'])} |")
    lines += ["", *(f"- {r['name']}: {r['note']}" for r in result["variants"])]
    return "\n".join(lines) + "\n"


def machine(threads: int) -> dict:
    """What the numbers were measured on."""
    import os

    import torch

    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "torch": torch.__version__, "threads": threads,
            "load_before": round(os.getloadavg()[0], 1)}


def main(argv: list[str] | None = None) -> int:
    import os

    import torch

    from .data import load_records

    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__)
    parser.add_argument("--base-model", default="", help="hub id or folder; '' = the embedded MiniLM default")
    parser.add_argument("--train-file", type=Path, default=Path("data/train.jsonl"))
    parser.add_argument("--dev-file", type=Path, default=Path("data/val.jsonl"))
    parser.add_argument("--steps", type=int, default=30, help="timed optimiser steps per variant")
    parser.add_argument("--warmup", type=int, default=2, help="untimed steps before timing")
    parser.add_argument("--variants", default="all", help=f"comma-separated, from: {', '.join(VARIANTS)}")
    parser.add_argument("--eval-docs", type=int, default=0, help="time the dev pass on this many docs, scaled up (0 = all)")
    parser.add_argument("--out", type=Path, default=Path("reports/bench-train"))
    args = parser.parse_args(argv)
    names = list(VARIANTS) if args.variants == "all" else args.variants.split(",")
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        parser.error(f"unknown variants {unknown}; choose from {list(VARIANTS)}")
    threads = torch.get_num_threads()  # torch's default, before any variant changes it
    cfg, base = TrainConfig(), args.base_model or default_base_model()
    records, dev = load_records(args.train_file), load_records(args.dev_file)
    info = machine(threads)
    rows = []
    for name in names:
        row = run_variant(VARIANTS[name], base, records, cfg, args.steps, args.warmup, threads)
        rows.append(row)
        print(f"{name}: {row['tokens_per_s']:.0f} tokens/s, {row['steps_per_s']:.2f} steps/s, pad {row['pad_share']:.0%}", flush=True)
    sample = dev[: args.eval_docs] if args.eval_docs else dev
    eval_pass = time_eval(base, sample, cfg, threads)
    eval_pass = {"docs": len(dev), "seconds": round(eval_pass["seconds"] * len(dev) / len(sample), 2),
                 "measured_docs": len(sample)}
    for row in rows:
        row["projection"] = project(row, cfg, eval_pass["seconds"])
    info["load_after"] = round(os.getloadavg()[0], 1)
    result = {"machine": info, "steps": args.steps, "warmup": args.warmup, "eval": eval_pass, "variants": rows}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench_train.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    report = markdown(result)
    (args.out / "bench_train.md").write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
