// Package gitops holds the Flux manifests in flux/ that deploy
// snippets/kustomize to the cluster. No cluster is needed to trust them:
// these tests decode every manifest strictly into Flux's own Go API types
// (an unknown or misspelt field fails, as the API server would refuse it)
// and check that every path and reference points at something that exists.
package gitops

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	kustomizev1 "github.com/fluxcd/kustomize-controller/api/v1"
	sourcev1 "github.com/fluxcd/source-controller/api/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// repoRoot is where Flux resolves paths: the root of the Git repository.
const repoRoot = "../.."

// overlays are the environments Flux must deploy, relative to repoRoot.
const overlays = "snippets/kustomize/overlays"

// manifests are the decoded Flux objects, keyed by namespace/name.
type manifests struct {
	sources        map[string]*sourcev1.GitRepository
	kustomizations map[string]*kustomizev1.Kustomization
}

// decodeStrict decodes one YAML document into the Flux type its apiVersion
// and kind name. Unknown fields and duplicate keys are errors.
func decodeStrict(doc []byte) (metav1.Object, error) {
	var meta metav1.TypeMeta
	if err := yaml.Unmarshal(doc, &meta); err != nil {
		return nil, err
	}
	var obj metav1.Object
	switch meta.GroupVersionKind() {
	case sourcev1.GroupVersion.WithKind(sourcev1.GitRepositoryKind):
		obj = &sourcev1.GitRepository{}
	case kustomizev1.GroupVersion.WithKind(kustomizev1.KustomizationKind):
		obj = &kustomizev1.Kustomization{}
	default:
		return nil, errors.New("not a Flux GitRepository or Kustomization: " + meta.APIVersion + " " + meta.Kind)
	}
	if err := yaml.UnmarshalStrict(doc, obj); err != nil {
		return nil, err
	}
	return obj, nil
}

// documents splits a file into its YAML documents, skipping empty ones.
func documents(file string) ([][]byte, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var docs [][]byte
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if json, err := yaml.YAMLToJSON(doc); err == nil && string(json) == "null" {
			continue // only comments
		}
		docs = append(docs, doc)
	}
}

// loadManifests decodes every document of every flux/*.yaml file and
// reports all the documents that fail, not only the first.
func loadManifests() (manifests, error) {
	m := manifests{
		sources:        map[string]*sourcev1.GitRepository{},
		kustomizations: map[string]*kustomizev1.Kustomization{},
	}
	files, err := filepath.Glob("flux/*.yaml")
	if err != nil || len(files) == 0 {
		return m, fmt.Errorf("no Flux manifests in flux/ (%v)", err)
	}
	var errs []error
	for _, file := range files {
		docs, err := documents(file)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for i, doc := range docs {
			obj, err := decodeStrict(doc)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s, document %d: %w", file, i+1, err))
				continue
			}
			key := obj.GetNamespace() + "/" + obj.GetName()
			switch o := obj.(type) {
			case *sourcev1.GitRepository:
				m.sources[key] = o
			case *kustomizev1.Kustomization:
				m.kustomizations[key] = o
			}
		}
	}
	return m, errors.Join(errs...)
}

func load(t *testing.T) manifests {
	t.Helper()
	m, err := loadManifests()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestManifestsDecodeStrictlyIntoFluxTypes(t *testing.T) {
	m := load(t)
	if len(m.sources) == 0 || len(m.kustomizations) == 0 {
		t.Fatalf("want at least one GitRepository and one Kustomization, got %d and %d",
			len(m.sources), len(m.kustomizations))
	}
}

func TestStrictDecodingRejectsAMisspeltField(t *testing.T) {
	docs, err := documents("flux/kustomizations.yaml")
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(docs, func(doc []byte) bool { return bytes.Contains(doc, []byte("name: orders-prod")) })
	if i < 0 {
		t.Fatal("flux/kustomizations.yaml has no orders-prod Kustomization")
	}
	// A typo a lenient decoder would silently drop, leaving pruning off.
	typo := bytes.Replace(docs[i], []byte("prune: true"), []byte("prnue: true"), 1)
	if bytes.Equal(typo, docs[i]) {
		t.Fatal("orders-prod has no `prune: true` to misspell")
	}
	if _, err := decodeStrict(typo); err == nil || !strings.Contains(err.Error(), "prnue") {
		t.Fatalf("want an error naming the unknown field prnue, got %v", err)
	}
}

func TestKustomizationPathsAreKustomizeTargetsInThisRepository(t *testing.T) {
	for key, k := range load(t).kustomizations {
		p := k.Spec.Path
		if !strings.HasPrefix(p, "./") || path.Clean(p) != strings.TrimPrefix(p, "./") || strings.HasPrefix(path.Clean(p), "..") {
			t.Errorf("%s: path %q must be a clean ./relative path inside the repository", key, p)
			continue
		}
		// Without a kustomization.yaml Flux generates one from the folder's
		// manifests, so a folder of YAML files is a target too.
		dir := filepath.Join(repoRoot, filepath.FromSlash(p))
		manifests, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		if len(manifests) == 0 {
			t.Errorf("%s: path %q has no kustomization.yaml or manifests", key, p)
		}
	}
}

func TestEveryOverlayIsDeployedByExactlyOneKustomization(t *testing.T) {
	deployed := map[string]int{}
	for _, k := range load(t).kustomizations {
		deployed[path.Clean(k.Spec.Path)]++
	}
	entries, err := os.ReadDir(filepath.Join(repoRoot, filepath.FromSlash(overlays)))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		overlay := path.Join(overlays, e.Name())
		if n := deployed[overlay]; n != 1 {
			t.Errorf("%s is deployed by %d Flux Kustomizations, want exactly 1", overlay, n)
		}
	}
}

