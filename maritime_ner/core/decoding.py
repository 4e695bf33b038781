"""Logits of overlapping windows -> one label per token -> entity spans (code points).

Steps, each small and testable: softmax -> merge windows (each token read from the window
where it sits most centrally) -> word labels -> one label per name (glued tokens, and adjacent
words where the probabilities agree) -> names grown over neighbouring words that still lean their
way -> runs of equal labels (broken at table gaps, blank lines, free dashes and slashes, and script changes; across
a single line break only where the model is sure of both lines) -> trimmed spans that name something
(a glued range of two dates as two).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

from .offsets import code_points

COLUMN_GAP = re.compile(r"\t| {2,}|\n[^\S\n]*\n")  # a tab, 2+ spaces, a blank line: runs break there
TIME_SEPARATOR = re.compile(r"[0-9][Tt][0-9]")  # the T of an ISO timestamp (split_words)
# Characters a span never starts or ends with (annotation guide: no surrounding
# whitespace or punctuation).
EDGE_CHARS = " \t\r\n\f\v\u00a0\u3000.,;:!?\"'`()[]{}<>«»“”‘’„‚、。，；：（）-–—/\\|¦~*#"
# Beyond those, any separator, punctuation, symbol (emoji, ©, °, №) or format/control character
# (zero-width joiner), and the marks that only decorate a symbol (variation selectors, keycap).
EDGE_CATEGORIES = frozenset("ZPSC")
SYMBOL_MARKS = frozenset(["\u20e3", *map(chr, range(0xFE00, 0xFE10)), *map(chr, range(0xE0100, 0xE01F0))])
# Adjacent words (one space apart) with different entity labels become one span when every
# word gives the run's label at least this mean probability: "Puerto del Rosario" is one PORT, while
# "0303.43 Skipjack" (no HS_CODE probability on "Skipjack") stays an HS code and a species.
ADJACENT_MIN_PROB = 0.2
# A name grows over a neighbouring O word that gives its label at least this mean probability
# (hysteresis: a name starts where its label wins, and goes on while the next word still leans its
# way): "Port of Busan", "2025-03-14" whose year alone came out O, "OCEAN MASTER 88". At 0.2 it also
# took "loin" after "Tuna" (one sub-token of it 0.6 SPECIES) and pulled the span under the cut.
EXTEND_MIN_PROB = 0.3
# Labels whose ranges are two spans (annotation guide: "2025-02-03 to 2025-03-21", "low to medium"),
# and the words that join the two ends of a range: such a word never carries one of those labels.
RANGE_LABELS = frozenset({"DATE", "RISK_LEVEL"})
RANGE_WORDS = frozenset({
    "to", "and", "or", "until", "till", "through", "thru", "then", "–", "—", "-", "~",  # English; dashes, a free hyphen
    "a", "al", "y", "o", "hasta", "au", "à", "et", "ou", "até", "e", "bis", "und", "oder",  # es, fr, pt, de
    "til", "og", "eller", "och", "sampai", "hingga", "dan", "atau", "至", "到", "〜", "～",  # nordic, id, zh/ja
})
RANGE_WORD_CHARS = max(map(len, RANGE_WORDS))
# A dash or slash standing between spaces ends a name of any label ("passage Tema - Lomé" is two ports,
# "MENG HAI / 376S" a ship and its voyage, "27-02-2025 / 01-03-2025" two dates). These rules, the script
# breaks and the glued date ranges below hold for all but a handful of the ~36,000 gold spans of the
# hand-annotated sets (OCR-garbled dates such as "28 / O2 / 2O25" and names, a carrier prefix before a
# Chinese name).
FREE_BREAKS = frozenset({"-", "–", "—", "/"})
# A glued range of two dates ("03/06-28/06", "11/2024-06/2025", "Jan-May", "9 Jan-22 Jan") is two spans
# (annotation guide: a range is two spans); each side must be a whole date on its own, so "2025-03-14"
# and "12-Mar-2025" stay one date. No gold DATE span of the hand-annotated sets is one of these; 140 pairs are.
MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?"
DATE_END = rf"(?:\d{{1,4}}[/.]\d{{1,2}}(?:[/.]\d{{2,4}})?|\d{{1,2}}[/.]\d{{4}}|{MONTH}|\d{{1,2}} {MONTH}(?: \d{{4}})?|{MONTH} \d{{1,2}})"
GLUED_DATE_RANGE = re.compile(rf"({DATE_END})[-–]({DATE_END})", re.IGNORECASE)
# A run goes on over a single line break only where every line gives its label at least this mean
# probability (OCR's "SANTA CRUZ DE\nTENERIFE"). Elsewhere it is cut there, and a line under the bar
# drops out beside one above it: the field label before a name ("Voyage No.\nMAERSK KWANZA"), the
# number of the next field ("Ama Serwaa\n2. IMO number") or the next sentence's first word.
LINE_JOIN_MIN_PROB = 0.95
LINE_BREAK = re.compile("\n")
# Scripts whose letters mark where one name ends and the next begins when a space separates them
# ("冷冻鲣鱼 skipjack", "Морская звезда Morskaya Zvezda"): the first word of a letter's Unicode name,
# with the Japanese syllabaries counted as one script with the ideographs they are written among.
SCRIPT_ALIASES = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "KATAKANA-HIRAGANA": "CJK", "IDEOGRAPHIC": "CJK",
                  "FULLWIDTH": "LATIN"}
# Scripts that OCR mixes inside one word through their look-alike letters ("Tреска", "Pоссия"): a
# glued change between two of them is no name boundary (script_changes).
HOMOGLYPH_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK"})
# A run under the decoder's min_score is still returned when the model is sure its words are a name
# (mean probability of not-O at least SURE_NAME_MIN_PROB) and its label holds a majority
# (MAJORITY_MIN_PROB): a name the model is sure of but splits between two types ("Dutch Harbor" PORT
# 0.55 / VESSEL 0.44) is more often right than wrong, while dropping it is a sure miss.
SURE_NAME_MIN_PROB = 0.9
MAJORITY_MIN_PROB = 0.5


@dataclass(frozen=True)
class Span:
    """An entity: code-point offsets into the document, ``end`` exclusive."""

    start: int
    end: int
    label: str
    score: float
    text: str


@dataclass(frozen=True)
class TokenTable:
    """One document's tokens in order, each with the probabilities of its chosen window."""

    word_ids: np.ndarray  # (n,)
    offsets: np.ndarray  # (n, 2)
    probs: np.ndarray  # (n, num_labels)


