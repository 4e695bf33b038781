"""Entity surface forms for ships: vessel names, IMO numbers, flags, ports and risk levels."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from training import lexicon

from . import pools
from .noise import callsign
from .segments import Rng, Segs, banded, chance, entity, pick, plain


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


def imo_number(r: Rng) -> str:
    """A 7-digit IMO number with a valid check digit."""
    d = [pick(r, "789")] + [str(r.randrange(10)) for _ in range(5)]
    check = sum(int(x) * w for x, w in zip(d, range(7, 1, -1))) % 10
    return "".join(d) + str(check)


VesselName = tuple[str, str | None]  # (Latin name, native-script name or None)


def pinyin_name(r: Rng, n: int) -> VesselName:
    """A Chinese pinyin stem with a number, plus the hanzi form."""
    stem = pick(r, list(lexicon.PINYIN_STEMS))
    num = str(pick(r, [n, r.randrange(1000, 9999), r.randrange(1, 30)]))
    latin = stem.replace(" ", "").upper() if chance(r, 0.15) else stem  # 'LURONGYUANYU 118' style
    return f"{latin} {num}", lexicon.PINYIN_STEMS[stem] + num + ("号" if chance(r, 0.35) else "")


def taiwan_name(r: Rng, n: int) -> VesselName:
    """A Taiwanese stem, 'No. n' or bare number."""
    stem = pick(r, lexicon.TAIWAN_STEMS)
    return (f"{stem} No. {n}" if chance(r, 0.5) else f"{stem} {n}"), None


def japanese_name(r: Rng, n: int) -> VesselName:
    """A Japanese '... Maru' name."""
    stem = pick(r, lexicon.JAPANESE_STEMS)
    return (f"{stem} Maru No. {r.randrange(1, 88)}" if chance(r, 0.6) else f"{stem} Maru"), None


def korean_name(r: Rng, n: int) -> VesselName:
    """A Korean name with a trailing or leading number."""
    base = pick(r, lexicon.KOREAN_NAMES)
    return (f"{base} {r.randrange(1, 900)}" if chance(r, 0.7) else f"No. {n} {base}"), None


def spanish_name(r: Rng, n: int) -> VesselName:
    """A Spanish name, sometimes numbered."""
    return pick(r, lexicon.SPANISH_NAMES) + (f" {r.randrange(2, 9)}" if chance(r, 0.2) else ""), None


def russian_name(r: Rng, n: int) -> VesselName:
    """A Russian name plus its Cyrillic form."""
    name = pick(r, list(lexicon.RUSSIAN_NAMES))
    return name, lexicon.RUSSIAN_NAMES[name]


def nordic_name(r: Rng, n: int) -> VesselName:
    """A Nordic name."""
    return pick(r, lexicon.NORDIC_NAMES), None


def english_name(r: Rng, n: int) -> VesselName:
    """An adjective-noun English name ('Golden Dawn No. 3')."""
    name = f"{pick(r, lexicon.ENGLISH_ADJ)} {pick(r, lexicon.ENGLISH_NOUN)}"
    return (name + pick(r, ["", "", f" No. {r.randrange(1, 20)}", f" {r.randrange(1, 9)}", " II"])), None


def tricky_name(r: Rng, n: int) -> VesselName:
    """A name containing port or species words, or a container-line name."""
    return (pick(r, lexicon.TRICKY_NAMES) if chance(r, 0.6) else op_vessel(r)), None


def other_name(r: Rng, n: int) -> VesselName:
    """A name from the remaining traditions, sometimes numbered."""
    return pick(r, lexicon.OTHER_NAMES) + (f" {r.randrange(1, 30)}" if chance(r, 0.3) else ""), None


def russian_two_word(r: Rng, n: int) -> VesselName:
    """A two-word Russian transliteration ('Kurilskiy Proliv') plus its Cyrillic form."""
    name = pick(r, list(lexicon.RUSSIAN_TWO_WORD))
    return name, lexicon.RUSSIAN_TWO_WORD[name]


def thai_name(r: Rng, n: int) -> VesselName:
    """A Thai name with a number, plus the Thai-script form."""
    stem, k = pick(r, list(lexicon.THAI_NAMES)), r.randrange(1, 40)
    return f"{stem} {k}", f"{lexicon.THAI_NAMES[stem]} {k}"


def korean_hangul_name(r: Rng, n: int) -> VesselName:
    """'Oryong No. 7' / 'No. 7 Oryong' plus '제7 오룡호' / '오룡 7호'."""
    stem, k = pick(r, list(lexicon.KOREAN_HANGUL)), r.randrange(1, 120)
    han = lexicon.KOREAN_HANGUL[stem]
    latin = pick(r, [f"{stem} No. {k}", f"{stem.upper()} No.{k}", f"No. {k} {stem}", f"{stem.upper()} {k}"])
    return latin, pick(r, [f"제{k} {han}호", f"{han} {k}호"])


def japanese_kanji_name(r: Rng, n: int) -> VesselName:
    """'HAKKO MARU No.8' plus '第八白光丸'."""
    stem, k = pick(r, list(lexicon.JAPANESE_KANJI)), r.randrange(1, 10)
    latin = pick(r, [f"{stem.upper()} MARU No.{k}", f"{stem} Maru No. {k}", f"No.{k} {stem} Maru"])
    return latin, f"第{lexicon.KANJI_DIGITS[k]}{lexicon.JAPANESE_KANJI[stem]}丸"


def indonesian_name(r: Rng, n: int) -> VesselName:
    """'KM Fajar Laut 05': the KM prefix is part of the name."""
    return pick(r, lexicon.INDONESIAN_NAMES) + pick(r, ["", f" {r.randrange(1, 30):02d}", f" {r.randrange(1, 30)}"]), None


def person_ship(r: Rng, n: int) -> VesselName:
    """A ship named after people, from the broad pools ('Maria Fernanda', 'Kristine Aasen', 'Aapo II')."""
    k = r.randrange(3)
    name = (pools.first_name(r), f"{pools.first_name(r)} {pools.first_name(r)}", pools.person(r))[k]
    return name + pick(r, ["", "", "", f" {r.randrange(1, 12)}", " II", " Jr"]), None


def lookalike_name(r: Rng, n: int) -> VesselName:
    """A name that looks like a species, a place or a company ('Sea Bream', 'Kostroma')."""
    return pick(r, lexicon.VESSEL_LOOKALIKES) + (f" {r.randrange(1, 20)}" if chance(r, 0.2) else ""), None


# Order is part of the seeded output: the drawn index picks the tradition.
VESSEL_NAMERS: tuple[Callable[[Rng, int], VesselName], ...] = (
    pinyin_name, taiwan_name, japanese_name, korean_name, spanish_name,
    russian_name, nordic_name, english_name, tricky_name, other_name,
    russian_two_word, thai_name, korean_hangul_name, japanese_kanji_name, indonesian_name, lookalike_name,
    person_ship, person_ship,
)


def vessel_name(r: Rng) -> VesselName:
    """A vessel name in one of many naming traditions, plus an optional CJK/Cyrillic form."""
    namer = pick(r, VESSEL_NAMERS)
    n = r.randrange(1, 999)  # drawn for every tradition, used by some
    return namer(r, n)


def op_vessel(r: Rng) -> str:
    """A container-line ship name with its operator prefix ('CMA CGM LOIRE', 'Ever Greet')."""
    if chance(r, 0.3):  # the line's own casing: 'CMA CGM Tejo', 'MSC Giulia'
        return f"{pick(r, lexicon.OPERATOR_PREFIXES)} {pick(r, lexicon.OPERATOR_TITLE_NAMES)}"
    name = f"{pick(r, lexicon.OPERATOR_PREFIXES)} {pick(r, lexicon.OPERATOR_NAMES)}"
    return name if chance(r, 0.7) else name.title()


def new_ship(r: Rng) -> Ship:
    """A random vessel identity."""
    name, native = vessel_name(r)
    former = [vessel_name(r)[0] for _ in range(pick(r, [0, 0, 1, 1, 2]))]
    prefix = pick(r, lexicon.PREFIXES) if chance(r, 0.45) else None
    return Ship(name=name, native=native, imo=imo_number(r), flag=r.randrange(len(lexicon.FLAGS)),
                old_flag=r.randrange(len(lexicon.FLAGS)), former=former,
                mmsi=str(r.randrange(200_000_000, 780_000_000)), callsign=callsign(r),
                gear=pick(r, lexicon.GEARS), prefix=prefix)


def vessel(r: Rng, s: Ship, native: bool = True, quote: bool = True) -> Segs:
    """The ship's name, sometimes with prefix, quotes, casing or a parenthesised native name."""
    name = s.name.upper() if chance(r, 0.2) else s.name
    if s.prefix and chance(r, 0.7) and not s.name.startswith(("KM ", "KMN ")):
        name = f"{s.prefix} {name}"
    segs = entity(name, "VESSEL")
    if quote and chance(r, 0.12):
        q = pick(r, ['"', "'", "“"])
        segs = plain(q) + segs + plain({"“": "”"}.get(q, q))
    if native and s.native and chance(r, 0.35):
        segs += plain(" (") + entity(s.native, "VESSEL") + plain(")")
    return segs


