package payment_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sony/gobreaker/v2"

	"example.com/orders/payment"
)

// provider is a fake payment provider that fails while err is set.
type provider struct {
	err   error
	calls int
}

func (p *provider) Charge(context.Context, string, int64) error {
	p.calls++
	return p.err
}

var errDown = errors.New("connection refused")

// --8<-- [start:lifecycle-test]

// The breaker's whole life: closed -> open -> half-open -> closed. It stays
// open for 30 seconds; inside synctest.Test the clock is fake, so time.Sleep
// returns at once and the test takes no time at all.
func TestBreakerOpensFailsFastAndRecovers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &provider{err: errDown}
		var changes []string
		b := payment.NewBreaker(p, payment.OpenTimeout,
			func(from, to gobreaker.State) {
				changes = append(changes, fmt.Sprintf("%s->%s", from, to))
			})
		charge := func() error { return b.Charge(t.Context(), "ord-1", 3000) }

		// Closed: every call reaches the provider until the threshold.
		for range payment.FailureThreshold {
			if err := charge(); !errors.Is(err, errDown) {
				t.Fatalf("closed: err = %v, want the provider's error", err)
			}
		}
		if b.State() != gobreaker.StateOpen {
			t.Fatalf("state = %s after %d failures, want open",
				b.State(), payment.FailureThreshold)
		}

		// Open: fail fast, the provider is left alone.
		if err := charge(); !errors.Is(err, payment.ErrUnavailable) {
			t.Fatalf("open: err = %v, want ErrUnavailable", err)
		}
		if p.calls != payment.FailureThreshold {
			t.Fatalf("provider called %d times, want %d: "+
				"an open breaker must not call it",
				p.calls, payment.FailureThreshold)
		}

		// Half-open once the timeout has passed: one trial call decides.
		time.Sleep(payment.OpenTimeout + time.Second)
		if b.State() != gobreaker.StateHalfOpen {
			t.Fatalf("state = %s after %s, want half-open",
				b.State(), payment.OpenTimeout)
		}
		p.err = nil // the provider has recovered
		if err := charge(); err != nil {
			t.Fatalf("half-open: trial call failed: %v", err)
		}

		want := []string{"closed->open", "open->half-open", "half-open->closed"}
		if !slices.Equal(changes, want) {
			t.Errorf("state changes = %v, want %v", changes, want)
		}
	})
}

// --8<-- [end:lifecycle-test]

func TestFailedTrialCallReopens(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &provider{err: errDown}
		b := payment.NewBreaker(p, payment.OpenTimeout, nil)
		for range payment.FailureThreshold {
			b.Charge(t.Context(), "ord-1", 1)
		}
		time.Sleep(payment.OpenTimeout + time.Second)

		// The trial call fails too. The order it carried is not at
		// fault: it must wait like the others, not count a failure.
		err := b.Charge(t.Context(), "ord-1", 1)

		if b.State() != gobreaker.StateOpen {
			t.Errorf("state = %s, want open again", b.State())
		}
		if !errors.Is(err, payment.ErrUnavailable) || !errors.Is(err, errDown) {
			t.Errorf("failed trial: err = %v, want ErrUnavailable "+
				"wrapping the provider's error", err)
		}
		time.Sleep(payment.OpenTimeout - time.Second)
		if err := b.Charge(t.Context(), "ord-1", 1); !errors.Is(err, payment.ErrUnavailable) {
			t.Errorf("err = %v: the new open period must last a full OpenTimeout", err)
		}
	})
}

func TestDeclinesAndCancellationsDoNotOpenTheBreaker(t *testing.T) {
	for _, err := range []error{fmt.Errorf("%w: card expired", payment.ErrDeclined), context.Canceled} {
		p := &provider{err: err}
		b := payment.NewBreaker(p, payment.OpenTimeout, nil)
		for range 3 * payment.FailureThreshold {
			b.Charge(t.Context(), "ord-1", 1)
		}
		if b.State() != gobreaker.StateClosed {
			t.Errorf("%v: state = %s, want closed", err, b.State())
		}
	}
}
