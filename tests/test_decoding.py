"""Logits -> spans: window merging, word labels, runs, trimming; end to end over real tokens."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maritime_ner.core import contract
from maritime_ner.core.decoding import (
    COLUMN_GAP, EXTEND_MIN_PROB, LINE_JOIN_MIN_PROB, MAJORITY_MIN_PROB, SURE_NAME_MIN_PROB, Span, TokenTable,
    decode_batch, decode_document, label_runs, merge_windows, min_score_setting, run_scores, is_edge, names_something,
    script_of, softmax, spans_from_tokens, split_words, trim, word_labels,
)
from maritime_ner.core.tokenization import DocumentEncoder
from training.train import default_base_model

WORDS = ["MV", "Ocean", "Star", "Valparaíso", "大连", "🚢", "tuna", "0303.42", "IMO9123456", "12", "March",
         "2025", "Rønne", "señora", "ÉTÉ", "x", "№", "São", "🐟🐟", "a-b"]
SEPARATORS = [" ", "  ", "\r\n", "\n", " , ", "; ", "\t", " (", ") "]


@pytest.fixture(scope="module")
def encoder():
    return DocumentEncoder.from_dir(default_base_model(), window=12, stride=4, buckets=(8, 16), max_windows=10_000)


def table(labels, word_ids=None):
    """A TokenTable with one-hot probabilities for the given label ids."""
    n = len(labels)
    probs = np.eye(contract.NUM_LABELS)[labels]
    offsets = np.stack([np.arange(n) * 2, np.arange(n) * 2 + 1], axis=1)
    return TokenTable(np.arange(n) if word_ids is None else np.asarray(word_ids), offsets, probs)


def test_label_runs():
    assert label_runs(np.array([0, 1, 1, 0, 2, 3, 3])) == [(1, 3, 1), (4, 5, 2), (5, 7, 3)]
    assert label_runs(np.array([], dtype=int)) == []


@pytest.mark.parametrize("text,expected", [(' "MV Star", ', (2, 9)), ("  ", (2, 2)), ("(Tema)", (1, 5)), ("No. 3", (0, 5))])
def test_trim(text, expected):
    assert trim(text, 0, len(text)) == expected


def test_word_label_is_the_mean_over_its_subtokens():
    # word 0 has three sub-tokens: two say VESSEL, one says O -> VESSEL for all three
    t = table([1, 1, 0, 0], word_ids=[0, 0, 0, 1])
    spans = spans_from_tokens("a b c d e f g h", t, contract.ID2LABEL)
    assert [(s.start, s.end, s.label) for s in spans] == [(0, 5, "VESSEL")]
    assert spans[0].score == pytest.approx(2 / 3, abs=1e-6)


def test_merge_prefers_the_window_where_the_token_is_central():
    # tokens 0..5 in window 0, tokens 2..7 in window 1; token 4 is central in window 1 only
    token_map = np.full((2, 6, 4), -1)
    token_map[0, :, 0] = np.arange(0, 6)
    token_map[1, :, 0] = np.arange(2, 8)
    token_map[..., 1] = token_map[..., 0]
    token_map[..., 2] = token_map[..., 0]
    token_map[..., 3] = token_map[..., 0] + 1
    probs = np.zeros((2, 6, contract.NUM_LABELS))
    probs[0, :, 1] = 1.0  # window 0 says VESSEL everywhere
    probs[1, :, 2] = 1.0  # window 1 says HS_CODE everywhere
    merged = merge_windows(probs, token_map)
    assert list(merged.word_ids) == list(range(8))
    assert list(merged.probs.argmax(axis=1)) == [1, 1, 1, 1, 2, 2, 2, 2]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=30), st.integers(0, 2**32 - 1))
def test_word_labels_and_run_scores_match_their_plain_definitions(word_lengths, seed):
    rng = np.random.default_rng(seed)
    word_ids = np.repeat(np.arange(len(word_lengths)), word_lengths)
    probs = softmax(rng.normal(size=(len(word_ids), contract.NUM_LABELS)) * 3)
    t = TokenTable(word_ids, np.zeros((len(word_ids), 2), np.int64), probs)
    labels, slot = word_labels(t)
    assert list(slot) == list(word_ids)
    assert list(labels) == [int(probs[word_ids == w].mean(axis=0).argmax()) for w in range(len(word_lengths))]
    # out of text order (not produced by the tokenizer, still handled): the same per-word answer
    order = rng.permutation(len(word_ids))
    shuffled_labels, shuffled_slot = word_labels(TokenTable(word_ids[order], t.offsets, probs[order]))
    assert list(shuffled_labels[shuffled_slot]) == list(labels[slot][order])
    runs = label_runs(labels[slot])
    assert run_scores(probs, runs) == [round(float(probs[a:b, k].mean()), 6) for a, b, k in runs]


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 60), st.integers(0, 2**32 - 1))
def test_decoding_picks_logits_then_normalises_like_normalising_first(length, seed):
    rng = np.random.default_rng(seed)
    encoder = DocumentEncoder.from_dir(default_base_model(), window=12, stride=4, buckets=(), max_windows=10_000)
    text = " ".join(rng.choice(["MV", "Ocean", "tuna", "Busan", "🚢", "0303.42"], size=length))
    batch = encoder.encode([text])
    logits = rng.normal(size=(*batch.input_ids.shape, contract.NUM_LABELS)).astype(np.float32) * 4
    direct = spans_from_tokens(text, merge_windows(softmax(logits), batch.token_map), contract.ID2LABEL)
    assert decode_document(text, logits, batch.token_map, contract.ID2LABEL) == direct


def test_label_map_size_must_match_logits():
    with pytest.raises(ValueError, match="labels"):
        decode_batch(["x"], np.zeros((1, 3, 2)), np.full((1, 3, 4), -1), np.zeros(1, int), contract.ID2LABEL)


@st.composite
def documents(draw):
    """A text of words and separators with some runs of words marked as gold entities."""
    n = draw(st.integers(1, 40))
    words = [draw(st.sampled_from(WORDS)) for _ in range(n)]
    seps = [draw(st.sampled_from(SEPARATORS)) for _ in range(n)]
    labels = [0] * n
    i = 0
    while i < n:
        if draw(st.booleans()):
            length = draw(st.integers(1, 4))
            label = draw(st.integers(1, contract.NUM_LABELS - 1))
            k = i
            while k < min(n, i + length):
                labels[k] = label
                k += 1
                if COLUMN_GAP.search(seps[k - 1]):
                    break  # an entity never spans a table column gap (tab, 2+ spaces)
                if k < n and seps[k - 1].isspace() and "" != script_of(words[k - 1][-1]) != script_of(words[k][0]) != "":
                    break  # nor a space between letters of two scripts ("大连 MV")
            i = k + 1  # keep an O word between entities so runs stay apart
        else:
            i += 1
    text, starts = draw(st.sampled_from(["", " ", "🚢 "])), []
    for word, sep in zip(words, seps):
        starts.append(len(text))
        text += word + sep
    gold, k = [], 0
    while k < n:
        if labels[k]:
            j = k
            while j + 1 < n and labels[j + 1] == labels[k]:
                j += 1
            # The guide's edges: a run of words loses leading/trailing symbols and emoji, and one
            # made only of them names nothing.
            start, end = trim(text, starts[k], starts[j] + len(words[j]))
            if start < end and names_something(text[start:end]):
                gold.append((start, end, contract.LABELS[labels[k]]))
            k = j + 1
        else:
            k += 1
    return text, gold


def gold_logits(batch, text, gold):
    """Logits that put each token's gold label far ahead (windows agree)."""
    char_label = np.zeros(len(text) + 1, dtype=np.int64)
    for start, end, label in gold:
        char_label[start:end] = contract.LABEL2ID[label]
    logits = np.random.default_rng(0).normal(size=batch.token_map.shape[:2] + (contract.NUM_LABELS,))
    valid = batch.token_map[:, :, 0] >= 0
    starts = batch.token_map[:, :, 2]
    token_label = np.where(valid, char_label[np.maximum(starts, 0)], 0)
    np.put_along_axis(logits, token_label[..., None], 20.0, axis=-1)
    return logits.astype(np.float32)


