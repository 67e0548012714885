"""The line under every embedded block, as a reader meets it: a short
verdict in the reader's language that links to what "verified" means, the
checks and versions on demand, never hidden under the block it describes
(in tabs and admonitions too), readable in dark mode and on paper."""

from __future__ import annotations

import re

import pytest
import yaml

from site_server import ROOT

PREFIX = {"sv": "", "en": "en/"}
VERDICT = {"sv": "✓ Verifierad", "en": "✓ Verified"}
OUTPUT_VERDICT = {"sv": "✓ Utdata kontrollerad", "en": "✓ Output checked"}
WHAT_RAN = {"sv": "Vad kördes?", "en": "What ran?"}
TABBED = "infrastruktur-som-kod/"

# Each visible status line: its box, the box of the code block above it,
# and whether the verdict is what a click at its centre reaches.
LINES = """() => [...document.querySelectorAll('.snippet-status')]
  .filter(line => line.offsetParent !== null)
  .map(line => {
    const block = line.previousElementSibling;
    const verdict = line.querySelector('.snippet-status__verdict') || line.firstElementChild;
    verdict.scrollIntoView({block: 'center'});
    const v = verdict.getBoundingClientRect();
    const hit = document.elementFromPoint(v.left + v.width / 2, v.top + v.height / 2);
    return {text: line.innerText, line: line.getBoundingClientRect().top,
            block: block && block.classList.contains('highlight') ? block.getBoundingClientRect().bottom : null,
            reachable: verdict === hit || verdict.contains(hit)};
  })"""


def lines_of(page) -> list[dict]:
    found = page.evaluate(LINES)
    assert found, "no visible status line"
    return found


@pytest.mark.parametrize("width", [390, 1440])
@pytest.mark.parametrize("language", PREFIX)
def test_status_line_sits_below_its_block_in_every_tab(browser, served_site, language, width):
    url, _ = served_site
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(url + PREFIX[language] + TABBED)
    tabs = page.locator(".tabbed-labels label")
    count = tabs.count()
    assert count >= 6
    checked = 0
    for i in range(count):
        tabs.nth(i).click()
        for line in lines_of(page):
            assert line["block"] is not None, line
            assert line["line"] >= line["block"] - 0.5, f"tab {i}: status line under its block: {line}"
            assert line["reachable"], f"tab {i}: something covers the verdict: {line}"
            checked += 1
    context.close()
    assert checked > count


@pytest.mark.parametrize("language", PREFIX)
def test_status_line_in_a_collapsed_admonition_is_visible_once_opened(page, served_site, language):
    url, _ = served_site
    page.goto(url + PREFIX[language] + "resurshantering/")
    admonition = page.locator("details.example")
    admonition.locator("summary").first.click()
    line = admonition.locator(".snippet-status")
    assert line.is_visible()
    block = admonition.locator(".highlight").last.bounding_box()
    assert line.bounding_box()["y"] >= block["y"] + block["height"] - 0.5


@pytest.mark.parametrize("language", PREFIX)
def test_verdict_is_short_in_the_reader_language_and_explains_itself(page, served_site, language):
    url, _ = served_site
    page.goto(url + PREFIX[language] + "varfor-go/")
    line = page.locator(".snippet-status").first
    verdict = line.locator("a.snippet-status__verdict")
    assert verdict.inner_text() == VERDICT[language]
    # The checks wait behind a disclosure; the line itself is one short row.
    assert not line.locator(".snippet-status__details > span").is_visible()
    assert line.bounding_box()["height"] < 40
    line.locator("summary").click()
    checks = line.locator(".snippet-status__details > span").inner_text()
    assert "go test -race" in checks and re.search(r"Go 1\.\d+", checks), checks
    verdict.click()
    assert page.url.endswith(f"{PREFIX[language]}verifiering/#go"), page.url
    assert page.locator("h2#go").is_visible()


@pytest.mark.parametrize("language", PREFIX)
def test_output_and_exercise_blocks_say_how_they_are_tested(page, served_site, language):
    url, _ = served_site
    page.goto(url + PREFIX[language] + "arkitekturmonster/")
    verdicts = page.locator(".snippet-status__verdict").all_inner_texts()
    assert OUTPUT_VERDICT[language] in verdicts, verdicts
    output = page.locator(f".snippet-status__verdict:text-is('{OUTPUT_VERDICT[language]}')").first
    assert output.get_attribute("href").endswith("verifiering/#output")
    page.goto(url + PREFIX[language] + "kom-igang/")
    exercises = page.locator("a.snippet-status__verdict[href$='verifiering/#exercises']")
    # Every exercise of docs/exercises.yml is on Kom igång, each with its line.
    listed = yaml.safe_load((ROOT / "docs" / "exercises.yml").read_text())
    assert exercises.count() == len(listed), exercises.count()


def test_swedish_status_lines_have_no_english_words(served_site):
    _, site = served_site
    english = re.compile(r"values files|site rules|\bVerified\b|What ran|Checks|\bpolicy\b")
    found = []
    for html in site.glob("*/index.html"):
        for line in re.findall(r'<div class="snippet-status.*?</div>', html.read_text(), re.S):
            text = re.sub(r"<[^>]+>", " ", line)
            found += [f"{html.parent.name}: {m}" for m in english.findall(text)]
    assert not found, found


def contrast(foreground: str, background: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("language", PREFIX)
def test_verdict_is_readable_in_dark_mode(page, served_site, language):
    url, _ = served_site
    page.goto(url + PREFIX[language] + "varfor-go/")
    page.locator("label.md-header__button[for^=__palette]:visible").click()
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    colours = page.locator(".snippet-status__verdict").first.evaluate(
        "v => [getComputedStyle(v).color, getComputedStyle(document.body).backgroundColor]")
    assert contrast(*colours) >= 4.5, colours


@pytest.mark.parametrize("language", PREFIX)
def test_printed_page_shows_what_ran_without_a_click(page, served_site, language):
    url, _ = served_site
    page.goto(url + PREFIX[language] + "varfor-go/")
    page.emulate_media(media="print")
    line = page.locator(".snippet-status").first
    assert line.locator(".snippet-status__verdict").is_visible()
    printed = line.locator(".snippet-status__print")
    assert printed.is_visible() and "go test -race" in printed.inner_text()
