"""Seeded synthetic maritime / seafood-trade documents with character-offset NER spans."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import string
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from maritime_ner.core.contract import ENTITY_LABELS, LABELS  # noqa: F401 - re-exported for callers
from training import lexicon as L

Seg = tuple[str, str | None]  # (text, label or None for O)
Segs = list[Seg]
R = random.Random


def O(text: str) -> Segs:
    """An unlabelled piece."""
    return [(text, None)]


def E(text: str, label: str) -> Segs:
    """A labelled piece."""
    return [(text, label)]


def pick(r: R, items: Sequence):
    """Uniform choice (kept short because it is everywhere)."""
    return items[r.randrange(len(items))]


def chance(r: R, p: float) -> bool:
    """True with probability p."""
    return r.random() < p


# ---------------------------------------------------------------- entity surface forms

@dataclass
class Ship:
    """One vessel's identity, re-rendered in different surface forms within a document."""
    name: str
    native: str | None
    imo: str
    flag: int
    old_flag: int
    former: list[str]
    mmsi: str
    callsign: str
    gear: str
    prefix: str | None = None


def imo_number(r: R) -> str:
    """A 7-digit IMO number with a valid check digit."""
    d = [pick(r, "789")] + [str(r.randrange(10)) for _ in range(5)]
    check = sum(int(x) * w for x, w in zip(d, range(7, 1, -1))) % 10
    return "".join(d) + str(check)


def vessel_name(r: R) -> tuple[str, str | None]:
    """A vessel name in one of many naming traditions, plus an optional CJK/Cyrillic form."""
    k = r.randrange(10)
    n = r.randrange(1, 999)
    if k == 0:
        stem = pick(r, list(L.PINYIN_STEMS))
        num = str(pick(r, [n, r.randrange(1000, 9999), r.randrange(1, 30)]))
        return f"{stem} {num}", L.PINYIN_STEMS[stem] + num
    if k == 1:
        stem = pick(r, L.TAIWAN_STEMS)
        return (f"{stem} No. {n}" if chance(r, 0.5) else f"{stem} {n}"), None
    if k == 2:
        stem = pick(r, L.JAPANESE_STEMS)
        return (f"{stem} Maru No. {r.randrange(1, 88)}" if chance(r, 0.6) else f"{stem} Maru"), None
    if k == 3:
        base = pick(r, L.KOREAN_NAMES)
        return (f"{base} {r.randrange(1, 900)}" if chance(r, 0.7) else f"No. {n} {base}"), None
    if k == 4:
        return pick(r, L.SPANISH_NAMES) + (f" {r.randrange(2, 9)}" if chance(r, 0.2) else ""), None
    if k == 5:
        name = pick(r, list(L.RUSSIAN_NAMES))
        return name, L.RUSSIAN_NAMES[name]
    if k == 6:
        return pick(r, L.NORDIC_NAMES), None
    if k == 7:
        name = f"{pick(r, L.ENGLISH_ADJ)} {pick(r, L.ENGLISH_NOUN)}"
        return (name + pick(r, ["", "", f" No. {r.randrange(1, 20)}", f" {r.randrange(1, 9)}", " II"])), None
    if k == 8:
        return (pick(r, L.TRICKY_NAMES) if chance(r, 0.6) else op_vessel(r)), None
    return pick(r, L.OTHER_NAMES) + (f" {r.randrange(1, 30)}" if chance(r, 0.3) else ""), None


def new_ship(r: R) -> Ship:
    """A random vessel identity."""
    name, native = vessel_name(r)
    former = [vessel_name(r)[0] for _ in range(pick(r, [0, 0, 1, 1, 2]))]
    prefix = pick(r, L.PREFIXES) if chance(r, 0.45) else None
    return Ship(name=name, native=native, imo=imo_number(r), flag=r.randrange(len(L.FLAGS)),
                old_flag=r.randrange(len(L.FLAGS)), former=former,
                mmsi=str(r.randrange(200_000_000, 780_000_000)), callsign=callsign(r),
                gear=pick(r, L.GEARS), prefix=prefix)


def vessel(r: R, s: Ship, native: bool = True, quote: bool = True) -> Segs:
    """The ship's name, sometimes with prefix, quotes, casing or a parenthesised native name."""
    name = s.name.upper() if chance(r, 0.2) else s.name
    if s.prefix and chance(r, 0.7):
        name = f"{s.prefix} {name}"
    segs = E(name, "VESSEL")
    if quote and chance(r, 0.12):
        q = pick(r, ['"', "'", "“"])
        segs = O(q) + segs + O({"“": "”"}.get(q, q))
    if native and s.native and chance(r, 0.35):
        segs += O(" (") + E(s.native, "VESSEL") + O(")")
    return segs


def former_names(r: R, s: Ship) -> Segs:
    """'ex-' / 'formerly' / 'a.k.a.' mentions of former names, each its own span."""
    if not s.former:
        return []
    out: Segs = O(pick(r, [" (ex-", " (ex ", ", formerly ", " (a.k.a. ", ", also known as ", " (f/k/a "]))
    for i, n in enumerate(s.former):
        if i:
            out += O(pick(r, [", ", " and ", "; ex-"]))
        out += E(n, "VESSEL")
    if out[0][0].startswith(" ("):
        out += O(")")
    return out


def imo(r: R, s: Ship, field: bool = False) -> Segs:
    """An IMO number in one of the layouts the guide settles (field=True: value of an 'IMO' field)."""
    if field:
        return E(("IMO" if chance(r, 0.2) else "") + s.imo, "IMO")
    k = r.randrange(8)
    if k == 0:
        return E("IMO" + s.imo, "IMO")
    if k in (1, 2):
        return O(pick(r, ["IMO ", "IMO: ", "IMO:", "IMO no. ", "IMO No ", "IMO#", "IMO Nr. ", "IMO number "])) + E(s.imo, "IMO")
    if k == 3:
        return O("(IMO ") + E(s.imo, "IMO") + O(")")
    return E(s.imo, "IMO")


def flag(r: R, idx: int) -> Segs:
    """A flag state as name, adjective or another-language form."""
    name, adj, other = L.FLAGS[idx]
    forms = [name, name] + ([adj] if adj else []) + other
    text = pick(r, forms)
    return E(text.upper() if chance(r, 0.1) else text, "FLAG")


def flag_country(r: R, idx: int) -> Segs:
    """A flag state as a noun (for 'Flag: X' fields)."""
    name, _, other = L.FLAGS[idx]
    text = pick(r, [name, name, name] + other)
    return E(text.upper() if chance(r, 0.15) else text, "FLAG")


def flagged(r: R, idx: int) -> Segs:
    """'Panama-flagged' / 'Liberian-flagged' / 'flying the flag of X'."""
    name, adj, _ = L.FLAGS[idx]
    if adj and chance(r, 0.6):
        return E(adj, "FLAG") + O(pick(r, ["-flagged", " flagged", "-registered", ""]))
    return E(name, "FLAG") + O("-flagged")


def flag_clause(r: R, idx: int) -> Segs:
    """'flying the flag of X' / 'registered in X' / 'under the X flag'."""
    name, adj, _ = L.FLAGS[idx]
    k = r.randrange(3)
    if k == 0:
        return O("flying the flag of ") + E(name, "FLAG")
    if k == 1:
        return O("registered in ") + E(name, "FLAG")
    return O("under the ") + E(adj or name, "FLAG") + O(" flag")


def port(r: R, allow_country: bool = True, upper: bool = False) -> Segs:
    """A port name; 'Port of' inside the span where written; a trailing country stays O."""
    name, country = pick(r, L.PORTS)
    if name in L.PORT_OF_OK and chance(r, 0.2):
        name = "Port of " + name
    if upper or chance(r, 0.1):
        name = name.upper()
    segs = E(name, "PORT")
    if allow_country and chance(r, 0.3) and country != name:
        segs += O(", " + country)
    return segs


def species(r: R, upper: bool = False) -> Segs:
    """A species name: common, scientific, genus or non-English."""
    k = r.random()
    if k < 0.55:
        text = pick(r, L.SPECIES_COMMON)
    elif k < 0.78:
        text = pick(r, L.SPECIES_SCIENTIFIC)
    elif k < 0.86:
        text = pick(r, L.SPECIES_GENUS)
    elif k < 0.93:
        text = pick(r, L.SPECIES_FOREIGN)
    else:
        text = pick(r, L.SPECIES_EXTRA)
    return E(text.upper() if upper or chance(r, 0.08) else text, "SPECIES")


def species_product(r: R) -> Segs:
    """A product description like 'frozen yellowfin tuna loins (Thunnus albacares)'."""
    if chance(r, 0.05):
        return O(pick(r, ["dried ", "frozen ", ""])) + E(pick(r, ["shark", "blue shark", "SHARK"]), "SPECIES") + O(" fins")
    segs = O(pick(r, ["", "frozen ", "FROZEN ", "whole round ", "chilled ", "IQF ", "canned "]))
    segs += species(r)
    segs += O(pick(r, ["", "", " loins", " fillets", " tubes", ", H&G", " steaks", " (whole)", " blocks"]))
    sci = L.SCIENTIFIC_OF.get(segs[1][0])
    if sci and chance(r, 0.4):
        segs += O(" (") + E(sci, "SPECIES") + O(")")
    if chance(r, 0.2):
        segs += O(f" [{pick(r, L.FAO_CODES)}]")
    return segs


def hs_digits(r: R, base: str) -> str:
    """One national layout of a dotted 6-digit HS code."""
    d = base.replace(".", "")
    ext2, ext4 = f"{r.randrange(0, 99):02d}", f"{r.randrange(0, 9999):04d}"
    k = r.randrange(8)
    return [base, d, f"{base}.{ext2}", f"{base}.{ext4}", f"{d[:4]} {d[4:]} {ext2}",
            f"{d}{ext2}", f"{d}{ext4}", f"{d[:4]}.{d[4:]}.{ext2}.{ext2}"][k]


def hs(r: R) -> Segs:
    """An HS code (occasionally a heading or a slash pair of two codes)."""
    base, _ = pick(r, L.HS_LINES)
    k = r.random()
    if k < 0.08:
        return E(pick(r, L.HS_HEADINGS), "HS_CODE")
    if k < 0.16:
        a = f"{base}.{r.randrange(10, 50)}"
        return E(a, "HS_CODE") + O("/") + E(f"{base}.{r.randrange(50, 99)}", "HS_CODE")
    return E(hs_digits(r, base), "HS_CODE")


def hs_line(r: R) -> Segs:
    """A tariff line: code plus description with the species in it."""
    base, desc = pick(r, L.HS_LINES)
    code = E(hs_digits(r, base), "HS_CODE")
    form = {"0302": "Fresh or chilled ", "0303": "Frozen ", "0304": "Frozen fillets of ", "0305": "Dried ",
            "0306": "Frozen ", "0307": "Frozen ", "1604": "Prepared or preserved ", "1605": "Prepared "}[base[:4]]
    form = form if chance(r, 0.85) else form.upper()
    sp = desc_species(desc) if desc != "prepared fish" else O(desc)
    return code + O(pick(r, [" — ", " - ", "  ", ": ", " "])) + O(form) + sp


