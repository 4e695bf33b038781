"""Label alignment, training windows, a short real fine-tune, resuming, and the ONNX export check."""

import dataclasses
import json
import random

import numpy as np
import pytest

from maritime_ner.core import contract
from maritime_ner.core.tokenization import load_tokenizer, window_spec
from tiny_model import make_checkpoint, write_tiny_training_data
from training.data import IGNORE_INDEX, LengthGroupedBatches, collate, load_records, make_windows, token_labels
from training.export import ExportError, export
from training.train import STATE_DIR, Interrupted, TrainConfig, default_base_model, train

TEXT = "F/V Hai Feng 718 (IMO9123456) landed yellowfin tuna at Port of Busan on 12 March 2025."
ENTITIES = [
    {"start": 0, "end": 16, "label": "VESSEL"},
    {"start": 18, "end": 28, "label": "IMO"},
    {"start": 37, "end": 51, "label": "SPECIES"},
    {"start": 55, "end": 68, "label": "PORT"},
    {"start": 72, "end": 85, "label": "DATE"},
]


@pytest.fixture(scope="module")
def tokenizer():
    return load_tokenizer(f"{default_base_model()}/tokenizer.json")


def test_every_subtoken_gets_its_entity_label(tokenizer):
    enc = tokenizer.encode(TEXT, add_special_tokens=False)
    labels = token_labels(np.array(enc.offsets), ENTITIES)
    by_token = {tok: contract.LABELS[l] for tok, l in zip(enc.tokens, labels)}
    imo = [contract.LABELS[l] for (a, _), l in zip(enc.offsets, labels) if 18 <= a < 28]
    assert len(imo) > 2 and set(imo) == {"IMO"}  # glued prefix and digits: all sub-tokens
    assert by_token["yellow"] == by_token["##fin"] == "SPECIES"
    assert by_token["landed"] == by_token["("] == by_token["."] == "O"


def test_training_windows_follow_serving_windows(tokenizer):
    spec = window_spec(tokenizer, 0, window=8, stride=2, buckets=())
    examples = make_windows(tokenizer, [{"text": TEXT, "entities": ENTITIES}], spec)
    assert len(examples) > 3
    for e in examples:
        assert e["labels"][0] == e["labels"][-1] == IGNORE_INDEX  # [CLS], [SEP]
        assert len(e["input_ids"]) == len(e["labels"]) <= 8
    batch = collate(examples, pad_id=0)
    assert batch["input_ids"].shape == batch["labels"].shape == batch["attention_mask"].shape


