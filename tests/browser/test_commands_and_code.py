"""Code a reader copies and reads: "Kom igång" says what to install and how
to clone; every command block copies as a command that runs (prompts and
output are separate blocks); no embedded snippet scrolls sideways on a
1440 px desktop."""

from __future__ import annotations

import subprocess

import pytest

from site_server import REPO_URL
from verify.line_length import MACHINE_WRITTEN

PREFIX = {"sv": "", "en": "en/"}
PREREQUISITES = ["Git", "Python 3.11", "Go 1.26", "Node.js 20", "chromium"]
SNIPPET_VERDICT = {"sv": "✓ Verifierad", "en": "✓ Verified"}
# Tool output and files a tool wrote are exempt from the width rule, as in
# verify/line_length.py: they are shown as the tool printed them.
OUTPUT_TITLE = {"sv": "Utdata från ", "en": "Output of "}


def copied(page, block) -> str:
    block.scroll_into_view_if_needed()
    block.hover()
    block.locator("button[data-md-type=copy]").click()
    return page.evaluate("navigator.clipboard.readText()")


@pytest.mark.parametrize("language", PREFIX)
def test_get_started_lists_prerequisites_and_the_clone_command(page, served_site, language):
    url, _ = served_site
    page.goto(url + PREFIX[language] + "kom-igang/")
    section = page.evaluate("""() => { const out = []; let el = document.getElementById('setup').nextElementSibling;
        while (el && el.tagName !== 'H2') { out.push(el.innerText); el = el.nextElementSibling; } return out.join('\\n'); }""")
    for needed in PREREQUISITES:
        assert needed in section, f"{language}: Kom igång does not name {needed}"
    clone = page.locator("h2#setup ~ .highlight").first
    assert copied(page, clone).strip() == f"git clone {REPO_URL}.git\ncd kunskapsbas"


@pytest.mark.parametrize("language", PREFIX)
def test_every_try_it_command_block_copies_a_command_that_runs(page, served_site, language):
    url, _ = served_site
    page.goto(url + PREFIX[language] + "varfor-go/")
    blocks = page.locator("h2#try-it ~ .language-bash.highlight")
    assert blocks.count() >= 4
    for i in range(blocks.count()):
        command = copied(page, blocks.nth(i))
        assert not any(line.startswith("$ ") for line in command.splitlines()), command
        assert "HTTP/1.1" not in command and "worker: cannot" not in command, command
        syntax = subprocess.run(["bash", "-n", "-c", command], capture_output=True, text=True)
        assert syntax.returncode == 0, f"{command!r}: {syntax.stderr}"


@pytest.mark.parametrize("language", PREFIX)
def test_no_embedded_snippet_scrolls_sideways_at_1440_px(browser, served_site, language):
    url, site = served_site
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    wide, checked = [], 0
    for built in sorted((site / PREFIX[language]).glob("*/index.html")):
        if "snippet-status__verdict" not in built.read_text():
            continue
        page.goto(url + PREFIX[language] + built.parent.name + "/")
        # Each snippet block (not tool output): its title and whether it scrolls.
        found = page.evaluate("""verdict => [...document.querySelectorAll('.snippet-status')]
            .filter(line => line.querySelector('.snippet-status__verdict')?.textContent.trim() === verdict)
            .map(line => line.previousElementSibling).filter(block => block?.classList.contains('highlight'))
            .map(block => { const code = block.querySelector('pre > code');
              code.closest('.tabbed-block, details')?.querySelectorAll('details').forEach(d => d.open = true);
              return {title: block.querySelector('.filename')?.textContent || '?',
                      hidden: code.offsetParent === null, scroll: code.scrollWidth, client: code.clientWidth}; })""",
                              SNIPPET_VERDICT[language])
        for block in found:
            if block["hidden"]:
                continue  # an inactive tab; the same snippets are shown in the other language's run too
            if block["title"] in MACHINE_WRITTEN or block["title"].startswith(OUTPUT_TITLE[language]):
                continue  # what a tool wrote, shown as it wrote it
            checked += 1
            if block["scroll"] > block["client"]:
                wide.append(f"{built.parent.name}: {block['title']} ({block['scroll']} > {block['client']} px)")
    context.close()
    assert checked >= 20, checked
    assert not wide, "\n".join(wide)


@pytest.mark.parametrize("language", PREFIX)
def test_get_started_commands_copy_as_commands_and_fit_a_desktop(browser, served_site, language):
    url, _ = served_site
    context = browser.new_context(viewport={"width": 1440, "height": 900},
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(url + PREFIX[language] + "kom-igang/")
    blocks = page.locator("article .language-bash.highlight")
    assert blocks.count() >= 7  # clone, make setup and the five exercises
    for i in range(blocks.count()):
        block = blocks.nth(i)
        command = copied(page, block)
        assert not command.startswith("$ "), command
        syntax = subprocess.run(["bash", "-n", "-c", command], capture_output=True, text=True)
        assert syntax.returncode == 0, f"{command!r}: {syntax.stderr}"
        scroll = block.locator("code").evaluate("c => c.scrollWidth - c.clientWidth")
        assert scroll <= 0, f"{command!r} scrolls by {scroll} px at 1440 px"
    context.close()
