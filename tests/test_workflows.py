"""The GitHub Actions workflows pass actionlint, shell steps included."""

from __future__ import annotations

import re
import subprocess

from site_server import ROOT

TOOLS = ROOT / ".tools" / "bin"
WORKFLOWS = ROOT / ".github" / "workflows"
# Our pinned shellcheck, never whichever one is on PATH (or none): the same
# verdict on every machine. No Python runs inline, so pyflakes stays off.
ACTIONLINT = [str(TOOLS / "actionlint"), f"-shellcheck={TOOLS / 'shellcheck'}", "-pyflakes=", "-no-color"]
USES = re.compile(r"^\s*-?\s*uses:\s*(\S+)(.*)$", re.M)


def actionlint(*files) -> subprocess.CompletedProcess:
    return subprocess.run([*ACTIONLINT, *map(str, files)], cwd=ROOT, capture_output=True, text=True)


def test_workflows_pass_actionlint():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {f.name for f in files} >= {"ci.yml", "preview.yml", "publish.yml"}, files
    result = actionlint(*files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_runs_shellcheck_on_run_steps(tmp_path):
    """Without shellcheck actionlint passes this file; with it, it must not."""
    workflow = tmp_path / ".github" / "workflows" / "bad.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - run: for f in $(ls *.md); do echo $f; done\n"
    )
    result = actionlint(workflow)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "shellcheck reported issue" in result.stdout, result.stdout


def test_actions_are_pinned_to_a_commit_or_a_version():
    """A full commit SHA with its version in a comment, else a version tag;
    never a branch."""
    loose = []
    for workflow in [*WORKFLOWS.glob("*.yml"), *ROOT.glob(".github/actions/*/action.yml")]:
        for action, rest in USES.findall(workflow.read_text()):
            if action.startswith("./"):
                continue
            ref = action.partition("@")[2]
            pinned = re.fullmatch(r"[0-9a-f]{40}", ref) and re.search(r"#\s*v\d", rest)
            if not (pinned or re.fullmatch(r"v\d+(\.\d+)*", ref)):
                loose.append(f"{workflow.name}: {action}{rest}")
    assert not loose, loose
