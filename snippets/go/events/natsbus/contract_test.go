package natsbus_test

import (
	"context"
	"testing"
	"time"

	"example.com/orders/contract"
	"example.com/orders/events/natsbus/natstest"
	"example.com/orders/order"
)

// --8<-- [start:consumer-test]

// The worker's side of the contract: the contract's example, published as
// raw bytes, reaches the handler with every field filled in. A field the
// consumer reads under another name would arrive empty and fail here.
func TestConsumerReadsTheContractEvent(t *testing.T) {
	js := natstest.Start(t)
	_, err := js.Publish(t.Context(), order.EventCreated,
		contract.OrderCreated)
	if err != nil {
		t.Fatal(err)
	}

	var got order.Event
	done := make(chan struct{})
	runUntil(t, consumer(js), func(_ context.Context, e order.Event) error {
		got = e
		close(done)
		return nil
	}, done)

	want := order.Event{
		ID: "ord-42/created", Type: order.EventCreated,
		OrderID: "ord-42", CustomerID: "c-7", TotalCents: 4500,
		At: time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC),
	}
	if !got.At.Equal(want.At) {
		t.Errorf("at = %v, want %v", got.At, want.At)
	}
	got.At, want.At = time.Time{}, time.Time{}
	if got != want {
		t.Errorf("the worker reads\n%+v\nthe contract says\n%+v", got, want)
	}
}

// --8<-- [end:consumer-test]