@settings(max_examples=150, deadline=None)
@given(documents())
def test_decoding_recovers_gold_spans_across_window_boundaries(encoder, doc):
    text, gold = doc
    batch = encoder.encode([text])
    spans = decode_batch([text], gold_logits(batch, text, gold), batch.token_map, batch.window_doc, contract.ID2LABEL)[0]
    assert [(s.start, s.end, s.label) for s in spans] == gold
    for s in spans:
        assert s.text == text[s.start : s.end] and s.text == s.text.strip()
        assert 0.99 < s.score <= 1.0
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))


def test_spans_are_dataclasses_with_text():
    assert Span(0, 2, "IMO", 1.0, "ab").text == "ab"


def test_runs_break_at_table_column_gaps():
    # "Freetown      cuttlefish": both columns SPECIES-like, but a column gap separates them
    assert label_runs(np.array([4, 4, 4]), np.array([2])) == [(0, 2, 4), (2, 3, 4)]
    text = "Vigo   hake\tcod and squid"
    offsets = np.array([[0, 4], [7, 11], [12, 15], [16, 19], [20, 25]])
    t = TokenTable(np.arange(5), offsets, np.eye(contract.NUM_LABELS)[[4, 4, 4, 4, 4]])
    spans = spans_from_tokens(text, t, contract.ID2LABEL)
    assert [s.text for s in spans] == ["Vigo", "hake", "cod and squid"]
    # Two spaces are a column gap too (plain-text tables: arrival and departure dates side by side).
    text = "2024-09-20  2024-09-22 Kodiak"
    t = words_table(text, [{"DATE": 0.99}, {"DATE": 0.99}, {"PORT": 0.99}])
    assert [(s.text, s.label) for s in spans_from_tokens(text, t, contract.ID2LABEL)] == [
        ("2024-09-20", "DATE"), ("2024-09-22", "DATE"), ("Kodiak", "PORT")]


