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

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"example.com/orders/order"
	"example.com/orders/workerpool"
)

// Stream is the JetStream stream that stores order events.
const Stream = "ORDERS"

// DeadLetterStream keeps the events that could not be handled, under
// DeadLetterPrefix + their subject, with the reason in DeadLetterReason.
const (
	DeadLetterStream = "ORDERS_DEAD"
	DeadLetterPrefix = "dead."
	DeadLetterReason = "Dead-Letter-Reason"
)

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
	// Dead letters are kept longer: a person has to look at each one.
	_, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:     DeadLetterStream,
		Subjects: []string{DeadLetterPrefix + "order.>"},
		Storage:  jetstream.FileStorage,
		MaxAge:   30 * 24 * time.Hour,
	})
	if err != nil {
		return fmt.Errorf("natsbus: stream %s: %w", DeadLetterStream, err)
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
	msg := nats.NewMsg(e.Type) // the subject is the event type
	msg.Data = data
	ctx, span := startSend(ctx, msg, e.ID)
	defer span.End()
	// The event id as message id makes a retried publish harmless.
	_, err = p.js.PublishMsg(ctx, msg, jetstream.WithMsgID(e.ID))
	if err != nil {
		err = fmt.Errorf("natsbus: publish %s: %w", e.ID, err)
		fail(span, err)
		return err
	}
	return nil
}

// --8<-- [end:publish]

var _ order.Publisher = (*Publisher)(nil)

// Handler processes one event. A nil error acknowledges it; an error asks
// JetStream to deliver it again later, up to Consumer.MaxDeliver times,
// after which the event is dead-lettered. An error that wraps
// ErrRetryLater is retried without limit.
type Handler func(ctx context.Context, e order.Event) error

// ErrRetryLater marks a failure that is not the event's fault, such as a
// dependency behind an open circuit breaker: the event waits for the
// dependency instead of being counted towards the dead-letter limit.
var ErrRetryLater = errors.New("natsbus: retry later")

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
	// MaxDeliver is how often an event is tried before it goes to the
	// dead-letter stream (at least 1). Without a limit, an event that
	// always fails is redelivered forever and takes a worker every time.
	MaxDeliver int
	// Backoff is the wait before each retry: Backoff[0] after the first
	// failure, and so on; the last entry repeats.
	Backoff []time.Duration
	Log     *slog.Logger
	// Observe, if set, is told how each delivery ended, for metrics. It
	// runs on the worker's goroutine: keep it fast.
	Observe func(Delivery)
}

// --8<-- [start:delivery]

// Delivery is what happened to one delivery of an event.
type Delivery struct {
	Event   order.Event   // the zero Event if it could not be parsed
	Attempt int           // 1 the first time the event is delivered
	Took    time.Duration // from receipt to acknowledgment or hand-back
	Result  Result
}

// Result is how a delivery ended.
type Result int

const (
	Acknowledged Result = iota // handled; the handler returned nil
	Retried                    // handed back, to be delivered again
	DeadLettered               // parked in the dead-letter stream
)

// --8<-- [end:delivery]

// retryDelay is the wait after the nth failed delivery.
func (c *Consumer) retryDelay(n int) time.Duration {
	if len(c.Backoff) == 0 {
		return 0
	}
	return c.Backoff[min(n, len(c.Backoff))-1]
}

// --8<-- [start:consume]

// Run handles events until ctx is cancelled. It then stops taking new
// events, lets the handlers in progress finish and acknowledge, and returns.
func (c *Consumer) Run(ctx context.Context, handle Handler) error {
	cfg := jetstream.ConsumerConfig{
		Durable:   c.Durable,
		AckPolicy: jetstream.AckExplicitPolicy,
		AckWait:   c.AckWait,
		// No MaxDeliver on the server: it would also stop events that
		// only wait out an outage (ErrRetryLater). process counts instead.
	}
	cons, err := c.JS.CreateOrUpdateConsumer(ctx, Stream, cfg)
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
	// On shutdown, stop pulling; Next then returns what is already
	// buffered, and finally ErrMsgIteratorClosed.
	stopDrain := context.AfterFunc(ctx, msgs.Drain)
	defer stopDrain()
	jobs := make(chan jetstream.Msg)
	var fetchErr error
	go func() {
		defer close(jobs) // lets the pool finish once the last job is done
		for {
			msg, err := msgs.Next()
			switch {
			case errors.Is(err, jetstream.ErrNoHeartbeat):
				// A busy CPU or network: the iterator pulls again itself.
				c.Log.WarnContext(ctx, "missed a heartbeat from NATS",
					"err", err)
				continue
			case errors.Is(err, jetstream.ErrMsgIteratorClosed):
				return
			case err != nil:
				if ctx.Err() == nil {
					fetchErr = err
				}
				return
			}
			select {
			case jobs <- msg: // waits for a free worker: backpressure
			case <-ctx.Done():
				// Pulled but not started: hand it back now, so another
				// worker gets it at once instead of after AckWait.
				c.settle(ctx, msg.Nak())
			}
		}
	}()

	// The pool's context is not cancelled on shutdown, so that events
	// already taken are finished instead of being aborted halfway.
	err = workerpool.Run(context.WithoutCancel(ctx), c.Workers, jobs,
		func(ctx context.Context, msg jetstream.Msg) error {
			c.process(ctx, msg, handle)
			// A failed event is redelivered; it must not stop the pool.
			return nil
		})
	// --8<-- [end:feed]
	return errors.Join(err, fetchErr)
}

