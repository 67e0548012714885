// Package workerpool processes jobs from a channel with a fixed number of
// goroutines.
//
// The pool is bounded on purpose: however fast jobs arrive, at most n run at
// once, which caps memory use and the load this process puts on the services
// it calls.
package workerpool

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"
)

// --8<-- [start:run]

// Run starts n workers that call handle for each job received from jobs. It
// returns when jobs is closed and drained, when ctx is cancelled, or when a
// handler returns an error. The first error cancels the context that every
// other handler sees, and Run returns that error.
func Run[T any](ctx context.Context,
	n int, jobs <-chan T, handle func(context.Context, T) error) error {
	if n < 1 {
		return fmt.Errorf("workerpool: need at least 1 worker, got %d", n)
	}
	g, ctx := errgroup.WithContext(ctx)
	for range n {
		g.Go(func() error {
			for {
				// --8<-- [start:cancel]
				select {
				case <-ctx.Done():
					return ctx.Err()
				case job, ok := <-jobs:
					if !ok {
						return nil // closed and drained: the normal end
					}
					if err := handle(ctx, job); err != nil {
						return err
					}
				}
				// --8<-- [end:cancel]
			}
		})
	}
	return g.Wait()
}

// --8<-- [end:run]
