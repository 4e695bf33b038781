"""The genre registry: genre name -> document builder, plus the mixed-notes and long-dossier genres."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from training import lexicon

from .dates import date
from .forms import g_bill_of_lading, g_catch_certificate, g_customs, g_psc, g_registry, g_table
from .noise import filler, lot_noise
from .patterns import pattern_sentence
from .prose import g_ais, g_audit, g_email, g_iuu, g_news
from .segments import Rng, Segs, chance, pick, plain

LONG_GENRE = "long_dossier"
LONG_WEIGHT = 0.35  # relative to 1.0 per base genre: about 3% of documents when all genres are on
MIXED_GENRE = "mixed_notes"
MIXED_WEIGHT = 3.0  # hard-case sentences: about 21% of documents when all genres are on


def g_mixed(r: Rng) -> Segs:
    """Mixed notes, mails and log lines built from hard-case sentences."""
    head = plain(pick(r, ["", "Notes\n", f"{pick(r, lexicon.CITIES).upper()}, ", "Compliance memo\n", f"Re: {lot_noise(r)}\n", "Log\n"]))
    if head[0][0].endswith(", "):
        head += date(r) + plain(" — ")
    out: Segs = head
    for _ in range(r.randrange(3, 9)):
        out += pattern_sentence(r) + plain(pick(r, [" ", "\n", "\n", " ", "\n\n"]))
    if chance(r, 0.3):
        out += filler(r)
    return out


# Insertion order is the GENRES order, which --genres defaults to and weighted choice draws over.
BASE_GENRES: dict[str, Callable[[Rng], Segs]] = {
    "psc_inspection": g_psc, "bill_of_lading": g_bill_of_lading, "catch_certificate": g_catch_certificate,
    "customs_declaration": g_customs, "iuu_risk_assessment": g_iuu, "ais_alert": g_ais, "news_report": g_news,
    "email": g_email, "registry_entry": g_registry, "audit_note": g_audit, "table": g_table,
    MIXED_GENRE: g_mixed,
}
GENRES: tuple[str, ...] = tuple(BASE_GENRES) + (LONG_GENRE,)


def g_long(r: Rng, genres: Sequence[str]) -> Segs:
    """Several sections of other genres concatenated to 1,000-5,000 words."""
    pool = [g for g in genres if g in BASE_GENRES] or list(BASE_GENRES)
    target = r.randrange(1000, 5001)
    out: Segs = plain(pick(r, ["DUE DILIGENCE DOSSIER\n\n", "Compliance file — consolidated\n\n", "Case file\n\n"]))
    words, n = 0, 0
    while words < target:
        n += 1
        g = pick(r, pool)
        sec = plain(f"Section {n}. {g.replace('_', ' ').title()}\n") + BASE_GENRES[g](r) + plain("\n\n")
        words += sum(len(t.split()) for t, _ in sec)
        out += sec
    return out
