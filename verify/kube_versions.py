"""The Kubernetes versions the site supports: the newest two minor versions
that the pinned kubernetes-validate package has schemas for. Every rendered
object is validated against each of them."""

KUBERNETES_VERSIONS = ("1.36.0", "1.37.0")
NEWEST = KUBERNETES_VERSIONS[-1]
