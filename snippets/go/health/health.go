// Package health serves the three probes Kubernetes asks a container.
//
// They answer different questions, so they must not share an endpoint:
//
//   - /livez: is the process alive? A failure restarts the container, so it
//     never checks dependencies: an outage in NATS must not restart every pod.
//   - /readyz: should this pod get traffic now? It fails while a dependency
//     is down or the pod is shutting down, and Kubernetes then only stops
//     routing requests to it.
//   - /startupz: has startup finished? Kubernetes waits for it before it
//     starts the other two probes, so a slow start is not mistaken for a hang.
package health

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Check reports whether a dependency is usable; it must honour ctx.
type Check func(ctx context.Context) error

// CheckTimeout bounds each readiness check. Keep it below the probe's
// timeoutSeconds, so that /readyz answers and says which check hung.
const CheckTimeout = time.Second

// Health tracks the state the probes report.
type Health struct {
	started  atomic.Bool
	draining atomic.Bool

	mu     sync.RWMutex
	checks map[string]Check
}

// New returns a Health that is not started yet and has no checks.
func New() *Health {
	return &Health{checks: make(map[string]Check)}
}

// AddReadinessCheck makes /readyz fail while check fails.
func (h *Health) AddReadinessCheck(name string, check Check) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.checks[name] = check
}

// MarkStarted makes /startupz succeed; call it once initialisation is done.
func (h *Health) MarkStarted() { h.started.Store(true) }

// MarkDraining makes /readyz fail for good, so Kubernetes stops sending new
// requests while the in-flight ones finish. Call it when shutdown begins.
func (h *Health) MarkDraining() { h.draining.Store(true) }

// --8<-- [start:register]

// Register adds the probe endpoints to mux.
func (h *Health) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /livez", func(w http.ResponseWriter, r *http.Request) {
		// Answering at all is the proof of life: no dependency is checked.
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /startupz",
		func(w http.ResponseWriter, r *http.Request) {
			if !h.started.Load() {
				http.Error(w, "starting", http.StatusServiceUnavailable)
				return
			}
			fmt.Fprintln(w, "ok")
		})
	mux.HandleFunc("GET /readyz", h.ready)
}

// --8<-- [end:register]

// --8<-- [start:ready]

func (h *Health) ready(w http.ResponseWriter, r *http.Request) {
	switch {
	case h.draining.Load():
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	case !h.started.Load():
		http.Error(w, "starting", http.StatusServiceUnavailable)
		return
	}
	// The checks run at once, each with its own timeout: a hung
	// dependency must not hang the probe (the kubelet would time out
	// without learning which check is the problem), nor add its wait to
	// every other check's.
	names := h.checkNames()
	results := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		check := h.check(name)
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(r.Context(), CheckTimeout)
			defer cancel()
			results[i] = check(ctx)
		})
	}
	wg.Wait()

	var report strings.Builder
	ok := true
	for i, name := range names {
		if err := results[i]; err != nil {
			ok = false
			fmt.Fprintf(&report, "[-]%s failed: %v\n", name, err)
		} else {
			fmt.Fprintf(&report, "[+]%s ok\n", name)
		}
	}
	if !ok {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	if report.Len() == 0 {
		report.WriteString("ok\n") // started, not draining, nothing to check
	}
	fmt.Fprint(w, report.String())
}

// --8<-- [end:ready]

func (h *Health) checkNames() []string {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return slices.Sorted(maps.Keys(h.checks))
}

func (h *Health) check(name string) Check {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.checks[name]
}