def desc_species(desc: str) -> Segs:
    """Tariff wording with each species its own span: 'cuttlefish and squid' is two spans."""
    for conn in (" and other ", " and ", " or "):
        if conn in desc:
            a, b = desc.split(conn, 1)
            return desc_species(a) + O(conn) + desc_species(b)
    return E(desc, "SPECIES")


def risk(r: R, ship: bool = False) -> Segs:
    """A risk level in one of the settled forms ('X Risk Ship' only when ship=True)."""
    k = r.random() * (1.0 if ship else 0.82)
    if k < 0.55:
        w = pick(r, ["high", "medium", "low", "very high", "very low", "moderate", "elevated", "critical", "severe"])
        return E(pick(r, [w, w.upper(), w.capitalize()]), "RISK_LEVEL")
    if k < 0.7:
        return E(pick(r, ["MEDIUM-HIGH", "medium-high", "Low-Medium", "HIGH-CRITICAL"]), "RISK_LEVEL")
    if k < 0.82:
        a, b = pick(r, [("low", "medium"), ("medium", "high"), ("Low", "Moderate"), ("HIGH", "VERY HIGH")])
        return E(a, "RISK_LEVEL") + O(pick(r, [" to ", " – ", "/"])) + E(b, "RISK_LEVEL")
    w = pick(r, ["Standard", "HIGH", "Low", "High", "STANDARD", "LOW"])
    tail = " RISK SHIP" if w.isupper() else " Risk Ship"
    return E(w, "RISK_LEVEL") + O(tail)


def rand_date(r: R) -> dt.date:
    """A date between 2018 and mid-2026."""
    return dt.date(2018, 1, 1) + dt.timedelta(days=r.randrange(0, 3100))


def date_text(r: R, d: dt.date) -> Segs:
    """One of many date layouts; a glued ISO time stays outside the span."""
    m = L.MONTHS[d.month - 1]
    k = r.randrange(17)
    forms = [f"{d.day} {m} {d.year}", f"{d.day} {m[:3]} {d.year}", f"{m} {d.day}, {d.year}",
             d.isoformat(), f"{d.month:02d}/{d.day:02d}/{d.year}", f"{d.day:02d}/{d.month:02d}/{d.year}",
             f"{d.day:02d}.{d.month:02d}.{d.year}", f"{m} {d.year}", f"{d.day} {m}",
             f"{d.day:02d}-{m[:3].upper()}-{d.year}", f"{d.month:02d}/{d.year}",
             f"{d.day} de {L.MONTHS_ES[d.month - 1]} de {d.year}",
             f"{d.day} {L.MONTHS_FR[d.month - 1]} {d.year}", f"{d.year}/{d.month:02d}/{d.day:02d}",
             f"{d.day}{m[:3].upper()}{d.year % 100:02d}", f"{d.day}th {m}" if d.day in (4, 5, 6, 7, 8, 9, 10) else m,
             f"{m[:3]}. {d.day}, {d.year}"]
    text = forms[k]
    if k == 3 and chance(r, 0.3):
        return E(text, "DATE") + O(f"T{r.randrange(24):02d}:{r.randrange(60):02d}Z")
    return E(text, "DATE")


def date(r: R) -> Segs:
    """A random date span."""
    return date_text(r, rand_date(r))


def date_range(r: R) -> Segs:
    """A date range as two spans."""
    a = rand_date(r)
    b = a + dt.timedelta(days=r.randrange(1, 60))
    k = r.randrange(3)
    if k == 0:
        return O("from ") + date_text(r, a) + O(" to ") + date_text(r, b)
    if k == 1:
        return date_text(r, a) + O(pick(r, [" – ", " - ", " to ", " until "])) + date_text(r, b)
    return O("between ") + date_text(r, a) + O(" and ") + date_text(r, b)


# ---------------------------------------------------------------- O-label distractors

def callsign(r: R) -> str:
    """A radio call sign."""
    return pick(r, ["3E", "5V", "D5", "H3", "BZ", "DS", "UB", "LA", "EA", "JD", "T8", "V3"]) + "".join(
        pick(r, string.ascii_uppercase + string.digits) for _ in range(r.randrange(2, 5)))


def container(r: R) -> str:
    """An ISO 6346-like container number."""
    return pick(r, ["MSCU", "MAEU", "CMAU", "TGHU", "SEGU", "HLXU", "OOLU", "CXRU"]) + f"{r.randrange(10**7):07d}"


def code_no(r: R) -> str:
    """Invoice, booking, seal, PO or registration numbers."""
    k = r.randrange(6)
    return [f"INV-{r.randrange(2019, 2026)}-{r.randrange(10**5):05d}", f"BKG{r.randrange(10**8):08d}",
            f"SL{r.randrange(10**6):06d}", f"PO {r.randrange(10**6, 10**7)}",
            f"{pick(r, ['PS', 'ZJ', 'LA', 'BS', 'KN'])}-{r.randrange(1000, 9999)}-{pick(r, ['TT', 'F', 'VG'])}",
            f"{r.randrange(10**6, 10**7)}"][k]


def weight(r: R) -> str:
    """A net weight."""
    v = r.randrange(500, 900_000)
    return pick(r, [f"{v:,} kg", f"{v / 1000:.1f} MT", f"{v:,} KGS", f"{v / 1000:.3f} t", f"{v // 20:,} cartons"])


def price(r: R) -> str:
    """A price or value."""
    return pick(r, [f"USD {r.randrange(800, 9000):,}/MT", f"EUR {r.randrange(1000, 2_000_000):,}.00",
                    f"US$ {r.randrange(1, 40)}.{r.randrange(100):02d}/kg", f"${r.randrange(10_000, 900_000):,}"])


def time_(r: R) -> str:
    """A time of day."""
    return pick(r, [f"{r.randrange(24):02d}:{r.randrange(60):02d} UTC", f"{r.randrange(24):02d}{r.randrange(60):02d}Z",
                    f"{r.randrange(1, 12)}:{r.randrange(60):02d} pm", f"{r.randrange(24):02d}:{r.randrange(60):02d} LT"])


def duration(r: R) -> str:
    """A duration ('14 days')."""
    return pick(r, [f"{r.randrange(2, 90)} days", f"{r.randrange(3, 96)} hours", f"{r.randrange(2, 20)} weeks",
                    f"{r.randrange(2, 11)} months", f"{r.randrange(1, 40)} h {r.randrange(60)} min"])


def person(r: R) -> str:
    """A person's name."""
    return pick(r, [f"{pick(r, L.FIRST)} {pick(r, L.LAST)}", f"Capt. {pick(r, L.LAST)}",
                    f"{pick(r, L.FIRST)[0]}. {pick(r, L.LAST)}", f"Mr {pick(r, L.LAST)}", f"Ms {pick(r, L.LAST)}"])


def company(r: R) -> str:
    """A company name (may contain port or species words; still O)."""
    return pick(r, L.COMPANIES)


def nonflag_country(r: R) -> str:
    """A country phrase that is not a flag state."""
    k = r.randrange(7)
    return [f"country of origin: {pick(r, L.COUNTRIES)}", f"destined for {pick(r, L.COUNTRIES)}",
            f"{pick(r, ['Chinese', 'Korean', 'Spanish', 'Taiwanese', 'Russian'])}-owned",
            f"{pick(r, L.NATIONALITIES)} crew", pick(r, L.AUTHORITIES), pick(r, L.SEA_AREAS),
            f"built in {pick(r, ['Japan', 'China', 'Norway', 'Spain', 'Korea'])}"][k]


def time_noise(r: R) -> str:
    """Time expressions that are not DATE: quarters, weeks, weekdays, bare years."""
    return pick(r, [f"Q{r.randrange(1, 5)} {r.randrange(2019, 2027)}", f"week {r.randrange(1, 53)}",
                    f"{r.randrange(2015, 2026)}", f"the {pick(r, ['first', 'second'])} half of {r.randrange(2015, 2026)}",
                    f"the week to {pick(r, L.WEEKDAYS)}"])


def noise_phrase(r: R) -> str:
    """A trap phrase for lookalike labels ('high seas', 'Q1 2025', 'week 19')."""
    return pick(r, ["high seas", "high priority", "security level 1", f"Q{r.randrange(1, 5)} {r.randrange(2019, 2027)}",
                    f"week {r.randrange(1, 53)}", pick(r, L.WEEKDAYS), f"in {r.randrange(2015, 2026)}",
                    f"score {r.randrange(10, 99)}/100", "high-value cargo", f"MMSI {r.randrange(2 * 10**8, 8 * 10**8)}",
                    f"call sign {callsign(r)}", f"container {container(r)}", f"Dalian-based", "Busan branch",
                    f"Company IMO No. {r.randrange(10**6, 6 * 10**6)}", f"{r.randrange(3, 30)} nm"])


# ---------------------------------------------------------------- layout helpers

Field = tuple[str, Segs]


def render_fields(r: R, fields: list[Field], keep_order: float = 0.5) -> Segs:
    """Key/value lines in one of several layouts, order sometimes shuffled."""
    fields = [f for f in fields if f[1]]
    if not chance(r, keep_order):
        r.shuffle(fields)
    style = r.randrange(7)
    width = max(len(k) for k, _ in fields) + 2 if fields else 0
    out: Segs = []
    for i, (key, val) in enumerate(fields):
        if style == 0:
            out += O(f"{key}: ") + val + O("\n")
        elif style == 1:
            out += O(f"{key.upper()}: ") + val + O("\n")
        elif style == 2:
            out += O(f"{key} " + "." * (width - len(key)) + " ") + val + O("\n")
        elif style == 3:
            out += O(f"- {key}: ") + val + O("\n")
        elif style == 4:
            out += O(f"{key}\t") + val + O("\n")
        elif style == 5:
            out += O(f"{i + 1}. {key} - ") + val + O("\n")
        else:
            out += O(f"{key}: ") + val + O("; " if i < len(fields) - 1 else ".\n")
    return out


def para(*parts: Segs) -> Segs:
    """Concatenate segment lists."""
    out: Segs = []
    for p in parts:
        out += p
    return out


def sentences(r: R, items: list[Segs]) -> Segs:
    """Join sentence segment lists with spaces, in a lightly shuffled order."""
    if chance(r, 0.4) and len(items) > 2:
        head, rest = items[0], items[1:]
        r.shuffle(rest)
        items = [head] + rest
    out: Segs = []
    for s in (x for x in items if x):
        if out and not out[-1][0].endswith("\n"):
            out += O(" ")
        out += s
    return out


