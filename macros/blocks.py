"""The Markdown a macro returns: a fenced code block and its status line.

Macros return Markdown, not HTML, so pymdownx.highlight renders every block
the same way (titles, highlighted lines, the copy button). Jinja never
renders a macro's return value again, so `{{ }}` in Helm templates is safe.
"""

from __future__ import annotations

import html
import re

from verify.records import Record

from .messages import text


def fenced(code: str, language: str, title: str, highlight: tuple[int, ...] = ()) -> str:
    # A fence longer than any backtick run inside the code cannot close early.
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    options = f'title="{title}"'
    if highlight:
        options += f' hl_lines="{" ".join(map(str, highlight))}"'
    return f"{fence} {language} {options}\n{code}\n{fence}"


def status(language: str, record: Record | None, link: str | None) -> str:
    """The line under a block: which checks proved it, or that none has yet."""
    source = f' · <a href="{html.escape(link)}">{text(language, "source")}</a>' if link else ""
    if record is None:
        return (
            '<p class="snippet-status snippet-status--unverified">'
            f'<strong>{text(language, "unverified")}</strong>: {text(language, "unverified_hint")}{source}</p>'
        )
    return (
        '<p class="snippet-status snippet-status--verified">'
        f'<strong>{text(language, "verified")}</strong>: {html.escape(record.summary())}{source}</p>'
    )


def illustrative_note(language: str) -> str:
    return f'<p class="snippet-status snippet-status--illustrative">{text(language, "illustrative")}</p>'


def exceptions_note(language: str, exceptions: list[dict]) -> str:
    items = "".join(
        f"<li><code>{html.escape(e['object'])}</code> ({html.escape(e['rules'])}): {html.escape(e['reason'])}</li>"
        for e in exceptions
    )
    return f'<div class="snippet-exceptions"><strong>{text(language, "exception")}</strong><ul>{items}</ul></div>'


def block(code_block: str, status_line: str, extra: str = "") -> str:
    return "\n\n".join(part for part in (code_block, status_line, extra) if part) + "\n"
