package order

import (
	"context"
	"slices"
	"sync"
)

// --8<-- [start:store]
// Store keeps orders. The handlers depend on this interface rather than on a
// database, so tests and local runs use MemoryStore and production can plug
// in PostgreSQL without touching them.
type Store interface {
	Save(ctx context.Context, o Order) error
	Get(ctx context.Context, id string) (Order, error)
}

// MemoryStore is a Store in a map, safe for concurrent use.
type MemoryStore struct {
	mu     sync.RWMutex
	orders map[string]Order
}

// --8<-- [end:store]

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{orders: make(map[string]Order)}
}

// Save stores o, replacing any order with the same id.
func (s *MemoryStore) Save(_ context.Context, o Order) error {
	// Copy the items: the caller's slice must not alias what we store.
	o.Items = slices.Clone(o.Items)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orders[o.ID] = o
	return nil
}

// Get returns the order with the given id, or ErrNotFound.
func (s *MemoryStore) Get(_ context.Context, id string) (Order, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	o, ok := s.orders[id]
	if !ok {
		return Order{}, ErrNotFound
	}
	o.Items = slices.Clone(o.Items)
	return o, nil
}
