"""`python -m verify.changed_pages`: the pages a branch changes, found from
git in a throwaway repository made of the fixture project."""

from __future__ import annotations

import sys

import pytest

PREVIEW = "https://example.github.io/kb/pr-preview/pr-7/"
GIT = ("git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main")


@pytest.fixture
def repo(project):
    """The fixture project committed on main, then a branch `change`."""
    project.write("docs/sv/ovrigt.md", "# Övrigt\n\nIngen kod här.\n")
    project.write("docs/sv/diagram.md", '# Diagram\n\n{{ helm_template("fixture-helm/demo", kind="ConfigMap") }}\n')
    project.write("docs/sv/bara-go.md", '# Bara Go\n\n{{ go_example("fixture-go/greet", "ExampleGreet") }}\n')
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-qm", "main"), ("checkout", "-qb", "change")):
        result = project.run(*GIT, *args)
        assert result.returncode == 0, result.stderr
    return project


def commit(project, message: str) -> None:
    for args in (("add", "-A"), ("commit", "-qm", message)):
        result = project.run(*GIT, *args)
        assert result.returncode == 0, result.stderr


def changed(project) -> str:
    result = project.run(sys.executable, "-m", "verify.changed_pages", "--base", "main", "--preview-url", PREVIEW)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_lists_pages_whose_text_or_embedded_snippets_changed(repo):
    repo.edit("docs/sv/ovrigt.md", "Ingen kod här.", "Fortfarande ingen kod här.")
    repo.edit("snippets/fixture-go/greet/greet_test.go", "func ", "func  ")  # a test file of the embedded package
    commit(repo, "change")
    output = changed(repo)
    rows = {line.split(" | ")[0].lstrip("| ") for line in output.splitlines() if line.startswith("| ") and "`" in line}
    assert rows == {"Fixture (`index.md`)", "Övrigt (`ovrigt.md`)", "Bara Go (`bara-go.md`)"}, output
    # A Swedish change lists the English page too; the index maps to the root.
    assert f"[English]({PREVIEW}en/ovrigt/)" in output, output
    assert f"[Svenska]({PREVIEW}ovrigt/)" in output, output
    assert f"[Svenska]({PREVIEW})" in output and f"[English]({PREVIEW}en/)" in output, output
    assert "`snippets/fixture-go/greet/greet_test.go`" in output, output
    assert "diagram.md" not in output, output


def test_names_site_wide_changes_and_says_when_no_page_changed(repo):
    repo.edit("mkdocs.yml", "site_name:", "# a comment\nsite_name:")
    repo.write("tests/notes.txt", "not part of the site\n")
    commit(repo, "config only")
    output = changed(repo)
    assert "No page or embedded snippet changed." in output, output
    assert "`mkdocs.yml`" in output and "notes.txt" not in output, output


def test_an_unknown_base_is_a_clear_error(repo):
    result = repo.run(sys.executable, "-m", "verify.changed_pages", "--base", "origin/nope", "--preview-url", PREVIEW)
    assert result.returncode == 1
    assert "git diff against 'origin/nope' failed" in result.stderr
    assert "git fetch origin main" in result.stderr
