"""Label Studio tooling, pure logic: labeling config, pre-annotation bookkeeping, export split and CLI."""

import json

import pytest

from maritime_ner.client.ner_client import InferenceFailed
from maritime_ner.core.contract import ENTITY_LABELS
from maritime_ner.labelstudio.api import LabelStudioError, config_text_key, label_config
from maritime_ner.labelstudio.preannotate import Report, annotate_batch, has_prediction, pending
from training import ls_export

GUIDE_CONFIG = """<View>
  <Labels name="label" toName="text">
    <Label value="VESSEL"/><Label value="HS_CODE"/><Label value="PORT"/>
    <Label value="SPECIES"/><Label value="IMO"/><Label value="FLAG"/>
    <Label value="RISK_LEVEL"/><Label value="DATE"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>"""


def test_generated_config_matches_the_guide():
    assert config_text_key(label_config()) == config_text_key(GUIDE_CONFIG) == "text"
    for label in ENTITY_LABELS:
        assert f'<Label value="{label}"/>' in label_config()


@pytest.mark.parametrize("config, message", [
    ('<View><Labels name="ner" toName="text"/><Text name="text" value="$text"/></View>', "needs"),
    ('<View><Labels name="label" toName="text"/><Text name="text" value="text"/></View>', "must read"),
    ("<View><Labels", "not valid XML"),
])
def test_configs_that_do_not_fit_are_refused(config, message):
    with pytest.raises(ValueError, match=message):
        config_text_key(config)


def test_text_key_follows_the_config():
    assert config_text_key('<View><Labels name="label" toName="text"/><Text name="text" value="$body"/></View>') == "body"


def test_pending_skips_only_the_current_model_version():
    tasks = [
        {"id": 1, "predictions": [{"model_version": "v1"}]},
        {"id": 2, "predictions": [{"model_version": "v0"}]},
        {"id": 3, "predictions": []},
        {"id": 4},
    ]
    report = Report("v1")
    assert [t["id"] for t in pending(tasks, "v1", report)] == [2, 3, 4]
    assert (report.tasks, report.skipped) == (4, 1)
    assert not has_prediction({"predictions": [7]}, "v1")  # an id list (export form) is not a prediction


class FakeLabelStudio:
    """Stores predictions; refuses the task ids in ``refuse``."""

    def __init__(self, refuse=()):
        self.stored, self.refuse = {}, set(refuse)

    def create_prediction(self, task, prediction):
        if task in self.refuse:
            raise LabelStudioError(400, "invalid")
        self.stored[task] = prediction


class FakeClient:
    """Refuses documents containing 'BAD'; one region per other document."""

    def infer(self, texts):
        return [InferenceFailed("too long") if "BAD" in t else [{"score": 0.5, "value": {"text": t}}] for t in texts]


def test_failures_are_reported_per_task_and_the_rest_stored():
    ls, report = FakeLabelStudio(refuse={4}), Report("v1")
    tasks = [{"id": 1, "data": {"text": "a"}}, {"id": 2, "data": {"text": "BAD"}}, {"id": 3, "data": {}}, {"id": 4, "data": {"text": "d"}}, {"id": 5, "data": {"text": "e"}}]
    annotate_batch(ls, FakeClient(), tasks, "text", report)
    assert sorted(ls.stored) == [1, 5] and report.stored == 2
    assert ls.stored[1] == {"model_version": "v1", "score": 0.5, "result": [{"score": 0.5, "value": {"text": "a"}}]}
    assert sorted(report.failed) == [2, 3, 4]
    assert "refused" in report.failed[2] and "data.text" in report.failed[3] and "did not store" in report.failed[4]


def test_split_is_stable_and_keeps_every_record():
    records = [{"text": f"document {i}", "entities": []} for i in range(50)]
    train, val = ls_export.split(records, 0.2)
    assert sorted(r["text"] for r in train + val) == sorted(r["text"] for r in records)
    assert 0 < len(val) < 50
    assert ls_export.split(list(reversed(records)), 0.2)[1] == list(reversed(val))


def test_export_cli_converts_reports_and_leaves_out_overlaps(tmp_path, capsys):
    def region(start, end, label):
        return {"type": "labels", "from_name": "label", "to_name": "text", "value": {"start": start, "end": end, "labels": [label]}}

    tasks = [
        {"id": 1, "data": {"text": "🚢 Tema"}, "annotations": [{"id": 1, "result": [region(3, 7, "PORT"), region(0, 2, "CITY")]}]},
        {"id": 2, "data": {"text": "Busan"}, "annotations": [{"id": 2, "result": [region(0, 5, "PORT"), region(1, 3, "FLAG")]}]},
        {"id": 3, "data": {"text": "x"}, "annotations": [{"id": 3, "was_cancelled": True, "result": []}]},
    ]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks), encoding="utf-8")
    out = tmp_path / "train.jsonl"
    assert ls_export.main(["--export", str(export), "--train-out", str(out)]) == 0
    assert [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] == [
        {"text": "🚢 Tema", "entities": [{"start": 2, "end": 6, "label": "PORT"}]}
    ]
    err = capsys.readouterr().err
    assert "2/3 tasks converted, 1 only cancelled" in err and "'CITY': 1" in err and "overlap" in err


def test_export_cli_needs_credentials_with_url(tmp_path):
    with pytest.raises(SystemExit):
        ls_export.main(["--url", "http://127.0.0.1:9", "--train-out", str(tmp_path / "t.jsonl")])
