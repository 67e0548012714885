"""Hands-on exercises: one data file (docs/exercises.yml) holds each
command, what its output must contain and the text per language. Pages
render it with exercise(); tests/test_exercises.py runs the same commands,
so what a page tells the reader to type cannot rot."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from verify.paths import DOCS
from verify.yaml_loading import safe_load

from .blocks import tested_note
from .messages import text

EXERCISES = DOCS / "exercises.yml"


class ExerciseError(Exception):
    """A bad exercise or exercise() call; the message names the page or the entry."""


@dataclass(frozen=True)
class Exercise:
    id: str
    command: str  # run from the repository root, after `make setup`
    expect: str  # a fragment the output of a successful run contains
    text: dict[str, str]  # language -> what the exercise shows the reader


def load(path: Path = EXERCISES) -> dict[str, Exercise]:
    if not path.is_file():
        raise ExerciseError(f"docs/{path.name} does not exist: exercise() reads its exercises from there")
    data = safe_load(path.read_text(encoding="utf-8")) or {}
    exercises = {}
    for key, entry in data.items():
        missing = {"command", "expect", "text"} - set(entry)
        if missing:
            raise ExerciseError(f"{path.name}: {key}: missing {', '.join(sorted(missing))}")
        exercises[key] = Exercise(key, entry["command"].strip(), entry["expect"], entry["text"])
    return exercises


def render(exercise_id: str, language: str, calling_page: str, path: Path = EXERCISES,
           about: str | None = None) -> str:
    """The explanation, the command as a copyable block, what to look for,
    and that the test suite runs it (linking `about`, where that is explained)."""
    exercises = load(path)
    if exercise_id not in exercises:
        raise ExerciseError(f"{calling_page}: exercise({exercise_id!r}): no such exercise in "
                            f"docs/{path.name}; known: {', '.join(exercises)}")
    exercise = exercises[exercise_id]
    if language not in exercise.text:
        raise ExerciseError(f"{calling_page}: exercise({exercise_id!r}): docs/{path.name} has no "
                            f"{language!r} text for it")
    return (f"{exercise.text[language].strip()}\n\n"
            f"```bash\n{exercise.command}\n```\n\n"
            f"{text(language, 'expect')}: `{exercise.expect.strip()}`\n\n"
            f"{tested_note(language, about)}\n")
