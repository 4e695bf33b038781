"""Cargo surface forms: species names, product descriptions and HS tariff codes."""

from __future__ import annotations

import math
from collections.abc import Callable

from training import lexicon

from .segments import Rng, Segs, banded, chance, entity, joined, pick, plain

# (upper bound of the uniform draw, word list): common names most, then scientific, genus, foreign, extra.
SPECIES_SOURCES: tuple[tuple[float, list[str]], ...] = (
    (0.52, lexicon.SPECIES_COMMON), (0.72, lexicon.SPECIES_SCIENTIFIC), (0.79, lexicon.SPECIES_GENUS),
    (0.86, lexicon.SPECIES_FOREIGN), (0.94, lexicon.SPECIES_ML), (math.inf, lexicon.SPECIES_EXTRA),
)


def species(r: Rng, upper: bool = False) -> Segs:
    """A species name: common, scientific, genus or non-English."""
    text = pick(r, banded(SPECIES_SOURCES, r.random()))
    return entity(text.upper() if upper or chance(r, 0.08) else text, "SPECIES")


def species_product(r: Rng) -> Segs:
    """A product description like 'frozen yellowfin tuna loins (Thunnus albacares)'."""
    if chance(r, 0.05):
        return plain(pick(r, ["dried ", "frozen ", ""])) + entity(pick(r, ["shark", "blue shark", "SHARK"]), "SPECIES") + plain(" fins")
    segs = plain(pick(r, ["", "frozen ", "FROZEN ", "whole round ", "chilled ", "IQF ", "canned "]))
    segs += species(r)
    segs += plain(pick(r, ["", "", " loins", " fillets", " tubes", ", H&G", " steaks", " (whole)", " blocks"]))
    sci = lexicon.SCIENTIFIC_OF.get(segs[1][0])
    if sci and chance(r, 0.4):
        segs += plain(" (") + entity(sci, "SPECIES") + plain(")")
    if chance(r, 0.2):
        segs += plain(f" [{pick(r, lexicon.FAO_CODES)}]")
    return segs


def species_plain(r: Rng, upper: bool = False) -> Segs:
    """A species name, sometimes from the extra list."""
    text = pick(r, lexicon.SPECIES_EXTRA) if chance(r, 0.3) else species(r)[0][0]
    if chance(r, 0.1):
        text = text[0].upper() + text[1:]
    return entity(text.upper() if upper else text, "SPECIES")


def species_list(r: Rng) -> Segs:
    """Two to four species joined by and/or/,/&///y/et/und."""
    upper = chance(r, 0.15)
    items = [species_plain(r, upper) for _ in range(r.randrange(2, 5))]
    return joined(r, items)


def pair_slashed(r: Rng, common: str, sci: str) -> Segs:
    """'HAKE / MERLUCCIUS CAPENSIS'."""
    return entity(common, "SPECIES") + plain(pick(r, [" / ", "  /  ", "/", " - ", " – "])) + entity(sci, "SPECIES")


def pair_sci_in_brackets(r: Rng, common: str, sci: str) -> Segs:
    """'cod (Gadus morhua)'."""
    return entity(common, "SPECIES") + plain(pick(r, [" (", " ( "])) + entity(sci, "SPECIES") + plain(pick(r, [")", " )"]))


def pair_common_in_brackets(r: Rng, common: str, sci: str) -> Segs:
    """'Gadus morhua (cod)'."""
    return entity(sci, "SPECIES") + plain(" (") + entity(common, "SPECIES") + plain(")")


def pair_product(r: Rng, common: str, sci: str) -> Segs:
    """'FROZEN HAKE / MERLUCCIUS CAPENSIS, H&G' with the product words outside the spans."""
    return plain(pick(r, ["FROZEN ", "frozen ", "chilled ", ""])) + entity(common, "SPECIES") + plain(pick(r, [" / ", ", "])) \
        + entity(sci, "SPECIES") + plain(pick(r, [", H&G", " , H&G", "", f", {pick(r, lexicon.PRODUCT_PHRASES)}"]))


SPECIES_PAIRS: tuple[Callable[[Rng, str, str], Segs], ...] = (
    pair_slashed, pair_sci_in_brackets, pair_common_in_brackets, pair_product,
)


def species_pair(r: Rng) -> Segs:
    """Common and scientific name: 'HAKE / MERLUCCIUS CAPENSIS', 'cod (Gadus morhua)'."""
    common, sci = pick(r, list(lexicon.SCIENTIFIC_OF.items()))
    upper = chance(r, 0.35)
    a, b = (common.upper(), sci.upper()) if upper else (common, sci)
    return pick(r, SPECIES_PAIRS)(r, a, b)


