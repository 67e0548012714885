"""ProperDocs, the continuation of MkDocs 1.6, builds the same site from the
same configs: same pages, same links, same rendered macros, byte for byte
apart from the generator tag. It is the way off MkDocs if MkDocs 1.x stops
being installable (ARCHITECTURE.md, "Builders")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from site_comparison import differences, identical_apart_from_generator, pages, read_page
from site_server import ROOT

SITE_URL = "http://127.0.0.1:8000/"


def _build(builder: str, site: Path) -> None:
    env = {**os.environ, "SITE_URL": SITE_URL, "NO_MKDOCS_2_WARNING": "1"}
    command = [str(Path(sys.executable).parent / builder), "build", "--strict", "--site-dir", str(site)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"{builder} build --strict failed:\n{result.stderr}"


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    folder = tmp_path_factory.mktemp("builders")
    _build("mkdocs", folder / "mkdocs")
    _build("properdocs", folder / "properdocs")
    return folder / "mkdocs", folder / "properdocs"


@pytest.mark.slow
def test_properdocs_builds_every_page_with_the_same_links_and_macro_output(sites):
    mkdocs_site, properdocs_site = sites
    assert "en/varfor-go/index.html" in pages(properdocs_site)  # the English build ran too
    assert read_page(properdocs_site / "varfor-go" / "index.html").snippet_status  # macros rendered
    assert differences(mkdocs_site, properdocs_site) == []


@pytest.mark.slow
def test_properdocs_output_is_byte_identical_apart_from_the_generator(sites):
    mkdocs_site, properdocs_site = sites
    assert 'content="mkdocs-ProperDocs' in (properdocs_site / "index.html").read_text()
    assert identical_apart_from_generator(mkdocs_site, properdocs_site) == []
