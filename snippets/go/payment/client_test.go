package payment_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

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
		// Anything else is not a decline: acknowledging it as one would
		// lose a charge that never happened.
		{http.StatusBadRequest, false, false},
		{http.StatusUnauthorized, false, false}, // our key is wrong
		{http.StatusForbidden, false, false},
		{http.StatusNotFound, false, false}, // our URL is wrong
		{http.StatusConflict, false, false}, // same key still in flight
		{http.StatusTooManyRequests, false, false},
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

func TestHTTPClientReadsAtMostALimitedAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusPaymentRequired)
			w.Write([]byte(`{"reason":"card expired"}`))
			for range 1 << 12 { // 4 GiB if read to the end
				if _, err := w.Write(make([]byte, 1<<20)); err != nil {
					return
				}
			}
		}))
	defer srv.Close()
	c := &payment.HTTPClient{BaseURL: srv.URL, HTTP: srv.Client()}

	done := make(chan error, 1)
	go func() { done <- c.Charge(t.Context(), "ord-1", 3000) }()
	select {
	case err := <-done:
		if !errors.Is(err, payment.ErrDeclined) {
			t.Errorf("err = %v, want a decline", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Charge is still reading an endless answer after 10 s")
	}
}

func TestDeclineCarriesTheProvidersReason(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusPaymentRequired)
			w.Write([]byte(`{"reason":"card expired"}`))
		}))
	defer srv.Close()
	c := &payment.HTTPClient{BaseURL: srv.URL, HTTP: srv.Client()}

	err := c.Charge(t.Context(), "ord-1", 3000)
	if !errors.Is(err, payment.ErrDeclined) ||
		!strings.Contains(err.Error(), "card expired") {
		t.Errorf("err = %v, want a decline naming the reason", err)
	}
}
