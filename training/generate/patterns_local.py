"""Hard-case sentences of the third error-analysis pass: plain-text tables, bilingual certificate fields,
local-language species, Chinese B/L blocks, and people, numbers and waters that stay O."""

from __future__ import annotations

from collections.abc import Callable

from training import lexicon

from .cargo import any_hs_code, cjk_product, gear_species, species, species_pair, species_plain
from .dates import date, date_text, rand_date
from .foreign import fill, local_species
from .layouts import aligned_table
from .noise import person
from .segments import Rng, Segs, chance, entity, joined, para, pick, plain
from .surface import any_flag, bare_port, flag_ml, imo_number, new_ship, op_vessel, risk_word, vessel_name


def _vessel(r: Rng) -> Segs:
    """A bare vessel name; a species/place look-alike 30% of the time, a trailing hull number a quarter of the time."""
    name = pick(r, lexicon.VESSEL_LOOKALIKES) if chance(r, 0.3) else vessel_name(r)[0]
    if chance(r, 0.25) and not name[-1].isdigit():  # table rows: 'Hai Rong 12' keeps its number
        name = f"{name} {r.randrange(1, 120)}"
    return entity(name.upper() if chance(r, 0.3) else name, "VESSEL")


def port_native(r: Rng) -> Segs:
    """'Qingdao (青岛)' or '大连 (Dalian)': both names are PORT spans, the brackets O."""
    name, native = pick(r, list(lexicon.PORT_NATIVE.items()))
    a, b = (name, native) if chance(r, 0.7) else (native, name)
    return entity(a, "PORT") + plain(" (") + entity(b, "PORT") + plain(")")


def short_date(r: Rng) -> Segs:
    """A yearless table date: '14 Mar', '14/03', '14 March'."""
    d = rand_date(r)
    m = lexicon.MONTHS[d.month - 1]
    return entity(pick(r, [f"{d.day} {m[:3]}", f"{d.day:02d}/{d.month:02d}", f"{d.day} {m}", f"{m[:3]} {d.day}"]), "DATE")


def port_history_table(r: Rng) -> Segs:
    """A PSC history table: the country column (O) sits right before the port column (PORT)."""
    rows = []
    for _ in range(r.randrange(2, 5)):
        name, country = pick(r, lexicon.PORTS)
        d = rand_date(r)
        rows.append([entity(f"{d.day:02d}/{d.month:02d}/{d.year}", "DATE"), plain(country), entity(name, "PORT"),
                     plain(pick(r, ["N", "Y", "N", "no", "yes"])), plain(pick(r, ["Paris MoU", "Tokyo MoU", "Abuja MoU", "Indian Ocean MoU", "USCG", "Viña del Mar", "Black Sea MoU"])),
                     plain(str(r.randrange(0, 15)))])
    header = [pick(r, ["Date", "Inspection date", "Date of report"]), pick(r, ["Country", "Port State", "State"]), pick(r, ["Port", "Place", "Port of inspection"]),
              pick(r, ["Detained", "Detention"]), pick(r, ["Regime", "PSC organisation", "MoU"]), pick(r, ["Deficiencies", "Def."])]
    return para(plain(pick(r, ["PORT STATE CONTROL HISTORY\n", "Inspections (last 36 months)\n", ""])), aligned_table(r, header, rows))


# Fleet-table columns: (header, cell); the vessel column always comes first.
FLEET_COLUMNS: tuple[tuple[str, Callable[[Rng], Segs]], ...] = (
    ("Vessel", _vessel),
    ("IMO", lambda r: entity(imo_number(r), "IMO")),
    ("Flag", any_flag),
    ("Built", lambda r: plain(str(r.randrange(1984, 2021)))),
    ("Cap. cbft", lambda r: plain(f"{r.randrange(150, 620)},{r.randrange(10) * 100:03d}")),
    ("Last port", bare_port),
    ("ETA", short_date),
    ("Cargo", species_plain),
    ("Risk", risk_word),
)


