// Package order is the order service's domain: what an order is, when it is
// valid, the events it produces, and the HTTP API that creates and reads it.
package order

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// --8<-- [start:types]

// Item is one line of an order.
type Item struct {
	SKU      string `json:"sku"`
	Quantity int    `json:"quantity"`
	// Money is integer cents: floating point cannot represent 0.10 exactly.
	PriceCents int64 `json:"price_cents"`
}

// Order is what a customer asked for.
type Order struct {
	ID         string    `json:"id"`
	CustomerID string    `json:"customer_id"`
	Items      []Item    `json:"items"`
	TotalCents int64     `json:"total_cents"`
	CreatedAt  time.Time `json:"created_at"`
}

// --8<-- [end:types]

// --8<-- [start:limits]

// Limits on one order. They keep a request's memory and work bounded, and
// they keep every total far inside int64: 100 × 10 000 × 10^8 = 10^14.
const (
	MaxBodyBytes        = 64 << 10
	MaxItems            = 100
	MaxQuantity         = 10_000
	MaxPriceCents       = 100_000_000 // 1 000 000.00 in the currency
	MaxTotalCents       = 1_000_000_000
	MaxCustomerIDLength = 64
	MaxSKULength        = 64
)

// --8<-- [end:limits]

// --8<-- [start:validate]

// ValidationError lists every problem with an order, so that a client can
// fix them all in one round trip instead of one per request.
type ValidationError struct {
	Problems []string
}

func (e *ValidationError) Error() string {
	return "invalid order: " + strings.Join(e.Problems, "; ")
}

// Validate reports every rule the order breaks, or nil.
func (o Order) Validate() error {
	var problems []string
	add := func(format string, args ...any) {
		problems = append(problems, fmt.Sprintf(format, args...))
	}
	switch {
	case strings.TrimSpace(o.CustomerID) == "":
		add("customer_id is required")
	case len(o.CustomerID) > MaxCustomerIDLength:
		add("customer_id is longer than %d bytes", MaxCustomerIDLength)
	}
	switch {
	case len(o.Items) == 0:
		add("items must not be empty")
	case len(o.Items) > MaxItems:
		add("items has %d lines, at most %d are allowed",
			len(o.Items), MaxItems)
		return &ValidationError{Problems: problems} // not worth reading on
	}
	for i, it := range o.Items {
		switch {
		case it.SKU == "":
			add("items[%d].sku is required", i)
		case len(it.SKU) > MaxSKULength:
			add("items[%d].sku is longer than %d bytes", i, MaxSKULength)
		}
		if it.Quantity < 1 || it.Quantity > MaxQuantity {
			add("items[%d].quantity must be between 1 and %d",
				i, MaxQuantity)
		}
		if it.PriceCents < 0 || it.PriceCents > MaxPriceCents {
			add("items[%d].price_cents must be between 0 and %d",
				i, MaxPriceCents)
		}
	}
	if problems == nil {
		if total, ok := o.Total(); !ok || total > MaxTotalCents {
			add("total_cents must not exceed %d", MaxTotalCents)
		}
	}
	if problems != nil {
		return &ValidationError{Problems: problems}
	}
	return nil
}

// --8<-- [end:validate]

// --8<-- [start:total]

// Total is the sum of every item's price times its quantity. ok is false
// if the sum does not fit in an int64: Go's integers wrap around silently,
// and a wrapped total is a negative charge.
func (o Order) Total() (total int64, ok bool) {
	for _, it := range o.Items {
		q, p := int64(it.Quantity), it.PriceCents
		if q < 0 || p < 0 || (q != 0 && p > math.MaxInt64/q) {
			return 0, false
		}
		if q*p > math.MaxInt64-total {
			return 0, false
		}
		total += q * p
	}
	return total, true
}

// --8<-- [end:total]

// --8<-- [start:event]

// EventCreated is the type of the event published when an order is accepted.
const EventCreated = "order.created"

// Event tells other services that something happened to an order. It is a
// contract between services: add fields, never rename or remove them.
type Event struct {
	// ID is unique per event. The bus drops a re-published duplicate and
	// consumers use it to recognise a redelivery.
	ID         string    `json:"id"`
	Type       string    `json:"type"`
	OrderID    string    `json:"order_id"`
	CustomerID string    `json:"customer_id"`
	TotalCents int64     `json:"total_cents"`
	At         time.Time `json:"at"`
}

// Publisher sends events to a message bus; natsbus and kafkabus implement it.
type Publisher interface {
	Publish(ctx context.Context, e Event) error
}

// --8<-- [end:event]

// CreatedEvent is the event announcing o.
func (o Order) CreatedEvent() Event {
	return Event{
		// Derived from the order, so publishing the same order twice is
		// recognisably the same event.
		ID:         o.ID + "/created",
		Type:       EventCreated,
		OrderID:    o.ID,
		CustomerID: o.CustomerID,
		TotalCents: o.TotalCents,
		At:         o.CreatedAt,
	}
}

// PublisherFunc lets an ordinary function act as a Publisher, as
// http.HandlerFunc does for handlers.
type PublisherFunc func(ctx context.Context, e Event) error

// Publish calls f.
func (f PublisherFunc) Publish(ctx context.Context, e Event) error { return f(ctx, e) }

// ErrNotFound is returned by a Store that has no order with the given id.
var ErrNotFound = errors.New("order not found")
