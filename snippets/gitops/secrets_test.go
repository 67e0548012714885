package gitops

// The database password reaches the pods without being in Git in clear
// text. These tests prove it with the pinned sops and age binaries that
// `make setup` builds: the committed file is encrypted for the cluster's
// key only, a round trip through the repository's own creation rules with a
// key made here gives back exactly the Secret the pods reference, and Flux
// decrypts the folder before it applies it.

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	kustomizev1 "github.com/fluxcd/kustomize-controller/api/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

const (
	sopsRules    = "secrets/.sops.yaml"
	databaseFile = "secrets/prod/orders-database.sops.yaml"
	secretsPath  = "./snippets/gitops/secrets/prod"
)

// encryptedValue is how sops writes a value it has encrypted.
var encryptedValue = regexp.MustCompile(`^ENC\[AES256_GCM,data:[^,]+,iv:[^,]+,tag:[^,]+,type:str\]$`)

// tool is a binary from .tools/bin, where `make setup` builds it.
func tool(t *testing.T, name string) string {
	t.Helper()
	bin, err := filepath.Abs(filepath.Join(repoRoot, ".tools", "bin", name))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%s is not installed in .tools/bin: run `make setup` (%v)", name, err)
	}
	return bin
}

// run runs a tool in dir with only the environment given, so a key in the
// developer's own environment can never make a test pass.
func run(t *testing.T, dir string, env []string, name string, args ...string) ([]byte, error) {
	t.Helper()
	cmd := exec.Command(tool(t, name), args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"HOME=" + t.TempDir(), "SOPS_DISABLE_VERSION_CHECK=1"}, env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, &toolError{name, args, err, stderr.String()}
	}
	return out, nil
}

type toolError struct {
	name   string
	args   []string
	err    error
	stderr string
}

func (e *toolError) Error() string {
	return e.name + " " + strings.Join(e.args, " ") + ": " + e.err.Error() + ": " + e.stderr
}

// newAgeKey makes an age key pair in dir and returns the key file and the
// public key (the recipient).
func newAgeKey(t *testing.T, dir string) (keyFile, recipient string) {
	t.Helper()
	keyFile = filepath.Join(dir, "key.agekey")
	if _, err := run(t, dir, nil, "age-keygen", "-o", keyFile); err != nil {
		t.Fatal(err)
	}
	out, err := run(t, dir, nil, "age-keygen", "-y", keyFile)
	if err != nil {
		t.Fatal(err)
	}
	return keyFile, strings.TrimSpace(string(out))
}

// sopsFile is the part of an encrypted file these tests read.
type sopsFile struct {
	Metadata   map[string]string `json:"metadata"`
	StringData map[string]string `json:"stringData"`
	Data       map[string]string `json:"data"`
	Sops       struct {
		Age []struct {
			Recipient string `json:"recipient"`
		} `json:"age"`
		EncryptedRegex string `json:"encrypted_regex"`
		MAC            string `json:"mac"`
	} `json:"sops"`
}

type creationRules struct {
	CreationRules []struct {
		PathRegex      string `json:"path_regex"`
		EncryptedRegex string `json:"encrypted_regex"`
		Age            string `json:"age"`
	} `json:"creation_rules"`
}

func readRules(t *testing.T) creationRules {
	t.Helper()
	data, err := os.ReadFile(sopsRules)
	if err != nil {
		t.Fatal(err)
	}
	var rules creationRules
	if err := yaml.UnmarshalStrict(data, &rules); err != nil {
		t.Fatalf("%s: %v", sopsRules, err)
	}
	if len(rules.CreationRules) != 1 {
		t.Fatalf("%s: want one creation rule, got %d", sopsRules, len(rules.CreationRules))
	}
	return rules
}

func TestCommittedSecretIsEncryptedForTheClusterKeyOnly(t *testing.T) {
	rule := readRules(t).CreationRules[0]
	data, err := os.ReadFile(databaseFile)
	if err != nil {
		t.Fatal(err)
	}
	var file sopsFile
	if err := yaml.Unmarshal(data, &file); err != nil {
		t.Fatalf("%s: %v", databaseFile, err)
	}
	if file.Metadata["name"] != "orders-database" || file.Metadata["namespace"] != "orders-prod" {
		t.Errorf("%s: want Secret orders-prod/orders-database readable for review, got %v", databaseFile, file.Metadata)
	}
	if len(file.StringData)+len(file.Data) == 0 {
		t.Fatalf("%s: no data or stringData", databaseFile)
	}
	for key, value := range file.StringData {
		if !encryptedValue.MatchString(value) {
			t.Errorf("%s: stringData.%s is not encrypted", databaseFile, key)
		}
	}
	for key, value := range file.Data {
		if !encryptedValue.MatchString(value) {
			t.Errorf("%s: data.%s is not encrypted", databaseFile, key)
		}
	}
	// Nothing that looks like the clear URL, anywhere in the file.
	for _, clear := range []string{"postgres://", "postgresql://", "sslmode="} {
		if bytes.Contains(data, []byte(clear)) {
			t.Errorf("%s contains %q in clear text", databaseFile, clear)
		}
	}
	recipients := []string{}
	for _, age := range file.Sops.Age {
		recipients = append(recipients, age.Recipient)
	}
	if !slices.Equal(recipients, []string{rule.Age}) {
		t.Errorf("%s: encrypted for %v, want only the cluster's key %s from %s", databaseFile, recipients, rule.Age, sopsRules)
	}
	if file.Sops.EncryptedRegex != rule.EncryptedRegex || file.Sops.MAC == "" {
		t.Errorf("%s: not encrypted by the rule in %s (encrypted_regex %q, mac %t)",
			databaseFile, sopsRules, file.Sops.EncryptedRegex, file.Sops.MAC != "")
	}
}