def fleet_table(r: Rng) -> Segs:
    """A reefer fleet table: look-alike names, flags, ports, yearless dates and species side by side."""
    cols = [0] + sorted(r.sample(range(1, len(FLEET_COLUMNS)), r.randrange(5, len(FLEET_COLUMNS))))
    rows = [[FLEET_COLUMNS[c][1](r) for c in cols] for _ in range(r.randrange(2, 5))]
    return aligned_table(r, [FLEET_COLUMNS[c][0] for c in cols], rows)


# MMSI maritime identification digits of some flags ('Flag (from MMSI MID 412): China').
MMSI_MID = {"China": "412", "Panama": "352", "Liberia": "636", "Republic of Korea": "440", "Taiwan": "416", "Russia": "273",
            "Norway": "257", "Spain": "224", "Vanuatu": "576", "Togo": "671", "Cameroon": "613", "Belize": "312"}


def flag_roles(r: Rng) -> Segs:
    """Flags as a 'since' table, from an MMSI prefix, after a slash in a transport field, or 'under X registration'."""
    def since_table() -> Segs:
        rows = []
        for _ in range(r.randrange(2, 5)):
            d = rand_date(r)
            rows.append([any_flag(r), plain("since ") + entity(f"{d.month:02d}/{d.year}", "DATE")])
        return plain(pick(r, ["Flag history\n", "Registry record\n", ""])) + aligned_table(r, [pick(r, ["Flag", "Flag State"]), "Period"], rows)

    def mid() -> Segs:
        country, m = pick(r, list(MMSI_MID.items()))
        return plain(f"Flag (from MMSI MID {m}): ") + entity(country, "FLAG") + plain(f"\nVessel type: {pick(r, lexicon.GEARS)}\n")

    def transport() -> Segs:
        return plain(pick(r, ["Means of transport crossing the border: ", "Vessel / flag: ", "Buque / Bandera: "])) + entity(op_vessel(r).upper(), "VESSEL") \
            + plain(" / ") + entity(lexicon.FLAGS[r.randrange(len(lexicon.FLAGS))][0].upper(), "FLAG") + plain(f"   Office of entry: {pick(r, lexicon.CITIES)}\n")

    def registration() -> Segs:
        _, adj, _ = pick(r, [f for f in lexicon.FLAGS if f[1]])
        return plain(pick(r, ["It now fishes as ", "The carrier reappeared as ", "Crew said she sailed as "])) + _vessel(r) \
            + plain(pick(r, [", apparently under ", ", now under ", " under "])) + entity(adj, "FLAG") + plain(" registration.")
    return pick(r, [since_table, mid, transport, registration])()


def _vessel_flag_es(r: Rng) -> Segs:
    return _vessel(r) + plain(pick(r, [", pabellón ", ", bandera ", ", de pabellón "])) + flag_ml(r)


