"""Hard-case sentences in the layouts and languages of documents written by other people."""

from __future__ import annotations

from training import lexicon

from .cargo import (
    any_hs_code, cjk_product, gear_species, hs_digits, species, species_pair, species_plain, stock_species,
)
from .dates import date, date_text, iso_stamp, rand_date, spanish
from .noise import callsign, dated_ref, person, price, weight
from .segments import Rng, Segs, chance, entity, joined, para, pick, plain
from .surface import (
    any_flag, bare_port, flag_ml, imo_number, locode, new_ship, port, risk, vessel, vessel_name,
)


def es_vessels_flag(r: Rng) -> Segs:
    """'X y Y, ambos de bandera china' / 'bajo bandera de X con el nombre Y': bare names, flags in Spanish."""
    a, b = entity(vessel_name(r)[0], "VESSEL"), entity(vessel_name(r)[0], "VESSEL")
    if chance(r, 0.5):
        return para(plain(pick(r, ["- Poteros de origen: ", "Buques pesqueros: ", "Los palangreros ", "Arrastreros implicados: "])),
                    joined(r, [a, b], pick(r, [" y ", " e ", " y el "])), plain(pick(r, [", ambos de bandera ", ", los dos con pabellón ", ", de bandera "])),
                    flag_ml(r), plain(pick(r, [", que faenan en alta mar.", ".", ", sin licencia vigente."])))
    return para(plain(pick(r, ["- El buque frigorífico ", "El buque ", "el pesquero ", "O navio ", "Le navire "])), a, plain(" (IMO "), entity(imo_number(r), "IMO"),
                plain(pick(r, ["), de bandera ", "), con pabellón ", "), battant pavillon ", "), de bandeira "])), flag_ml(r),
                plain(" desde "), date(r), plain(pick(r, ["; anteriormente bajo bandera de ", "; antes con pabellón de ", "; ex-pavillon "])),
                entity(pick(r, lexicon.FLAG_NAMES_ES), "FLAG"), plain(pick(r, [" con el nombre ", " y el nombre ", " sous le nom de "])), b, plain("."))


def stock_status(r: Rng) -> Segs:
    """'Stock status — Indian Ocean albacore not overfished': the stock area stays O."""
    return para(plain(pick(r, ["Stock status — ", "Stock: ", "Sustainability: ", "ISSF rating for "])), stock_species(r),
                plain(pick(r, [" not overfished; ", " overfished; ", " subject to overfishing; ", ": healthy; "])),
                plain("rating: "), risk(r), plain("."))


def vessel_type_species(r: Rng) -> Segs:
    """'Vessel type: squid jigger (AIS ship type 30)': the species in a vessel type is a span."""
    tail = plain(", targeting ") + species_plain(r) if chance(r, 0.5) else plain(pick(r, [" (AIS ship type 30, fishing)", "", " — licence n/a"]))
    return para(plain(pick(r, ["Vessel type: ", "Type: ", "Ship type: ", "Gear: "])), gear_species(r), tail, plain(".\n"))


def ports_local_language(r: Rng) -> Segs:
    """Spanish/French/Danish port clauses with berths and quays that stay O."""
    berth = pick(r, ["muelle de Bouzas", "muelle Norte", "quai Est", "berth 7", "kaj 3", "dársena pesquera"])
    return pick(r, [
        lambda: para(plain("Escala en "), bare_port(r), plain(" el "), spanish(r, rand_date(r)), plain(", avituallamiento en "), bare_port(r),
                     plain(" y descarga prevista en "), bare_port(r), plain(f", {berth}.")),
        lambda: para(plain("Débarquement au port de "), bare_port(r), plain(f", {berth}, puis transfert vers "), bare_port(r), plain(".")),
        lambda: para(plain("landing i "), bare_port(r), plain(" eller "), bare_port(r), plain("? Skibet kan være der den "),
                     date_text(r, rand_date(r)), plain(".")),
        lambda: para(plain("Puertos de escala: "), joined(r, [bare_port(r) for _ in range(r.randrange(2, 4))], pick(r, [", ", " y "])), plain(".")),
    ])()


def port_locode_fields(r: Rng) -> Segs:
    """'PORT OF LOADING Vigo (ESVGO)': the UN/LOCODE stays O."""
    (a, ca), (b, cb) = pick(r, lexicon.PORTS), pick(r, lexicon.PORTS)
    sep = pick(r, ["      ", "  /  ", "\n", "; "])
    return para(plain(pick(r, ["Port of loading: ", "POL ", "Lugar de carga / Place of loading: "])), entity(a, "PORT"), plain(f" ({locode(a, ca)})"),
                plain(sep + pick(r, ["Port of discharge: ", "POD ", "Puerto de descarga / Port of unloading: "])), entity(b, "PORT"),
                plain(f" ({locode(b, cb)})" if chance(r, 0.7) else f", {cb}"), plain("\n"))


def cjk_bilingual_fields(r: Rng) -> Segs:
    """Bilingual CJK/English key lines: each value ends at the line break."""
    out: Segs = []
    for _ in range(r.randrange(2, 4)):
        out += plain(pick(r, lexicon.CJK_PORT_KEYS) + pick(r, [": ", "："])) + port(r, allow_country=chance(r, 0.3)) + plain("\n")
    out += plain(pick(r, lexicon.CJK_DATE_KEYS) + ": ") + date(r) + plain(pick(r, ["\n", "        "]))
    if chance(r, 0.5):
        out += plain(f"签发地点 Place of issue: {pick(r, lexicon.PORTS)[0]}\n")
    return out


