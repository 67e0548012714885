"""The contributing page shows macro calls and Jinja delimiters literally:
the build renders pages as Jinja, so they must survive as text."""

import html
import re

import pytest


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_macro_calls_reach_the_reader_as_written(served_site, prefix):
    _, site = served_site
    page = (site / prefix / "bidra" / "index.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "Macro Syntax Error" not in text
    for literal in ('{{ snippet("go/workerpool/pool.go", region="pool", hl="cancel") }}',
                    '{{ snippet(...) | indent(4) }}', "{##", "{% raw %}", "{% endraw %}"):
        assert literal in text, literal
