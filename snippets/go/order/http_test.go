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

func newServer(t *testing.T, events order.Publisher) (*httptest.Server, *order.MemoryStore) {
	t.Helper()
	store := order.NewMemoryStore()
	mux := http.NewServeMux()
	order.NewHandler(store, events, slog.New(slog.DiscardHandler)).Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, store
}

const validOrder = `{"customer_id":"c-42","items":[{"sku":"BOOK-1","quantity":2,"price_cents":1500}]}`

func TestCreateStoresTheOrderAndPublishesAnEvent(t *testing.T) {
	events := &recorder{}
	srv, store := newServer(t, events)

	resp, err := http.Post(srv.URL+"/orders", "application/json", strings.NewReader(validOrder))
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
	if len(events.events) != 1 || events.events[0].OrderID != created.ID || events.events[0].Type != order.EventCreated {
		t.Errorf("events = %+v, want one order.created for %s", events.events, created.ID)
	}
}

func TestCreateFailsWithoutSavingWhenTheBusIsDown(t *testing.T) {
	srv, _ := newServer(t, &recorder{err: errors.New("nats: no responders")})

	resp, err := http.Post(srv.URL+"/orders", "application/json", strings.NewReader(validOrder))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("status = %d, want 503 so the client retries", resp.StatusCode)
	}
}

func TestStatusCodes(t *testing.T) {
	srv, _ := newServer(t, &recorder{})
	tests := []struct {
		method, path, body string
		want               int
	}{
		{"POST", "/orders", validOrder, http.StatusCreated},
		{"POST", "/orders", `{"customer_id":`, http.StatusBadRequest},
		{"POST", "/orders", `{"customer_id":"c-1","items":[],"coupon":"x"}`, http.StatusBadRequest},
		{"POST", "/orders", `{"customer_id":"c-1","items":[]}`, http.StatusUnprocessableEntity},
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
	order.NewHandler(order.NewMemoryStore(), &recorder{}, slog.New(slog.DiscardHandler)).Register(mux, mark("outer"), mark("inner"))

	mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/orders/o-7", nil))

	want := []string{"outer GET /orders/{id}", "inner GET /orders/{id}"}
	if strings.Join(trail, ",") != strings.Join(want, ",") {
		t.Errorf("middleware ran as %q, want %q", trail, want)
	}
}
