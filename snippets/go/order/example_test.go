package order_test

import (
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
	h := order.NewHandler(order.NewMemoryStore(), slog.New(slog.DiscardHandler))
	h.NewID = func() string { return "ord-1" }
	h.Now = func() time.Time { return time.Date(2024, 11, 20, 5, 0, 0, 0, time.UTC) }
	mux := http.NewServeMux()
	h.Register(mux)
	return mux
}

// send prints the answer to one request; header is name, value pairs.
func send(api http.Handler, method, target, body string, header ...string) {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	api.ServeHTTP(rec, req)
	fmt.Println(method, target, "->", rec.Code, http.StatusText(rec.Code))
	for _, name := range []string{"Location", "Idempotent-Replayed"} {
		if v := rec.Header().Get(name); v != "" {
			fmt.Printf("%s: %s\n", name, v)
		}
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
	send(api, "POST", "/orders",
		`{"customer_id":"","items":[{"sku":"BOOK-1","quantity":0}]}`)
	send(api, "POST", "/orders", `{"customer":"c-42"}`)
	send(api, "POST", "/orders", `{"customer_id":"c-42","items":[]} {}`)
	send(api, "POST", "/orders", strings.Repeat(" ", order.MaxBodyBytes+1))
	send(api, "DELETE", "/orders/ord-1", "")
	// Output:
	// POST /orders -> 422 Unprocessable Entity
	// {"error":"invalid order","problems":["customer_id is required","items[0].quantity must be between 1 and 10000"]}
	// POST /orders -> 400 Bad Request
	// {"error":"malformed JSON: json: unknown field \"customer\""}
	// POST /orders -> 400 Bad Request
	// {"error":"malformed JSON: data after the JSON object"}
	// POST /orders -> 413 Request Entity Too Large
	// {"error":"body larger than 65536 bytes"}
	// DELETE /orders/ord-1 -> 405 Method Not Allowed
	// Method Not Allowed
}

func ExampleHandler_idempotencyKey() {
	api := newAPI()
	const book = `{"customer_id":"c-42",` +
		`"items":[{"sku":"BOOK-1","quantity":1,"price_cents":1500}]}`
	two := strings.Replace(book, `"quantity":1`, `"quantity":2`, 1)
	key := "Idempotency-Key"
	send(api, "POST", "/orders", book, key, "b7e4c1d2")
	send(api, "POST", "/orders", book, key, "b7e4c1d2") // a retry
	send(api, "POST", "/orders", two, key, "b7e4c1d2")  // another order
	// Output:
	// POST /orders -> 201 Created
	// Location: /orders/DEA5DZ6YPMR5YAEZMCPKP77OLY
	// {"id":"DEA5DZ6YPMR5YAEZMCPKP77OLY","customer_id":"c-42","items":[{"sku":"BOOK-1","quantity":1,"price_cents":1500}],"total_cents":1500,"created_at":"2024-11-20T05:00:00Z"}
	// POST /orders -> 201 Created
	// Location: /orders/DEA5DZ6YPMR5YAEZMCPKP77OLY
	// Idempotent-Replayed: true
	// {"id":"DEA5DZ6YPMR5YAEZMCPKP77OLY","customer_id":"c-42","items":[{"sku":"BOOK-1","quantity":1,"price_cents":1500}],"total_cents":1500,"created_at":"2024-11-20T05:00:00Z"}
	// POST /orders -> 422 Unprocessable Entity
	// {"error":"Idempotency-Key already used for a different order: send a new key for a new order"}
}
