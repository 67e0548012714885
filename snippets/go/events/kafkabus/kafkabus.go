// Package kafkabus carries order events over Apache Kafka, with franz-go.
//
// A Kafka topic is a set of partitioned, ordered logs. Consumers in a group
// split the partitions between them, and each group commits how far it has
// read. This package publishes with the order id as key, so all events of
// one order land in one partition and are read in order, and it commits an
// offset only after the events before it were handled.
package kafkabus

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

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
	client, err := kgo.NewClient(kgo.SeedBrokers(brokers...),
		kgo.DefaultProduceTopic(Topic))
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
	if err := p.client.ProduceSync(ctx, record).FirstErr(); err != nil {
		return fmt.Errorf("kafkabus: publish %s: %w", e.ID, err)
	}
	return nil
}

// Close flushes nothing (Publish is synchronous) and disconnects.
func (p *Producer) Close() { p.client.Close() }

// --8<-- [end:producer]

var _ order.Publisher = (*Producer)(nil)

// Handler processes one event.
type Handler func(ctx context.Context, e order.Event) error

// --8<-- [start:consume]
// Consume joins the consumer group and handles events until ctx is
// cancelled, which returns nil.
//
// Kafka has no way to retry one message later: a partition is an ordered
// log. So a handler error stops the consumer. The events handled before it
// are committed; the failed one and everything after it are delivered again
// to whichever group member takes the partition over.
func Consume(ctx context.Context,
	brokers []string, group string, handle Handler) error {
	client, err := kgo.NewClient(
		kgo.SeedBrokers(brokers...),
		kgo.ConsumerGroup(group),
		kgo.ConsumeTopics(Topic),
		// a new group reads from the start
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		// commit after handling, not on a timer
		kgo.DisableAutoCommit(),
		// keep our partitions until we have committed
		kgo.BlockRebalanceOnPoll(),
	)
	if err != nil {
		return fmt.Errorf("kafkabus: %w", err)
	}
	defer client.Close()
	defer client.AllowRebalance() // Close waits for a blocked rebalance

	for {
		fetches := client.PollFetches(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err := fetches.Err(); err != nil {
			return fmt.Errorf("kafkabus: poll: %w", err)
		}

		var handled []*kgo.Record
		var handleErr error
		for record := range fetches.RecordsAll() {
			if ctx.Err() != nil {
				break // shutting down: the rest is delivered to the next member
			}
			var e order.Event
			if err := json.Unmarshal(record.Value, &e); err != nil {
				handleErr = fmt.Errorf("kafkabus: offset %d: %w",
					record.Offset, err)
				break
			}
			if err := handle(ctx, e); err != nil {
				handleErr = fmt.Errorf("kafkabus: event %s: %w", e.ID, err)
				break
			}
			handled = append(handled, record)
		}

		// Commit even while shutting down: what was handled must not be
		// handled again.
		commitCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx),
			10*time.Second)
		err := client.CommitRecords(commitCtx, handled...)
		cancel()
		if err != nil {
			return fmt.Errorf("kafkabus: commit: %w", err)
		}
		client.AllowRebalance()
		if handleErr != nil {
			return handleErr
		}
	}
}

// --8<-- [end:consume]
