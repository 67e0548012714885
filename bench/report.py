"""bench/results.md: every figure of one `make bench` run, as Markdown."""

from __future__ import annotations

from datetime import datetime, timezone

from . import cold_setup, lighthouse, live_edit, scale, verification, zensical
from .build import BuildResult
from .frontend import FrontendResult
from .page_weight import CATEGORIES
from .timing import Timing


def _runs(timing: Timing) -> str:
    return ", ".join(f"{s:.2f}" for s in timing.runs)


def _holds(ok: bool) -> str:
    return "**holds**" if ok else "**does not hold**"


def _kib(n: int) -> str:
    return f"{n / 1024:.1f}"


def header(machine: dict, tools: dict) -> list[str]:
    lines = ["# Benchmarks", "",
             f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by `make bench`. "
             "Times are medians of the runs listed (seconds); the machine is shared, so compare "
             "figures within one report rather than across reports.", "", "## Machine", ""]
    lines += [f"- {key}: {value}" for key, value in machine.items()]
    lines += ["", "## Tools", ""] + [f"- {key}: {value}" for key, value in tools.items()]
    return lines


def footer(seconds: float) -> list[str]:
    return ["", f"_`make bench` took {seconds / 60:.1f} min up to here._"]


def build(result: BuildResult) -> list[str]:
    from .build import OVERHEAD_TARGET

    return ["", "## Build (both languages)", "",
            "| build | median wall | median CPU | runs (wall) | load at end |", "| --- | ---: | ---: | --- | --- |",
            f"| strict build, macros and hooks (`make build` without verify) | {result.full} | "
            f"{result.full.cpu_median:.2f} s | {_runs(result.full)} | {result.full.load_text} |",
            f"| plain Material, the pages as the macros expanded them | {result.expanded} | "
            f"{result.expanded.cpu_median:.2f} s | {_runs(result.expanded)} | {result.expanded.load_text} |",
            f"| plain Material, the pages as written (macro calls as text) | {result.plain} | "
            f"{result.plain.cpu_median:.2f} s | {_runs(result.plain)} | {result.plain.load_text} |",
            "", f"Overhead of macros, hooks and overrides on the same Markdown: **{result.overhead:.2f}×** the "
            f"plain build's wall time (target ≤ {OVERHEAD_TARGET}×: {_holds(result.holds)}), "
            f"**{result.cpu_overhead:.2f}×** its CPU time. Over the pages as written: "
            f"**{result.over_written:.2f}×**.",
            "", "\"The same Markdown\" is what the reader gets: the code blocks, status lines and untranslated "
            "pages the macros and hooks put in, handed to plain Material as files. Over the pages as written, "
            "plain Material sees a macro call as one line of text, so it has no code to highlight and a smaller "
            "search index: that difference is content, not machinery. The real build runs English in a second "
            "process beside Swedish (plain Material builds one after the other), so its wall time gains from a "
            "free second core and loses that gain on a busy machine (load above 2); CPU time does not depend "
            "on the load."]


