"""The translation status page's table, from verify/translations.py."""

from __future__ import annotations

import posixpath

from verify import translations

from .glossary import page_title

LABELS = {
    "sv": {
        "header": ("Sida", "Språk", "Status", "Synkad med", "Originalet nu"),
        translations.UP_TO_DATE: "aktuell",
        translations.OUTDATED: "inaktuell",
        translations.MISSING: "saknas",
    },
    "en": {
        "header": ("Page", "Language", "Status", "Synced with", "Original now"),
        translations.UP_TO_DATE: "up to date",
        translations.OUTDATED: "outdated",
        translations.MISSING: "missing",
    },
}


def status_table(language: str, calling_page: str) -> str:
    """One row per original page and translation, worst state first. Links
    are relative to `calling_page` (its path below docs/<language>/)."""
    here = posixpath.dirname(calling_page) or "."
    labels = LABELS[language]
    order = {translations.MISSING: 0, translations.OUTDATED: 1, translations.UP_TO_DATE: 2}
    rows = [labels["header"], ("---",) * len(labels["header"])]
    for status in sorted(translations.statuses(), key=lambda s: (order[s.state], s.slug)):
        rows.append((
            f"[{page_title(status.slug, language)}]({posixpath.relpath(status.slug, here)})",
            status.language,
            f'<span class="translation-{status.state}">{labels[status.state]}</span>',
            _hash(status.recorded) if status.recorded else "–",
            _hash(status.current),
        ))
    return "\n".join("| " + " | ".join(row) + " |" for row in rows) + "\n"


def _hash(digest: str) -> str:
    return f'<code class="translation-hash">{digest}</code>'
