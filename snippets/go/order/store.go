package order

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"
)

// --8<-- [start:store]

// Store keeps orders, and the events still to be published with them: a
// transactional outbox. The handlers depend on this interface, so tests
// and laptops use MemoryStore and production uses PostgreSQL.
type Store interface {
	// Create stores o and o.CreatedEvent() together, or neither. When
	// req.Key is set and already used, Create stores nothing and returns
	// the order created with it (replayed true), or ErrKeyReused if that
	// order came from a different request body.
	Create(ctx context.Context, o Order, req Request) (
		stored Order, replayed bool, err error)
	Get(ctx context.Context, id string) (Order, error)
}

// Request identifies a create request for idempotency: Key is the
// client's Idempotency-Key header (empty: none), Fingerprint a hash of
// the request body, so that a reused key with another body is detected.
type Request struct {
	Key         string
	Fingerprint string
}

// ErrKeyReused is returned by Create when an idempotency key comes back
// with a different request body.
var ErrKeyReused = errors.New("idempotency key already used " +
	"for a different request")

// Outbox holds the events that are stored but not yet published.
type Outbox interface {
	// PublishPending hands up to limit unpublished events, oldest first,
	// to publish, and marks those it returned nil for as sent. Concurrent
	// callers never get the same event at the same time. It returns how
	// many were sent.
	// publish gets a context that continues the trace the event was
	// created in (see TraceContext).
	PublishPending(ctx context.Context, limit int,
		publish func(context.Context, Event) error) (int, error)
}

// --8<-- [end:store]

// --8<-- [start:backlog]

// Backlog is what an outbox holds that is not sent yet. A backlog that
// grows, or an oldest row that gets older, means events are not leaving:
// the bus is down or the relay is stuck.
type Backlog struct {
	Rows   int
	Oldest time.Time // when the oldest unsent row was stored; zero if none
}

// BacklogReader reports an outbox's backlog, for metrics.
type BacklogReader interface {
	Backlog(ctx context.Context) (Backlog, error)
}

// --8<-- [end:backlog]

// MemoryStore is a Store and Outbox in memory, safe for concurrent use.
// It forgets everything when the process ends: for tests and laptops.
type MemoryStore struct {
	mu      sync.Mutex
	orders  map[string]Order
	keys    map[string]keyed // idempotency key -> what it created
	pending []pending        // the outbox, oldest first
	relay   sync.Mutex       // one PublishPending at a time
}

// pending is an event in the outbox, the trace it was created in and
// when it was stored.
type pending struct {
	event  Event
	trace  TraceContext
	stored time.Time
}

type keyed struct {
	orderID     string
	fingerprint string
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{orders: map[string]Order{}, keys: map[string]keyed{}}
}

// Create implements Store.
func (s *MemoryStore) Create(ctx context.Context, o Order, req Request) (
	Order, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k, ok := s.keys[req.Key]; ok && req.Key != "" {
		if k.fingerprint != req.Fingerprint {
			return Order{}, false, ErrKeyReused
		}
		return cloneOrder(s.orders[k.orderID]), true, nil
	}
	if req.Key != "" {
		s.keys[req.Key] = keyed{orderID: o.ID, fingerprint: req.Fingerprint}
	}
	s.orders[o.ID] = cloneOrder(o) // the caller's slice must not alias ours
	s.pending = append(s.pending, pending{event: o.CreatedEvent(),
		trace: CaptureTrace(ctx), stored: time.Now()})
	return o, false, nil
}

// Get returns the order with the given id, or ErrNotFound.
func (s *MemoryStore) Get(_ context.Context, id string) (Order, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return Order{}, ErrNotFound
	}
	return cloneOrder(o), nil
}

// PublishPending implements Outbox. Publishing happens outside s.mu, so a
// slow bus does not block orders being created.
func (s *MemoryStore) PublishPending(ctx context.Context, limit int,
	publish func(context.Context, Event) error) (int, error) {
	s.relay.Lock()
	defer s.relay.Unlock()
	s.mu.Lock()
	batch := slices.Clone(s.pending[:min(limit, len(s.pending))])
	s.mu.Unlock()

	sent := 0
	var err error
	for _, p := range batch {
		if err = publish(p.trace.Continue(ctx), p.event); err != nil {
			break // keep the order of events: retry from here next time
		}
		sent++
	}
	s.mu.Lock()
	s.pending = s.pending[sent:]
	s.mu.Unlock()
	return sent, err
}

// Backlog implements BacklogReader.
func (s *MemoryStore) Backlog(context.Context) (Backlog, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := Backlog{Rows: len(s.pending)}
	if b.Rows > 0 {
		b.Oldest = s.pending[0].stored
	}
	return b, nil
}

func cloneOrder(o Order) Order {
	o.Items = slices.Clone(o.Items)
	return o
}
