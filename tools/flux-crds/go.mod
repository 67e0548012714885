module kunskapsbas.local/tools/flux-crds

go 1.26.8

// Flux's CustomResourceDefinitions ship in these modules' zips
// (config/crd/bases/), at the version of the API modules that
// snippets/gitops pins. Only downloaded (go mod download), never built.
require (
	github.com/fluxcd/kustomize-controller v1.9.6
	github.com/fluxcd/source-controller v1.9.6
)