func TestSourcesAndDependenciesExist(t *testing.T) {
	m := load(t)
	for key, k := range m.kustomizations {
		ref := k.Spec.SourceRef
		namespace := cmp.Or(ref.Namespace, k.Namespace)
		if ref.Kind != sourcev1.GitRepositoryKind || m.sources[namespace+"/"+ref.Name] == nil {
			t.Errorf("%s: sourceRef %s %s/%s is not a GitRepository in flux/", key, ref.Kind, namespace, ref.Name)
		}
		for _, dep := range k.Spec.DependsOn {
			if m.kustomizations[cmp.Or(dep.Namespace, k.Namespace)+"/"+dep.Name] == nil {
				t.Errorf("%s: dependsOn %s is not a Kustomization in flux/", key, dep.Name)
			}
		}
	}
}

func TestEveryApplicationWaitsForThePlatform(t *testing.T) {
	for key, k := range load(t).kustomizations {
		if !strings.HasPrefix(path.Clean(k.Spec.Path), overlays+"/") {
			continue
		}
		if !slices.ContainsFunc(k.Spec.DependsOn, func(d kustomizev1.DependencyReference) bool { return d.Name == "platform" }) {
			t.Errorf("%s: applies an overlay without dependsOn platform (its namespace and quota)", key)
		}
	}
}

func TestEveryKustomizationPrunesAndWaitsForHealth(t *testing.T) {
	for key, k := range load(t).kustomizations {
		if !k.Spec.Prune {
			t.Errorf("%s: prune is off: objects deleted from Git would stay in the cluster", key)
		}
		if !k.Spec.Wait {
			t.Errorf("%s: wait is off: a failed rollout would still count as applied", key)
		}
	}
}

func TestSparseCheckoutIncludesEveryPathFluxApplies(t *testing.T) {
	m := load(t)
	for key, k := range m.kustomizations {
		source := m.sources[cmp.Or(k.Spec.SourceRef.Namespace, k.Namespace)+"/"+k.Spec.SourceRef.Name]
		if source == nil || len(source.Spec.SparseCheckout) == 0 {
			continue // reported by TestSourcesAndDependenciesExist, or the whole repository is fetched
		}
		p := path.Clean(k.Spec.Path)
		if !slices.ContainsFunc(source.Spec.SparseCheckout, func(dir string) bool {
			dir = path.Clean(dir)
			return p == dir || strings.HasPrefix(p, dir+"/")
		}) {
			t.Errorf("%s: path %s is outside the GitRepository's sparseCheckout %v", key, p, source.Spec.SparseCheckout)
		}
	}
}

// The order in which Flux applies the Kustomizations: each one waits for
// those it depends on to be applied and healthy.
func Example_applyOrder() {
	m, err := loadManifests()
	if err != nil {
		fmt.Println(err)
		return
	}
	depth := func(k *kustomizev1.Kustomization) int {
		d := 0
		for len(k.Spec.DependsOn) > 0 && d < len(m.kustomizations) {
			k = m.kustomizations[cmp.Or(k.Spec.DependsOn[0].Namespace, k.Namespace)+"/"+k.Spec.DependsOn[0].Name]
			if k == nil {
				break
			}
			d++
		}
		return d
	}
	all := slices.Collect(maps.Values(m.kustomizations))
	slices.SortFunc(all, func(a, b *kustomizev1.Kustomization) int {
		return cmp.Or(cmp.Compare(depth(a), depth(b)), cmp.Compare(a.Name, b.Name))
	})
	for _, k := range all {
		after := ""
		for _, d := range k.Spec.DependsOn {
			after += " after " + d.Name
		}
		fmt.Printf("%-20s %s%s\n", k.Name, k.Spec.Path, after)
	}
	// Output:
	// platform             ./snippets/kustomize/platform
	// orders-dev           ./snippets/kustomize/overlays/dev after platform
	// orders-prod-secrets  ./snippets/gitops/secrets/prod after platform
	// orders-staging       ./snippets/kustomize/overlays/staging after platform
	// orders-prod          ./snippets/kustomize/overlays/prod after orders-prod-secrets after platform
}
