"""Form-like genres: PSC inspection, bill of lading, catch certificate, customs entry, registry extract, table."""

from __future__ import annotations

from collections.abc import Callable

from training import lexicon

from .cargo import any_hs_code, hs, hs_line, species, species_product
from .dates import date, date_range, rand_date
from .layouts import Field, render_fields, sentences
from .noise import code_no, company, container, filler, person, price, weight
from .patterns import pattern_sentence
from .segments import Rng, Segs, chance, entity, para, pick, plain, seg_len
from .surface import Ship, flag_country, flagged, former_names, imo, new_ship, port, risk, vessel


def g_psc(r: Rng) -> Segs:
    """Port state control inspection summary."""
    s = new_ship(r)
    mou = pick(r, ["Paris MoU", "Tokyo MOU", "Indian Ocean MOU", "Abuja MoU", "Viña del Mar Agreement", "USCG"])
    if chance(r, 0.35):
        n = r.randrange(0, 14)
        return sentences(r, [
            para(plain("On "), date(r), plain(", the ")) + flagged(r, s.flag) + plain(f" {s.gear} ") + vessel(r, s) + plain(" (") + imo(r, s)
            + plain(") was inspected at ") + port(r) + plain(f" under the {mou} regime."),
            plain(f"{n} deficiencies were recorded" + (", three of them ground for detention." if n > 8 else ".")),
            para(plain("The ship was assigned a "), risk(r, ship=True), plain(" profile for the next inspection window.")),
            plain(f"Inspector: {person(r)}. MMSI {s.mmsi}, call sign {s.callsign}."),
            para(plain("Previous inspection: "), date(r), plain(" at "), port(r), plain(".")) if chance(r, 0.6) else [],
            filler(r),
            pattern_sentence(r) if chance(r, 0.5) else [],
        ])
    head = plain(pick(r, [f"{mou} — PORT STATE CONTROL INSPECTION\n", "PSC INSPECTION SUMMARY\n",
                      f"Inspection report ({mou})\n", "Report of inspection in accordance with the MOU\n"]))
    fields: list[Field] = [
        ("Name of ship", vessel(r, s)), ("IMO number", imo(r, s, field=True)), ("Flag", flag_country(r, s.flag)),
        ("Call sign", plain(s.callsign)), ("MMSI", plain(s.mmsi) if chance(r, 0.6) else []),
        ("Type of ship", plain(pick(r, ["Fishing vessel", "Refrigerated cargo", "Other", s.gear.capitalize()]))),
        ("Place of inspection", port(r)), ("Date of inspection", date(r)),
        ("Ship risk profile", risk(r, ship=chance(r, 0.6)) if chance(r, 0.8) else []),
        ("Company IMO number", plain(str(r.randrange(10**6, 6 * 10**6))) if chance(r, 0.5) else []),
        ("Recognized organization", plain(pick(r, ["KR", "DNV", "BV", "RINA", "Phoenix Register", "ABS", "none"]))),
        ("Deficiencies", plain(str(r.randrange(0, 20)))), ("Detained", plain(pick(r, ["YES", "NO", "No", "Yes"]))),
        ("Next inspection window", date_range(r) if chance(r, 0.4) else []),
    ]
    out = head + render_fields(r, fields)
    if chance(r, 0.6):
        out += plain("\nDeficiencies:\n")
        for _ in range(r.randrange(1, 5)):
            out += plain(f"  {r.randrange(1000, 19999)} {pick(r, lexicon.DEFICIENCIES)} (code {r.randrange(10, 99)})\n")
    if chance(r, 0.3):
        out += plain("Remarks: ") + species(r) + plain(f" in hold no. {r.randrange(1, 6)}; catch documents requested. ") + filler(r)
    return out


