"""hooks/code_blocks.py: highlighted blocks lose the spans no reader needs
(whitespace, plain names, punctuation), keep every styled token and every
character, and start keyboard-focusable."""

import re
from html import unescape

from hooks import code_blocks

BLOCK = ('<pre><span></span><code><span class="kd">func</span><span class="w"> </span>'
         '<span class="nx">run</span><span class="p">(</span><span class="nx">ctx</span><span class="w"> </span>'
         '<span class="nx">context</span><span class="p">.</span><span class="nx">Context</span>'
         '<span class="p">)</span><span class="w"> </span><span class="kt">error</span><span class="w"> </span>'
         '<span class="p">{</span><span class="s">&quot;}&lt;&quot;</span><span class="p">}</span></code></pre>')


def text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_unstyled_spans_go_and_styled_tokens_and_text_stay():
    out = code_blocks.on_page_content(BLOCK, None, None, None)
    assert text(out) == text(BLOCK) == 'func run(ctx context.Context) error {"}<"}'
    assert re.findall(r'<span class="([^"]+)">', out) == ["kd", "kt", "s"]
    assert '<code tabindex="0">' in out


def test_a_diagram_source_is_left_alone():
    diagram = '<pre class="mermaid"><code>a --> b</code></pre>'
    assert code_blocks.on_page_content(diagram, None, None, None) == diagram
