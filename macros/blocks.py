"""The Markdown a macro returns: a fenced code block and its status line.

Macros return Markdown, not HTML, so pymdownx.highlight renders every block
the same way (titles, highlighted lines, the copy button). Jinja never
renders a macro's return value again, so `{{ }}` in Helm templates is safe.
"""

from __future__ import annotations

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
    """The line under a block: which checks proved it, or that none has yet.

    Markdown with attr_list rather than HTML, so it stays a paragraph of its
    own inside tabs and admonitions too."""
    source = f" · [{text(language, 'source')}]({link})" if link else ""
    if record is None:
        return (
            f"**{text(language, 'unverified')}**: {text(language, 'unverified_hint')}{source}\n"
            "{ .snippet-status .snippet-status--unverified }"
        )
    return (
        f"**{text(language, 'verified')}**: {_escape(record.summary())}{source}\n"
        "{ .snippet-status .snippet-status--verified }"
    )


def _escape(plain: str) -> str:
    return re.sub(r"([\\`*_\[\]{}])", r"\\\1", plain)


def illustrative_note(language: str) -> str:
    return f"*{text(language, 'illustrative')}*\n{{ .snippet-status .snippet-status--illustrative }}"


def exceptions_note(language: str, exceptions: list[dict]) -> str:
    items = "\n".join(
        f"    - `{e['object']}` ({_escape(e['rules'])}): {_escape(e['reason'])}" for e in exceptions
    )
    return f'!!! info "{text(language, "exception")}"\n\n{items}'


def block(code_block: str, status_line: str, extra: str = "") -> str:
    return "\n\n".join(part for part in (code_block, status_line, extra) if part) + "\n"
