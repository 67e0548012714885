package order

import (
	"context"
	"log/slog"
	"time"
)

// --8<-- [start:relay]

// Relay publishes what the outbox holds. An order is accepted once it and
// its event are stored; the relay delivers the event when the bus can
// take it, so an outage of the bus delays events but loses none.
//
// Delivery is at least once: a crash after publishing and before marking
// sent publishes the event again. The bus drops such a duplicate by its
// event id (natsbus publishes it as Nats-Msg-Id).
type Relay struct {
	Outbox    Outbox
	Publisher Publisher
	// Interval is how often the outbox is read when it was empty or the
	// bus failed; a full batch is followed at once by the next.
	Interval time.Duration
	Batch    int
	Log      *slog.Logger
}

// finalPass bounds the last attempt Run makes when it is stopped.
const finalPass = 2 * time.Second

// Run relays until ctx is cancelled, then makes one last bounded attempt,
// for the events of the requests that finished during shutdown, and
// returns nil. What it cannot send stays in the outbox.
func (r *Relay) Run(ctx context.Context) error {
	defer func() {
		last, cancel := context.WithTimeout(context.WithoutCancel(ctx),
			finalPass)
		defer cancel()
		r.Outbox.PublishPending(last, r.Batch, r.Publisher.Publish)
	}()
	for {
		sent, err := r.Outbox.PublishPending(ctx, r.Batch, r.Publisher.Publish)
		if err != nil && ctx.Err() == nil {
			r.Log.WarnContext(ctx, "outbox: publish failed, will retry",
				"sent", sent, "err", err)
		}
		if err == nil && sent == r.Batch {
			continue // more may be waiting
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(r.Interval):
		}
	}
}

// --8<-- [end:relay]
