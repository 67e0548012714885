"""A page and its translation have the same headings ids and the same macro
calls, in the same order: links to an anchor and reading times, exercises
and embedded code work the same in both languages."""

import re

import pytest

from site_server import ROOT

MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
FENCE = re.compile(r"^(`{3,}).*?^\1\s*$", re.S | re.M)
HEADING_ID = re.compile(r"^#{1,6} .*\{#([\w-]+)\}\s*$", re.M)
TRANSLATED = sorted(p.name for p in (ROOT / "docs" / "en").glob("*.md") if (ROOT / "docs" / "sv" / p.name).exists())


def read(language: str, name: str) -> str:
    return (ROOT / "docs" / language / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", TRANSLATED)
def test_translation_has_the_same_heading_ids_and_macro_calls(name):
    sv, en = read("sv", name), read("en", name)
    assert HEADING_ID.findall(FENCE.sub("", en)) == HEADING_ID.findall(FENCE.sub("", sv)), f"{name}: heading ids differ"
    assert MACRO.findall(en) == MACRO.findall(sv), f"{name}: macro calls differ"


def test_pages_are_translated():
    assert {"index.md", "kom-igang.md"} <= set(TRANSLATED)
