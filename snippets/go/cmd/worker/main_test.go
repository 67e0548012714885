package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"example.com/orders/order"
	"example.com/orders/payment"
)

func TestWorkerExplainsWhenNATSIsUnreachable(t *testing.T) {
	// A port nobody listens on: reserve one, then free it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "nats://" + ln.Addr().String()
	ln.Close()

	noEnv := func(string) string { return "" }
	err = run(t.Context(), nil, []string{"-nats", url}, noEnv, &bytes.Buffer{})

	if err == nil || !strings.Contains(err.Error(), "cannot connect to NATS at "+url) || !strings.Contains(err.Error(), "-embedded") {
		t.Errorf("err = %v, want a message naming the URL and suggesting -embedded", err)
	}
}

func TestChargeOrder(t *testing.T) {
	created := order.Event{ID: "ord-1/created", Type: order.EventCreated, OrderID: "ord-1", TotalCents: 3000}
	tests := []struct {
		name      string
		event     order.Event
		chargeErr error
		wantRetry bool // a handler error makes JetStream redeliver
		wantCalls int
	}{
		{"charged", created, nil, false, 1},
		{"declined: retrying cannot help", created, fmt.Errorf("%w: card expired", payment.ErrDeclined), false, 1},
		{"provider down: try again later", created, errors.New("502 Bad Gateway"), true, 1},
		{"breaker open: try again later", created, payment.ErrUnavailable, true, 1},
		{"other event types are ignored", order.Event{Type: "order.shipped"}, nil, false, 0},
		{"a negative total is never charged", order.Event{ID: "ord-1/created",
			Type: order.EventCreated, OrderID: "ord-1", TotalCents: -3000},
			nil, true, 0},
		{"a zero total needs no charge", order.Event{ID: "ord-1/created",
			Type: order.EventCreated, OrderID: "ord-1"}, nil, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			charger := payment.ChargerFunc(func(_ context.Context, id string, cents int64) error {
				calls++
				if id != "ord-1" || cents != 3000 {
					t.Errorf("charged %s %d, want ord-1 3000", id, cents)
				}
				return tt.chargeErr
			})

			err := chargeOrder(charger, slog.New(slog.DiscardHandler),
				newWorkerMetrics(prometheus.NewRegistry()))(t.Context(), tt.event)

			if (err != nil) != tt.wantRetry || calls != tt.wantCalls {
				t.Errorf("err = %v after %d calls, want retry=%v after %d", err, calls, tt.wantRetry, tt.wantCalls)
			}
		})
	}
}
