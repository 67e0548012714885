package order_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"example.com/orders/order"
)

// recorder is a Publisher that remembers what it was asked to publish.
type recorder struct {
	mu     sync.Mutex
	events []order.Event
	err    error
}

func (r *recorder) Publish(_ context.Context, e order.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	r.events = append(r.events, e)
	return nil
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

func newServer(t *testing.T) (*httptest.Server, *order.MemoryStore) {
	t.Helper()
	store := order.NewMemoryStore()
	mux := http.NewServeMux()
	order.NewHandler(store, slog.New(slog.DiscardHandler)).Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, store
}

const validOrder = `{"customer_id":"c-42",` +
	`"items":[{"sku":"BOOK-1","quantity":2,"price_cents":1500}]}`

func TestCreateStoresTheOrderWithItsEventInTheOutbox(t *testing.T) {
	srv, store := newServer(t)

	resp, err := http.Post(srv.URL+"/orders", "application/json",
		strings.NewReader(validOrder))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("status = %d, want 201", resp.StatusCode)
	}
	var created order.Order
	if err := json.NewDecoder(resp.Body).Decode(&created); err != nil {
		t.Fatal(err)
	}
	if created.ID == "" || created.TotalCents != 3000 {
		t.Errorf("created = %+v, want an id and total 3000", created)
	}
	if got, want := resp.Header.Get("Location"), "/orders/"+created.ID; got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
	if _, err := store.Get(t.Context(), created.ID); err != nil {
		t.Errorf("order not stored: %v", err)
	}
	events := &recorder{}
	_, err = store.PublishPending(t.Context(), 10, events.Publish)
	if err != nil {
		t.Fatal(err)
	}
	if len(events.events) != 1 || events.events[0].OrderID != created.ID ||
		events.events[0].Type != order.EventCreated {
		t.Errorf("outbox = %+v, want one order.created for %s",
			events.events, created.ID)
	}
}

func TestConcurrentRetriesWithOneKeyCreateOneOrderAndOneEvent(t *testing.T) {
	srv, store := newServer(t)
	var wg sync.WaitGroup
	ids := make([]string, 8)
	for i := range ids {
		wg.Go(func() {
			req, _ := http.NewRequest("POST", srv.URL+"/orders",
				strings.NewReader(validOrder))
			req.Header.Set("Idempotency-Key", "same")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			var o order.Order
			json.NewDecoder(resp.Body).Decode(&o)
			ids[i] = o.ID
		})
	}
	wg.Wait()

	for _, id := range ids {
		if id != order.IDFromKey("same") {
			t.Fatalf("ids = %q, want all %q", ids, order.IDFromKey("same"))
		}
	}
	events := &recorder{}
	store.PublishPending(t.Context(), 100, events.Publish)
	if len(events.events) != 1 {
		t.Errorf("%d events for one key, want 1", len(events.events))
	}
}

func TestEventIDDerivesFromTheIdempotencyKey(t *testing.T) {
	o := order.Order{ID: order.IDFromKey("k")}
	if o.CreatedEvent().ID != order.IDFromKey("k")+"/created" {
		t.Errorf("event id %q does not follow from the key",
			o.CreatedEvent().ID)
	}
	if order.IDFromKey("k") == order.IDFromKey("k2") {
		t.Error("two keys give one order id")
	}
}

func TestRelayPublishesOnceTheBusIsBack(t *testing.T) {
	store := order.NewMemoryStore()
	o := order.Order{ID: "o-1", CustomerID: "c", TotalCents: 1}
	if _, _, err := store.Create(t.Context(), o, order.Request{}); err != nil {
		t.Fatal(err)
	}
	events := &recorder{err: errors.New("nats: no responders")}
	relay := &order.Relay{Outbox: store, Publisher: events,
		Interval: 10 * time.Millisecond, Batch: 10,
		Log: slog.New(slog.DiscardHandler)}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- relay.Run(ctx) }()

	time.Sleep(50 * time.Millisecond) // several failed attempts
	events.mu.Lock()
	events.err = nil // the bus is back
	events.mu.Unlock()
	deadline := time.Now().Add(5 * time.Second)
	for events.count() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // room for a wrong second publish
	cancel()
	<-done

	if events.count() != 1 {
		t.Errorf("published %d times, want once", events.count())
	}
}

func TestStatusCodes(t *testing.T) {
	srv, _ := newServer(t)
	tests := []struct {
		method, path, body string
		want               int
	}{
		{"POST", "/orders", validOrder, http.StatusCreated},
		{"POST", "/orders", `{"customer_id":`, http.StatusBadRequest},
		{"POST", "/orders", `{"customer_id":"c-1","items":[],"coupon":"x"}`, http.StatusBadRequest},
		{"POST", "/orders", `{"customer_id":"c-1","items":[]}`, http.StatusUnprocessableEntity},
		{"POST", "/orders", validOrder + "{}", http.StatusBadRequest},
		{"POST", "/orders", `"` + strings.Repeat("x", 1<<20) + `"`,
			http.StatusRequestEntityTooLarge},
		{"GET", "/orders/does-not-exist", "", http.StatusNotFound},
		{"PUT", "/orders/x", "", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}

func TestRegisterWrapsEveryRouteFirstMiddlewareOutermost(t *testing.T) {
	var trail []string
	mark := func(name string) func(http.Handler) http.Handler {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				trail = append(trail, name+" "+r.Pattern) // the route is known here
				next.ServeHTTP(w, r)
			})
		}
	}
	mux := http.NewServeMux()
	order.NewHandler(order.NewMemoryStore(), slog.New(slog.DiscardHandler)).
		Register(mux, mark("outer"), mark("inner"))

	mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/orders/o-7", nil))

	want := []string{"outer GET /orders/{id}", "inner GET /orders/{id}"}
	if strings.Join(trail, ",") != strings.Join(want, ",") {
		t.Errorf("middleware ran as %q, want %q", trail, want)
	}
}
