"""Where things live. Every path the engine uses is derived from here."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
DOCS = ROOT / "docs"
TOOLS_BIN = ROOT / ".tools" / "bin"
# Verification records: a cache, never committed (see records.py).
RECORDS = ROOT / ".cache" / "verify"
LANGUAGES = ("sv", "en")
PRIMARY_LANGUAGE = "sv"


def rel(path: Path) -> str:
    """A path as the reader of an error message knows it: from the repo root."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)
