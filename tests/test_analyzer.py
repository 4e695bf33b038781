"""Model Analyzer loop: generated configs (parsed back), tune's choice, and a real minimal sweep end to end."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from google.protobuf import text_format
from model_analyzer.config.input.config_command_profile import ConfigCommandProfile
from tritonclient.grpc import model_config_pb2 as mc

from maritime_ner.repository.build import Tuning, build
from maritime_ner.repository.configs import parse_config
from maritime_ner.tuning import analyzer
from maritime_ner import paths
from maritime_ner.core import contract
from maritime_ner.serving import local_triton
from maritime_ner.tuning.tune import CSV_NAME, OUTPUT_REPO, Candidate, best, tune

from training.generate import LONG_GENRE, generate_documents

# The shipped dev set, plus generated documents and long dossiers (what `make profile` adds).
DOCS = analyzer.dev_texts() + [d["text"] for d in generate_documents(20, seed=7) + generate_documents(2, seed=8, genres=[LONG_GENRE])]


def write_variant(folder: Path, name: str, model: str, max_batch: int, count: int, delay: int = 0, preferred=()) -> None:
    """A variant config.pbtxt as Model Analyzer writes it into its output repository."""
    config = mc.ModelConfig(name=model, max_batch_size=max_batch)
    config.instance_group.add(count=count, kind=mc.ModelInstanceGroup.KIND_CPU)
    if delay or preferred:
        config.dynamic_batching.max_queue_delay_microseconds = delay
        config.dynamic_batching.preferred_batch_size.extend(preferred)
    path = folder / OUTPUT_REPO / name / "config.pbtxt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text_format.MessageToString(config), encoding="utf-8")


def write_csv(folder: Path, rows: list[tuple[str, int, float, float]]) -> None:
    """A metrics-model-inference.csv with Model Analyzer's header."""
    path = folder / CSV_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Model", "Batch", "Concurrency", "Model Config Path", "Instance Group", "Max Batch Size",
                      "Satisfies Constraints", "Throughput (infer/sec)", "p99 Latency (ms)"])
        for path_cell, conc, thr, p99 in rows:
            out.writerow(["m", 1, conc, path_cell, "1:CPU", "0", "?", thr, p99])


def test_max_windows_is_read_from_the_built_tokenizer_config(built_repo, tmp_path):
    repo = tmp_path / "model_repository"
    shutil.copytree(built_repo, repo)
    config_path = repo / contract.TOKENIZER_MODEL / "config.pbtxt"
    config = parse_config(config_path)
    assert analyzer.max_windows(repo) == int(config.parameters["max_windows"].string_value)
    config.parameters["max_windows"].string_value = "37"
    config_path.write_text(text_format.MessageToString(config), encoding="utf-8")
    assert analyzer.max_windows(repo) == 37


def test_documents_add_jsonl_files_to_the_dev_set(tmp_path):
    extra = tmp_path / "more.jsonl"
    extra.write_text('{"text": "MV Sea Hawk"}\n\n{"text": "Port of Bergen"}\n', encoding="utf-8")
    assert analyzer.documents([extra]) == analyzer.dev_texts() + ["MV Sea Hawk", "Port of Bergen"]


TEMPLATE_DIR = paths.resource(paths.ANALYZER_CONFIGS)
TARGETS = {"perf_latency_p99": {"max": 100}, "perf_throughput": {"min": 100}}


def placeholders(node) -> list[str]:
    """Every string value still holding a ``${`` placeholder."""
    if isinstance(node, dict):
        return [p for v in node.values() for p in placeholders(v)]
    if isinstance(node, list):
        return [p for v in node for p in placeholders(v)]
    return [node] if isinstance(node, str) and "${" in node else []


