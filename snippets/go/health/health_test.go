package health_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/synctest"
	"time"

	"example.com/orders/health"
)

func get(t *testing.T, mux *http.ServeMux, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec.Code, rec.Body.String()
}

func TestProbes(t *testing.T) {
	var dependency error // nil: up
	h := health.New()
	h.AddReadinessCheck("nats", func(context.Context) error { return dependency })
	mux := http.NewServeMux()
	h.Register(mux)

	steps := []struct {
		name                     string
		do                       func()
		startup, ready, liveness int
	}{
		{"starting", func() {}, 503, 503, 200},
		{"started", h.MarkStarted, 200, 200, 200},
		{"dependency down", func() { dependency = errors.New("connection refused") }, 200, 503, 200},
		{"dependency back", func() { dependency = nil }, 200, 200, 200},
		{"shutting down", h.MarkDraining, 200, 503, 200},
	}
	for _, step := range steps {
		step.do()
		for path, want := range map[string]int{"/startupz": step.startup, "/readyz": step.ready, "/livez": step.liveness} {
			if got, body := get(t, mux, path); got != want {
				t.Errorf("%s: %s = %d %q, want %d", step.name, path, got, body, want)
			}
		}
	}
}

// The db check hangs until the probe's one-second timeout; synctest's fake
// clock lets that second pass instantly.
func TestReadyzNamesEveryFailingCheck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := health.New()
		h.AddReadinessCheck("nats", func(context.Context) error { return errors.New("disconnected") })
		h.AddReadinessCheck("cache", func(context.Context) error { return nil })
		h.AddReadinessCheck("db", func(ctx context.Context) error {
			<-ctx.Done()
			return ctx.Err()
		})
		h.MarkStarted()
		mux := http.NewServeMux()
		h.Register(mux)

		code, body := get(t, mux, "/readyz")

		want := "[+]cache ok\n[-]db failed: context deadline exceeded\n[-]nats failed: disconnected\n"
		if code != http.StatusServiceUnavailable || body != want {
			t.Errorf("readyz = %d\n%s\nwant 503\n%s", code, body, want)
		}
	})
}

// Two checks that hang take one CheckTimeout together, not one each: they
// run at once. synctest's fake clock measures it exactly.
func TestReadinessChecksRunConcurrently(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := health.New()
		hang := func(ctx context.Context) error {
			<-ctx.Done()
			return ctx.Err()
		}
		h.AddReadinessCheck("db", hang)
		h.AddReadinessCheck("nats", hang)
		h.MarkStarted()
		mux := http.NewServeMux()
		h.Register(mux)

		start := time.Now()
		code, _ := get(t, mux, "/readyz")

		took := time.Since(start)
		if code != 503 || took != health.CheckTimeout {
			t.Errorf("readyz = %d after %s, want 503 after %s",
				code, took, health.CheckTimeout)
		}
	})
}
