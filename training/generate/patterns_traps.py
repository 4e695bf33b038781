"""Hard-case sentences about lookalikes that stay O: years, countries, companies, codes, cities."""

from __future__ import annotations

from training import lexicon

from .cargo import any_hs_code, species, species_list, species_plain
from .dates import date, rand_date
from .layouts import mini_table
from .noise import address, company_tricky, emo, lot_noise, person, price, weight, year_noise
from .segments import Rng, Segs, chance, entity, para, pick, plain, upper_first
from .surface import any_flag, bare_port, flagged, op_vessel, ship_any, vessel_name


def year_and_cape_traps(r: Rng) -> Segs:
    """Years, year ranges and capes in prose: all O."""
    where = f"{r.randrange(3, 90)} nm {pick(r, ['south-west', 'north-east', 'west', 'south', 'NNW'])} of Cape {pick(r, ['Blanc', 'Verde', 'Horn', 'Agulhas', 'Palmas', 'Lopez'])}"
    return plain(f"{pick(r, lexicon.NGOS + ['Analysts', 'Traders'])}: {pick(r, ['volumes rose', 'prices fell', 'landings doubled', 'the fleet grew'])} {year_noise(r)}, "
                 f"{pick(r, ['compared with', 'after', 'ahead of'])} {year_noise(r)}; {pick(r, ['the gap began', 'lights were seen', 'a patrol sighted it'])} {where}.")


def company_address(r: Rng) -> Segs:
    """A company named after a port or species, at a postal address: all O."""
    return plain(f"{pick(r, ['Owner', 'Buyer', 'Supplier', 'Consignee', 'Exporter'])}: {company_tricky(r)}, {address(r)}.")


def countries_not_flags(r: Rng) -> Segs:
    """Countries, regions and nationalities that are not flags."""
    return para(plain(f"{pick(r, ['Note:', 'Background:', 'History:'])} {pick(r, ['built in', 'destined for', 'trucked to', 'sold to buyers in', 'off the coast of'])} "
                      f"{pick(r, lexicon.COUNTRIES)}; operating off {pick(r, lexicon.REGIONS)} and near {pick(r, lexicon.COUNTRIES)}'s EEZ, "
                      f"crossing into {pick(r, lexicon.NATIONALITIES + ['Argentine', 'Chilean', 'Mauritanian'])} waters."))


def product_phrase_traps(r: Rng) -> Segs:
    """Product forms and grades next to a species stay O."""
    return para(species(r), plain(f": {pick(r, lexicon.PRODUCT_PHRASES)} / {pick(r, lexicon.PRODUCT_PHRASES)}; "
                                  f"{pick(r, ['offcuts to', 'rejects go to', 'trimmings for', 'grade A, not'])} {pick(r, ['fishmeal', 'canning', 'sashimi', 'fish oil', 'bait'])}."))


def emoji_chat_line(r: Rng) -> Segs:
    """A chat line with emoji, lot numbers and risk-like words."""
    return para(plain(emo(r)), species(r), plain(f" x{r.randrange(1, 40)} — {lot_noise(r)} {emo(r)}"),
                plain(pick(r, ["ship ", "ex ", "on "])), ship_any(r),
                plain(f" | {lot_noise(r)} {emo(r)}{pick(r, ['checked', 'pending', 'missing doc'])} "),
                plain(pick(r, ["→ ", "", "=> "])), plain(pick(r, lexicon.RISK_TRAPS)), plain("."))


def signature_traps(r: Rng) -> Segs:
    """Signatures with East-Asian-order names, companies and addresses: all O."""
    return plain(f"{pick(r, ['Signed', 'Checked', 'Approved', 'Stamped'])}: {pick(r, lexicon.ASIAN_PEOPLE)} / {person(r)}; {pick(r, lexicon.RISK_TRAPS)} {pick(r, ['later', 'if unclear'])}. "
                 f"{pick(r, ['Contact', 'Attn', 'cc'])}: {pick(r, lexicon.ASIAN_PEOPLE)}, {company_tricky(r)}, {address(r)}.")


