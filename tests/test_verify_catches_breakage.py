"""The verifier fails for every kind of breakage, naming the file at fault.

Each test breaks one thing in a fixture project and runs the real
`python -m verify` on it, as `make verify` does.
"""

import pytest

GO_FILE = "snippets/fixture-go/greet/greet.go"
GO_TEST = "snippets/fixture-go/greet/greet_test.go"
CHART_TEMPLATE = "snippets/fixture-helm/demo/templates/configmap.yaml"
KUSTOMIZATION = "snippets/fixture-kustomize/base/kustomization.yaml"


def assert_fails(result, *expected: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for text in expected:
        assert text in output, f"{text!r} missing from:\n{output}"


def test_fixture_project_verifies_cleanly(project):
    result = project.verify()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 units verified, 0 failed" in result.stdout


def test_go_file_that_does_not_compile_is_caught(project):
    project.edit(GO_FILE, 'return fmt.Sprintf("Hej, %s!", name)', "return name +")
    assert_fails(project.verify(), "go:fixture-go/greet", "greet.go", "1 failed")


def test_failing_go_test_is_caught(project):
    project.edit(GO_FILE, "Hej, %s!", "Hallå, %s!")
    assert_fails(project.verify(), "go test -race", "greet_test.go", "docs/sv/index.md")


def test_unformatted_go_file_is_caught(project):
    project.edit(GO_FILE, "func Greet(name string) string {", "func Greet(name string) string   {")
    assert_fails(project.verify(), "gofmt", "greet.go")


def test_region_marker_in_a_doc_comment_is_caught(project):
    project.edit(GO_FILE, "// --8<-- [start:greet]\n\n// Greet", "// --8<-- [start:greet]\n// Greet")
    assert_fails(project.verify(), "go doc", "region markers in doc comments", "fixture-go/greet")


def test_go_package_without_tests_is_caught(project):
    (project.root / GO_TEST).unlink()
    assert_fails(project.verify(), "snippets/fixture-go/greet has no tests")


def test_chart_rendering_an_unknown_field_is_caught(project):
    project.edit(CHART_TEMPLATE, "\ndata:", "\ncolour: blue\ndata:")
    assert_fails(project.verify(), "ConfigMap/demo-greeting", "colour", "helm:fixture-helm/demo")


def test_kustomization_pointing_at_a_missing_file_is_caught(project):
    project.edit(KUSTOMIZATION, "configmap.yaml", "missing.yaml")
    assert_fails(project.verify(), "kustomize build", "missing.yaml")


def test_workload_breaking_policy_is_caught(project):
    project.write("snippets/fixture-kustomize/base/deployment.yaml", """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: greeter
spec:
  selector:
    matchLabels: {app: greeter}
  template:
    metadata:
      labels: {app: greeter}
    spec:
      containers:
        - name: greeter
          image: example/greeter:latest
""")
    project.edit(KUSTOMIZATION, "  - configmap.yaml", "  - configmap.yaml\n  - deployment.yaml")
    assert_fails(project.verify(), "Deployment/greeter", "[resources]", "[probes]", "[pinned-image]")


def test_inline_untested_block_is_caught(project):
    project.write("docs/sv/inline.md", "# Inline\n\n```go\npackage main\n```\n")
    assert_fails(project.verify(), "docs/sv/inline.md:3", "inline ```go block")


def test_illustrative_block_is_allowed(project):
    project.write("docs/sv/inline.md", "# Inline\n\n{% call illustrative() %}\n```yaml\na: 1\n```\n{% endcall %}\n")
    result = project.verify()
    assert result.returncode == 0, result.stdout + result.stderr


def test_orphan_snippet_file_is_caught(project):
    project.write("snippets/fixture-go/greet/extra.go", "package greet\n\n// Extra is never shown.\nconst Extra = 1\n")
    assert_fails(project.verify(), "snippets/fixture-go/greet/extra.go is an orphan")


def test_translation_embedding_other_snippets_is_caught(project):
    project.edit("docs/en/index.md", '{{ snippet("fixture-helm/demo/values.yaml") }}', "")
    assert_fails(project.verify(), "docs/en/index.md embeds", "docs/sv/index.md embeds")


def test_missing_snippet_file_is_caught(project):
    project.edit("docs/sv/index.md", "fixture-kustomize/base/configmap.yaml", "fixture-kustomize/base/nope.yaml")
    assert_fails(project.verify(), "docs/sv/index.md", "snippets/fixture-kustomize/base/nope.yaml does not exist")


def test_indented_call_without_indent_filter_is_caught(project):
    project.write("docs/sv/tabs.md", '# Tabs\n\n=== "Go"\n\n    {{ snippet("fixture-go/greet/greet.go") }}\n')
    assert_fails(project.verify(), "docs/sv/tabs.md:5", "indent(4)")


@pytest.mark.parametrize("unit", ["go:fixture-go/greet", "helm:fixture-helm/demo"])
def test_second_run_reuses_records_and_a_change_reruns_only_that_unit(project, unit):
    assert project.verify().returncode == 0
    again = project.verify()
    assert again.stdout.count("cached") == 3, again.stdout
    if unit.startswith("go:"):
        project.edit(GO_FILE, "// Greet returns", "// Greet politely returns")
    else:
        project.edit("snippets/fixture-helm/demo/values.yaml", "hej", "hejsan")
    changed = project.verify()
    assert changed.returncode == 0, changed.stdout + changed.stderr
    rerun = [line for line in changed.stdout.splitlines() if line.startswith("ok") and "cached" not in line]
    assert len(rerun) == 1 and unit in rerun[0], changed.stdout



def test_switching_a_change_back_reverifies_nothing(project):
    """Like checking out another branch and returning: both versions' records stay."""
    assert project.verify().returncode == 0
    original = (project.root / GO_FILE).read_text()
    project.edit(GO_FILE, "// Greet returns", "// Greet politely returns")
    changed = project.verify()
    assert changed.returncode == 0 and changed.stdout.count("cached") == 2, changed.stdout
    (project.root / GO_FILE).write_text(original)
    back = project.verify()
    assert back.returncode == 0 and back.stdout.count("cached") == 3, back.stdout


def test_front_matter_that_is_no_yaml_is_caught_without_a_build(project):
    project.write("docs/sv/trasig.md", "---\ntitle: [oavslutad\n---\n\n# Trasig\n")
    assert_fails(project.verify(), "docs/sv/trasig.md: front matter is not valid YAML")


def test_tag_outside_the_languages_allowed_list_is_caught_without_a_build(project):
    project.write("docs/en/tagged.md", "---\ntags: [mönster]\n---\n\n# Tagged\n")
    assert_fails(project.verify(), "docs/en/tagged.md: tag 'mönster' is not in tags_allowed of mkdocs.en.yml")

def test_translation_with_other_headings_is_caught(project):
    project.edit("docs/en/gammal.md", "## Details {#details}", "### Details {#more}")
    assert_fails(
        project.verify(),
        "docs/en/gammal.md does not have the heading structure of docs/sv/gammal.md",
        "'### Details {#more}' at docs/en/gammal.md:",
        "'## Detaljer {#details}' at docs/sv/gammal.md:",
    )


def test_embedded_line_wider_than_80_columns_is_caught(project):
    """A tab counts as 4: the comment below is 79 characters after its tab."""
    comment = "\t// " + "x" * 79
    project.edit(GO_FILE, 'return fmt.Sprintf("Hej, %s!", name)', 'return fmt.Sprintf("Hej, %s!", name)\n' + comment)
    assert_fails(project.verify(), "snippets/fixture-go/greet/greet.go:", "86 columns, more than 80",
                 "docs/sv/index.md")


def test_line_of_exactly_80_columns_with_a_tab_passes_the_width_rule(project):
    project.edit(GO_FILE, 'return fmt.Sprintf("Hej, %s!", name)',
                 'return fmt.Sprintf("Hej, %s!", name)\n\t// ' + "x" * 73)
    output = project.verify()
    assert "more than 80" not in output.stdout + output.stderr
