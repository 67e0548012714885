// Package payment charges orders with an external payment provider. The
// provider is a dependency this system does not control, so calls to it go
// through a circuit breaker (see Breaker).
package payment

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
)

// Charger charges an order's total.
type Charger interface {
	Charge(ctx context.Context, orderID string, cents int64) error
}

// ErrDeclined means the provider answered and refused the charge. Retrying
// will not help, and it says nothing about the provider's health.
var ErrDeclined = errors.New("payment declined")

// HTTPClient is a Charger that calls the provider's HTTP API.
type HTTPClient struct {
	BaseURL string
	// HTTP should have a timeout and, for tracing, an otelhttp transport.
	HTTP *http.Client
}

// Charge sends POST {BaseURL}/charges.
func (c *HTTPClient) Charge(ctx context.Context, orderID string, cents int64) error {
	body, err := json.Marshal(map[string]any{"order_id": orderID, "amount_cents": cents})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+"/charges", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	// --8<-- [start:idempotency]
	// Events can be delivered more than once; the key makes the provider
	// charge an order once however often we ask.
	req.Header.Set("Idempotency-Key", orderID)

	resp, err := c.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("payment: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body) // lets the connection be reused

	switch {
	case resp.StatusCode < 300:
		return nil
	case resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests:
		return fmt.Errorf("%w: provider answered %s", ErrDeclined, resp.Status)
	default:
		return fmt.Errorf("payment: provider answered %s", resp.Status)
	}
	// --8<-- [end:idempotency]
}

// LogCharger only logs what it would charge. The worker uses it when no
// provider is configured, so the system can be tried locally.
type LogCharger struct {
	Log *slog.Logger
}

// Charge logs the charge and succeeds.
func (l LogCharger) Charge(ctx context.Context, orderID string, cents int64) error {
	l.Log.InfoContext(ctx, "dry run: would charge", "order_id", orderID, "amount_cents", cents)
	return nil
}

// ChargerFunc lets an ordinary function act as a Charger.
type ChargerFunc func(ctx context.Context, orderID string, cents int64) error

// Charge calls f.
func (f ChargerFunc) Charge(ctx context.Context, orderID string, cents int64) error {
	return f(ctx, orderID, cents)
}