def inland_destination(r: Rng) -> Segs:
    """An inland place of delivery (O) beside the port of discharge."""
    return para(plain(pick(r, ["Notify: SAME AS CONSIGNEE. ", "NOTIFY - SAME AS CONSIGNEE; ", "Sea Waybill. ", "Consignee: TO ORDER. "])),
                plain(f"{pick(r, ['Final destination', 'Place of delivery', 'Delivery to'])}: {pick(r, lexicon.INLAND_CITIES)}{pick(r, ['', ' (inland)', ' by rail'])}. "),
                plain(pick(r, ["Port of discharge: ", "POD ", "Unloading port: "])), bare_port(r), plain("."))


def risk_band_traps(r: Rng) -> Segs:
    """Two risk levels in a sentence with risk-like words that stay O."""
    a, b = pick(r, [("low", "medium"), ("medium", "high"), ("LOW", "HIGH"), ("Medium", "High")])
    return para(plain(f"{pick(r, ['Rating ', 'Score band: ', 'risk ', 'Social: '])}"), entity(a, "RISK_LEVEL"),
                plain(f" for {pick(r, ['most lots', 'all suppliers', 'the batch'])}; {lot_noise(r)} rated "),
                entity(b, "RISK_LEVEL"), plain(f" — {pick(r, lexicon.RISK_TRAPS)} {pick(r, ['pending docs', 'by Friday'])}."))


def foreign_species_subject(r: Rng) -> Segs:
    """A subject line with a foreign and an English species name and a bare month."""
    return para(plain(pick(r, ["Re: ", "Subject: ", "FW: ", "Offer — "])), entity(pick(r, lexicon.SPECIES_FOREIGN), "SPECIES"), plain(pick(r, [" / ", " = ", " ("])),
                species_plain(r), plain(pick(r, [" samples, ", " offer ", " ETA "])), entity(pick(r, lexicon.MONTHS), "DATE"), plain(f" {emo(r).strip()}"))


def mini_table_block(r: Rng) -> Segs:
    """A captioned mini table of mixed entity columns."""
    return para(plain(f"{pick(r, ['Watchlist', 'Screening', 'Fleet overview', 'Carriers'])} — {pick(r, lexicon.REGIONS)}, {year_noise(r)}\n"), mini_table(r))


def detention_news(r: Rng) -> Segs:
    """A news-style detention sentence with port, flag and ship."""
    return para(plain(pick(r, ["Officials in ", "Authorities at ", "Inspectors in ", "Port officers in ", "Coast guard units in "])), bare_port(r),
                plain(pick(r, [" detained the ", " boarded the ", " held the ", " inspected the "])), flagged(r, r.randrange(len(lexicon.FLAGS))),
                plain(f" {pick(r, lexicon.GEARS)} "), ship_any(r), plain(f" {pick(r, ['on', 'last', 'this'])} {pick(r, lexicon.WEEKDAYS)}."))


def price_movement(r: Rng) -> Segs:
    """A price movement for a species, with years that stay O."""
    verb = pick(r, ["rose", "fell", "climbed", "dropped", "jumped", "slipped", "rose sharply", "eased"])
    return para(plain(pick(r, ["Prices for ", "Prices of ", "Imports of ", "Landings of ", ""])), species_plain(r, chance(r, 0.15)),
                plain(f" {pick(r, ['prices ', '']) }{verb} {pick(r, ['to ' + price(r), 'by ' + str(r.randrange(2, 40)) + '%'])} {year_noise(r)}."))