# Bilingual certificate keys and their values; keys with an O value teach the words around them.
BILINGUAL_FIELDS: tuple[tuple[str, Callable[[Rng], Segs]], ...] = (
    ("Fartøyets navn / Name", _vessel),
    ("Flaggstat / Flag", lambda r: entity(pick(r, lexicon.FLAG_NAMES_NORDIC), "FLAG")),
    ("Hjemmehavn / Home port", bare_port),
    ("Landingshavn / Port of landing", bare_port),
    ("Lisens / Licence", lambda r: plain(f"konsesjon for {pick(r, ['reketrål', 'linefiske', 'snurpenot', 'seitrål'])} nr. {pick(r, 'RLSN')}-{r.randrange(10000):04d}")),
    ("Transport", lambda r: plain(f"{pick(r, ['kjølebil / reefer truck', 'frysebil', 'kølebil / reefer truck', 'camión frigorífico'])}, reg. {pick(r, ['VE', 'BT', 'DK', 'NL'])} {r.randrange(10000, 99999)}")),
    ("Destinasjon / destination", lambda r: plain(f"{pick(r, lexicon.INLAND_CITIES)} ({pick(r, ['NL', 'DE', 'FR', 'PL', 'ES', 'IT'])})")),
    ("Buque de captura / Catching vessel", _vessel_flag_es),
    ("nacionalidad / nationality", lambda r: entity(pick(r, lexicon.FLAG_NAMES_ES), "FLAG")),
    ("Puerto de descarga / Port of unloading", lambda r: port_native(r) if chance(r, 0.25) else bare_port(r)),
    ("Lugar de carga / Place of loading", bare_port),
    ("Puerto de desembarque / Port of landing", bare_port),
    ("Nom du navire / Name of vessel", _vessel),
    ("Pavillon / Flag", any_flag),
    ("Port de débarquement / Port of landing", bare_port),
    ("Nama kapal / Vessel name", _vessel),
    ("Bendera / Flag", lambda r: entity(pick(r, ["Indonesia", "INDONESIA", "Republik Indonesia", "Filipina", "Papua Nugini"]), "FLAG")),
    ("Pelabuhan pangkalan / Home port", bare_port),
    ("Port of unloading", port_native),
)


def bilingual_cert_fields(r: Rng) -> Segs:
    """'Flaggstat / Flag: Norge', 'Puerto de descarga / Port of unloading: Vigo': each value ends at the gap or line end."""
    out: Segs = []
    keys = r.sample(range(len(BILINGUAL_FIELDS)), r.randrange(3, 6))
    for i, k in enumerate(keys):
        key, value = BILINGUAL_FIELDS[k]
        out += plain(f"{i + 1}. " if chance(r, 0.2) else "") + plain(key + pick(r, [": ", ": ", " : ", ":  "])) + value(r)
        out += plain("\n" if i == len(keys) - 1 or chance(r, 0.6) else "    ")
    return out


def species_triple(r: Rng) -> Segs:
    """'Sei / saithe (Pollachius virens)': three SPECIES spans."""
    local, en, sci = pick(r, lexicon.SPECIES_TRIPLES)
    return entity(local, "SPECIES") + plain(" / ") + entity(en, "SPECIES") + plain(" (") + entity(sci, "SPECIES") + plain(")")


def catch_species_rows(r: Rng) -> Segs:
    """Bilingual catch-certificate product rows: species triple, HS code, area (O) and dates, live weight (O)."""
    header = pick(r, [["Art / Species", "Varekode / HS", "Område og dato / Area and dates", "Levende vekt (kg)"],
                      ["Especie / Species", "Código SA / HS code", "Zona y fechas / Area and dates", "Peso vivo (kg)"],
                      ["Jenis ikan / Species", "Kode HS", "Wilayah / Area", "Berat (kg)"]])
    rows = []
    for _ in range(r.randrange(1, 4)):
        a = rand_date(r)
        area = pick(r, ["ICES IIa", "ICES I og IIb", "FAO 27.2.a", "NAFO 1F", "FAO 34.1.3", "zona FAO 41", "WPP 715", "FAO 71"])
        rows.append([species_triple(r), any_hs_code(r),
                     plain(area + ", ") + date_text(r, a) + plain("–") + date_text(r, rand_date(r)), plain(f"{r.randrange(1, 300)} {r.randrange(1000):03d}")])
    return aligned_table(r, header, rows)


