package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"example.com/orders/events/natsbus"
	"example.com/orders/events/natsbus/natstest"
	"example.com/orders/order"
	"example.com/orders/postgres"
	"example.com/orders/postgres/pgtest"
	"example.com/orders/tracing"
)

// One PostgreSQL server for the whole package: starting one takes about a
// second. Each test gets a database of its own on it.
var server *pgtest.Server

func TestMain(m *testing.M) {
	var err error
	if server, err = pgtest.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	if err := server.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

var databases atomic.Int64

// newStore opens a Store on a new, empty database.
func newStore(t *testing.T) *postgres.Store {
	t.Helper()
	name := fmt.Sprintf("test_%d", databases.Add(1))
	admin, err := pgx.Connect(t.Context(), server.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(t.Context(), "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	url := strings.Replace(server.URL, "/postgres?", "/"+name+"?", 1)
	s, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func newOrder(id string) order.Order {
	return order.Order{ID: id, CustomerID: "c-1",
		Items:      []order.Item{{SKU: "A", Quantity: 2, PriceCents: 150}},
		TotalCents: 300,
		CreatedAt:  time.Date(2024, 11, 20, 5, 0, 0, 0, time.UTC)}
}

// collector is a publisher that records what it was given.
type collector struct {
	mu  sync.Mutex
	ids []string
}

func (c *collector) publish(_ context.Context, e order.Event) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ids = append(c.ids, e.ID)
	return nil
}

func TestCreateStoresTheOrderAndItsEventTogether(t *testing.T) {
	s := newStore(t)
	want := newOrder("o-1")

	got, replayed, err := s.Create(t.Context(), want, order.Request{})
	if err != nil || replayed {
		t.Fatalf("Create = %v, replayed %v", err, replayed)
	}
	stored, err := s.Get(t.Context(), "o-1")
	if err != nil || fmt.Sprint(stored) != fmt.Sprint(want) ||
		fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("stored %+v (%v), want %+v", stored, err, want)
	}
	_, err = s.Get(t.Context(), "nope")
	if !errors.Is(err, order.ErrNotFound) {
		t.Errorf("Get(missing) = %v, want ErrNotFound", err)
	}
	var c collector
	if n, err := s.PublishPending(t.Context(), 10, c.publish); n != 1 ||
		err != nil || c.ids[0] != "o-1/created" {
		t.Errorf("outbox gave %v (%d, %v), want [o-1/created]", c.ids, n, err)
	}
	if n, _ := s.PublishPending(t.Context(), 10, c.publish); n != 0 {
		t.Errorf("a sent event was published again (%d)", n)
	}
}

func TestIdempotencyKeyReplaysTheOrderAndRefusesAnotherBody(t *testing.T) {
	s := newStore(t)
	req := order.Request{Key: "k", Fingerprint: "body-1"}
	o := newOrder(order.IDFromKey("k"))
	if _, _, err := s.Create(t.Context(), o, req); err != nil {
		t.Fatal(err)
	}

	again, replayed, err := s.Create(t.Context(), o, req)
	if err != nil || !replayed || again.ID != o.ID {
		t.Errorf("retry = %+v, %v, %v; want the same order replayed",
			again, replayed, err)
	}
	req.Fingerprint = "body-2"
	if _, _, err := s.Create(t.Context(), o, req); !errors.Is(err,
		order.ErrKeyReused) {
		t.Errorf("another body with the key: %v, want ErrKeyReused", err)
	}
	var c collector
	s.PublishPending(t.Context(), 10, c.publish)
	if len(c.ids) != 1 {
		t.Errorf("events %v, want one", c.ids)
	}
}

func TestConcurrentCreatesWithOneKeyMakeOneOrderAndOneEvent(t *testing.T) {
	s := newStore(t)
	req := order.Request{Key: "k", Fingerprint: "f"}
	var wg sync.WaitGroup
	var replays atomic.Int64
	for range 10 {
		wg.Go(func() {
			_, replayed, err := s.Create(t.Context(),
				newOrder(order.IDFromKey("k")), req)
			if err != nil {
				t.Error(err)
			}
			if replayed {
				replays.Add(1)
			}
		})
	}
	wg.Wait()

	var c collector
	s.PublishPending(t.Context(), 100, c.publish)
	if len(c.ids) != 1 || replays.Load() != 9 {
		t.Errorf("events %v, %d replays; want 1 event and 9 replays",
			c.ids, replays.Load())
	}
}

// --8<-- [start:outbox-tests]

func TestBusDownAtCreateLosesNothing(t *testing.T) {
	s := newStore(t)
	js := natstest.Start(t)
	if _, _, err := s.Create(t.Context(), newOrder("o-1"),
		order.Request{}); err != nil {
		t.Fatal(err)
	}
	down := func(context.Context, order.Event) error {
		return natsbus.ErrNotConnected
	}
	if n, err := s.PublishPending(t.Context(), 10, down); n != 0 || err == nil {
		t.Fatalf("with the bus down: %d sent, %v", n, err)
	}

	// The bus is back.
	up := natsbus.NewPublisher(js).Publish
	if n, err := s.PublishPending(t.Context(), 10, up); n != 1 || err != nil {
		t.Fatalf("with the bus back: %d sent, %v; want 1", n, err)
	}
	if got := natstest.Messages(t, js); got != 1 {
		t.Errorf("%d events in the stream, want 1", got)
	}
}

func TestCrashBetweenPublishAndMarkSentPublishesNoDuplicate(t *testing.T) {
	s := newStore(t)
	js := natstest.Start(t)
	if _, _, err := s.Create(t.Context(), newOrder("o-1"),
		order.Request{}); err != nil {
		t.Fatal(err)
	}
	publisher := natsbus.NewPublisher(js)

	// The event reaches JetStream, then the relay dies before it commits
	// (its context ends, so PostgreSQL rolls the transaction back).
	ctx, crash := context.WithCancel(t.Context())
	_, err := s.PublishPending(ctx, 10,
		func(ctx context.Context, e order.Event) error {
			err := publisher.Publish(ctx, e)
			crash()
			return err
		})
	if err == nil {
		t.Fatal("the crashed pass reported success")
	}

	// A relay that polls afterwards finds the row unsent and sends it. It
	// polls, as the real relay does: until PostgreSQL has noticed the
	// crashed connection and rolled back, the row is still locked, and
	// SKIP LOCKED passes over it.
	sent := 0
	for deadline := time.Now().Add(10 * time.Second); sent == 0; {
		n, err := s.PublishPending(t.Context(), 10, publisher.Publish)
		if err != nil {
			t.Fatalf("after the crash: %v", err)
		}
		if sent = n; sent == 0 && time.Now().After(deadline) {
			t.Fatal("after the crash: the row was never sent again")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if sent != 1 {
		t.Fatalf("after the crash: %d sent, want 1", sent)
	}
	if got := natstest.Messages(t, js); got != 1 {
		t.Errorf("%d events in the stream, want 1: Nats-Msg-Id "+
			"must drop the second publish", got)
	}
}

func TestTwoRelaysNeverPublishTheSameRow(t *testing.T) {
	s := newStore(t)
	const orders = 200
	for i := range orders {
		_, _, err := s.Create(t.Context(), newOrder(fmt.Sprint("o-", i)),
			order.Request{})
		if err != nil {
			t.Fatal(err)
		}
	}
	var c collector
	slow := func(ctx context.Context, e order.Event) error {
		time.Sleep(time.Millisecond) // so the relays overlap
		return c.publish(ctx, e)
	}
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for {
				n, err := s.PublishPending(t.Context(), 10, slow)
				if err != nil {
					t.Error(err)
				}
				if n == 0 {
					return
				}
			}
		})
	}
	wg.Wait()

	seen := map[string]int{}
	for _, id := range c.ids {
		seen[id]++
		if seen[id] == 2 {
			t.Errorf("%s published twice", id)
		}
	}
	if len(seen) != orders {
		t.Errorf("%d events published, want %d", len(seen), orders)
	}
}

// --8<-- [end:outbox-tests]

// The relay publishes long after the request that accepted the order has
// ended. The outbox row keeps that request's trace, so the publish still
// continues it.
func TestRelayContinuesTheTraceOfTheRequestThatAcceptedTheOrder(
	t *testing.T) {
	otel.SetTextMapPropagator(tracing.Propagator())
	s := newStore(t)
	tp := sdktrace.NewTracerProvider()
	ctx, request := tp.Tracer("test").Start(t.Context(), "POST /orders")
	if _, _, err := s.Create(ctx, newOrder("ord-1"),
		order.Request{}); err != nil {
		t.Fatal(err)
	}
	request.End()

	var got trace.SpanContext
	_, err := s.PublishPending(t.Context(), 10,
		func(ctx context.Context, _ order.Event) error {
			got = trace.SpanContextFromContext(ctx)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if got.TraceID() != request.SpanContext().TraceID() ||
		got.SpanID() != request.SpanContext().SpanID() {
		t.Errorf("publish runs in %v, want the request's span %v",
			got, request.SpanContext())
	}
}

// The backlog is the unsent rows and the time the oldest was stored: the
// first of two here, until the relay has sent both.
func TestBacklogReportsUnsentRowsAndTheOldest(t *testing.T) {
	s := newStore(t)
	var between time.Time // after the first row, before the second
	for _, id := range []string{"o-1", "o-2"} {
		if _, _, err := s.Create(t.Context(), newOrder(id),
			order.Request{}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
		if between.IsZero() {
			between = time.Now()
		}
	}
	b, err := s.Backlog(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	// PostgreSQL runs on this machine, so its clock is ours.
	if b.Rows != 2 || !b.Oldest.Before(between) ||
		b.Oldest.Before(between.Add(-time.Second)) {
		t.Errorf("backlog %+v, want 2 rows, the oldest stored just "+
			"before %s", b, between)
	}

	sent := func(context.Context, order.Event) error { return nil }
	if _, err := s.PublishPending(t.Context(), 10, sent); err != nil {
		t.Fatal(err)
	}
	if b, err := s.Backlog(t.Context()); err != nil || b.Rows != 0 ||
		!b.Oldest.IsZero() {
		t.Errorf("backlog %+v, %v after sending, want empty", b, err)
	}
}
