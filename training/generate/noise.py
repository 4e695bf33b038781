"""O-label distractors (codes, people, companies, years) and OCR-style corruption."""

from __future__ import annotations

import string
from collections.abc import Callable

from training import lexicon

from . import pools
from .segments import Rng, Segs, chance, pick, plain


def callsign(r: Rng) -> str:
    """A radio call sign."""
    return pick(r, ["3E", "5V", "D5", "H3", "BZ", "DS", "UB", "LA", "EA", "JD", "T8", "V3"]) + "".join(
        pick(r, string.ascii_uppercase + string.digits) for _ in range(r.randrange(2, 5)))


def container(r: Rng) -> str:
    """An ISO 6346-like container number."""
    return pick(r, ["MSCU", "MAEU", "CMAU", "TGHU", "SEGU", "HLXU", "OOLU", "CXRU"]) + f"{r.randrange(10**7):07d}"


def code_no(r: Rng) -> str:
    """Invoice, booking, seal, PO or registration numbers."""
    k = r.randrange(6)
    # Every form is built, then one kept: existing seeds' random streams depend on drawing them all.
    return [f"INV-{r.randrange(2019, 2026)}-{r.randrange(10**5):05d}", f"BKG{r.randrange(10**8):08d}",
            f"SL{r.randrange(10**6):06d}", f"PO {r.randrange(10**6, 10**7)}",
            f"{pick(r, ['PS', 'ZJ', 'LA', 'BS', 'KN'])}-{r.randrange(1000, 9999)}-{pick(r, ['TT', 'F', 'VG'])}",
            f"{r.randrange(10**6, 10**7)}"][k]


def weight(r: Rng) -> str:
    """A net weight."""
    v = r.randrange(500, 900_000)
    return pick(r, [f"{v:,} kg", f"{v / 1000:.1f} MT", f"{v:,} KGS", f"{v / 1000:.3f} t", f"{v // 20:,} cartons"])


def price(r: Rng) -> str:
    """A price or value."""
    return pick(r, [f"USD {r.randrange(800, 9000):,}/MT", f"EUR {r.randrange(1000, 2_000_000):,}.00",
                    f"US$ {r.randrange(1, 40)}.{r.randrange(100):02d}/kg", f"${r.randrange(10_000, 900_000):,}"])


def time_of_day(r: Rng) -> str:
    """A time of day."""
    return pick(r, [f"{r.randrange(24):02d}:{r.randrange(60):02d} UTC", f"{r.randrange(24):02d}{r.randrange(60):02d}Z",
                    f"{r.randrange(1, 12)}:{r.randrange(60):02d} pm", f"{r.randrange(24):02d}:{r.randrange(60):02d} LT"])


def duration(r: Rng) -> str:
    """A duration ('14 days')."""
    return pick(r, [f"{r.randrange(2, 90)} days", f"{r.randrange(3, 96)} hours", f"{r.randrange(2, 20)} weeks",
                    f"{r.randrange(2, 11)} months", f"{r.randrange(1, 40)} h {r.randrange(60)} min"])


def person(r: Rng) -> str:
    """A person's name, from the lexicon or, half the time, from the broad pools of many locales."""
    if chance(r, 0.5):
        first, last = pools.first_name(r), pools.last_name(r)
    else:
        first, last = pick(r, lexicon.FIRST), pick(r, lexicon.LAST)
    return pick(r, [f"{first} {last}", f"Capt. {last}", f"{first[0]}. {last}", f"Mr {last}", f"Ms {last}"])


def company(r: Rng) -> str:
    """A company name (may contain port or species words; still O); a third are a surname and a suffix."""
    if chance(r, 0.33):
        return f"{pools.last_name(r)}{pick(r, [' ', ' & Sons ', ' Bros. '])}{pick(r, lexicon.COMPANY_SUFFIXES)}"
    return pick(r, lexicon.COMPANIES)


def nonflag_country(r: Rng) -> str:
    """A country phrase that is not a flag state."""
    k = r.randrange(7)
    # Every phrase is built, then one kept: existing seeds' random streams depend on drawing them all.
    return [f"country of origin: {pick(r, lexicon.COUNTRIES)}", f"destined for {pick(r, lexicon.COUNTRIES)}",
            f"{pick(r, ['Chinese', 'Korean', 'Spanish', 'Taiwanese', 'Russian'])}-owned",
            f"{pick(r, lexicon.NATIONALITIES)} crew", pick(r, lexicon.AUTHORITIES), pick(r, lexicon.SEA_AREAS),
            f"built in {pick(r, ['Japan', 'China', 'Norway', 'Spain', 'Korea'])}"][k]