def local_species_line(r: Rng) -> Segs:
    """Local-language species in running text and lists, lower-case, odd spacing around the commas."""
    lang = pick(r, list(lexicon.SPECIES_LOCAL))
    return pick(r, [
        lambda: para(plain(pick(r, ["Regulering av fisket etter ", "Kvoter for ", "Bifangst av ", "Fangst: "])),
                     joined(r, [local_species(r, "no") for _ in range(r.randrange(2, 4))], " og "), plain(f" i {r.randrange(2019, 2027)}.\n")),
        lambda: para(plain(pick(r, ["Especies objetivo: ", "Especies: ", "Capturas declaradas: "])),
                     joined(r, [local_species(r, "es") for _ in range(r.randrange(2, 4))], pick(r, [" , ", ", ", " ; "])), plain(pick(r, [" ; sin capturas a bordo.\n", ".\n", " ;\n"]))),
        lambda: para(plain(f"Lot {r.randrange(10, 99)}-{r.randrange(1000, 9999)} berisi "), local_species(r, "id"), plain(pick(r, [" (skipjack) dan ", " dan ", ", "])),
                     local_species(r, "id"), plain(" dari "), bare_port(r), plain(".\n")),
        lambda: para(plain(f"{pick(r, ['Varen', 'Partiet', 'Lasten', 'Lote de', 'Partie'])} "), local_species(r, lang), plain(pick(r, [" er sendt", " congelado", " ", " om bord"])),
                     plain(f", {r.randrange(5, 900)} t.\n")),
    ])()


def cjk_company(r: Rng) -> str:
    """'舟山明海水产有限公司 Zhoushan Minghai Aquatic Products Co., Ltd.': a company with a port and trade words (O)."""
    city, word = pick(r, lexicon.CJK_COMPANY_CITIES), pick(r, lexicon.CJK_COMPANY_WORDS)
    return f"{city}{word}有限公司 {lexicon.CJK_CITY_PINYIN[city]} {lexicon.CJK_COMPANY_PINYIN[word]} Co., Ltd."


def cjk_bl_block(r: Rng) -> Segs:
    """A bilingual Chinese B/L: parties and form labels O, ports with native names, glued species in the goods line."""
    town = pick(r, lexicon.PORTS)[0] if chance(r, 0.5) else pick(r, lexicon.INLAND_CITIES)
    delivery = plain(f"{pick(r, lexicon.INLAND_CITIES)}, by truck") if chance(r, 0.3) else bare_port(r)
    return para(plain(f"托运人 Shipper: {cjk_company(r)}\n通知人 Notify: {pick(r, lexicon.COMPANIES_LOCAL)}, {town}, {pick(r, lexicon.COUNTRIES)}\n"),
                plain("船名航次 Ocean vessel / Voy. No.: "), entity(op_vessel(r), "VESSEL"), plain(f" / {r.randrange(100, 999)}{pick(r, 'NSEW')}\n"),
                plain("装货港 Port of loading: "), port_native(r), plain("\n卸货港 Port of discharge: "), bare_port(r),
                plain("\n交货地 Place of delivery: "), delivery,
                plain("\n唛头 Marks   件数 Pkgs   货物描述 Description   毛重 G.W. (kg)   尺码 Meas. (m³)\n"),
                plain(f"N/M   {r.randrange(100, 3000):,} CTNS   "), cjk_product(r), plain(" FROZEN "), species(r, upper=True), plain(f"   {r.randrange(5000, 30000):,}   {r.randrange(20, 70)}.{r.randrange(10)}\n"),
                plain(f"运费 Freight: {pick(r, ['PREPAID', 'COLLECT'])}   正本提单份数 No. of original B/L: THREE (3)   签发日期 Date of issue: "), date(r), plain("\n"))