def news_dateline(r: Rng) -> Segs:
    """A headline and dateline: the dateline city stays O."""
    sp = species_plain(r)
    title = entity(sp[0][0][0].upper() + sp[0][0][1:], "SPECIES")
    return para(title, plain(pick(r, [" carrier held in ", " cargo seized in ", " shipment stopped at ", " trawler detained at "])), bare_port(r),
                plain("\n\n"), plain(pick(r, lexicon.CITIES + [x[0] for x in lexicon.PORTS]).upper() + ", "), date(r), plain(" — "),
                plain(pick(r, ["Officials said ", "Police confirmed ", "Reports say "])), plain(f"the ship arrived {pick(r, lexicon.WEEKDAYS)}."))


def feeder_booking(r: Rng) -> Segs:
    """A booking on a container-line ship with a voyage number."""
    return para(plain(pick(r, ["Booked on ", "Rolled from ", "Next sailing: ", "Feeder: ", "Mother vessel "])), entity(op_vessel(r), "VESSEL"),
                plain(f" {pick(r, ['voy', 'V.', ''])} {r.randrange(1, 9999):04d}-{r.randrange(1, 999):03d}{pick(r, 'NSEW')}, "), plain(pick(r, ["delayed. ", "cut-off Friday. ", ""])),
                plain(pick(r, ["POD: ", "to "])), bare_port(r), plain(f", {pick(r, lexicon.COUNTRIES)}."))


def register_change(r: Rng) -> Segs:
    """A move between flag registers, with years that stay O."""
    name, adj, _ = lexicon.FLAGS[r.randrange(len(lexicon.FLAGS))]
    return para(plain(pick(r, ["sold out of the ", "moved to the ", "deleted from the ", "re-registered in the ", "entered the "])),
                entity(adj or name, "FLAG"), plain(f" {pick(r, ['register', 'registry', 'ship register'])} {year_noise(r)}; "),
                species_plain(r, chance(r, 0.1)) if chance(r, 0.5) else plain("cargo"), plain(" declared only."))


def build_crew_owner_countries(r: Rng) -> Segs:
    """Build country, crew nationality and owner country beside the real flag."""
    return para(ship_any(r), plain(", "), flagged(r, r.randrange(len(lexicon.FLAGS))),
                plain(f" {pick(r, lexicon.GEARS)}, built {r.randrange(1975, 2020)} in {pick(r, lexicon.COUNTRIES)}"),
                (plain(" as ") + entity(vessel_name(r)[0], "VESSEL")) if chance(r, 0.4) else plain(""),
                plain(f"; crew of {r.randrange(8, 60)}, mostly {pick(r, lexicon.NATIONALITIES)}"
                      f"{pick(r, ['', ' and ' + pick(r, lexicon.NATIONALITIES)])}; "
                      f"{pick(r, ['owned from', 'managed from', 'beneficial owner in', 'insured in'])} {pick(r, lexicon.COUNTRIES)}."))


def carrier_brands(r: Rng) -> Segs:
    """Shipping lines alone are O; a line's ship name and its voyage number."""
    return para(plain(f"{pick(r, ['Carrier preference: ', 'Carriers: ', 'Line: ', 'Booked with '])}{pick(r, lexicon.CARRIER_BRANDS)}"
                      f"{pick(r, [' or ', ' / ', ', else '])}{pick(r, lexicon.CARRIER_BRANDS)}. "),
                plain(pick(r, ["Last sailing we had ", "Previous lot went on ", "Cargo rolled from ", "Now on "])), entity(op_vessel(r), "VESSEL"),
                plain(f" {r.randrange(1, 9999):04d}-{r.randrange(1, 999):03d}{pick(r, 'NSEW')}{pick(r, ['', ', which rolled twice', ', delayed'])}. "),
                plain(pick(r, ["Discharge: ", "POD ", "To "])), bare_port(r), plain("."))


def city_not_port(r: Rng) -> Segs:
    """A port city in a role that is not a port, next to a real port."""
    city = pick(r, lexicon.PORTS)[0]
    return para(plain(upper_first(pick(r, lexicon.CITY_ROLES).format(city)) + pick(r, [" confirmed the order", " asked for the papers", " is closed", " called"])
                      + f" {pick(r, lexicon.WEEKDAYS)}; the cargo {pick(r, ['loads at', 'discharges at', 'goes via', 'ships from'])} "), bare_port(r), plain("."))


