// Command orders serves the order API and publishes an event for every
// accepted order to NATS JetStream.
//
// Configuration comes from the environment, with defaults that work on a
// laptop:
//
//	ADDR                         listen address (default ":8080")
//	NATS_URL                     NATS server (default "nats://127.0.0.1:4222")
//	DATABASE_URL                 PostgreSQL, e.g. "postgres://user:pw@host/db"
//	                             (default: none, orders are kept in memory
//	                             and lost when the process ends)
//	LOG_LEVEL                    debug, info, warn or error (default "info")
//	DRAIN_DELAY                  how long to keep serving after SIGTERM
//	                             before closing the listener (default "0s":
//	                             in Kubernetes a preStop sleep does the
//	                             waiting; set it where there is no such hook)
//	SHUTDOWN_TIMEOUT             how long requests in flight may take after
//	                             that before they are cut off (default "20s")
//	READ_TIMEOUT                 the longest a client may take to send one
//	                             request, body included (default "10s")
//	OTEL_EXPORTER_OTLP_ENDPOINT  export traces over OTLP/HTTP to this URL
//	                             (default: no export)
//
// The service starts even when NATS is unreachable: /startupz answers 503
// until it has connected once and the event stream exists. Later NATS
// outages do not make the pod unready (every pod would drop out of the
// Service at once), and orders are still taken: their events wait in the
// outbox until NATS is back.
//
// A first SIGTERM or SIGINT starts a graceful shutdown, a second one cuts
// it short; either way the process exits 0 within
// DRAIN_DELAY + SHUTDOWN_TIMEOUT.
//
// Routes: POST /orders, GET /orders/{id}, GET /livez, /readyz, /startupz
// and /metrics.
package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"

	"example.com/orders/events/natsbus"
	"example.com/orders/health"
	"example.com/orders/logging"
	"example.com/orders/metrics"
	"example.com/orders/order"
	"example.com/orders/postgres"
	"example.com/orders/server"
	"example.com/orders/tracing"
)

// --8<-- [start:main]

func main() {
	// SIGTERM is how Kubernetes asks a pod to stop; SIGINT is Ctrl-C. A
	// second one closes abort, which cuts the graceful shutdown short.
	ctx, abort, stop := server.Signals()
	defer stop()
	if err := run(ctx, abort, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "orders:", err)
		os.Exit(1)
	}
}

// --8<-- [end:main]

type config struct {
	addr            string
	natsURL         string
	databaseURL     string
	logLevel        slog.Level
	drainDelay      time.Duration
	shutdownTimeout time.Duration
	readTimeout     time.Duration
}

func loadConfig(getenv func(string) string) (config, error) {
	cfg := config{
		addr:        cmp.Or(getenv("ADDR"), ":8080"),
		natsURL:     cmp.Or(getenv("NATS_URL"), nats.DefaultURL),
		databaseURL: getenv("DATABASE_URL"),
	}
	if err := cfg.logLevel.UnmarshalText([]byte(cmp.Or(getenv("LOG_LEVEL"), "info"))); err != nil {
		return config{}, fmt.Errorf("LOG_LEVEL: %w", err)
	}
	for _, d := range []struct {
		name, fallback string
		into           *time.Duration
	}{
		{"DRAIN_DELAY", "0s", &cfg.drainDelay},
		{"SHUTDOWN_TIMEOUT", "20s", &cfg.shutdownTimeout},
		{"READ_TIMEOUT", "10s", &cfg.readTimeout},
	} {
		v, err := time.ParseDuration(cmp.Or(getenv(d.name), d.fallback))
		if err != nil {
			return config{}, fmt.Errorf("%s: %w", d.name, err)
		}
		*d.into = v
	}
	return cfg, nil
}

