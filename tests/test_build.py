"""Configs parse and match the contract; the build refuses what broke production once."""

import json
import shutil

import pytest
from google.protobuf import text_format
from tritonclient.grpc import model_config_pb2 as mc

from maritime_ner.repository.build import SOURCES, BuildError, Tuning, build, check_contract
from maritime_ner.repository.configs import parse_config
from maritime_ner.core import contract
from tiny_model import make_checkpoint
from training.casing import write_case_marks
from training.export import export


def load(repo, name):
    return text_format.Parse((repo / name / "config.pbtxt").read_text(), mc.ModelConfig())


@pytest.mark.parametrize("name", contract.ALL_MODELS)
def test_source_configs_parse_and_are_named_after_their_folder(name):
    assert parse_config(SOURCES / name / "config.pbtxt").name == name


def test_source_configs_honour_the_contract():
    configs = {n: parse_config(SOURCES / n / "config.pbtxt") for n in contract.ALL_MODELS}
    check_contract(configs)
    ens, core = configs[contract.ENSEMBLE], configs[contract.ONNX_MODEL]
    assert ens.max_batch_size >= 8 and [i.name for i in ens.input] == [contract.TEXT]
    assert [o.name for o in ens.output] == [contract.SPANS]
    assert core.max_batch_size >= 64 and core.HasField("dynamic_batching")
    assert [i.name for i in core.input] == [contract.INPUT_IDS, contract.ATTENTION_MASK]
    assert all(i.data_type == mc.TYPE_INT64 for i in core.input)
    assert core.output[0].data_type == mc.TYPE_FP32
    # The fan-out steps must not batch (see the shared notes on windows).
    assert configs[contract.TOKENIZER_MODEL].max_batch_size == 0
    assert configs[contract.DECODER_MODEL].max_batch_size == 0


def test_built_repository_is_self_contained(built_repo):
    for name in contract.ALL_MODELS:
        load(built_repo, name)  # parses
    tok, dec = built_repo / contract.TOKENIZER_MODEL / "1", built_repo / contract.DECODER_MODEL / "1"
    assert (built_repo / contract.ONNX_MODEL / "1" / contract.ONNX_FILE).exists()
    assert (tok / contract.TOKENIZER_FILE).exists() and (tok / "model.py").exists()
    assert json.loads((dec / contract.LABELS_FILE).read_text()) == list(contract.LABELS)
    core = SOURCES.parent / "maritime_ner" / "core"
    shipped = sorted(p.relative_to(core) for p in core.glob("*.py"))
    assert len(shipped) >= 7
    for step in (tok, dec):  # the whole core, byte for byte, and nothing but the core
        copied = step / "maritime_ner" / "core"
        assert sorted(p.relative_to(copied) for p in copied.glob("*.py")) == shipped
        assert all((copied / f).read_bytes() == (core / f).read_bytes() for f in shipped)
        # __pycache__ is what a server that already loaded this repository writes, not what the build ships
        shipped_names = sorted(p.name for p in (step / "maritime_ner").iterdir() if p.name != "__pycache__")
        assert shipped_names == ["__init__.py", "core"]
    version = load(built_repo, contract.ONNX_MODEL).parameters[contract.MODEL_VERSION_PARAM].string_value
    assert version.startswith("ner-") and len(version) == 16
    assert "tokenizers" in (built_repo / "requirements-server.txt").read_text()


def test_tuning_is_applied_and_caps_windows(exported_model, tmp_path):
    tuned = tmp_path / "tuned.json"
    tuned.write_text(json.dumps({
        contract.ONNX_MODEL: {"max_batch_size": 96, "preferred_batch_size": [8, 16], "max_queue_delay_microseconds": 500},
        "instance_counts": {contract.TOKENIZER_MODEL: 3, contract.ONNX_MODEL: 2, contract.DECODER_MODEL: 1},
    }))
    out = tmp_path / "repo"
    build(exported_model, out, Tuning.load(tuned))
    core = load(out, contract.ONNX_MODEL)
    assert core.max_batch_size == 96 and list(core.dynamic_batching.preferred_batch_size) == [8, 16]
    assert core.dynamic_batching.max_queue_delay_microseconds == 500 and core.instance_group[0].count == 2
    assert load(out, contract.TOKENIZER_MODEL).parameters["max_windows"].string_value == "96"
    assert load(out, contract.TOKENIZER_MODEL).instance_group[0].count == 3


