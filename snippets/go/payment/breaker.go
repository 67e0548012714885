package payment

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sony/gobreaker/v2"
)

// --8<-- [start:settings]

const (
	// FailureThreshold consecutive failures open the breaker.
	FailureThreshold = 5
	// OpenTimeout is how long the breaker stays open before it lets one
	// trial call through (half-open), unless NewBreaker is told otherwise.
	OpenTimeout = 30 * time.Second
)

// ErrUnavailable is returned, without calling the provider, while the
// breaker is open.
var ErrUnavailable = errors.New("payment provider unavailable")

// Breaker is a Charger that stops calling a failing provider for a while.
// Without it, every worker would wait for a timeout on every event, queues
// would grow, and the struggling provider would get no room to recover.
type Breaker struct {
	next Charger
	cb   *gobreaker.CircuitBreaker[struct{}]
}

// NewBreaker wraps next. It stays open for openFor (OpenTimeout in
// production; shorter in a test that plays a whole outage). onStateChange,
// if not nil, is told about every state change; log it, it is the first
// sign of a provider outage.
func NewBreaker(next Charger, openFor time.Duration,
	onStateChange func(from, to gobreaker.State)) *Breaker {
	settings := gobreaker.Settings{
		Name:        "payment",
		MaxRequests: 1, // half-open: a single trial call decides
		Timeout:     openFor,
		ReadyToTrip: func(c gobreaker.Counts) bool {
			return c.ConsecutiveFailures >= FailureThreshold
		},
		IsSuccessful: healthy,
		IsExcluded:   notTheProvider,
	}
	if onStateChange != nil {
		settings.OnStateChange = func(_ string,
			from, to gobreaker.State) {
			onStateChange(from, to)
		}
	}
	return &Breaker{next: next,
		cb: gobreaker.NewCircuitBreaker[struct{}](settings)}
}

// healthy tells the breaker which answers show a working provider: a
// declined card is a correct answer from a healthy provider.
func healthy(err error) bool {
	return err == nil || errors.Is(err, ErrDeclined)
}

// notTheProvider is a failure that says nothing about the provider: our
// own shutdown cancelling a call.
func notTheProvider(err error) bool {
	return errors.Is(err, context.Canceled)
}

// --8<-- [end:settings]

// --8<-- [start:charge]

// Charge calls the provider unless the breaker is open.
func (b *Breaker) Charge(ctx context.Context,
	orderID string, cents int64) error {
	_, err := b.cb.Execute(func() (struct{}, error) {
		return struct{}{}, b.next.Charge(ctx, orderID, cents)
	})
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err,
		gobreaker.ErrTooManyRequests) {
		return fmt.Errorf("%w: %w", ErrUnavailable, err) // failed fast
	}
	if !healthy(err) && !notTheProvider(err) &&
		b.State() == gobreaker.StateOpen {
		// This failure opened the breaker, or it was the half-open trial
		// call: it belongs to the outage, not to this order. Without this,
		// every failed trial during a long outage would count against the
		// order it happened to carry, until that order is dead-lettered.
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}

// --8<-- [end:charge]

// State is the breaker's current state: closed, open or half-open.
func (b *Breaker) State() gobreaker.State { return b.cb.State() }
