"""The macros themselves: turn a call on a page into a verified block.

One Embedder exists per language build (define_env runs once per build), so
nothing here is shared between languages.
"""

from __future__ import annotations

import os
import posixpath

from verify import kubernetes, records, render
from verify.paths import SNIPPETS, rel
from verify.process import CheckFailed
from verify.runner import content_hash
from verify.toolchain import MissingTool
from verify.units import INCIDENT_PREFIX, Unit, UnitError, go_module_root, unit_for

from . import blocks
from .go_examples import ExampleError, example_output
from .manifests import ManifestError, select
from .messages import text
from .regions import RegionError, excerpt

LANGUAGE_OF_SUFFIX = {".go": "go", ".yaml": "yaml", ".yml": "yaml", ".json": "json", ".tpl": "go-text-template",
                      ".txt": "text", ".md": "markdown", ".sh": "bash", ".mod": "text"}


class SnippetError(Exception):
    """Bad input on a page: names the page and the snippet, and fails the build."""

    def __init__(self, page: str, call: str, problem: str):
        super().__init__(f"{page}: {call}: {problem}")


class Embedder:
    def __init__(self, language: str, strict: bool, repo_url: str | None, page_path,
                 verification_page: str | None = None, page_uri=lambda: ""):
        self.language = language
        # The reader's page on what "verified" means (docs-relative), if the
        # site has one; page_uri: the page being rendered, docs-relative.
        self.verification_page = verification_page
        self.page_uri = page_uri
        self.strict = strict
        self.repo_url = repo_url.rstrip("/") if repo_url else None
        self.page_path = page_path  # callable: the page being rendered, as docs/<lang>/...
        self._hashes: dict[Unit, str] = {}

    # -- macros --------------------------------------------------------------

    def snippet(self, path: str, region: str | None = None, hl: str | None = None,
                title: str | None = None, lang: str | None = None, **unknown) -> str:
        """Embed a file under snippets/, or one named region of it."""
        call = _describe("snippet", path, region=region, hl=hl, title=title, lang=lang, **unknown)
        self._reject(call, unknown)
        unit = self._unit(path, call)
        file = SNIPPETS / path
        if not file.is_file():
            self._fail(call, f"snippets/{path} is a folder, not a file")
        try:
            shown = excerpt(file.read_text(encoding="utf-8"), region, hl)
        except RegionError as error:
            self._fail(call, f"snippets/{path}: {error}")
        language = lang or LANGUAGE_OF_SUFFIX.get(file.suffix, "text")
        code = blocks.fenced(shown.code, language, title or path, shown.highlight)
        return blocks.block(code, self._status(unit, call, link=self._link(path), about=self.about(unit.kind)))

    def helm_template(self, chart: str, values: str = "values.yaml", kind: str | None = None,
                      name: str | None = None, **unknown) -> str:
        """Show what `helm template` renders for a values file (optionally one object)."""
        call = _describe("helm_template", chart, values=values, kind=kind, name=name, **unknown)
        self._reject(call, unknown)
        unit = self._unit(chart, call, kind="helm")
        if not (unit.dir / values).is_file():
            self._fail(call, f"snippets/{chart}/{values} does not exist")
        output, record = self._output(unit, call, values, lambda: render.helm_template(unit.dir, values))
        title = f"helm template {unit.dir.name} {chart}" + (f" --values {values}" if values != "values.yaml" else "")
        return self._manifest_block(output, title, call, record, kind, name, self._link(f"{chart}/{values}"), "helm")

    def kustomize_build(self, target: str, kind: str | None = None, name: str | None = None, **unknown) -> str:
        """Show what `kustomize build` produces for a base or overlay (optionally one object)."""
        call = _describe("kustomize_build", target, kind=kind, name=name, **unknown)
        self._reject(call, unknown)
        unit = self._unit(target, call, kind="kustomize")
        output, record = self._output(unit, call, "build", lambda: render.kustomize_build(unit.dir))
        return self._manifest_block(output, f"kustomize build {target}", call, record, kind, name,
                                    self._link(f"{target}/kustomization.yaml"), "kustomize")

    def go_example(self, package: str, example: str, **unknown) -> str:
        """Show the output of a Go testable example; `go test` proves it."""
        call = _describe("go_example", package, example, **unknown)
        self._reject(call, unknown)
        unit = self._unit(package, call, kind="go")
        try:
            output = example_output(unit.dir, example)
        except ExampleError as error:
            self._fail(call, f"snippets/{package}: {error}")
        package_in_module = unit.dir.relative_to(go_module_root(unit.dir)).as_posix()
        title = f"go test -run '^{example}$' ./{package_in_module}"
        code = blocks.fenced(output, "text", title)
        return blocks.block(code, self._status(unit, call, link=self._link(package), about=self.about("output"),
                                               verdict="output_checked"))

    def kubectl_output(self, unit: str, output: str, **unknown) -> str:
        """Show what kubectl printed on the control plane during the
        verification run of a chart or overlay (verify/check_cluster.py):
        recorded, never written by hand."""
        call = _describe("kubectl_output", unit, output, **unknown)
        self._reject(call, unknown)
        found = self._unit(unit, call)
        if found.kind not in ("helm", "kustomize"):
            self._fail(call, f"snippets/{unit} is a {found.kind} unit; only charts and overlays run on the cluster")
        return self._recorded(found, call, "kubectl", output, f"make verify: {unit}", "recorded_by_verify",
                              self._link(unit), "output", noun="kubectl output")

    def incident_output(self, incident: str, output: str, **unknown) -> str:
        """Show one output of an incident run (verify/incident): what the
        run recorded at that step, never written by hand."""
        call = _describe("incident_output", incident, output, **unknown)
        self._reject(call, unknown)
        unit = self._unit(INCIDENT_PREFIX + incident, call)
        source = (f"{self.repo_url}/blob/{os.environ.get('GIT_REF', 'main')}/verify/incident/scenario.py"
                  if self.repo_url else None)
        return self._recorded(unit, call, "incident", output, f"make incident: {output}", "recorded_by_incident",
                              source, "incident", noun="output")

    def illustrative(self, caller=None) -> str:
        """Wrap a block that no tool proves; the reader is told so."""
        note = blocks.illustrative_note(self.language, self.about("illustrative"))
        return caller().strip("\n") + "\n\n" + note + "\n"

    def about(self, section: str) -> str | None:
        """A link from the page being rendered to the verification page's
        section on this kind of block (go, helm, kustomize, prometheus,
        output, exercises, transcripts, illustrative)."""
        if not self.verification_page:
            return None
        here = posixpath.dirname(self.page_uri())
        return f"{posixpath.relpath(self.verification_page, here or '.')}#{section}"

    # -- shared steps ----------------------------------------------------------

    def _unit(self, path: str, call: str, kind: str | None = None) -> Unit:
        try:
            unit = unit_for(path)
        except UnitError as error:
            self._fail(call, str(error))
        if kind and unit.kind != kind:
            self._fail(call, f"snippets/{path} is a {unit.kind} unit ({unit.path}), not a {kind} one")
        if kind and (SNIPPETS / path).resolve() != unit.dir.resolve():
            self._fail(call, f"name the {kind} unit's folder itself: snippets/{unit.path}")
        return unit

    def _record(self, unit: Unit):
        if unit not in self._hashes:
            self._hashes[unit] = content_hash(unit)
        return records.matching(unit, self._hashes[unit])

    def _status(self, unit: Unit, call: str, link: str | None, about: str | None = None,
                verdict: str = "verified") -> str:
        record = self._record(unit)
        if record is None and self.strict:
            self._fail_unverified(unit, call)
        return blocks.status(self.language, record, link, about, verdict)

    def _fail_unverified(self, unit: Unit, call: str):
        self._fail(call, f"{unit.key} has no passing verification record for its current "
                         "content: run `make verify` (it reports what fails)")

    def _output(self, unit: Unit, call: str, key: str, render_now):
        """Tool output from the verification run; in a dev build, rendered now."""
        record = self._record(unit)
        if record is not None and key in record.outputs:
            return record.outputs[key], record
        if self.strict:  # strict builds show only output a verification run produced
            self._fail_unverified(unit, call)
        try:
            return render_now(), None
        except MissingTool:
            # `make serve` sets up only the site, not helm or kustomize: the
            # page says where its output comes from instead of breaking.
            return None, None
        except CheckFailed as error:
            self._fail(call, f"rendering failed: {error.output}")

    def _recorded(self, unit: Unit, call: str, prefix: str, output: str, command: str, placeholder: str,
                  source: str | None, about: str, noun: str) -> str:
        """One output the verification run of `unit` recorded under
        `prefix:output`, titled by the `command` that produced it; in a dev
        build without a record, the `placeholder` message instead."""
        record = self._record(unit)
        if record is None:
            if self.strict:
                self._fail_unverified(unit, call)
            code = blocks.fenced(text(self.language, placeholder), "text", command)
            return blocks.block(code, blocks.status(self.language, None, source))
        key = f"{prefix}:{output}"
        if key not in record.outputs:
            recorded = sorted(k.removeprefix(f"{prefix}:") for k in record.outputs if k.startswith(f"{prefix}:"))
            self._fail(call, f"the verification run of {unit.key} records no {noun} {output!r} "
                             f"(it has: {', '.join(recorded) or 'none'})")
        code = blocks.fenced(record.outputs[key], "text", f"{text(self.language, 'output_of')} {command}")
        return blocks.block(code, blocks.status(self.language, record, source, self.about(about),
                                                "output_checked"))

    def _manifest_block(self, output, title, call, record, kind, name, link, tool) -> str:
        if output is None:  # a dev build without the tool
            code = blocks.fenced(text(self.language, "rendered_by_verify"), "text", title)
            return blocks.block(code, blocks.status(self.language, None, link))
        try:
            shown = select(output, kind, name)
        except ManifestError as error:
            self._fail(call, str(error))
        exceptions = kubernetes.exceptions(kubernetes.parse(shown, title))
        extra = blocks.exceptions_note(self.language, exceptions) if exceptions else ""
        # record is None only in dev builds
        status_line = blocks.status(self.language, record, link, self.about(tool), "rendered")
        return blocks.block(blocks.fenced(shown, "yaml", title), status_line, extra)

    def _link(self, path: str) -> str | None:
        if not self.repo_url:
            return None
        return f"{self.repo_url}/blob/{os.environ.get('GIT_REF', 'main')}/snippets/{path}"

    def _reject(self, call: str, unknown: dict) -> None:
        if unknown:
            self._fail(call, f"unknown option(s) {', '.join(sorted(unknown))}")

    def _fail(self, call: str, problem: str):
        raise SnippetError(self.page_path(), call, problem)


def _describe(macro: str, *args, **kwargs) -> str:
    shown = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items() if v is not None]
    return f"{macro}({', '.join(shown)})"