def _number_line(r: Rng) -> str:
    """A licence, registration, measure, quotation or booking number with a year inside it (O)."""
    y, prov = r.randrange(2016, 2027), pick(r, ["浙岱", "闽", "辽大", "粤", "鲁荣", "浙普"])
    return pick(r, [
        f"Fishing licence No.: {prov[:1]}远渔许({y}){pick(r, 'GZHF')}-{r.randrange(10**5):05d}",
        f"Registration number: CHINA – {pick(r, list(lexicon.CJK_CITY_PINYIN.values())).upper()} – {prov}渔(远)({y}){r.randrange(10**6):06d}",
        f"Conservation measure: {pick(r, lexicon.RFMOS)} CMM {r.randrange(1, 25):02d}-{y}",
        f"Resolution {y % 100:02d}/{r.randrange(1, 20):02d} applies",
        f"Matrícula: {r.randrange(1, 4)}ª-{pick(r, ['CO', 'GI', 'LP', 'CA', 'HU'])}-{r.randrange(1, 9)}-{r.randrange(1, 99):02d}-{y % 100:02d}",
        f"QUOTATION Q-{y}-{r.randrange(1, 13):02d}{r.randrange(1, 29):02d}",
        f"Booking No. {pick(r, ['RTM', 'ALG', 'PUS', 'LPA'])}{r.randrange(10**7):07d}     B/L No. {pick(r, ['MEDU', 'CMDU', 'MAEU', 'ONEY', 'EGLV'])}{r.randrange(10**8):08d}",
        f"Ref. {pick(r, ['TRX', 'ENC', 'GAP', 'LOI'])}-{pick(r, ['ATL', 'IND', 'SPAC'])}-{y}-{r.randrange(1, 13):02d}-{r.randrange(10**4):04d}",
    ])


def people_and_numbers(r: Rng) -> Segs:
    """Officers, analysts and masters after a role, sites named after species or places, numbers with years: all O
    (a species naming the processing, 'tuna loining', is a span)."""
    who = pick(r, lexicon.PEOPLE_LOCAL + [person(r)])
    tail = pick(r, [f" (ID {r.randrange(1000, 9999)})", f", Supplier Quality, for {pick(r, lexicon.COMPANIES)}", " — signature — seal", ""])
    out = plain("Supplier site visit (") + entity(pick(r, ["tuna", "skipjack", "sardine", "shrimp", "squid"]), "SPECIES") \
        + plain(pick(r, [" loining and canning)\n", " processing)\n", " cold store)\n"])) if chance(r, 0.25) else []
    out += plain(f"{pick(r, lexicon.PEOPLE_ROLES_LOCAL)}: {who}{tail}\n")
    if chance(r, 0.5):
        out += plain(f"Site: {pick(r, lexicon.COMPANIES_LOCAL)}, {pick(r, ['Kawasan Industri Perikanan', 'Zona Franca', 'Havnegata 4', 'Zone de pêche'])}, {pick(r, lexicon.PORTS)[0]}\n")
    out += plain(_number_line(r) + "\n")
    if chance(r, 0.5):
        out += plain(pick(r, ["Valid to: ", "Fecha: ", "Dato: ", "Date: "])) + date(r) + plain("\n")
    return out


def waters_not_flags(r: Rng) -> Segs:
    """Countries that bound waters ('between the X and Y EEZs', 'ZEE argentina', 'EEZ of X') stay O; the port is a span."""
    a, b = (lexicon.FLAGS[r.randrange(len(lexicon.FLAGS))][0] for _ in range(2))
    adj = pick(r, ["argentina", "chilena", "peruana", "mauritanienne", "sénégalaise", "marroquí", "guinéenne"])
    return para(plain(pick(r, [f"Position: high seas pocket between the {a} and {b} EEZs. ", f"Nearest EEZ boundary: {a}, {r.randrange(1, 40)}.{r.randrange(10)} nm. ",
                               f"Faenan junto al límite de la ZEE {adj}. ", f"Zone de capture : ZEE {adj}, FAO 34. ", f"Fished inside the EEZ of {a}. "])),
                plain(pick(r, ["AIS destination before gap: ", "Destination: ", "Puerto de destino: "])), *_same_port_twice(r))


def _same_port_twice(r: Rng) -> list[Segs]:
    name = pick(r, lexicon.PORTS)[0]
    name = name.upper() if chance(r, 0.4) else name
    if chance(r, 0.5):
        return [entity(name, "PORT"), plain(pick(r, ["      after gap: ", "   after gap: "])), entity(name, "PORT"), plain("\n")]
    return [entity(name, "PORT"), plain(".\n")]


