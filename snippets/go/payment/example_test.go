package payment_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/sony/gobreaker/v2"

	"example.com/orders/payment"
)

// The provider is down. After FailureThreshold failures the breaker opens,
// and the next charge fails at once without calling the provider. The
// failure that opened it is the outage's too, so it is reported as such.
func ExampleBreaker() {
	calls := 0
	provider := payment.ChargerFunc(func(context.Context, string, int64) error {
		calls++
		return errors.New("connect: connection refused")
	})
	b := payment.NewBreaker(provider, payment.OpenTimeout,
		func(from, to gobreaker.State) {
			fmt.Printf("breaker: %s -> %s\n", from, to)
		})

	for i := 1; i <= payment.FailureThreshold+1; i++ {
		err := b.Charge(context.Background(), fmt.Sprintf("ord-%d", i), 3000)
		fmt.Printf("ord-%d: %v\n", i, err)
	}
	fmt.Println("calls to the provider:", calls)
	// Output:
	// ord-1: connect: connection refused
	// ord-2: connect: connection refused
	// ord-3: connect: connection refused
	// ord-4: connect: connection refused
	// breaker: closed -> open
	// ord-5: payment provider unavailable: connect: connection refused
	// ord-6: payment provider unavailable: circuit breaker is open
	// calls to the provider: 5
}
