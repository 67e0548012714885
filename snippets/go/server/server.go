// Package server runs an HTTP server until its context ends, then shuts it
// down gracefully: it stops accepting connections and lets the requests in
// flight finish, so a deploy or a scale-down loses no request.
package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Config tunes the shutdown.
type Config struct {
	// OnShutdown runs first when shutdown starts; pass health.MarkDraining
	// so /readyz fails and Kubernetes stops routing requests here.
	OnShutdown func()
	// DrainDelay keeps serving after OnShutdown, because it takes a few
	// seconds before every node has stopped sending this pod new requests.
	// Closing the listener earlier makes exactly those requests fail.
	DrainDelay time.Duration
	// ShutdownTimeout bounds how long in-flight requests may take. Keep
	// DrainDelay + ShutdownTimeout below the pod's
	// terminationGracePeriodSeconds (30 s by default), or the kubelet
	// kills the process with SIGKILL in the middle of it.
	ShutdownTimeout time.Duration
}

// --8<-- [start:run]
// Run serves srv on ln until ctx is cancelled (in main: by SIGTERM), then
// drains. It returns nil after a clean shutdown.
func Run(ctx context.Context,
	srv *http.Server, ln net.Listener, cfg Config) error {
	// Requests do not inherit ctx: cancelling it on SIGTERM would abort
	// the very requests a graceful shutdown is meant to let finish.
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}

	// --8<-- [start:drain]
	if cfg.OnShutdown != nil {
		cfg.OnShutdown()
	}
	time.Sleep(cfg.DrainDelay)

	shutdownCtx, cancel := context.WithTimeout(context.Background(),
		cfg.ShutdownTimeout)
	defer cancel()
	// Shutdown closes the listener, then waits for active requests to end.
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("graceful shutdown: %w", err)
	}
	// --8<-- [end:drain]
	if err := <-serveErr; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// --8<-- [end:run]
