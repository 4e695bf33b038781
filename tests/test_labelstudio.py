"""Label Studio results out (UTF-16 offsets) and JSON exports in."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maritime_ner.core.decoding import Span
from maritime_ner.core.ls_format import choose_annotation, convert_export, prediction, to_results
from maritime_ner.core.offsets import utf16_slice


def region(start, end, label, text=None):
    value = {"start": start, "end": end, "labels": [label]}
    if text is not None:
        value["text"] = text
    return {"from_name": "label", "to_name": "text", "type": "labels", "value": value}


def test_results_use_utf16_offsets_and_exact_text():
    text = "🚢🐟 MV Ocean Star"
    (item,) = to_results(text, [Span(3, 16, "VESSEL", 0.9, "MV Ocean Star")])
    assert item["value"]["start"] == 5 and item["value"]["end"] == 18
    assert utf16_slice(text, 5, 18) == item["value"]["text"] == "MV Ocean Star"
    assert {"id", "from_name", "to_name", "type", "value", "score"} <= set(item)
    assert item["from_name"] == "label" and item["to_name"] == "text" and item["type"] == "labels"


@given(st.text(alphabet=st.sampled_from(list("ab 🚢é大\r\n")), min_size=1, max_size=30), st.data())
def test_results_round_trip_through_an_export(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    results = to_results(text, [Span(start, end, "PORT", 1.0, text[start:end])])
    task = {"id": 1, "data": {"text": text}, "annotations": [{"id": 1, "result": results}]}
    records, _ = convert_export([task])
    assert records == [{"text": text, "entities": [{"start": start, "end": end, "label": "PORT"}]}]


def test_prediction_score_is_mean_of_regions():
    assert prediction([{"score": 0.5}, {"score": 1.0}], "v1") == {"model_version": "v1", "score": 0.75, "result": [{"score": 0.5}, {"score": 1.0}]}
    assert prediction([], "v1")["score"] == 0.0


def test_export_conversion_skips_cancelled_picks_ground_truth_and_reports_unknown_labels():
    text = "😀 Tema port, HIGH"
    tasks = [
        {"id": 1, "data": {"text": text}, "annotations": [
            {"id": 10, "created_at": "2025-01-02", "result": [region(3, 7, "PORT")]},
            {"id": 11, "created_at": "2025-01-01", "ground_truth": True, "result": [region(3, 7, "PORT", "Tema"), region(14, 18, "RISK_LEVEL")]},
            {"id": 12, "created_at": "2025-01-03", "was_cancelled": True, "result": []},
        ]},
        {"id": 2, "data": {"text": "x"}, "annotations": [{"id": 13, "was_cancelled": True, "result": []}]},
        {"id": 3, "data": {"text": "y"}, "annotations": []},
        {"id": 4, "data": {"text": "Tema"}, "annotations": [{"id": 14, "result": [region(0, 4, "CITY")]}]},
    ]
    records, stats = convert_export(tasks)
    assert records[0] == {"text": text, "entities": [{"start": 2, "end": 6, "label": "PORT"}, {"start": 13, "end": 17, "label": "RISK_LEVEL"}]}
    assert records[1] == {"text": "Tema", "entities": []}
    assert (stats.tasks, stats.converted, stats.cancelled, stats.without_annotation) == (4, 2, 1, 1)
    assert stats.unknown_labels == {"CITY": 1}


def test_latest_annotation_wins_without_ground_truth():
    task = {"annotations": [{"id": 1, "updated_at": "2025-02-01"}, {"id": 2, "updated_at": "2025-03-01"}]}
    assert choose_annotation(task)["id"] == 2


def test_region_text_that_disagrees_with_offsets_is_an_error():
    task = {"id": 1, "data": {"text": "Tema port"}, "annotations": [{"id": 1, "result": [region(0, 4, "PORT", "Busan")]}]}
    with pytest.raises(ValueError, match="does not match"):
        convert_export([task])
