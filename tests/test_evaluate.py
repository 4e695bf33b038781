"""make eval: error classes, type confusion, and the report files over a real served model."""

import json

import pytest

from training.evaluate import classify_errors, main, type_confusion

TEXT = "MV Ocean Star at Busan, HIGH risk, 12 March 2025"


def test_errors_are_classified():
    gold = {(0, 13, "VESSEL"), (17, 22, "PORT"), (24, 28, "RISK_LEVEL"), (35, 48, "DATE")}
    pred = {(3, 13, "VESSEL"): 0.9, (17, 22, "FLAG"): 0.8, (24, 28, "RISK_LEVEL"): 0.99, (29, 33, "SPECIES"): 0.7}
    kinds = sorted((e["kind"], e["gold"][2] if e["gold"] else None) for e in classify_errors(TEXT, gold, pred))
    assert kinds == [("boundary", "VESSEL"), ("missed", "DATE"), ("spurious", None), ("type", "PORT")]
    spurious = next(e for e in classify_errors(TEXT, gold, pred) if e["kind"] == "spurious")
    assert "[risk]" in spurious["context"]


def test_type_confusion_counts_overlaps_misses_and_spurious():
    gold = {(17, 22, "PORT"), (35, 48, "DATE")}
    pred = {(17, 22, "FLAG"), (0, 2, "VESSEL")}
    assert type_confusion(gold, pred) == {("PORT", "FLAG"): 1, ("DATE", "(missed)"): 1, ("O", "VESSEL"): 1}


@pytest.mark.integration
def test_eval_writes_reports_and_served_agrees(built_repo, tmp_path):
    data = tmp_path / "set.jsonl"
    data.write_text("\n".join(json.dumps({"text": t, "entities": [{"start": 17, "end": 22, "label": "PORT"}]})
                              for t in (TEXT, TEXT.upper())) + "\n")
    train = tmp_path / "train.jsonl"  # the model's training data holds one of the two documents
    train.write_text(json.dumps({"text": TEXT.upper(), "entities": []}) + "\n")
    assert main(["--repository", str(built_repo), "--set", f"tiny={data}", "--out", str(tmp_path / "reports"),
                 "--metrics", str(tmp_path / "none.json"), "--train-file", str(train)]) == 0
    report = json.loads((tmp_path / "reports" / "eval.json").read_text())
    assert report["served_agrees"] is True and report["sets"][0]["documents"] == 2
    assert report["sets"][0]["trained_on"] == 1
    assert "Trained on: 1 of 2 documents" in (tmp_path / "reports" / "eval.md").read_text()
    assert set(report["sets"][0]["scores"]["PORT"]) == {"precision", "recall", "f1", "support"}
    assert (tmp_path / "reports" / "eval.png").stat().st_size > 1000
    assert "Worst errors" in (tmp_path / "reports" / "eval.md").read_text()


def test_a_sealed_set_is_scored_without_showing_its_errors():
    from training.evaluate import evaluate_set, render_markdown
    from maritime_ner.core.decoding import Span

    records = [{"text": TEXT, "entities": [{"start": 17, "end": 22, "label": "PORT"}]}]
    predicted = [[Span(24, 28, "RISK_LEVEL", 0.9, "HIGH")]]  # one miss, one spurious
    shown, sealed = evaluate_set("dev", records, predicted), evaluate_set("test_sealed", records, predicted)
    assert sealed["scores"] == shown["scores"] and sealed["error_counts"] == shown["error_counts"] == {"missed": 1, "spurious": 1}
    assert shown["worst_errors"] and not sealed["worst_errors"]
    report = {"repository": "r", "model_version": "v", "served_agrees": True, "served_disagreements": 0,
              "sets": [shown, sealed]}
    markdown = render_markdown(report)
    assert markdown.count("### Worst errors") == 1 and "Busan" not in markdown.split("## test_sealed")[1]


def test_a_sealed_set_in_the_training_data_is_refused_before_scoring(tmp_path, capsys):
    sealed = tmp_path / "sealed.jsonl"
    sealed.write_text(json.dumps({"text": TEXT, "entities": []}) + "\n")
    train = tmp_path / "train.jsonl"
    train.write_text(json.dumps({"text": "other", "entities": []}) + "\n" + sealed.read_text())
    args = ["--repository", str(tmp_path / "no-repository"), "--set", f"test_sealed={sealed}", "--train-file", str(train)]
    assert main(args) == 2  # refused before the (missing) repository is opened
    assert "sealed set test_sealed" in capsys.readouterr().err
    assert not (tmp_path / "reports").exists()