def filler(r: R) -> Segs:
    """A sentence of distractors only."""
    k = r.randrange(10)
    return O([
        f"The master, {person(r)}, reported at {time_(r)} (note: {nonflag_country(r)}).",
        f"Contact {person(r)} of {company(r)} regarding invoice {code_no(r)}.",
        f"Container {container(r)}, seal {code_no(r)}, gross weight {weight(r)}.",
        f"Agreed price {price(r)}, payment within {duration(r)}.",
        f"The vessel reported MMSI {r.randrange(2 * 10**8, 8 * 10**8)} and call sign {callsign(r)}.",
        f"This is treated as {noise_phrase(r)}; follow-up by {company(r)}.",
        f"The cargo remained on board for {duration(r)} before discharge.",
        f"Reference {code_no(r)} ({noise_phrase(r)}) was logged by {person(r)}.",
        f"The buyer, {company(r)}, is {pick(r, ['Dalian-based', 'Vigo-based', 'Busan-based', 'headquartered in ' + pick(r, L.CITIES)])}.",
        f"Crew: {r.randrange(8, 60)} ({pick(r, L.NATIONALITIES)} and {pick(r, L.NATIONALITIES)}), {noise_phrase(r)}.",
    ][k])


# ---------------------------------------------------------------- genres

def g_psc(r: R) -> Segs:
    """Port state control inspection summary."""
    s = new_ship(r)
    mou = pick(r, ["Paris MoU", "Tokyo MOU", "Indian Ocean MOU", "Abuja MoU", "Viña del Mar Agreement", "USCG"])
    if chance(r, 0.35):
        n = r.randrange(0, 14)
        return sentences(r, [
            para(O("On "), date(r), O(f", the ")) + flagged(r, s.flag) + O(f" {s.gear} ") + vessel(r, s) + O(" (") + imo(r, s)
            + O(") was inspected at ") + port(r) + O(f" under the {mou} regime."),
            O(f"{n} deficiencies were recorded" + (", three of them ground for detention." if n > 8 else ".")),
            para(O("The ship was assigned a "), risk(r, ship=True), O(" profile for the next inspection window.")),
            O(f"Inspector: {person(r)}. MMSI {s.mmsi}, call sign {s.callsign}."),
            para(O("Previous inspection: "), date(r), O(" at "), port(r), O(".")) if chance(r, 0.6) else [],
            filler(r),
            pattern_sentence(r) if chance(r, 0.5) else [],
        ])
    head = O(pick(r, [f"{mou} — PORT STATE CONTROL INSPECTION\n", "PSC INSPECTION SUMMARY\n",
                      f"Inspection report ({mou})\n", "Report of inspection in accordance with the MOU\n"]))
    fields: list[Field] = [
        ("Name of ship", vessel(r, s)), ("IMO number", imo(r, s, field=True)), ("Flag", flag_country(r, s.flag)),
        ("Call sign", O(s.callsign)), ("MMSI", O(s.mmsi) if chance(r, 0.6) else []),
        ("Type of ship", O(pick(r, ["Fishing vessel", "Refrigerated cargo", "Other", s.gear.capitalize()]))),
        ("Place of inspection", port(r)), ("Date of inspection", date(r)),
        ("Ship risk profile", risk(r, ship=chance(r, 0.6)) if chance(r, 0.8) else []),
        ("Company IMO number", O(str(r.randrange(10**6, 6 * 10**6))) if chance(r, 0.5) else []),
        ("Recognized organization", O(pick(r, ["KR", "DNV", "BV", "RINA", "Phoenix Register", "ABS", "none"]))),
        ("Deficiencies", O(str(r.randrange(0, 20)))), ("Detained", O(pick(r, ["YES", "NO", "No", "Yes"]))),
        ("Next inspection window", date_range(r) if chance(r, 0.4) else []),
    ]
    out = head + render_fields(r, fields)
    if chance(r, 0.6):
        out += O("\nDeficiencies:\n")
        for _ in range(r.randrange(1, 5)):
            out += O(f"  {r.randrange(1000, 19999)} {pick(r, L.DEFICIENCIES)} (code {r.randrange(10, 99)})\n")
    if chance(r, 0.3):
        out += O("Remarks: ") + species(r) + O(f" in hold no. {r.randrange(1, 6)}; catch documents requested. ") + filler(r)
    return out


def g_bill_of_lading(r: R) -> Segs:
    """Bill of lading or shipping instructions."""
    s = new_ship(r)
    pol, pod = port(r, allow_country=False), port(r)
    if chance(r, 0.35):
        return sentences(r, [
            O(pick(r, ["SHIPPING INSTRUCTIONS\n", "Shipping instruction — please confirm\n", "SI / booking "
                       + code_no(r) + "\n"])),
            para(O("Please load "), O(f"{r.randrange(1, 12)} x 40' reefer "), species_product(r), O(" on board "),
                 vessel(r, s), O(f" voy. {r.randrange(100, 999)}{pick(r, 'NSEW')}, ETD "), date(r), O(" from "), pol, O(".")),
            para(O(pick(r, ["Incoterm ", "Terms: "])), O(pick(r, ["CFR ", "CIF ", "FOB ", "CNF "])), port(r, allow_country=False),
                 O(". Discharge at "), pod, O(".")),
            para(O("HS code "), hs(r), O(f", net {weight(r)}, temperature -{r.randrange(18, 60)}°C.")),
            O(f"Consignee: {company(r)}, {pick(r, L.CITIES)}. Notify: {company(r)}."),
            filler(r),
            pattern_sentence(r) if chance(r, 0.5) else [],
        ])
    fields: list[Field] = [
        ("B/L No.", O(pick(r, ["MEDU", "COSU", "MAEU", "ONEY"]) + str(r.randrange(10**8, 10**9)))),
        ("Shipper", O(f"{company(r)}, {pick(r, L.CITIES)}, {pick(r, L.COUNTRIES)}")),
        ("Consignee", O(f"{company(r)}, {r.randrange(1, 300)} Harbour Road, {pick(r, L.CITIES)}")),
        ("Notify party", O("SAME AS CONSIGNEE") if chance(r, 0.4) else O(company(r))),
        ("Vessel / Voyage", vessel(r, s, native=False) + O(f" / {r.randrange(100, 999)}{pick(r, 'NSEW')}")),
        ("Port of loading", pol), ("Port of discharge", pod),
        ("Place of delivery", port(r) if chance(r, 0.5) else O(pick(r, L.CITIES))),
        ("Container No.", O(f"{container(r)} / seal {code_no(r)}")),
        ("Description of goods", species_product(r) + (O(", HS ") + hs(r) if chance(r, 0.7) else [])),
        ("Gross weight", O(weight(r))), ("Freight", O(pick(r, ["PREPAID", "COLLECT", "As arranged"]))),
        ("Shipped on board", date(r)), ("Date of issue", date(r) if chance(r, 0.6) else []),
        ("Country of origin", O(pick(r, L.COUNTRIES)) if chance(r, 0.5) else []),
    ]
    head = O(pick(r, ["BILL OF LADING\n", "Sea Waybill\n", "NON-NEGOTIABLE COPY — BILL OF LADING\n", "B/L\n"]))
    return head + render_fields(r, fields, keep_order=0.7)


def g_catch_certificate(r: R) -> Segs:
    """EU-style catch certificate."""
    s = new_ship(r)
    lang = r.randrange(3)
    keys = [["Document number", "Validating authority", "Fishing vessel name", "Flag", "Home port",
             "Registration number", "Call sign", "IMO/Lloyd's number", "Fishing licence valid to", "Species",
             "Product code", "Catch area(s) and dates", "Estimated live weight", "Transshipment at sea: vessel",
             "Transshipment date", "Port of landing", "Date of validation"],
            ["N° du document", "Autorité de validation", "Nom du navire de pêche", "Pavillon", "Port d'attache",
             "N° d'immatriculation", "Indicatif d'appel", "N° OMI/Lloyd's", "Licence valable jusqu'au", "Espèce",
             "Code produit", "Zone(s) et dates de capture", "Poids vif estimé", "Transbordement en mer: navire",
             "Date du transbordement", "Port de débarquement", "Date de validation"],
            ["Número de documento", "Autoridad de validación", "Nombre del buque pesquero", "Pabellón",
             "Puerto base", "Matrícula", "Indicativo de llamada", "N.º OMI", "Licencia válida hasta", "Especie",
             "Código del producto", "Zona(s) y fechas de captura", "Peso vivo estimado",
             "Transbordo en el mar: buque", "Fecha del transbordo", "Puerto de desembarque", "Fecha de validación"]][lang]
    carrier = new_ship(r)
    vals: list[Segs] = [
        O(f"{pick(r, ['MR', 'GH', 'ES', 'KR', 'TW', 'EC'])}/{r.randrange(2019, 2026)}/{r.randrange(10**5):05d}"),
        O(pick(r, L.AUTHORITIES)), vessel(r, s), flag_country(r, s.flag), port(r, allow_country=False),
        O(code_no(r)), O(s.callsign), imo(r, s) if chance(r, 0.8) else O("N/A"), date(r),
        species_product(r)
        + (O(f" / {pick(r, L.FAO_CODES)}") if chance(r, 0.4) else []),
        hs(r), O(f"{pick(r, L.SEA_AREAS)}, ") + date_range(r), O(weight(r)),
        vessel(r, carrier) if chance(r, 0.5) else [], date(r) if chance(r, 0.4) else [],
        port(r) if chance(r, 0.6) else [], date(r),
    ]
    head = O(pick(r, [["EUROPEAN COMMUNITY CATCH CERTIFICATE\n", "Catch certificate (Reg. (EC) 1005/2008)\n"],
                      ["CERTIFICAT DE CAPTURE\n"], ["CERTIFICADO DE CAPTURA\n"]][lang]))
    return head + render_fields(r, list(zip(keys, vals)), keep_order=0.8) + (filler(r) if chance(r, 0.3) else [])


def g_customs(r: R) -> Segs:
    """Customs import declaration with tariff lines."""
    s = new_ship(r)
    fields: list[Field] = [
        ("Declaration no.", O(f"{r.randrange(19, 26)}{pick(r, ['ES', 'NL', 'DE', 'FR', 'US', 'JP'])}{r.randrange(10**9, 10**10)}")),
        ("Declarant", O(company(r))), ("Importer", O(f"{company(r)}, {pick(r, L.CITIES)}")),
        ("Country of origin", O(pick(r, L.COUNTRIES))), ("Country of dispatch", O(pick(r, L.COUNTRIES))),
        ("Identity of means of transport at arrival", vessel(r, s, native=False)),
        ("Nationality of active means of transport crossing the border", flag_country(r, s.flag)),
        ("Port of entry", port(r, allow_country=False)), ("Date of acceptance", date(r)),
        ("Container", O(container(r)) if chance(r, 0.6) else []),
        ("Catch certificate ref.", O(code_no(r)) if chance(r, 0.5) else []),
    ]
    out = O(pick(r, ["IMPORT DECLARATION (SAD)\n", "Customs entry summary\n", "DECLARACIÓN DE IMPORTACIÓN\n",
                     "Entry/Immediate Delivery — CBP Form 3461\n"])) + render_fields(r, fields, keep_order=0.6)
    out += O(pick(r, ["\nTariff lines (CHAPTER 03):\n", "\nItems:\n", "\nGoods items\n"]))
    for i in range(r.randrange(1, 5)):
        out += O(f"Item {i + 1}: ") + hs_line(r) + O(f", net mass {weight(r)}, value {price(r)}")
        out += (O(", duty rate ") + O(f"{r.randrange(0, 25)}%") if chance(r, 0.5) else []) + O("\n")
    if chance(r, 0.3):
        out += O("Note: preferential origin claimed; ") + species(r) + O(" from ") + O(pick(r, L.SEA_AREAS)) + O(".\n")
    return out