def scaling(points: list[scale.ScalePoint]) -> list[str]:
    lines = ["", "## Scale (generated knowledge base, strict build, both languages)", "",
             "| pages | median | per page | HTML per page | HTML per page, gzip (median) | runs | load at end |",
             "| ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    lines += [f"| {p.pages} | {p.build} | {1000 * p.per_page:.1f} ms | {_kib(p.html_bytes // p.pages)} KiB "
              f"| {_kib(p.html_gzip_median)} KiB | {_runs(p.build)} | {p.build.load_text} |" for p in points]
    ratio = scale.per_page_ratio(points, 1600)
    lines += ["", f"Per-page time at about 1,600 pages over that at the smallest point: **{ratio:.2f}×** "
              f"(target ≤ {scale.PER_PAGE_TARGET}×: {_holds(ratio <= scale.PER_PAGE_TARGET)}). "
              "Pages are grouped as sections of sections and `navigation.prune` is on, so a page carries "
              "its own branch of the navigation; the HTML per page still grows a little with the number of "
              "groups, one link each. The scale builds run one after another with other work on the machine: "
              "compare the load column before reading a small difference as growth."]
    costs = scale.marginal_costs(points)
    steps = ", ".join(f"{a.pages}→{b.pages}: {1000 * c:.1f} ms" for a, b, c in zip(points, points[1:], costs))
    verdict = "linear" if scale.is_linear(points) else "**not linear**"
    lines += ["", f"Marginal cost per added page: {steps}. Growth is {verdict} "
              f"(linear = each step's marginal cost within {scale.LINEAR_TOLERANCE}× of the previous one; "
              "the fixed start-up cost is spread over more pages)."]
    return lines


def verifying(result: verification.VerificationResult) -> list[str]:
    return ["", f"## Verification ({result.units} units, records in a temporary copy)", "",
            "| run | median | runs | target |", "| --- | ---: | --- | --- |",
            f"| cold (no records) | {result.cold} | {_runs(result.cold)} | — |",
            f"| warm (nothing changed) | {result.warm} | {_runs(result.warm)} | ≤ {verification.WARM_TARGET:.0f} s: {_holds(result.warm_holds)} |",
            f"| one unit changed (`{verification.CHANGED_FILE}`) | {result.changed} | {_runs(result.changed)} | "
            f"≤ {result.changed_unit_check:.2f} s own check + {verification.CHANGED_SLACK:.0f} s = "
            f"{result.changed_target:.2f} s: {_holds(result.changed_holds)} |",
            "", f"Units re-run after the change: {', '.join(result.reran) or 'none'}. "
            "The Go build cache is shared, so a cold run here still reuses compiled dependencies."]


LIVE_TARGET = 1.0  # seconds from save to served page


def live(result: live_edit.LiveEdit) -> list[str]:
    timing = result.saved_to_served
    return ["", "## Live editing (`mkdocs serve`)", "",
            f"Saving `docs/sv/varfor-go.md` until the dev server serves the changed page: **{timing}** "
            f"(runs: {_runs(timing)}; load at end {timing.load_text}); target ≤ {LIVE_TARGET:.0f} s: "
            f"{_holds(timing.median <= LIVE_TARGET)}. Of that, the server notices the save after "
            f"{result.noticed_median:.2f} s (MkDocs polls the sources every 0.5 s and waits 0.1 s more) "
            f"and rebuilds in {result.rebuilt_median:.2f} s (medians, from its log lines).",
            "", "Both languages are rebuilt on every save, in parallel: each language's build reads the "
            "other's pages (the translation status page compares every English page with its Swedish "
            "original, and untranslated English pages are the Swedish ones), so rebuilding only the changed "
            "language would serve stale pages. A rebuild is a full MkDocs build of each language: loading the "
            "config and plugins, every page's macros and Markdown, the search index and the theme; the "
            "English process is started, its imports done, before the save. MkDocs has no correct "
            "incremental build (`--dirty` renders only the changed page and gives the other pages' nav "
            "entries file-name titles), so below the rebuild's time a save cannot get without replacing "
            "MkDocs' build loop."]


def frontend(result: FrontendResult, lighthouse_runs: int) -> list[str]:
    pages = result.pages
    lines = ["", "## Page weight (Chromium, gzip, fresh cache)", "",
             "KiB transferred (bodies as sent, plus headers) / requests.", "",
             "| page | " + " | ".join(CATEGORIES) + " | total |",
             "| --- |" + " ---: |" * (len(CATEGORIES) + 1)]
    for page in pages:
        w = page.weight
        cells = [f"{_kib(w.bytes[c])} / {w.requests[c]}" for c in CATEGORIES]
        lines.append(f"| {page.name} | " + " | ".join(cells) + f" | **{_kib(w.total_bytes)} / {w.total_requests}** |")
    lines += ["", f"## Lighthouse (mobile preset, median of {lighthouse_runs} run(s) per page)", "",
              "| page | " + " | ".join(lighthouse.CATEGORIES) + " | total blocking time | benchmarkIndex |",
              "| --- |" + " ---: |" * (len(lighthouse.CATEGORIES) + 2)]
    for page in pages:
        lines.append(f"| {page.name} | " + " | ".join(str(page.scores[c]) for c in lighthouse.CATEGORIES)
                     + f" | {page.scores['TBT ms']} ms | {page.scores['benchmarkIndex']} |")
    lines += ["", "### Every other page (lowest performance first)", "",
              f"One run each; a page below {lighthouse.TARGET} in any category is measured again, "
              f"median of {lighthouse_runs}.", "",
              "| page | " + " | ".join(lighthouse.CATEGORIES) + " | total blocking time | runs |",
              "| --- |" + " ---: |" * (len(lighthouse.CATEGORIES) + 2)]
    for page in sorted(result.sweep, key=lambda p: (p.scores["performance"], p.path)):
        lines.append(f"| {page.path} | " + " | ".join(str(page.scores[c]) for c in lighthouse.CATEGORIES)
                     + f" | {page.scores['TBT ms']} ms | {page.runs} |")
    scored = [(p.name, p.scores) for p in pages] + [(p.path, p.scores) for p in result.sweep]
    below = [(n, c, s[c]) for n, s in scored for c in lighthouse.CATEGORIES if s[c] < lighthouse.TARGET]
    lines += ["", f"Target ≥ {lighthouse.TARGET} in every category on every page: {_holds(not below)}"
              + (": below on " + "; ".join(f"{n} {c} {v}" for n, c, v in below) if below else ".")]
    lines += ["", "Lighthouse scales the CPU time it observes, so a busy machine (low benchmarkIndex) "
              "lowers the performance score through total blocking time; accessibility, best "
              "practices and SEO do not depend on it. A single run varies by a few points."]
    lost = {(p.name, c): p.lost_points[c] for p in pages for c in lighthouse.CATEGORIES if p.lost_points[c]}
    if lost:
        lines += ["", "Audits that lost points (last run):", ""]
        lines += [f"- {name}, {c}: {', '.join(audits)}" for (name, c), audits in lost.items()]
    return lines


def cold(result: cold_setup.ColdSetup | None) -> list[str]:
    lines = ["", "## Cold set-up (fresh clone, `make test`, empty Go, pip and npm caches)", ""]
    if result is None:
        return lines + ["Not measured in this run: `python -m bench --cold-setup` measures it (tens of minutes)."]
    lines += [f"**{result.seconds / 60:.1f} min**, exit status {result.returncode}; target ≤ "
              f"{cold_setup.TARGET / 60:.0f} min: {_holds(result.holds)}. Load average before "
              + " / ".join(f"{x:.1f}" for x in result.load_before) + ", after "
              + " / ".join(f"{x:.1f}" for x in result.load_after) + ".", "",
              "| phase | seconds | share |", "| --- | ---: | ---: |"]
    lines += [f"| {name} | {seconds:.0f} | {100 * seconds / result.seconds:.0f} % |"
              for name, seconds in sorted(result.phases, key=lambda p: -p[1])]
    if result.returncode != 0:
        lines += ["", "Last lines:", "", "```text", result.tail, "```"]
    return lines


def zensical_trial(trial: zensical.ZensicalTrial) -> list[str]:
    lines = ["", f"## Zensical {trial.version} trial (not blocking)", ""]
    if not trial.installed:
        return lines + [f"Zensical {trial.version} could not be installed: `{trial.problem}`. Nothing was built."]
    if trial.problem:
        return lines + [f"The MkDocs build took {trial.mkdocs_seconds:.2f} s; Zensical failed: `{trial.problem}`."]
    lines += [f"Both languages: MkDocs {trial.mkdocs_seconds:.2f} s, Zensical {trial.zensical_seconds:.2f} s.", "",
              f"What a reader would find different ({len(trial.differences)} findings, first 40):", ""]
    return lines + [f"- {finding}" for finding in trial.differences[:40]]
