"""Mistakes the offline schema check accepts are refused by the real API server.

One fixture project holds the site's own platform and base
(snippets/kustomize/) plus one broken overlay per mistake
(tests/fixtures/cluster/snippets/broken/) and a copy of the chart with a
broken template; one `python -m verify` run proves them all on one control
plane and must fail each, naming the unit, the object, the file that
produced it and the API server's own message, while the platform beside
them passes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
MACHINERY = ("hooks", "macros", "verify", "overrides")  # as in conftest.py's fixture project

BROKEN = ROOT / "tests" / "fixtures" / "cluster" / "snippets" / "broken"
BASE = "snippets/kustomize/base"

# mistake -> (object, file named as its source, words of the API server)
EXPECTED = {
    "selector-mismatch": ("Deployment/orders", f"{BASE}/deployment.yaml",
                          "`selector` does not match template `labels`"),
    "port-name-too-long": ("Deployment/orders", f"{BASE}/deployment.yaml", "must be no more than 15 characters"),
    "invalid-label-value": ("Service/orders", f"{BASE}/service.yaml", "a valid label must be"),
    "request-above-limit": ("Deployment/orders", f"{BASE}/deployment.yaml",
                            "must be less than or equal to memory limit"),
    "quantity-with-unit-typo": ("Deployment/orders", f"{BASE}/deployment.yaml",
                                "quantities must match the regular expression"),
    "hpa-min-above-max": ("HorizontalPodAutoscaler/orders", f"{BASE}/hpa.yaml",
                          "must be greater than or equal to `minReplicas`"),
    "pdb-min-and-max": ("PodDisruptionBudget/orders", f"{BASE}/poddisruptionbudget.yaml",
                        "minAvailable and maxUnavailable cannot be both set"),
    "service-name-not-dns-label": ("Service/orders.api", f"{BASE}/service.yaml", "must not contain dots"),
    "duplicate-env-var": ("Deployment/orders", f"{BASE}/deployment.yaml", "duplicate entries for key [name=\"GOMAXPROCS\"]"),
    "privileged-in-restricted-namespace": ("Deployment/orders", f"{BASE}/deployment.yaml",
                                           'violate PodSecurity "restricted:latest"'),
}
HELM_TEMPLATE = "snippets/broken-helm/orders/templates/poddisruptionbudget.yaml"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cluster") / "project"
    (root / "docs" / "sv").mkdir(parents=True)
    for name in MACHINERY:
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for config in ("mkdocs.yml", "mkdocs.en.yml"):
        text = (ROOT / config).read_text()
        (root / config).write_text(text[: text.index("\nnav:")] + "\n")
    for installed in (".tools", "node_modules", "tools"):  # set up by make, shared read-only
        (root / installed).symlink_to(ROOT / installed)
    for folder in ("platform", "base"):
        shutil.copytree(ROOT / "snippets" / "kustomize" / folder, root / "snippets" / "kustomize" / folder)
    shutil.copytree(BROKEN, root / "snippets" / "broken")
    chart = root / "snippets" / "broken-helm" / "orders"
    shutil.copytree(ROOT / "snippets" / "helm" / "orders", chart)
    template = root / HELM_TEMPLATE
    text = template.read_text()
    template.write_text(text.replace("spec:\n  maxUnavailable:", "spec:\n  minAvailable: 1\n  maxUnavailable:", 1))
    calls = [f'{{{{ kustomize_build("broken/{name}") }}}}' for name in EXPECTED]
    calls.append('{{ helm_template("broken-helm/orders") }}')
    calls += ['{{ kustomize_build("kustomize/platform") }}', '{{ kustomize_build("kustomize/base") }}']
    (root / "docs" / "sv" / "index.md").write_text("# Trasigt\n\n" + "\n\n".join(calls) + "\n")
    return root


def _verify(root: Path) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "verify"], cwd=root, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return result, time.monotonic() - started


@pytest.fixture(scope="module")
def failures(project) -> dict[str, str]:
    """Unit key -> what the report says about its failure."""
    result, _ = _verify(project)
    assert result.returncode != 0, result.stdout
    blocks = re.split(r"^--- (\S+) failed$", result.stderr, flags=re.M)
    return dict(zip(blocks[1::2], blocks[2::2]))


@pytest.mark.parametrize("mistake", sorted(EXPECTED))
def test_api_server_refuses_the_mistake_naming_object_file_and_reason(failures, mistake):
    obj, source, message = EXPECTED[mistake]
    report = failures.get(f"kustomize:broken/{mistake}")
    assert report is not None, f"broken/{mistake} passed verification: {sorted(failures)}"
    assert "docs/sv/index.md" in report  # the page
    assert "API server refused" in report, report
    assert f"{obj} from {source}" in report, report
    assert message in report, report


def test_chart_error_names_the_template_helm_rendered_it_from(failures):
    report = failures["helm:broken-helm/orders"]
    assert "PodDisruptionBudget/orders from snippets/broken-helm/orders/templates/poddisruptionbudget.yaml" in report
    assert "minAvailable and maxUnavailable cannot be both set" in report


def test_platform_and_base_still_pass_beside_the_broken_units(project, failures):
    assert "kustomize:kustomize/platform" not in failures and "kustomize:kustomize/base" not in failures
    (record,) = (project / ".cache" / "verify" / "kustomize__kustomize_platform").glob("*.json")
    assert '"passed": true' in record.read_text()