def time_noise(r: Rng) -> str:
    """Time expressions that are not DATE: quarters, weeks, weekdays, bare years."""
    return pick(r, [f"Q{r.randrange(1, 5)} {r.randrange(2019, 2027)}", f"week {r.randrange(1, 53)}",
                    f"{r.randrange(2015, 2026)}", f"the {pick(r, ['first', 'second'])} half of {r.randrange(2015, 2026)}",
                    f"the week to {pick(r, lexicon.WEEKDAYS)}"])


def noise_phrase(r: Rng) -> str:
    """A trap phrase for lookalike labels ('high seas', 'Q1 2025', 'week 19')."""
    return pick(r, ["high seas", "high priority", "security level 1", f"Q{r.randrange(1, 5)} {r.randrange(2019, 2027)}",
                    f"week {r.randrange(1, 53)}", pick(r, lexicon.WEEKDAYS), f"in {r.randrange(2015, 2026)}",
                    f"score {r.randrange(10, 99)}/100", "high-value cargo", f"MMSI {r.randrange(2 * 10**8, 8 * 10**8)}",
                    f"call sign {callsign(r)}", f"container {container(r)}", "Dalian-based", "Busan branch",
                    f"Company IMO No. {r.randrange(10**6, 6 * 10**6)}", f"{r.randrange(3, 30)} nm"])


def year_noise(r: Rng) -> str:
    """Bare years, year ranges, quarters and seasons: all O."""
    y = r.randrange(2005, 2027)
    return pick(r, [f"in {y}", f"({y}–{y + r.randrange(1, 6)})", f"Q{r.randrange(1, 5)} {y}", f"since {y}",
                    f"the {y} season", f"{y}/{(y + 1) % 100:02d} season", f"the first half of {y}", f"FY{y}",
                    f"{y}-{y + r.randrange(1, 4)}", f"until {y}", f"quota {y}", f"at its {y} session",
                    f"week {r.randrange(1, 53)} of {y}", f"the second half of {y}", f"end-{y}"])


def port_city_head(r: Rng) -> str:
    """A port city as the head of a company name."""
    return pick(r, lexicon.PORTS)[0]


def species_head(r: Rng) -> str:
    """A species word as the head of a company name."""
    return pick(r, ["Anchoveta", "Tuna", "Squid", "Hake", "Octopus", "Shrimp", "Salmon", "Calamar", "Merluza", "Atún"])


def surname_head(r: Rng) -> str:
    """A surname as the head of a company name."""
    return pick(r, lexicon.LAST)


def vessel_like_head(r: Rng) -> str:
    """A vessel-name stem as the head of a company name."""
    return pick(r, ["Ocean Star", "Golden Harvest", "Pacific Pride", "Blue Horizon", "Mar Azul", "Nordkapp"]
                + lexicon.KOREAN_NAMES + lexicon.JAPANESE_STEMS + list(lexicon.PINYIN_STEMS))


COMPANY_HEADS: tuple[Callable[[Rng], str], ...] = (port_city_head, species_head, surname_head, vessel_like_head)


def company_tricky(r: Rng) -> str:
    """A company whose name contains a port, species, vessel-like or surname word (O)."""
    head = pick(r, COMPANY_HEADS)(r)
    word = pick(r, lexicon.COMPANY_WORDS)
    return pick(r, [f"{head} {word} {pick(r, lexicon.COMPANY_SUFFIXES)}", f"{word} {head} {pick(r, lexicon.COMPANY_SUFFIXES)}",
                    f"{head} {word}", f"{word} {head} del Sur {pick(r, lexicon.COMPANY_SUFFIXES)}"])


def address(r: Rng) -> str:
    """A postal address whose town may be a port city (all O)."""
    town = pick(r, lexicon.PORTS)[0] if chance(r, 0.6) else pick(r, lexicon.INLAND_CITIES)
    return pick(r, [f"{pick(r, lexicon.STREETS)} {r.randrange(1, 200)}, {town} ({pick(r, lexicon.PROVINCES)}), {pick(r, lexicon.COUNTRIES)}",
                    f"{r.randrange(1, 90)}-{r.randrange(1, 30)} {pick(r, lexicon.STREETS)}, {town}, {pick(r, lexicon.PROVINCES)} {r.randrange(100, 999)}-{r.randrange(1000, 9999)}",
                    f"{pick(r, lexicon.STREETS)}, {r.randrange(10000, 99999)} {town} ({pick(r, lexicon.PROVINCES)})",
                    f"{r.randrange(1, 300)} {pick(r, lexicon.STREETS)}, {town} {r.randrange(1000, 9999)}"])