def test_two_class_model_is_refused(tmp_path):
    make_checkpoint(tmp_path / "ckpt", num_labels=2)
    export(tmp_path / "ckpt", tmp_path / "model")
    with pytest.raises(BuildError, match="id2label"):
        build(tmp_path / "model", tmp_path / "repo")
    # Even with a label map that claims 9 labels, the logits shape gives it away.
    config = json.loads((tmp_path / "model" / "config.json").read_text())
    config["id2label"] = {str(i): label for i, label in enumerate(contract.LABELS)}
    (tmp_path / "model" / "config.json").write_text(json.dumps(config))
    with pytest.raises(BuildError, match=r"\(batch, seq, 9\)"):
        build(tmp_path / "model", tmp_path / "repo")
    assert not (tmp_path / "repo").exists()


def test_wrong_label_order_is_refused(exported_model, tmp_path):
    model = tmp_path / "model"
    shutil.copytree(exported_model, model)
    config = json.loads((model / "config.json").read_text())
    config["id2label"]["1"], config["id2label"]["2"] = config["id2label"]["2"], config["id2label"]["1"]
    (model / "config.json").write_text(json.dumps(config))
    with pytest.raises(BuildError, match="id2label"):
        build(model, tmp_path / "repo")


def test_config_that_does_not_parse_is_refused(exported_model, tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    path = sources / contract.ONNX_MODEL / "config.pbtxt"
    path.write_text(path.read_text().replace("max_batch_size: 128", "max_batch_size 128 {"))
    with pytest.raises(BuildError, match="does not parse"):
        build(exported_model, tmp_path / "repo", sources=sources)


def test_logits_dims_in_config_must_be_nine(exported_model, tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    path = sources / contract.ONNX_MODEL / "config.pbtxt"
    path.write_text(path.read_text().replace("dims: [ -1, 9 ]", "dims: [ -1, 2 ]"))
    with pytest.raises(BuildError, match=r"\[-1, 9\]"):
        build(exported_model, tmp_path / "repo", sources=sources)


def test_cli_reports_errors_without_traceback(tmp_path, capsys):
    from maritime_ner.repository.build import main

    assert main(["--model-dir", str(tmp_path), "--out", str(tmp_path / "repo")]) == 1
    assert "make export" in capsys.readouterr().err


def test_decoder_min_score_comes_from_the_export(exported_model, tmp_path):
    model = tmp_path / "model"
    shutil.copytree(exported_model, model)
    (model / contract.DECODING_FILE).write_text(json.dumps({"min_score": 0.75}))
    build(model, tmp_path / "repo")
    assert load(tmp_path / "repo", contract.DECODER_MODEL).parameters[contract.MIN_SCORE_PARAM].string_value == "0.75"
    (model / contract.DECODING_FILE).write_text(json.dumps({"min_score": 2}))
    with pytest.raises(BuildError, match="min_score"):
        build(model, tmp_path / "repo2")


def test_the_served_window_is_the_training_window_from_the_export(exported_model, tmp_path):
    model = tmp_path / "model"
    shutil.copytree(exported_model, model)
    (model / contract.DECODING_FILE).write_text(json.dumps({"min_score": 0.5, "window": 256, "stride": 64}))
    build(model, tmp_path / "repo")
    params = load(tmp_path / "repo", contract.TOKENIZER_MODEL).parameters
    assert (params["window"].string_value, params["stride"].string_value) == ("256", "64")
    (model / contract.DECODING_FILE).write_text(json.dumps({"min_score": 0.5}))  # an older export: the template's
    build(model, tmp_path / "repo2")
    params = load(tmp_path / "repo2", contract.TOKENIZER_MODEL).parameters
    assert (params["window"].string_value, params["stride"].string_value) == (
        str(contract.DEFAULT_WINDOW), str(contract.DEFAULT_STRIDE))
    (model / contract.DECODING_FILE).write_text(json.dumps({"min_score": 0.5, "window": 4}))
    with pytest.raises(BuildError, match="window"):
        build(model, tmp_path / "repo3")


def test_core_and_tokenizer_must_agree_on_case_marks(exported_model, tmp_path):
    # A tokenizer that marks capitals in front of a core exported without marks: ids the core cannot read.
    make_checkpoint(tmp_path / "ckpt")
    export(tmp_path / "ckpt", tmp_path / "plain")
    write_case_marks(tmp_path / "plain", 30522)
    with pytest.raises(BuildError, match="exported without case marks"):
        build(tmp_path / "plain", tmp_path / "repo")
    # A core that reads marks behind a tokenizer that never sends them: it would never see a capital.
    marked = tmp_path / "marked"
    shutil.copytree(exported_model, marked)
    write_case_marks(marked, 0)
    with pytest.raises(BuildError, match="reads case marks"):
        build(marked, tmp_path / "repo")
    assert not (tmp_path / "repo").exists()
    write_case_marks(tmp_path / "plain", 0)
    build(tmp_path / "plain", tmp_path / "repo")  # a plain pair builds