func run(ctx context.Context, abort <-chan struct{},
	getenv func(string) string) (err error) {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	log := logging.New(os.Stdout, &slog.HandlerOptions{Level: cfg.logLevel})

	shutdownTracing, err := tracing.Setup(ctx, "orders")
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, shutdownTracing(context.WithoutCancel(ctx)))
	}()

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	red := metrics.NewHTTP(reg)
	probes := health.New()

	nc, err := nats.Connect(cfg.natsURL, nats.Name("orders"),
		// Keep trying in the background instead of exiting: a NATS outage
		// must not turn into restarting pods.
		nats.RetryOnFailedConnect(true), nats.MaxReconnects(-1))
	if err != nil {
		return fmt.Errorf("NATS_URL %q: %w", cfg.natsURL, err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	go startup(ctx, js, probes, log)
	store, closeStore, err := openStore(ctx, cfg.databaseURL, log)
	if err != nil {
		return err
	}
	defer closeStore()
	store = newCountedStore(store, reg)
	reg.MustRegister(newOutboxCollector(store, log))

	// --8<-- [start:wiring]
	mux := http.NewServeMux()
	api := order.NewHandler(store, log)
	// Only the API is logged, traced and measured. Probes and scrapes come
	// every few seconds: they would drown the logs and dilute the SLO.
	api.Register(mux, apiMiddleware(log, red)...)
	probes.Register(mux)
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	// --8<-- [end:wiring]

	// --8<-- [start:serve]
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv := server.New(mux, log)
	srv.ReadTimeout = cfg.readTimeout
	log.Info("listening", "addr", ln.Addr().String(), "nats", cfg.natsURL)
	// The relay outlives the server, to send what the last requests stored.
	relay := &order.Relay{Outbox: store, Publisher: natsbus.NewPublisher(js),
		Interval: 200 * time.Millisecond, Batch: 100, Log: log}
	relayCtx, stopRelay := context.WithCancel(context.WithoutCancel(ctx))
	relayDone := make(chan error, 1)
	go func() { relayDone <- relay.Run(relayCtx) }()
	err = server.Run(ctx, srv, ln, server.Config{
		OnShutdown: func() {
			log.Info("shutting down: draining requests",
				"delay", cfg.drainDelay.String())
			probes.MarkDraining()
		},
		DrainDelay:      cfg.drainDelay,
		ShutdownTimeout: cfg.shutdownTimeout,
		Abort:           abort,
		OnForcedClose: func(err error) {
			log.Warn("closed requests that did not finish in time",
				"err", err)
		},
	})
	stopRelay()
	// --8<-- [end:serve]
	err = errors.Join(err, <-relayDone)
	log.Info("stopped", "err", err)
	return err
}

// --8<-- [start:middleware]

// apiMiddleware wraps every API route, outermost first. Tracing comes
// before logging: the access log line is written inside the server span,
// so it carries the trace id that leads from the log to the trace.
func apiMiddleware(log *slog.Logger,
	red *metrics.HTTP) []func(http.Handler) http.Handler {
	return []func(http.Handler) http.Handler{
		func(h http.Handler) http.Handler {
			return otelhttp.NewHandler(h, "orders")
		},
		logging.Middleware(log),
		red.Middleware,
	}
}

// --8<-- [end:middleware]

// --8<-- [start:store]

// store is what the service needs from its storage.
type store interface {
	order.Store
	order.Outbox
	order.BacklogReader
}

// openStore connects to PostgreSQL when a URL is given and migrates it;
// without one it keeps orders in memory, which is enough on a laptop. A
// database outage later is not a readiness failure, for the same reason
// as a NATS outage: POST /orders answers 503 until it is back.
func openStore(ctx context.Context, url string, log *slog.Logger) (
	store, func(), error) {
	if url == "" {
		log.Warn("DATABASE_URL is not set: orders are kept in memory " +
			"and lost when the process ends")
		return order.NewMemoryStore(), func() {}, nil
	}
	connect, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	db, err := postgres.Open(connect, url)
	if err != nil {
		return nil, nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	return db, db.Close, nil
}

// --8<-- [end:store]

// --8<-- [start:startup]

// startup finishes what must happen once before the service can take
// orders: the event stream must exist. Until then /startupz and /readyz
// answer 503.
func startup(ctx context.Context, js jetstream.JetStream,
	probes *health.Health, log *slog.Logger) {
	for {
		attempt, cancel := context.WithTimeout(ctx, 2*time.Second)
		err := natsbus.EnsureStream(attempt, js)
		cancel()
		if err == nil {
			probes.MarkStarted()
			log.Info("started: event stream ready")
			return
		}
		if ctx.Err() != nil {
			return
		}
		log.Warn("waiting for NATS", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(2 * time.Second):
		}
	}
}

// --8<-- [end:startup]