func TestCommittedSecretCannotBeDecryptedWithAnotherKey(t *testing.T) {
	dir := t.TempDir()
	keyFile, _ := newAgeKey(t, dir)
	abs, err := filepath.Abs(databaseFile)
	if err != nil {
		t.Fatal(err)
	}
	out, err := run(t, dir, []string{"SOPS_AGE_KEY_FILE=" + keyFile}, "sops", "--decrypt", abs)
	if err == nil {
		t.Fatalf("decrypted %s with a key made in the test:\n%s", databaseFile, out)
	}
}

// secretInClear is what a developer writes before encrypting it: the
// Secret the orders pods read, with a password made up for this test.
func secretInClear(t *testing.T) (secret []byte, password, url string) {
	t.Helper()
	random := make([]byte, 16)
	if _, err := rand.Read(random); err != nil {
		t.Fatal(err)
	}
	password = hex.EncodeToString(random)
	url = "postgres://orders:" + password + "@orders-db.orders-prod.svc.cluster.local:5432/orders?sslmode=verify-full"
	secret = []byte("apiVersion: v1\nkind: Secret\nmetadata:\n  name: orders-database\n  namespace: orders-prod\n" +
		"type: Opaque\nstringData:\n  url: " + url + "\n")
	return secret, password, url
}

func TestEncryptionRoundTripGivesBackTheSecretThePodsRead(t *testing.T) {
	dir := t.TempDir()
	keyFile, recipient := newAgeKey(t, dir)

	// The repository's own creation rule, with the test's key as recipient.
	rules, err := os.ReadFile(sopsRules)
	if err != nil {
		t.Fatal(err)
	}
	cluster := readRules(t).CreationRules[0].Age
	testRules := bytes.ReplaceAll(rules, []byte(cluster), []byte(recipient))
	if err := os.WriteFile(filepath.Join(dir, ".sops.yaml"), testRules, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "prod"), 0o700); err != nil {
		t.Fatal(err)
	}
	clear, password, url := secretInClear(t)
	name := filepath.Join("prod", filepath.Base(databaseFile))
	if err := os.WriteFile(filepath.Join(dir, name), clear, 0o600); err != nil {
		t.Fatal(err)
	}

	// --8<-- [start:round-trip]
	// What a developer runs, in the folder that holds .sops.yaml.
	_, err = run(t, dir, nil, "sops", "--encrypt", "--in-place", name)
	if err != nil {
		t.Fatal(err)
	}
	encrypted, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(encrypted, []byte(password)) {
		t.Fatalf("the encrypted file holds the password:\n%s", encrypted)
	}
	if !bytes.Contains(encrypted, []byte("name: orders-database")) {
		t.Errorf("the Secret's name should stay readable:\n%s", encrypted)
	}

	// What kustomize-controller does in the cluster, with its key.
	env := []string{"SOPS_AGE_KEY_FILE=" + keyFile}
	decrypted, err := run(t, dir, env, "sops", "--decrypt", name)
	if err != nil {
		t.Fatal(err)
	}
	// Strict: a sops field left in the output fails here, as the API
	// server would refuse it.
	var got corev1.Secret
	if err := yaml.UnmarshalStrict(decrypted, &got); err != nil {
		t.Fatalf("not a clean Secret: %v\n%s", err, decrypted)
	}
	if got.Name != "orders-database" || got.StringData["url"] != url {
		t.Errorf("round trip changed the Secret:\n%s", decrypted)
	}
	// --8<-- [end:round-trip]
	if bytes.Contains(encrypted, []byte("postgres://")) || got.Namespace != "orders-prod" {
		t.Errorf("want no clear URL and namespace orders-prod:\n%s\n%s", encrypted, decrypted)
	}
}

func TestFluxDecryptsTheSecretsBeforeProdIsApplied(t *testing.T) {
	m := load(t)
	var secrets, prod = m.kustomizations["flux-system/orders-prod-secrets"], m.kustomizations["flux-system/orders-prod"]
	if secrets == nil || prod == nil {
		t.Fatal("want Kustomizations flux-system/orders-prod-secrets and flux-system/orders-prod in flux/")
	}
	if secrets.Spec.Path != secretsPath {
		t.Errorf("orders-prod-secrets applies %s, want %s", secrets.Spec.Path, secretsPath)
	}
	d := secrets.Spec.Decryption
	if d == nil || d.Provider != "sops" || d.SecretRef == nil || d.SecretRef.Name != "sops-age" {
		t.Errorf("orders-prod-secrets must decrypt with provider sops and secretRef sops-age, got %+v", d)
	}
	if !slices.ContainsFunc(prod.Spec.DependsOn, func(r kustomizev1.DependencyReference) bool { return r.Name == "orders-prod-secrets" }) {
		t.Error("orders-prod must depend on orders-prod-secrets: its pods read the Secret orders-database")
	}
	for key, k := range m.kustomizations {
		if k.Spec.Decryption == nil && strings.HasPrefix(k.Spec.Path, "./snippets/gitops/secrets") {
			t.Errorf("%s applies encrypted files without decryption", key)
		}
	}
	// Every file Flux applies from the folder is encrypted.
	files, err := filepath.Glob(filepath.Join(repoRoot, filepath.FromSlash(secretsPath), "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in %s (%v)", secretsPath, err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(data, []byte("\nsops:\n")) {
			t.Errorf("%s is not a sops-encrypted file", f)
		}
	}
}
