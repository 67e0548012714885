"""Reading times are counted from a page's prose when the site is built, and a
call naming a page that does not exist fails the build naming both pages."""

from macros.reading_time import minutes, reading_time, words

PAGE = """---
title: Sidan
description: tre ord till
---

# Rubrik {#heading}

Ett två tre, [fyra](annan.md#ankare) fem.

```go
func notProse() {}
```

{{ snippet("go/x/x.go", region="r") }}

<div class="grid cards" markdown>
sex sju
</div>
"""


def test_only_prose_counts():
    assert words(PAGE) == 8  # Rubrik, Ett, två, tre, fyra, fem, sex, sju


def test_minutes_round_up_and_never_say_zero():
    assert minutes(0) == 1
    assert minutes(200) == 1
    assert minutes(201) == 2


def test_strict_build_fails_on_a_page_that_does_not_exist_naming_both(project):
    project.write("docs/sv/vag.md", '# Väg\n\nLästid: {{ reading_time("finns-inte.md") }}\n')
    project.write("docs/exercises.yml", "hello:\n  command: echo hej\n  expect: hej\n  text: {sv: Säg hej., en: Say hi.}\n")
    project.write("docs/sv/ovning.md", '# Övning\n\n{{ exercise("finns-inte") }}\n')
    assert project.verify().returncode == 0
    result = project.build()
    assert result.returncode != 0, result.stderr
    assert "docs/sv/vag.md: reading_time('finns-inte.md'): no page 'finns-inte.md' in docs/" in result.stderr
    assert "docs/sv/ovning.md: exercise('finns-inte'): no such exercise in docs/exercises.yml; known: hello" \
        in result.stderr


def test_a_page_not_yet_translated_gets_the_reading_time_of_the_page_shown(tmp_path):
    # The English build shows the Swedish page for an untranslated one.
    english, swedish = tmp_path / "en", tmp_path / "sv"
    english.mkdir()
    swedish.mkdir()
    (swedish / "bara-svenska.md").write_text("# Bara svenska\n\n" + "ord " * 450)
    assert reading_time("bara-svenska.md", [english, swedish], "docs/en/vag.md") == "3 min"