def port_mail_lineup(r: Rng) -> Segs:
    """'Subject: RE: ETA <port> / ...' and a line-up for a port with ships named in it and in 'after the X'."""
    a, b = _vessel(r), _vessel(r)
    return para(plain(pick(r, ["Subject: RE: ETA ", "Subject: ETA ", "Emne: ETA ", "Asunto: RE: ETA "])), bare_port(r),
                plain(pick(r, [" / discharge of ", " — ", " / "])), species_plain(r), plain("\n"),
                plain(pick(r, ["Line-up (revised) for ", "Berth schedule for ", "Line-up at ", "Programa de atraques en "])), bare_port(r), plain(":\n"),
                plain("1. "), a, plain(f" (IMO{imo_number(r)}) - ETA "), short_date(r), plain(pick(r, [", berth 4. Three gangs booked.\n", ", discharging to cold store.\n", ".\n"])),
                plain("2. "), b, plain(pick(r, [" - at the anchorage, berthing ", " - remains at anchor, alongside ", " - waiting, due "])),
                plain(pick(r, lexicon.WEEKDAYS)), plain(" once the "), a, plain(pick(r, [" has sailed.\n", " is done.\n", " has completed.\n"])))


def encounter_names(r: Rng) -> Segs:
    """Encounter blocks: 'Name:' values with trailing numbers or Hangul, quoted a.k.a./f.k.a. names, 'the X' in the note."""
    s = new_ship(r)
    carrier = f"{pick(r, lexicon.ENGLISH_ADJ)} {pick(r, lexicon.ENGLISH_NOUN)} {r.randrange(1, 30)}".upper()
    second = entity(s.name, "VESSEL") + (plain(" / ") + entity(s.native, "VESSEL") if s.native else [])
    aliases = plain(' (a.k.a. "') + entity(vessel_name(r)[0].upper(), "VESSEL") + plain('"; f.k.a. "') + entity(vessel_name(r)[0].upper(), "VESSEL") + plain('")')
    return para(plain("Vessel 1 (carrier)   Name: "), entity(carrier, "VESSEL"), plain(f"      IMO: {imo_number(r)}\n"),
                plain("Vessel 2 (fishing)   Name: "), second, aliases if chance(r, 0.4) else [], plain("      Flag: "), any_flag(r), plain("   Type: "), gear_species(r), plain("\n"),
                plain(pick(r, ["Analyst note: after the encounter the ", "Note: the ", "Comment: afterwards the "])), entity(carrier, "VESSEL"),
                plain(pick(r, [" set course for ", " headed to ", " turned towards "])), bare_port(r), plain(".\n"))


def origin_price_table(r: Rng) -> Segs:
    """A price list whose country-of-origin column stays O; species and dates are spans."""
    rows = [[species_pair(r) if chance(r, 0.5) else species_plain(r), plain(pick(r, lexicon.COUNTRIES)), plain(pick(r, ["200-300 g", "M/L", "31/40", "single/double", "2-4 kg"])),
             plain(pick(r, ["2 x 10 kg", "vac. 10 kg", "25 kg bag", "6 x 1.8 kg"])), plain(f"{r.randrange(1, 40)}.{r.randrange(100):02d}")] for _ in range(r.randrange(2, 5))]
    head = plain(f"QUOTATION Q-{r.randrange(2019, 2027)}-{r.randrange(1, 13):02d}{r.randrange(1, 29):02d} — {pick(r, lexicon.COMPANIES_LOCAL)} — valid until ") + date(r) + plain("\n")
    return head + aligned_table(r, ["Product", "Origin", "Size", "Packing", pick(r, ["EUR/kg", "USD/kg", "Price"])], rows)


# The long blocks share two rows of the hard-case table, so the corpus keeps about its size.
TABLE_BLOCKS: tuple[Callable[[Rng], Segs], ...] = (port_history_table, fleet_table, catch_species_rows, cjk_bl_block, origin_price_table)


