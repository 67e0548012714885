"""The built home page of each language: a card per section, the way in for
new colleagues, and the latest changes of this very repository."""

import re
import subprocess

import pytest

from site_server import ROOT

LANGUAGES = {"sv": ("", "Ingen historik tillgänglig"), "en": ("en/", "No history available")}
SECTIONS = ["bygga-distribuerade-system", "varfor-go", "handelsedriven-arkitektur", "arkitekturmonster", "observerbarhet",
            "incidentgenomgang", "runbook", "testa-distribuerade-system",
            "kubernetes-i-skala", "halsokontroller", "resurshantering", "infrastruktur-som-kod",
            "hemligheter-i-gitops"]


def full_history() -> bool:
    shallow = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--is-shallow-repository"],
                             capture_output=True, text=True)
    return shallow.returncode == 0 and shallow.stdout.strip() == "false"


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_has_section_cards_the_way_in_and_the_latest_changes(served_site, language):
    _, site = served_site
    prefix, no_history = LANGUAGES[language]
    html = (site / prefix / "index.html").read_text()
    cards = html[html.index('<div class="grid cards">'):]
    cards = cards[:cards.index("</div>")]
    assert re.findall(r'<li>\s*<p><strong><a href="([\w-]+)/">', cards) == SECTIONS
    assert '<a href="kom-igang/">' in html[html.index('id="new-here"'):html.index('id="sections"')]

    changes = html[html.index('id="latest-changes"'):html.index("</article>")]
    if full_history():  # this checkout: its own commits, newest first, linked
        dates = re.findall(r"<li>(\d{4}-\d\d-\d\d): <a href=", changes)
        assert 1 <= len(dates) <= 5 and dates == sorted(dates, reverse=True), changes
        assert no_history not in changes
    else:
        assert no_history in changes