@pytest.mark.parametrize("text, expected", [
    ("0307.43.\n\n3", ["0307.43", "3"]),  # a list number after a paragraph break
    ("0307.43.\r\n \r\n3", ["0307.43", "3"]),
    ("0307.43.\n3", ["0307.43.\n3"]),  # one newline may break a name (OCR lines)
])
def test_runs_break_at_a_blank_line(text, expected):
    offsets = np.array([[0, 7], [7, 8], [len(text) - 1, len(text)]])
    t = TokenTable(np.arange(3), offsets, np.eye(contract.NUM_LABELS)[[2, 2, 2]])
    assert [s.text for s in spans_from_tokens(text, t, contract.ID2LABEL)] == expected


def test_glued_entity_tokens_take_one_label():
    # "16.04": '16' leans DATE, '.04' leans HS_CODE; no whitespace between, so one span, one label
    text = "HS 16.04 | Busan 2025-03-12"
    offsets = np.array([[0, 2], [3, 5], [5, 6], [6, 8], [11, 16], [17, 27]])
    date, hs, port = contract.LABEL2ID["DATE"], contract.LABEL2ID["HS_CODE"], contract.LABEL2ID["PORT"]
    probs = np.full((6, contract.NUM_LABELS), 0.01)
    probs[0, 0] = probs[1, date] = probs[2, hs] = probs[3, hs] = probs[4, port] = probs[5, date] = 0.9
    probs[1, hs] = 0.5  # '16' is unsure; summed over the glued stretch HS_CODE wins
    spans = spans_from_tokens(text, TokenTable(np.arange(6), offsets, probs), contract.ID2LABEL)
    # A space between two entities keeps them apart: PORT and DATE stay two spans.
    assert [(s.text, s.label) for s in spans] == [("16.04", "HS_CODE"), ("Busan", "PORT"), ("2025-03-12", "DATE")]


@pytest.mark.parametrize("text,expected", [("0217-", (0, 4)), ("/Tema|", (1, 5)), ("— Vigo #", (2, 6))])
def test_trim_strips_dashes_slashes_and_bars(text, expected):
    assert trim(text, 0, len(text)) == expected


