"""A Go package's verification unit covers the data its tests read.

The gitops package's tests decode the Flux manifests in flux/ and encrypt
and decrypt the Secret in secrets/: a change to any of them must redo the
unit's verification, or a page would go on saying "verified" about files
no tool has seen.
"""

from verify.paths import SNIPPETS
from verify.units import unit_for


def test_gitops_unit_covers_its_flux_manifests_and_encrypted_secrets():
    unit = unit_for("gitops/secrets/prod/orders-database.sops.yaml")
    assert unit.key == "go:gitops"
    files = set(unit.files)
    for data in ("gitops/flux/kustomizations.yaml", "gitops/flux/source.yaml",
                 "gitops/secrets/.sops.yaml", "gitops/secrets/prod/orders-database.sops.yaml"):
        assert SNIPPETS / data in files, f"{data} is not part of {unit.key}"

