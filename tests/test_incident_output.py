"""incident_output shows only what an incident run recorded: a strict build
fails on a missing record or an output the run never recorded, naming the
page and the output. The fixture project stands in a record written here,
for exactly the content the macro hashes (the real run is make verify's)."""

from __future__ import annotations

import sys

RECORD = """
import sys
from verify import records, runner, units
from verify.records import Record
unit = units.unit_for("incident:payment-outage")
records.save(unit, Record(unit.key, runner.content_hash(unit), True, ["incident run"], {},
                          {"incident:alert-firing": sys.argv[1]}))
"""


def _page(project, call: str) -> None:
    """The call on a page of its own; the fixture's home page, whose snippets
    have no records here, only links to it."""
    for language in ("sv", "en"):
        project.write(f"docs/{language}/index.md", "# Fixture\n\n[Incident](incident.md)\n")
        project.write(f"docs/{language}/incident.md", f"# Incident\n\n{{{{ {call} }}}}\n")


def test_shows_the_recorded_output_under_a_checked_status_line(project):
    assert project.run(sys.executable, "-c", RECORD, '"state": "firing"').returncode == 0
    _page(project, 'incident_output("payment-outage", "alert-firing")')
    result = project.build()
    assert result.returncode == 0, result.stderr
    html = (project.root / "site" / "incident" / "index.html").read_text()
    assert "&quot;state&quot;: &quot;firing&quot;" in html or '"state": "firing"' in html
    assert "Utdata från make incident: alert-firing" in html
    assert "snippet-status--verified" in html


def test_strict_build_fails_on_an_output_no_run_recorded(project):
    assert project.run(sys.executable, "-c", RECORD, "firing").returncode == 0
    _page(project, 'incident_output("payment-outage", "breaker-log")')
    result = project.build()
    assert result.returncode != 0
    assert "docs/sv/incident.md" in result.stderr
    assert "records no output 'breaker-log' (it has: alert-firing)" in result.stderr


def test_strict_build_fails_without_a_record_and_a_dev_build_says_so(project):
    _page(project, 'incident_output("payment-outage", "alert-firing")')
    result = project.build()
    assert result.returncode != 0
    assert "docs/sv/incident.md" in result.stderr
    assert "incident:payment-outage has no passing verification record" in result.stderr
    dev = project.build(strict=False)
    assert dev.returncode == 0, dev.stderr
    assert "make verify eller make incident" in (project.root / "site" / "incident" / "index.html").read_text()


def test_an_unknown_incident_fails_naming_the_ones_there_are(project):
    _page(project, 'incident_output("database-outage", "alert-firing")')
    result = project.build()
    assert result.returncode != 0
    assert "docs/sv/incident.md" in result.stderr
    assert "no incident run named 'database-outage' (there is: payment-outage)" in result.stderr
