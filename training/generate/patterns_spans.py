"""Hard-case sentences about span boundaries: lists, ranges, pairs, aliases, key/value and log layouts."""

from __future__ import annotations

from training import lexicon

from .cargo import hs, species_list, species_pair
from .dates import date, date_ml, date_range_ml, iso_stamp, rand_date
from .noise import duration, price, year_noise
from .segments import Rng, Segs, chance, entity, joined, para, pick, plain
from .surface import (
    any_flag, bare_port, flag_country, flag_word, flagged, imo_number, new_ship, risk, ship_any, vessel_name,
)


def species_list_sentence(r: Rng) -> Segs:
    """Two to four species in one list, each its own span."""
    tail = plain(", valid to ") + date(r) + plain(".") if chance(r, 0.3) else plain(pick(r, [" without authorisation.", " to the buyer.", "."]))
    return para(plain(pick(r, ["Fishing ", "Catch of ", "Target species: ", "supplying ", "Licence for "])), species_list(r), tail)


def species_pair_sentence(r: Rng) -> Segs:
    """A cargo line naming a species by common and scientific name."""
    return para(plain(pick(r, ["Cargo: ", "CARGO : ", "Species: ", "Goods: ", "Product: "])), species_pair(r), plain("."))


def catch_period(r: Rng) -> Segs:
    """A catch period as a date range in one of several languages."""
    return para(plain(pick(r, ["Catch dates: ", "Période : ", "Fechas de captura: ", "Fangzeit: ", "Fishing period "])), date_range_ml(r), plain("."))


def landing_port_date(r: Rng) -> Segs:
    """A landing port and a date in one of several languages."""
    return para(plain(pick(r, ["Landed at ", "Lieu de débarquement : ", "Desembarque en ", "Discharged at "])), bare_port(r),
                plain(pick(r, [", le ", " el ", " on ", ", "])), date_ml(r, rand_date(r)), plain("."))


def port_call_list(r: Rng) -> Segs:
    """Two or three ports of call in one list."""
    return para(plain(f"{pick(r, ['Last port calls: ', 'Calls at ', 'bound for ', 'Port calls: '])}"), joined(r, [bare_port(r) for _ in range(r.randrange(2, 4))]), plain("."))


def flag_history(r: Rng) -> Segs:
    """Two former flags with year ranges that stay O."""
    name, adj, _ = lexicon.FLAGS[r.randrange(len(lexicon.FLAGS))]
    n2, a2, _ = lexicon.FLAGS[r.randrange(len(lexicon.FLAGS))]
    y = r.randrange(2005, 2022)
    return para(plain(pick(r, ["previous flags ", "has flown the flags of ", "Flag history: ", "earlier flags: "])), entity(name, "FLAG"),
                plain(f" ({y}–{y + r.randrange(1, 6)})" if chance(r, 0.6) else ""), plain(pick(r, [" and ", ", ", " then "])),
                entity(a2 or n2, "FLAG"), plain(f" (until {y})" if chance(r, 0.5) else ""), plain("."))


def vessel_flag_field(r: Rng) -> Segs:
    """A 'vessel / flag' field value: ship and flag side by side."""
    return para(plain(pick(r, ["Vessel / flag: ", "Means of transport crossing the border: ", "Transport: ", "Buque / bandera: "])),
                ship_any(r), plain(pick(r, [" / ", " - ", " / ", ", "])), any_flag(r), plain("\n"))


def vessel_imo_flagged(r: Rng) -> Segs:
    """A ship with its IMO number and an adjectival flag."""
    paren = chance(r, 0.5)
    return para(plain(pick(r, ["the reefer ", "carrier ", "the vessel ", ""])), ship_any(r), plain(" (IMO " if paren else ", IMO "),
                entity(imo_number(r), "IMO"), plain("), " if paren else ", "), flagged(r, r.randrange(len(lexicon.FLAGS))), plain(pick(r, [".", "\n", ";"])))


def foreign_vessel_flag_word(r: Rng) -> Segs:
    """Another-language vessel mention with a 'bandera X' flag."""
    return para(plain(pick(r, ["el buque: ", "a bordo del pesquero ", "transbordado al ", "navire : ", "Schiff "])),
                ship_any(r), plain(pick(r, [", ", " — ", " ("])), flag_word(r), plain(pick(r, [".", "", "; sin IMO."])))


def incoterm_port(r: Rng) -> Segs:
    """A trade term before a named port ('CIF Busan')."""
    return para(plain(pick(r, ["Offer: ", "Basis ", "Delivery terms ", "Sold ", "We can do "])), plain(f"{price(r)} " if chance(r, 0.4) else ""),
                plain(pick(r, lexicon.INCOTERMS) + " "), bare_port(r), plain(pick(r, [".", " port.", f", {duration(r)} credit.", " — pls confirm.", " basis.", " (Incoterms 2020)."])))


def port_with_country(r: Rng) -> Segs:
    """A port followed by its country, which stays O."""
    name, country = pick(r, lexicon.PORTS)
    return para(plain(pick(r, ["Discharge: ", "POD: ", "Destination: ", "Loading: "])), entity(name, "PORT"), plain(f", {country}."))