def g_bill_of_lading(r: Rng) -> Segs:
    """Bill of lading or shipping instructions."""
    s = new_ship(r)
    pol, pod = port(r, allow_country=False), port(r)
    if chance(r, 0.35):
        return sentences(r, [
            plain(pick(r, ["SHIPPING INSTRUCTIONS\n", "Shipping instruction — please confirm\n", "SI / booking "
                       + code_no(r) + "\n"])),
            para(plain("Please load "), plain(f"{r.randrange(1, 12)} x 40' reefer "), species_product(r), plain(" on board "),
                 vessel(r, s), plain(f" voy. {r.randrange(100, 999)}{pick(r, 'NSEW')}, ETD "), date(r), plain(" from "), pol, plain(".")),
            para(plain(pick(r, ["Incoterm ", "Terms: "])), plain(pick(r, ["CFR ", "CIF ", "FOB ", "CNF "])), port(r, allow_country=False),
                 plain(". Discharge at "), pod, plain(".")),
            para(plain("HS code "), hs(r), plain(f", net {weight(r)}, temperature -{r.randrange(18, 60)}°C.")),
            plain(f"Consignee: {company(r)}, {pick(r, lexicon.CITIES)}. Notify: {company(r)}."),
            filler(r),
            pattern_sentence(r) if chance(r, 0.5) else [],
        ])
    fields: list[Field] = [
        ("B/L No.", plain(pick(r, ["MEDU", "COSU", "MAEU", "ONEY"]) + str(r.randrange(10**8, 10**9)))),
        ("Shipper", plain(f"{company(r)}, {pick(r, lexicon.CITIES)}, {pick(r, lexicon.COUNTRIES)}")),
        ("Consignee", plain(f"{company(r)}, {r.randrange(1, 300)} Harbour Road, {pick(r, lexicon.CITIES)}")),
        ("Notify party", plain("SAME AS CONSIGNEE") if chance(r, 0.4) else plain(company(r))),
        ("Vessel / Voyage", vessel(r, s, native=False) + plain(f" / {r.randrange(100, 999)}{pick(r, 'NSEW')}")),
        ("Port of loading", pol), ("Port of discharge", pod),
        ("Place of delivery", port(r) if chance(r, 0.5) else plain(pick(r, lexicon.CITIES))),
        ("Container No.", plain(f"{container(r)} / seal {code_no(r)}")),
        ("Description of goods", species_product(r) + (plain(", HS ") + hs(r) if chance(r, 0.7) else [])),
        ("Gross weight", plain(weight(r))), ("Freight", plain(pick(r, ["PREPAID", "COLLECT", "As arranged"]))),
        ("Shipped on board", date(r)), ("Date of issue", date(r) if chance(r, 0.6) else []),
        ("Country of origin", plain(pick(r, lexicon.COUNTRIES)) if chance(r, 0.5) else []),
    ]
    head = plain(pick(r, ["BILL OF LADING\n", "Sea Waybill\n", "NON-NEGOTIABLE COPY — BILL OF LADING\n", "B/L\n"]))
    return head + render_fields(r, fields, keep_order=0.7)


# (field keys, title lines) per language; the drawn index picks the language.
CATCH_CERTIFICATE_LANGUAGES: tuple[tuple[list[str], list[str]], ...] = (
    (
        ["Document number", "Validating authority", "Fishing vessel name", "Flag", "Home port",
         "Registration number", "Call sign", "IMO/Lloyd's number", "Fishing licence valid to", "Species",
         "Product code", "Catch area(s) and dates", "Estimated live weight", "Transshipment at sea: vessel",
         "Transshipment date", "Port of landing", "Date of validation"],
        ["EUROPEAN COMMUNITY CATCH CERTIFICATE\n", "Catch certificate (Reg. (EC) 1005/2008)\n"],
    ),
    (
        ["N° du document", "Autorité de validation", "Nom du navire de pêche", "Pavillon", "Port d'attache",
         "N° d'immatriculation", "Indicatif d'appel", "N° OMI/Lloyd's", "Licence valable jusqu'au", "Espèce",
         "Code produit", "Zone(s) et dates de capture", "Poids vif estimé", "Transbordement en mer: navire",
         "Date du transbordement", "Port de débarquement", "Date de validation"],
        ["CERTIFICAT DE CAPTURE\n"],
    ),
    (
        ["Número de documento", "Autoridad de validación", "Nombre del buque pesquero", "Pabellón", "Puerto base",
         "Matrícula", "Indicativo de llamada", "N.º OMI", "Licencia válida hasta", "Especie", "Código del producto",
         "Zona(s) y fechas de captura", "Peso vivo estimado", "Transbordo en el mar: buque", "Fecha del transbordo",
         "Puerto de desembarque", "Fecha de validación"],
        ["CERTIFICADO DE CAPTURA\n"],
    ),
)


def g_catch_certificate(r: Rng) -> Segs:
    """EU-style catch certificate."""
    s = new_ship(r)
    keys, heads = pick(r, CATCH_CERTIFICATE_LANGUAGES)
    carrier = new_ship(r)
    vals: list[Segs] = [
        plain(f"{pick(r, ['MR', 'GH', 'ES', 'KR', 'TW', 'EC'])}/{r.randrange(2019, 2026)}/{r.randrange(10**5):05d}"),
        plain(pick(r, lexicon.AUTHORITIES)), vessel(r, s), flag_country(r, s.flag), port(r, allow_country=False),
        plain(code_no(r)), plain(s.callsign), imo(r, s) if chance(r, 0.8) else plain("N/A"), date(r),
        species_product(r)
        + (plain(f" / {pick(r, lexicon.FAO_CODES)}") if chance(r, 0.4) else []),
        hs(r), plain(f"{pick(r, lexicon.SEA_AREAS)}, ") + date_range(r), plain(weight(r)),
        vessel(r, carrier) if chance(r, 0.5) else [], date(r) if chance(r, 0.4) else [],
        port(r) if chance(r, 0.6) else [], date(r),
    ]
    head = plain(pick(r, heads))
    return head + render_fields(r, list(zip(keys, vals)), keep_order=0.8) + (filler(r) if chance(r, 0.3) else [])