def write_template(path: Path, edit) -> Path:
    """A copy of the quick core template with ``edit(config)`` applied."""
    config = yaml.safe_load((TEMPLATE_DIR / analyzer.TEMPLATES["quick"]["core"]).read_text(encoding="utf-8"))
    edit(config)
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def test_every_shipped_yaml_is_a_listed_template_with_the_design_targets():
    shipped = {p.name for p in TEMPLATE_DIR.glob("*.yaml")}
    assert shipped == {name for per_search in analyzer.TEMPLATES.values() for name in per_search.values()}
    valid = set(ConfigCommandProfile().get_config())  # Model Analyzer's own option names
    for sweep, per_search in analyzer.TEMPLATES.items():
        for search, name in per_search.items():
            config = analyzer.load_config(TEMPLATE_DIR / name)
            assert set(config) <= valid, (name, set(config) - valid)
            assert analyzer.search_of(config, TEMPLATE_DIR / name) == search
            assert config["constraints"] == TARGETS and config["objectives"] == analyzer.design_targets().objectives
            assert analyzer.target_note(config, name) is None
            assert placeholders(config)  # the machine parts are left to the run


@pytest.mark.parametrize("sweep", sorted(analyzer.TEMPLATES))
def test_filled_configs_have_this_machine_contract_names_real_documents_and_targets(built_repo, tmp_path, sweep):
    windows = analyzer.max_windows(built_repo)
    tools = analyzer.Tools.local()
    written = analyzer.generate(built_repo, tmp_path, analyzer.chosen_templates(sweep, analyzer.SEARCHES), DOCS, tools)
    assert set(written) == set(analyzer.SEARCHES)
    configs = {search: yaml.safe_load(path.read_text(encoding="utf-8")) for search, path in written.items()}
    for search, config in configs.items():
        assert placeholders(config) == []
        assert list(config["profile_models"]) == [analyzer.SEARCH_MODELS[search]]
        assert config["constraints"] == TARGETS
        assert config["objectives"]["perf_throughput"] > config["objectives"]["perf_latency_p99"] > 0
        assert config["model_repository"] == str(built_repo.resolve())
        assert config["triton_server_path"] == str(tools.tritonserver) and Path(config["triton_server_path"]).is_file()
        assert config["triton_server_flags"]["backend_directory"] == str(tools.backend_directory)
        assert config["triton_server_environment"]["LD_LIBRARY_PATH"] == local_triton.server_env()["LD_LIBRARY_PATH"]
        assert Path(config["checkpoint_directory"]).is_relative_to(tmp_path / search)
        assert not Path(config["checkpoint_directory"]).exists()  # fresh for every run
        assert Path(config["output_model_repository_path"]) == tmp_path / search / OUTPUT_REPO
        ports = [config[k].rsplit(":", 1)[1] for k in ("triton_http_endpoint", "triton_grpc_endpoint")]
        assert not set(ports) & {"8000", "8001"}
        flags = next(iter(config["profile_models"].values()))["perf_analyzer_flags"]
        assert flags["input-data"] != "zero" and Path(flags["input-data"]).is_file()
        template = analyzer.load_config(analyzer.template_path(sweep, search))
        assert flags == {**template["profile_models"][analyzer.SEARCH_MODELS[search]]["perf_analyzer_flags"], "input-data": flags["input-data"]}

    core = configs["core"]["profile_models"][contract.ONNX_MODEL]["model_config_parameters"]
    shipped = analyzer.load_config(analyzer.template_path(sweep, "core"))["profile_models"][contract.ONNX_MODEL]["model_config_parameters"]
    assert core == shipped  # the sweep values are the template's, as written
    assert min(core["max_batch_size"]) >= windows
    ensemble = configs["ensemble"]
    assert ensemble["run_config_search_mode"] == "quick"
    assert {contract.TOKENIZER_MODEL, contract.DECODER_MODEL} <= set(ensemble["cpu_only_composing_models"])
    assert ensemble["run_config_search_max_model_batch_size"] >= ensemble["run_config_search_min_model_batch_size"] >= windows


def test_model_analyzer_itself_accepts_a_filled_config(built_repo, tmp_path):
    from model_analyzer.cli.cli import CLI

    path = analyzer.generate(built_repo, tmp_path, analyzer.chosen_templates("quick", ["core"]), DOCS, analyzer.Tools.local())["core"]
    cli = CLI()
    cli.add_subcommand(cmd="profile", help="", config=ConfigCommandProfile())
    _, config = cli.parse(["profile", "-f", str(path)])
    assert config.triton_server_path == yaml.safe_load(path.read_text())["triton_server_path"]
    assert config.constraints == TARGETS


