"""Layout helpers: key/value field blocks, sentence runs and space-aligned mini tables."""

from __future__ import annotations

from collections.abc import Callable


from .cargo import any_hs_code, species_plain
from .dates import date
from .segments import Rng, Segs, chance, entity, pick, plain, seg_len
from .surface import any_flag, imo_number, port, ship_any

Field = tuple[str, Segs]
FieldStyle = Callable[[str, Segs, int, int, int], Segs]  # (key, value, index, field count, key width)

# One row per layout; the drawn index picks it, so order is part of the output.
FIELD_STYLES: tuple[FieldStyle, ...] = (
    lambda key, val, i, n, width: plain(f"{key}: ") + val + plain("\n"),
    lambda key, val, i, n, width: plain(f"{key.upper()}: ") + val + plain("\n"),
    lambda key, val, i, n, width: plain(f"{key} " + "." * (width - len(key)) + " ") + val + plain("\n"),
    lambda key, val, i, n, width: plain(f"- {key}: ") + val + plain("\n"),
    lambda key, val, i, n, width: plain(f"{key}\t") + val + plain("\n"),
    lambda key, val, i, n, width: plain(f"{i + 1}. {key} - ") + val + plain("\n"),
    lambda key, val, i, n, width: plain(f"{key}: ") + val + plain("; " if i < n - 1 else ".\n"),
)


def render_fields(r: Rng, fields: list[Field], keep_order: float = 0.5) -> Segs:
    """Key/value lines in one of several layouts, order sometimes shuffled."""
    fields = [f for f in fields if f[1]]
    if not chance(r, keep_order):
        r.shuffle(fields)
    style = pick(r, FIELD_STYLES)
    width = max(len(k) for k, _ in fields) + 2 if fields else 0
    out: Segs = []
    for i, (key, val) in enumerate(fields):
        out += style(key, val, i, len(fields), width)
    return out


def sentences(r: Rng, items: list[Segs]) -> Segs:
    """Join sentence segment lists with spaces, in a lightly shuffled order."""
    if chance(r, 0.4) and len(items) > 2:
        head, rest = items[0], items[1:]
        r.shuffle(rest)
        items = [head] + rest
    out: Segs = []
    for s in (x for x in items if x):
        if out and not out[-1][0].endswith("\n"):
            out += plain(" ")
        out += s
    return out


# Column name -> cell; the key order is the population r.sample draws the columns from.
MINI_TABLE_CELLS: dict[str, Callable[[Rng], Segs]] = {
    "vessel": ship_any,
    "imo": lambda r: entity(imo_number(r), "IMO"),
    "flag": any_flag,
    "port": lambda r: port(r, allow_country=False),
    "species": lambda r: species_plain(r),
    "risk": lambda r: entity(pick(r, ["HIGH", "MEDIUM", "LOW", "high", "low"]), "RISK_LEVEL"),
    "date": date,
    "hs": any_hs_code,
}


def mini_table(r: Rng) -> Segs:
    """Columns of different entity types side by side, separated only by spaces."""
    cols = r.sample(list(MINI_TABLE_CELLS), r.randrange(4, 7))
    rows: list[list[Segs]] = []
    for _ in range(r.randrange(2, 6)):
        rows.append([MINI_TABLE_CELLS[c](r) if chance(r, 0.9) else plain("-") for c in cols])
    widths = [max([len(c)] + [seg_len(row[i]) for row in rows]) + r.randrange(1, 6) for i, c in enumerate(cols)]
    out: Segs = plain("".join((c.upper() if len(c) < 4 else c.title()).ljust(w + 1) for c, w in zip(cols, widths)).rstrip() + "\n")
    for row in rows:
        for i, cs in enumerate(row):
            pad = widths[i] - seg_len(cs) + 1
            out += cs + plain(" " * pad if i < len(row) - 1 else "\n")
    return out


def aligned_table(r: Rng, header: list[str], rows: list[list[Segs]]) -> Segs:
    """A plain-text table with space-padded columns under a header line (no rules, no pipes)."""
    widths = [max([len(h)] + [seg_len(row[i]) for row in rows]) + r.randrange(2, 8) for i, h in enumerate(header)]
    out: Segs = plain("".join(h.ljust(w) for h, w in zip(header, widths)).rstrip() + "\n")
    for row in rows:
        for i, cell in enumerate(row):
            out += cell + plain(" " * (widths[i] - seg_len(cell)) if i < len(row) - 1 else "\n")
    return out
