"""The benchmark's page-weight measurement, run on one real page in Chromium:
its categories add up to what the browser transferred, and text arrives gzip'd."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench import gzip_server, page_weight  # noqa: E402


def test_page_weight_of_a_real_page_adds_up(browser, served_site):
    _, site = served_site
    with gzip_server.serve(site, gzip_server.free_port()) as url:
        transfers = page_weight.load(browser, url + "en/infrastruktur-som-kod/")
    weight = page_weight.summarise(transfers)

    assert weight.total_requests == len(transfers)
    assert sum(weight.requests.values()) == weight.total_requests
    assert sum(weight.bytes.values()) == weight.total_bytes == sum(t.bytes for t in transfers)
    for kind in ("HTML", "CSS", "JS", "search index"):
        assert weight.requests[kind] >= 1, f"no {kind} request recorded: {[t.url for t in transfers]}"
    # Gzip: the page's HTML crosses the wire much smaller than the file on disk.
    html_on_disk = (site / "en" / "infrastruktur-som-kod" / "index.html").stat().st_size
    assert weight.bytes["HTML"] < html_on_disk / 2