def ais_log_line(r: Rng) -> Segs:
    """A key=value AIS log line: ISO stamps, ship, flag and risk."""
    keys = pick(r, [("event", "t0", "t1"), ("kind", "from", "to"), ("type", "start", "end"), ("evt", "begin", "finish")])
    return para(plain(f"{pick(r, ['[ALERT]', 'WARN', 'evt', '>>'])} {keys[0]}={pick(r, ['encounter', 'GAP', 'LOITER', 'rendezvous'])} {keys[1]}="),
                iso_stamp(r), plain(f" {keys[2]}="), iso_stamp(r), plain(f" {pick(r, ['dur', 'hours', 'len'])}={r.randrange(1, 60)} {pick(r, ['ship', 'vessel_a', 'name'])}=\""),
                ship_any(r), plain(f"\" {pick(r, ['flag', 'flag_state', 'ensign'])}="), any_flag(r),
                plain(f" {pick(r, ['risk', 'severity', 'risk_level', 'lvl'])}="), risk(r), plain(pick(r, ["", " note=\"no licence\"", " conf=0.8"])))


def hs_reference(r: Rng) -> Segs:
    """An HS code cited on its own."""
    return para(plain(pick(r, ["HS code per invoice: ", "tariff heading ", "HS code (per B/L): ", "Commodity code ", "HS "])), hs(r), plain(pick(r, [".", "", " applies."])))


def vessel_aliases(r: Rng) -> Segs:
    """A ship and a list of its other names."""
    n = r.randrange(2, 4)
    return para(ship_any(r), plain(pick(r, [", also known as ", " (also known as ", ", a.k.a. ", ", formerly ", ", alias ", ", renamed from "])),
                joined(r, [entity(vessel_name(r)[0], "VESSEL") for _ in range(n)], pick(r, [" and ", ", ", " or "])),
                plain(pick(r, [", is on the IUU list.", ", changed names often.", ", still operates.", ". "])))


def loading_port_ship_flag(r: Rng) -> Segs:
    """Loaded at a port on a date, on a ship under a flag word."""
    d = rand_date(r)
    return para(plain(pick(r, ["zarpó de ", "cargado en ", "left ", "chargé à ", "verladen in ", "loaded at ", "loading ex ", "shipped ex "])),
                bare_port(r), plain(pick(r, [" el ", " on ", " le ", " am ", " "])),
                date_ml(r, d), plain(pick(r, [" — ", ", ", " via "])), ship_any(r), plain(" ("), flag_word(r), plain(")."))


def lowercase_port_of(r: Rng) -> Segs:
    """'the port of X': the lower-case 'port of' stays outside the span."""
    return para(plain(pick(r, ["Congestion at the port of ", "the port of ", "port of ", "near the port of ", "outside the port of "])),
                entity(pick(r, lexicon.PORTS)[0], "PORT"), plain(pick(r, [" delayed discharge", " is worse", " eased", " was closed"]) + f" {year_noise(r)}."))


def port_of_in_span(r: Rng) -> Segs:
    """'Port of X' written as a name is inside the span."""
    nm = pick(r, lexicon.PORTS)[0]
    return para(plain("Inspection at "), entity("Port of " + nm, "PORT"), plain(f", {pick(r, lexicon.WEEKDAYS)} "), date(r), plain("."))


def detention_record(r: Rng) -> Segs:
    """A detention record: ship, IMO, flag, port, numeric date."""
    return para(ship_any(r), plain(", IMO "), entity(imo_number(r), "IMO"), plain(", "),
                any_flag(r), plain(", detained "), bare_port(r), plain(" "),
                entity(f"{r.randrange(1, 13)}/{r.randrange(1, 29)}/{r.randrange(2019, 2026)}", "DATE"),
                plain(f": {pick(r, lexicon.DEFICIENCIES).lower()}."))


def native_script_vessel_flag(r: Rng) -> Segs:
    """A CJK vessel name with a native-script flag."""
    return para(plain(pick(r, ["Catcher: ", "Carrier: ", "Vessel: "])), entity(pick(r, list(lexicon.PINYIN_STEMS.values())) + str(r.randrange(100, 99999)), "VESSEL"),
                plain(" with flag "), entity(pick(r, ["中国", "日本", "韩国", "Россия"]), "FLAG"), plain("."))


def port_calls_dated(r: Rng) -> Segs:
    """Port calls, some with a date in brackets."""
    n2 = r.randrange(2, 4)
    calls = [bare_port(r) + (plain(" (") + date(r) + plain(")") if chance(r, 0.6) else []) for _ in range(n2)]
    return para(plain(pick(r, ["Port calls: ", "Calls: ", "Visited ", "Landings at "])), joined(r, calls, pick(r, [" and ", ", ", "; "])), plain("."))


def registry_line(r: Rng) -> Segs:
    """An upper-case registry line with a native-script name and flag."""
    s = new_ship(r)
    return para(entity(s.name.upper(), "VESSEL"), plain(" ("), entity(s.native, "VESSEL") if s.native else plain(s.callsign), plain(") "),
                plain(pick(r, ["General Cargo ", "Fishing Vessel ", "Reefer ", "Ice Breaker ", "Tanker ", ""])),
                flag_country(r, s.flag), plain(pick(r, [" flag; ", " Flag; ", " flag, "])), plain(f"MMSI {s.mmsi}."))