def ship_any(r: Rng) -> Segs:
    """A vessel mention: fishing-vessel naming or container-line naming."""
    if chance(r, 0.35):
        return entity(op_vessel(r), "VESSEL")
    return vessel(r, new_ship(r), native=False, quote=False)


def former_names(r: Rng, s: Ship) -> Segs:
    """'ex-' / 'formerly' / 'a.k.a.' mentions of former names, each its own span."""
    if not s.former:
        return []
    out: Segs = plain(pick(r, [" (ex-", " (ex ", ", formerly ", " (a.k.a. ", ", also known as ", " (f/k/a "]))
    for i, n in enumerate(s.former):
        if i:
            out += plain(pick(r, [", ", " and ", "; ex-"]))
        out += entity(n, "VESSEL")
    if out[0][0].startswith(" ("):
        out += plain(")")
    return out


def imo_glued(r: Rng, s: Ship) -> Segs:
    """'IMO9123456' as one span."""
    return entity("IMO" + s.imo, "IMO")


def imo_keyed(r: Rng, s: Ship) -> Segs:
    """'IMO: 9123456' with the key outside the span."""
    return plain(pick(r, ["IMO ", "IMO: ", "IMO:", "IMO no. ", "IMO No ", "IMO#", "IMO Nr. ", "IMO number "])) + entity(s.imo, "IMO")


