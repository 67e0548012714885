"""mkdocs-macros entry point: the macros pages use to embed verified snippets.

    {{ snippet("go/workerpool/pool.go", region="pool", hl="cancel") }}
    {{ go_example("go/workerpool", "ExamplePool") }}
    {{ helm_template("helm/orders", values="values-prod.yaml", kind="Deployment") }}
    {{ kustomize_build("kustomize/overlays/prod", kind="HorizontalPodAutoscaler") }}
    {% call illustrative() %} ...a fenced block no tool proves... {% endcall %}
    {{ glossary_table() }}       the glossary page (docs/glossary.yml)
    {{ translation_status() }}   the translation status page

Inside indented Markdown (tabs, admonitions) pipe a call through `indent(4)`.
"""

from pathlib import Path

from verify.paths import rel

from . import glossary
from .embedding import Embedder
from .translation_status import status_table


def define_env(env):
    """Register the macros for one language build (runs once per build)."""
    embedder = Embedder(
        language=env.conf.theme["language"],
        strict=bool(env.conf.strict),
        repo_url=env.conf.repo_url,
        page_path=lambda: rel_page(env),
    )
    env.macro(embedder.snippet, "snippet")
    env.macro(embedder.helm_template, "helm_template")
    env.macro(embedder.kustomize_build, "kustomize_build")
    env.macro(embedder.go_example, "go_example")
    env.macro(embedder.illustrative, "illustrative")

    language = env.conf.theme["language"]
    terms = glossary.load()
    glossary.enable_tooltips(env.conf, terms, language)
    env.macro(lambda: glossary.table(terms, language), "glossary_table")
    env.macro(lambda: status_table(language), "translation_status")


def rel_page(env) -> str:
    """The page being rendered, as a path from the repository root."""
    page = getattr(env, "page", None)
    return rel(Path(page.file.abs_src_path)) if page else "(unknown page)"
