"""The Nu Html Checker (vnu.jar from npm) over every built page: no errors."""

import json
import subprocess

from frontend_tools import java, node_module


def test_every_page_is_valid_html(served_site):
    _, site = served_site
    vnu = node_module("vnu-jar", "build", "dist", "vnu.jar")
    pages = sorted(str(p) for p in site.rglob("*.html"))
    result = subprocess.run(
        [java(), "-jar", str(vnu), "--format", "json", "--exit-zero-always", *pages],
        capture_output=True, text=True, timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [m for m in messages if m["type"] == "error"]
    warnings = [m for m in messages if m["type"] != "error"]
    for w in warnings:  # listed for reviewers, not fatal
        print(f"warning: {w['url'].split('/site/')[-1]}: {w['message']}")
    assert len(pages) > 4
    assert not errors, "\n".join(f"{e['url'].split('/site/')[-1]}:{e.get('lastLine')}: {e['message']}" for e in errors)