def test_min_score_drops_low_scoring_spans():
    t = table([1, 1, 0, 2, 0])
    t.probs[3] = 0.0
    t.probs[3, [0, 2]] = 0.16, 0.84  # HS_CODE at 0.84 (and O 0.16: not sure it is a name); VESSEL scores 1.0
    text = "a b c d e f g h i j"
    assert [s.label for s in spans_from_tokens(text, t, contract.ID2LABEL, min_score=0.8)] == ["VESSEL", "HS_CODE"]
    assert [s.label for s in spans_from_tokens(text, t, contract.ID2LABEL, min_score=0.9)] == ["VESSEL"]


@pytest.mark.parametrize("probs, kept", [
    ({"PORT": 0.55, "VESSEL": 0.4}, True),  # surely a name (O 0.05), and PORT holds the majority
    ({"PORT": 0.55, "VESSEL": 0.3}, False),  # O 0.15: not sure enough that it is a name
    ({"PORT": 0.48, "VESSEL": 0.47}, False),  # no label holds a majority
])
def test_a_sure_name_under_the_cut_stays_when_its_label_holds_a_majority(probs, kept):
    text = "Dutch Harbor"
    spans = spans_from_tokens(text, name_table(text, [probs, probs]), contract.ID2LABEL, min_score=0.65)
    assert [(s.text, s.label) for s in spans] == ([(text, "PORT")] if kept else [])
    assert (SURE_NAME_MIN_PROB, MAJORITY_MIN_PROB) == (0.9, 0.5)  # the cases above sit on both sides of them


@pytest.mark.parametrize("value,expected", [("", 0.0), ("0", 0.0), ("0.7", 0.7), (0.55, 0.55)])
def test_min_score_setting(value, expected):
    assert min_score_setting(value) == expected


@pytest.mark.parametrize("value", ["high", "1", "-0.1", "1.5"])
def test_min_score_setting_refuses_nonsense(value):
    with pytest.raises(ValueError, match="min_score"):
        min_score_setting(value)


EMOJI_AND_SYMBOLS = ["🇱🇷", "🚢", "🐟🐟", "❤️", "1️⃣", "©", "°", "№", "→", "\u200d", "★"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS + EMOJI_AND_SYMBOLS), min_size=1, max_size=12),
       st.lists(st.sampled_from(SEPARATORS + ["", " "]), min_size=12, max_size=12),
       st.lists(st.integers(0, contract.NUM_LABELS - 1), min_size=12, max_size=12), st.integers(0, 2**32 - 1))
def test_no_span_starts_or_ends_with_a_symbol_or_is_made_only_of_them(words, seps, labels, seed):
    text = "".join(w + s for w, s in zip(words, seps))
    starts = np.cumsum([0] + [len(w) + len(s) for w, s in zip(words, seps)])[:-1]
    offsets = np.stack([starts, starts + np.array([len(w) for w in words])], axis=1)
    probs = softmax(np.random.default_rng(seed).normal(size=(len(words), contract.NUM_LABELS)))
    probs[np.arange(len(words)), np.asarray(labels[: len(words)])] += 5.0
    for span in spans_from_tokens(text, TokenTable(np.arange(len(words)), offsets, probs), contract.ID2LABEL):
        assert span.text == text[span.start : span.end]
        assert not is_edge(span.text[0]) and not is_edge(span.text[-1]), span
        assert names_something(span.text)


@pytest.mark.parametrize("text,expected", [("🇱🇷 Sea Hawk", (3, 11)), ("Sea Hawk ❤️", (0, 8)), ("1️⃣", (0, 1)), ("★★", (2, 2))])
def test_trim_strips_emoji_and_symbols(text, expected):
    assert trim(text, 0, len(text)) == expected


def test_a_text_of_only_emoji_gives_no_span():
    text = "🚢🐟 🇱🇷"
    offsets = np.array([[0, 1], [1, 2], [3, 5]])
    spans = spans_from_tokens(text, TokenTable(np.arange(3), offsets, np.eye(contract.NUM_LABELS)[[3, 3, 3]]), contract.ID2LABEL)
    assert spans == []


