"""Swedish search finds inflected forms: the query shim adds each term's stem.

Runs the very script the Swedish pages load, in Node, and checks that it is
loaded before Material's bundle (which starts the search worker)."""

import json
import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "overrides/assets/javascripts/swedish-search.js"


def run_node(expression: str):
    node = shutil.which("node")
    assert node, "node is required for this test: install Node.js 20"
    program = f"const s = require({json.dumps(str(SCRIPT))}); console.log(JSON.stringify({expression}));"
    return json.loads(subprocess.run([node, "-e", program], capture_output=True, text=True, check=True).stdout)


def test_inflected_forms_share_a_stem():
    forms = ["kretsbrytare", "kretsbrytaren", "kretsbrytarna", "kretsbrytarens"]
    stems = run_node(f"{json.dumps(forms)}.map(s.stem)")
    assert len(set(stems)) == 1 and all(form.startswith(stems[0]) for form in forms)


def test_query_is_sent_with_stems_and_lunr_syntax_is_left_alone():
    assert run_node('s.expand("kretsbrytarna")') == "kretsbrytarna kretsbryt"
    assert run_node('s.expand("hälsokontrollen")') == "hälsokontrollen hälsokontroll"
    assert run_node('s.expand("+go -kafka")') == "+go -kafka"


def test_swedish_pages_load_the_shim_before_materials_bundle(served_site):
    _, site = served_site
    swedish = (site / "index.html").read_text()
    assert swedish.index("swedish-search.js") < swedish.index("bundle.")
    assert "swedish-search.js" not in (site / "en" / "index.html").read_text()
