package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"example.com/orders/events/natsbus"
	"example.com/orders/events/natsbus/natstest"
	"example.com/orders/order"
	"example.com/orders/tracing"
)

// deadLetter publishes the orders, in a trace each as the order service
// does, and lets a consumer whose handler always fails park them.
func deadLetter(t *testing.T, js jetstream.JetStream, ids ...string) {
	t.Helper()
	tp := sdktrace.NewTracerProvider()
	prev, prevProp := otel.GetTracerProvider(), otel.GetTextMapPropagator()
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(tracing.Propagator())
	t.Cleanup(func() {
		otel.SetTracerProvider(prev)
		otel.SetTextMapPropagator(prevProp)
	})
	publisher := natsbus.NewPublisher(js)
	for _, id := range ids {
		ctx, span := tp.Tracer("test").Start(t.Context(), "POST /orders")
		o := order.Order{ID: id, CustomerID: "c-1", TotalCents: 900}
		if err := publisher.Publish(ctx, o.CreatedEvent()); err != nil {
			t.Fatal(err)
		}
		span.End()
	}
	handled := consume(t, js, len(ids), func(context.Context,
		order.Event) error {
		return errors.New("provider answered 400 Bad Request")
	})
	if len(handled) != len(ids) {
		t.Fatalf("handled %v, want %v", handled, ids)
	}
}

// consume runs the worker's durable consumer until n deliveries have
// been handled by handle, and returns the order ids it saw.
func consume(t *testing.T, js jetstream.JetStream, n int,
	handle natsbus.Handler) []string {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	done := make(chan struct{})
	c := &natsbus.Consumer{JS: js, Durable: "payments", Workers: 1,
		AckWait: 30 * time.Second, MaxDeliver: 1,
		Log: slog.New(slog.DiscardHandler),
		Observe: func(natsbus.Delivery) {
			mu.Lock()
			defer mu.Unlock()
			if n--; n == 0 {
				close(done)
			}
		}}
	ctx, stop := context.WithCancel(t.Context())
	result := make(chan error, 1)
	go func() {
		result <- c.Run(ctx, func(ctx context.Context, e order.Event) error {
			mu.Lock()
			seen = append(seen, e.OrderID)
			mu.Unlock()
			return handle(ctx, e)
		})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Errorf("deliveries did not arrive; saw %v", seen)
	}
	stop()
	if err := <-result; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	return seen
}

func deadletters(t *testing.T, js jetstream.JetStream,
	args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	args = append([]string{"-nats", js.Conn().ConnectedUrl()}, args...)
	err := run(t.Context(), args, func(string) string { return "" }, &out)
	return out.String(), err
}

// --8<-- [start:replay-test]

// Two orders end as dead letters. The list shows each with its reason
// and trace id; one is replayed by its sequence number and the worker
// charges it; asking for one that does not exist is an error; "all"
// takes the rest.
func TestDeadLettersAreListedAndReplayedToTheWorker(t *testing.T) {
	js := natstest.Start(t)
	deadLetter(t, js, "ord-1", "ord-2")

	list, err := deadletters(t, js)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(list), "\n")
	if len(lines) != 3 || lines[2] != "2 dead letters" ||
		!strings.HasPrefix(lines[0], "seq=1 subject=order.created "+
			"order_id=ord-1 trace_id=") || strings.Contains(lines[0],
		"trace_id=-") || !strings.HasSuffix(lines[0],
		`reason="failed 1 times, last: provider answered 400 Bad Request"`) {
		t.Fatalf("list:\n%s", list)
	}

	out, err := deadletters(t, js, "-replay", "1")
	if err != nil || !strings.HasSuffix(out, "1 replayed\n") {
		t.Fatalf("replay 1: %v\n%s", err, out)
	}
	charged := consume(t, js, 1, func(context.Context, order.Event) error {
		return nil // the provider is fixed
	})
	if len(charged) != 1 || charged[0] != "ord-1" {
		t.Errorf("after the replay the worker handled %v, want [ord-1]",
			charged)
	}

	if _, err := deadletters(t, js, "-replay", "1"); err == nil ||
		!strings.Contains(err.Error(), "no dead letter 1") {
		t.Errorf("replaying 1 twice: err = %v, want no dead letter 1", err)
	}
	out, err = deadletters(t, js, "-replay", "all")
	if err != nil || !strings.Contains(out, "replayed seq=2 ") {
		t.Errorf("replay all: %v\n%s", err, out)
	}
	if list, _ := deadletters(t, js); list != "0 dead letters\n" {
		t.Errorf("after replaying all: %q", list)
	}
}

// --8<-- [end:replay-test]

func TestDeadlettersRefusesArgumentsItDoesNotUnderstand(t *testing.T) {
	js := natstest.Start(t)
	for _, args := range [][]string{{"1"}, {"-replay"},
		{"-replay", "first"}} {
		if _, err := deadletters(t, js, args...); err == nil {
			t.Errorf("deadletters %q: no error", args)
		}
	}
}
