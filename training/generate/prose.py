"""Prose-like genres: IUU risk assessment, AIS alert, news report, email, audit notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from training import lexicon

from .cargo import hs, species, species_product
from .dates import date, date_text, rand_date
from .foreign import address_ml
from .layouts import sentences
from .noise import (
    code_no, company, container, duration, filler, noise_phrase, nonflag_country, person, price, time_noise,
    time_of_day, weight,
)
from .patterns import pattern_sentence
from .segments import Rng, Segs, chance, entity, para, pick, plain
from .surface import Ship, flag, flag_clause, flag_country, flagged, former_names, imo, new_ship, port, risk, vessel


def g_iuu(r: Rng) -> Segs:
    """IUU-fishing risk assessment."""
    s = new_ship(r)
    factors = ["Flag state", "Ownership transparency", "AIS behaviour", "Transshipment", "RFMO listing",
               "Labour conditions", "Catch documentation", "Port history"]
    head = plain(pick(r, ["IUU RISK ASSESSMENT\n", "Vessel risk screening — IUU\n", "Due diligence: IUU fishing risk\n"]))
    intro = para(plain("Subject vessel: "), vessel(r, s), former_names(r, s), plain(", "), imo(r, s), plain(f", {s.gear}.\n"))
    flags = para(plain("Flag history: "), flag_country(r, s.flag), plain(" (current, since "), date(r), plain(")"),
                 para(plain("; previously "), flag_country(r, s.old_flag), plain(" until "), date(r)) if chance(r, 0.6) else [],
                 plain(f". {pick(r, ['Chinese', 'Korean', 'Spanish', 'Taiwanese', 'Russian'])}-owned via {company(r)}.\n"))
    rows: Segs = []
    for f in r.sample(factors, r.randrange(2, 6)):
        rows += plain(f"  {f}: ") + risk(r) + plain(pick(r, ["", "", f" (score {r.randrange(10, 99)})", " — see note"])) + plain("\n")
    body = sentences(r, [
        para(plain("The vessel operated in "), plain(pick(r, lexicon.SEA_AREAS)), plain(" targeting "), species(r), plain(" between "),
             date(r), plain(" and "), date(r), plain(".")),
        para(plain(f"{r.randrange(1, 9)} encounters with reefers were detected; last port call "), port(r), plain(" on "),
             date(r), plain(".")),
        para(plain(f"Listed by {pick(r, lexicon.RFMOS)} on "), date(r), plain(".")) if chance(r, 0.3) else [],
        plain(f"Recommended action: {pick(r, ['high priority', 'routine', 'enhanced'])} review before purchase."),
        filler(r),
        pattern_sentence(r) if chance(r, 0.5) else [],
    ])
    overall = para(plain(pick(r, ["\nOverall risk: ", "\nOVERALL RATING: ", "\nConclusion — risk level "])), risk(r), plain(".\n"))
    return head + intro + flags + plain("Factor ratings:\n") + rows + body + overall


def g_ais(r: Rng) -> Segs:
    """AIS-gap or transshipment alert."""
    s, other = new_ship(r), new_ship(r)
    d = rand_date(r)
    iso = d.isoformat()
    if chance(r, 0.5):
        kind = pick(r, ["AIS_GAP", "ENCOUNTER", "LOITERING", "DARK_TRANSSHIPMENT", "PORT_VISIT"])
        lines = [
            plain(f"[{pick(r, ['ALERT', 'WARN', 'INFO'])}] event={kind} "),
            plain("start=") + entity(iso, "DATE") + plain(f"T{r.randrange(24):02d}:{r.randrange(60):02d}Z end=") + date_text(r, d + dt.timedelta(days=r.randrange(0, 20))),
            plain(f" duration_h={r.randrange(3, 400)} mmsi={s.mmsi} "),
            plain("vessel=\"") + entity(s.name.upper(), "VESSEL") + plain("\" ") + plain("imo=") + entity(s.imo, "IMO"),
            plain(" flag=") + flag_country(r, s.flag),
            plain(" ais_destination=") + port(r, allow_country=False, upper=True) if chance(r, 0.6) else [],
            plain(" risk=") + risk(r) if chance(r, 0.6) else [],
            plain(f" area=\"{pick(r, lexicon.SEA_AREAS)}\"\n"),
        ]
        return para(*lines)
    return sentences(r, [
        plain(pick(r, ["AIS GAP ALERT\n", "Transshipment alert\n", "ALERT — possible at-sea transshipment\n"])),
        para(vessel(r, s), plain(" ("), flag(r, s.flag), plain(", MMSI "), plain(s.mmsi), plain(") went dark on "), date_text(r, d),
             plain(f" at {time_of_day(r)} and reappeared {duration(r)} later in {pick(r, lexicon.SEA_AREAS)}.")),
        para(plain("During the gap it loitered near the reefer "), vessel(r, other), plain(" ("), imo(r, other), plain(")"),
             plain(", ") + flag_clause(r, other.flag) if chance(r, 0.5) else [], plain(".")),
        para(plain("Last reported AIS destination: "), port(r, allow_country=False, upper=True), plain(".")),
        para(plain("Likely cargo: "), species(r), plain(".")) if chance(r, 0.6) else [],
        para(plain("Alert severity: "), risk(r), plain(".")),
        plain(f"Position {r.randrange(0, 60)}°{r.randrange(60):02d}'{pick(r, 'NS')} {r.randrange(0, 180)}°{r.randrange(60):02d}'{pick(r, 'EW')}."),
    ])


def g_news(r: Rng) -> Segs:
    """News article or NGO report."""
    s, c = new_ship(r), new_ship(r)
    sp = species(r)
    headline = pick(r, [
        para(entity(sp[0][0].capitalize() if sp[0][0].islower() else sp[0][0], "SPECIES"), plain(" vessel detained in "), port(r, allow_country=False), plain("\n\n")),
        para(plain("Investigation: forced labour aboard "), vessel(r, s, native=False), plain("\n\n")),
        para(plain(f"{pick(r, lexicon.NGOS)} report links "), species(r), plain(" imports to illegal fishing\n\n")),
        para(plain("Transshipment at sea: how "), species(r), plain(" reaches the market\n\n")),
    ])
    paras = [
        para(plain(f"{pick(r, lexicon.CITIES).upper()}, "), date(r), plain(" — Authorities in "), port(r, allow_country=False),
             plain(" have detained the "), flagged(r, s.flag), plain(f" {s.gear} "), vessel(r, s), former_names(r, s),
             plain(f" after inspectors found {weight(r)} of "), species(r), plain(" without valid catch documents.")),
        para(plain(f"According to {pick(r, lexicon.NGOS)}, the ship switched off its transponder for {duration(r)} in "),
             plain(pick(r, lexicon.SEA_AREAS)), plain(" and met the reefer "), vessel(r, c), plain(" ("), imo(r, c), plain(") on "), date(r), plain(".")),
        para(plain(f"\"This is a {pick(r, ['textbook', 'classic', 'worrying'])} case,\" said {person(r)}, "
                   f"a researcher at {pick(r, lexicon.NGOS)}. The vessel ({nonflag_country(r)}) had previously flown the flag of "),
             flag_country(r, s.old_flag), plain(".")),
        para(plain("Trade data show the cargo was declared under HS "), hs(r), plain(" and landed at "), port(r),
             plain(" in "), entity(pick(r, lexicon.MONTHS), "DATE"), plain(".")),
        para(plain(f"The {pick(r, lexicon.RFMOS)} rated the vessel's risk as "), risk(r),
             plain(f" at its annual meeting in {r.randrange(2018, 2026)}.")),
        plain(f"{company(r)} said it had suspended purchases pending review. Crew members, mostly {pick(r, lexicon.NATIONALITIES)}, "
              f"reported working {r.randrange(14, 22)} hours a day."),
        para(plain("Prices for "), species(r), plain(f" rose to {price(r)} in {time_noise(r)}.")),
    ]
    body: Segs = []
    chosen = [paras[0]] + r.sample(paras[1:], r.randrange(2, len(paras)))
    for p in chosen:
        body += p + plain(pick(r, ["\n\n", "\n", " "]))
    return headline + body


def g_email(r: Rng) -> Segs:
    """Email between an importer and a customs broker."""
    s = new_ship(r)
    d = rand_date(r)
    a, b = person(r), person(r)
    subj = pick(r, [para(plain("Re: "), species(r), plain(" shipment — "), vessel(r, s, native=False, quote=False)),
                    para(plain("FW: HS classification for "), species(r)), para(plain("ETA "), port(r, allow_country=False), plain(" / docs")),
                    plain(f"Re: Re: invoice {code_no(r)}")])
    head = para(plain(f"From: {a} <{a.split()[-1].lower()}@{pick(r, ['vigomariscos.es', 'zeeimport.nl', 'brokers.com', 'tunamerchants.co.uk'])}>\n"),
                plain(f"To: {b}\n"), plain("Subject: "), subj, plain("\n"),
                plain(f"Date: {lexicon.WEEKDAYS[d.weekday()][:3]}, ") + entity(f"{d.day} {lexicon.MONTHS[d.month - 1][:3]} {d.year}", "DATE")
                + plain(f" {r.randrange(24):02d}:{r.randrange(60):02d}:{r.randrange(60):02d} +0{r.randrange(10)}00\n\n"))
    body = sentences(r, [
        plain(pick(r, [f"Hi {b.split()[-1]},", f"Dear {b},", "Hello,", f"{b.split()[0]} —"]) + "\n"),
        para(plain("The "), species_product(r), plain(" on "), vessel(r, s), plain(" is now due in "), port(r, allow_country=False),
             plain(" on "), date(r), plain(pick(r, [".", " (ETA, may slip).", ", weather permitting."]))),
        para(plain("Can you confirm we declare under "), hs(r), plain(" and not "), hs(r), plain("?")) if chance(r, 0.6) else [],
        para(plain("The catch certificate shows flag "), flag(r, s.flag), plain(" but the B/L says "),
             flag(r, s.old_flag), plain(" — please check.")) if chance(r, 0.4) else [],
        para(plain("Our screening came back "), risk(r), plain(", so compliance wants the IMO ("), imo(r, s), plain(") cross-checked.")) if chance(r, 0.6) else [],
        plain(f"Invoice {code_no(r)} for {price(r)} is attached; payment in {duration(r)}."),
        plain(f"Could we talk {pick(r, lexicon.WEEKDAYS)} at {time_of_day(r)}?") if chance(r, 0.4) else [],
        pattern_sentence(r) if chance(r, 0.6) else [],
        pattern_sentence(r) if chance(r, 0.3) else [],
    ])
    city_port = pick(r, [("Vigo", "Spain"), ("Busan", "Republic of Korea"), ("Tema", "Ghana"), ("Rotterdam", "Netherlands")])
    addr = (f"{r.randrange(1, 200)} {pick(r, ['Calle Areal', 'Harbour St', 'Jungang-daero', 'Waalhaven Z.z.'])}, "
            f"{r.randrange(1000, 99999)} {city_port[0]}, {city_port[1]}")
    if chance(r, 0.4):  # a Nordic/Iberian/French/German/Indonesian layout; the city stays O
        addr = address_ml(r)
    sig = plain(f"\n\nBest regards,\n{a}\n{company(r)}\n{addr}\n")
    return head + body + sig


def audit_document_check(r: Rng, s: Ship) -> Segs:
    """'<date> – chk CC for <vessel>, HS <code> ok'."""
    return para(date(r), plain(" – chk CC for "), vessel(r, s, native=False, quote=False), plain(", HS "), hs(r), plain(" ok"))


def audit_flag_mismatch(r: Rng, s: Ship) -> Segs:
    """Two flags of one ship that disagree."""
    return para(plain("flag "), flag(r, s.flag), plain(" vs reg "), flag(r, s.old_flag), plain(" ?? mismatch"))


def audit_risk_origin(r: Rng, s: Ship) -> Segs:
    """A risk level, a species and an origin country (O)."""
    return para(plain("risk "), risk(r), plain("; "), species(r), plain(" origin "), plain(pick(r, lexicon.COUNTRIES)))


def audit_imo_missing(r: Rng, s: Ship) -> Segs:
    """An IMO number not found in the register; the MMSI stays O."""
    return para(imo(r, s), plain(" not in reg. MMSI "), plain(s.mmsi), plain(" only"))


def audit_landing(r: Rng, s: Ship) -> Segs:
    """A landing port, date and weight."""
    return para(plain("landed "), port(r, allow_country=False), plain(" "), date(r), plain(f", {weight(r)}"))


def audit_container_seal(r: Rng, s: Ship) -> Segs:
    """PO, container and seal: distractors only."""
    return plain(f"PO {r.randrange(10**5, 10**6)} / {container(r)} – seal ok, {noise_phrase(r)}")


def audit_follow_up(r: Rng, s: Ship) -> Segs:
    """A follow-up with a company (O) about a species."""
    return para(plain("follow up w/ "), plain(company(r)), plain(" re "), species(r), plain(f" by {pick(r, lexicon.WEEKDAYS)}"))


def audit_vessel_flag_risk(r: Rng, s: Ship) -> Segs:
    """A vessel with a flag clause and a risk level."""
    return para(vessel(r, s, quote=False), plain(" ("), flag_clause(r, s.flag), plain(") — "), risk(r))


def audit_hard_case(r: Rng, s: Ship) -> Segs:
    """A hard-case sentence (two rows in the table: a 2/10 share)."""
    return pattern_sentence(r)


AUDIT_LINES: tuple[Callable[[Rng, Ship], Segs], ...] = (
    audit_document_check, audit_flag_mismatch, audit_risk_origin, audit_imo_missing, audit_landing,
    audit_container_seal, audit_follow_up, audit_vessel_flag_risk, audit_hard_case, audit_hard_case,
)


def g_audit(r: Rng) -> Segs:
    """Terse audit notes."""
    out: Segs = plain(pick(r, ["Audit notes\n", "AUDIT — supplier file\n", "notes:\n", ""]))
    for _ in range(r.randrange(3, 8)):
        s = new_ship(r)
        line = pick(r, AUDIT_LINES)(r, s)
        out += plain(pick(r, ["- ", "* ", "", "• "])) + line + plain(pick(r, ["\n", ".\n", "\n"]))
    return out
