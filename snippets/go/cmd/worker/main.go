// Command worker consumes order events from NATS JetStream and charges each
// order with the payment provider, through a circuit breaker.
//
// Flags, each with an environment variable as its default:
//
//	-nats URL          NATS server (NATS_URL, default "nats://127.0.0.1:4222")
//	-embedded          start an in-process NATS server with JetStream on
//	                   127.0.0.1:4222, for trying the system on a laptop
//	-addr ADDR         probe listener (ADDR, default ":8081")
//	-payment-url URL   payment provider (PAYMENT_URL); without it charges are
//	                   only logged
//	-workers N         events handled at once (default 4)
//	-max-deliver N     tries per event before it goes to the dead-letter
//	                   stream (MAX_DELIVER, default 6)
//	-retry-backoff L   waits before each retry, comma-separated Go
//	                   durations, the last repeating (RETRY_BACKOFF,
//	                   default "1s,5s,15s,30s,2m0s")
//	-breaker-open-for D  how long the payment circuit breaker stays open
//	                   before a trial call (BREAKER_OPEN_FOR, default 30s)
//
// LOG_LEVEL sets the log level (default "info"). The listener serves
// /livez, /readyz, /startupz and /metrics.
//
// Without -embedded the worker exits with an error if it cannot reach NATS:
// unlike the order service it has nothing to do without it.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	natsserver "github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/sony/gobreaker/v2"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"golang.org/x/sync/errgroup"

	"example.com/orders/events/natsbus"
	"example.com/orders/health"
	"example.com/orders/logging"
	"example.com/orders/order"
	"example.com/orders/payment"
	"example.com/orders/server"
	"example.com/orders/tracing"
)

// durable names the worker's JetStream consumer, shared by its replicas.
const durable = "payments"

func main() {
	ctx, abort, stop := server.Signals()
	defer stop()
	if err := run(ctx, abort, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, abort <-chan struct{}, args []string,
	getenv func(string) string, stdout io.Writer) (err error) {
	flags := flag.NewFlagSet("worker", flag.ContinueOnError)
	natsURL := flags.String("nats", cmp.Or(getenv("NATS_URL"), nats.DefaultURL), "NATS server URL")
	embedded := flags.Bool("embedded", false, "start an in-process NATS server on 127.0.0.1:4222")
	addr := flags.String("addr", cmp.Or(getenv("ADDR"), ":8081"), "listen address for the probes")
	paymentURL := flags.String("payment-url", getenv("PAYMENT_URL"), "payment provider base URL (empty: only log charges)")
	workers := flags.Int("workers", 4, "events handled at once")
	policy := defaultRetryPolicy()
	if err := policy.addFlags(flags, getenv); err != nil {
		return err
	}
	if err := flags.Parse(args); err != nil {
		return err
	}
	if err := policy.check(); err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(cmp.Or(getenv("LOG_LEVEL"), "info"))); err != nil {
		return fmt.Errorf("LOG_LEVEL: %w", err)
	}
	log := logging.New(stdout, &slog.HandlerOptions{Level: level})

	shutdownTracing, err := tracing.Setup(ctx, "worker")
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, shutdownTracing(context.WithoutCancel(ctx)))
	}()

	if *embedded {
		stopNATS, err := startEmbeddedNATS()
		if err != nil {
			return err
		}
		defer stopNATS()
		log.Info("embedded NATS server running", "url", nats.DefaultURL)
		*natsURL = nats.DefaultURL
	}

	nc, err := nats.Connect(*natsURL, nats.Name("worker"), nats.MaxReconnects(-1))
	if err != nil {
		return fmt.Errorf("cannot connect to NATS at %s: %w (start a NATS server with JetStream, or run with -embedded)", *natsURL, err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	if err := natsbus.EnsureStream(ctx, js); err != nil {
		return err
	}

	breaker := newCharger(*paymentURL, policy.breakerOpenFor, log)

	probes := health.New()
	probes.AddReadinessCheck("nats", func(context.Context) error {
		if !nc.IsConnected() {
			return fmt.Errorf("nats: %s", nc.Status())
		}
		return nil
	})
	probes.MarkStarted()
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// --8<-- [start:register-metrics]
	metrics := newWorkerMetrics(reg)
	reg.MustRegister(newPendingCollector(js, durable, log),
		newBreakerCollector(breaker.State))
	// --8<-- [end:register-metrics]
	mux := http.NewServeMux()
	probes.Register(mux)
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}

	// --8<-- [start:run]
	consumer := &natsbus.Consumer{
		JS: js, Durable: durable, Workers: *workers,
		AckWait: 30 * time.Second, Log: log, Observe: metrics.observe,
		MaxDeliver: policy.maxDeliver, Backoff: policy.backoff,
	}
	// The probe server and the consumer stop together: on SIGTERM, or when
	// either of them fails.
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		return server.Run(ctx, server.New(mux, log), ln, server.Config{
			OnShutdown: probes.MarkDraining, ShutdownTimeout: 5 * time.Second,
			Abort: abort,
		})
	})
	g.Go(func() error {
		return consumer.Run(ctx, chargeOrder(breaker, log, metrics))
	})
	log.Info("consuming order events", "nats", *natsURL,
		"workers", *workers, "probes", ln.Addr().String())
	return g.Wait()
	// --8<-- [end:run]
}

