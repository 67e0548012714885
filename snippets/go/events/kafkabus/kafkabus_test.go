package kafkabus_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
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
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1),
		kfake.SeedTopics(1, kafkabus.Topic, kafkabus.DeadLetterTopic))
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

func newConsumer(brokers []string) *kafkabus.Consumer {
	return &kafkabus.Consumer{
		Brokers: brokers, Group: "payments", MaxAttempts: 3,
		Backoff:        []time.Duration{10 * time.Millisecond},
		AttemptTimeout: 2 * time.Second, MaxPollRecords: 5,
		RebalanceTimeout: time.Minute, Log: slog.New(slog.DiscardHandler),
	}
}

// consume runs one group member until it has handled want events.
func consume(t *testing.T, c *kafkabus.Consumer, want int,
	handle kafkabus.Handler) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var mu sync.Mutex
	var seen []string
	err := c.Run(ctx, func(ctx context.Context, e order.Event) error {
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
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if ctx.Err() == context.DeadlineExceeded {
		t.Fatalf("timed out; handled %v", seen)
	}
	return seen
}

// deadLetters reads the dead-letter topic from the start.
func deadLetters(t *testing.T, brokers []string, want int) []*kgo.Record {
	t.Helper()
	client, err := kgo.NewClient(kgo.SeedBrokers(brokers...),
		kgo.ConsumeTopics(kafkabus.DeadLetterTopic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	var out []*kgo.Record
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	// want 0: read for the whole window, to see that nothing arrives.
	for (want == 0 || len(out) < want) && ctx.Err() == nil {
		out = append(out, client.PollFetches(ctx).Records()...)
	}
	return out
}

func header(r *kgo.Record, key string) string {
	for _, h := range r.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}

// --8<-- [start:resume-test]

// The first group member stops after ord-2. It has committed what it
// handled, so the member that takes over starts exactly at ord-3.
func TestNextMemberResumesWhereTheLastStopped(t *testing.T) {
	brokers := startKafka(t)
	publish(t, brokers, "ord-1", "ord-2", "ord-3", "ord-4", "ord-5")
	ok := func(context.Context, order.Event) error { return nil }

	first := consume(t, newConsumer(brokers), 2, ok)
	second := consume(t, newConsumer(brokers), 3, ok)

	if want := []string{"ord-1", "ord-2"}; !slices.Equal(first, want) {
		t.Errorf("first member handled %v, want %v", first, want)
	}
	want := []string{"ord-3", "ord-4", "ord-5"}
	if !slices.Equal(second, want) {
		t.Errorf("second member handled %v, want %v", second, want)
	}
}

// --8<-- [end:resume-test]

// --8<-- [start:dead-letter-test]

// ord-3 fails every time. It is tried MaxAttempts times, parked in the
// dead-letter topic with the reason, and committed: the partition moves
// on, and the next member does not get stuck on it either.
func TestRecordThatAlwaysFailsIsDeadLetteredAndThePartitionMovesOn(
	t *testing.T) {
	brokers := startKafka(t)
	publish(t, brokers, "ord-1", "ord-2", "ord-3", "ord-4")
	var attempts atomic.Int64
	failing := func(_ context.Context, e order.Event) error {
		if e.OrderID == "ord-3" {
			attempts.Add(1)
			return errors.New("card number missing")
		}
		return nil
	}

	first := consume(t, newConsumer(brokers), 3, failing)
	publish(t, brokers, "ord-5")
	second := consume(t, newConsumer(brokers), 1, failing)

	if want := []string{"ord-1", "ord-2", "ord-4"}; !slices.Equal(first, want) {
		t.Errorf("handled %v, want %v", first, want)
	}
	if attempts.Load() != 3 || !slices.Equal(second, []string{"ord-5"}) {
		t.Errorf("ord-3 tried %d times, next member handled %v; want 3 "+
			"and only ord-5", attempts.Load(), second)
	}
	dead := deadLetters(t, brokers, 1)
	if len(dead) != 1 || string(dead[0].Key) != "ord-3" ||
		!strings.Contains(header(dead[0], kafkabus.DeadLetterReason),
			"card number missing") {
		t.Errorf("dead letters %v, want ord-3 with its reason", dead)
	}
}

// --8<-- [end:dead-letter-test]

func TestMalformedRecordIsDeadLetteredNotRetried(t *testing.T) {
	brokers := startKafka(t)
	client, err := kgo.NewClient(kgo.SeedBrokers(brokers...),
		kgo.DefaultProduceTopic(kafkabus.Topic))
	if err != nil {
		t.Fatal(err)
	}
	err = client.ProduceSync(t.Context(),
		&kgo.Record{Key: []byte("x"), Value: []byte("{not json")}).FirstErr()
	client.Close()
	if err != nil {
		t.Fatal(err)
	}
	publish(t, brokers, "ord-1")

	seen := consume(t, newConsumer(brokers), 1,
		func(context.Context, order.Event) error { return nil })

	dead := deadLetters(t, brokers, 1)
	if !slices.Equal(seen, []string{"ord-1"}) || len(dead) != 1 ||
		!strings.Contains(header(dead[0], kafkabus.DeadLetterReason),
			"malformed") {
		t.Errorf("handled %v, dead letters %v", seen, dead)
	}
}

func TestRetryLaterWaitsWithoutDeadLettering(t *testing.T) {
	brokers := startKafka(t)
	publish(t, brokers, "ord-1", "ord-2")
	c := newConsumer(brokers)
	calls := 0
	seen := consume(t, c, 2, func(_ context.Context, e order.Event) error {
		if calls++; e.OrderID == "ord-1" && calls <= 2*c.MaxAttempts {
			return fmt.Errorf("breaker open: %w", kafkabus.ErrRetryLater)
		}
		return nil
	})

	if !slices.Equal(seen, []string{"ord-1", "ord-2"}) {
		t.Errorf("handled %v, want ord-1 then ord-2", seen)
	}
	if dead := deadLetters(t, brokers, 0); len(dead) != 0 {
		t.Errorf("%d records dead-lettered during an outage", len(dead))
	}
}

// --8<-- [start:shutdown-test]

// SIGTERM arrives while a charge is in progress. The charge must finish
// with a live context, be committed, and not be handled again.
func TestShutdownDoesNotCancelAChargeInProgress(t *testing.T) {
	brokers := startKafka(t)
	publish(t, brokers, "ord-1", "ord-2")
	entered, release := make(chan struct{}), make(chan struct{})
	var chargeErr error
	ctx, cancel := context.WithCancel(t.Context())
	result := make(chan error, 1)
	go func() {
		result <- newConsumer(brokers).Run(ctx,
			func(ctx context.Context, e order.Event) error {
				close(entered)
				<-release
				chargeErr = ctx.Err() // still live after the shutdown?
				return nil
			})
	}()
	select {
	case <-entered:
	case err := <-result:
		t.Fatalf("Run returned %v before the charge", err)
	}

	cancel() // SIGTERM
	close(release)
	if err := <-result; err != nil || chargeErr != nil {
		t.Fatalf("Run = %v, the charge's context ended with %v", err, chargeErr)
	}

	next := consume(t, newConsumer(brokers), 1,
		func(context.Context, order.Event) error { return nil })
	if !slices.Equal(next, []string{"ord-2"}) {
		t.Errorf("next member handled %v, want only ord-2", next)
	}
}

// --8<-- [end:shutdown-test]

func TestConsumerRefusesPollsThatCannotFinishWithinTheRebalance(
	t *testing.T) {
	c := newConsumer(nil)
	c.MaxPollRecords = 500 // 500 × 3 × 2 s is far beyond a minute

	err := c.Run(t.Context(), func(context.Context, order.Event) error {
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "RebalanceTimeout") {
		t.Errorf("Run = %v, want the budget explained", err)
	}
}

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
	c := newConsumer(brokers)
	c.Group = "ordering"
	err = c.Run(ctx, func(_ context.Context, e order.Event) error {
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