def test_records_are_validated(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": "abc", "entities": [{"start": 0, "end": 9, "label": "PORT"}]}) + "\n")
    with pytest.raises(ValueError, match="outside"):
        load_records(path)
    path.write_text(json.dumps({"text": "abc", "entities": [{"start": 0, "end": 2, "label": "CITY"}]}) + "\n")
    with pytest.raises(ValueError, match="unknown label"):
        load_records(path)


def test_label_studio_export_is_read_as_training_data(tmp_path):
    export_file = tmp_path / "export.json"
    export_file.write_text(json.dumps([{"id": 1, "data": {"text": "🚢 Busan"}, "annotations": [
        {"id": 1, "result": [{"type": "labels", "value": {"start": 3, "end": 8, "labels": ["PORT"]}}]}]}]))
    assert load_records(export_file) == [{"text": "🚢 Busan", "entities": [{"start": 2, "end": 7, "label": "PORT"}]}]


def test_batches_group_lengths_and_replay_each_epochs_order():
    lengths = [random.Random(1).randrange(3, 60) for _ in range(50)]
    batches = LengthGroupedBatches(lengths, batch_size=8, seed=0)
    orders = []
    for epoch in range(3):
        batches.set_epoch(epoch)
        orders.append([list(b) for b in batches])
        assert sorted(i for b in orders[-1] for i in b) == list(range(50))
    assert orders[0] != orders[1] != orders[2]
    # Epoch e = the seed's (e+1)-th successive shuffle of the length-sorted batches (the loop before accelerate).
    rng, plain = random.Random(0), [sorted(range(50), key=lengths.__getitem__)[i : i + 8] for i in range(0, 50, 8)]
    for order in orders:
        rng.shuffle(plain)
        assert order == plain
    for b in orders[0]:
        assert max(lengths[i] for i in b) - min(lengths[i] for i in b) <= 60 // 3


def tiny_config(tmp_path, **overrides) -> TrainConfig:
    """A few seconds of real training on a tiny model: 16 windows, 3 batches an epoch."""
    base = tmp_path / "base"
    if not base.exists():
        make_checkpoint(base, confidence=1.0)
    data = write_tiny_training_data(tmp_path / "train.jsonl")
    settings = dict(base_model=str(base), train_file=data, dev_file=data, output_dir=tmp_path / "out",
                    batch_size=6, learning_rate=3e-3, max_steps=7, quiet=True, threads=1)
    return TrainConfig(**{**settings, **overrides})


def plain_loop_losses(cfg: TrainConfig) -> list[float]:
    """The hand-written loop train.py had before accelerate (main at 1eb27db), reduced to its losses."""
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer, get_linear_schedule_with_warmup

    from maritime_ner.core.tokenization import unbounded

    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)
    hf_tokenizer = AutoTokenizer.from_pretrained(cfg.base_model)
    tokenizer = unbounded(hf_tokenizer.backend_tokenizer)
    model = AutoModelForTokenClassification.from_pretrained(
        cfg.base_model, num_labels=contract.NUM_LABELS, id2label=contract.ID2LABEL, label2id=contract.LABEL2ID,
        attn_implementation="eager")
    # case marks by hand: ids of capitalised tokens shifted by the vocabulary size, read back as token type 1,
    # whose embedding starts as a copy of type 0's
    shift = model.config.vocab_size
    with torch.no_grad():
        model.bert.embeddings.token_type_embeddings.weight[1] = model.bert.embeddings.token_type_embeddings.weight[0]
    examples = make_windows(tokenizer, load_records(cfg.train_file), window_spec(tokenizer, 0, cfg.max_length, cfg.stride, ()),
                            shift)
    examples.sort(key=lambda e: len(e["input_ids"]))
    batches = [examples[i : i + cfg.batch_size] for i in range(0, len(examples), cfg.batch_size)]
    no_decay = ("bias", "LayerNorm.weight")
    groups = [{"params": [p for n, p in model.named_parameters() if not any(k in n for k in no_decay)], "weight_decay": cfg.weight_decay},
              {"params": [p for n, p in model.named_parameters() if any(k in n for k in no_decay)], "weight_decay": 0.0}]
    optimizer = torch.optim.AdamW(groups, lr=cfg.learning_rate)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(cfg.warmup_ratio * cfg.max_steps), cfg.max_steps)
    rng, losses = random.Random(cfg.seed), []
    while len(losses) < cfg.max_steps:
        rng.shuffle(batches)
        for batch in batches[: cfg.max_steps - len(losses)]:
            model.train()
            inputs = {k: torch.from_numpy(v) for k, v in collate(batch, 0).items()}
            marked = inputs["input_ids"] >= shift
            inputs["input_ids"] = torch.where(marked, inputs["input_ids"] - shift, inputs["input_ids"])
            loss = model(**inputs, token_type_ids=marked.long()).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            losses.append(round(loss.item(), 5))
    return losses


def history_losses(cfg: TrainConfig) -> list[float]:
    return [h["loss"] for h in json.loads((cfg.output_dir / "training_metrics.json").read_text())["history"]]


def test_accelerate_loop_computes_the_plain_loops_losses(tmp_path):
    cfg = tiny_config(tmp_path, dropout=-1)  # the model's own dropout: both loops must draw the same masks
    train(cfg)
    assert history_losses(cfg) == plain_loop_losses(cfg)  # same seed: same batches, dropout, updates


def test_interrupted_run_resumes_where_it_stopped(tmp_path):
    # With the model's own dropout the resumed run must also restore the random streams its masks come from.
    whole = tiny_config(tmp_path, output_dir=tmp_path / "whole", dropout=-1)
    train(whole)
    cut = tiny_config(tmp_path, output_dir=tmp_path / "cut", stop_after_steps=4, dropout=-1)
    with pytest.raises(Interrupted):
        train(cut)
    assert (cut.output_dir / STATE_DIR / "progress.json").exists()
    with pytest.raises(ValueError, match="learning_rate"):
        train(dataclasses.replace(cut, stop_after_steps=0, learning_rate=1e-3))
    train(dataclasses.replace(cut, stop_after_steps=0))
    metrics = json.loads((cut.output_dir / "training_metrics.json").read_text())
    assert metrics["resumed_from_step"] == 4 and metrics["steps"] == 7
    # Weights, optimiser, scheduler, RNGs and the place in epoch 1's order all came back.
    assert history_losses(cut) == history_losses(whole)
    assert not (cut.output_dir / STATE_DIR).exists() and (cut.output_dir / "config.json").exists()