def g_customs(r: Rng) -> Segs:
    """Customs import declaration with tariff lines."""
    s = new_ship(r)
    fields: list[Field] = [
        ("Declaration no.", plain(f"{r.randrange(19, 26)}{pick(r, ['ES', 'NL', 'DE', 'FR', 'US', 'JP'])}{r.randrange(10**9, 10**10)}")),
        ("Declarant", plain(company(r))), ("Importer", plain(f"{company(r)}, {pick(r, lexicon.CITIES)}")),
        ("Country of origin", plain(pick(r, lexicon.COUNTRIES))), ("Country of dispatch", plain(pick(r, lexicon.COUNTRIES))),
        ("Identity of means of transport at arrival", vessel(r, s, native=False)),
        ("Nationality of active means of transport crossing the border", flag_country(r, s.flag)),
        ("Port of entry", port(r, allow_country=False)), ("Date of acceptance", date(r)),
        ("Container", plain(container(r)) if chance(r, 0.6) else []),
        ("Catch certificate ref.", plain(code_no(r)) if chance(r, 0.5) else []),
    ]
    out = plain(pick(r, ["IMPORT DECLARATION (SAD)\n", "Customs entry summary\n", "DECLARACIÓN DE IMPORTACIÓN\n",
                     "Entry/Immediate Delivery — CBP Form 3461\n"])) + render_fields(r, fields, keep_order=0.6)
    if chance(r, 0.4):
        return out + tariff_table(r)
    out += plain(pick(r, ["\nTariff lines (CHAPTER 03):\n", "\nItems:\n", "\nGoods items\n"]))
    for i in range(r.randrange(1, 5)):
        out += plain(f"Item {i + 1}: ") + hs_line(r) + plain(f", net mass {weight(r)}, value {price(r)}")
        out += (plain(", duty rate ") + plain(f"{r.randrange(0, 25)}%") if chance(r, 0.5) else []) + plain("\n")
    if chance(r, 0.3):
        out += plain("Note: preferential origin claimed; ") + species(r) + plain(" from ") + plain(pick(r, lexicon.SEA_AREAS)) + plain(".\n")
    return out


# Tariff-table headers by language; the columns after the code and goods are masses and rates (all O).
TARIFF_HEADERS = (
    "Item | HS code | Description | Gross kg | Net kg | Duty % | VAT %",
    "Part. | Código mercancía (NC/TARIC) | Designación | Masa bruta kg | Masa neta kg | Derecho % | IVA %",
    "Art. | Code SH | Désignation | Masse brute kg | Masse nette kg | Droits % | TVA %",
    "Line | HTSUS no. | Description of merchandise | Gross wt | Net qty | Rate | Duty",
)


def tariff_table(r: Rng) -> Segs:
    """A pipe table of tariff lines: each code one span (spaced codes too); masses, duty and VAT stay O."""
    out: Segs = plain("\n" + pick(r, TARIFF_HEADERS) + "\n")
    for i in range(r.randrange(1, 5)):
        gross = r.randrange(500, 300_000)
        rate = pick(r, ["0,0 (AAE)", "Free", f"{r.randrange(0, 23)},{r.randrange(10)}", f"{r.randrange(0, 23)}.{r.randrange(10)} %", "0.0 (EPA)"])
        out += plain(f"{i + 1:<5} | ") + any_hs_code(r) + plain(" | ") + species_product(r)
        th = pick(r, [",", " ", "."])
        out += plain(f" | {gross:,} | {int(gross * 0.97):,}".replace(",", th) + f" | {rate} | {pick(r, ['10', '21', '4', '0.00', '7'])}\n")
    return out + plain(f"Total packages: {r.randrange(100, 3000)}      Invoice {code_no(r)}, {price(r)}\n")


def sanctions_entry(r: Rng, s: Ship) -> Segs:
    """A sanctions-list style one-line entry."""
    return para(entity(s.name.upper(), "VESSEL"), former_names(r, s) if s.former else plain(""), plain(" Vessel Registration Identification "),
                plain("IMO ") + entity(s.imo, "IMO"), plain(f"; MMSI {s.mmsi}; Vessel Flag "), flag_country(r, s.flag),
                plain("; Former Vessel Flag ") + flag_country(r, s.old_flag) if chance(r, 0.5) else [],
                plain(f"; Vessel Type {s.gear.title()}; (vessel) [{pick(r, ['SDGT', 'RUSSIA-EO14024', 'IUU', 'DPRK3'])}] "
                      f"(Linked To: {company(r).upper()}). Listed "), date(r), plain(".\n"))


