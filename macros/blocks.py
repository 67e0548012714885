"""The Markdown a macro returns: a fenced code block and its status line.

Macros return Markdown, not HTML, so pymdownx.highlight renders every block
the same way (titles, highlighted lines, the copy button). Jinja never
renders a macro's return value again, so `{{ }}` in Helm templates is safe.
"""

from __future__ import annotations

import re

from verify.records import Record

from .messages import check_in, text


def fenced(code: str, language: str, title: str, highlight: tuple[int, ...] = ()) -> str:
    # A fence longer than any backtick run inside the code cannot close early.
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    options = f'title="{title}"'
    if highlight:
        options += f' hl_lines="{" ".join(map(str, highlight))}"'
    return f"{fence} {language} {options}\n{code}\n{fence}"


def status(language: str, record: Record | None, link: str | None, about: str | None = None,
           verdict: str = "verified") -> str:
    """The line under a block: a short verdict linking to what it means
    (`about`, the verification page's section for this kind of block), the
    source, and the checks and versions for whoever asks.

    A Markdown paragraph with attr_list rather than HTML, so it stays a
    paragraph of its own inside tabs and admonitions too;
    hooks/snippet_status.py turns the checks into a disclosure."""
    source = f" · [{text(language, 'source')}]({link})" if link else ""
    if record is None:
        return (
            f"**{text(language, 'unverified')}**: {text(language, 'unverified_hint')}{source}\n"
            "{ .snippet-status .snippet-status--unverified }"
        )
    return (
        f"{_verdict('✓ ' + text(language, verdict), about)}{source} · {_checks(language, record)}\n"
        "{ .snippet-status .snippet-status--verified }"
    )


def _verdict(words: str, about: str | None) -> str:
    if about:
        return f"[{words}]({about}){{ .snippet-status__verdict }}"
    return f"**{words}**{{ .snippet-status__verdict }}"


def _checks(language: str, record: Record) -> str:
    """What ran and with which versions, as emphasis the hook can find."""
    checks = " · ".join(check_in(language, check) for check in record.checks)
    tools = " · ".join(f"{name} {version}" for name, version in record.tools.items())
    shown = f"{text(language, 'checks')}: {checks}" + (f". {text(language, 'versions')}: {tools}" if tools else "")
    return f'*{_escape(shown)}*{{ .snippet-status__checks data-summary="{text(language, "what_ran")}" }}'


def _escape(plain: str) -> str:
    return re.sub(r"([\\`*_\[\]{}])", r"\\\1", plain)


def illustrative_note(language: str, about: str | None = None) -> str:
    words = text(language, "illustrative")
    shown = f"[{words}]({about})" if about else f"*{words}*"
    return f"{shown}\n{{ .snippet-status .snippet-status--illustrative }}"


def tested_note(language: str, about: str | None = None, what: str = "tested_exercise") -> str:
    """Under an exercise (tests/test_exercises.py runs it) or a transcript
    (tests/test_try_it.py): the test suite runs it, linking `about`."""
    return f"{_verdict('✓ ' + text(language, what), about)}\n{{ .snippet-status .snippet-status--verified }}"


def exceptions_note(language: str, exceptions: list[dict]) -> str:
    items = "\n".join(
        f"    - `{e['object']}` ({_escape(e['rules'])}): {_escape(e['reason'])}" for e in exceptions
    )
    return f'!!! info "{text(language, "exception")}"\n\n{items}'


def block(code_block: str, status_line: str, extra: str = "") -> str:
    return "\n\n".join(part for part in (code_block, status_line, extra) if part) + "\n"