def g_iuu(r: R) -> Segs:
    """IUU-fishing risk assessment."""
    s = new_ship(r)
    factors = ["Flag state", "Ownership transparency", "AIS behaviour", "Transshipment", "RFMO listing",
               "Labour conditions", "Catch documentation", "Port history"]
    head = O(pick(r, ["IUU RISK ASSESSMENT\n", "Vessel risk screening — IUU\n", "Due diligence: IUU fishing risk\n"]))
    intro = para(O("Subject vessel: "), vessel(r, s), former_names(r, s), O(", "), imo(r, s), O(f", {s.gear}.\n"))
    flags = para(O("Flag history: "), flag_country(r, s.flag), O(" (current, since "), date(r), O(")"),
                 para(O("; previously "), flag_country(r, s.old_flag), O(" until "), date(r)) if chance(r, 0.6) else [],
                 O(f". {pick(r, ['Chinese', 'Korean', 'Spanish', 'Taiwanese', 'Russian'])}-owned via {company(r)}.\n"))
    rows: Segs = []
    for f in r.sample(factors, r.randrange(2, 6)):
        rows += O(f"  {f}: ") + risk(r) + O(pick(r, ["", "", f" (score {r.randrange(10, 99)})", " — see note"])) + O("\n")
    body = sentences(r, [
        para(O("The vessel operated in "), O(pick(r, L.SEA_AREAS)), O(" targeting "), species(r), O(" between "),
             date(r), O(" and "), date(r), O(".")),
        para(O(f"{r.randrange(1, 9)} encounters with reefers were detected; last port call "), port(r), O(" on "),
             date(r), O(".")),
        para(O(f"Listed by {pick(r, L.RFMOS)} on "), date(r), O(".")) if chance(r, 0.3) else [],
        O(f"Recommended action: {pick(r, ['high priority', 'routine', 'enhanced'])} review before purchase."),
        filler(r),
        pattern_sentence(r) if chance(r, 0.5) else [],
    ])
    overall = para(O(pick(r, ["\nOverall risk: ", "\nOVERALL RATING: ", "\nConclusion — risk level "])), risk(r), O(".\n"))
    return head + intro + flags + O("Factor ratings:\n") + rows + body + overall


def g_ais(r: R) -> Segs:
    """AIS-gap or transshipment alert."""
    s, other = new_ship(r), new_ship(r)
    d = rand_date(r)
    iso = d.isoformat()
    if chance(r, 0.5):
        kind = pick(r, ["AIS_GAP", "ENCOUNTER", "LOITERING", "DARK_TRANSSHIPMENT", "PORT_VISIT"])
        lines = [
            O(f"[{pick(r, ['ALERT', 'WARN', 'INFO'])}] event={kind} "),
            O("start=") + E(iso, "DATE") + O(f"T{r.randrange(24):02d}:{r.randrange(60):02d}Z end=") + date_text(r, d + dt.timedelta(days=r.randrange(0, 20))),
            O(f" duration_h={r.randrange(3, 400)} mmsi={s.mmsi} "),
            O("vessel=\"") + E(s.name.upper(), "VESSEL") + O("\" ") + O("imo=") + E(s.imo, "IMO"),
            O(" flag=") + flag_country(r, s.flag),
            O(" ais_destination=") + port(r, allow_country=False, upper=True) if chance(r, 0.6) else [],
            O(" risk=") + risk(r) if chance(r, 0.6) else [],
            O(f" area=\"{pick(r, L.SEA_AREAS)}\"\n"),
        ]
        return para(*lines)
    return sentences(r, [
        O(pick(r, ["AIS GAP ALERT\n", "Transshipment alert\n", "ALERT — possible at-sea transshipment\n"])),
        para(vessel(r, s), O(" ("), flag(r, s.flag), O(", MMSI "), O(s.mmsi), O(") went dark on "), date_text(r, d),
             O(f" at {time_(r)} and reappeared {duration(r)} later in {pick(r, L.SEA_AREAS)}.")),
        para(O("During the gap it loitered near the reefer "), vessel(r, other), O(" ("), imo(r, other), O(")"),
             O(", ") + flag_clause(r, other.flag) if chance(r, 0.5) else [], O(".")),
        para(O("Last reported AIS destination: "), port(r, allow_country=False, upper=True), O(".")),
        para(O("Likely cargo: "), species(r), O(".")) if chance(r, 0.6) else [],
        para(O("Alert severity: "), risk(r), O(".")),
        O(f"Position {r.randrange(0, 60)}°{r.randrange(60):02d}'{pick(r, 'NS')} {r.randrange(0, 180)}°{r.randrange(60):02d}'{pick(r, 'EW')}."),
    ])


def g_news(r: R) -> Segs:
    """News article or NGO report."""
    s, c = new_ship(r), new_ship(r)
    sp = species(r)
    headline = pick(r, [
        para(E(sp[0][0].capitalize() if sp[0][0].islower() else sp[0][0], "SPECIES"), O(" vessel detained in "), port(r, allow_country=False), O("\n\n")),
        para(O("Investigation: forced labour aboard "), vessel(r, s, native=False), O("\n\n")),
        para(O(f"{pick(r, L.NGOS)} report links "), species(r), O(" imports to illegal fishing\n\n")),
        para(O("Transshipment at sea: how "), species(r), O(" reaches the market\n\n")),
    ])
    paras = [
        para(O(f"{pick(r, L.CITIES).upper()}, "), date(r), O(f" — Authorities in "), port(r, allow_country=False),
             O(" have detained the "), flagged(r, s.flag), O(f" {s.gear} "), vessel(r, s), former_names(r, s),
             O(f" after inspectors found {weight(r)} of "), species(r), O(" without valid catch documents.")),
        para(O(f"According to {pick(r, L.NGOS)}, the ship switched off its transponder for {duration(r)} in "),
             O(pick(r, L.SEA_AREAS)), O(" and met the reefer "), vessel(r, c), O(" ("), imo(r, c), O(") on "), date(r), O(".")),
        para(O(f"\"This is a {pick(r, ['textbook', 'classic', 'worrying'])} case,\" said {person(r)}, "
               f"a researcher at {pick(r, L.NGOS)}. The vessel ({nonflag_country(r)}) had previously flown the flag of "),
             flag_country(r, s.old_flag), O(".")),
        para(O("Trade data show the cargo was declared under HS "), hs(r), O(" and landed at "), port(r),
             O(" in "), E(pick(r, L.MONTHS), "DATE"), O(".")),
        para(O(f"The {pick(r, L.RFMOS)} rated the vessel's risk as "), risk(r),
             O(f" at its annual meeting in {r.randrange(2018, 2026)}.")),
        O(f"{company(r)} said it had suspended purchases pending review. Crew members, mostly {pick(r, L.NATIONALITIES)}, "
          f"reported working {r.randrange(14, 22)} hours a day."),
        para(O("Prices for "), species(r), O(f" rose to {price(r)} in {time_noise(r)}.")),
    ]
    body: Segs = []
    chosen = [paras[0]] + r.sample(paras[1:], r.randrange(2, len(paras)))
    for p in chosen:
        body += p + O(pick(r, ["\n\n", "\n", " "]))
    return headline + body


def g_email(r: R) -> Segs:
    """Email between an importer and a customs broker."""
    s = new_ship(r)
    d = rand_date(r)
    a, b = person(r), person(r)
    subj = pick(r, [para(O("Re: "), species(r), O(" shipment — "), vessel(r, s, native=False, quote=False)),
                    para(O("FW: HS classification for "), species(r)), para(O("ETA "), port(r, allow_country=False), O(" / docs")),
                    O(f"Re: Re: invoice {code_no(r)}")])
    head = para(O(f"From: {a} <{a.split()[-1].lower()}@{pick(r, ['vigomariscos.es', 'zeeimport.nl', 'brokers.com', 'tunamerchants.co.uk'])}>\n"),
                O(f"To: {b}\n"), O("Subject: "), subj, O("\n"),
                O(f"Date: {L.WEEKDAYS[d.weekday()][:3]}, ") + E(f"{d.day} {L.MONTHS[d.month - 1][:3]} {d.year}", "DATE")
                + O(f" {r.randrange(24):02d}:{r.randrange(60):02d}:{r.randrange(60):02d} +0{r.randrange(10)}00\n\n"))
    body = sentences(r, [
        O(pick(r, [f"Hi {b.split()[-1]},", f"Dear {b},", "Hello,", f"{b.split()[0]} —"]) + "\n"),
        para(O("The "), species_product(r), O(" on "), vessel(r, s), O(" is now due in "), port(r, allow_country=False),
             O(" on "), date(r), O(pick(r, [".", " (ETA, may slip).", ", weather permitting."]))),
        para(O("Can you confirm we declare under "), hs(r), O(" and not "), hs(r), O("?")) if chance(r, 0.6) else [],
        para(O("The catch certificate shows flag "), flag(r, s.flag), O(" but the B/L says "),
             flag(r, s.old_flag), O(" — please check.")) if chance(r, 0.4) else [],
        para(O("Our screening came back "), risk(r), O(", so compliance wants the IMO ("), imo(r, s), O(") cross-checked.")) if chance(r, 0.6) else [],
        O(f"Invoice {code_no(r)} for {price(r)} is attached; payment in {duration(r)}."),
        O(f"Could we talk {pick(r, L.WEEKDAYS)} at {time_(r)}?") if chance(r, 0.4) else [],
        pattern_sentence(r) if chance(r, 0.6) else [],
        pattern_sentence(r) if chance(r, 0.3) else [],
    ])
    city_port = pick(r, [("Vigo", "Spain"), ("Busan", "Republic of Korea"), ("Tema", "Ghana"), ("Rotterdam", "Netherlands")])
    sig = O(f"\n\nBest regards,\n{a}\n{company(r)}\n{r.randrange(1, 200)} {pick(r, ['Calle Areal', 'Harbour St', 'Jungang-daero', 'Waalhaven Z.z.'])}, "
            f"{r.randrange(1000, 99999)} {city_port[0]}, {city_port[1]}\n")
    return head + body + sig