// --8<-- [start:charger]

// newCharger charges through the provider at paymentURL, or only logs
// without one, behind a circuit breaker either way that stays open for
// openFor after the provider failed.
func newCharger(paymentURL string, openFor time.Duration,
	log *slog.Logger) *payment.Breaker {
	var charger payment.Charger = payment.LogCharger{Log: log}
	if paymentURL != "" {
		charger = &payment.HTTPClient{BaseURL: paymentURL,
			HTTP: &http.Client{
				Timeout: 10 * time.Second,
				// otelhttp passes the trace on to the provider.
				Transport: otelhttp.NewTransport(http.DefaultTransport),
			}}
	}
	return payment.NewBreaker(charger, openFor, func(from, to gobreaker.State) {
		log.Warn("payment circuit breaker",
			"from", from.String(), "to", to.String())
	})
}

// --8<-- [end:charger]

// --8<-- [start:handler]

// chargeOrder is the worker's business logic: charge every new order once.
func chargeOrder(charger payment.Charger, log *slog.Logger,
	m *workerMetrics) natsbus.Handler {
	return func(ctx context.Context, e order.Event) error {
		if e.Type != order.EventCreated {
			m.skipped()
			return nil // not ours: acknowledge and move on
		}
		switch {
		case e.TotalCents < 0:
			// The API refuses such orders; an event that still has one
			// is corrupt. Never charge it: it ends as a dead letter.
			return fmt.Errorf("order %s: negative total %d",
				e.OrderID, e.TotalCents)
		case e.TotalCents == 0:
			// Free items: nothing to charge, so the order is settled.
			m.settled(outcomeSkipped, e)
			return nil
		}
		err := charger.Charge(ctx, e.OrderID, e.TotalCents)
		switch {
		case errors.Is(err, payment.ErrDeclined):
			// Retrying cannot change the answer; a person has to act.
			log.WarnContext(ctx, "payment declined",
				"order_id", e.OrderID, "err", err)
			m.settled(outcomeDeclined, e)
			return nil
		case errors.Is(err, payment.ErrUnavailable):
			// The breaker is open: the provider's outage, not this
			// event's fault. Wait for it without counting the attempt.
			return fmt.Errorf("charge %s: %w: %w", e.OrderID,
				natsbus.ErrRetryLater, err)
		case err != nil:
			// JetStream redelivers the event after a backoff, and
			// dead-letters it after MaxDeliver attempts.
			return fmt.Errorf("charge %s: %w", e.OrderID, err)
		}
		log.InfoContext(ctx, "order charged",
			"order_id", e.OrderID, "amount_cents", e.TotalCents)
		m.settled(outcomeCharged, e)
		return nil
	}
}

// --8<-- [end:handler]

// --8<-- [start:embedded]

// startEmbeddedNATS runs a NATS server with JetStream inside this process,
// storing its data in a temporary folder that is removed on stop.
func startEmbeddedNATS() (stop func(), err error) {
	dir, err := os.MkdirTemp("", "worker-nats-")
	if err != nil {
		return nil, err
	}
	ns, err := natsserver.NewServer(&natsserver.Options{
		Host: "127.0.0.1", Port: 4222,
		JetStream: true, StoreDir: dir, NoSigs: true,
	})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	ns.Start()
	if !ns.ReadyForConnections(5 * time.Second) {
		ns.Shutdown()
		os.RemoveAll(dir)
		return nil, errors.New(
			"embedded NATS server did not start (is port 4222 taken?)")
	}
	return func() {
		ns.Shutdown()
		ns.WaitForShutdown()
		os.RemoveAll(dir)
	}, nil
}

// --8<-- [end:embedded]
