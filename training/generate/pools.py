"""Broad name pools: thousands of real given names and surnames from Faker's locale data.

The hand-written lists in `training.lexicon` hold a few hundred names, few enough for a model to
learn the names themselves instead of the words around them; documents written by other people
name ships and people the lists never saw. These pools come from the static tables that Faker
ships per locale (no Faker random generator is used: draws go through the generator's own seeded
`Rng` over sorted tables, so output depends only on the seed and the pinned Faker version). A
draw picks a locale first, then a name, so a locale with 2,000 given names weighs as much as one
with 100. Faker's town tables were tried as ship names, ports and `O` cities and did not help
(docs/experiments.md).
"""

from __future__ import annotations

import importlib
from functools import cache

from .segments import Rng, pick

# Locales whose person tables are in Latin script (the documents are mostly English with other
# languages mixed in; native-script names come from the lexicon's own tables).
PERSON_LOCALES = (
    "en_US", "en_GB", "en_IN", "es_ES", "es_MX", "pt_PT", "pt_BR", "fr_FR", "it_IT", "de_DE",
    "nl_NL", "no_NO", "da_DK", "sv_SE", "fi_FI", "is_IS", "et_EE", "lv_LV", "lt_LT", "pl_PL",
    "hr_HR", "ro_RO", "tr_TR", "id_ID",
)


def _names(locale: str, table: str) -> tuple[str, ...]:
    """Distinct names of one of Faker's person tables, sorted, that start and end with a letter, of at
    most two words, without placeholders or brackets ("'s Gravensande" is left out: a span never starts
    or ends on a mark). Sorted because some of Faker's tables are built from sets, whose order changes
    from one process to the next."""
    names = getattr(importlib.import_module(f"faker.providers.person.{locale}").Provider, table)
    return tuple(sorted({
        n for n in (m.strip() for m in names)
        if n and n[0].isalpha() and n[-1].isalpha() and n not in ("Doe", "John", "Jane")
        and not any(c in n for c in "()/,") and len(n.split()) <= 2}))


@cache
def first_names() -> dict[str, tuple[str, ...]]:
    """Given names by locale."""
    return {loc: _names(loc, "first_names") for loc in PERSON_LOCALES}


@cache
def last_names() -> dict[str, tuple[str, ...]]:
    """Surnames by locale, in sorted locale order (locales whose table is a placeholder are left out)."""
    out = {loc: _names(loc, "last_names") for loc in sorted(PERSON_LOCALES)}
    return {loc: names for loc, names in out.items() if len(names) >= 20}


@cache
def _surname_locales() -> tuple[str, ...]:
    return tuple(last_names())


def first_name(r: Rng) -> str:
    """A given name from one of many locales ('Ingrid', 'Joaquín', 'Aapo')."""
    return pick(r, first_names()[pick(r, PERSON_LOCALES)])


def last_name(r: Rng) -> str:
    """A surname from one of many locales ('Sæther', 'Abascal', 'Aaltonen')."""
    return pick(r, last_names()[pick(r, _surname_locales())])


def person(r: Rng) -> str:
    """A given name and surname of one locale ('Kristine Aasen')."""
    loc = pick(r, _surname_locales())
    return f"{pick(r, first_names()[loc])} {pick(r, last_names()[loc])}"
