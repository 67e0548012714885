package natsbus_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"example.com/orders/events/natsbus"
	"example.com/orders/events/natsbus/natstest"
	"example.com/orders/order"
)

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
		JS: js, Durable: "payments", Workers: 4, MaxDeliver: 3,
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
	js := natstest.Start(t)
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
	js := natstest.Start(t)
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
	js := natstest.Start(t)
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
	js := natstest.Start(t)
	js.Conn().Close()

	err := natsbus.NewPublisher(js).Publish(t.Context(), order.Order{ID: "ord-1"}.CreatedEvent())

	if !errors.Is(err, natsbus.ErrNotConnected) {
		t.Errorf("err = %v, want ErrNotConnected", err)
	}
}

// deadLetters returns the messages in the dead-letter stream.
func deadLetters(t *testing.T, js jetstream.JetStream,
	want int) []jetstream.Msg {
	t.Helper()
	cons, err := js.OrderedConsumer(t.Context(), natsbus.DeadLetterStream,
		jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	var out []jetstream.Msg
	wait := 5 * time.Second
	if want == 0 {
		want, wait = 1, time.Second // to see that nothing arrives
	}
	for len(out) < want {
		batch, err := cons.Fetch(want-len(out), jetstream.FetchMaxWait(wait))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for msg := range batch.Messages() {
			out = append(out, msg)
			n++
		}
		if n == 0 {
			break
		}
	}
	return out
}

// --8<-- [start:dead-letter-test]

func TestEventThatAlwaysFailsIsDeadLetteredWithTheReason(t *testing.T) {
	js := natstest.Start(t)
	publish(t, js, "ord-1")
	var attempts atomic.Int64
	parked := make(chan struct{})
	c := consumer(js)
	c.Backoff = []time.Duration{10 * time.Millisecond}
	c.Log = slog.New(handlerFunc(func(r slog.Record) {
		if r.Message == "event dead-lettered" {
			close(parked)
		}
	}))

	runUntil(t, c, func(context.Context, order.Event) error {
		attempts.Add(1)
		return errors.New("card number missing")
	}, parked)

	if n := attempts.Load(); n != 3 {
		t.Errorf("tried %d times, want MaxDeliver = 3", n)
	}
	dead := deadLetters(t, js, 1)
	if len(dead) != 1 {
		t.Fatalf("%d dead letters, want 1", len(dead))
	}
	reason := dead[0].Headers().Get(natsbus.DeadLetterReason)
	if dead[0].Subject() != "dead.order.created" ||
		!strings.Contains(reason, "card number missing") {
		t.Errorf("dead letter on %s with reason %q", dead[0].Subject(), reason)
	}
}

// --8<-- [end:dead-letter-test]

func TestMalformedEventIsDeadLetteredAtOnce(t *testing.T) {
	js := natstest.Start(t)
	if _, err := js.Publish(t.Context(), "order.created",
		[]byte("{not json")); err != nil {
		t.Fatal(err)
	}
	parked := make(chan struct{})
	c := consumer(js)
	c.Log = slog.New(handlerFunc(func(r slog.Record) {
		if r.Message == "event dead-lettered" {
			close(parked)
		}
	}))
	runUntil(t, c, func(context.Context, order.Event) error {
		t.Error("the handler was called with a malformed event")
		return nil
	}, parked)

	dead := deadLetters(t, js, 1)
	if len(dead) != 1 || !strings.Contains(
		dead[0].Headers().Get(natsbus.DeadLetterReason), "malformed") {
		t.Errorf("dead letters %v, want the malformed event", dead)
	}
}

func TestRetryLaterIsNotCountedTowardsTheLimit(t *testing.T) {
	js := natstest.Start(t)
	publish(t, js, "ord-1")
	c := consumer(js)
	c.Backoff = []time.Duration{5 * time.Millisecond}
	var attempts atomic.Int64
	done := make(chan struct{})
	runUntil(t, c, func(context.Context, order.Event) error {
		if attempts.Add(1) <= 6 { // twice MaxDeliver: an outage
			return fmt.Errorf("breaker open: %w", natsbus.ErrRetryLater)
		}
		close(done)
		return nil
	}, done)

	if dead := deadLetters(t, js, 0); len(dead) != 0 {
		t.Errorf("%d events dead-lettered during an outage", len(dead))
	}
}

// --8<-- [start:drain-test]

// Events already pulled when shutdown starts are handed back at once,
// not left unacknowledged until AckWait (30 s here) runs out.
func TestShutdownHandsBackWhatWasPulled(t *testing.T) {
	js := natstest.Start(t)
	publish(t, js, ids(20)...)
	c := consumer(js)
	c.Workers = 2
	started := make(chan struct{}, 20)
	release := make(chan struct{})
	ctx, cancel := context.WithCancel(t.Context())
	result := make(chan error, 1)
	go func() {
		result <- c.Run(ctx, func(context.Context, order.Event) error {
			started <- struct{}{}
			<-release // two slow charges in progress at shutdown
			return nil
		})
	}()
	<-started
	<-started
	time.Sleep(200 * time.Millisecond) // the iterator has pulled more

	cancel()
	close(release)
	if err := <-result; err != nil {
		t.Fatal(err)
	}
	// A worker freed during shutdown may still take one more pulled event
	// and finish it; every event it did not start must be handed back.
	remaining := 18 - len(started) // two were started above

	// The next worker gets every remaining event well within AckWait.
	next := newHandled(remaining)
	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	go consumer(js).Run(ctx, next.handler(func(string) bool { return false }))
	select {
	case <-next.all:
	case <-time.After(10 * time.Second):
		next.mu.Lock()
		defer next.mu.Unlock()
		t.Errorf("after 10 s the next worker has %d of %d events: the "+
			"rest were left waiting for AckWait", len(next.done), remaining)
	}
}

// --8<-- [end:drain-test]

// handlerFunc is a slog.Handler that calls f for every record.
type handlerFunc func(slog.Record)

func (f handlerFunc) Enabled(context.Context, slog.Level) bool {
	return true
}

func (f handlerFunc) Handle(_ context.Context, r slog.Record) error {
	f(r)
	return nil
}

func (f handlerFunc) WithAttrs([]slog.Attr) slog.Handler { return f }
func (f handlerFunc) WithGroup(string) slog.Handler      { return f }