def name_table(text: str, word_probs: list[dict[str, float]], word: str = r"[^ ]+") -> TokenTable:
    """One token per word (``word``: space-separated runs by default), with the given label
    probabilities (the rest on O)."""
    offsets = np.array([m.span() for m in re.finditer(word, text)])
    probs = np.zeros((len(offsets), contract.NUM_LABELS))
    for i, given_probs in enumerate(word_probs):
        for label, p in given_probs.items():
            probs[i, contract.LABEL2ID[label]] = p
        probs[i, 0] = 1.0 - probs[i].sum()
    return TokenTable(np.arange(len(offsets)), offsets, probs)


def test_one_name_in_pieces_of_two_types_comes_back_as_one_span():
    text = "Puerto del Rosario"
    t = name_table(text, [{"PORT": 0.8, "VESSEL": 0.1}, {"VESSEL": 0.5, "PORT": 0.4}, {"PORT": 0.9}])
    assert [(s.text, s.label) for s in spans_from_tokens(text, t, contract.ID2LABEL)] == [(text, "PORT")]


def test_neighbouring_entities_the_model_tells_apart_stay_apart():
    text = "0303.43 Skipjack"
    t = name_table(text, [{"HS_CODE": 0.95}, {"SPECIES": 0.9, "HS_CODE": 0.01}])
    spans = spans_from_tokens(text, t, contract.ID2LABEL)
    assert [(s.text, s.label) for s in spans] == [("0303.43", "HS_CODE"), ("Skipjack", "SPECIES")]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(1, 3), min_size=1, max_size=10), st.integers(0, 2**32 - 1))
def test_every_word_gets_one_label(word_lengths, seed):
    """Sub-tokens of one word never end up in two spans or in spans of two types."""
    rng = np.random.default_rng(seed)
    word_ids = np.repeat(np.arange(len(word_lengths)), word_lengths)
    text, offsets = "", []
    for w, n in enumerate(word_lengths):
        for k in range(n):
            offsets.append((len(text), len(text) + 2))
            text += "ab"
        text += " "
    probs = softmax(rng.normal(size=(len(word_ids), contract.NUM_LABELS)) * 3)
    spans = spans_from_tokens(text, TokenTable(word_ids, np.asarray(offsets), probs), contract.ID2LABEL)
    word_bounds = [(offsets[i][0], offsets[i + n - 1][1]) for i, n in zip(np.cumsum([0] + word_lengths[:-1]), word_lengths)]
    for start, end in word_bounds:
        covering = [s for s in spans if s.start < end and start < s.end]
        assert len(covering) <= 1 and all(s.start <= start and end <= s.end for s in covering)


def test_a_name_grows_over_neighbouring_words_that_still_lean_its_way():
    text = "at Port of Busan today"
    t = name_table(text, [{}, {"PORT": 0.35}, {"PORT": 0.32}, {"PORT": 0.9}, {"PORT": 0.1}])
    assert [(s.text, s.label) for s in spans_from_tokens(text, t, contract.ID2LABEL)] == [("Port of Busan", "PORT")]


def test_a_name_does_not_grow_over_words_below_the_bar_or_other_entities():
    text = "Port of Busan Liberia"
    t = name_table(text, [{"PORT": 0.35}, {"PORT": 0.28}, {"PORT": 0.9}, {"FLAG": 0.8, "PORT": 0.15}])
    spans = spans_from_tokens(text, t, contract.ID2LABEL)
    assert [(s.text, s.label) for s in spans] == [("Busan", "PORT"), ("Liberia", "FLAG")]
    assert EXTEND_MIN_PROB == 0.3  # "of" sits just under it (it took "loin" after "Tuna" at 0.2)


@pytest.mark.parametrize("gap", ["\n", "   ", "\t", ", ", " - "])
def test_a_name_does_not_grow_across_a_line_column_or_punctuation_gap(gap):
    text = f"Busan{gap}Korea"
    offsets = np.array([[0, 5], [len(text) - 5, len(text)]])
    probs = np.array([[0.1, 0, 0, 0.9, 0, 0, 0, 0, 0], [0.6, 0, 0, 0.4, 0, 0, 0, 0, 0]])
    spans = spans_from_tokens(text, TokenTable(np.arange(2), offsets, probs), contract.ID2LABEL)
    assert [(s.text, s.label) for s in spans] == [("Busan", "PORT")]


