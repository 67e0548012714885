// Package server runs an HTTP server until its context ends, then shuts it
// down gracefully: it stops accepting connections and lets the requests in
// flight finish, so a deploy or a scale-down loses no request. It also
// bounds every phase, so no client can keep the process from stopping.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// --8<-- [start:new]

// New returns a server for h with a limit on every phase of a request.
// The zero http.Server has none: a client that sends its body one byte a
// minute holds a goroutine and a connection for as long as it likes.
func New(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second, // headers and body
		WriteTimeout:      15 * time.Second, // from request to response
		IdleTimeout:       60 * time.Second, // keep-alive between requests
		MaxHeaderBytes:    64 << 10,         // the default is 1 MiB
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// --8<-- [end:new]

// Config tunes the shutdown.
type Config struct {
	// OnShutdown runs first when shutdown starts; pass health.MarkDraining
	// so /readyz fails and Kubernetes stops routing requests here.
	OnShutdown func()
	// DrainDelay keeps serving after OnShutdown, because it takes a few
	// seconds before every node has stopped sending this pod new requests.
	// Closing the listener earlier makes exactly those requests fail.
	DrainDelay time.Duration
	// ShutdownTimeout bounds how long in-flight requests may take; what
	// is still open then is closed. Keep DrainDelay + ShutdownTimeout
	// below the pod's terminationGracePeriodSeconds (30 s by default), or
	// the kubelet kills the process with SIGKILL in the middle of it.
	ShutdownTimeout time.Duration
	// Abort, once closed, cuts the delay and the drain short: pass the
	// channel from Signals that a second signal closes.
	Abort <-chan struct{}
	// OnForcedClose, if not nil, is told when requests did not finish in
	// time and their connections were closed.
	OnForcedClose func(err error)
}

// --8<-- [start:run]

// Run serves srv on ln until ctx is cancelled (in main: by SIGTERM), then
// drains. It returns nil once the server has stopped, also when it had to
// close connections that did not drain in time: the process did what it
// could, and exiting 0 tells the operator so.
func Run(ctx context.Context, srv *http.Server, ln net.Listener,
	cfg Config) error {
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
	select {
	case <-time.After(cfg.DrainDelay):
	case <-cfg.Abort:
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(),
		cfg.ShutdownTimeout)
	defer cancel()
	go func() {
		select {
		case <-cfg.Abort:
			cancel()
		case <-shutdownCtx.Done():
		}
	}()
	// Shutdown closes the listener, then waits for active requests to end.
	if err := srv.Shutdown(shutdownCtx); err != nil {
		// Out of time: cut the rest off rather than be killed mid-way.
		err = errors.Join(err, srv.Close())
		if cfg.OnForcedClose != nil {
			cfg.OnForcedClose(err)
		}
	}
	// --8<-- [end:drain]
	if err := <-serveErr; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// --8<-- [end:run]

// --8<-- [start:signals]

// Signals returns a context that the first SIGTERM or SIGINT cancels and
// a channel that the second one closes. The first starts a graceful
// shutdown; the second tells it to stop waiting, for the operator who
// presses Ctrl-C again. stop releases the signals.
func Signals() (ctx context.Context, second <-chan struct{}, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	abort := make(chan struct{})
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, syscall.SIGTERM, os.Interrupt)
	done := make(chan struct{})
	go func() {
		for n := 0; n < 2; n++ {
			select {
			case <-signals:
			case <-done:
				return
			}
			if n == 0 {
				cancel()
			} else {
				close(abort)
			}
		}
	}()
	return ctx, abort, sync.OnceFunc(func() {
		signal.Stop(signals)
		close(done)
		cancel()
	})
}

// --8<-- [end:signals]