def table_block(r: Rng) -> Segs:
    """One of the plain-text table blocks above."""
    return pick(r, TABLE_BLOCKS)(r)


# ---------------------------------------------------------------- fourth error-analysis pass: PORT recall
# Port contexts the served model still missed, as new invented sentences with the slots of foreign.fill:
# trade terms, 'Port of X' headings, ETA subjects, terse 'origin X' notes, registration lines, prose of news
# and NGO reports, AIS destinations in capitals, inspection and next-call fields.
PORT_PHRASES: tuple[str, ...] = (
    "Sales terms: CFR {P}, insurance for the buyer's account, loading {D}",
    "We can release 18 t at EUR 6.10/kg FCA {P}, offer valid until Friday.",
    "Offer basis FOB {P}; the buyer would rather take it CIF {P} if the freight allows.",
    "Basis C&F {P}, one 40' reefer, shipment {D}.",
    "{H}\nBerth allocation and line-up, week of {D}",
    "{H} — harbour master's notice to fishing vessels",
    "Subject: Fwd: revised ETA {P} (customs papers attached)",
    "Subject: ETA {P} — cold store booking",
    "Pallet 7 — {S}, origin {P}, probe reading fine",
    "origin {P} per packing list; two cartons crushed",
    "Registry (state — port — number): {F} — {U} — {R}",
    "Home port / registration: {P} — {R}",
    "Much of the {S} ends up in {P}, moved there on carriers loaded at sea.",
    "Cargo is split between {P} and {P}; a smaller share comes ashore at {P} and is trucked to {T}.",
    "Its AIS destination field read \"{U}\" on every position report of the voyage.",
    "Last dest: {U} | gap so far: 11 h",
    "Declared next call: {P}",
    "Previous inspection {D} at {P}, no detention",
    "Carrier held at {P} while the {S} paperwork is checked",
    "Box 3. Pair trawlers out of {P}",
    "Crew described selling the catch on the quay at {P} before dawn.",
    "Both documents name {P} as the place of landing; the track data disagree.",
    "Former home port {P}; re-flagged in {D}.",
    "Expected at {P} this week: two reefers, one of them discharging {S}.",
    "{P} authorities said the carrier would stay alongside until the catch documents were checked.",
    "{S} for fishmeal, bought by the reduction plant at {P}.",
)


def port_phrase(r: Rng) -> Segs:
    """One or two port contexts from PORT_PHRASES (English), filled with port, species, date, flag and vessel slots."""
    out: Segs = []
    for t in r.sample(PORT_PHRASES, r.randrange(1, 3)):  # two a time half the time: PORT recall is the weak point
        out += fill(r, t, "no") + plain("\n")
    return out


# Tariff headings as the species they name ('Tunas, in vegetable oil: skipjack ...'): the heading word is one span.
TARIFF_HEADINGS = ("Tunas", "Sardines", "Mackerels", "Squid", "Octopus", "Crabs", "Scallops", "Shrimps and prawns",
                   "Hake", "Cod", "Toothfish", "Anchovies", "Cuttlefish")
TARIFF_PREPARATIONS = ("in vegetable oil", "in brine", "whole or in pieces, not minced", "frozen", "smoked", "in airtight containers")


def tariff_heading_line(r: Rng) -> Segs:
    """'1604.14.1010 — Tunas, in vegetable oil: skipjack (Katsuwonus pelamis)': heading word and species are spans."""
    head = pick(r, TARIFF_HEADINGS)
    head = head.lower() if chance(r, 0.3) else head
    return para(plain(pick(r, ["Commodity code ", "Item 1  ", "HS ", ""])), any_hs_code(r),
                plain(pick(r, [" — ", " ", " | "]) + pick(r, ["", "Frozen ", "Prepared "])), entity(head, "SPECIES"),
                plain(f", {pick(r, TARIFF_PREPARATIONS)}" + pick(r, [": ", " — "])), species_pair(r), plain("\n"))
