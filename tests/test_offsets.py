"""Code points <-> Label Studio's UTF-16 offsets."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maritime_ner.core.offsets import from_utf16, to_utf16, utf16_len, utf16_prefix, utf16_slice

TEXTS = st.text(alphabet=st.sampled_from(list("ab é\r\n大连🚢🐟ñ\u00a0") + ["\U0001F600"]), max_size=40)


@given(TEXTS, st.data())
def test_round_trip_and_slices_agree(text, data):
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    u_i, u_j = to_utf16(text, i), to_utf16(text, j)
    assert from_utf16(text, u_i) == i
    assert utf16_slice(text, u_i, u_j) == text[i:j]
    assert to_utf16(text, len(text)) == utf16_len(text)


def test_astral_characters_count_twice():
    text = "🚢 MV Ocean"
    assert utf16_prefix(text) is not None
    assert to_utf16(text, 2) == 3
    assert utf16_slice(text, 3, 5) == "MV"


def test_bmp_text_needs_no_table():
    assert utf16_prefix("Valparaíso 大连\r\n") is None
    assert to_utf16("Valparaíso", 10) == 10


def test_offset_inside_surrogate_pair_is_refused():
    with pytest.raises(ValueError, match="boundary"):
        from_utf16("🚢x", 1)


def test_offset_past_end_is_refused():
    with pytest.raises(ValueError, match="outside"):
        from_utf16("abc", 4)


@given(st.text(alphabet=st.sampled_from(["a", "é", "大", "🚢", "🐟", "\u3000"]), max_size=40))
def test_prefix_table_counts_each_character_in_utf16_units(text):
    prefix = utf16_prefix(text)
    expected = [len(text[:i].encode("utf-16-le")) // 2 for i in range(len(text) + 1)]
    assert (list(range(len(text) + 1)) if prefix is None else list(prefix)) == expected
