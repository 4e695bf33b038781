"""Independent sanity check of the outside eval set (standard library only).

For each half: every entity's UTF-16 slice text[start:end] equals its value.text and the span
marked in the source file (same order); spans are clean (no edge whitespace/punctuation) and
do not overlap; the documents marked ` crlf` use CRLF line endings and no others do; each half
has >= 20 documents and every label appears >= 15 times.
Run: python3 data/eval/check_eval.py
"""
import collections
import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = ("VESSEL", "HS_CODE", "PORT", "SPECIES", "IMO", "FLAG", "RISK_LEVEL", "DATE")
SPAN = re.compile(r"\{\{([A-Z_]+)\|(.+?)\}\}", re.DOTALL)


def js_slice(text, start, end):
    units = text.encode("utf-16-le")
    return units[2 * start:2 * end].decode("utf-16-le")


def edge_ok(s):
    bad = lambda c: c.isspace() or unicodedata.category(c).startswith("P")
    return bool(s) and not bad(s[0]) and not bad(s[-1])


def check(half):
    src = (HERE / f"outside_{half}_src.md").read_text(encoding="utf-8")
    tasks = json.loads((HERE / f"outside_{half}.json").read_text(encoding="utf-8"))
    blocks = re.split(r"^### ", src, flags=re.M)[1:]
    assert len(blocks) == len(tasks), (half, len(blocks), len(tasks))
    counts, genres, n_spans = collections.Counter(), collections.Counter(), 0
    for block, task in zip(blocks, tasks):
        header, _, body = block.partition("\n")
        crlf = header.strip().endswith(" crlf")
        text = task["data"]["text"]
        assert ("\r\n" in text) == crlf, (half, task["id"], "CRLF flag mismatch")
        if crlf:
            assert "\n" not in text.replace("\r\n", ""), (half, task["id"], "bare LF in CRLF doc")
        marked = [(m.group(1), m.group(2)) for m in SPAN.finditer(body)]
        result = task["annotations"][0]["result"]
        assert len(marked) == len(result), (half, task["id"], len(marked), len(result))
        prev = 0
        for (lab, span), r in zip(marked, result):
            v = r["value"]
            assert v["labels"] == [lab] and lab in LABELS, (half, task["id"], v)
            assert js_slice(text, v["start"], v["end"]) == v["text"] == span, (half, task["id"], v, span)
            assert edge_ok(span), (half, task["id"], span)
            assert v["start"] >= prev, (half, task["id"], "overlap", v)
            prev = v["end"]
            counts[lab] += 1
            n_spans += 1
        genres[task["data"]["genre"]] += 1
    assert len(tasks) >= 20, (half, len(tasks))
    low = {l: counts[l] for l in LABELS if counts[l] < 15}
    assert not low, (half, "labels under 15", low)
    return len(tasks), n_spans, counts, genres


def main():
    for half in ("dev", "test"):
        n, s, counts, genres = check(half)
        print(f"{half}: {n} documents, {s} spans")
        print("  labels: " + ", ".join(f"{l} {counts[l]}" for l in LABELS))
        print("  genres: " + ", ".join(f"{g} {c}" for g, c in sorted(genres.items())))
    print("OK")


if __name__ == "__main__":
    sys.exit(main())
