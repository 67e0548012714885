"""Theme templates compiled once, not on every build.

MkDocs makes a new Jinja environment for every build, and every build
compiled Material's templates again: a tenth of a language's build, paid
twice per `mkdocs build` and on every rebuild of `mkdocs serve`. Jinja's
bytecode cache keys each compiled template by its name and a checksum of
its source, so a changed override is compiled afresh.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache

CACHE = Path(".cache/templates")


def on_env(env, config, files):
    folder = Path(config.config_file_path).parent / CACHE
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    return env
