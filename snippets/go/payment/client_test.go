package payment_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"example.com/orders/payment"
)

func TestHTTPClient(t *testing.T) {
	tests := []struct {
		status   int
		declined bool
		ok       bool
	}{
		{http.StatusCreated, false, true},
		{http.StatusPaymentRequired, true, false},
		{http.StatusTooManyRequests, false, false}, // overload, not a refusal
		{http.StatusBadGateway, false, false},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			var got struct {
				OrderID     string `json:"order_id"`
				AmountCents int64  `json:"amount_cents"`
			}
			var key string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				key = r.Header.Get("Idempotency-Key")
				json.NewDecoder(r.Body).Decode(&got)
				w.WriteHeader(tt.status)
			}))
			defer srv.Close()

			c := &payment.HTTPClient{BaseURL: srv.URL, HTTP: srv.Client()}
			err := c.Charge(t.Context(), "ord-1", 3000)

			if (err == nil) != tt.ok || errors.Is(err, payment.ErrDeclined) != tt.declined {
				t.Errorf("err = %v, want ok=%v declined=%v", err, tt.ok, tt.declined)
			}
			if got.OrderID != "ord-1" || got.AmountCents != 3000 || key != "ord-1" {
				t.Errorf("provider got %+v with Idempotency-Key %q", got, key)
			}
		})
	}
}
