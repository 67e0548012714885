package main

import (
	"bytes"
	"flag"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

// policyFrom parses args with env as the environment, as run does.
func policyFrom(t *testing.T, env map[string]string,
	args ...string) retryPolicy {
	t.Helper()
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	p := defaultRetryPolicy()
	if err := p.addFlags(fs, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRetryPolicyDefaultsAreProductions(t *testing.T) {
	p := policyFrom(t, nil)

	want := []time.Duration{time.Second, 5 * time.Second,
		15 * time.Second, 30 * time.Second, 2 * time.Minute}
	if p.maxDeliver != 6 || !slices.Equal(p.backoff, want) ||
		p.breakerOpenFor != 30*time.Second {
		t.Errorf("policy %+v, want 6 tries, %v, open for 30s", p, want)
	}
}

func TestEnvironmentSetsTheRetryPolicyAndFlagsOverrideIt(t *testing.T) {
	env := map[string]string{"MAX_DELIVER": "3",
		"RETRY_BACKOFF": "100ms, 200ms", "BREAKER_OPEN_FOR": "2s"}

	p := policyFrom(t, env, "-max-deliver", "2", "-retry-backoff", "50ms")

	if p.maxDeliver != 2 || !slices.Equal(p.backoff,
		durations{50 * time.Millisecond}) || p.breakerOpenFor != 2*time.Second {
		t.Errorf("policy %+v, want the flags over the environment", p)
	}
}

func TestWorkerRefusesARetryPolicyItCannotRun(t *testing.T) {
	tests := []struct {
		env, arg, want string
	}{
		{"MAX_DELIVER=many", "", "MAX_DELIVER"},
		{"RETRY_BACKOFF=1s,soon", "", "RETRY_BACKOFF"},
		{"", "-retry-backoff=1s,-1s", "not positive"},
		{"", "-max-deliver=0", "-max-deliver is 0"},
		{"", "-breaker-open-for=0s", "-breaker-open-for is 0s"},
	}
	for _, tt := range tests {
		t.Run(tt.env+tt.arg, func(t *testing.T) {
			name, value, _ := strings.Cut(tt.env, "=")
			getenv := func(k string) string {
				if k == name {
					return value
				}
				return ""
			}
			var args []string
			if tt.arg != "" {
				args = []string{tt.arg}
			}
			// It must fail before it connects: no NATS runs here.
			err := run(t.Context(), nil, args, getenv, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one naming %q", err, tt.want)
			}
		})
	}
}
