"""Build a hand-written set (Label Studio export format, UTF-16 offsets) from a markup source file.

Used for data/dev/handwritten.json (the defaults) and the outside sets in data/eval/.

Markup in the source: {{LABEL|span text}}; each document starts with a line "### <genre>".
A document whose header line is "### <genre> crlf" gets CRLF line endings: its "\n" are turned
into "\r\n" before the markup is stripped and offsets are computed (so offsets, UTF-16 as Label
Studio needs, count the "\r" characters); the flag is not part of the genre.
Run: python3 data/dev/build_dev.py [--src SRC] [--out OUT]
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENTITY_LABELS = ("VESSEL", "HS_CODE", "PORT", "SPECIES", "IMO", "FLAG", "RISK_LEVEL", "DATE")
MARK = re.compile(r"\{\{([A-Z_]+)\|(.+?)\}\}", re.DOTALL)


def split_docs(src: str) -> list[tuple[str, str]]:
    """(genre, marked-up text) per '### genre' block; lines before the first block are comments.

    A header "### <genre> crlf" marks a CRLF document: its line breaks become "\r\n".
    """
    docs: list[tuple[str, bool, list[str]]] = []
    for line in src.splitlines():
        if line.startswith("### "):
            genre = line[4:].strip()
            crlf = genre.endswith(" crlf")
            if crlf:
                genre = genre[: -len(" crlf")].strip()
            docs.append((genre, crlf, []))
        elif docs:
            docs[-1][2].append(line)
    out = []
    for g, crlf, lines in docs:
        text = "\n".join(lines).strip("\n")
        if crlf:
            text = text.replace("\n", "\r\n")
        out.append((g, text))
    return out


def clean(span: str) -> bool:
    """No leading/trailing whitespace or punctuation."""
    def bad(c: str) -> bool:
        return c.isspace() or unicodedata.category(c).startswith("P")
    return bool(span) and not bad(span[0]) and not bad(span[-1])


def strip_markup(marked: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Plain text and code-point (start, end, label) spans."""
    out: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos, last = 0, 0
    for m in MARK.finditer(marked):
        out.append(marked[last:m.start()])
        pos += m.start() - last
        label, span = m.group(1), m.group(2)
        if label not in ENTITY_LABELS:
            raise ValueError(f"unknown label {label!r} in {m.group(0)!r}")
        if not clean(span):
            raise ValueError(f"span has surrounding whitespace/punctuation: {m.group(0)!r}")
        spans.append((pos, pos + len(span), label))
        out.append(span)
        pos += len(span)
        last = m.end()
    out.append(marked[last:])
    text = "".join(out)
    if "{{" in text or "}}" in text:
        raise ValueError(f"unbalanced markup near: {text[text.find('{{') - 30:][:80]!r}")
    return text, spans


def utf16_index(text: str, i: int) -> int:
    """Code-point index -> UTF-16 code-unit index (JavaScript string index)."""
    return len(text[:i].encode("utf-16-le")) // 2


def utf16_slice(text: str, start: int, end: int) -> str:
    """text[start:end] with UTF-16 code-unit offsets."""
    return text.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le")


def to_task(task_id: int, genre: str, marked: str) -> dict:
    """One Label Studio task with a single annotation."""
    text, spans = strip_markup(marked)
    result = []
    for k, (s, e, label) in enumerate(spans):
        s16, e16 = utf16_index(text, s), utf16_index(text, e)
        result.append({"id": f"t{task_id}-{k}", "from_name": "label", "to_name": "text", "type": "labels",
                       "value": {"start": s16, "end": e16, "text": text[s:e], "labels": [label]}})
    return {"id": task_id, "data": {"text": text, "genre": genre},
            "annotations": [{"id": task_id, "result": result, "was_cancelled": False, "ground_truth": False}]}


def verify(tasks: list[dict]) -> None:
    """Every UTF-16 slice equals value.text; spans sorted and non-overlapping."""
    for t in tasks:
        text, prev_end = t["data"]["text"], 0
        for r in t["annotations"][0]["result"]:
            v = r["value"]
            if utf16_slice(text, v["start"], v["end"]) != v["text"]:
                raise ValueError(f"task {t['id']}: slice mismatch for {v}")
            if v["start"] < prev_end:
                raise ValueError(f"task {t['id']}: overlapping or unsorted span {v}")
            prev_end = v["end"]


def main(argv: list[str] | None = None) -> None:
    """Build and verify a hand-written set."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--src", type=Path, default=HERE / "handwritten_src.md")
    p.add_argument("--out", type=Path, default=HERE / "handwritten.json")
    args = p.parse_args(argv)
    docs = split_docs(args.src.read_text(encoding="utf-8"))
    tasks = [to_task(i + 1, g, m) for i, (g, m) in enumerate(docs)]
    verify(tasks)
    args.out.write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(tasks)} tasks to {args.out}")


if __name__ == "__main__":
    main()
