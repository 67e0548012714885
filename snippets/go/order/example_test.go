package order_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"example.com/orders/order"
)

// newAPI returns the order API with a fixed id and clock, so the output below
// is the same on every run.
func newAPI() http.Handler {
	events := order.PublisherFunc(func(context.Context, order.Event) error { return nil })
	h := order.NewHandler(order.NewMemoryStore(), events, slog.New(slog.DiscardHandler))
	h.NewID = func() string { return "ord-1" }
	h.Now = func() time.Time { return time.Date(2024, 11, 20, 5, 0, 0, 0, time.UTC) }
	mux := http.NewServeMux()
	h.Register(mux)
	return mux
}

func send(api http.Handler, method, target, body string) {
	rec := httptest.NewRecorder()
	api.ServeHTTP(rec, httptest.NewRequest(method, target, strings.NewReader(body)))
	fmt.Println(method, target, "->", rec.Code, http.StatusText(rec.Code))
	if loc := rec.Header().Get("Location"); loc != "" {
		fmt.Println("Location:", loc)
	}
	fmt.Print(rec.Body.String())
}

func ExampleHandler_create() {
	api := newAPI()
	send(api, "POST", "/orders", `{"customer_id":"c-42","items":[{"sku":"BOOK-1","quantity":2,"price_cents":1500}]}`)
	send(api, "GET", "/orders/ord-1", "")
	// Output:
	// POST /orders -> 201 Created
	// Location: /orders/ord-1
	// {"id":"ord-1","customer_id":"c-42","items":[{"sku":"BOOK-1","quantity":2,"price_cents":1500}],"total_cents":3000,"created_at":"2024-11-20T05:00:00Z"}
	// GET /orders/ord-1 -> 200 OK
	// {"id":"ord-1","customer_id":"c-42","items":[{"sku":"BOOK-1","quantity":2,"price_cents":1500}],"total_cents":3000,"created_at":"2024-11-20T05:00:00Z"}
}

func ExampleHandler_invalid() {
	api := newAPI()
	send(api, "POST", "/orders", `{"customer_id":"","items":[{"sku":"BOOK-1","quantity":0}]}`)
	send(api, "POST", "/orders", `{"customer":"c-42"}`)
	send(api, "DELETE", "/orders/ord-1", "")
	// Output:
	// POST /orders -> 422 Unprocessable Entity
	// {"error":"invalid order","problems":["customer_id is required","items[0].quantity must be at least 1"]}
	// POST /orders -> 400 Bad Request
	// {"error":"malformed JSON: json: unknown field \"customer\""}
	// DELETE /orders/ord-1 -> 405 Method Not Allowed
	// Method Not Allowed
}
