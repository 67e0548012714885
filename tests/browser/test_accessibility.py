"""axe-core, run in the browser on every built page of both languages."""

from site_pages import all_pages

from frontend_tools import node_module

BLOCKING = {"serious", "critical"}


def test_no_page_has_serious_or_critical_accessibility_violations(browser, served_site):
    url, site = served_site
    axe = node_module("axe-core", "axe.min.js")
    pages = all_pages(site)
    assert len(pages) >= 4
    context = browser.new_context()
    page = context.new_page()
    problems = []
    for path in pages:
        page.goto(url + path)
        page.add_script_tag(path=str(axe))
        violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
        for v in violations:
            if v["impact"] in BLOCKING:
                targets = "; ".join(" ".join(n["target"]) for n in v["nodes"][:3])
                problems.append(f"/{path}: {v['impact']} {v['id']}: {v['help']} ({targets})")
    context.close()
    assert not problems, "\n".join(problems)