def codes_beside_entities(r: Rng) -> Segs:
    """Codes and registration numbers beside real entities."""
    return para(plain(f"{pick(r, ['Port code', 'District', 'Office code'])} {r.randrange(1000, 9999)} ("), bare_port(r),
                plain(f"); {pick(r, ['IOTC No.', 'Reg. No.', 'Licence', 'Record'])}: {r.randrange(2010, 2026)}-{r.randrange(1, 99):02d}; "
                      f"{pick(r, ['entry', 'line', 'item'])} {r.randrange(1, 999):03d}; {lot_noise(r)}; HS "), any_hs_code(r), plain("."))


def policy_countries_unknown_flag(r: Rng) -> Segs:
    """Countries in policy and geography; unknown flags; named operations."""
    country = pick(r, lexicon.COUNTRIES + [f[0] for f in lexicon.FLAGS])
    lead = plain(f"{country} {pick(r, ['joined the FAO Port State Measures Agreement', 'ratified the PSMA', 'tightened landing checks', 'banned at-sea transshipment'])}"
                 f" {year_noise(r)}; a {pick(r, lexicon.GEARS)} sank off {pick(r, lexicon.COUNTRIES)}; "
                 f"Operation {pick(r, lexicon.ENGLISH_NOUN + ['Sparrow', 'Albatross', 'Tridente', 'Sardina'])} {pick(r, ['followed', 'began', 'ended'])}. Flag: ")
    if chance(r, 0.5):
        return para(lead, plain(pick(r, ["unknown", "not stated", "n/a", "none", "—"]) + " (previously "), any_flag(r), plain(")."))
    return para(lead, plain(pick(r, ["unknown", "not stated", "n/a", "none"]) + "."))


def fishing_grounds(r: Rng) -> Segs:
    """Fishing grounds and islands are not ports."""
    return para(plain(f"Catch areas {pick(r, ['58.5.1', '41.3', '87.2', '34.1.3', '48.3'])}, around {pick(r, lexicon.GROUNDS)} and {pick(r, lexicon.GROUNDS)}; landed "), bare_port(r),
                plain(" on "), date(r), plain("."))


def yearless_dates(r: Rng) -> Segs:
    """Yearless dates, bare months, species groups in compounds."""
    d = rand_date(r)
    return para(plain(pick(r, ["AUDIT ", "Visit ", "check ", "Review "])), entity(f"{d.day:02d}/{d.month:02d}", "DATE"),
                plain(f" — {pick(r, ['lot for ', 'offer for ', 'shipment in ', 'quota for '])}"), entity(pick(r, lexicon.MONTHS), "DATE"), plain("; "),
                *pick(r, [[entity("shark", "SPECIES"), plain(pick(r, [" fins", "-finning", " fin trade"]))],
                          [entity(pick(r, ["tuna", "squid", "octopus", "hake"]), "SPECIES"), plain(pick(r, [" fillets", " loins", " rings"]))]]), plain(" noted."))


def hs_species_line(r: Rng) -> Segs:
    """An HS code with a species list and a duty, weight, year or price."""
    return para(plain(pick(r, ["HS ", "heading ", "codes "])), any_hs_code(r), plain(pick(r, [" | ", " — ", ": "])),
                plain(pick(r, ["Frozen ", "", "Prepared ", "Live ", "Dried "])), species_list(r),
                plain(pick(r, [f" {pick(r, lexicon.PRODUCT_FORMS)}", "", f", {pick(r, lexicon.PRODUCT_FORMS)}"]) + pick(r, [" | ", "  ", "\t"])
                      + pick(r, [f"duty {r.randrange(0, 25)}%", weight(r), year_noise(r), price(r)])))
