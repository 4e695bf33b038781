"""The README documents every Make variable and target, and no document links outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAKEFILES = [ROOT / "Makefile", *sorted((ROOT / "mk").glob("*.mk"))]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted(ROOT.glob("*/README.md"))]


def make_names(pattern: str) -> set[str]:
    return {m for f in MAKEFILES for m in re.findall(pattern, f.read_text(encoding="utf-8"), flags=re.M)}


@pytest.mark.parametrize("variable", sorted(make_names(r"^([A-Z][A-Z0-9_]*) \?=")))
def test_every_make_variable_is_in_the_readme(variable):
    assert f"`{variable}`" in README or re.search(rf"`[^`]*\b{variable}\b[^`]*`", README), variable


@pytest.mark.parametrize("target", sorted(make_names(r"^([a-z][a-z0-9-]*):(?!=)")))
def test_every_make_target_is_in_the_readme(target):
    assert f"`{target}`" in README or f"make {target}" in README, target


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_stay_inside_the_repository_and_resolve(doc):
    text = doc.read_text(encoding="utf-8")
    assert "../shared" not in text
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if re.match(r"[a-z]+://", target):
            continue
        assert (doc.parent / target).exists(), f"{doc.name} links {target}, which does not exist"
