"""Cutting token sequences into overlapping, bucket-padded windows."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from maritime_ner.core.windowing import EncodedDoc, WindowSpec, bucket_length, count_windows, pack_windows, window_starts


def spec(window=10, stride=3, buckets=(4, 8, 16)):
    return WindowSpec(window, stride, buckets, prefix_ids=(101,), suffix_ids=(102,), pad_id=0)


def doc(n, offset=0):
    ids = np.arange(1000 + offset, 1000 + offset + n, dtype=np.int64)
    offsets = np.stack([np.arange(n) * 2, np.arange(n) * 2 + 1], axis=1)
    return EncodedDoc(ids, np.arange(n, dtype=np.int64), offsets)


@given(st.integers(0, 500), st.integers(2, 60), st.data())
def test_windows_cover_every_token_with_the_given_overlap(n, content, data):
    stride = data.draw(st.integers(0, content - 1))
    starts = window_starts(n, content, stride)
    covered = np.zeros(n, bool)
    for s in starts:
        assert 0 <= s and s + min(content, n) <= max(n, content)
        covered[s : s + content] = True
    assert covered.all()
    assert starts == sorted(set(starts))
    for a, b in zip(starts, starts[1:]):
        assert b - a <= content - stride  # consecutive windows share at least `stride` tokens


def test_bucket_length_picks_smallest_fitting_bucket():
    assert bucket_length(3, (4, 8)) == 4
    assert bucket_length(5, (8, 4)) == 8
    assert bucket_length(9, (4, 8)) == 9


def test_pack_windows_adds_specials_pads_to_bucket_and_maps_tokens():
    s = spec()
    batch = pack_windows([doc(3), doc(20, 100)], s)
    assert batch.input_ids.shape == (1 + count_windows(20, s), 16)
    assert count_windows(20, s) == 4  # content 8, step 5: starts 0, 5, 10, 12
    assert list(batch.window_doc) == [0, 1, 1, 1, 1]
    first = batch.input_ids[0]
    assert list(first[:5]) == [101, 1000, 1001, 1002, 102] and not first[5:].any()
    assert list(batch.attention_mask[0]) == [1] * 5 + [0] * 11
    # token_map: specials and padding are -1, content rows carry token index and offsets
    assert batch.token_map[0, 0, 0] == -1 and batch.token_map[0, 1, 0] == 0
    assert list(batch.token_map[0, 2]) == [1, 1, 2, 3]
    last = batch.token_map[4]
    assert last[1, 0] == 12
    assert last[last[:, 0] >= 0, 0].max() == 19


def test_empty_document_gets_one_window_of_specials():
    batch = pack_windows([doc(0)], spec())
    assert batch.input_ids.shape == (1, 4)
    assert (batch.token_map[:, :, 0] == -1).all()


def test_short_requests_use_small_buckets():
    assert pack_windows([doc(2)], spec()).input_ids.shape[1] == 4


@pytest.mark.parametrize("kwargs", [{"window": 3}, {"stride": 8}, {"stride": -1}, {"buckets": (0,)}])
def test_bad_specs_are_refused(kwargs):
    with pytest.raises(ValueError):
        spec(**kwargs)


def test_window_settings_from_config_parameters():
    from maritime_ner.core.tokenization import window_settings

    assert window_settings({"window": "256", "stride": "64", "buckets": "32, 64", "max_windows": "128"}) == {
        "window": 256, "stride": 64, "buckets": [32, 64], "max_windows": 128}
    with pytest.raises(ValueError, match="parameter 'window' must be an integer"):
        window_settings({"window": "x", "stride": "64", "max_windows": "128"})