def imo_parenthesised(r: Rng, s: Ship) -> Segs:
    """'(IMO 9123456)'."""
    return plain("(IMO ") + entity(s.imo, "IMO") + plain(")")


def imo_bare(r: Rng, s: Ship) -> Segs:
    """The seven digits alone."""
    return entity(s.imo, "IMO")


# Repeated rows are weights: keyed 2/8, bare 4/8.
IMO_LAYOUTS: tuple[Callable[[Rng, Ship], Segs], ...] = (
    imo_glued, imo_keyed, imo_keyed, imo_parenthesised, imo_bare, imo_bare, imo_bare, imo_bare,
)


def imo(r: Rng, s: Ship, field: bool = False) -> Segs:
    """An IMO number in one of the layouts the guide settles (field=True: value of an 'IMO' field)."""
    if field:
        return entity(("IMO" if chance(r, 0.2) else "") + s.imo, "IMO")
    return pick(r, IMO_LAYOUTS)(r, s)


def flag(r: Rng, idx: int) -> Segs:
    """A flag state as name, adjective or another-language form."""
    name, adj, other = lexicon.FLAGS[idx]
    forms = [name, name] + ([adj] if adj else []) + other
    text = pick(r, forms)
    return entity(text.upper() if chance(r, 0.1) else text, "FLAG")


def flag_country(r: Rng, idx: int) -> Segs:
    """A flag state as a noun (for 'Flag: X' fields)."""
    name, _, other = lexicon.FLAGS[idx]
    text = pick(r, [name, name, name] + other)
    return entity(text.upper() if chance(r, 0.15) else text, "FLAG")


def any_flag(r: Rng) -> Segs:
    """Any flag state of the lexicon as a noun."""
    return flag_country(r, r.randrange(len(lexicon.FLAGS)))


def flagged(r: Rng, idx: int) -> Segs:
    """'Panama-flagged' / 'Liberian-flagged' / 'flying the flag of X'."""
    name, adj, _ = lexicon.FLAGS[idx]
    if adj and chance(r, 0.6):
        return entity(adj, "FLAG") + plain(pick(r, ["-flagged", " flagged", "-registered", ""]))
    return entity(name, "FLAG") + plain("-flagged")


# Clause layouts over (name, adjective): 'flying the flag of X' / 'registered in X' / 'under the X flag'.
FLAG_CLAUSES: tuple[Callable[[str, str], Segs], ...] = (
    lambda name, adj: plain("flying the flag of ") + entity(name, "FLAG"),
    lambda name, adj: plain("registered in ") + entity(name, "FLAG"),
    lambda name, adj: plain("under the ") + entity(adj or name, "FLAG") + plain(" flag"),
)


def flag_clause(r: Rng, idx: int) -> Segs:
    """'flying the flag of X' / 'registered in X' / 'under the X flag'."""
    name, adj, _ = lexicon.FLAGS[idx]
    return pick(r, FLAG_CLAUSES)(name, adj)


