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

// ErrDeclined means the provider answered 402 Payment Required: it refused
// the charge. Retrying will not help, and it says nothing about the
// provider's health.
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
	// charge an order once however often we ask. The order id derives
	// from the client's own Idempotency-Key, so the chain holds end to end.
	req.Header.Set("Idempotency-Key", orderID)

	resp, err := c.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("payment: %w", err) // a timeout: retry
	}
	defer resp.Body.Close()
	// A provider that answers with an endless body must not hang us.
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return fmt.Errorf("payment: reading the answer: %w", err)
	}
	return outcome(resp.Status, resp.StatusCode, answer)
	// --8<-- [end:idempotency]
}

// maxResponseBytes bounds what is read of the provider's answer.
const maxResponseBytes = 64 << 10

// --8<-- [start:outcome]

// outcome classifies the provider's answer. Only an explicit refusal of
// the charge is a decline, which is acknowledged and never retried. Every
// other failure – a bad key (401, 403), a wrong URL (404), a request in
// flight with the same key (409), overload (429), an outage (5xx) – is an
// error: the event is retried, and the breaker counts it. Calling one of
// them a decline would acknowledge a charge that never happened.
func outcome(status string, code int, body []byte) error {
	switch {
	case code >= 200 && code < 300:
		return nil
	case code == http.StatusPaymentRequired:
		return fmt.Errorf("%w: %s", ErrDeclined, reason(body))
	default:
		return &ProviderError{Status: status, Code: code}
	}
}

// ProviderError is an answer from the provider that neither charged nor
// declined.
type ProviderError struct {
	Status string
	Code   int
}

func (e *ProviderError) Error() string {
	return "payment: provider answered " + e.Status
}

// --8<-- [end:outcome]

// reason is the provider's explanation of a decline, if it gave one.
func reason(body []byte) string {
	var answer struct {
		Reason string `json:"reason"`
	}
	if json.Unmarshal(body, &answer) != nil || answer.Reason == "" {
		return "no reason given"
	}
	return answer.Reason
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
