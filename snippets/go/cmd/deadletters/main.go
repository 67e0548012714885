// --8<-- [start:usage]

// Command deadletters lists the order events in the dead-letter stream
// and publishes them again once what made them fail is fixed.
//
//	deadletters [-nats URL]                 list them, oldest first
//	deadletters [-nats URL] -replay SEQ...  publish these again
//	deadletters [-nats URL] -replay all     publish every one again
//
// -nats defaults to NATS_URL, or nats://127.0.0.1:4222. Each line of the
// list is one dead letter: its sequence number (what -replay takes), the
// subject, the order, the trace id to look up and the reason it was parked.
// A replayed event is handled by the worker as a new delivery.
package main

// --8<-- [end:usage]

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"example.com/orders/events/natsbus"
	"example.com/orders/order"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "deadletters:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string,
	stdout io.Writer) error {
	flags := flag.NewFlagSet("deadletters", flag.ContinueOnError)
	natsURL := flags.String("nats", cmp.Or(getenv("NATS_URL"),
		nats.DefaultURL), "NATS server URL")
	replay := flags.Bool("replay", false,
		`publish the dead letters with these sequence numbers ("all": every one)`)
	if err := flags.Parse(args); err != nil {
		return err
	}
	pick, err := selection(*replay, flags.Args())
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	nc, err := nats.Connect(*natsURL, nats.Name("deadletters"))
	if err != nil {
		return fmt.Errorf("cannot connect to NATS at %s: %w", *natsURL, err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	dead, err := natsbus.DeadLetters(ctx, js)
	if err != nil {
		return err
	}
	if !*replay {
		for _, d := range dead {
			fmt.Fprintln(stdout, describe(d))
		}
		fmt.Fprintf(stdout, "%d dead letters\n", len(dead))
		return nil
	}
	return replayPicked(ctx, js, dead, pick, stdout)
}

// --8<-- [start:replay-picked]

// picked is what -replay was given: every dead letter, or some.
type picked struct {
	all  bool
	seqs []uint64
}

func (p picked) has(seq uint64) bool {
	return p.all || slices.Contains(p.seqs, seq)
}

// replayPicked replays the dead letters p picks, and names any sequence
// number it was given that is not in the stream.
func replayPicked(ctx context.Context, js jetstream.JetStream,
	dead []natsbus.DeadLetter, p picked, stdout io.Writer) error {
	var problems []error
	found := map[uint64]bool{}
	replayed := 0
	for _, d := range dead {
		found[d.Seq] = true
		if !p.has(d.Seq) {
			continue
		}
		if err := natsbus.Replay(ctx, js, d); err != nil {
			problems = append(problems, err)
			continue
		}
		replayed++
		fmt.Fprintln(stdout, "replayed", describe(d))
	}
	for _, seq := range p.seqs {
		if !found[seq] {
			problems = append(problems,
				fmt.Errorf("no dead letter %d (list them first)", seq))
		}
	}
	fmt.Fprintf(stdout, "%d replayed\n", replayed)
	return errors.Join(problems...)
}

// --8<-- [end:replay-picked]

// selection reads the arguments after -replay.
func selection(replay bool, args []string) (picked, error) {
	switch {
	case !replay && len(args) > 0:
		return picked{}, fmt.Errorf("unexpected %q: use -replay SEQ... "+
			"to publish dead letters again", args)
	case !replay:
		return picked{}, nil
	case len(args) == 0:
		return picked{}, errors.New(
			`-replay needs sequence numbers, or "all"`)
	case len(args) == 1 && args[0] == "all":
		return picked{all: true}, nil
	}
	var p picked
	for _, a := range args {
		seq, err := strconv.ParseUint(a, 10, 64)
		if err != nil {
			return picked{}, fmt.Errorf(
				"-replay: %q is not a sequence number", a)
		}
		p.seqs = append(p.seqs, seq)
	}
	return p, nil
}

// describe is one line per dead letter, in logfmt, for grep and for
// the eye.
func describe(d natsbus.DeadLetter) string {
	var e order.Event
	orderID := "?" // malformed: the reason says so
	if json.Unmarshal(d.Data, &e) == nil && e.OrderID != "" {
		orderID = e.OrderID
	}
	return fmt.Sprintf("seq=%d subject=%s order_id=%s trace_id=%s reason=%q",
		d.Seq, d.Subject, orderID, cmp.Or(d.TraceID, "-"), d.Reason)
}
