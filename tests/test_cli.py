"""Command lines, called with argv lists."""

import io
import json

import pytest

from maritime_ner.client import ner_client as client
from maritime_ner.serving import local_triton
from maritime_ner.core.offsets import utf16_slice
from training.train import TrainConfig, parse_args


@pytest.mark.integration
@pytest.mark.parametrize("protocol", ["grpc", "http"])
def test_client_prints_one_label_studio_prediction_per_document(triton, tmp_path, capsys, monkeypatch, protocol):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("🚢 MV Ocean Star at Busan on 12 March 2025", encoding="utf-8")
    b.write_text("", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("Tema, Ghana"))
    url = triton.grpc_url if protocol == "grpc" else triton.http_url
    assert client.main(["--url", url, "--protocol", protocol, str(a), str(b), "-"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    texts = [a.read_text(encoding="utf-8"), "", "Tema, Ghana"]
    for line, text in zip(lines, texts):
        pred = json.loads(line)
        assert set(pred) == {"model_version", "score", "result"} and pred["model_version"].startswith("ner-")
        for r in pred["result"]:
            assert utf16_slice(text, r["value"]["start"], r["value"]["end"]) == r["value"]["text"]
    assert json.loads(lines[1])["result"] == []


def test_client_says_when_no_server_answers(tmp_path, capsys):
    doc = tmp_path / "d.txt"
    doc.write_text("Busan")
    assert client.main(["--url", f"127.0.0.1:{local_triton.free_port()}", str(doc)]) == 2
    assert "cannot use Triton" in capsys.readouterr().err


def test_client_rejects_missing_file(capsys):
    with pytest.raises(SystemExit) as info:
        client.main(["/nonexistent/file.txt"])
    assert info.value.code == 2 and "cannot read input" in capsys.readouterr().err


def test_client_rejects_unknown_protocol(capsys):
    with pytest.raises(SystemExit):
        client.main(["--protocol", "smtp", "-"])


def test_train_flags_map_to_config_fields():
    cfg = parse_args(["--epochs", "2.5", "--batch-size", "4", "--quiet", "--base-model", "distilbert-base-uncased"])
    assert (cfg.epochs, cfg.batch_size, cfg.quiet, cfg.base_model) == (2.5, 4, True, "distilbert-base-uncased")
    assert cfg.max_length == TrainConfig().max_length


def test_train_rejects_typos(capsys):
    with pytest.raises(SystemExit):
        parse_args(["--epoch", "2"])


def test_serve_refuses_a_folder_that_is_not_a_repository(tmp_path, capsys):
    with pytest.raises(SystemExit):
        local_triton.main(["serve", "--repository", str(tmp_path)])
    assert "make build-repo" in capsys.readouterr().err
