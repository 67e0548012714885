// Package kafkabus carries order events over Apache Kafka, with franz-go.
//
// A Kafka topic is a set of partitioned, ordered logs. Consumers in a group
// split the partitions between them, and each group commits how far it has
// read. This package publishes with the order id as key, so all events of
// one order land in one partition and are read in order, and it commits an
// offset only after the events before it were handled or dead-lettered.
package kafkabus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.opentelemetry.io/otel/trace"

	"example.com/orders/order"
)

// Topic holds the order events.
const Topic = "orders"

// --8<-- [start:producer]

// Producer is an order.Publisher for Kafka.
type Producer struct {
	client *kgo.Client
}

// NewProducer connects to the given brokers. franz-go's defaults are the safe
// ones: an idempotent producer that waits for all in-sync replicas.
func NewProducer(brokers ...string) (*Producer, error) {
	client, err := kgo.NewClient(
		kgo.SeedBrokers(brokers...),
		kgo.DefaultProduceTopic(Topic),
	)
	if err != nil {
		return nil, fmt.Errorf("kafkabus: %w", err)
	}
	return &Producer{client: client}, nil
}

// Publish returns once the brokers have stored e.
func (p *Producer) Publish(ctx context.Context, e order.Event) error {
	value, err := json.Marshal(e)
	if err != nil {
		return err
	}
	// The key picks the partition: one order's events stay in order.
	record := &kgo.Record{Key: []byte(e.OrderID), Value: value}
	ctx, span := startSend(ctx, record, e.ID)
	defer span.End()
	if err := p.client.ProduceSync(ctx, record).FirstErr(); err != nil {
		err = fmt.Errorf("kafkabus: publish %s: %w", e.ID, err)
		fail(span, err)
		return err
	}
	return nil
}

// Close flushes nothing (Publish is synchronous) and disconnects.
func (p *Producer) Close() { p.client.Close() }

// --8<-- [end:producer]

var _ order.Publisher = (*Producer)(nil)

// Handler processes one event.
type Handler func(ctx context.Context, e order.Event) error

// DeadLetterTopic keeps the records that could not be handled, with the
// reason in the DeadLetterReason header.
const (
	DeadLetterTopic  = "orders.dead"
	DeadLetterReason = "dead-letter-reason"
)

// ErrRetryLater marks a failure that is not the record's fault, such as a
// dependency behind an open circuit breaker: the record is retried from
// the next poll without counting towards MaxAttempts.
var ErrRetryLater = errors.New("kafkabus: retry later")

// Consumer reads order events as a member of a consumer group.
type Consumer struct {
	Brokers []string
	Group   string
	// MaxAttempts is how often a record is tried before it goes to the
	// dead-letter topic, so that one bad record cannot stop its partition
	// for every member that takes it over.
	MaxAttempts int
	// Backoff is the wait between attempts; the last entry repeats.
	Backoff []time.Duration
	// AttemptTimeout bounds one call of the handler.
	AttemptTimeout time.Duration
	// MaxPollRecords bounds one poll. While a poll is handled the member
	// blocks rebalances, so the worst case of a whole poll must fit in
	// RebalanceTimeout or the group throws the member out.
	MaxPollRecords   int
	RebalanceTimeout time.Duration
	Log              *slog.Logger
}

// --8<-- [start:budget]

// worstPoll is how long one poll can take to handle: every record tried
// MaxAttempts times, each attempt up to AttemptTimeout, with the waits.
func (c *Consumer) worstPoll() time.Duration {
	perRecord := time.Duration(c.MaxAttempts) * c.AttemptTimeout
	for n := 1; n < c.MaxAttempts; n++ {
		perRecord += c.retryDelay(n)
	}
	return time.Duration(c.MaxPollRecords) * perRecord
}

// --8<-- [end:budget]

func (c *Consumer) retryDelay(n int) time.Duration {
	if len(c.Backoff) == 0 {
		return 0
	}
	return c.Backoff[min(n, len(c.Backoff))-1]
}

// errStopped ends the handling of a poll when shutdown interrupts a wait.
var errStopped = errors.New("kafkabus: stopped")

// --8<-- [start:consume]