def tariff_row(r: Rng) -> Segs:
    """A customs tariff row: the code is one span; masses, duty and VAT rates stay O."""
    base = pick(r, lexicon.HS_LINES)[0]
    sep = pick(r, [" | ", "  ", "\t", " ; "])
    cells = [plain(str(r.randrange(1, 9))), entity(hs_digits(r, base), "HS_CODE"), species_pair(r) + plain(pick(r, [" entero congelado", " frozen", ", WR", ""])),
             plain(f"{r.randrange(1, 400)} {r.randrange(1000):03d},{r.randrange(10)}"), plain(pick(r, ["0,0 (SPG)", "Free", f"{r.randrange(0, 25)},{r.randrange(10)}", f"{r.randrange(0, 25)}.0 %"])),
             plain(pick(r, ["10", "21", "4", "0"]))]
    return joined(r, cells, sep) + plain("\n")


def hs_declared_ml(r: Rng) -> Segs:
    """'Código SA declarado: 0307.43.' in several languages; the full stop stays O."""
    return para(plain(pick(r, ["Código SA declarado: ", "Partida arancelaria ", "Code SH : ", "Varekoden er ", "Zolltarifnummer ",
                               "Código NCM ", "税则号 HS Code: ", "Código TARIC: "])), any_hs_code(r),
                plain(pick(r, [".", ". ", ", ", " (declarado)."])))


def dated_references(r: Rng) -> Segs:
    """Reference numbers with dates inside them stay O; only the real date is a span."""
    return pick(r, [
        lambda: para(plain(f"Alert ID: {dated_ref(r)}            Generated: "), iso_stamp(r), plain("\n")),
        lambda: para(plain(f"Factura / Invoice: {dated_ref(r)} de "), spanish(r, rand_date(r)), plain(f", {pick(r, lexicon.INCOTERMS)} "), bare_port(r), plain(f", {price(r)}\n")),
        lambda: para(plain(f"Event ref: {dated_ref(r)}\nStart: "), iso_stamp(r), plain("      End: "), iso_stamp(r), plain(f"      Duration: {r.randrange(1, 40)} h {r.randrange(60)} min\n")),
        lambda: para(plain(f"Document number: {dated_ref(r)}      Valid to: "), date(r), plain("\n")),
    ])()


def people_and_companies(r: Rng) -> Segs:
    """Masters, officers and ship-named companies stay O beside the real ship."""
    s = new_ship(r)
    co = f"{s.name.upper()} {pick(r, lexicon.VESSEL_LIKE_COMPANY_TAILS)}"
    return para(plain(pick(r, ["Ship: ", "Name: ", "Vessel: "])), vessel(r, s, quote=False), plain(f"      Call sign: {s.callsign}\n"),
                plain(f"Registered owner: {co}\n" if chance(r, 0.6) else f"Operator: {co}; "),
                plain(f"{pick(r, lexicon.PERSON_ROLES)} {pick(r, lexicon.ASIAN_PEOPLE + [person(r)])}; MMSI {s.mmsi}.\n"))


def place_not_port(r: Rng) -> Segs:
    """Customs offices, harbour masters, quays and capes named after a place stay O; the port of call is a span."""
    town = pick(r, lexicon.PORTS)[0]
    return para(plain(pick(r, lexicon.PLACE_NOT_PORT).format(town) + pick(r, ["; ", " — ", ", "])),
                plain(pick(r, ["next port ", "port of call: ", "discharge at ", "puerto de destino: "])), bare_port(r), plain("."))


def cjk_product_line(r: Rng) -> Segs:
    """'冷冻鱿鱼圈 FROZEN SQUID RINGS (Dosidicus gigas)': the glued Chinese species is its own span."""
    return para(plain(f"{r.randrange(100, 3000):,} CTNS   "), cjk_product(r), plain(" "), plain(pick(r, ["FROZEN ", ""])), species(r, upper=True),
                plain(pick(r, [" FILLETS", " RINGS", "", " WR"])), plain(f"   {weight(r)}\n"))


def flag_registry_forms(r: Rng) -> Segs:
    """ISO-style inverted flag names and Spanish 'nacionalidad' fields, each one span."""
    return para(plain(pick(r, ["Flag: ", "Flag of ship: ", "nacionalidad / nationality: ", "Pavillon / Flag : "])),
                pick(r, [lambda: entity(pick(r, ["Korea, Republic of", "Tanzania, United Republic of", "Hong Kong, China", "KOREA, REPUBLIC OF"]), "FLAG"),
                         lambda: flag_ml(r), lambda: any_flag(r)])(),
                plain(f"      Call sign: {callsign(r)}\n" if chance(r, 0.5) else "\n"))


def nordic_mail_line(r: Rng) -> Segs:
    """A Danish/Norwegian line: species, vessel and ports in local wording."""
    return para(plain(pick(r, ["Emne: ", "Ang.: ", ""])), entity(pick(r, ["reker", "sild", "kolmule", "hellefisk", "rødspætte"]), "SPECIES"),
                plain(" fra "), entity(vessel_name(r)[0], "VESSEL"), plain(" - landing i "), bare_port(r), plain(pick(r, [" eller ", " og "])), bare_port(r),
                plain("? Dato: "), date(r), plain(f" kl. {r.randrange(24):02d}:{r.randrange(60):02d}\n"))
