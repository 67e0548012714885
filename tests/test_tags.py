"""Tags: every content page has tags from its language's list, and each
language's tags index lists every page under each of its tags, linked."""

import re
from pathlib import Path

from verify import front_matter

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE_ROOT = {"sv": "", "en": "en/"}
# Pages without tags, each with its reason.
UNTAGGED = {
    "index.md": "the home page leads to everything; a tag would say nothing",
    "ordlista.md": "reference page about the other pages",
    "taggar.md": "the tags index itself",
    "oversattningar.md": "maintainers' page, not content",
    "bidra.md": "how to work on the site, not a topic",
    "verifiering.md": "reference page on how every other page's code is verified",
    "kom-igang.md": "the reading path through all topics; its steps carry the tags",
}


def tags_of(page: Path) -> list[str]:
    return front_matter.metadata(page.read_text()).get("tags", [])


def sections(index_html: str) -> dict[str, set[str]]:
    """Tag name -> hrefs listed under its heading on the tags index."""
    body = index_html[index_html.index("<article"): index_html.index("</article>")]
    found = {}
    for match in re.finditer(r'<h2 id="[^"]*">(.*?)<a class="headerlink".*?</h2>(.*?)(?=<h2 |\Z)', body, re.S):
        found[re.sub(r"<[^>]+>", "", match.group(1)).strip()] = set(re.findall(r'<a href="([^"#]+)"', match.group(2)))
    return found


def test_every_content_page_has_tags():
    for language in LANGUAGE_ROOT:
        for page in sorted((ROOT / "docs" / language).glob("*.md")):
            if page.name not in UNTAGGED:
                assert tags_of(page), f"docs/{language}/{page.name} has no tags in its front matter"


def test_tags_index_lists_every_page_under_each_of_its_tags(served_site):
    _, site = served_site
    for language, prefix in LANGUAGE_ROOT.items():
        listed = sections((site / prefix / "taggar" / "index.html").read_text())
        checked = 0
        for page in sorted((ROOT / "docs" / language).glob("*.md")):
            for tag in tags_of(page):
                href = f"../{page.stem}/"
                assert href in listed.get(tag, set()), \
                    f"{language} tags index: {page.name} missing under {tag!r} (has {sorted(listed)})"
                assert (site / prefix / page.stem / "index.html").is_file()
                checked += 1
        assert checked >= 10


def test_each_page_links_its_tags_with_link_text_that_says_tag(served_site):
    """A link reading only "go" tells a screen reader or a search engine
    nothing (Lighthouse marks it down); partials/tags.html adds a hidden word."""
    _, site = served_site
    word = {"sv": "Tagg: ", "en": "Tag: "}
    for language, prefix in LANGUAGE_ROOT.items():
        page = ROOT / "docs" / language / "varfor-go.md"
        html = (site / prefix / "varfor-go" / "index.html").read_text()
        links = re.findall(r'<a href="[^"]*taggar/#tag:[^"]*" class="md-tag">(.*?)</a>', html)
        texts = [re.sub(r"<[^>]+>", "", link) for link in links]
        assert sorted(texts) == sorted(word[language] + tag for tag in tags_of(page)), texts
