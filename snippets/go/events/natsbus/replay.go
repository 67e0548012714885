package natsbus

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// --8<-- [start:dead-letter-type]

// DeadLetter is one event parked in DeadLetterStream.
type DeadLetter struct {
	Seq     uint64 // its sequence number in DeadLetterStream
	Subject string // where it was published first, e.g. order.created
	Reason  string // why it was parked (DeadLetterReason)
	TraceID string // of the trace it was created in; "" if none
	Data    []byte
	header  nats.Header
}

// --8<-- [end:dead-letter-type]

// DeadLetters lists what DeadLetterStream holds, oldest first.
func DeadLetters(ctx context.Context,
	js jetstream.JetStream) ([]DeadLetter, error) {
	stream, err := js.Stream(ctx, DeadLetterStream)
	if err != nil {
		return nil, fmt.Errorf("natsbus: stream %s: %w", DeadLetterStream, err)
	}
	info, err := stream.Info(ctx)
	if err != nil {
		return nil, fmt.Errorf("natsbus: stream %s: %w", DeadLetterStream, err)
	}
	var out []DeadLetter
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq &&
		info.State.Msgs > 0; seq++ {
		msg, err := stream.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue // replayed and deleted: a gap in the sequence
		}
		if err != nil {
			return nil, fmt.Errorf("natsbus: dead letter %d: %w", seq, err)
		}
		out = append(out, DeadLetter{Seq: msg.Sequence,
			Subject: strings.TrimPrefix(msg.Subject, DeadLetterPrefix),
			Reason:  msg.Header.Get(DeadLetterReason),
			TraceID: traceID(msg.Header.Get("traceparent")),
			Data:    msg.Data, header: msg.Header})
	}
	return out, nil
}

// traceID is the trace id of a W3C traceparent: version-traceid-spanid-flags.
func traceID(traceparent string) string {
	parts := strings.Split(traceparent, "-")
	if len(parts) != 4 || len(parts[1]) != 32 {
		return ""
	}
	return parts[1]
}

// --8<-- [start:replay]

// Replay publishes a dead letter again to its first subject, with its
// headers (so its trace goes on) but without the reason, and then
// deletes it from DeadLetterStream. Fix what made it fail first, or it
// comes back.
//
// A crash between the two steps leaves the event in both streams; replaying
// it again within the stream's duplicate window is dropped by its message
// id, and after that the payment provider's idempotency key (the order id)
// still charges the order once.
func Replay(ctx context.Context, js jetstream.JetStream,
	d DeadLetter) error {
	msg := nats.NewMsg(d.Subject)
	msg.Data = d.Data
	for k, v := range d.header {
		if k != DeadLetterReason && !strings.HasPrefix(k, "Nats-") {
			msg.Header[k] = v
		}
	}
	id := "replay/" + strconv.FormatUint(d.Seq, 10)
	if _, err := js.PublishMsg(ctx, msg, jetstream.WithMsgID(id)); err != nil {
		return fmt.Errorf("natsbus: replay dead letter %d: %w", d.Seq, err)
	}
	stream, err := js.Stream(ctx, DeadLetterStream)
	if err == nil {
		err = stream.DeleteMsg(ctx, d.Seq)
	}
	if err != nil {
		return fmt.Errorf("natsbus: dead letter %d is published again "+
			"but still parked: %w", d.Seq, err)
	}
	return nil
}

// --8<-- [end:replay]