def g_registry(r: R) -> Segs:
    """Vessel registry or sanctions-list entry."""
    s = new_ship(r)
    k = r.randrange(3)
    if k == 0:
        return para(E(s.name.upper(), "VESSEL"), former_names(r, s) if s.former else O(""), O(" Vessel Registration Identification "),
                    O("IMO ") + E(s.imo, "IMO"), O(f"; MMSI {s.mmsi}; Vessel Flag "), flag_country(r, s.flag),
                    O("; Former Vessel Flag ") + flag_country(r, s.old_flag) if chance(r, 0.5) else [],
                    O(f"; Vessel Type {s.gear.title()}; (vessel) [{pick(r, ['SDGT', 'RUSSIA-EO14024', 'IUU', 'DPRK3'])}] "
                      f"(Linked To: {company(r).upper()}). Listed "), date(r), O(".\n"))
    fields: list[Field] = [
        ("Name", vessel(r, s)), ("Previous names", para(*[E(n, "VESSEL") + O(", ") for n in s.former])[:-1] if s.former else []),
        ("IMO", imo(r, s, field=True)), ("Flag (current)", flag_country(r, s.flag)),
        ("Previous flags", flag_country(r, s.old_flag) if chance(r, 0.6) else []),
        ("Home port", port(r) if chance(r, 0.7) else []), ("Port of registry", port(r, allow_country=False) if chance(r, 0.4) else []),
        ("Call sign", O(s.callsign)), ("MMSI", O(s.mmsi)), ("Gross tonnage", O(str(r.randrange(100, 9000)))),
        ("Year built", O(str(r.randrange(1975, 2022)))), ("Owner", O(f"{company(r)}, {pick(r, L.CITIES)}")),
        ("Listing", O(f"{pick(r, L.RFMOS)} IUU Vessel List") if k == 1 else O("Registered")),
        ("Date of listing" if k == 1 else "Date of registration", date(r)),
        ("Risk category", risk(r) if chance(r, 0.4) else []),
    ]
    head = O(pick(r, ["REGISTRY EXTRACT\n", f"{pick(r, L.RFMOS)} IUU VESSEL LIST — ENTRY\n", "Record of fishing vessels\n", ""]))
    return head + render_fields(r, fields, keep_order=0.7)


def g_audit(r: R) -> Segs:
    """Terse audit notes."""
    out: Segs = O(pick(r, ["Audit notes\n", "AUDIT — supplier file\n", "notes:\n", ""]))
    for _ in range(r.randrange(3, 8)):
        s = new_ship(r)
        line = pick(r, [
            lambda: para(date(r), O(" – chk CC for "), vessel(r, s, native=False, quote=False), O(", HS "), hs(r), O(" ok")),
            lambda: para(O("flag "), flag(r, s.flag), O(" vs reg "), flag(r, s.old_flag), O(" ?? mismatch")),
            lambda: para(O("risk "), risk(r), O("; "), species(r), O(" origin "), O(pick(r, L.COUNTRIES))),
            lambda: para(imo(r, s), O(" not in reg. MMSI "), O(s.mmsi), O(" only")),
            lambda: para(O("landed "), port(r, allow_country=False), O(" "), date(r), O(f", {weight(r)}")),
            lambda: O(f"PO {r.randrange(10**5, 10**6)} / {container(r)} – seal ok, {noise_phrase(r)}"),
            lambda: para(O("follow up w/ "), O(company(r)), O(" re "), species(r), O(f" by {pick(r, L.WEEKDAYS)}")),
            lambda: para(vessel(r, s, quote=False), O(" ("), flag_clause(r, s.flag), O(") — "), risk(r)),

            lambda: pattern_sentence(r),
            lambda: pattern_sentence(r),
        ])()
        out += O(pick(r, ["- ", "* ", "", "• "])) + line + O(pick(r, ["\n", ".\n", "\n"]))
    return out


def g_table(r: R) -> Segs:
    """A plain-text table with padded columns."""
    cols = r.sample(["Vessel", "IMO", "Flag", "Port", "Species", "HS", "Risk", "Date", "MMSI", "Weight"], r.randrange(4, 8))
    if "Vessel" not in cols:
        cols[0] = "Vessel"
    rows: list[list[Segs]] = []
    for _ in range(r.randrange(2, 9)):
        s = new_ship(r)
        cell = {"Vessel": lambda: E(s.name, "VESSEL"), "IMO": lambda: E(s.imo, "IMO"), "Flag": lambda: flag_country(r, s.flag),
                "Port": lambda: port(r, allow_country=False), "Species": lambda: species(r), "HS": lambda: E(hs_digits(r, pick(r, L.HS_LINES)[0]), "HS_CODE"),
                "Risk": lambda: E(pick(r, ["HIGH", "MEDIUM", "LOW", "medium", "high", "low", "very high"]), "RISK_LEVEL"),
                "Date": lambda: E(rand_date(r).isoformat(), "DATE"), "MMSI": lambda: O(s.mmsi), "Weight": lambda: O(weight(r))}
        rows.append([cell[c]() if chance(r, 0.93) else O("-") for c in cols])
    widths = [max([len(c)] + [sum(len(t) for t, _ in row[i]) for row in rows]) for i, c in enumerate(cols)]
    sep = pick(r, [" | ", "  ", "\t", " ; "])
    out: Segs = O(pick(r, ["", "Vessel screening results\n", "Table 2. Vessels of interest\n"]))
    out += O(sep.join(c.ljust(w) for c, w in zip(cols, widths)).rstrip() + "\n")
    if sep == " | ":
        out += O("-+-".join("-" * w for w in widths) + "\n")
    for row in rows:
        for i, cellsegs in enumerate(row):
            pad = widths[i] - sum(len(t) for t, _ in cellsegs)
            out += cellsegs + O((" " * pad + sep) if i < len(row) - 1 else "\n")
    return out


# ---------------------------------------------------------------- hard cases: lists, ranges, traps

def op_vessel(r: R) -> str:
    """A container-line ship name with its operator prefix ('CMA CGM LOIRE', 'Ever Greet')."""
    name = f"{pick(r, L.OPERATOR_PREFIXES)} {pick(r, L.OPERATOR_NAMES)}"
    return name if chance(r, 0.7) else name.title()


def joined(r: R, items: list[Segs], conn: str | None = None) -> Segs:
    """Same-label items joined by a connector ('A and B', 'A, B and C', 'A / B', 'A y B')."""
    conn = conn or pick(r, L.CONNECTORS)
    out: Segs = []
    for i, it in enumerate(items):
        if i:
            last = i == len(items) - 1
            out += O(conn if (last or conn.strip() not in ("and", "y", "et", "und", "e", "AND")) else ", ")
        out += it
    return out


def species_list(r: R) -> Segs:
    """Two to four species joined by and/or/,/&///y/et/und."""
    upper = chance(r, 0.15)
    items = [species_plain(r, upper) for _ in range(r.randrange(2, 5))]
    return joined(r, items)


def species_plain(r: R, upper: bool = False) -> Segs:
    """A species name, sometimes from the extra list."""
    text = pick(r, L.SPECIES_EXTRA) if chance(r, 0.3) else species(r)[0][0]
    if chance(r, 0.1):
        text = text[0].upper() + text[1:]
    return E(text.upper() if upper else text, "SPECIES")


def species_pair(r: R) -> Segs:
    """Common and scientific name: 'HAKE / MERLUCCIUS CAPENSIS', 'cod (Gadus morhua)'."""
    common, sci = pick(r, list(L.SCIENTIFIC_OF.items()))
    upper = chance(r, 0.35)
    a, b = (common.upper(), sci.upper()) if upper else (common, sci)
    k = r.randrange(4)
    if k == 0:
        return E(a, "SPECIES") + O(pick(r, [" / ", "  /  ", "/", " - ", " – "])) + E(b, "SPECIES")
    if k == 1:
        return E(a, "SPECIES") + O(pick(r, [" (", " ( "])) + E(b, "SPECIES") + O(pick(r, [")", " )"]))
    if k == 2:
        return E(b, "SPECIES") + O(" (") + E(a, "SPECIES") + O(")")
    return O(pick(r, ["FROZEN ", "frozen ", "chilled ", ""])) + E(a, "SPECIES") + O(pick(r, [" / ", ", "])) + E(b, "SPECIES") \
        + O(pick(r, [", H&G", " , H&G", "", f", {pick(r, L.PRODUCT_PHRASES)}"]))


def date_ml(r: R, d: dt.date) -> Segs:
    """A date in English, French, Spanish or German wording, or an OCR-garbled numeric form."""
    k = r.randrange(7)
    if k == 0:
        return E(f"{d.day:02d} {L.MONTHS_FR[d.month - 1].lower()} {d.year}", "DATE")
    if k == 1:
        return E(f"{d.day} {L.MONTHS_FR[d.month - 1].lower()} {d.year}", "DATE")
    if k == 2:
        return E(f"{d.day} de {L.MONTHS_ES[d.month - 1]} de {d.year}", "DATE")
    if k == 3:
        return E(f"{d.day}. {L.MONTHS_DE[d.month - 1]} {d.year}", "DATE")
    if k == 4:
        s = f"{d.day:02d}/{d.month:02d}/{d.year}"
        return E(s.replace("0", pick(r, ["O", "o"]), 1).replace("1", "l", 1) if chance(r, 0.5) else s, "DATE")
    return date_text(r, d)


def date_range_ml(r: R) -> Segs:
    """A date range in several languages: two DATE spans, the connector stays O."""
    a = rand_date(r)
    b = a + dt.timedelta(days=r.randrange(1, 90))
    before, between = pick(r, L.RANGE_WORDS)
    if chance(r, 0.3):
        return O(before) + E(a.isoformat(), "DATE") + O(between) + E(b.isoformat(), "DATE")
    same = chance(r, 0.5)
    da = date_ml(r, a)
    db = date_ml(r, b) if not same else date_text(r, b)
    return O(before) + da + O(between) + db


def iso_stamp(r: R) -> Segs:
    """An ISO timestamp: only the date part is a DATE."""
    d = rand_date(r)
    tail = pick(r, [f"T{r.randrange(24):02d}:{r.randrange(60):02d}Z", f"T{r.randrange(24):02d}:{r.randrange(60):02d}:{r.randrange(60):02d}Z",
                    f"T{r.randrange(24):02d}:{r.randrange(60):02d}+00:00", f" {r.randrange(24):02d}:{r.randrange(60):02d}"])
    return E(d.isoformat(), "DATE") + O(tail)


def year_noise(r: R) -> str:
    """Bare years, year ranges, quarters and seasons: all O."""
    y = r.randrange(2005, 2027)
    return pick(r, [f"in {y}", f"({y}–{y + r.randrange(1, 6)})", f"Q{r.randrange(1, 5)} {y}", f"since {y}",
                    f"the {y} season", f"{y}/{(y + 1) % 100:02d} season", f"the first half of {y}", f"FY{y}",
                    f"{y}-{y + r.randrange(1, 4)}", f"until {y}", f"quota {y}", f"at its {y} session",
                    f"week {r.randrange(1, 53)} of {y}", f"the second half of {y}", f"end-{y}"])


