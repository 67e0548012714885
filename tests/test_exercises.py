"""The exercises of the Get started page, run as the page tells a reader to:
each command from docs/exercises.yml, in a shell, from the repository root."""

from __future__ import annotations

import re
import subprocess

import pytest

from macros.exercises import ExerciseError, load, render
from site_server import ROOT

EXERCISES = load()
PAGES = [ROOT / "docs" / lang / "kom-igang.md" for lang in ("sv", "en")]


@pytest.mark.parametrize("exercise", EXERCISES.values(), ids=lambda e: e.id)
def test_exercise_command_succeeds_and_prints_what_the_page_promises(exercise):
    result = subprocess.run(["bash", "-c", exercise.command], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"`{exercise.command}` failed:\n{output}"
    assert exercise.expect in output, f"`{exercise.command}` no longer prints {exercise.expect!r}:\n{output}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.parent.name)
def test_get_started_page_shows_every_exercise_once(page):
    used = re.findall(r'\{\{\s*exercise\("([^"]+)"\)\s*\}\}', page.read_text(encoding="utf-8"))
    assert sorted(used) == sorted(EXERCISES), f"{page.relative_to(ROOT)} shows {used}"


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("exercise", EXERCISES.values(), ids=lambda e: e.id)
def test_exercise_renders_text_command_and_expected_output_in_each_language(exercise, language):
    shown = render(exercise.id, language, f"docs/{language}/kom-igang.md")
    assert f"```bash\n{exercise.command}\n```" in shown
    assert f"`{exercise.expect}`" in shown
    assert exercise.text[language] in shown


def test_unknown_exercise_names_the_page_and_the_known_ones():
    with pytest.raises(ExerciseError, match=r"docs/sv/kom-igang\.md: exercise\('finns-inte'\): .*kustomize-prod"):
        render("finns-inte", "sv", "docs/sv/kom-igang.md")