def test_short_fine_tune_learns_and_keeps_best_checkpoint(tmp_path):
    base = make_checkpoint(tmp_path / "base", confidence=1.0)
    data = tmp_path / "train.jsonl"
    data.write_text("\n".join(json.dumps({"text": TEXT, "entities": ENTITIES}) for _ in range(16)) + "\n")
    cfg = TrainConfig(base_model=str(base), train_file=data, dev_file=data, output_dir=tmp_path / "out",
                      batch_size=8, learning_rate=3e-3, max_steps=60, evals_per_epoch=1, quiet=True)
    best = train(cfg)
    assert best["micro"]["f1"] > 0.5  # a memorised sentence: a broken loop stays near 0
    saved = json.loads((tmp_path / "out" / "config.json").read_text())
    assert [saved["id2label"][str(i)] for i in range(contract.NUM_LABELS)] == list(contract.LABELS)
    metrics = json.loads((tmp_path / "out" / "training_metrics.json").read_text())
    assert metrics["steps"] == 60 and any("dev_f1" in h for h in metrics["history"])


def test_export_fails_when_onnx_disagrees_with_pytorch(tmp_path):
    make_checkpoint(tmp_path / "ckpt")
    with pytest.raises(ExportError, match="differ"):
        export(tmp_path / "ckpt", tmp_path / "model", tolerance=-1.0)
    assert not (tmp_path / "model" / contract.ONNX_FILE).exists()


def test_export_writes_dynamic_opset17_graph(exported_model):
    import onnx

    model = onnx.load(str(exported_model / contract.ONNX_FILE))
    assert max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx")) >= 17
    dims = {i.name: [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim] for i in model.graph.input}
    assert all(isinstance(d, str) for d in dims[contract.INPUT_IDS])  # batch and sequence are symbolic
    assert [o.name for o in model.graph.output] == [contract.LOGITS]


@pytest.mark.slow
def test_train_benchmark_reports_padding_and_time_per_phase(tmp_path):
    from training import bench_train

    cfg = tiny_config(tmp_path)
    out = tmp_path / "bench"
    assert bench_train.main(["--base-model", cfg.base_model, "--train-file", str(cfg.train_file), "--dev-file", str(cfg.dev_file),
                             "--steps", "1", "--warmup", "0", "--variants", "current,random-pad-max", "--out", str(out)]) == 0
    result = json.loads((out / "bench_train.json").read_text())
    current, padded = result["variants"]
    assert padded["pad_share"] > 0.5 > current["pad_share"]  # short windows padded to 128 vs to their batch's longest
    assert set(current["share"]) == set(bench_train.PHASES) and current["projection"]["run_s"] > 0
    assert "| current |" in (out / "bench_train.md").read_text()


def test_freeze_layers_fixes_embeddings_and_lowest_layers(tmp_path):
    """--freeze-layers 1 on the 2-layer tiny model: embeddings and layer 0 unchanged, layer 1 and the head trained."""
    import torch
    from transformers import AutoModelForTokenClassification

    cfg = tiny_config(tmp_path, freeze_layers=1, evals_per_epoch=1)
    before = AutoModelForTokenClassification.from_pretrained(cfg.base_model)
    train(cfg)
    after = AutoModelForTokenClassification.from_pretrained(cfg.output_dir)
    weights = {n: p for n, p in after.named_parameters()}
    changed = {n for n, p in before.named_parameters() if not torch.equal(p, weights[n])}
    assert changed, "nothing trained"
    assert not {n for n in changed if ".embeddings." in n or ".layer.0." in n}
    assert any(".layer.1." in n for n in changed) and any(n.startswith("classifier") for n in changed)


def test_freeze_layers_default_and_bad_values(tmp_path):
    """0 (the default) freezes nothing; -1 a third of the layers (none of the tiny model's 2); all of them is refused."""
    from training.train import freeze, load_model

    base = tmp_path / "base"
    make_checkpoint(base)
    model = load_model(str(base))
    for setting in (0, -1):
        freeze(model, TrainConfig(freeze_layers=setting))
        assert all(p.requires_grad for p in model.parameters())
    with pytest.raises(ValueError, match="leave at least one to train"):
        freeze(model, TrainConfig(freeze_layers=2))


def test_dropout_setting_reaches_every_dropout_layer(tmp_path):
    """--dropout 0 makes training-mode forwards repeatable (hidden and attention masks gone); -1 keeps the model's."""
    import torch

    from training.train import load_model, set_dropout

    base = tmp_path / "base"
    make_checkpoint(base)
    model = load_model(str(base))
    rates = [m.p for m in model.modules() if isinstance(m, torch.nn.Dropout)]
    set_dropout(model, -1)
    assert [m.p for m in model.modules() if isinstance(m, torch.nn.Dropout)] == rates and max(rates) > 0
    ids = torch.randint(5, 90, (2, 12))
    model.train()
    assert not torch.equal(model(input_ids=ids).logits, model(input_ids=ids).logits)
    set_dropout(model, 0)
    assert torch.equal(model(input_ids=ids).logits, model(input_ids=ids).logits)
    with pytest.raises(ValueError, match="below 1"):
        set_dropout(model, 1.0)