def company_tricky(r: R) -> str:
    """A company whose name contains a port, species, vessel-like or surname word (O)."""
    k = r.randrange(4)
    if k == 0:
        head = pick(r, L.PORTS)[0]
    elif k == 1:
        head = pick(r, ["Anchoveta", "Tuna", "Squid", "Hake", "Octopus", "Shrimp", "Salmon", "Calamar", "Merluza", "Atún"])
    elif k == 2:
        head = pick(r, L.LAST)
    else:
        head = pick(r, ["Ocean Star", "Golden Harvest", "Pacific Pride", "Blue Horizon", "Mar Azul", "Nordkapp"]
                    + L.KOREAN_NAMES + L.JAPANESE_STEMS + list(L.PINYIN_STEMS))
    word = pick(r, L.COMPANY_WORDS)
    return pick(r, [f"{head} {word} {pick(r, L.COMPANY_SUFFIXES)}", f"{word} {head} {pick(r, L.COMPANY_SUFFIXES)}",
                    f"{head} {word}", f"{word} {head} del Sur {pick(r, L.COMPANY_SUFFIXES)}"])


def address(r: R) -> str:
    """A postal address whose town may be a port city (all O)."""
    town = pick(r, L.PORTS)[0] if chance(r, 0.6) else pick(r, L.INLAND_CITIES)
    return pick(r, [f"{pick(r, L.STREETS)} {r.randrange(1, 200)}, {town} ({pick(r, L.PROVINCES)}), {pick(r, L.COUNTRIES)}",
                    f"{r.randrange(1, 90)}-{r.randrange(1, 30)} {pick(r, L.STREETS)}, {town}, {pick(r, L.PROVINCES)} {r.randrange(100, 999)}-{r.randrange(1000, 9999)}",
                    f"{pick(r, L.STREETS)}, {r.randrange(10000, 99999)} {town} ({pick(r, L.PROVINCES)})",
                    f"{r.randrange(1, 300)} {pick(r, L.STREETS)}, {town} {r.randrange(1000, 9999)}"])


def lot_noise(r: R) -> str:
    """Lot, booking, voyage and seal numbers that look like dates or codes (O)."""
    return pick(r, [f"lot {r.randrange(18, 27)}-{r.randrange(1, 9999):04d}", f"voy. {r.randrange(1, 9999):04d}-{r.randrange(1, 999):03d}{pick(r, 'NSEW')}",
                    f"seal {r.randrange(10**5, 10**6)}", f"booking {r.randrange(10**7, 10**8)}", f"#{r.randrange(2019, 2027)}-{r.randrange(1, 9999):04d}-{r.randrange(1, 99):02d}",
                    f"ref {r.randrange(10, 99)}/{r.randrange(1000, 9999)}", f"PO {r.randrange(10**6, 10**7)}", f"{r.randrange(1, 99)} pallets",
                    f"No.: {r.randrange(2015, 2026)}-{r.randrange(1, 99):02d}", f"{r.randrange(1, 60)}-{r.randrange(1, 30)} {pick(r, ['Chome', 'ban'])}"])


def emo(r: R) -> str:
    """An emoji or symbol with a space (O noise)."""
    return pick(r, L.EMOJI) + " "


def ship_any(r: R) -> Segs:
    """A vessel mention: fishing-vessel naming or container-line naming."""
    if chance(r, 0.35):
        return E(op_vessel(r), "VESSEL")
    return vessel(r, new_ship(r), native=False, quote=False)


def flag_word(r: R, idx: int | None = None) -> Segs:
    """'bandera Perú' / 'pavillon Sénégal' / 'Flag: X'."""
    idx = r.randrange(len(L.FLAGS)) if idx is None else idx
    return O(pick(r, L.FLAG_WORDS) + pick(r, [" ", ": ", " "])) + flag_country(r, idx)


