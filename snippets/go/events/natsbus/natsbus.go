// Package natsbus carries order events over NATS JetStream.
//
// JetStream stores every event in a stream and tracks, per durable consumer,
// which events were acknowledged. An event that is not acknowledged (the
// handler failed, or the worker crashed) is delivered again, so no event is
// lost: delivery is at least once, and handlers must tolerate duplicates.
package natsbus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"example.com/orders/order"
	"example.com/orders/workerpool"
)

// Stream is the JetStream stream that stores order events.
const Stream = "ORDERS"

// --8<-- [start:stream]
// EnsureStream creates the stream, or updates it to this configuration.
// Both services call it at startup, so it does not matter which starts first.
func EnsureStream(ctx context.Context, js jetstream.JetStream) error {
	_, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:     Stream,
		Subjects: []string{"order.>"}, // the subject is the event type
		Storage:  jetstream.FileStorage,
		MaxAge:   7 * 24 * time.Hour,
		// Within this window a re-sent event with the same id is dropped.
		Duplicates: 2 * time.Minute,
	})
	if err != nil {
		return fmt.Errorf("natsbus: stream %s: %w", Stream, err)
	}
	return nil
}

// --8<-- [end:stream]

// --8<-- [start:publish]
// Publisher is an order.Publisher for JetStream.
type Publisher struct {
	js jetstream.JetStream
}

// NewPublisher returns a Publisher that publishes with js.
func NewPublisher(js jetstream.JetStream) *Publisher {
	return &Publisher{js: js}
}

// ErrNotConnected is returned at once while the connection to NATS is down.
var ErrNotConnected = errors.New("natsbus: not connected to NATS")

// Publish returns once JetStream has stored e, so a nil error means the
// event is safe even if this process dies right after.
func (p *Publisher) Publish(ctx context.Context, e order.Event) error {
	// Fail fast: waiting out a timeout per request during an outage only
	// piles up requests that will fail anyway.
	if !p.js.Conn().IsConnected() {
		return ErrNotConnected
	}
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	// The event id as message id makes a retried publish harmless.
	if _, err := p.js.Publish(ctx,
		e.Type, data, jetstream.WithMsgID(e.ID)); err != nil {
		return fmt.Errorf("natsbus: publish %s: %w", e.ID, err)
	}
	return nil
}

// --8<-- [end:publish]

var _ order.Publisher = (*Publisher)(nil)

// Handler processes one event. A nil error acknowledges it; an error asks
// JetStream to deliver it again later.
type Handler func(ctx context.Context, e order.Event) error

// Consumer reads events from a durable JetStream consumer.
type Consumer struct {
	JS jetstream.JetStream
	// Durable names the consumer. The server keeps its position across
	// restarts, and every instance with the same name shares the work.
	Durable string
	// Workers is how many events are handled at once.
	Workers int
	// AckWait is how long the server waits for an acknowledgement before it
	// delivers an event again, e.g. after the worker crashed.
	AckWait time.Duration
	// RetryDelay is how long a failed event waits before it is redelivered.
	RetryDelay time.Duration
	Log        *slog.Logger
}

// --8<-- [start:consume]
// Run handles events until ctx is cancelled. It then stops taking new
// events, lets the handlers in progress finish and acknowledge, and returns.
func (c *Consumer) Run(ctx context.Context, handle Handler) error {
	cons, err := c.JS.CreateOrUpdateConsumer(ctx,
		Stream, jetstream.ConsumerConfig{
			Durable:   c.Durable,
			AckPolicy: jetstream.AckExplicitPolicy,
			AckWait:   c.AckWait,
		})
	if err != nil {
		return fmt.Errorf("natsbus: consumer %s: %w", c.Durable, err)
	}
	msgs, err := cons.Messages(
		jetstream.PullMaxMessages(c.Workers),
		// Renew pull requests every few seconds (the default is 30 s), so
		// that a lost request, e.g. during a reconnect, stalls the worker
		// for seconds rather than half a minute.
		jetstream.PullExpiry(5*time.Second),
	)
	if err != nil {
		return fmt.Errorf("natsbus: consume: %w", err)
	}
	defer msgs.Stop()

	// --8<-- [start:feed]
	jobs := make(chan jetstream.Msg)
	var fetchErr error
	go func() {
		defer close(jobs) // lets the pool finish once the last job is done
		for {
			msg, err := msgs.Next(jetstream.NextContext(ctx))
			if errors.Is(err, jetstream.ErrNoHeartbeat) {
				// A busy CPU or network: the iterator pulls again by itself.
				c.Log.WarnContext(ctx,
					"missed a heartbeat from NATS", "err", err)
				continue
			}
			if err != nil {
				if ctx.Err() == nil {
					fetchErr = err
				}
				return
			}
			jobs <- msg // waits for a free worker: natural backpressure
		}
	}()

	// The pool's context is not cancelled on shutdown, so that events
	// already taken are finished instead of being aborted halfway.
	err = workerpool.Run(context.WithoutCancel(ctx), c.Workers, jobs,
		func(ctx context.Context, msg jetstream.Msg) error {
			c.process(ctx, msg, handle)
			// a failed event is redelivered, it must not stop the pool
			return nil
		})
	// --8<-- [end:feed]
	return errors.Join(err, fetchErr)
}

// --8<-- [end:consume]

// --8<-- [start:process]
func (c *Consumer) process(ctx context.Context,
	msg jetstream.Msg, handle Handler) {
	var e order.Event
	if err := json.Unmarshal(msg.Data(), &e); err != nil {
		// Redelivering a message that can never be parsed would loop forever.
		c.Log.ErrorContext(ctx,
			"dropping malformed event", "subject", msg.Subject(), "err", err)
		c.settle(ctx, msg.Term())
		return
	}
	if err := handle(ctx, e); err != nil {
		c.Log.WarnContext(ctx,
			"event failed, will retry", "event_id", e.ID, "err", err)
		c.settle(ctx, msg.NakWithDelay(c.RetryDelay))
		return
	}
	// DoubleAck waits for the server to confirm, so a handled event is not
	// delivered again because an acknowledgement was lost on the way.
	c.settle(ctx, msg.DoubleAck(ctx))
}

// --8<-- [end:process]

// settle logs a failed ack, nak or term. Nothing else can be done about it:
// the server delivers the event again after AckWait.
func (c *Consumer) settle(ctx context.Context, err error) {
	if err != nil {
		c.Log.WarnContext(ctx, "could not settle event; it will be redelivered", "err", err)
	}
}
