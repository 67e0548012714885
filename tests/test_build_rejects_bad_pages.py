"""A strict build fails on a broken page and says which page."""

import pytest

BAD_PAGES = {
    "broken link": ("[länk](finns-inte.md)", "finns-inte.md"),
    "missing anchor": ("[länk](index.md#finns-inte)", "finns-inte"),
    "bad front matter": (None, "trasig.md"),
    # Diagrams are drawn at build time (hooks/diagrams.py): one Mermaid cannot
    # parse fails the build, naming the diagram, instead of showing the reader
    # an error box.
    "unparsable diagram": ("```mermaid\nflowchart LR\n    accTitle: Broken\n    A --> \n```",
                           "the diagram starting 'flowchart LR' cannot be drawn"),
    # A diagram needs a title: its caption and the text a screen reader reads.
    "untitled diagram": ("```mermaid\nflowchart LR\n    A --> B\n```",
                         "the diagram starting 'flowchart LR' has no title: add a line 'accTitle:"),
}


@pytest.mark.parametrize("case", BAD_PAGES)
def test_strict_build_fails_naming_the_page(project, case):
    body, expected = BAD_PAGES[case]
    if body is None:
        project.write("docs/sv/trasig.md", "---\ntitle: [oavslutad\n---\n# Trasig\n")
    else:
        project.write("docs/sv/trasig.md", f"# Trasig\n\n{body}\n")
    verified = project.verify()
    if body is None:  # make verify catches it first; the build, run on its own, still must
        assert verified.returncode != 0 and "docs/sv/trasig.md: front matter" in verified.stderr, verified.stderr
    else:
        assert verified.returncode == 0, verified.stdout + verified.stderr
    result = project.build()
    assert result.returncode != 0, result.stderr
    assert "trasig.md" in result.stderr and expected in result.stderr, result.stderr
