"""The benchmark's own parts: page-weight figures add up, its server really
sends gzip, it picks the pages to audit from the site, its report names every
page below target, the scale copies take every page, and the build's
baseline gets every page as the macros expanded it."""

import gzip
import shutil
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import build, frontend, gzip_server, lighthouse, page_weight, report, scale  # noqa: E402


def test_page_weight_categories_add_up_to_the_total():
    transfers = [
        page_weight.Transfer("http://127.0.0.1/en/", "document", 5000),
        page_weight.Transfer("http://127.0.0.1/assets/stylesheets/main.css", "stylesheet", 2000),
        page_weight.Transfer("http://127.0.0.1/assets/javascripts/bundle.js", "script", 3000),
        page_weight.Transfer("http://127.0.0.1/assets/fonts/x.woff2", "font", 700),
        page_weight.Transfer("http://127.0.0.1/en/search/search_index.json", "fetch", 4000),
        page_weight.Transfer("http://127.0.0.1/assets/favicon.svg", "other", 300),
    ]
    weight = page_weight.summarise(transfers)
    assert sum(weight.bytes.values()) == weight.total_bytes == 15000
    assert sum(weight.requests.values()) == weight.total_requests == len(transfers)
    assert {kind: weight.requests[kind] for kind in page_weight.CATEGORIES} == dict.fromkeys(page_weight.CATEGORIES, 1)


def test_bench_server_sends_text_gzip_compressed(tmp_path):
    page = "<!doctype html><title>x</title>" + "<p>samma rad</p>\n" * 500
    (tmp_path / "index.html").write_text(page)
    port = gzip_server.free_port()
    with gzip_server.serve(tmp_path, port) as url:
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            body = response.read()
            assert response.headers["Content-Encoding"] == "gzip"
    assert len(body) < len(page) / 10
    assert gzip.decompress(body).decode() == page


def _page(site: Path, path: str, snippets: int) -> None:
    (site / path).mkdir(parents=True, exist_ok=True)
    (site / path / "index.html").write_text('<p class="snippet-status">verified</p>' * snippets)


def test_bench_measures_each_languages_home_and_snippet_heaviest_page(tmp_path):
    for path, snippets in {"": 0, "a/": 1, "b/": 3, "en/": 0, "en/a/": 4, "en/b/": 3}.items():
        _page(tmp_path, path, snippets)
    chosen = frontend.measured_pages(tmp_path)
    assert sorted(chosen.values()) == ["", "b/", "en/", "en/a/"]


def test_bench_report_names_every_page_below_the_target():
    scores = {c: 100 for c in lighthouse.CATEGORIES} | {"TBT ms": 10, "benchmarkIndex": 2000}
    measured = frontend.PageResult("home (sv)", "", page_weight.summarise([]), scores, {c: [] for c in lighthouse.CATEGORIES})
    slow = frontend.SweepResult("diagram/", scores | {"performance": 88, "TBT ms": 420}, 5)
    lines = "\n".join(report.frontend(frontend.FrontendResult([measured], [slow]), 1))
    assert "**does not hold**: below on diagram/ performance 88" in lines
    fine = "\n".join(report.frontend(frontend.FrontendResult([measured], []), 1))
    assert "on every page: **holds**." in fine


def test_scale_copies_every_page_of_every_language(tmp_path):
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    pages = scale.real_page_count()
    assert scale.generate(tmp_path, copies=3) == 3 * pages
    assert sum(1 for _ in (tmp_path / "docs").rglob("*.md")) == 3 * pages


def test_cold_setup_phases_run_until_the_next_phase_starts():
    from bench import cold_setup

    timed = [(0.0, "python3.11 -m venv .venv"), (20.0, ".venv/bin/pip install --quiet -r requirements.lock"),
             (25.0, "Collecting nothing"), (110.0, "cd tools/helm && GOBIN=x go install tool"),
             (300.0, "tools/debian-binary.sh shellcheck tools/shellcheck.version usr/bin/shellcheck x"),
             (310.0, 'tools/build-control-plane.sh kubernetes .tools/bin "" kube-apiserver'),
             (830.0, ".venv/bin/python -m verify"), (900.0, "ok   go:go/workerpool")]
    assert cold_setup.phases(timed, end=1000.0) == [
        ("Python virtual environment", 20.0), ("pip install (requirements.lock)", 90.0),
        ("go install helm", 190.0), ("Debian binary shellcheck", 10.0), ("control plane tools/kubernetes", 520.0),
        ("make verify (go test -race, helm, kustomize, ...)", 170.0)]


def test_build_baseline_gets_every_page_as_the_macros_expanded_it(tmp_path):
    pages = build.expanded_pages(tmp_path)
    for language in ("sv", "en"):
        written = {p.relative_to(ROOT / "docs" / language) for p in (ROOT / "docs" / language).rglob("*.md")}
        assert {p.relative_to(pages / language) for p in (pages / language).rglob("*.md")} == written
    go_page = (pages / "sv" / "varfor-go.md").read_text()
    assert "{{ snippet(" not in go_page
    assert "``` go title=" in go_page and "snippet-status" in go_page
