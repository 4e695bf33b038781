"""The hard-case sentence table for the mixed_notes genre and the other genres' asides."""

from __future__ import annotations

from collections.abc import Callable

from .patterns_local import (
    bilingual_cert_fields, encounter_names, flag_roles, local_species_line, people_and_numbers, port_mail_lineup, port_phrase,
    table_block, tariff_heading_line, waters_not_flags,
)
from .patterns_spans import (
    ais_log_line, catch_period, detention_record, flag_history, foreign_vessel_flag_word, hs_reference,
    incoterm_port, landing_port_date, loading_port_ship_flag, lowercase_port_of, native_script_vessel_flag,
    port_call_list, port_calls_dated, port_of_in_span, port_with_country, registry_line, species_list_sentence,
    species_pair_sentence, vessel_aliases, vessel_flag_field, vessel_imo_flagged,
)
from .patterns_traps import (
    build_crew_owner_countries, carrier_brands, city_not_port, codes_beside_entities, company_address,
    countries_not_flags, detention_news, emoji_chat_line, feeder_booking, fishing_grounds, foreign_species_subject,
    hs_species_line, inland_destination, mini_table_block, news_dateline, policy_countries_unknown_flag,
    price_movement, product_phrase_traps, register_change, risk_band_traps, signature_traps, year_and_cape_traps,
    yearless_dates,
)
from .patterns_world import (
    cjk_bilingual_fields, cjk_product_line, dated_references, es_vessels_flag, flag_registry_forms, hs_declared_ml,
    nordic_mail_line, people_and_companies, place_not_port, port_locode_fields, ports_local_language, stock_status,
    tariff_row, vessel_type_species,
)
from .segments import Rng, Segs, pick

# One row per hard case, drawn uniformly by index: the order and the length (69) are part of every
# seed's output, so any change here changes the data. hs_species_line fills row 29; rows 37 and 46
# are the fourth error-analysis pass (tariff headings as species, PORT contexts).
PATTERNS: tuple[Callable[[Rng], Segs], ...] = (
    species_list_sentence,  # 0
    species_pair_sentence,  # 1
    catch_period,  # 2
    landing_port_date,  # 3
    port_call_list,  # 4
    flag_history,  # 5
    vessel_flag_field,  # 6
    vessel_imo_flagged,  # 7
    foreign_vessel_flag_word,  # 8
    incoterm_port,  # 9
    port_with_country,  # 10
    ais_log_line,  # 11
    hs_reference,  # 12
    vessel_aliases,  # 13
    year_and_cape_traps,  # 14
    company_address,  # 15
    countries_not_flags,  # 16
    product_phrase_traps,  # 17
    emoji_chat_line,  # 18
    signature_traps,  # 19
    loading_port_ship_flag,  # 20
    lowercase_port_of,  # 21
    port_of_in_span,  # 22
    detention_record,  # 23
    inland_destination,  # 24
    native_script_vessel_flag,  # 25
    risk_band_traps,  # 26
    foreign_species_subject,  # 27
    mini_table_block,  # 28
    hs_species_line,  # 29
    detention_news,  # 30
    price_movement,  # 31
    news_dateline,  # 32
    port_calls_dated,  # 33
    feeder_booking,  # 34
    registry_line,  # 35
    register_change,  # 36
    tariff_heading_line,  # 37: fourth pass (was a second hs_species_line)
    build_crew_owner_countries,  # 38
    carrier_brands,  # 39
    city_not_port,  # 40
    codes_beside_entities,  # 41
    policy_countries_unknown_flag,  # 42
    fishing_grounds,  # 43
    yearless_dates,  # 44
    es_vessels_flag,  # 45: rows 45-59 are the constructions of documents written by other people
    port_phrase,  # 46: fourth pass, PORT contexts (was a second es_vessels_flag)
    stock_status,  # 47
    vessel_type_species,  # 48
    ports_local_language,  # 49
    port_locode_fields,  # 50
    cjk_bilingual_fields,  # 51
    tariff_row,  # 52
    hs_declared_ml,  # 53
    dated_references,  # 54
    people_and_companies,  # 55
    place_not_port,  # 56
    cjk_product_line,  # 57
    flag_registry_forms,  # 58
    nordic_mail_line,  # 59
    table_block,  # 60: rows 60-68 are the third error-analysis pass (patterns_local)
    table_block,  # 61
    bilingual_cert_fields,  # 62
    local_species_line,  # 63
    people_and_numbers,  # 64
    flag_roles,  # 65
    waters_not_flags,  # 66
    port_mail_lineup,  # 67
    encounter_names,  # 68
)


def pattern_sentence(r: Rng) -> Segs:
    """One sentence exercising a hard case (lists, ranges, traps, boundaries)."""
    return pick(r, PATTERNS)(r)