def words_table(text: str, word_probs: list[dict[str, float]]) -> TokenTable:
    """One token per whitespace-separated word (line breaks too), with the given label probabilities."""
    return name_table(text, word_probs, r"\S+")


@pytest.mark.parametrize("text, probs, expected", [
    # The model is sure of both lines: an OCR line break inside a name.
    ("SANTA CRUZ DE\nTENERIFE", [0.98, 0.98, 0.97, 0.97], ["SANTA CRUZ DE\nTENERIFE"]),
    # The next field's number, the field label before the value, the next sentence: they drop out.
    ("Ama Serwaa\n2.", [0.99, 0.99, 0.75], ["Ama Serwaa"]),
    ("No.\nMAERSK KWANZA", [0.9, 0.98, 0.99], ["MAERSK KWANZA"]),
    ("Dong Won Ho\r\nSmall", [0.97, 0.97, 0.98, 0.83], ["Dong Won Ho"]),
    # No line is sure: each stays a span of its own.
    ("Lien Yi\nHsing", [0.85, 0.85, 0.9], ["Lien Yi", "Hsing"]),
])
def test_a_name_crosses_a_line_break_only_where_the_model_is_sure_of_both_lines(text, probs, expected):
    t = words_table(text, [{"VESSEL": p} for p in probs])
    spans = spans_from_tokens(text, t, contract.ID2LABEL)
    assert [(s.text, s.label) for s in spans] == [(e, "VESSEL") for e in expected]
    assert LINE_JOIN_MIN_PROB == 0.95  # the cases above sit on both sides of it


def test_a_date_grows_over_its_glued_year():
    """'2025-03-14' where the year's tokens came out O but lean DATE: one span, not '03-14'."""
    text = "Generated: 2025-03-14 06:02"
    pieces = [(0, 9), (9, 10), (11, 15), (15, 16), (16, 18), (18, 19), (19, 21), (22, 24), (24, 25), (25, 27)]
    date = [0.0, 0.0, 0.45, 0.42, 0.99, 0.99, 0.99, 0.0, 0.0, 0.0]
    probs = np.zeros((len(pieces), contract.NUM_LABELS))
    probs[:, contract.LABEL2ID["DATE"]] = date
    probs[:, 0] = 1 - probs.sum(axis=1)
    spans = spans_from_tokens(text, TokenTable(np.arange(len(pieces)), np.array(pieces), probs), contract.ID2LABEL)
    assert [(s.text, s.label) for s in spans] == [("2025-03-14", "DATE")]


@pytest.mark.parametrize("text, label, probs, expected", [
    # the model reads the joining word as part of the date: still two dates (annotation guide: ranges are two spans)
    ("2025-02-03 to 2025-03-21", "DATE", [0.98, 0.85, 0.98], ["2025-02-03", "2025-03-21"]),
    ("1 Feb – 3 Mar", "DATE", [0.9, 0.9, 0.6, 0.9, 0.9], ["1 Feb", "3 Mar"]),
    ("02/03/2025 - 11/03/2025", "DATE", [0.98, 0.8, 0.98], ["02/03/2025", "11/03/2025"]),  # a hyphen between spaces
    ("MEDIUM-HIGH", "RISK_LEVEL", [0.9], ["MEDIUM-HIGH"]),  # a glued one is part of the word: one span (guide)
    ("del 3 al 5", "DATE", [0.1, 0.9, 0.7, 0.9], ["3", "5"]),
    ("low to medium", "RISK_LEVEL", [0.9, 0.4, 0.9], ["low", "medium"]),
    # a free-standing dash ends a name of any label; a glued one does not
    ("Tema - Lomé", "PORT", [0.9, 0.7, 0.9], ["Tema", "Lomé"]),
    ("Guinea-Bissau", "FLAG", [0.9], ["Guinea-Bissau"]),
    # so does a free-standing slash: a ship and its voyage, two dates side by side; a glued one does not
    ("MENG HAI / 376S", "VESSEL", [0.9, 0.9, 0.8, 0.7], ["MENG HAI", "376S"]),
    ("27-02-2025 / 01-03-2025", "DATE", [0.9, 0.8, 0.9], ["27-02-2025", "01-03-2025"]),
    ("F/V MENG HAI", "VESSEL", [0.9, 0.9, 0.9], ["F/V MENG HAI"]),
    # other labels keep their connectors, and a date keeps its own words
    ("Trinidad and Tobago", "FLAG", [0.9, 0.6, 0.9], ["Trinidad and Tobago"]),
    ("22 de enero de 2025", "DATE", [0.9, 0.6, 0.9, 0.6, 0.9], ["22 de enero de 2025"]),
])
def test_a_range_comes_back_as_two_spans(text, label, probs, expected):
    t = name_table(text, [{label: p} for p in probs])
    spans = spans_from_tokens(text, t, contract.ID2LABEL)
    assert [(s.text, s.label) for s in spans] == [(e, label) for e in expected]


