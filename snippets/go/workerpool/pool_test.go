package workerpool_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"go.uber.org/goleak"

	"example.com/orders/workerpool"
)

// Every test in this package fails if it leaves a goroutine behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestRunProcessesEveryJob(t *testing.T) {
	jobs := make(chan int)
	go func() {
		defer close(jobs)
		for i := range 100 {
			jobs <- i
		}
	}()

	var sum atomic.Int64
	err := workerpool.Run(t.Context(), 4, jobs, func(_ context.Context, n int) error {
		sum.Add(int64(n))
		return nil
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got, want := sum.Load(), int64(99*100/2); got != want {
		t.Errorf("sum = %d, want %d", got, want)
	}
}

// --8<-- [start:cancel-test]

func TestRunStopsAllWorkersWhenCancelled(t *testing.T) {
	const workers = 4
	ctx, cancel := context.WithCancel(t.Context())
	jobs := make(chan int) // never closed: only cancellation can stop the pool
	started := make(chan struct{})

	done := make(chan error, 1)
	go func() {
		done <- workerpool.Run(ctx,
			workers, jobs, func(ctx context.Context, _ int) error {
				started <- struct{}{}
				<-ctx.Done() // a long job that honours cancellation
				return ctx.Err()
			})
	}()
	for range workers {
		jobs <- 1
		<-started
	}

	cancel()

	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
	// Run has returned, so no worker goroutine may be left running.
	goleak.VerifyNone(t)
}

// --8<-- [end:cancel-test]

func TestRunFirstErrorCancelsTheOthers(t *testing.T) {
	errBoom := errors.New("boom")
	jobs := make(chan int, 3)
	for i := range 3 {
		jobs <- i
	}
	close(jobs)

	started := make(chan struct{}, 2)
	var cancelled atomic.Int32
	err := workerpool.Run(t.Context(), 3, jobs, func(ctx context.Context, n int) error {
		if n == 0 {
			<-started // fail only once the other two jobs are running
			<-started
			return errBoom
		}
		started <- struct{}{}
		<-ctx.Done() // the other jobs wait until the failure cancels them
		cancelled.Add(1)
		return nil
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Run = %v, want %v", err, errBoom)
	}
	if got := cancelled.Load(); got != 2 {
		t.Errorf("%d jobs saw the cancellation, want 2", got)
	}
}

// --8<-- [start:wait-test]

// synctest.Wait returns once every goroutine in the bubble is blocked, so
// the test can look at how many jobs run at once without sleeping.
func TestRunNeverRunsMoreThanNJobsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		jobs := make(chan int, 10)
		for i := range 10 {
			jobs <- i
		}
		close(jobs)
		gate := make(chan struct{})
		var running atomic.Int32

		done := make(chan error, 1)
		go func() {
			done <- workerpool.Run(t.Context(), 3, jobs,
				func(context.Context, int) error {
					running.Add(1)
					<-gate
					running.Add(-1)
					return nil
				})
		}()

		synctest.Wait()
		if got := running.Load(); got != 3 {
			t.Fatalf("%d jobs running, want 3", got)
		}
		close(gate)
		if err := <-done; err != nil {
			t.Fatalf("Run: %v", err)
		}
	})
}

// --8<-- [end:wait-test]

func TestRunRejectsZeroWorkers(t *testing.T) {
	if err := workerpool.Run(t.Context(), 0, make(chan int), func(context.Context, int) error { return nil }); err == nil {
		t.Fatal("Run with 0 workers succeeded, want an error")
	}
}

// A producer that only sends would block forever once the pool has failed
// and nobody receives; goleak in TestMain would report it. Selecting on
// the context lets it stop.
func TestProducerStopsWhenThePoolFails(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	jobs := make(chan int)
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		defer close(jobs)
		for i := 0; ; i++ {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()

	err := workerpool.Run(ctx, 2, jobs, func(context.Context, int) error {
		return errors.New("broken")
	})
	cancel()
	<-stopped

	if err == nil {
		t.Fatal("Run returned nil for a failing job")
	}
}
