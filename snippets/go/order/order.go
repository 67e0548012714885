// Package order is the order service's domain: what an order is, when it is
// valid, the events it produces, and the HTTP API that creates and reads it.
package order

import (
	"context"
	"errors"
	"fmt"
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
	if strings.TrimSpace(o.CustomerID) == "" {
		problems = append(problems, "customer_id is required")
	}
	if len(o.Items) == 0 {
		problems = append(problems, "items must not be empty")
	}
	for i, it := range o.Items {
		if it.SKU == "" {
			problems = append(problems,
				fmt.Sprintf("items[%d].sku is required", i))
		}
		if it.Quantity < 1 {
			problems = append(problems,
				fmt.Sprintf("items[%d].quantity must be at least 1", i))
		}
		if it.PriceCents < 0 {
			problems = append(problems,
				fmt.Sprintf("items[%d].price_cents must not be negative", i))
		}
	}
	if problems != nil {
		return &ValidationError{Problems: problems}
	}
	return nil
}

// --8<-- [end:validate]

// Total is the sum of every item's price times its quantity.
func (o Order) Total() int64 {
	var total int64
	for _, it := range o.Items {
		total += int64(it.Quantity) * it.PriceCents
	}
	return total
}

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
