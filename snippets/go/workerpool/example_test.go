package workerpool_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"example.com/orders/workerpool"
)

// Three workers share five orders. The order in which they finish varies,
// so the totals are sorted before printing.
func ExampleRun() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // also stops the producer if Run returns early
	orders := make(chan int)
	go func() {
		defer close(orders) // closing the channel says "no more jobs"
		for id := 1; id <= 5; id++ {
			select {
			case orders <- id:
			case <-ctx.Done(): // nobody will receive: do not block forever
				return
			}
		}
	}()

	var mu sync.Mutex
	var totals []int
	work := func(_ context.Context, id int) error {
		mu.Lock()
		defer mu.Unlock()
		totals = append(totals, id*100)
		return nil
	}
	err := workerpool.Run(ctx, 3, orders, work)

	slices.Sort(totals)
	fmt.Println("totals:", totals)
	fmt.Println("error:", err)
	// Output:
	// totals: [100 200 300 400 500]
	// error: <nil>
}

// The first failing job stops the pool: the other workers see a cancelled
// context and Run returns the error that caused it.
func ExampleRun_error() {
	orders := make(chan string, 3)
	orders <- "ord-1"
	orders <- "ord-2"
	orders <- "ord-3"
	close(orders)

	errInvalid := errors.New("invalid order")
	err := workerpool.Run(context.Background(), 1, orders, func(ctx context.Context, id string) error {
		if id == "ord-2" {
			return fmt.Errorf("%s: %w", id, errInvalid)
		}
		return nil
	})

	fmt.Println(err)
	fmt.Println(errors.Is(err, errInvalid))
	// Output:
	// ord-2: invalid order
	// true
}
