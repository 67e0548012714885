"""Find every embedded snippet on every page, from the page's Jinja syntax tree.

Pages are parsed exactly as mkdocs-macros renders them (same delimiters), so
a call the build would run is a call this finds, and text in ``{% raw %}``
is never mistaken for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import jinja2.nodes as nodes
import yaml

from . import front_matter
from .paths import DOCS, LANGUAGES, ROOT, rel

# Macro name -> the argument that names what it embeds (snippets/-relative).
EMBED_MACROS = {
    "snippet": "path",
    "helm_template": "chart",
    "kustomize_build": "target",
    "go_example": "package",
    "kubectl_output": "unit",
    "incident_output": "incident",
}
# Macros whose target is no snippets/ path but a unit named with a prefix.
TARGET_PREFIX = {"incident_output": "incident:"}
ILLUSTRATIVE = "illustrative"
# Code in these languages must come from snippets/ (or be marked illustrative).
VERIFIED_LANGUAGES = {"go", "golang", "yaml", "yml", "helm", "gotmpl", "gotemplate", "tpl", "kustomize"}
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*\{?[ \t]*\.?(?P<lang>[\w+-]*)", re.M)


class PageError(Exception):
    """A page that cannot be checked; the message names the page."""


@dataclass(frozen=True)
class Embed:
    page: str  # e.g. docs/sv/observerbarhet.md
    language: str
    line: int
    macro: str
    args: tuple  # positional constants
    kwargs: tuple  # sorted (name, value) constants

    @property
    def target(self) -> str:
        """The snippets/-relative path this call embeds (or the unit it
        names, for macros in TARGET_PREFIX)."""
        named = self.args[0] if self.args else dict(self.kwargs).get(EMBED_MACROS[self.macro], "")
        return TARGET_PREFIX.get(self.macro, "") + named

    @property
    def signature(self) -> tuple:
        """What must be identical between a page and its translation."""
        return (self.macro, self.args, self.kwargs)

    def describe(self) -> str:
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs]
        return f"{self.macro}({', '.join(parts)})"


@dataclass
class Page:
    path: Path
    language: str
    embeds: list[Embed] = field(default_factory=list)
    inline_blocks: list[tuple[int, str]] = field(default_factory=list)  # (line, language)
    unindented_calls: list[int] = field(default_factory=list)

    @property
    def name(self) -> str:
        return rel(self.path)

    @property
    def slug(self) -> str:
        """The page's path within its language folder: same for both languages."""
        return self.path.relative_to(DOCS / self.language).as_posix()


def config(name: str = "mkdocs.yml") -> dict:
    """One MkDocs config file as YAML, without following INHERIT."""
    return yaml.load((ROOT / name).read_text(), Loader=_IgnoreTagsLoader) or {}


def jinja_environment() -> jinja2.Environment:
    """A Jinja environment with the delimiters mkdocs-macros uses (mkdocs.yml)."""
    options = {}
    for plugin in config().get("plugins", []):
        if isinstance(plugin, dict) and "macros" in plugin:
            options = plugin["macros"] or {}
    return jinja2.Environment(
        comment_start_string=options.get("j2_comment_start_string", "{#"),
        comment_end_string=options.get("j2_comment_end_string", "#}"),
    )


class _IgnoreTagsLoader(yaml.SafeLoader):
    """mkdocs.yml uses !ENV and !!python/name tags; their values do not matter here."""


_IgnoreTagsLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_IgnoreTagsLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def parse_page(path: Path, language: str, env: jinja2.Environment | None = None) -> Page:
    env = env or jinja_environment()
    text = path.read_text(encoding="utf-8")
    front, body = front_matter.split(text)
    offset = front.count("\n")
    page = Page(path, language)
    try:
        tree = env.parse(body)
    except jinja2.TemplateSyntaxError as error:
        raise PageError(f"{rel(path)}:{error.lineno + offset}: Jinja syntax error: {error.message}") from None
    lines = body.splitlines()
    _walk(tree, page, offset, lines, illustrative=False)
    return page


def _walk(node: nodes.Node, page: Page, offset: int, lines: list[str], illustrative: bool) -> None:
    if isinstance(node, nodes.CallBlock) and _name(node.call) == ILLUSTRATIVE:
        for child in node.body:
            _walk(child, page, offset, lines, illustrative=True)
        return
    if isinstance(node, nodes.TemplateData) and not illustrative:
        _find_inline_blocks(node, page, offset)
    if isinstance(node, nodes.Call) and _name(node) in EMBED_MACROS:
        page.embeds.append(_embed(node, page, offset))
    if isinstance(node, nodes.Output):
        _find_unindented_calls(node, page, offset, lines)
    for child in node.iter_child_nodes():
        _walk(child, page, offset, lines, illustrative)


def _name(call: nodes.Node) -> str | None:
    return call.node.name if isinstance(call, nodes.Call) and isinstance(call.node, nodes.Name) else None


def _embed(call: nodes.Call, page: Page, offset: int) -> Embed:
    line = call.lineno + offset
    where = f"{page.name}:{line}"
    args, kwargs = [], []
    for arg in call.args:
        if not isinstance(arg, nodes.Const):
            raise PageError(f"{where}: {_name(call)}() arguments must be literal strings")
        args.append(arg.value)
    for kw in call.kwargs:
        if not isinstance(kw.value, nodes.Const):
            raise PageError(f"{where}: {_name(call)}({kw.key}=...) must be a literal")
        kwargs.append((kw.key, kw.value.value))
    return Embed(page.name, page.language, line, _name(call), tuple(args), tuple(sorted(kwargs)))


def _find_inline_blocks(data: nodes.TemplateData, page: Page, offset: int) -> None:
    for match in _FENCE.finditer(data.data):
        language = match.group("lang").lower()
        if language in VERIFIED_LANGUAGES:
            line = data.lineno + data.data.count("\n", 0, match.start()) + offset
            page.inline_blocks.append((line, language))


def _find_unindented_calls(output: nodes.Output, page: Page, offset: int, lines: list[str]) -> None:
    """A block-producing macro inside indented Markdown (tabs, admonitions)
    must go through ``| indent(N)``, or its later lines fall out of the block."""
    for child in output.nodes:
        if isinstance(child, nodes.Call) and _name(child) in EMBED_MACROS:
            source_line = lines[child.lineno - 1] if child.lineno - 1 < len(lines) else ""
            if source_line[: len(source_line) - len(source_line.lstrip())]:
                page.unindented_calls.append(child.lineno + offset)


def all_pages() -> list[Page]:
    """Every page of every language, parsed."""
    env = jinja_environment()
    return [
        parse_page(path, language, env)
        for language in LANGUAGES
        for path in sorted((DOCS / language).rglob("*.md"))
    ]
