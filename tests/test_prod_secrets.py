"""Every Secret the prod pods read is one the encrypted secrets provide.

Flux applies snippets/gitops/secrets/prod (decrypted) before the prod
overlay; a pod that references a Secret or key that is not there fails to
start with CreateContainerConfigError. The encrypted files keep names and
keys readable, so this needs no key.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PROD_OVERLAY = ROOT / "snippets" / "kustomize" / "overlays" / "prod"
PROD_SECRETS = ROOT / "snippets" / "gitops" / "secrets" / "prod"
KUSTOMIZE = ROOT / ".tools" / "bin" / "kustomize"


def provided_secrets() -> dict[tuple[str, str], set[str]]:
    """(namespace, name) -> keys, from the encrypted files' readable parts."""
    provided = {}
    for path in sorted(PROD_SECRETS.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and doc.get("kind") == "Secret":
                meta = doc["metadata"]
                keys = set(doc.get("stringData") or {}) | set(doc.get("data") or {})
                provided[(meta["namespace"], meta["name"])] = keys
    return provided


def secret_references(objects: list[dict]):
    """(object, namespace, Secret name, key or None) for every Secret a pod template reads."""
    for obj in objects:
        spec = (obj.get("spec") or {}).get("template", {}).get("spec")
        if not spec:
            continue
        where, namespace = f"{obj['kind']}/{obj['metadata']['name']}", obj["metadata"].get("namespace")
        for container in spec.get("initContainers", []) + spec.get("containers", []):
            for env in container.get("env", []):
                ref = (env.get("valueFrom") or {}).get("secretKeyRef")
                if ref and not ref.get("optional"):
                    yield where, namespace, ref["name"], ref["key"]
            for source in container.get("envFrom", []):
                ref = source.get("secretRef")
                if ref and not ref.get("optional"):
                    yield where, namespace, ref["name"], None
        for volume in spec.get("volumes", []):
            ref = volume.get("secret")
            if ref and not ref.get("optional"):
                yield where, namespace, ref["secretName"], None


def missing(objects: list[dict], provided: dict[tuple[str, str], set[str]]) -> list[str]:
    problems = []
    for where, namespace, name, key in secret_references(objects):
        keys = provided.get((namespace, name))
        if keys is None:
            problems.append(f"{where} reads Secret {namespace}/{name}, which snippets/gitops/secrets/prod does not provide")
        elif key is not None and key not in keys:
            problems.append(f"{where} reads key {key!r} of Secret {namespace}/{name}, which has only {sorted(keys)}")
    return problems


@pytest.fixture(scope="module")
def prod() -> list[dict]:
    if not KUSTOMIZE.is_file():
        pytest.fail(f"{KUSTOMIZE} is missing: run `make setup`", pytrace=False)
    out = subprocess.run([str(KUSTOMIZE), "build", str(PROD_OVERLAY)], capture_output=True, text=True, check=True)
    return [o for o in yaml.safe_load_all(out.stdout) if o]


def test_prod_secrets_provide_the_database_url():
    assert provided_secrets() == {("orders-prod", "orders-database"): {"url"}}


def test_every_secret_the_prod_pods_read_is_provided(prod):
    problems = missing(prod, provided_secrets())
    assert not problems, "\n".join(problems)


def test_a_reference_to_a_missing_key_or_secret_is_found():
    deployment = {"kind": "Deployment", "metadata": {"name": "orders", "namespace": "orders-prod"},
                  "spec": {"template": {"spec": {"containers": [{"name": "api", "env": [
                      {"name": "DATABASE_URL", "valueFrom": {"secretKeyRef": {"name": "orders-database", "key": "password"}}},
                      {"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "payments", "key": "token"}}},
                  ]}]}}}}
    problems = missing([deployment], provided_secrets())
    assert len(problems) == 2, problems
    assert "'password'" in problems[0] and "orders-prod/payments" in problems[1]
