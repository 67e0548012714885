"""What the macros put on a page: only what ran, and clear errors otherwise."""

import re


def page_html(project, language: str = "sv") -> str:
    prefix = "" if language == "sv" else "en/"
    return (project.root / "site" / prefix / "index.html").read_text()


def test_verified_page_shows_code_output_and_the_checks_that_ran(project):
    assert project.verify().returncode == 0
    result = project.build()
    assert result.returncode == 0, result.stderr
    html = page_html(project)
    assert html.count("snippet-status--verified") == 8
    assert "go test -race. Versioner: Go 1." in html  # behind "Vad kördes?"
    assert "Hej, Ada!" in html  # the example's output, which go test checked
    assert "--8&lt;--" not in html and "--8<--" not in html  # markers never shown
    assert "✓ Verified</strong>" in page_html(project, "en")  # the fixture has no verification page to link


def test_highlight_names_lines_by_nested_region(project):
    assert project.verify().returncode == 0
    assert project.build().returncode == 0
    # Pygments ends a highlighted line's span after the line's newline.
    highlighted = re.findall(r'<span class="hll">(.*?)\n</span>', page_html(project))
    assert len(highlighted) == 1 and "Sprintf" in highlighted[0]


def test_strict_build_without_a_record_fails_naming_page_and_snippet(project):
    result = project.build(strict=True)
    assert result.returncode != 0
    assert "docs/sv/index.md" in result.stderr
    assert "go:fixture-go/greet has no passing verification record" in result.stderr


def test_dev_build_without_a_record_says_not_verified(project):
    result = project.build(strict=False)
    assert result.returncode == 0, result.stderr
    html = page_html(project)
    assert "snippet-status--verified" not in html
    assert "Inte verifierad ännu" in html
    assert "Not verified yet" in page_html(project, "en")


def test_stale_record_is_not_trusted(project):
    assert project.verify().returncode == 0
    project.edit("snippets/fixture-go/greet/greet.go", "// Greet returns", "// Greet now returns")
    result = project.build(strict=True)
    assert result.returncode != 0
    assert "go:fixture-go/greet has no passing verification record" in result.stderr


def test_go_template_syntax_renders_literally(project):
    """Helm's {{ }} must reach the reader as written, never re-rendered by Jinja."""
    assert project.verify().returncode == 0
    project.edit("docs/sv/index.md", "# Fixture", "# Fixture\n\nI mallen står {% raw %}`{{ .Values.greeting }}`{% endraw %}.")
    result = project.build()
    assert result.returncode == 0, result.stderr
    html = page_html(project)
    assert "<code>{{ .Values.greeting }}</code>" in html
    # The embedded template keeps its own braces too.
    assert re.search(r"\{\{</span>.*?\.Release\.Name", html)


BAD_CALLS = {
    "missing file": ('snippet("fixture-go/greet/nope.go")', "snippets/fixture-go/greet/nope.go does not exist"),
    "missing region": ('snippet("fixture-go/greet/greet.go", region="nope")', "region 'nope' not found"),
    "unknown option": ('snippet("fixture-go/greet/greet.go", colour="red")', "unknown option(s) colour"),
    "missing example": ('go_example("fixture-go/greet", "ExampleNope")', "func ExampleNope() not found"),
    "missing object": ('kustomize_build("fixture-kustomize/base", kind="Secret")', "no object Secret"),
    "kubectl output never recorded": ('kubectl_output("fixture-kustomize/base", "zones")',
                                      "records no kubectl output 'zones'"),
    "kubectl output of a Go unit": ('kubectl_output("fixture-go/greet", "zones")',
                                    "only charts and overlays run on the cluster"),
}


def test_bad_calls_fail_the_build_naming_page_and_snippet(project):
    assert project.verify().returncode == 0
    for label, (call, message) in BAD_CALLS.items():
        project.write("docs/sv/bad.md", f"# Bad\n\n{{{{ {call} }}}}\n")
        result = project.build()
        assert result.returncode != 0, label
        assert "docs/sv/bad.md" in result.stderr and message in result.stderr, f"{label}:\n{result.stderr}"
        html = project.root / "site" / "bad" / "index.html"
        assert not html.exists() or "snippet-status" not in html.read_text(), label


def test_broken_region_markers_fail_the_build(project):
    assert project.verify().returncode == 0
    cases = {
        "// --8<-- [start:greet]\n// --8<-- [start:greet]": "defined twice",
        "// --8<-- [end:greet]": "never closed",
    }
    original = (project.root / "snippets/fixture-go/greet/greet.go").read_text()
    for marker, message in cases.items():
        broken = original.replace("// --8<-- [start:greet]", marker) if "start" in marker else original.replace(marker, "")
        (project.root / "snippets/fixture-go/greet/greet.go").write_text(broken)
        result = project.build(strict=False)
        assert result.returncode != 0 or "Macro Rendering Error" in result.stderr + result.stdout
        assert message in result.stderr + result.stdout, result.stderr


def test_dev_build_before_the_tools_are_set_up_says_where_output_comes_from(project):
    """`make serve` sets up only the site: a page with helm or kustomize
    output must still render, and say the output comes from make verify."""
    (project.root / ".tools").unlink()
    (project.root / ".tools" / "bin").mkdir(parents=True)
    result = project.build(strict=False)
    assert result.returncode == 0, result.stderr
    assert "Macro Rendering Error" not in result.stdout + result.stderr
    html = page_html(project)
    assert html.count("Utdata visas när make verify har kört.") == 2
    assert "The output appears once make verify has run." in page_html(project, "en")