// Run joins the group and handles events until ctx is cancelled, which
// returns nil. A record is committed once it is handled or dead-lettered,
// so the partition always moves on.
func (c *Consumer) Run(ctx context.Context, handle Handler) error {
	if c.MaxAttempts < 1 || c.MaxPollRecords < 1 ||
		c.worstPoll() >= c.RebalanceTimeout {
		return fmt.Errorf("kafkabus: a poll can take %s, which does not "+
			"fit in RebalanceTimeout %s", c.worstPoll(), c.RebalanceTimeout)
	}
	client, err := kgo.NewClient(
		kgo.SeedBrokers(c.Brokers...),
		kgo.ConsumerGroup(c.Group),
		kgo.ConsumeTopics(Topic),
		// A new group reads from the start.
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		// Commit after handling, not on a timer.
		kgo.DisableAutoCommit(),
		// Keep our partitions until we have committed.
		kgo.BlockRebalanceOnPoll(),
		kgo.RebalanceTimeout(c.RebalanceTimeout),
	)
	if err != nil {
		return fmt.Errorf("kafkabus: %w", err)
	}
	defer client.Close()
	defer client.AllowRebalance() // Close waits for a blocked rebalance

	// Handlers get a context that shutdown does not cancel: a charge in
	// progress finishes. Shutdown only stops the next record starting.
	work := context.WithoutCancel(ctx)
	for {
		fetches := client.PollRecords(ctx, c.MaxPollRecords)
		if ctx.Err() != nil {
			return nil
		}
		if err := fetches.Err(); err != nil {
			return fmt.Errorf("kafkabus: poll: %w", err)
		}

		var done []*kgo.Record
		var stop error
		for record := range fetches.RecordsAll() {
			if ctx.Err() != nil {
				break // the rest is delivered to the next member
			}
			stop = c.process(ctx, work, client, record, handle)
			if stop != nil {
				break
			}
			done = append(done, record)
		}
		// Commit even while shutting down: what was handled must not be
		// handled again.
		commitCtx, cancel := context.WithTimeout(work, 10*time.Second)
		err := client.CommitRecords(commitCtx, done...)
		cancel()
		if err != nil {
			return fmt.Errorf("kafkabus: commit: %w", err)
		}
		if errors.Is(stop, ErrRetryLater) {
			c.rewind(client, fetches, len(done))
		}
		client.AllowRebalance()
		switch {
		case errors.Is(stop, errStopped):
			return nil
		case errors.Is(stop, ErrRetryLater):
			if !c.sleep(ctx, c.retryDelay(len(c.Backoff))) {
				return nil
			}
		case stop != nil:
			return stop
		}
	}
}

// --8<-- [end:consume]

// --8<-- [start:process]

// process handles one record: retried in place up to MaxAttempts, then
// dead-lettered. It returns an error only when the record is not done:
// on shutdown, on ErrRetryLater, or when dead-lettering failed.
func (c *Consumer) process(ctx, work context.Context, client *kgo.Client,
	record *kgo.Record, handle Handler) error {
	// Log lines and calls made from here on carry the record's trace.
	work, span := startProcess(work, record, c.Group)
	defer span.End()
	ctx = trace.ContextWithSpan(ctx, span)
	var e order.Event
	if err := json.Unmarshal(record.Value, &e); err != nil {
		fail(span, err)
		return c.deadLetter(work, client, record,
			"malformed event: "+err.Error())
	}
	for attempt := 1; ; attempt++ {
		attemptCtx, cancel := context.WithTimeout(work, c.AttemptTimeout)
		err := handle(attemptCtx, e)
		cancel()
		if err != nil {
			span.RecordError(err) // one event per failed attempt
		}
		switch {
		case err == nil:
			return nil
		case errors.Is(err, ErrRetryLater):
			return err
		case attempt >= c.MaxAttempts:
			fail(span, err)
			return c.deadLetter(work, client, record,
				fmt.Sprintf("failed %d times, last: %v", attempt, err))
		}
		c.Log.WarnContext(ctx, "event failed, will retry", "event_id", e.ID,
			"attempt", attempt, "err", err)
		if !c.sleep(ctx, c.retryDelay(attempt)) {
			return errStopped // not committed: the next member retries it
		}
	}
}

// deadLetter copies record, headers included, to the dead-letter topic
// with the reason. If that fails the record is not done: better handled
// twice than lost.
func (c *Consumer) deadLetter(ctx context.Context, client *kgo.Client,
	record *kgo.Record, reason string) error {
	dead := &kgo.Record{Topic: DeadLetterTopic, Key: record.Key,
		Value: record.Value, Headers: append(slices.Clip(record.Headers),
			kgo.RecordHeader{Key: DeadLetterReason, Value: []byte(reason)})}
	if err := client.ProduceSync(ctx, dead).FirstErr(); err != nil {
		return fmt.Errorf("kafkabus: dead-letter offset %d: %w",
			record.Offset, err)
	}
	c.Log.ErrorContext(ctx, "event dead-lettered", "topic", DeadLetterTopic,
		"partition", record.Partition, "offset", record.Offset,
		"reason", reason)
	return nil
}

// --8<-- [end:process]

// rewind moves the fetch position back to the first record not done, so
// the next poll delivers it again.
func (c *Consumer) rewind(client *kgo.Client, fetches kgo.Fetches, done int) {
	i := 0
	for record := range fetches.RecordsAll() {
		if i == done {
			client.SetOffsets(map[string]map[int32]kgo.EpochOffset{
				record.Topic: {record.Partition: {
					Epoch: record.LeaderEpoch, Offset: record.Offset}},
			})
			return
		}
		i++
	}
}

// sleep waits d, or returns false as soon as ctx is cancelled.
func (c *Consumer) sleep(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}
