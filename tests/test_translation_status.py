"""The translation status page flags outdated and missing translations from
the source_hash in each translation's front matter, and --sync clears it."""

import re
import sys


def status_rows(project, language_root: str) -> dict[str, str]:
    """Page link -> status class, from the built status page."""
    page = (project.root / "site" / language_root / "oversattningar" / "index.html").read_text()
    return dict(re.findall(r'<a href="([^"]*)">.*?class="translation-([a-z-]+)"', page, re.S))


def test_status_page_flags_outdated_and_missing_translations(project):
    assert project.verify().returncode == 0
    result = project.build()
    assert result.returncode == 0, result.stderr
    for language_root in ("", "en/"):
        rows = status_rows(project, language_root)
        assert rows == {"../saknas/": "missing", "../gammal/": "outdated", "../": "up-to-date",
                        "./": "up-to-date"}, rows

    synced = project.run(sys.executable, "-m", "verify.translations", "--sync", "docs/en/gammal.md")
    assert synced.returncode == 0, synced.stderr
    listed = project.run(sys.executable, "-m", "verify.translations").stdout
    assert "up-to-date docs/en/gammal.md" in listed
    assert "missing    docs/en/saknas.md" in listed


def test_status_links_are_relative_to_the_page_showing_them():
    from macros.translation_status import status_table

    at_root = re.findall(r"\]\(([^)]+)\)", status_table("sv", "oversattningar.md"))
    below = re.findall(r"\]\(([^)]+)\)", status_table("sv", "kopia/oversattningar.md"))
    assert at_root and "varfor-go.md" in at_root
    assert below == ["../" + link for link in at_root]