def pattern_sentence(r: R) -> Segs:
    """One sentence exercising a hard case (lists, ranges, traps, boundaries)."""
    k = r.randrange(45)
    p = lambda **kw: port(r, allow_country=False, **kw)  # noqa: E731
    if k == 0:
        tail = O(", valid to ") + date(r) + O(".") if chance(r, 0.3) else O(pick(r, [" without authorisation.", " to the buyer.", "."]))
        return para(O(pick(r, ["Fishing ", "Catch of ", "Target species: ", "supplying ", "Licence for "])), species_list(r), tail)
    if k == 1:
        return para(O(pick(r, ["Cargo: ", "CARGO : ", "Species: ", "Goods: ", "Product: "])), species_pair(r), O("."))
    if k == 2:
        return para(O(pick(r, ["Catch dates: ", "Période : ", "Fechas de captura: ", "Fangzeit: ", "Fishing period "])), date_range_ml(r), O("."))
    if k == 3:
        return para(O(pick(r, ["Landed at ", "Lieu de débarquement : ", "Desembarque en ", "Discharged at "])), p(), O(pick(r, [", le ", " el ", " on ", ", "])), date_ml(r, rand_date(r)), O("."))
    if k == 4:
        return para(O(f"{pick(r, ['Last port calls: ', 'Calls at ', 'bound for ', 'Port calls: '])}"), joined(r, [p() for _ in range(r.randrange(2, 4))]), O("."))
    if k == 5:
        name, adj, _ = L.FLAGS[r.randrange(len(L.FLAGS))]
        n2, a2, _ = L.FLAGS[r.randrange(len(L.FLAGS))]
        y = r.randrange(2005, 2022)
        return para(O(pick(r, ["previous flags ", "has flown the flags of ", "Flag history: ", "earlier flags: "])), E(name, "FLAG"),
                    O(f" ({y}–{y + r.randrange(1, 6)})" if chance(r, 0.6) else ""), O(pick(r, [" and ", ", ", " then "])),
                    E(a2 or n2, "FLAG"), O(f" (until {y})" if chance(r, 0.5) else ""), O("."))
    if k == 6:
        return para(O(pick(r, ["Vessel / flag: ", "Means of transport crossing the border: ", "Transport: ", "Buque / bandera: "])),
                    ship_any(r), O(pick(r, [" / ", " - ", " / ", ", "])), flag_country(r, r.randrange(len(L.FLAGS))), O("\n"))
    if k == 7:
        paren = chance(r, 0.5)
        return para(O(pick(r, ["the reefer ", "carrier ", "the vessel ", ""])), ship_any(r), O(" (IMO " if paren else ", IMO "),
                    E(imo_number(r), "IMO"), O("), " if paren else ", "), flagged(r, r.randrange(len(L.FLAGS))), O(pick(r, [".", "\n", ";"])))
    if k == 8:
        return para(O(pick(r, ["el buque: ", "a bordo del pesquero ", "transbordado al ", "navire : ", "Schiff "])),
                    ship_any(r), O(pick(r, [", ", " — ", " ("])), flag_word(r), O(pick(r, [".", "", "; sin IMO."])))
    if k == 9:
        return para(O(pick(r, ["Offer: ", "Basis ", "Delivery terms ", "Sold ", "We can do "])), O(f"{price(r)} " if chance(r, 0.4) else ""),
                    O(pick(r, L.INCOTERMS) + " "), p(), O(pick(r, [".", " port.", f", {duration(r)} credit.", " — pls confirm.", " basis.", " (Incoterms 2020)."])))
    if k == 10:
        name, country = pick(r, L.PORTS)
        return para(O(pick(r, ["Discharge: ", "POD: ", "Destination: ", "Loading: "])), E(name, "PORT"), O(f", {country}."))
    if k == 11:
        keys = pick(r, [("event", "t0", "t1"), ("kind", "from", "to"), ("type", "start", "end"), ("evt", "begin", "finish")])
        return para(O(f"{pick(r, ['[ALERT]', 'WARN', 'evt', '>>'])} {keys[0]}={pick(r, ['encounter', 'GAP', 'LOITER', 'rendezvous'])} {keys[1]}="),
                    iso_stamp(r), O(f" {keys[2]}="), iso_stamp(r), O(f" {pick(r, ['dur', 'hours', 'len'])}={r.randrange(1, 60)} {pick(r, ['ship', 'vessel_a', 'name'])}=\""),
                    ship_any(r), O(f"\" {pick(r, ['flag', 'flag_state', 'ensign'])}="), flag_country(r, r.randrange(len(L.FLAGS))),
                    O(f" {pick(r, ['risk', 'severity', 'risk_level', 'lvl'])}="), risk(r), O(pick(r, ["", " note=\"no licence\"", " conf=0.8"])))
    if k == 12:
        return para(O(pick(r, ["HS code per invoice: ", "tariff heading ", "HS code (per B/L): ", "Commodity code ", "HS "])), hs(r), O(pick(r, [".", "", " applies."])))
    if k == 13:
        n = r.randrange(2, 4)
        return para(ship_any(r), O(pick(r, [", also known as ", " (also known as ", ", a.k.a. ", ", formerly ", ", alias ", ", renamed from "])),
                    joined(r, [E(vessel_name(r)[0], "VESSEL") for _ in range(n)], pick(r, [" and ", ", ", " or "])),
                    O(pick(r, [", is on the IUU list.", ", changed names often.", ", still operates.", ". "])))
    if k == 14:
        where = f"{r.randrange(3, 90)} nm {pick(r, ['south-west', 'north-east', 'west', 'south', 'NNW'])} of Cape {pick(r, ['Blanc', 'Verde', 'Horn', 'Agulhas', 'Palmas', 'Lopez'])}"
        return O(f"{pick(r, L.NGOS + ['Analysts', 'Traders'])}: {pick(r, ['volumes rose', 'prices fell', 'landings doubled', 'the fleet grew'])} {year_noise(r)}, "
                 f"{pick(r, ['compared with', 'after', 'ahead of'])} {year_noise(r)}; {pick(r, ['the gap began', 'lights were seen', 'a patrol sighted it'])} {where}.")
    if k == 15:
        return O(f"{pick(r, ['Owner', 'Buyer', 'Supplier', 'Consignee', 'Exporter'])}: {company_tricky(r)}, {address(r)}.")
    if k == 16:
        return para(O(f"{pick(r, ['Note:', 'Background:', 'History:'])} {pick(r, ['built in', 'destined for', 'trucked to', 'sold to buyers in', 'off the coast of'])} "
                      f"{pick(r, L.COUNTRIES)}; operating off {pick(r, L.REGIONS)} and near {pick(r, L.COUNTRIES)}'s EEZ, "
                      f"crossing into {pick(r, L.NATIONALITIES + ['Argentine', 'Chilean', 'Mauritanian'])} waters."))
    if k == 17:
        return para(species(r), O(f": {pick(r, L.PRODUCT_PHRASES)} / {pick(r, L.PRODUCT_PHRASES)}; "
                                  f"{pick(r, ['offcuts to', 'rejects go to', 'trimmings for', 'grade A, not'])} {pick(r, ['fishmeal', 'canning', 'sashimi', 'fish oil', 'bait'])}."))
    if k == 18:
        return para(O(emo(r)), species(r), O(f" x{r.randrange(1, 40)} — {lot_noise(r)} {emo(r)}"), O(pick(r, ["ship ", "ex ", "on "])), ship_any(r),
                    O(f" | {lot_noise(r)} {emo(r)}{pick(r, ['checked', 'pending', 'missing doc'])} "), O(pick(r, ["→ ", "", "=> "])), O(pick(r, L.RISK_TRAPS)), O("."))
    if k == 19:
        return O(f"{pick(r, ['Signed', 'Checked', 'Approved', 'Stamped'])}: {pick(r, L.ASIAN_PEOPLE)} / {person(r)}; {pick(r, L.RISK_TRAPS)} {pick(r, ['later', 'if unclear'])}. "
                 f"{pick(r, ['Contact', 'Attn', 'cc'])}: {pick(r, L.ASIAN_PEOPLE)}, {company_tricky(r)}, {address(r)}.")
    if k == 20:
        d = rand_date(r)
        return para(O(pick(r, ["zarpó de ", "cargado en ", "left ", "chargé à ", "verladen in ", "loaded at ", "loading ex ", "shipped ex "])), p(), O(pick(r, [" el ", " on ", " le ", " am ", " "])),
                    date_ml(r, d), O(pick(r, [" — ", ", ", " via "])), ship_any(r), O(" ("), flag_word(r), O(")."))
    if k == 21:
        return para(O(pick(r, ["Congestion at the port of ", "the port of ", "port of ", "near the port of ", "outside the port of "])),
                    E(pick(r, L.PORTS)[0], "PORT"), O(pick(r, [" delayed discharge", " is worse", " eased", " was closed"]) + f" {year_noise(r)}."))
    if k == 22:
        nm = pick(r, L.PORTS)[0]
        return para(O("Inspection at "), E("Port of " + nm, "PORT"), O(f", {pick(r, L.WEEKDAYS)} "), date(r), O("."))
    if k == 23:
        return para(ship_any(r), O(", IMO "), E(imo_number(r), "IMO"), O(", "),
                    flag_country(r, r.randrange(len(L.FLAGS))), O(", detained "), p(), O(" "), E(f"{r.randrange(1, 13)}/{r.randrange(1, 29)}/{r.randrange(2019, 2026)}", "DATE"),
                    O(f": {pick(r, L.DEFICIENCIES).lower()}."))
    if k == 24:
        return para(O(pick(r, ["Notify: SAME AS CONSIGNEE. ", "NOTIFY - SAME AS CONSIGNEE; ", "Sea Waybill. ", "Consignee: TO ORDER. "])),
                    O(f"{pick(r, ['Final destination', 'Place of delivery', 'Delivery to'])}: {pick(r, L.INLAND_CITIES)}{pick(r, ['', ' (inland)', ' by rail'])}. "),
                    O(pick(r, ["Port of discharge: ", "POD ", "Unloading port: "])), p(), O("."))
    if k == 25:
        return para(O(pick(r, ["Catcher: ", "Carrier: ", "Vessel: "])), E(pick(r, list(L.PINYIN_STEMS.values())) + str(r.randrange(100, 99999)), "VESSEL"),
                    O(" with flag "), E(pick(r, ["中国", "日本", "韩国", "Россия"]), "FLAG"), O("."))
    if k == 26:
        a, b = pick(r, [("low", "medium"), ("medium", "high"), ("LOW", "HIGH"), ("Medium", "High")])
        return para(O(f"{pick(r, ['Rating ', 'Score band: ', 'risk ', 'Social: '])}"), E(a, "RISK_LEVEL"), O(f" for {pick(r, ['most lots', 'all suppliers', 'the batch'])}; {lot_noise(r)} rated "),
                    E(b, "RISK_LEVEL"), O(f" — {pick(r, L.RISK_TRAPS)} {pick(r, ['pending docs', 'by Friday'])}."))
    if k == 27:
        return para(O(pick(r, ["Re: ", "Subject: ", "FW: ", "Offer — "])), E(pick(r, L.SPECIES_FOREIGN), "SPECIES"), O(pick(r, [" / ", " = ", " ("])),
                    species_plain(r), O(pick(r, [" samples, ", " offer ", " ETA "])), E(pick(r, L.MONTHS), "DATE"), O(f" {emo(r).strip()}"))
    if k == 28:
        return para(O(f"{pick(r, ['Watchlist', 'Screening', 'Fleet overview', 'Carriers'])} — {pick(r, L.REGIONS)}, {year_noise(r)}\n"), mini_table(r))
    if k == 30:
        return para(O(pick(r, ["Officials in ", "Authorities at ", "Inspectors in ", "Port officers in ", "Coast guard units in "])), p(),
                    O(pick(r, [" detained the ", " boarded the ", " held the ", " inspected the "])), flagged(r, r.randrange(len(L.FLAGS))),
                    O(f" {pick(r, L.GEARS)} "), ship_any(r), O(f" {pick(r, ['on', 'last', 'this'])} {pick(r, L.WEEKDAYS)}."))
    if k == 31:
        verb = pick(r, ["rose", "fell", "climbed", "dropped", "jumped", "slipped", "rose sharply", "eased"])
        return para(O(pick(r, ["Prices for ", "Prices of ", "Imports of ", "Landings of ", ""])), species_plain(r, chance(r, 0.15)),
                    O(f" {pick(r, ['prices ', '']) }{verb} {pick(r, ['to ' + price(r), 'by ' + str(r.randrange(2, 40)) + '%'])} {year_noise(r)}."))
    if k == 32:
        sp = species_plain(r)
        title = E(sp[0][0][0].upper() + sp[0][0][1:], "SPECIES")
        return para(title, O(pick(r, [" carrier held in ", " cargo seized in ", " shipment stopped at ", " trawler detained at "])), p(),
                    O("\n\n"), O(pick(r, L.CITIES + [x[0] for x in L.PORTS]).upper() + ", "), date(r), O(" — "),
                    O(pick(r, ["Officials said ", "Police confirmed ", "Reports say "])), O(f"the ship arrived {pick(r, L.WEEKDAYS)}."))
    if k == 33:
        n2 = r.randrange(2, 4)
        calls = [p() + (O(" (") + date(r) + O(")") if chance(r, 0.6) else []) for _ in range(n2)]
        return para(O(pick(r, ["Port calls: ", "Calls: ", "Visited ", "Landings at "])), joined(r, calls, pick(r, [" and ", ", ", "; "])), O("."))
    if k == 34:
        return para(O(pick(r, ["Booked on ", "Rolled from ", "Next sailing: ", "Feeder: ", "Mother vessel "])), E(op_vessel(r), "VESSEL"),
                    O(f" {pick(r, ['voy', 'V.', ''])} {r.randrange(1, 9999):04d}-{r.randrange(1, 999):03d}{pick(r, 'NSEW')}, "), O(pick(r, ["delayed. ", "cut-off Friday. ", ""])),
                    O(pick(r, ["POD: ", "to "])), p(), O(f", {pick(r, L.COUNTRIES)}."))
    if k == 35:
        s = new_ship(r)
        return para(E(s.name.upper(), "VESSEL"), O(" ("), E(s.native, "VESSEL") if s.native else O(s.callsign), O(") "),
                    O(pick(r, ["General Cargo ", "Fishing Vessel ", "Reefer ", "Ice Breaker ", "Tanker ", ""])),
                    flag_country(r, s.flag), O(pick(r, [" flag; ", " Flag; ", " flag, "])), O(f"MMSI {s.mmsi}."))
    if k == 36:
        name, adj, _ = L.FLAGS[r.randrange(len(L.FLAGS))]
        return para(O(pick(r, ["sold out of the ", "moved to the ", "deleted from the ", "re-registered in the ", "entered the "])),
                    E(adj or name, "FLAG"), O(f" {pick(r, ['register', 'registry', 'ship register'])} {year_noise(r)}; "),
                    species_plain(r, chance(r, 0.1)) if chance(r, 0.5) else O("cargo"), O(" declared only."))
    if k == 38:  # build country, crew nationality and owner country beside the real flag
        return para(ship_any(r), O(", "), flagged(r, r.randrange(len(L.FLAGS))),
                    O(f" {pick(r, L.GEARS)}, built {r.randrange(1975, 2020)} in {pick(r, L.COUNTRIES)}"),
                    (O(" as ") + E(vessel_name(r)[0], "VESSEL")) if chance(r, 0.4) else O(""),
                    O(f"; crew of {r.randrange(8, 60)}, mostly {pick(r, L.NATIONALITIES)}"
                      f"{pick(r, ['', ' and ' + pick(r, L.NATIONALITIES)])}; "
                      f"{pick(r, ['owned from', 'managed from', 'beneficial owner in', 'insured in'])} {pick(r, L.COUNTRIES)}."))
    if k == 39:  # shipping lines alone are O; a line's ship name and its voyage number
        return para(O(f"{pick(r, ['Carrier preference: ', 'Carriers: ', 'Line: ', 'Booked with '])}{pick(r, L.CARRIER_BRANDS)}"
                      f"{pick(r, [' or ', ' / ', ', else '])}{pick(r, L.CARRIER_BRANDS)}. "),
                    O(pick(r, ["Last sailing we had ", "Previous lot went on ", "Cargo rolled from ", "Now on "])), E(op_vessel(r), "VESSEL"),
                    O(f" {r.randrange(1, 9999):04d}-{r.randrange(1, 999):03d}{pick(r, 'NSEW')}{pick(r, ['', ', which rolled twice', ', delayed'])}. "),
                    O(pick(r, ["Discharge: ", "POD ", "To "])), p(), O("."))
    if k == 40:  # a port city in a role that is not a port, next to a real port
        city = pick(r, L.PORTS)[0]
        return para(O(upper_first(pick(r, L.CITY_ROLES).format(city)) + pick(r, [" confirmed the order", " asked for the papers", " is closed", " called"])
                      + f" {pick(r, L.WEEKDAYS)}; the cargo {pick(r, ['loads at', 'discharges at', 'goes via', 'ships from'])} "), p(), O("."))
    if k == 41:  # codes and registration numbers beside real entities
        return para(O(f"{pick(r, ['Port code', 'District', 'Office code'])} {r.randrange(1000, 9999)} ("), p(),
                    O(f"); {pick(r, ['IOTC No.', 'Reg. No.', 'Licence', 'Record'])}: {r.randrange(2010, 2026)}-{r.randrange(1, 99):02d}; "
                      f"{pick(r, ['entry', 'line', 'item'])} {r.randrange(1, 999):03d}; {lot_noise(r)}; HS "), E(hs_digits(r, pick(r, L.HS_LINES)[0]), "HS_CODE"), O("."))
    if k == 42:  # countries in policy and geography; unknown flags; named operations
        country = pick(r, L.COUNTRIES + [f[0] for f in L.FLAGS])
        lead = O(f"{country} {pick(r, ['joined the FAO Port State Measures Agreement', 'ratified the PSMA', 'tightened landing checks', 'banned at-sea transshipment'])}"
                 f" {year_noise(r)}; a {pick(r, L.GEARS)} sank off {pick(r, L.COUNTRIES)}; "
                 f"Operation {pick(r, L.ENGLISH_NOUN + ['Sparrow', 'Albatross', 'Tridente', 'Sardina'])} {pick(r, ['followed', 'began', 'ended'])}. Flag: ")
        if chance(r, 0.5):
            return para(lead, O(pick(r, ["unknown", "not stated", "n/a", "none", "—"]) + " (previously "), flag_country(r, r.randrange(len(L.FLAGS))), O(")."))
        return para(lead, O(pick(r, ["unknown", "not stated", "n/a", "none"]) + "."))
    if k == 43:  # fishing grounds and islands are not ports
        return para(O(f"Catch areas {pick(r, ['58.5.1', '41.3', '87.2', '34.1.3', '48.3'])}, around {pick(r, L.GROUNDS)} and {pick(r, L.GROUNDS)}; landed "), p(),
                    O(" on "), date(r), O("."))
    if k == 44:  # yearless dates, bare months, species groups in compounds
        d = rand_date(r)
        return para(O(pick(r, ["AUDIT ", "Visit ", "check ", "Review "])), E(f"{d.day:02d}/{d.month:02d}", "DATE"),
                    O(f" — {pick(r, ['lot for ', 'offer for ', 'shipment in ', 'quota for '])}"), E(pick(r, L.MONTHS), "DATE"), O("; "),
                    *pick(r, [[E("shark", "SPECIES"), O(pick(r, [" fins", "-finning", " fin trade"]))],
                              [E(pick(r, ["tuna", "squid", "octopus", "hake"]), "SPECIES"), O(pick(r, [" fillets", " loins", " rings"]))]]), O(" noted."))
    return para(O(pick(r, ["HS ", "heading ", "codes "])), E(hs_digits(r, pick(r, L.HS_LINES)[0]), "HS_CODE"), O(pick(r, [" | ", " — ", ": "])),
                O(pick(r, ["Frozen ", "", "Prepared ", "Live ", "Dried "])), species_list(r),
                O(pick(r, [f" {pick(r, L.PRODUCT_FORMS)}", "", f", {pick(r, L.PRODUCT_FORMS)}"]) + pick(r, [" | ", "  ", "\t"])
                  + pick(r, [f"duty {r.randrange(0, 25)}%", weight(r), year_noise(r), price(r)])))


