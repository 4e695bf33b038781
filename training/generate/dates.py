"""Date surface forms: single dates, ranges, other-language wording and ISO timestamps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from training import lexicon

from .segments import Rng, Segs, chance, entity, pick, plain


def rand_date(r: Rng) -> dt.date:
    """A date between 2018 and mid-2026."""
    return dt.date(2018, 1, 1) + dt.timedelta(days=r.randrange(0, 3100))


# Layouts over (date, English month name); the drawn index picks one, so order is part of the output.
DATE_LAYOUTS: tuple[Callable[[dt.date, str], str], ...] = (
    lambda d, m: f"{d.day} {m} {d.year}",
    lambda d, m: f"{d.day} {m[:3]} {d.year}",
    lambda d, m: f"{m} {d.day}, {d.year}",
    lambda d, m: d.isoformat(),
    lambda d, m: f"{d.month:02d}/{d.day:02d}/{d.year}",
    lambda d, m: f"{d.day:02d}/{d.month:02d}/{d.year}",
    lambda d, m: f"{d.day:02d}.{d.month:02d}.{d.year}",
    lambda d, m: f"{m} {d.year}",
    lambda d, m: f"{d.day} {m}",
    lambda d, m: f"{d.day:02d}-{m[:3].upper()}-{d.year}",
    lambda d, m: f"{d.month:02d}/{d.year}",
    lambda d, m: f"{d.day} de {lexicon.MONTHS_ES[d.month - 1]} de {d.year}",
    lambda d, m: f"{d.day} {lexicon.MONTHS_FR[d.month - 1]} {d.year}",
    lambda d, m: f"{d.year}/{d.month:02d}/{d.day:02d}",
    lambda d, m: f"{d.day}{m[:3].upper()}{d.year % 100:02d}",
    lambda d, m: f"{d.day}th {m}" if d.day in (4, 5, 6, 7, 8, 9, 10) else m,
    lambda d, m: f"{m[:3]}. {d.day}, {d.year}",
    lambda d, m: f"{d.year}年{d.month}月{d.day}日",
    lambda d, m: f"{d.month}月{d.day}日",
    lambda d, m: f"{d.day}. {lexicon.MONTHS_NO[d.month - 1]} {d.year}",
    lambda d, m: f"{d.day}. {lexicon.MONTHS_NO[d.month - 1]}",
    lambda d, m: f"{d.day} de {lexicon.MONTHS_ES[d.month - 1]}",
    lambda d, m: f"{lexicon.MONTHS_ES[d.month - 1]} de {d.year}",
    lambda d, m: f"{d.day:02d}-{lexicon.MONTHS_ES_ABBR[d.month - 1]}-{d.year}",
    lambda d, m: f"{d.day} {lexicon.MONTHS_FR_ABBR[d.month - 1]} {d.year}",
    lambda d, m: f"{d.day:02d} {m[:3].upper()} {d.year}",
    lambda d, m: f"{d.day} {m[:3]}",
)
ISO_LAYOUT = 3  # the only layout that may get a glued time
NUMERIC_LAYOUTS = (4, 5, 6)  # may be followed by a spaced time of day
# Time tails after an ISO date ('T04:18Z' glued, ' 06:02 UTC' spaced): always O.
ISO_TAILS: tuple[Callable[[Rng], str], ...] = (
    lambda r: f"T{r.randrange(24):02d}:{r.randrange(60):02d}Z",
    lambda r: f" {r.randrange(24):02d}:{r.randrange(60):02d} UTC",
    lambda r: f" {r.randrange(24):02d}:{r.randrange(60):02d}",
    lambda r: f"T{r.randrange(24):02d}:{r.randrange(60):02d}:{r.randrange(60):02d}Z",
)


def date_text(r: Rng, d: dt.date) -> Segs:
    """One of many date layouts; a glued ISO time stays outside the span."""
    m = lexicon.MONTHS[d.month - 1]
    k = r.randrange(len(DATE_LAYOUTS))
    text = DATE_LAYOUTS[k](d, m)
    if k == ISO_LAYOUT and chance(r, 0.35):
        return entity(text, "DATE") + plain(pick(r, ISO_TAILS)(r))
    if k in NUMERIC_LAYOUTS and chance(r, 0.12):
        return entity(text, "DATE") + plain(pick(r, [" ", ", ", " kl. ", " at "]) + f"{r.randrange(24):02d}:{r.randrange(60):02d}")
    return entity(text, "DATE")


def date(r: Rng) -> Segs:
    """A random date span."""
    return date_text(r, rand_date(r))


def range_from_to(r: Rng, a: dt.date, b: dt.date) -> Segs:
    """'from A to B'."""
    return plain("from ") + date_text(r, a) + plain(" to ") + date_text(r, b)


def range_dashed(r: Rng, a: dt.date, b: dt.date) -> Segs:
    """'A – B' / 'A until B'."""
    return date_text(r, a) + plain(pick(r, [" – ", " - ", " to ", " until ", "–", "–"])) + date_text(r, b)


def range_between(r: Rng, a: dt.date, b: dt.date) -> Segs:
    """'between A and B'."""
    return plain("between ") + date_text(r, a) + plain(" and ") + date_text(r, b)


DATE_RANGES: tuple[Callable[[Rng, dt.date, dt.date], Segs], ...] = (range_from_to, range_dashed, range_between)


def date_range(r: Rng) -> Segs:
    """A date range as two spans."""
    a = rand_date(r)
    b = a + dt.timedelta(days=r.randrange(1, 60))
    return pick(r, DATE_RANGES)(r, a, b)


def french_padded(r: Rng, d: dt.date) -> Segs:
    """'04 mars 2024'."""
    return entity(f"{d.day:02d} {lexicon.MONTHS_FR[d.month - 1].lower()} {d.year}", "DATE")


def french(r: Rng, d: dt.date) -> Segs:
    """'4 mars 2024'."""
    return entity(f"{d.day} {lexicon.MONTHS_FR[d.month - 1].lower()} {d.year}", "DATE")


def spanish(r: Rng, d: dt.date) -> Segs:
    """'4 de marzo de 2024'."""
    return entity(f"{d.day} de {lexicon.MONTHS_ES[d.month - 1]} de {d.year}", "DATE")


def german(r: Rng, d: dt.date) -> Segs:
    """'4. März 2024'."""
    return entity(f"{d.day}. {lexicon.MONTHS_DE[d.month - 1]} {d.year}", "DATE")


def ocr_numeric(r: Rng, d: dt.date) -> Segs:
    """'04/03/2024', half the time OCR-garbled: the first '0' read as 'O'/'o', the first '1' as 'l'."""
    s = f"{d.day:02d}/{d.month:02d}/{d.year}"
    return entity(s.replace("0", pick(r, ["O", "o"]), 1).replace("1", "l", 1) if chance(r, 0.5) else s, "DATE")


# The last two rows give the English layouts of date_text a 2/7 share.
DATE_WORDINGS: tuple[Callable[[Rng, dt.date], Segs], ...] = (
    french_padded, french, spanish, german, ocr_numeric, date_text, date_text,
)


def date_ml(r: Rng, d: dt.date) -> Segs:
    """A date in English, French, Spanish or German wording, or an OCR-garbled numeric form."""
    return pick(r, DATE_WORDINGS)(r, d)


def date_range_ml(r: Rng) -> Segs:
    """A date range in several languages: two DATE spans, the connector stays O."""
    a = rand_date(r)
    b = a + dt.timedelta(days=r.randrange(1, 90))
    before, between = pick(r, lexicon.RANGE_WORDS)
    if chance(r, 0.3):
        return plain(before) + entity(a.isoformat(), "DATE") + plain(between) + entity(b.isoformat(), "DATE")
    same = chance(r, 0.5)
    da = date_ml(r, a)
    db = date_ml(r, b) if not same else date_text(r, b)
    return plain(before) + da + plain(between) + db


def iso_stamp(r: Rng) -> Segs:
    """An ISO timestamp: only the date part is a DATE."""
    d = rand_date(r)
    tail = pick(r, [f"T{r.randrange(24):02d}:{r.randrange(60):02d}Z", f"T{r.randrange(24):02d}:{r.randrange(60):02d}:{r.randrange(60):02d}Z",
                    f"T{r.randrange(24):02d}:{r.randrange(60):02d}+00:00", f" {r.randrange(24):02d}:{r.randrange(60):02d}"])
    return entity(d.isoformat(), "DATE") + plain(tail)
