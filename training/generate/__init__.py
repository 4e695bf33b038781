"""Seeded synthetic maritime / seafood-trade documents with NER spans: the generator and its public API."""

# Where things live (dependencies point down this list):
#   document, cli          rendering, generate_documents, JSONL, the command line
#   genres, forms, prose   one builder per genre and the genre registry
#   patterns, patterns_*   the hard-case sentence table and its sentences (patterns_world: outside writers' layouts)
#   layouts                key/value fields, sentence runs, mini tables
#   surface, cargo, dates  entity surface forms (vessels, IMO, flags, ports, risk; species, HS; dates)
#   noise                  O-label distractors and OCR corruption
#   segments               labelled segments and the seeded-choice helpers; word lists in training/lexicon.py

from maritime_ner.core.contract import ENTITY_LABELS, LABELS

from .cli import main, parse_args, select_genres
from .document import generate_documents, is_clean_span, make_document, read_jsonl, render, write_jsonl
from .genres import BASE_GENRES, GENRES, LONG_GENRE, LONG_WEIGHT, MIXED_GENRE, MIXED_WEIGHT
from .segments import Rng, Seg, Segs, chance, entity, pick, plain

__all__ = [
    "BASE_GENRES", "ENTITY_LABELS", "GENRES", "LABELS", "LONG_GENRE", "LONG_WEIGHT", "MIXED_GENRE", "MIXED_WEIGHT",
    "Rng", "Seg", "Segs", "chance", "entity", "generate_documents", "is_clean_span", "main", "make_document",
    "parse_args", "pick", "plain", "read_jsonl", "render", "select_genres", "write_jsonl",
]