def upper_first(text: str) -> str:
    """The text with its first character upper-cased and the rest untouched."""
    return text[:1].upper() + text[1:]


def mini_table(r: R) -> Segs:
    """Columns of different entity types side by side, separated only by spaces."""
    cols = r.sample(["vessel", "imo", "flag", "port", "species", "risk", "date", "hs"], r.randrange(4, 7))
    rows: list[list[Segs]] = []
    for _ in range(r.randrange(2, 6)):
        cell = {"vessel": lambda: ship_any(r), "imo": lambda: E(imo_number(r), "IMO"),
                "flag": lambda: flag_country(r, r.randrange(len(L.FLAGS))), "port": lambda: port(r, allow_country=False),
                "species": lambda: species_plain(r), "risk": lambda: E(pick(r, ["HIGH", "MEDIUM", "LOW", "high", "low"]), "RISK_LEVEL"),
                "date": lambda: date(r), "hs": lambda: E(hs_digits(r, pick(r, L.HS_LINES)[0]), "HS_CODE")}
        rows.append([cell[c]() if chance(r, 0.9) else O("-") for c in cols])
    widths = [max([len(c)] + [sum(len(t) for t, _ in row[i]) for row in rows]) + r.randrange(1, 6) for i, c in enumerate(cols)]
    out: Segs = O("".join((c.upper() if len(c) < 4 else c.title()).ljust(w + 1) for c, w in zip(cols, widths)).rstrip() + "\n")
    for row in rows:
        for i, cs in enumerate(row):
            pad = widths[i] - sum(len(t) for t, _ in cs) + 1
            out += cs + O(" " * pad if i < len(row) - 1 else "\n")
    return out


def g_mixed(r: R) -> Segs:
    """Mixed notes, mails and log lines built from hard-case sentences."""
    head = O(pick(r, ["", "Notes\n", f"{pick(r, L.CITIES).upper()}, ", "Compliance memo\n", f"Re: {lot_noise(r)}\n", "Log\n"]))
    if head[0][0].endswith(", "):
        head += date(r) + O(" — ")
    out: Segs = head
    for _ in range(r.randrange(3, 9)):
        out += pattern_sentence(r) + O(pick(r, [" ", "\n", "\n", " ", "\n\n"]))
    if chance(r, 0.3):
        out += filler(r)
    return out


BASE_GENRES: dict[str, Callable[[R], Segs]] = {
    "psc_inspection": g_psc, "bill_of_lading": g_bill_of_lading, "catch_certificate": g_catch_certificate,
    "customs_declaration": g_customs, "iuu_risk_assessment": g_iuu, "ais_alert": g_ais, "news_report": g_news,
    "email": g_email, "registry_entry": g_registry, "audit_note": g_audit, "table": g_table,
    "mixed_notes": g_mixed,
}
LONG_GENRE = "long_dossier"
GENRES: tuple[str, ...] = tuple(BASE_GENRES) + (LONG_GENRE,)
LONG_WEIGHT = 0.35  # relative to 1.0 per base genre: about 3% of documents when all genres are on
MIXED_GENRE = "mixed_notes"
MIXED_WEIGHT = 3.0  # hard-case sentences: about 21% of documents when all genres are on


def g_long(r: R, genres: Sequence[str]) -> Segs:
    """Several sections of other genres concatenated to 1,000-5,000 words."""
    pool = [g for g in genres if g in BASE_GENRES] or list(BASE_GENRES)
    target = r.randrange(1000, 5001)
    out: Segs = O(pick(r, ["DUE DILIGENCE DOSSIER\n\n", "Compliance file — consolidated\n\n", "Case file\n\n"]))
    words, n = 0, 0
    while words < target:
        n += 1
        g = pick(r, pool)
        sec = O(f"Section {n}. {g.replace('_', ' ').title()}\n") + BASE_GENRES[g](r) + O("\n\n")
        words += sum(len(t.split()) for t, _ in sec)
        out += sec
    return out


# ---------------------------------------------------------------- OCR noise and rendering

STRAY = "|¦~`°·_^«»"
OCR_SWAPS = {"O": "0", "l": "1", "I": "l", "S": "5", "e": "c", "m": "rn"}


def ocr_piece(r: R, text: str, labelled: bool) -> str:
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


def ocr_noise(r: R, segs: Segs) -> Segs:
    """OCR-style corruption: odd line breaks, UPPER CASE, stray characters, letter swaps."""
    upper = chance(r, 0.5)
    out: Segs = []
    for text, label in segs:
        text = ocr_piece(r, text.upper() if upper else text, label is not None)
        out.append((text, label))
    return out


def is_clean_span(s: str) -> bool:
    """True if the span has no leading/trailing whitespace or punctuation."""
    def bad(c: str) -> bool:
        return c.isspace() or unicodedata.category(c).startswith("P")
    return bool(s) and not bad(s[0]) and not bad(s[-1])


def render(segs: Segs) -> tuple[str, list[dict]]:
    """Join segments into text and code-point entity offsets; asserts every span is clean."""
    segs = [(t, lab) for t, lab in segs if t]
    if segs and segs[0][1] is None:
        segs[0] = (segs[0][0].lstrip(), None)
    if segs and segs[-1][1] is None:
        segs[-1] = (segs[-1][0].rstrip(), None)
    parts: list[str] = []
    ents: list[dict] = []
    pos = 0
    for text, label in segs:
        if label is not None:
            assert label in ENTITY_LABELS, label
            assert is_clean_span(text), (label, text)
            ents.append({"start": pos, "end": pos + len(text), "label": label})
        parts.append(text)
        pos += len(text)
    return "".join(parts), ents


def make_document(r: R, genre: str, genres: Sequence[str], ocr_rate: float = 0.08) -> dict:
    """One document of the given genre."""
    segs = g_long(r, genres) if genre == LONG_GENRE else BASE_GENRES[genre](r)
    if chance(r, ocr_rate):
        segs = ocr_noise(r, segs)
    text, ents = render(segs)
    return {"text": text, "entities": ents, "genre": genre}


def generate_documents(n: int, seed: int = 0, genres: Sequence[str] | None = None) -> list[dict]:
    """n seeded documents; document i depends only on (seed, i, genres)."""
    chosen = list(GENRES if genres is None else genres)
    unknown = sorted(set(chosen) - set(GENRES))
    if unknown or not chosen:
        raise ValueError(f"unknown or empty genres {unknown}; choose from {', '.join(GENRES)}")
    weights = [LONG_WEIGHT if g == LONG_GENRE else MIXED_WEIGHT if g == MIXED_GENRE else 1.0 for g in chosen]
    docs = []
    for i in range(n):
        r = random.Random(f"{seed}:{i}")
        genre = r.choices(chosen, weights)[0]
        docs.append(make_document(r, genre, chosen))
    return docs


def write_jsonl(docs: Iterable[dict], path: str | Path) -> None:
    """Write one JSON object per line (UTF-8, non-ASCII kept)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")


def read_jsonl(path: str | Path) -> list[dict]:
    """Read a JSONL file written by write_jsonl."""
    with Path(path).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(allow_abbrev=False, description="Generate synthetic NER documents as JSONL.")
    p.add_argument("--n", type=int, default=2000, help="number of documents")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, required=True, help="output .jsonl path")
    p.add_argument("--genres", default="", help=f"comma-separated subset of: {','.join(GENRES)}")
    p.add_argument("--exclude-genres", default="", help="comma-separated genres to leave out")
    return p.parse_args(argv)


def select_genres(include: str, exclude: str) -> list[str]:
    """Resolve --genres / --exclude-genres into a genre list."""
    inc = [g.strip() for g in include.split(",") if g.strip()] or list(GENRES)
    exc = {g.strip() for g in exclude.split(",") if g.strip()}
    bad = sorted((set(inc) | exc) - set(GENRES))
    if bad:
        raise ValueError(f"unknown genres {bad}; choose from {', '.join(GENRES)}")
    return [g for g in inc if g not in exc]


def main(argv: Sequence[str] | None = None) -> None:
    """CLI entry point."""
    args = parse_args(argv)
    if args.n < 0:
        raise SystemExit("--n must be >= 0")
    try:
        genres = select_genres(args.genres, args.exclude_genres)
    except ValueError as e:
        raise SystemExit(str(e)) from None
    if not genres:
        raise SystemExit("no genres left after --exclude-genres")
    docs = generate_documents(args.n, args.seed, genres)
    write_jsonl(docs, args.out)
    print(f"wrote {len(docs)} documents to {args.out}")


if __name__ == "__main__":
    main()
