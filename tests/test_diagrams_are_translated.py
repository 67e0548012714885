"""Every diagram of a Swedish page is on its English page too: the same kind
of diagram in the same place, with its text translated."""

import re

from site_server import ROOT

DIAGRAM = re.compile(r"^```mermaid\n(.*?)^```", re.S | re.M)


def diagrams(page) -> list[str]:
    return DIAGRAM.findall(page.read_text(encoding="utf-8"))


def test_english_pages_have_the_swedish_diagrams_translated():
    checked = 0
    for swedish in sorted((ROOT / "docs" / "sv").glob("*.md")):
        english = ROOT / "docs" / "en" / swedish.name
        if not english.exists():
            continue  # untranslated: the English site shows the Swedish page
        sv, en = diagrams(swedish), diagrams(english)
        assert [d.split()[0] for d in sv] == [d.split()[0] for d in en], f"{swedish.name}: diagrams differ"
        for number, (a, b) in enumerate(zip(sv, en), 1):
            assert a != b, f"docs/en/{swedish.name}: diagram {number} is not translated"
        checked += len(sv)
    assert checked >= 10