@pytest.mark.parametrize(("value", "message"), [
    ("${gpu_count}", "unknown placeholder '${gpu_count}'"),
    ("/opt/${triton_server_path}/bin", "must be the key's whole value"),
])
def test_a_bad_placeholder_is_a_clear_error(built_repo, tmp_path, value, message):
    template = write_template(tmp_path / "bad.yaml", lambda c: c.update(triton_server_path=value))
    with pytest.raises(analyzer.AnalyzerConfigError, match=r"bad\.yaml: triton_server_path: .*" + re.escape(message)):
        analyzer.generate(built_repo, tmp_path / "out", [template], DOCS, analyzer.Tools.local())


def core_params(config: dict) -> dict:
    return config["profile_models"][contract.ONNX_MODEL]["model_config_parameters"]


@pytest.mark.parametrize(("sizes", "message"), [
    ([1, 2], "every value is below the built repository's max_windows"),
    (["big"], "expected positive integers"),
    ([], "expected positive integers"),
])
def test_a_bad_sweep_is_a_clear_error(built_repo, tmp_path, sizes, message):
    template = write_template(tmp_path / "bad.yaml", lambda c: core_params(c).update(max_batch_size=sizes))
    with pytest.raises(analyzer.AnalyzerConfigError, match=re.escape(message)):
        analyzer.generate(built_repo, tmp_path / "out", [template], DOCS, analyzer.Tools.local())