def softmax(logits: np.ndarray) -> np.ndarray:
    """Softmax over the last axis, in float64 for stable scores."""
    shifted = logits.astype(np.float64) - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


def token_positions(token_map: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(window, position) of every token of one document, in token order, read from the window
    where the token is furthest from an edge (earliest window on ties).

    token_map: (windows, seq, 4) with token index -1 for special and padding positions.
    """
    valid = token_map[:, :, 0] >= 0
    if len(valid) == 1:  # most documents fit one window: nothing to choose
        pos = np.flatnonzero(valid[0])
        return np.zeros(len(pos), dtype=np.int64), pos
    window_idx, pos = np.nonzero(valid)
    if len(window_idx) == 0:
        return window_idx, pos
    token = token_map[window_idx, pos, 0]
    first = np.where(valid.any(axis=1), np.argmax(valid, axis=1), 0)
    last = valid.shape[1] - 1 - np.argmax(valid[:, ::-1], axis=1)
    first_token = token_map[np.arange(len(first)), first, 0]
    last_token = token_map[np.arange(len(last)), last, 0]
    centrality = np.minimum(token - first_token[window_idx], last_token[window_idx] - token)
    # Sort by token, then most central first, then earliest window; keep the first per token.
    order = np.lexsort((window_idx, -centrality, token))
    keep = order[np.concatenate(([True], token[order][1:] != token[order][:-1]))]
    return window_idx[keep], pos[keep]


def merge_windows(probs: np.ndarray, token_map: np.ndarray) -> TokenTable:
    """One row per token of a document, each from its most central window (see token_positions).

    probs: (windows, seq, labels), or logits: the rows are picked, not changed.
    """
    window_idx, pos = token_positions(token_map)
    rows = token_map[window_idx, pos]
    return TokenTable(rows[:, 1], rows[:, 2:], probs[window_idx, pos])


def split_words(text: str, table: TokenTable) -> TokenTable:
    """A new word at a token inside a word that starts with ``T`` between two digits, or whose first
    letter touches a letter of another script (script_changes). The time of an ISO timestamp is then
    its own word, so ``2025-05-14T06:02Z`` can give the span ``2025-05-14`` (annotation guide), and
    ``Liberia에서`` (Korean for "from Liberia") can give ``Liberia``, while the rest stays ``O``."""
    words = table.word_ids
    if len(words) < 2 or (np.diff(words) < 0).any():
        return table
    new_word = np.concatenate(([True], words[1:] != words[:-1]))
    inside = np.flatnonzero(~new_word)  # tokens that continue a word
    starts = table.offsets[inside, 0]
    split = script_changes(text, table.offsets[inside - 1, 1], starts)
    if TIME_SEPARATOR.search(text):
        points = code_points(text)
        keep = np.flatnonzero((starts > 0) & (starts + 1 < len(points)))
        before, at, after = points[starts[keep] - 1], points[starts[keep]], points[starts[keep] + 1]
        split[keep] |= ((at | 0x20) == ord("t")) & (before >= 0x30) & (before <= 0x39) & (after >= 0x30) & (after <= 0x39)
    if not split.any():
        return table
    new_word[inside[split]] = True
    return TokenTable(np.cumsum(new_word) - 1, table.offsets, table.probs)


def word_labels(table: TokenTable) -> tuple[np.ndarray, np.ndarray]:
    """Label id of every word (argmax of its tokens' mean probabilities) and each token's word slot."""
    words = table.word_ids
    if len(words) and (np.diff(words) >= 0).all():  # tokens in text order: each word is one stretch
        new_word = np.concatenate(([True], words[1:] != words[:-1]))
        slot = np.cumsum(new_word) - 1
        sums = np.add.reduceat(table.probs, np.flatnonzero(new_word), axis=0)
        return sums.argmax(axis=1), slot
    _, slot = np.unique(words, return_inverse=True)
    sums = np.zeros((slot.max() + 1 if len(slot) else 0, table.probs.shape[1]))
    np.add.at(sums, slot, table.probs)
    return sums.argmax(axis=1), slot


def column_breaks(text: str, offsets: np.ndarray) -> np.ndarray:
    """Token indices that follow a column gap (a tab, or two or more spaces) or a blank line in the text.

    Labels are IO, so two same-label entities in neighbouring table columns would otherwise
    merge into one span; no entity spans a column gap (the annotation guide's shortest span)
    nor a paragraph break (an OCR line break inside a name is one newline).
    """
    return tokens_after(COLUMN_GAP, text, offsets)


def tokens_after(gap: re.Pattern, text: str, offsets: np.ndarray) -> np.ndarray:
    """Indices of the tokens that follow a match of ``gap`` lying between two tokens."""
    gaps = [match.span() for match in gap.finditer(text)] if len(offsets) >= 2 else []
    if not gaps:
        return np.zeros(0, dtype=np.int64)
    gap_start, gap_end = np.asarray(gaps, dtype=np.int64).T
    after = np.searchsorted(offsets[:, 0], gap_end)  # first token starting after each gap
    inside = (after > 0) & (after < len(offsets))
    after, gap_start = after[inside], gap_start[inside]
    return np.unique(after[offsets[after - 1, 1] <= gap_start])


def label_runs(token_labels: np.ndarray, breaks: np.ndarray | None = None) -> list[tuple[int, int, int]]:
    """Maximal runs of equal non-O (non-zero) labels as (first token, last token + 1, label).

    ``breaks``: token indices where a new run starts even if the label does not change.
    """
    if len(token_labels) == 0:
        return []
    change = np.flatnonzero(np.diff(token_labels)) + 1
    if breaks is not None and len(breaks):
        change = np.union1d(change, breaks)
    bounds = np.concatenate(([0], change, [len(token_labels)]))
    first, stop, label = bounds[:-1], bounds[1:], token_labels[bounds[:-1]]
    entity = label != 0
    return list(zip(first[entity].tolist(), stop[entity].tolist(), label[entity].tolist()))


def split_lines(runs: Sequence[tuple[int, int, int]], text: str, table: TokenTable) -> list[tuple[int, int, int]]:
    """Runs that cross a single line break, cut into their lines unless every line holds
    ``LINE_JOIN_MIN_PROB``; of the cut lines, those under the bar are dropped if another line holds it."""
    line_starts = tokens_after(LINE_BREAK, text, table.offsets) if runs else np.zeros(0, dtype=np.int64)
    out = []
    for first, stop, label in runs:
        cuts = line_starts[(line_starts > first) & (line_starts < stop)].tolist()
        if not cuts:
            out.append((first, stop, label))
            continue
        bounds = [first, *cuts, stop]
        lines = [(a, b, label) for a, b in zip(bounds[:-1], bounds[1:])]
        sure = [line for line in lines if table.probs[line[0] : line[1], label].mean() >= LINE_JOIN_MIN_PROB]
        out.extend([(first, stop, label)] if len(sure) == len(lines) else sure or lines)
    return out


@functools.lru_cache(maxsize=4096)
def script_of(char: str) -> str:
    """The script of a letter ("LATIN", "CYRILLIC", "CJK", ...); "" for anything that is not a letter."""
    if not char.isalpha():
        return ""
    first = unicodedata.name(char, "").partition(" ")[0]
    return SCRIPT_ALIASES.get(first, first)


def script_changes(text: str, ends: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """For each pair (``ends[k]``, ``starts[k]``): True where the two touch (nothing between) and the
    letters on either side belong to two scripts, a Latin side being two letters or more: the end of
    a name glued to a word of another language (``Liberia에서``, ``Port Louisにて``). Latin, Cyrillic and
    Greek count as one (HOMOGLYPH_SCRIPTS), and a lone Latin letter does not count (OCR's ``2O25年``).
    Of the 36,433 gold spans of the hand-annotated sets, 22 end or start at such a change and none
    crosses one. Only touching pairs with a non-ASCII side are looked at."""
    out = np.zeros(len(ends), dtype=bool)
    points = code_points(text)
    touch = np.flatnonzero((ends == starts) & (ends > 0) & (starts < len(points)))
    if len(touch):
        touch = touch[(points[ends[touch] - 1] >= 0x80) | (points[starts[touch]] >= 0x80)]
    if not len(touch):
        return out
    at = starts[touch]
    around = np.stack((at - 2, at - 1, at, at + 1)).ravel()  # two letters each side of every contact
    inside = (around >= 0) & (around < len(points))
    chars, which = np.unique(points[np.where(inside, around, 0)], return_inverse=True)
    scripts = np.array([script_of(chr(c)) for c in chars.tolist()])[which.ravel()]  # few distinct letters
    left2, left, right, right2 = np.where(inside, scripts, "").reshape(4, -1)
    homoglyphs = np.isin(left, list(HOMOGLYPH_SCRIPTS)) & np.isin(right, list(HOMOGLYPH_SCRIPTS))
    change = (left != "") & (right != "") & (left != right) & ~homoglyphs
    change &= ((left != "LATIN") | (left2 == "LATIN")) & ((right != "LATIN") | (right2 == "LATIN"))
    out[touch[change]] = True
    return out


def script_breaks(text: str, offsets: np.ndarray, token_labels: np.ndarray) -> np.ndarray:
    """Token indices where a run of one entity label crosses white space from a letter of one script
    to a letter of another, or a glued script change (script_changes): a name written twice ("冷冻鲣鱼
    skipjack"), or two names side by side, is two spans (the hand-annotated sets' gold spans almost
    never change script at a space between letters)."""
    one_label = (token_labels[:-1] != 0) & (token_labels[:-1] == token_labels[1:])
    same = np.flatnonzero(one_label & (offsets[:-1, 1] < offsets[1:, 0])) + 1  # one entity label, a gap between
    out = [k for k in same.tolist()
           if text[offsets[k - 1, 1]:offsets[k, 0]].isspace()
           and "" != script_of(text[offsets[k - 1, 1] - 1]) != script_of(text[offsets[k, 0]]) != ""]
    glued = np.flatnonzero(one_label & script_changes(text, offsets[:-1, 1], offsets[1:, 0])) + 1
    return np.union1d(np.asarray(out, dtype=np.int64), glued)


def split_glued_range(span: Span) -> list[Span]:
    """A DATE span that is two whole dates glued by a hyphen ("03/06-28/06") as two spans, else itself."""
    match = GLUED_DATE_RANGE.fullmatch(span.text) if span.label == "DATE" else None
    if match is None:
        return [span]
    (a, b), (c, d) = match.span(1), match.span(2)
    return [Span(span.start + a, span.start + b, span.label, span.score, match[1]),
            Span(span.start + c, span.start + d, span.label, span.score, match[2])]


def is_edge(char: str) -> bool:
    """A character no span starts or ends with: whitespace, punctuation, symbols, emoji and their marks."""
    return char in EDGE_CHARS or char in SYMBOL_MARKS or unicodedata.category(char)[0] in EDGE_CATEGORIES


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` past leading and trailing whitespace, punctuation and symbols."""
    while start < end and is_edge(text[start]):
        start += 1
    while end > start and is_edge(text[end - 1]):
        end -= 1
    return start, end


def names_something(text: str) -> bool:
    """True when a span holds a letter or a digit (a span of only symbols or emoji names nothing)."""
    return any(unicodedata.category(c)[0] in "LN" for c in text)


def harmonize_stretches(token_labels: np.ndarray, probs: np.ndarray, joinable: np.ndarray,
                        accept: Callable[[int, int, int], bool] | None = None) -> np.ndarray:
    """One label per stretch of entity tokens linked by ``joinable`` gaps (``joinable[k]``: token k
    and k+1 may belong to one name) that came out with several labels: the entity label with the
    largest summed probability, where ``accept(first, last, label)`` allows it (always when None)."""
    labels = token_labels.copy()
    linked = (labels[:-1] != 0) & (labels[1:] != 0) & joinable
    if not (linked & (labels[:-1] != labels[1:])).any():
        return labels  # the common case, decided without a Python loop
    n, i = len(labels), 0
    while i < n:
        j = i
        while j + 1 < n and linked[j]:
            j += 1
        if j > i and len(set(labels[i : j + 1].tolist())) > 1:
            summed = probs[i : j + 1].sum(axis=0)
            summed[0] = -np.inf
            best = int(summed.argmax())
            if accept is None or accept(i, j, best):
                labels[i : j + 1] = best
        i = j + 1
    return labels


def harmonize_glued(token_labels: np.ndarray, table: TokenTable, text: str) -> np.ndarray:
    """One label for entity tokens glued together without whitespace (``16.04``, ``浙岱渔03158``).

    Text without a space between never holds two entities of different types side by side, so a
    glued stretch always takes one label; a glued change of script (script_changes) is a gap.
    """
    ends, starts = table.offsets[:-1, 1], table.offsets[1:, 0]
    touching = (ends == starts) & ~script_changes(text, ends, starts)
    return harmonize_stretches(token_labels, table.probs, touching)


def word_gaps_joinable(text: str, ends: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """For each pair (``ends[k]``, ``starts[k]``): True when the text between is empty (and no script
    change, script_changes) or one space (no newline, punctuation or column gap): where two words may
    belong to one name. No Python loop over the pairs but the few glued non-ASCII ones."""
    length = starts - ends
    ok = (length == 0) & ~script_changes(text, ends, starts)
    spaced = np.flatnonzero(length == 1)
    if len(spaced):
        ok[spaced] = code_points(text)[ends[spaced]] == 0x20
    return ok


def harmonize_adjacent(token_labels: np.ndarray, table: TokenTable, slot: np.ndarray, text: str,
                       min_prob: float = ADJACENT_MIN_PROB) -> np.ndarray:
    """One label for a name whose words came out with different entity labels ("Puerto del Rosario").

    Tokens separated by nothing or by one space (no newline, punctuation or column gap)
    join; the stretch takes its best label only if every word of it gives that label at least
    ``min_prob`` on average; otherwise the model says these are different things and the labels stay.
    """
    ends, starts = table.offsets[:-1, 1], table.offsets[1:, 0]
    joinable = np.zeros(len(ends), dtype=bool)
    entities = np.flatnonzero((token_labels[:-1] != 0) & (token_labels[1:] != 0))  # only these are read
    joinable[entities] = word_gaps_joinable(text, ends[entities], starts[entities])

    def every_word_agrees(first: int, last: int, label: int) -> bool:
        words, probs = slot[first : last + 1], table.probs[first : last + 1, label]
        return min(probs[words == w].mean() for w in np.unique(words)) >= min_prob

    return harmonize_stretches(token_labels, table.probs, joinable, every_word_agrees)


def extend_names(token_labels: np.ndarray, table: TokenTable, slot: np.ndarray, text: str,
                 min_prob: float = EXTEND_MIN_PROB) -> np.ndarray:
    """Grow every name over neighbouring O words that give its label at least ``min_prob`` on average.

    A word joins only across nothing or one space (never across a newline or a table
    column) and never takes a word that already has an entity label; a word of punctuation joins
    like any other (the ``-`` of ``2025-03-14``; a trailing one is trimmed off the span later).
    Growth repeats, so a name grows word by word while each next word still leans its way
    ("Port of Busan" when "Port" and "of" came out O but give PORT 0.3). ``slot``: each token's
    word, in text order. Keeping punctuation out unless it sits inside a token string was tried:
    no better on the dev sets, slightly worse on the generated ones.
    """
    if len(token_labels) < 2 or not token_labels.any() or (np.diff(slot) < 0).any():
        return token_labels
    first = np.flatnonzero(np.concatenate(([True], slot[1:] != slot[:-1])))  # first token of each word
    last = np.concatenate((first[1:], [len(slot)])) - 1
    labels = token_labels[first]
    means = np.add.reduceat(table.probs, first, axis=0) / (last - first + 1)[:, None]
    joinable = word_gaps_joinable(text, table.offsets[last[:-1], 1], table.offsets[first[1:], 0])
    rows = np.arange(len(labels))
    while True:
        # candidate label of each O word from its left and from its right neighbour (0 = none)
        from_left = np.zeros_like(labels)
        from_left[1:] = np.where(joinable & (labels[1:] == 0), labels[:-1], 0)
        from_right = np.zeros_like(labels)
        from_right[:-1] = np.where(joinable & (labels[:-1] == 0), labels[1:], 0)
        left_ok = (from_left != 0) & (means[rows, from_left] >= min_prob)
        right_ok = (from_right != 0) & (means[rows, from_right] >= min_prob)
        if not (left_ok | right_ok).any():
            break
        prefer_right = right_ok & (~left_ok | (means[rows, from_right] > means[rows, from_left]))
        grow = left_ok | right_ok
        labels = np.where(grow, np.where(prefer_right, from_right, from_left), labels)
    return labels[np.repeat(np.arange(len(first)), last - first + 1)]


def split_ranges(token_labels: np.ndarray, table: TokenTable, slot: np.ndarray, text: str,
                 ranged: frozenset[int]) -> np.ndarray:
    """``O`` for every free-standing word of ``RANGE_WORDS`` (white space on both sides) labelled with
    one of the ``ranged`` label ids, so the two ends of a range come out as two spans however the model
    and the growth read the word between, and for every free-standing dash or slash (``FREE_BREAKS``) whatever
    its label; glued pieces ("a" of "a-b") are left alone."""
    if (np.diff(slot) < 0).any():
        return token_labels
    words = np.unique(slot[token_labels != 0])
    first, stop = np.searchsorted(slot, words, "left"), np.searchsorted(slot, words, "right")
    starts, ends = table.offsets[first, 0], table.offsets[stop - 1, 1]
    short = np.flatnonzero(ends - starts <= RANGE_WORD_CHARS)  # few words are that short: check only those
    out = token_labels
    for a, b, start, end in zip(first[short].tolist(), stop[short].tolist(), starts[short].tolist(), ends[short].tolist()):
        free = (start == 0 or text[start - 1].isspace()) and (end == len(text) or text[end].isspace())
        word = text[start:end]
        if free and (word in FREE_BREAKS or (int(token_labels[a]) in ranged and word.casefold() in RANGE_WORDS)):
            out = out.copy() if out is token_labels else out
            out[a:b] = 0
    return out


def min_score_setting(value: str | float) -> float:
    """The decoder's ``min_score`` parameter as a number in [0, 1); "" means 0."""
    try:
        number = float(value) if str(value).strip() else 0.0
    except ValueError:
        raise ValueError(f"min_score must be a number in [0, 1), got {value!r}") from None
    if not 0.0 <= number < 1.0:
        raise ValueError(f"min_score must be a number in [0, 1), got {value!r}")
    return number


def spans_from_tokens(text: str, table: TokenTable, id2label: Mapping[int, str], min_score: float = 0.0) -> list[Span]:
    """Group a document's tokens into trimmed, sorted, non-overlapping spans scoring at least ``min_score``
    (or surely a name whose label holds a majority: SURE_NAME_MIN_PROB, MAJORITY_MIN_PROB)."""
    table = split_words(text, table)
    words, slot = word_labels(table)
    token_labels = harmonize_adjacent(harmonize_glued(words[slot], table, text), table, slot, text)
    token_labels = extend_names(token_labels, table, slot, text)
    token_labels = split_ranges(token_labels, table, slot, text,
                                frozenset(i for i, name in id2label.items() if name in RANGE_LABELS))
    breaks = np.union1d(column_breaks(text, table.offsets), script_breaks(text, table.offsets, token_labels))
    runs = split_lines(label_runs(token_labels, breaks), text, table)
    not_names = run_scores(table.probs, [(a, b, 0) for a, b, _ in runs])  # mean P(O) of each run
    spans = []
    for (a, b, label_id), score, not_name in zip(runs, run_scores(table.probs, runs), not_names):
        start, end = trim(text, int(table.offsets[a, 0]), int(table.offsets[b - 1, 1]))
        kept = score >= min_score or (score >= MAJORITY_MIN_PROB and 1 - not_name >= SURE_NAME_MIN_PROB)
        if start < end and kept and names_something(text[start:end]):
            spans.extend(split_glued_range(Span(start, end, id2label[label_id], score, text[start:end])))
    return spans


def run_scores(probs: np.ndarray, runs: Sequence[tuple[int, int, int]]) -> list[float]:
    """Each run's score: the mean probability of its label over its tokens, rounded to 6 places."""
    if not runs:
        return []
    first, stop, label = np.asarray(runs, dtype=np.int64).T
    cumulative = np.concatenate((np.zeros((1, probs.shape[1])), np.cumsum(probs, axis=0)))
    means = (cumulative[stop, label] - cumulative[first, label]) / (stop - first)
    return [round(m, 6) for m in means.tolist()]


def decode_document(text: str, logits: np.ndarray, token_map: np.ndarray, id2label: Mapping[int, str],
                    min_score: float = 0.0) -> list[Span]:
    """Spans of one document from the logits of all its windows: (windows, seq, labels)."""
    picked = merge_windows(logits, token_map)  # softmax is per row: pick first, then normalise
    table = TokenTable(picked.word_ids, picked.offsets, softmax(picked.probs))
    return spans_from_tokens(text, table, id2label, min_score)


def decode_batch(
    texts: Sequence[str],
    logits: np.ndarray,
    token_map: np.ndarray,
    window_doc: np.ndarray,
    id2label: Mapping[int, str],
    min_score: float = 0.0,
) -> list[list[Span]]:
    """Spans for every document of a request; windows are routed by ``window_doc``."""
    if logits.shape[-1] != len(id2label):
        raise ValueError(f"logits have {logits.shape[-1]} labels, the label map has {len(id2label)}")
    return [
        decode_document(text, logits[window_doc == i], token_map[window_doc == i], id2label, min_score)
        for i, text in enumerate(texts)
    ]
