"""One term per concept, Swedish typography and American spelling.

docs/terms.yml lists the preferred Swedish terms with the variants decided
against, and the British spellings the English pages avoid. The Swedish
pages, their diagram labels, the Swedish glossary and the exercises' Swedish
texts must use none of the rejected variants outside code; Swedish prose uses ”…” quotes and
non-breaking spaces in numbers and before units.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from prose import inline_prose, prose

ROOT = Path(__file__).resolve().parent.parent
TERMS = yaml.safe_load((ROOT / "docs" / "terms.yml").read_text())
GLOSSARY = yaml.safe_load((ROOT / "docs" / "glossary.yml").read_text())
EXERCISES = yaml.safe_load((ROOT / "docs" / "exercises.yml").read_text())
SWEDISH = sorted((ROOT / "docs" / "sv").glob("*.md"))
ENGLISH = sorted((ROOT / "docs" / "en").glob("*.md"))


def _word(variant: str) -> re.Pattern:
    """A whole word: a hyphen or colon joins it to another word (trace-id, SLO:er)."""
    return re.compile(rf"(?<![\w:-]){re.escape(variant)}(?![\w:-])", re.I)


REJECTED = [(entry["term"], variant, _word(variant)) for entry in TERMS["sv"] for variant in entry["rejected"]]
BRITISH = [(british, american, _word(british)) for british, american in TERMS["en_spelling"].items()]


NAMES = re.compile("|".join(re.escape(name) for name in TERMS["sv_names"]))


def _swedish_text(page: Path):
    found = prose(page.read_text())
    for number, text in found.text + found.diagrams:
        yield number, NAMES.sub(" ", text)


def _glossary_text(language: str):
    for entry in GLOSSARY:
        yield entry["page"], entry[language]["term"] + " " + entry[language]["definition"]


def _exercise_text(language: str):
    for name, exercise in EXERCISES.items():
        yield f"docs/exercises.yml ({name}, {language})", inline_prose(exercise["text"][language])


def rejected_terms(lines) -> list[str]:
    return [f"{where}: {variant!r}, write {term!r}"
            for where, text in lines for term, variant, pattern in REJECTED if pattern.search(text)]


def typography_problems(lines) -> list[str]:
    problems = []
    for where, text in lines:
        if '"' in text:
            problems.append(f'{where}: straight quotes: write ”…”')
        if m := re.search(r"\d [0-9]{3}(?!\d)", text):
            problems.append(f"{where}: {m.group(0)!r}: a non-breaking space groups digits")
        if m := re.search(r"\d (%|s|ms|min|h|GiB|MiB|GB|MB|KiB)(?![\w-])", text):
            problems.append(f"{where}: {m.group(0)!r}: a non-breaking space goes before the unit")
        if m := re.search(r"\w - \w", text):
            problems.append(f"{where}: {m.group(0)!r}: a dash between words is an en dash (–)")
    return problems


@pytest.mark.parametrize("page", SWEDISH, ids=lambda p: p.name)
def test_swedish_page_uses_the_decided_terms(page):
    lines = [(f"docs/sv/{page.name}:{n}", t) for n, t in _swedish_text(page)]
    assert not rejected_terms(lines), "\n".join(rejected_terms(lines))


def test_swedish_glossary_uses_the_decided_terms_and_swedish_typography():
    lines = [(f"docs/glossary.yml ({page})", inline_prose(text)) for page, text in _glossary_text("sv")]
    problems = rejected_terms(lines) + typography_problems(lines)
    assert not problems, "\n".join(problems)


def test_swedish_exercise_texts_use_the_decided_terms_and_swedish_typography():
    problems = rejected_terms(_exercise_text("sv")) + typography_problems(_exercise_text("sv"))
    assert not problems, "\n".join(problems)


def test_english_exercise_texts_use_american_spelling():
    problems = [f"{where}: {british!r}, write {american!r}"
                for where, text in _exercise_text("en") for british, american, pattern in BRITISH if pattern.search(text)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", SWEDISH, ids=lambda p: p.name)
def test_swedish_page_has_swedish_typography(page):
    lines = [(f"docs/sv/{page.name}:{n}", t) for n, t in prose(page.read_text()).text]
    assert not typography_problems(lines), "\n".join(typography_problems(lines))


@pytest.mark.parametrize("page", ENGLISH, ids=lambda p: p.name)
def test_english_page_uses_american_spelling(page):
    problems = [f"docs/en/{page.name}:{n}: {british!r}, write {american!r}"
                for n, text in prose(page.read_text()).text + prose(page.read_text()).diagrams
                for british, american, pattern in BRITISH if pattern.search(text)]
    assert not problems, "\n".join(problems)


def test_english_glossary_uses_american_spelling():
    problems = [f"docs/glossary.yml ({page}): {british!r}, write {american!r}"
                for page, text in _glossary_text("en") for british, american, pattern in BRITISH if pattern.search(text)]
    assert not problems, "\n".join(problems)


def test_checks_find_a_rejected_variant_in_prose_and_a_diagram_but_not_in_code():
    page = ('---\ntitle: Prov\n---\n\n# Prov\n\nOrderservicen svarar. `orderservicen` är kod.\n\n'
            '```mermaid\nflowchart LR\n    A["alla pods"] --> B\n```\n\n```go\n// pod\n```\n')
    found = prose(page)
    problems = rejected_terms([(n, t) for n, t in found.text + found.diagrams])
    assert len(problems) == 2, problems
    assert "'orderservicen'" in problems[0] and "'pods'" in problems[1]


def test_checks_find_straight_quotes_plain_spaces_and_hyphen_dashes():
    found = prose('# Prov\n\nEn "trasig" rad med 7 000 noder, 30 s och svar - eller inte. `"kod"`, 5 000\n')
    problems = typography_problems(found.text)
    assert len(problems) == 4, problems
