package server_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"example.com/orders/server"
)

// --8<-- [start:sigterm-test]

// The test sends this very process a real SIGTERM, as the kubelet does when
// a pod is deleted, while a request is in flight. The request must complete
// and Run must return without error.
func TestSIGTERMDrainsInFlightRequests(t *testing.T) {
	// as in main
	ctx, stop := signal.NotifyContext(t.Context(), syscall.SIGTERM)
	defer stop()

	entered, release := make(chan struct{}), make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		close(entered)
		<-release // a slow request, still running when SIGTERM arrives
		io.WriteString(w, "order accepted")
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	shuttingDown := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- server.Run(ctx, srv, ln, server.Config{
			OnShutdown:      func() { close(shuttingDown) },
			ShutdownTimeout: 10 * time.Second,
		})
	}()

	type result struct {
		body string
		err  error
	}
	response := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/orders")
		if err != nil {
			response <- result{err: err}
			return
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		response <- result{string(body), err}
	}()
	<-entered

	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-shuttingDown
	select {
	case err := <-done:
		t.Fatalf("Run returned %v while a request was still in flight", err)
	default:
	}
	close(release)

	if r := <-response; r.err != nil || r.body != "order accepted" {
		t.Errorf("in-flight request got %q, %v; want it to complete",
			r.body, r.err)
	}
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil after a clean shutdown", err)
	}
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Error("the listener still accepts connections after shutdown")
	}
}

// --8<-- [end:sigterm-test]

func TestShutdownClosesWhatDoesNotDrainInTime(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	release := make(chan struct{})
	defer close(release)
	entered := make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			close(entered)
			<-release // never finishes in time
		})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	forced := make(chan error, 1)
	done := make(chan error, 1)
	go func() {
		done <- server.Run(ctx, srv, ln, server.Config{
			ShutdownTimeout: 50 * time.Millisecond,
			OnForcedClose:   func(err error) { forced <- err },
		})
	}()
	clientErr := make(chan error, 1)
	go func() {
		_, err := http.Get("http://" + ln.Addr().String())
		clientErr <- err
	}()
	<-entered

	cancel()

	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil: the server did stop", err)
	}
	if err := <-forced; !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("OnForcedClose got %v, want a deadline error", err)
	}
	if err := <-clientErr; err == nil {
		t.Error("the hung request's connection was left open")
	}
}

func TestAbortCutsTheDrainDelayShort(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	abort := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- server.Run(ctx, &http.Server{}, ln, server.Config{
			DrainDelay: time.Hour, ShutdownTimeout: time.Hour, Abort: abort,
		})
	}()
	cancel()
	close(abort) // the second signal

	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run still draining 5 s after the abort")
	}
}

func TestNewServerBoundsEveryPhaseOfARequest(t *testing.T) {
	srv := server.New(http.NotFoundHandler(), slog.New(slog.DiscardHandler))
	for name, d := range map[string]time.Duration{
		"ReadHeaderTimeout": srv.ReadHeaderTimeout,
		"ReadTimeout":       srv.ReadTimeout,
		"WriteTimeout":      srv.WriteTimeout,
		"IdleTimeout":       srv.IdleTimeout,
	} {
		if d <= 0 {
			t.Errorf("%s = %s: a client can hold the server forever", name, d)
		}
	}
	if srv.WriteTimeout <= srv.ReadTimeout {
		t.Errorf("WriteTimeout %s <= ReadTimeout %s: a request that "+
			"reads its whole body has no time left to answer",
			srv.WriteTimeout, srv.ReadTimeout)
	}
}

func TestRunReportsAServeError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close() // e.g. the port was taken away

	err = server.Run(t.Context(), &http.Server{}, ln, server.Config{})
	if err == nil {
		t.Fatal("Run on a closed listener returned nil")
	}
}