// --8<-- [end:consume]

// --8<-- [start:process]

func (c *Consumer) process(ctx context.Context, msg jetstream.Msg,
	handle Handler) {
	// Log lines and calls made from here on carry the event's trace.
	ctx, span := startProcess(ctx, msg, c.Durable)
	defer span.End()
	d := Delivery{Attempt: 1}
	if meta, err := msg.Metadata(); err == nil {
		d.Attempt = int(meta.NumDelivered)
	}
	start := time.Now()
	defer func() {
		if c.Observe != nil {
			d.Took = time.Since(start)
			c.Observe(d)
		}
	}()
	if err := json.Unmarshal(msg.Data(), &d.Event); err != nil {
		// It can never be parsed: retrying would only loop.
		fail(span, err)
		d.Result = c.deadLetter(ctx, msg, "malformed event: "+err.Error())
		return
	}
	err := handle(ctx, d.Event)
	if err == nil {
		// DoubleAck waits for the server to confirm, so a handled event is
		// not delivered again because an acknowledgement was lost.
		c.settle(ctx, msg.DoubleAck(ctx))
		d.Result = Acknowledged
		return
	}
	fail(span, err)
	if d.Attempt >= c.MaxDeliver && !errors.Is(err, ErrRetryLater) {
		d.Result = c.deadLetter(ctx, msg,
			fmt.Sprintf("failed %d times, last: %v", d.Attempt, err))
		return
	}
	c.Log.WarnContext(ctx, "event failed, will retry",
		"event_id", d.Event.ID, "delivery", d.Attempt, "err", err)
	c.settle(ctx, msg.NakWithDelay(c.retryDelay(d.Attempt)))
	d.Result = Retried
}

// --8<-- [end:process]

// --8<-- [start:dead-letter]

// deadLetter parks msg in the dead-letter stream with the reason, and
// takes it out of the consumer. Its headers go with it, so whatever they
// carry (a trace, say) still leads back to where the event came from.
// It returns Retried if the event could not be parked.
func (c *Consumer) deadLetter(ctx context.Context, msg jetstream.Msg,
	reason string) Result {
	dead := nats.NewMsg(DeadLetterPrefix + msg.Subject())
	dead.Data = msg.Data()
	for k, v := range msg.Headers() {
		dead.Header[k] = v
	}
	dead.Header.Set(DeadLetterReason, reason)
	id := msg.Subject()
	if meta, err := msg.Metadata(); err == nil {
		id = fmt.Sprintf("%s/%d", meta.Stream, meta.Sequence.Stream)
	}
	// Publishing it twice (a retry, a redelivery) stores it once.
	_, err := c.JS.PublishMsg(ctx, dead, jetstream.WithMsgID("dead/"+id))
	if err != nil {
		// Could not park it: better redelivered than lost.
		c.Log.ErrorContext(ctx, "could not dead-letter event",
			"reason", reason, "err", err)
		c.settle(ctx, msg.NakWithDelay(c.retryDelay(len(c.Backoff))))
		return Retried
	}
	c.Log.ErrorContext(ctx, "event dead-lettered", "subject", dead.Subject,
		"source", id, "reason", reason)
	c.settle(ctx, msg.TermWithReason(reason))
	return DeadLettered
}

// --8<-- [end:dead-letter]

// settle logs a failed ack, nak or term. Nothing else can be done about it:
// the server delivers the event again after AckWait.
func (c *Consumer) settle(ctx context.Context, err error) {
	if err != nil {
		c.Log.WarnContext(ctx, "could not settle event; it will be redelivered", "err", err)
	}
}