def test_batch_sizes_below_max_windows_are_dropped_and_the_search_minimum_raised(built_repo, tmp_path):
    windows = analyzer.max_windows(built_repo)
    template = write_template(tmp_path / "mine.yaml", lambda c: core_params(c).update(max_batch_size=[windows // 2, windows, 2 * windows]))
    path = analyzer.generate(built_repo, tmp_path / "out", [template], DOCS, analyzer.Tools.local())["core"]
    assert core_params(yaml.safe_load(path.read_text()))["max_batch_size"] == [windows, 2 * windows]
    config = {"run_config_search_min_model_batch_size": 1}
    analyzer.floor_core_batch(config, windows, template)
    assert config["run_config_search_min_model_batch_size"] == windows
    with pytest.raises(analyzer.AnalyzerConfigError, match="run_config_search_max_model_batch_size"):
        analyzer.floor_core_batch({"run_config_search_max_model_batch_size": windows - 1}, windows, template)


@pytest.mark.parametrize(("edit", "message"), [
    (lambda c: c.update(profile_models={"ner_tokenizer": {}}), "profile_models must name exactly one model"),
    (lambda c: c.pop("checkpoint_directory"), "missing checkpoint_directory"),
    (lambda c: c["profile_models"][contract.ONNX_MODEL]["perf_analyzer_flags"].update({"input-data": "zero"}), "input-data is 'zero'"),
])
def test_a_config_that_would_measure_the_wrong_thing_is_refused(built_repo, tmp_path, edit, message):
    template = write_template(tmp_path / "bad.yaml", edit)
    with pytest.raises(analyzer.AnalyzerConfigError, match=re.escape(message)):
        analyzer.generate(built_repo, tmp_path / "out", [template], DOCS, analyzer.Tools.local())


def test_cli_takes_a_users_config_in_place_of_the_sweeps_file_for_its_search(built_repo, tmp_path, capsys):
    mine = write_template(tmp_path / "mine.yaml", lambda c: c.update(constraints={"perf_latency_p99": {"max": 50}}))
    common = ["generate", "--repository", str(built_repo), "--out", str(tmp_path / "out"), "--sweep", "minimal"]
    assert analyzer.main([*common, "--config", str(mine)]) == 0
    printed = capsys.readouterr().out
    core, ensemble = (tmp_path / "out" / search / analyzer.CONFIG_NAME for search in ("core", "ensemble"))
    assert str(core) in printed and str(ensemble) in printed and "targets differ from the design" in printed
    assert yaml.safe_load(core.read_text())["constraints"] == {"perf_latency_p99": {"max": 50}}
    assert "minimal_ensemble.yaml" in ensemble.read_text().splitlines()[0]
    assert analyzer.main([*common, "--searches", "ensemble", "--config", str(mine)]) == 1
    assert "leaves out" in capsys.readouterr().err
    assert analyzer.main([*common, "--config", str(mine), "--config", str(mine)]) == 1
    assert "a second config for the core search" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        analyzer.main([*common, "--sweep", "huge"])


def test_input_data_is_real_documents_including_long_ones(built_repo, tmp_path):
    encoder = analyzer.encoder_for(built_repo)
    data = analyzer.ensemble_input_data(DOCS, encoder)["data"]
    texts = [row[contract.TEXT]["content"][0] for row in data]
    assert set(texts) <= set(DOCS) and len(texts) >= len(DOCS) - 1
    assert max(len(t) for t in texts) > 5000  # long dossiers are in the mix
    assert set(analyzer.dev_texts()) <= set(texts)
    windows = analyzer.core_input_data(DOCS, encoder)["data"]
    assert windows
    for row in windows:
        ids, mask = row[contract.INPUT_IDS], row[contract.ATTENTION_MASK]
        assert ids["shape"] == mask["shape"] == [len(ids["content"])]
        assert any(ids["content"]) and set(mask["content"]) <= {0, 1}
    assert len({row[contract.INPUT_IDS]["shape"][0] for row in windows}) > 1  # several bucket lengths


def candidate(thr: float, p99: float, name: str = "c") -> Candidate:
    return Candidate("ensemble", name, 4, thr, p99)


def test_best_prefers_rows_meeting_the_targets_then_the_objective():
    rows = [candidate(500, 150, "fast_but_slow_p99"), candidate(120, 90, "ok"), candidate(200, 95, "better")]
    choice, ok = best(rows)
    assert ok and choice.config_name == "better"


def test_best_reports_the_closest_when_none_meets_the_targets():
    rows = [candidate(40, 900, "far"), candidate(90, 120, "close"), candidate(10, 50, "slow")]
    choice, ok = best(rows)
    assert not ok and choice.config_name == "close"


def test_tune_takes_batching_from_core_and_instances_from_ensemble(built_repo, tmp_path):
    windows = analyzer.max_windows(built_repo)
    core, ensemble = tmp_path / "core", tmp_path / "ensemble"
    write_variant(core, "ner_model_config_0", contract.ONNX_MODEL, windows, 2, 5000, (8, 16))
    write_variant(core, "ner_model_config_1", contract.ONNX_MODEL, windows // 2, 1, 100, (4,))  # below max_windows
    write_csv(core, [("ner_model_config_1", 4, 900.0, 20.0), ("ner_model_config_0", 4, 400.0, 30.0)])
    for step, count in ((contract.TOKENIZER_MODEL, 3), (contract.ONNX_MODEL, 1), (contract.DECODER_MODEL, 2)):
        write_variant(ensemble, f"{step}_config_4", step, 0 if step != contract.ONNX_MODEL else windows, count)
    write_variant(ensemble, "ner_config_4", contract.ENSEMBLE, 1, 1)
    cell = f"ner_config_4: {contract.TOKENIZER_MODEL}_config_4, {contract.ONNX_MODEL}_config_4, {contract.DECODER_MODEL}_config_4"
    write_csv(ensemble, [(cell, 4, 150.0, 80.0)])

    data = tune(tmp_path, tmp_path / "tuned.json", built_repo)
    assert json.loads((tmp_path / "tuned.json").read_text()) == data
    assert data[contract.ONNX_MODEL] == {"max_batch_size": windows, "preferred_batch_size": [8, 16], "max_queue_delay_microseconds": 5000}
    assert data["instance_counts"] == {contract.TOKENIZER_MODEL: 3, contract.ONNX_MODEL: 1, contract.DECODER_MODEL: 2}
    assert data["measured"]["ensemble"]["meets_constraints"] is True
    tuning = Tuning.load(tmp_path / "tuned.json")
    assert tuning.max_batch_size == windows and tuning.preferred_batch_size == (8, 16)


@pytest.mark.integration
def test_minimal_sweep_tune_and_rebuild_end_to_end(exported_model, built_repo, tmp_path):
    from maritime_ner.client.ner_client import NerClient
    from maritime_ner.serving.local_triton import TritonServer
    from maritime_ner.repository.reference import Pipeline

    out = tmp_path / "analyzer"
    done = analyzer.profile(built_repo, out, analyzer.chosen_templates("minimal", ["core"]), DOCS, analyzer.Tools.local())
    with open(done["core"] / CSV_NAME, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert {"Satisfies Constraints", "Throughput (infer/sec)", "p99 Latency (ms)", "Model Config Path"} <= set(reader.fieldnames)
    assert len({r["Model Config Path"] for r in rows}) >= 2  # the default plus the swept config
    assert all(float(r["Throughput (infer/sec)"]) > 0 for r in rows)
    assert list((done["core"] / "reports" / "summaries").rglob("*.html"))
    assert list((done["core"] / "plots").rglob("*.png"))

    tuned_path = tmp_path / "tuned.json"
    data = tune(out, tuned_path, built_repo)
    chosen = data["measured"]["core"]["config"]
    assert chosen in {r["Model Config Path"] for r in rows}
    variant = parse_config(done["core"] / OUTPUT_REPO / chosen / "config.pbtxt")

    rebuilt = tmp_path / "rebuilt"
    configs = build(exported_model, rebuilt, Tuning.load(tuned_path))
    core = parse_config(rebuilt / contract.ONNX_MODEL / "config.pbtxt")
    assert core.max_batch_size == variant.max_batch_size == data[contract.ONNX_MODEL]["max_batch_size"]
    assert list(core.dynamic_batching.preferred_batch_size) == list(variant.dynamic_batching.preferred_batch_size)
    assert core.dynamic_batching.max_queue_delay_microseconds == variant.dynamic_batching.max_queue_delay_microseconds
    assert core.instance_group[0].count == variant.instance_group[0].count
    tokenizer = configs[contract.TOKENIZER_MODEL]
    assert int(tokenizer.parameters["max_windows"].string_value) == core.max_batch_size >= analyzer.max_windows(built_repo)

    texts = analyzer.dev_texts()[:3] + [max(DOCS, key=len)]
    with TritonServer(rebuilt, log_path=tmp_path / "server.log") as server:
        client = NerClient(server.grpc_url, "grpc")
        served = client.infer(texts)
        client.close()
    expected = Pipeline.from_repository(rebuilt).results(texts)
    strip = lambda results: [{k: v for k, v in r.items() if k != "score"} for r in results]  # noqa: E731
    assert [strip(r) for r in served] == [strip(r) for r in expected]


def test_longest_documents_are_spread_from_the_start():
    texts = [f"doc {i} " + "x" * i for i in range(100)]
    ordered = analyzer.spread_longest(texts, every=25)
    assert sorted(ordered) == sorted(texts)
    longest = sorted(texts, key=len)[-4:]
    positions = sorted(ordered.index(t) for t in longest)
    assert positions[0] == 0 and positions[-1] < 80  # perf_analyzer meets them early, not only at the end
    assert min(b - a for a, b in zip(positions, positions[1:])) > 10


def test_tune_judges_rows_by_the_targets_of_the_run_that_measured_them(built_repo, tmp_path):
    windows = analyzer.max_windows(built_repo)
    core = tmp_path / "core"
    write_variant(core, "ner_model_config_0", contract.ONNX_MODEL, windows, 1, 100, (4,))
    write_csv(core, [("ner_model_config_0", 4, 40.0, 400.0)])  # misses the design's 100 ms / 100 per s
    assert tune(tmp_path, tmp_path / "tuned.json", built_repo)["measured"]["core"]["meets_constraints"] is False
    loose = {"constraints": {"perf_latency_p99": {"max": 500}, "perf_throughput": {"min": 10}},
             "objectives": {"perf_throughput": 1, "perf_latency_p99": 1}}
    (core / analyzer.CONFIG_NAME).write_text(yaml.safe_dump(loose), encoding="utf-8")
    assert tune(tmp_path, tmp_path / "tuned.json", built_repo)["measured"]["core"]["meets_constraints"] is True
    assert analyzer.design_targets() == analyzer.Targets(100, 100, {"perf_throughput": 3, "perf_latency_p99": 1})
    partial = analyzer.Targets.of({"constraints": {"perf_throughput": {"min": 5}}}, "x.yaml", analyzer.design_targets())
    assert (partial.min_throughput, partial.max_p99_ms) == (5, 100)
    with pytest.raises(analyzer.AnalyzerConfigError, match="constraints"):
        analyzer.Targets.of({"constraints": {"perf_latency_p99": {"max": "fast"}}}, "x.yaml", analyzer.design_targets())
