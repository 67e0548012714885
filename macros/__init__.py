"""mkdocs-macros entry point: the macros pages use to embed verified snippets.

    {{ snippet("go/workerpool/pool.go", region="pool", hl="cancel") }}
    {{ go_example("go/workerpool", "ExamplePool") }}
    {{ helm_template("helm/orders", values="values-prod.yaml", kind="Deployment") }}
    {{ kustomize_build("kustomize/overlays/prod", kind="HorizontalPodAutoscaler") }}
    {{ kubectl_output("kustomize/overlays/prod", "zones") }}   kubectl on the verify cluster
    {{ incident_output("payment-outage", "alert-firing") }}    a step of the incident run
    {% call illustrative() %} ...a fenced block no tool proves... {% endcall %}
    {{ glossary_table() }}       the glossary page (docs/glossary.yml)
    {{ translation_status() }}   the translation status page

and the macros of the reader's path through the site:

    {{ reading_time("varfor-go.md") }}       "8 min", counted at build time
    {{ exercise("workerpool") }}             a command from docs/exercises.yml
    {{ latest_changes(5) }}                  the latest commits to this language's pages

Inside indented Markdown (tabs, admonitions) pipe a call through `indent(4)`.
"""

import posixpath
import sys
from pathlib import Path

# The repository root, for verify/: mkdocs-macros puts it on the path,
# Zensical's macros do not.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from verify.paths import PRIMARY_LANGUAGE, rel  # noqa: E402

from . import blocks, build_config, exercises, glossary, latest_changes, reading_time  # noqa: E402
from .embedding import Embedder  # noqa: E402
from .messages import text  # noqa: E402
from .translation_status import status_table  # noqa: E402


# The reader's page on how the code is verified; status lines link to it
# where the site has it (fixture sites may not).
VERIFICATION_PAGE = "verifiering.md"


def define_env(env):
    """Register the macros for one language build (runs once per build)."""
    conf = build_config.of(env)
    embedder = Embedder(
        language=conf.language,
        strict=conf.strict,
        repo_url=conf.repo_url,
        page_path=lambda: rel_page(env),
        verification_page=VERIFICATION_PAGE if has_page(env, VERIFICATION_PAGE) else None,
        page_uri=lambda: build_config.page_uri(env),
    )
    env.macro(embedder.snippet, "snippet")
    env.macro(embedder.helm_template, "helm_template")
    env.macro(embedder.kustomize_build, "kustomize_build")
    env.macro(embedder.go_example, "go_example")
    env.macro(embedder.kubectl_output, "kubectl_output")
    env.macro(embedder.incident_output, "incident_output")
    env.macro(embedder.illustrative, "illustrative")
    register_path_macros(env, conf)
    register_reference_macros(env, conf)


def register_path_macros(env, conf: build_config.BuildConfig):
    """The macros that guide a reader: reading times, exercises, latest changes."""
    language, docs_dir, repo = conf.language, conf.docs_dir, conf.root
    # An untranslated page falls back to the primary language's page (hooks/languages.py).
    primary_docs = docs_dir.parent / PRIMARY_LANGUAGE

    def reading_time_of(page: str) -> str:
        """How long `page` (a file in this language's docs) takes to read."""
        return reading_time.reading_time(page, list(dict.fromkeys([docs_dir, primary_docs])), rel_page(env))

    def exercise(exercise_id: str) -> str:
        """An exercise from docs/exercises.yml: text, command, expected output."""
        return exercises.render(exercise_id, language, rel_page(env), about=about("exercises"))

    def about(section: str) -> str | None:
        if not has_page(env, VERIFICATION_PAGE):
            return None
        here = posixpath.dirname(build_config.page_uri(env))
        return f"{posixpath.relpath(VERIFICATION_PAGE, here or '.')}#{section}"

    def latest_changes_of_pages(limit: int = 5) -> str:
        """The latest commits that changed this language's pages, or a notice."""
        changes = latest_changes.recent_changes(repo, docs_dir, limit)
        return latest_changes.render(changes, docs_dir, build_config.page_uri(env), text(language, "no_history"))

    def clone_command() -> str:
        """`git clone` of this repository (REPO_URL) and `cd` into it, as a
        block a reader can copy and run; a notice when the build has no URL."""
        if not conf.repo_url:
            return f"*{text(language, 'no_repo_url')}*\n"
        url = conf.repo_url.rstrip("/").removesuffix(".git")
        return f"```bash\ngit clone {url}.git\ncd {url.rsplit('/', 1)[-1]}\n```\n"

    env.macro(reading_time_of, "reading_time")
    env.macro(clone_command, "clone_command")

    def tested_transcript() -> str:
        """Under a "Try it" transcript: tests/test_try_it.py runs what it shows."""
        return blocks.tested_note(language, about("transcripts"), "tested_transcript")

    env.macro(tested_transcript, "tested_transcript")
    env.macro(exercise, "exercise")
    env.macro(latest_changes_of_pages, "latest_changes")


def register_reference_macros(env, conf: build_config.BuildConfig):
    """The glossary (page and tooltips) and the translation status."""
    language = conf.language
    terms = glossary.load()
    glossary.enable_tooltips(env.conf, terms, language)
    # The page that shows the glossary explains every term itself: no tooltips.
    glossary_pages = set()
    glossary.enable_tooltip_rules(
        env.conf, lambda: build_config.page_uri(env) in glossary_pages)

    def glossary_table() -> str:
        """The glossary page's terms (docs/glossary.yml), one section each."""
        glossary_pages.add(build_config.page_uri(env))
        return glossary.table(terms, language)

    env.macro(glossary_table, "glossary_table")
    env.macro(lambda: status_table(language, build_config.page_uri(env)), "translation_status")


def has_page(env, name: str) -> bool:
    """Whether this language's docs (or the primary language's, which an
    untranslated page falls back to) have the page."""
    docs_dir = build_config.of(env).docs_dir
    return (docs_dir / name).is_file() or (docs_dir.parent / PRIMARY_LANGUAGE / name).is_file()


def rel_page(env) -> str:
    """The page being rendered, as a path from the repository root."""
    source = build_config.page_source(env)
    return rel(source) if source else "(unknown page)"