@pytest.mark.parametrize("text, expected", [
    ("03/06-28/06", ["03/06", "28/06"]),  # two whole dates glued by a hyphen: two spans
    ("11/2024-06/2025", ["11/2024", "06/2025"]),
    ("Jan-May", ["Jan", "May"]),
    ("9 Jan-22 Jan", ["9 Jan", "22 Jan"]),  # day and month on each side
    ("29 July 2024–8 Oct 2024", ["29 July 2024", "8 Oct 2024"]),
    ("Mar 3-Mar 9", ["Mar 3", "Mar 9"]),
    ("2025-03-14", ["2025-03-14"]),  # one date written with hyphens stays one
    ("12-Mar-2025", ["12-Mar-2025"]),
    ("2021-08/2023", ["2021-08/2023"]),  # a bare year is no whole date: left as the model gave it
])
def test_a_glued_range_of_two_whole_dates_is_two_spans(text, expected):
    t = name_table(text, [{"DATE": 0.9}] * len(text.split(" ")))
    assert [(s.text, s.label, s.score) for s in spans_from_tokens(text, t, contract.ID2LABEL)] == [(e, "DATE", 0.9) for e in expected]


@pytest.mark.parametrize("text, expected", [
    ("冷冻鲣鱼 skipjack", ["冷冻鲣鱼", "skipjack"]),  # a name written twice, in two scripts
    ("Морская звезда Morskaya Zvezda", ["Морская звезда", "Morskaya Zvezda"]),
    ("Hai Feng 海丰", ["Hai Feng", "海丰"]),
    ("メバチ 大目", ["メバチ 大目"]),  # kana and ideographs are one script
    ("17 марта 2O25", ["17 марта 2O25"]),  # a digit on either side is no letter of a script: one span
])
def test_a_name_does_not_run_across_a_space_into_another_script(text, expected):
    t = name_table(text, [{"SPECIES": 0.9}] * len(text.split(" ")))
    assert [s.text for s in spans_from_tokens(text, t, contract.ID2LABEL)] == expected


def timestamp_table(date_probs: list[float]) -> tuple[str, TokenTable]:
    """'start=2025-05-14T06:02Z' tokenised as BERT does: '14T06' and '02Z' are one word each."""
    text = "start=2025-05-14T06:02Z"
    pieces = [(0, 5), (5, 6), (6, 10), (10, 11), (11, 13), (13, 14), (14, 16), (16, 17), (17, 19), (19, 20), (20, 22), (22, 23)]
    word_ids = np.array([0, 1, 2, 3, 4, 5, 6, 6, 6, 7, 8, 8])
    probs = np.zeros((len(pieces), contract.NUM_LABELS))
    probs[:, contract.LABEL2ID["DATE"]] = date_probs
    probs[:, 0] = 1 - probs.sum(axis=1)
    return text, TokenTable(word_ids, np.array(pieces), probs)