def lot_noise(r: Rng) -> str:
    """Lot, booking, voyage and seal numbers that look like dates or codes (O)."""
    return pick(r, [f"lot {r.randrange(18, 27)}-{r.randrange(1, 9999):04d}", f"voy. {r.randrange(1, 9999):04d}-{r.randrange(1, 999):03d}{pick(r, 'NSEW')}",
                    f"seal {r.randrange(10**5, 10**6)}", f"booking {r.randrange(10**7, 10**8)}", f"#{r.randrange(2019, 2027)}-{r.randrange(1, 9999):04d}-{r.randrange(1, 99):02d}",
                    f"ref {r.randrange(10, 99)}/{r.randrange(1000, 9999)}", f"PO {r.randrange(10**6, 10**7)}", f"{r.randrange(1, 99)} pallets",
                    f"No.: {r.randrange(2015, 2026)}-{r.randrange(1, 99):02d}", f"{r.randrange(1, 60)}-{r.randrange(1, 30)} {pick(r, ['Chome', 'ban'])}"])


def dated_ref(r: Rng) -> str:
    """Alert, event, document and invoice numbers with a date inside them (O)."""
    y, m, d = r.randrange(2019, 2027), r.randrange(1, 13), r.randrange(1, 29)
    tag = "".join(pick(r, string.ascii_uppercase) for _ in range(r.randrange(2, 4)))
    return pick(r, [f"{tag}-{y}{m:02d}{d:02d}-{r.randrange(10**4):04d}", f"{tag}-{pick(r, ['PAC', 'ATL', 'IND'])}-{y}-{m:02d}-{r.randrange(10**4):04d}",
                    f"{tag}-{y}-{tag[:1]}D-{r.randrange(10**7):07d}", f"{tag}-{y % 100}-{r.randrange(10**6):06d}",
                    f"{tag}-{y % 100}-{r.randrange(10**4):04d}", f"{tag}/{y}/{m:02d}{d:02d}"])


def emo(r: Rng) -> str:
    """An emoji or symbol with a space (O noise)."""
    return pick(r, lexicon.EMOJI) + " "


def filler(r: Rng) -> Segs:
    """A sentence of distractors only."""
    k = r.randrange(10)
    # Every sentence is built, then one kept: existing seeds' random streams depend on drawing them all.
    return plain([
        f"The master, {person(r)}, reported at {time_of_day(r)} (note: {nonflag_country(r)}).",
        f"Contact {person(r)} of {company(r)} regarding invoice {code_no(r)}.",
        f"Container {container(r)}, seal {code_no(r)}, gross weight {weight(r)}.",
        f"Agreed price {price(r)}, payment within {duration(r)}.",
        f"The vessel reported MMSI {r.randrange(2 * 10**8, 8 * 10**8)} and call sign {callsign(r)}.",
        f"This is treated as {noise_phrase(r)}; follow-up by {company(r)}.",
        f"The cargo remained on board for {duration(r)} before discharge.",
        f"Reference {code_no(r)} ({noise_phrase(r)}) was logged by {person(r)}.",
        f"The buyer, {company(r)}, is {pick(r, ['Dalian-based', 'Vigo-based', 'Busan-based', 'headquartered in ' + pick(r, lexicon.CITIES)])}.",
        f"Crew: {r.randrange(8, 60)} ({pick(r, lexicon.NATIONALITIES)} and {pick(r, lexicon.NATIONALITIES)}), {noise_phrase(r)}.",
    ][k])


# ---------------------------------------------------------------- OCR noise

STRAY = "|¦~`°·_^«»"
OCR_SWAPS = {"O": "0", "l": "1", "I": "l", "S": "5", "e": "c", "m": "rn"}


def ocr_piece(r: Rng, text: str, labelled: bool) -> str:
    """Noise one segment; entity text only gets line breaks between its words."""
    out = []
    for i, ch in enumerate(text):
        if ch == " " and 0 < i < len(text) - 1 and chance(r, 0.03 if labelled else 0.08):
            out.append(pick(r, ["\n", "\n", "  ", " \n"]))
            continue
        if not labelled:
            if ch in OCR_SWAPS and chance(r, 0.02):
                ch = OCR_SWAPS[ch]
            elif ch == " " and chance(r, 0.03):
                ch = f" {pick(r, STRAY)} "
            elif ch.isalpha() and 0 < i < len(text) - 1 and text[i + 1].isalpha() and chance(r, 0.004):
                ch += "-\n"
        out.append(ch)
    return "".join(out)


def ocr_noise(r: Rng, segs: Segs) -> Segs:
    """OCR-style corruption: odd line breaks, UPPER CASE, stray characters, letter swaps."""
    upper = chance(r, 0.5)
    out: Segs = []
    for text, label in segs:
        text = ocr_piece(r, text.upper() if upper else text, label is not None)
        out.append((text, label))
    return out
