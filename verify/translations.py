"""Which pages are translated, missing, or outdated.

A translation records which version of the Swedish original it was synced
with: ``source_hash`` in its front matter, the first 12 hex digits of the
SHA-256 of the original file. Git dates cannot say this (a rebase or a
cherry-pick changes them; a typo fix in the translation is no sync).

    python -m verify.translations                       # list the status
    python -m verify.translations --sync docs/en/x.md   # mark x.md synced

Missing and outdated translations are listed, never fatal: the English
build falls back to the original, with a notice, for a missing page.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from . import front_matter
from .paths import DOCS, LANGUAGES, PRIMARY_LANGUAGE, rel

HASH_KEY = "source_hash"
HASH_LENGTH = 12
UP_TO_DATE, OUTDATED, MISSING = "up-to-date", "outdated", "missing"


@dataclass(frozen=True)
class Status:
    slug: str  # path within the language folder, e.g. halsokontroller.md
    language: str
    state: str  # UP_TO_DATE, OUTDATED or MISSING
    recorded: str | None  # the translation's source_hash
    current: str  # the original's hash now


def source_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]


def recorded_hash(path: Path) -> str | None:
    value = front_matter.metadata(path.read_text(encoding="utf-8")).get(HASH_KEY)
    return str(value) if value is not None else None


def statuses(docs: Path = DOCS) -> list[Status]:
    """One status per original page and translated language, by page."""
    originals = sorted((docs / PRIMARY_LANGUAGE).rglob("*.md"))
    found = []
    for original in originals:
        slug = original.relative_to(docs / PRIMARY_LANGUAGE).as_posix()
        current = source_hash(original)
        for language in LANGUAGES:
            if language == PRIMARY_LANGUAGE:
                continue
            translation = docs / language / slug
            if not translation.exists():
                found.append(Status(slug, language, MISSING, None, current))
                continue
            recorded = recorded_hash(translation)
            state = UP_TO_DATE if recorded == current else OUTDATED
            found.append(Status(slug, language, state, recorded, current))
    return found


def sync(translation: Path, docs: Path = DOCS) -> str:
    """Record in the translation's front matter that it matches its original now."""
    translation = translation.resolve()
    if not translation.is_relative_to(docs.resolve()):
        raise ValueError(f"{rel(translation)} is not in {rel(docs)}/: pass a translation such as docs/en/page.md")
    language = translation.relative_to(docs.resolve()).parts[0]
    if language == PRIMARY_LANGUAGE or language not in LANGUAGES:
        raise ValueError(f"{rel(translation)} is no translation (expected docs/<language>/..., not docs/{language}/)")
    original = docs / PRIMARY_LANGUAGE / translation.relative_to(docs.resolve() / language)
    if not original.exists():
        raise ValueError(f"{rel(translation)} has no original: {rel(original)} does not exist")
    digest = source_hash(original)
    text = translation.read_text(encoding="utf-8")
    line = f"{HASH_KEY}: {digest}\n"
    match = front_matter.BLOCK.match(text)
    if not match:
        text = f"---\n{line}---\n\n{text}"
    else:
        block = match.group(1) or ""
        block, replaced = re.subn(rf"^{HASH_KEY}:.*\n", line, block, flags=re.M)
        if not replaced:
            block += line
        text = f"---\n{block}---\n" + text[match.end():]
    translation.write_text(text, encoding="utf-8")
    return digest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m verify.translations", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sync", nargs="+", metavar="TRANSLATION", type=Path,
                        help="mark these translations as synced with their original as it is now")
    args = parser.parse_args(argv)
    if args.sync:
        for path in args.sync:
            try:
                digest = sync(path)
            except (ValueError, OSError) as error:
                print(f"error: {error}", file=sys.stderr)
                return 1
            print(f"{rel(path.resolve())}: {HASH_KEY}: {digest}")
        return 0
    for status in statuses():
        detail = f" (synced with {status.recorded or 'no recorded version'}, original is {status.current})" \
            if status.state == OUTDATED else ""
        print(f"{status.state:<10} docs/{status.language}/{status.slug}{detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
