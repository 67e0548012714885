package kafkabus_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"go.uber.org/goleak"

	"example.com/orders/events/kafkabus"
	"example.com/orders/order"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// startKafka runs kfake, an in-process fake Kafka cluster that speaks the
// real protocol, with the orders topic in a single partition.
func startKafka(t *testing.T) []string {
	t.Helper()
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, kafkabus.Topic))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cluster.Close)
	return cluster.ListenAddrs()
}

func publish(t *testing.T, brokers []string, ids ...string) {
	t.Helper()
	p, err := kafkabus.NewProducer(brokers...)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for _, id := range ids {
		o := order.Order{ID: id, CustomerID: "c-1", TotalCents: 100}
		if err := p.Publish(t.Context(), o.CreatedEvent()); err != nil {
			t.Fatal(err)
		}
	}
}

// consume runs one group member until it has seen want events or fails.
func consume(t *testing.T, brokers []string, want int, handle kafkabus.Handler) ([]string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var mu sync.Mutex
	var seen []string
	err := kafkabus.Consume(ctx, brokers, "payments", func(ctx context.Context, e order.Event) error {
		if err := handle(ctx, e); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, e.OrderID)
		if len(seen) == want {
			cancel()
		}
		return nil
	})
	if ctx.Err() == context.DeadlineExceeded {
		t.Fatalf("timed out; handled %v", seen)
	}
	return seen, err
}

// --8<-- [start:resume-test]
// The first group member fails on ord-3. It has committed ord-1 and ord-2,
// so the member that takes over starts exactly at ord-3: nothing is lost and
// nothing before the failure is handled twice.
func TestConsumerResumesAtTheFailedEvent(t *testing.T) {
	brokers := startKafka(t)
	publish(t, brokers, "ord-1", "ord-2", "ord-3", "ord-4", "ord-5")

	errDown := errors.New("payment provider timed out")
	first, err := consume(t, brokers, 5,
		func(_ context.Context, e order.Event) error {
			if e.OrderID == "ord-3" {
				return errDown
			}
			return nil
		})
	if !errors.Is(err, errDown) {
		t.Fatalf("first member: err = %v, want %v", err, errDown)
	}

	second, err := consume(t, brokers, 3,
		func(context.Context, order.Event) error { return nil })
	if err != nil {
		t.Fatalf("second member: %v", err)
	}

	if want := []string{"ord-1", "ord-2"}; !slices.Equal(first, want) {
		t.Errorf("first member handled %v, want %v", first, want)
	}
	if want := []string{"ord-3",
		"ord-4", "ord-5"}; !slices.Equal(second, want) {
		t.Errorf("second member handled %v, want %v", second, want)
	}
}

// --8<-- [end:resume-test]

func TestEventsOfOneOrderStayInOrder(t *testing.T) {
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(3, kafkabus.Topic))
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()
	brokers := cluster.ListenAddrs()

	p, err := kafkabus.NewProducer(brokers...)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var want []string
	for step := range 4 {
		for _, id := range []string{"ord-a", "ord-b", "ord-c"} {
			e := order.Event{ID: fmt.Sprintf("%s/%d", id, step), OrderID: id}
			if err := p.Publish(t.Context(), e); err != nil {
				t.Fatal(err)
			}
			if id == "ord-b" {
				want = append(want, e.ID)
			}
		}
	}

	var mu sync.Mutex
	var gotB []string
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	seen := 0
	err = kafkabus.Consume(ctx, brokers, "ordering", func(_ context.Context, e order.Event) error {
		mu.Lock()
		defer mu.Unlock()
		if e.OrderID == "ord-b" {
			gotB = append(gotB, e.ID)
		}
		if seen++; seen == 12 {
			cancel()
		}
		return nil
	})
	if err != nil || ctx.Err() == context.DeadlineExceeded {
		t.Fatalf("Consume: %v (saw %d of 12 events)", err, seen)
	}
	if !slices.Equal(gotB, want) {
		t.Errorf("ord-b's events arrived as %v, want %v", gotB, want)
	}
}