# National layouts over (dotted code, digits, 2-digit and 4-digit national extensions).
HS_LAYOUTS: tuple[Callable[[str, str, str, str], str], ...] = (
    lambda base, d, ext2, ext4: base,
    lambda base, d, ext2, ext4: d,
    lambda base, d, ext2, ext4: f"{base}.{ext2}",
    lambda base, d, ext2, ext4: f"{base}.{ext4}",
    lambda base, d, ext2, ext4: f"{d[:4]} {d[4:]} {ext2}",
    lambda base, d, ext2, ext4: f"{d}{ext2}",
    lambda base, d, ext2, ext4: f"{d}{ext4}",
    lambda base, d, ext2, ext4: f"{d[:4]}.{d[4:]}.{ext2}.{ext2}",
    lambda base, d, ext2, ext4: f"{d[:4]} {d[4:]} {ext4[:2]} {ext4[2:]}",
)


def hs_digits(r: Rng, base: str) -> str:
    """One national layout of a dotted 6-digit HS code."""
    d = base.replace(".", "")
    ext2, ext4 = f"{r.randrange(0, 99):02d}", f"{r.randrange(0, 9999):04d}"
    return pick(r, HS_LAYOUTS)(base, d, ext2, ext4)


def any_hs_code(r: Rng) -> Segs:
    """One HS code entity: a tariff line of the lexicon in one national layout."""
    return entity(hs_digits(r, pick(r, lexicon.HS_LINES)[0]), "HS_CODE")


def hs_heading(r: Rng, base: str) -> Segs:
    """A 4-digit heading ('03.03')."""
    return entity(pick(r, lexicon.HS_HEADINGS), "HS_CODE")


def hs_slash_pair(r: Rng, base: str) -> Segs:
    """Two national lines of one code, each its own span."""
    a = f"{base}.{r.randrange(10, 50)}"
    return entity(a, "HS_CODE") + plain("/") + entity(f"{base}.{r.randrange(50, 99)}", "HS_CODE")


def hs_code(r: Rng, base: str) -> Segs:
    """One code in a national layout."""
    return entity(hs_digits(r, base), "HS_CODE")


# (upper bound of the uniform draw, form).
HS_FORMS: tuple[tuple[float, Callable[[Rng, str], Segs]], ...] = (
    (0.08, hs_heading), (0.16, hs_slash_pair), (math.inf, hs_code),
)
# Tariff-line wording by chapter heading.
HS_FORM_WORDS = {"0302": "Fresh or chilled ", "0303": "Frozen ", "0304": "Frozen fillets of ", "0305": "Dried ",
                 "0306": "Frozen ", "0307": "Frozen ", "1604": "Prepared or preserved ", "1605": "Prepared "}


def hs(r: Rng) -> Segs:
    """An HS code (occasionally a heading or a slash pair of two codes)."""
    base, _ = pick(r, lexicon.HS_LINES)
    return banded(HS_FORMS, r.random())(r, base)


def hs_line(r: Rng) -> Segs:
    """A tariff line: code plus description with the species in it."""
    base, desc = pick(r, lexicon.HS_LINES)
    code = entity(hs_digits(r, base), "HS_CODE")
    form = HS_FORM_WORDS[base[:4]]
    form = form if chance(r, 0.85) else form.upper()
    sp = desc_species(desc) if desc != "prepared fish" else plain(desc)
    return code + plain(pick(r, [" — ", " - ", "  ", ": ", " "])) + plain(form) + sp


def desc_species(desc: str) -> Segs:
    """Tariff wording with each species its own span: 'cuttlefish and squid' is two spans."""
    for conn in (" and other ", " and ", " or "):
        if conn in desc:
            a, b = desc.split(conn, 1)
            return desc_species(a) + plain(conn) + desc_species(b)
    return entity(desc, "SPECIES")


def gear_species(r: Rng) -> Segs:
    """A vessel type naming its target ('squid jigger', 'tuna longliner'): the species is a span."""
    sp, gear = pick(r, lexicon.GEAR_SPECIES)
    return entity(sp.upper() if chance(r, 0.1) else sp, "SPECIES") + plain(f" {gear}")


def cjk_product(r: Rng) -> Segs:
    """Chinese product wording glued around a species ('冷冻' + '鱿鱼' + '圈'): only the species is a span."""
    head, tail = pick(r, lexicon.CJK_PRODUCT)
    return plain(head) + entity(pick(r, lexicon.CJK_SPECIES), "SPECIES") + plain(tail)


def stock_species(r: Rng) -> Segs:
    """'Indian Ocean albacore': the stock area stays O, the species is the span."""
    return plain(pick(r, lexicon.STOCK_AREAS) + " ") + entity(pick(r, lexicon.STOCK_SPECIES), "SPECIES")