def registry_record(r: Rng, s: Ship, listed: bool) -> Segs:
    """A registry extract as key/value fields (listed=True: an RFMO IUU-list entry)."""
    fields: list[Field] = [
        ("Name", vessel(r, s)), ("Previous names", para(*[entity(n, "VESSEL") + plain(", ") for n in s.former])[:-1] if s.former else []),
        ("IMO", imo(r, s, field=True)), ("Flag (current)", flag_country(r, s.flag)),
        ("Previous flags", flag_country(r, s.old_flag) if chance(r, 0.6) else []),
        ("Home port", port(r) if chance(r, 0.7) else []), ("Port of registry", port(r, allow_country=False) if chance(r, 0.4) else []),
        ("Call sign", plain(s.callsign)), ("MMSI", plain(s.mmsi)), ("Gross tonnage", plain(str(r.randrange(100, 9000)))),
        ("Year built", plain(str(r.randrange(1975, 2022)))), ("Owner", plain(f"{company(r)}, {pick(r, lexicon.CITIES)}")),
        ("Listing", plain(f"{pick(r, lexicon.RFMOS)} IUU Vessel List") if listed else plain("Registered")),
        ("Date of listing" if listed else "Date of registration", date(r)),
        ("Risk category", risk(r) if chance(r, 0.4) else []),
    ]
    head = plain(pick(r, ["REGISTRY EXTRACT\n", f"{pick(r, lexicon.RFMOS)} IUU VESSEL LIST — ENTRY\n", "Record of fishing vessels\n", ""]))
    return head + render_fields(r, fields, keep_order=0.7)


REGISTRY_ENTRIES: tuple[Callable[[Rng, Ship], Segs], ...] = (
    sanctions_entry,
    lambda r, s: registry_record(r, s, listed=True),
    lambda r, s: registry_record(r, s, listed=False),
)


def g_registry(r: Rng) -> Segs:
    """Vessel registry or sanctions-list entry."""
    s = new_ship(r)
    return pick(r, REGISTRY_ENTRIES)(r, s)


# Column name -> cell for one row's ship; the key order is the population r.sample draws the columns from.
TABLE_CELLS: dict[str, Callable[[Rng, Ship], Segs]] = {
    "Vessel": lambda r, s: entity(s.name, "VESSEL"),
    "IMO": lambda r, s: entity(s.imo, "IMO"),
    "Flag": lambda r, s: flag_country(r, s.flag),
    "Port": lambda r, s: port(r, allow_country=False),
    "Species": lambda r, s: species(r),
    "HS": lambda r, s: any_hs_code(r),
    "Risk": lambda r, s: entity(pick(r, ["HIGH", "MEDIUM", "LOW", "medium", "high", "low", "very high"]), "RISK_LEVEL"),
    "Date": lambda r, s: entity(rand_date(r).isoformat(), "DATE") if chance(r, 0.6) else date(r),
    "Built": lambda r, s: plain(str(r.randrange(1975, 2022))),
    "Open": lambda r, s: port(r, allow_country=False),
    "MMSI": lambda r, s: plain(s.mmsi),
    "Weight": lambda r, s: plain(weight(r)),
}


def g_table(r: Rng) -> Segs:
    """A plain-text table with padded columns."""
    cols = r.sample(list(TABLE_CELLS), r.randrange(4, 8))
    if "Vessel" not in cols:
        cols[0] = "Vessel"
    rows: list[list[Segs]] = []
    for _ in range(r.randrange(2, 9)):
        s = new_ship(r)
        rows.append([TABLE_CELLS[c](r, s) if chance(r, 0.93) else plain("-") for c in cols])
    widths = [max([len(c)] + [seg_len(row[i]) for row in rows]) for i, c in enumerate(cols)]
    sep = pick(r, [" | ", "  ", "\t", " ; "])
    out: Segs = plain(pick(r, ["", "Vessel screening results\n", "Table 2. Vessels of interest\n"]))
    out += plain(sep.join(c.ljust(w) for c, w in zip(cols, widths)).rstrip() + "\n")
    if sep == " | ":
        out += plain("-+-".join("-" * w for w in widths) + "\n")
    for row in rows:
        for i, cellsegs in enumerate(row):
            pad = widths[i] - seg_len(cellsegs)
            out += cellsegs + plain((" " * pad + sep) if i < len(row) - 1 else "\n")
    return out
