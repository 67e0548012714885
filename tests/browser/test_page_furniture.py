"""What readers of the Kubernetes and FastAPI docs expect around a page:
when it last changed (from git), breadcrumbs, a way to report a problem
with it, and who owns the site on what terms."""

from __future__ import annotations

import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest

from site_server import REPO_URL, ROOT

PREFIX = {"sv": "", "en": "en/"}
UPDATED = {"sv": "Senast uppdaterad", "en": "Last updated"}
REPORT = {"sv": "Rapportera ett problem med den här sidan", "en": "Report a problem with this page"}
SECTION = {"sv": "Tjänster i Go", "en": "Services in Go"}
HOME = {"sv": "Startsida", "en": "Home"}
LICENCE = {"sv": "Licens:", "en": "License:"}


def last_commit_date(path: str) -> str:
    return subprocess.run(["git", "log", "-1", "--format=%ad", "--date=short", "--", path],
                          cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.parametrize("language", PREFIX)
def test_page_says_when_it_last_changed_by_git(page, served_site, language):
    url, _ = served_site
    expected = last_commit_date(f"docs/{language}/halsokontroller.md")
    assert expected, "the page has no commit"
    page.goto(url + PREFIX[language] + "halsokontroller/")
    footer = page.locator("aside.page-footer")
    assert UPDATED[language] in footer.inner_text()
    assert footer.locator("time").get_attribute("datetime") == expected


@pytest.mark.parametrize("language", PREFIX)
def test_breadcrumbs_lead_back_to_home_and_the_section(page, served_site, language):
    url, _ = served_site
    page.goto(url + PREFIX[language] + "varfor-go/")
    crumbs = page.locator("nav.md-path a")
    texts = [t.strip() for t in crumbs.all_inner_texts()]
    assert texts[0] == HOME[language], texts
    assert SECTION[language] in texts, texts
    crumbs.first.click()
    assert page.url == url + PREFIX[language]


@pytest.mark.parametrize("language", PREFIX)
def test_report_a_problem_opens_an_issue_naming_the_page(page, served_site, language):
    url, _ = served_site
    page.goto(url + PREFIX[language] + "resurshantering/")
    link = page.get_by_role("link", name=REPORT[language])
    href = link.get_attribute("href")
    assert href.startswith(REPO_URL + "/issues/new?"), href
    query = parse_qs(urlsplit(href).query)
    assert query["body"] == [url + PREFIX[language] + "resurshantering/"], query
    assert page.title().split(" - ")[0] in query["title"][0], query


@pytest.mark.parametrize("language", PREFIX)
def test_footer_names_owner_and_license(page, served_site, language):
    url, _ = served_site
    page.goto(url + PREFIX[language])
    footer = page.locator(".md-copyright")
    text = footer.inner_text()
    assert "example" in text and LICENCE[language] in text, text
    assert footer.locator("a").first.get_attribute("href") == REPO_URL.rsplit("/", 1)[0]
