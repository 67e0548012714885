"""Every alert links a section of the runbook page that exists, in both
languages of the built site, and carries what the person paged needs.

An alert's runbook_url is built from the Prometheus external label
`runbook` (see the comment at the top of snippets/prometheus/slo.rules.yaml):
here it is set as the configuration would set it for the served site, and
each link is fetched over HTTP and must lead to a heading with that id.
"""

from __future__ import annotations

import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
RULES = sorted((ROOT / "snippets" / "prometheus").glob("*.rules.yaml"))
LINK = "{{ $externalLabels.runbook }}#"
PAGE = {"sv": "runbook/", "en": "en/runbook/"}


def alerts() -> list[tuple[str, dict]]:
    found = []
    for rules in RULES:
        for group in yaml.safe_load(rules.read_text())["groups"]:
            found += [(rules.name, rule) for rule in group["rules"] if "alert" in rule]
    return found


class _Headings(HTMLParser):
    """The ids of the headings of a page."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        if tag in {"h1", "h2", "h3", "h4"} and dict(attrs).get("id"):
            self.ids.add(dict(attrs)["id"])


def expand(runbook_url: str, external_label: str) -> str:
    """The link as Prometheus renders it with the external label set."""
    return runbook_url.replace("{{ $externalLabels.runbook }}", external_label)


def test_every_rule_file_has_alerts():
    assert len(alerts()) >= 12, [rule["alert"] for _, rule in alerts()]


@pytest.mark.parametrize("file, rule", alerts(), ids=lambda v: v["alert"] if isinstance(v, dict) else v)
def test_alert_has_summary_description_and_its_runbook_section(file, rule):
    annotations = rule.get("annotations", {})
    missing = {"summary", "description", "runbook_url"} - annotations.keys()
    assert not missing, f"{file}: {rule['alert']} has no {sorted(missing)}"
    # One place for the address (the external label), one id per alert.
    assert annotations["runbook_url"].strip() == LINK + rule["alert"].lower(), (
        f"{file}: {rule['alert']}: runbook_url must be "
        f"'{LINK}{rule['alert'].lower()}', is {annotations['runbook_url']!r}")


@pytest.mark.parametrize("language", PAGE)
def test_every_runbook_link_resolves_to_a_section_of_the_built_page(served_site, language):
    url, _ = served_site
    external_label = url + PAGE[language]
    pages: dict[str, set[str]] = {}
    broken = []
    for file, rule in alerts():
        link = expand(rule["annotations"]["runbook_url"].strip(), external_label)
        parts = urlsplit(link)
        assert parts.scheme == "http" and parts.netloc, f"{rule['alert']}: {link} is not absolute"
        page = link.split("#")[0]
        if page not in pages:
            with urllib.request.urlopen(page, timeout=10) as answer:
                parser = _Headings()
                parser.feed(answer.read().decode("utf-8"))
                pages[page] = parser.ids
        if parts.fragment not in pages[page]:
            broken.append(f"{file}: {rule['alert']} -> {link}")
    assert not broken, "no such heading on the runbook page:\n" + "\n".join(broken)
