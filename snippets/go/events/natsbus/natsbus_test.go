package natsbus_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"example.com/orders/events/natsbus"
	"example.com/orders/order"
)

// --8<-- [start:server]
// startJetStream runs a real NATS server with JetStream inside the test
// process, on a free port and with its store in a temporary folder.
func startJetStream(t *testing.T) jetstream.JetStream {
	t.Helper()
	srv, err := server.NewServer(&server.Options{
		Host:      "127.0.0.1",
		Port:      server.RANDOM_PORT,
		JetStream: true,
		StoreDir:  t.TempDir(),
		NoLog:     true,
		NoSigs:    true,
	})
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	t.Cleanup(srv.Shutdown)
	if !srv.ReadyForConnections(5 * time.Second) {
		t.Fatal("nats-server did not start")
	}

	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	if err := natsbus.EnsureStream(t.Context(), js); err != nil {
		t.Fatal(err)
	}
	return js
}

// --8<-- [end:server]

func publish(t *testing.T, js jetstream.JetStream, ids ...string) {
	t.Helper()
	p := natsbus.NewPublisher(js)
	for _, id := range ids {
		o := order.Order{ID: id, CustomerID: "c-1", TotalCents: 100}
		if err := p.Publish(t.Context(), o.CreatedEvent()); err != nil {
			t.Fatal(err)
		}
	}
}

func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("ord-%02d", i+1)
	}
	return out
}

// handled collects the orders a handler finished, and how often each was tried.
type handled struct {
	mu       sync.Mutex
	done     map[string]int
	attempts map[string]int
	all      chan struct{} // closed when want orders are done
	want     int
}

func newHandled(want int) *handled {
	return &handled{done: map[string]int{}, attempts: map[string]int{}, all: make(chan struct{}), want: want}
}

// handler fails the first attempt of every order for which fail returns true.
func (h *handled) handler(fail func(id string) bool) natsbus.Handler {
	return func(_ context.Context, e order.Event) error {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.attempts[e.OrderID]++
		if h.attempts[e.OrderID] == 1 && fail(e.OrderID) {
			return errors.New("payment provider timed out")
		}
		h.done[e.OrderID]++
		if len(h.done) == h.want {
			close(h.all)
		}
		return nil
	}
}

func consumer(js jetstream.JetStream) *natsbus.Consumer {
	return &natsbus.Consumer{
		JS: js, Durable: "payments", Workers: 4,
		AckWait: 30 * time.Second, Log: slog.New(slog.DiscardHandler),
	}
}

func runUntil(t *testing.T, c *natsbus.Consumer, h natsbus.Handler, done <-chan struct{}) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	result := make(chan error, 1)
	go func() { result <- c.Run(ctx, h) }()
	select {
	case <-done:
	case err := <-result:
		t.Fatalf("Run returned early: %v", err)
	case <-time.After(30 * time.Second): // generous: only a broken test waits this long
		t.Error("timed out waiting for events")
	}
	cancel()
	if err := <-result; err != nil {
		t.Errorf("Run: %v", err)
	}
}

// --8<-- [start:redelivery-test]
// Every third event fails on its first attempt. JetStream delivers those
// again, and in the end every event has been handled: none is lost.
func TestFailedEventsAreRedeliveredAndNoneIsLost(t *testing.T) {
	js := startJetStream(t)
	orders := ids(30)
	publish(t, js, orders...)

	h := newHandled(len(orders))
	failEveryThird := func(id string) bool {
		n, _ := strconv.Atoi(strings.TrimPrefix(id, "ord-"))
		return n%3 == 0
	}
	runUntil(t, consumer(js), h.handler(failEveryThird), h.all)

	for _, id := range orders {
		wantAttempts := 1
		if failEveryThird(id) {
			wantAttempts = 2
		}
		if h.done[id] != 1 || h.attempts[id] != wantAttempts {
			t.Errorf("%s: handled %d times in %d attempts, want 1 in %d",
				id, h.done[id], h.attempts[id], wantAttempts)
		}
	}
}

// --8<-- [end:redelivery-test]

// A worker stops (a deploy) and events keep arriving. The durable consumer
// remembers its position, so the next worker continues where it left off.
func TestDurableConsumerResumesAfterRestart(t *testing.T) {
	js := startJetStream(t)
	// The stopped consumer's last pull request can outlive it by a moment and
	// take an event nobody will ever ack; the server redelivers it after
	// AckWait. A short AckWait keeps that case from stalling the test.
	restarting := func() *natsbus.Consumer {
		c := consumer(js)
		c.AckWait = 2 * time.Second
		return c
	}
	publish(t, js, ids(10)[:5]...)
	first := newHandled(5)
	runUntil(t, restarting(), first.handler(func(string) bool { return false }), first.all)

	publish(t, js, ids(10)[5:]...) // published while no worker runs
	second := newHandled(5)
	runUntil(t, restarting(), second.handler(func(string) bool { return false }), second.all)

	for _, id := range ids(10)[:5] {
		if second.attempts[id] != 0 {
			t.Errorf("%s was acknowledged before the restart but delivered again", id)
		}
	}
	for _, id := range ids(10)[5:] {
		if second.done[id] != 1 {
			t.Errorf("%s, published during the restart, was handled %d times, want 1", id, second.done[id])
		}
	}
}

func TestPublishingTheSameEventTwiceStoresItOnce(t *testing.T) {
	js := startJetStream(t)
	publish(t, js, "ord-1", "ord-1") // e.g. a retry after a timeout

	info, err := js.Stream(t.Context(), natsbus.Stream)
	if err != nil {
		t.Fatal(err)
	}
	if n := info.CachedInfo().State.Msgs; n != 1 {
		t.Errorf("stream holds %d messages, want 1", n)
	}
}

func TestPublishFailsFastWhileDisconnected(t *testing.T) {
	js := startJetStream(t)
	js.Conn().Close()

	err := natsbus.NewPublisher(js).Publish(t.Context(), order.Order{ID: "ord-1"}.CreatedEvent())

	if !errors.Is(err, natsbus.ErrNotConnected) {
		t.Errorf("err = %v, want ErrNotConnected", err)
	}
}