def flag_word(r: Rng, idx: int | None = None) -> Segs:
    """'bandera Perú' / 'pavillon Sénégal' / 'Flag: X'."""
    idx = r.randrange(len(lexicon.FLAGS)) if idx is None else idx
    return plain(pick(r, lexicon.FLAG_WORDS) + pick(r, [" ", ": ", " "])) + flag_country(r, idx)


def flag_ml(r: Rng) -> Segs:
    """A Spanish/French/Portuguese/Nordic flag adjective or Spanish country name ('panameña', 'Dinamarca')."""
    return entity(pick(r, lexicon.FLAG_ADJ_ML if chance(r, 0.6) else lexicon.FLAG_NAMES_ES), "FLAG")


def port(r: Rng, allow_country: bool = True, upper: bool = False) -> Segs:
    """A port name; 'Port of' inside the span where written; a trailing country stays O."""
    name, country = pick(r, lexicon.PORTS)
    if name in lexicon.PORT_OF_OK and chance(r, 0.2):
        name = "Port of " + name
    if upper or chance(r, 0.1):
        name = name.upper()
    segs = entity(name, "PORT") + (port_code(r, name, country) if chance(r, 0.12) else [])
    if allow_country and chance(r, 0.3) and country != name:
        segs += plain(", " + country)
    return segs


def locode(name: str, country: str) -> str:
    """A UN/LOCODE-like code for a port ('ESVLG')."""
    letters = [c for c in unicodedata.normalize("NFKD", name.upper()) if "A" <= c <= "Z"]
    return lexicon.ISO2.get(country, country[:2].upper()) + "".join(letters[:1] + letters[2:4])[:3].ljust(3, "X")


def port_code(r: Rng, name: str, country: str) -> Segs:
    """' (ESVLG)' (O) or ' (烟台)' (its own PORT span) after a port name."""
    native = lexicon.PORT_NATIVE.get(name.title() if name.isupper() else name)
    if native and chance(r, 0.6):
        return plain(" (") + entity(native, "PORT") + plain(")")
    return plain(f" ({locode(name, country)})")


def bare_port(r: Rng) -> Segs:
    """A port name with no trailing country."""
    return port(r, allow_country=False)


def risk_word(r: Rng) -> Segs:
    """A single risk word in some casing."""
    w = pick(r, ["high", "medium", "low", "very high", "very low", "moderate", "elevated", "critical", "severe"])
    return entity(pick(r, [w, w.upper(), w.capitalize()]), "RISK_LEVEL")


def risk_compound(r: Rng) -> Segs:
    """A hyphenated band ('MEDIUM-HIGH') as one span."""
    return entity(pick(r, ["MEDIUM-HIGH", "medium-high", "Low-Medium", "HIGH-CRITICAL"]), "RISK_LEVEL")


def risk_range(r: Rng) -> Segs:
    """Two levels with the connector outside both spans."""
    a, b = pick(r, [("low", "medium"), ("medium", "high"), ("Low", "Moderate"), ("HIGH", "VERY HIGH")])
    return entity(a, "RISK_LEVEL") + plain(pick(r, [" to ", " – ", "/"])) + entity(b, "RISK_LEVEL")


def risk_ship(r: Rng) -> Segs:
    """'High Risk Ship': only the level is the span."""
    w = pick(r, ["Standard", "HIGH", "Low", "High", "STANDARD", "LOW"])
    tail = " RISK SHIP" if w.isupper() else " Risk Ship"
    return entity(w, "RISK_LEVEL") + plain(tail)


def risk_foreign(r: Rng) -> Segs:
    """A risk level in another language ('ALTO', 'medio-alto', 'élevé')."""
    return entity(pick(r, lexicon.RISK_WORDS_ML), "RISK_LEVEL")


# (upper bound of the uniform draw, form); SHIP_RISK_FROM cuts off the last row unless ship=True.
RISK_FORMS: tuple[tuple[float, Callable[[Rng], Segs]], ...] = (
    (0.47, risk_word), (0.55, risk_foreign), (0.7, risk_compound), (0.82, risk_range), (math.inf, risk_ship),
)
SHIP_RISK_FROM = 0.82


def risk(r: Rng, ship: bool = False) -> Segs:
    """A risk level in one of the settled forms ('X Risk Ship' only when ship=True)."""
    k = r.random() * (1.0 if ship else SHIP_RISK_FROM)
    return banded(RISK_FORMS, k)(r)
