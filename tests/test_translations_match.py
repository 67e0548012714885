"""A page and its translation make the same macro calls, in the same order:
reading times, exercises and the glossary work the same in both languages.
(Embedded snippets and heading structure are `make verify` rules: verify/rules.py.)"""

import re

import pytest

from site_server import ROOT

MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
# Text between raw and endraw is prose that shows macro syntax, not calls.
RAW = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}", re.S)
TRANSLATED = sorted(p.name for p in (ROOT / "docs" / "en").glob("*.md") if (ROOT / "docs" / "sv" / p.name).exists())


def read(language: str, name: str) -> str:
    return RAW.sub("", (ROOT / "docs" / language / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", TRANSLATED)
def test_translation_makes_the_same_macro_calls(name):
    assert MACRO.findall(read("en", name)) == MACRO.findall(read("sv", name)), f"{name}: macro calls differ"