def test_an_iso_timestamp_gives_its_date_alone():
    """Annotation guide: in 2025-05-14T06:02Z only 2025-05-14, though '14T06' is one word."""
    text, t = timestamp_table([0, 0, 0.98, 0.99, 0.99, 0.99, 0.99, 0, 0, 0, 0, 0])
    assert [(s.text, s.label) for s in spans_from_tokens(text, t, contract.ID2LABEL)] == [("2025-05-14", "DATE")]
    # where the model reads the time as part of the date, the span keeps it (no cut inside a run)
    text, t = timestamp_table([0, 0, 0.98, 0.99, 0.99, 0.99, 0.99, 0.9, 0.9, 0, 0, 0])
    assert [s.text for s in spans_from_tokens(text, t, contract.ID2LABEL)] == ["2025-05-14T06"]


@pytest.mark.parametrize("text, pieces, splits", [
    ("14T06", [(0, 2), (2, 3), (3, 5)], True),
    ("14Tons", [(0, 2), (2, 3), (3, 6)], False),  # a letter after the T
    ("xT06", [(0, 1), (1, 2), (2, 4)], False),  # a letter before it
    ("14t06", [(0, 2), (2, 3), (3, 5)], True),
])
def test_words_split_only_at_a_t_between_digits(text, pieces, splits):
    t = TokenTable(np.zeros(3, dtype=np.int64), np.array(pieces), np.full((3, contract.NUM_LABELS), 1 / contract.NUM_LABELS))
    assert split_words(text, t).word_ids.tolist() == ([0, 1, 1] if splits else [0, 0, 0])


@pytest.mark.parametrize("text, pieces, word_ids", [
    ("Liberia에서", [(0, 7), (7, 8), (8, 9)], [0, 1, 1]),  # a Latin name glued to a Korean ending
    ("Illexイカ", [(0, 5), (5, 7)], [0, 1]),  # ... or to kana
    ("Tреска", [(0, 1), (1, 3), (3, 6)], [0, 0, 0]),  # OCR look-alikes: Latin and Cyrillic count as one
    ("5Oトン", [(0, 1), (1, 2), (2, 4)], [0, 0, 0]),  # a lone Latin letter (OCR's O for 0) does not count
    ("Tromsø", [(0, 5), (5, 6)], [0, 0]),  # accented Latin is Latin
])
def test_words_split_where_letters_of_two_scripts_touch(text, pieces, word_ids):
    n = len(pieces)
    t = TokenTable(np.zeros(n, dtype=np.int64), np.array(pieces), np.full((n, contract.NUM_LABELS), 1 / contract.NUM_LABELS))
    assert split_words(text, t).word_ids.tolist() == word_ids


def test_a_name_glued_to_a_word_of_another_script_comes_back_alone():
    text = "Liberia에서 변경"  # "from Liberia, changed": one word for the tokenizer, one name in it
    t = name_table(text, [{"FLAG": 0.93}, {"FLAG": 0.5}, {"FLAG": 0.4}, {}], r"Liberia|에|서|변경")
    t = TokenTable(np.array([0, 0, 0, 1]), t.offsets, t.probs)
    assert [(s.text, s.label) for s in spans_from_tokens(text, t, contract.ID2LABEL, min_score=0.65)] == [("Liberia", "FLAG")]


def test_the_reference_sends_a_refused_requests_documents_one_at_a_time():
    # Like NerClient.infer: a request over the window cap is retried document by document, so the
    # reference groups documents exactly as the served path does (INT8 activations are scaled per batch).
    from maritime_ner.repository.reference import Pipeline

    def forward(ids, mask):  # a label per token id: the same for a window in any batch
        return np.eye(contract.NUM_LABELS, dtype=np.float32)[ids % 3 * 2] * 8

    encoder = DocumentEncoder.from_dir(default_base_model(), window=12, stride=4, buckets=(), max_windows=6)
    texts = ["MV Ocean Star called at Busan with tuna on 12 March 2025 " * 2, "tuna", "MV Ocean Star at Busan " * 2]
    pipeline = Pipeline(encoder, forward, contract.ID2LABEL)
    with pytest.raises(contract.InvalidRequest):
        encoder.encode(texts)  # the three together exceed the cap
    assert pipeline.spans(texts) == [pipeline.request([t])[0] for t in texts]
    with pytest.raises(contract.InvalidRequest):
        pipeline.spans(["MV Ocean Star called at Busan " * 20])  # one document over the cap: refused, as served
