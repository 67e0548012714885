// Command orders serves the order API and publishes an event for every
// accepted order to NATS JetStream.
//
// Configuration comes from the environment, with defaults that work on a
// laptop:
//
//	ADDR                         listen address (default ":8080")
//	NATS_URL                     NATS server (default "nats://127.0.0.1:4222")
//	LOG_LEVEL                    debug, info, warn or error (default "info")
//	DRAIN_DELAY                  how long to keep serving after SIGTERM
//	                             before closing the listener (default "0s":
//	                             in Kubernetes a preStop sleep does the
//	                             waiting; set it where there is no such hook)
//	OTEL_EXPORTER_OTLP_ENDPOINT  export traces over OTLP/HTTP to this URL
//	                             (default: no export)
//
// The service starts even when NATS is unreachable: /startupz answers 503
// until it has connected once and the event stream exists. Later NATS
// outages do not make the pod unready (every pod would drop out of the
// Service at once); POST /orders answers 503 at once instead.
//
// Routes: POST /orders, GET /orders/{id}, GET /livez, /readyz, /startupz
// and /metrics.
package main

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
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
	"example.com/orders/server"
	"example.com/orders/tracing"
)

// --8<-- [start:main]
func main() {
	// SIGTERM is how Kubernetes asks a pod to stop; SIGINT is Ctrl-C.
	ctx, stop := signal.NotifyContext(context.Background(),
		syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := run(ctx, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "orders:", err)
		os.Exit(1)
	}
}

// --8<-- [end:main]

type config struct {
	addr       string
	natsURL    string
	logLevel   slog.Level
	drainDelay time.Duration
}

func loadConfig(getenv func(string) string) (config, error) {
	cfg := config{
		addr:    cmp.Or(getenv("ADDR"), ":8080"),
		natsURL: cmp.Or(getenv("NATS_URL"), nats.DefaultURL),
	}
	if err := cfg.logLevel.UnmarshalText([]byte(cmp.Or(getenv("LOG_LEVEL"), "info"))); err != nil {
		return config{}, fmt.Errorf("LOG_LEVEL: %w", err)
	}
	delay, err := time.ParseDuration(cmp.Or(getenv("DRAIN_DELAY"), "0s"))
	if err != nil {
		return config{}, fmt.Errorf("DRAIN_DELAY: %w", err)
	}
	cfg.drainDelay = delay
	return cfg, nil
}

func run(ctx context.Context, getenv func(string) string) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	log := logging.New(os.Stdout, &slog.HandlerOptions{Level: cfg.logLevel})

	shutdownTracing, err := tracing.Setup(ctx, "orders")
	if err != nil {
		return err
	}
	defer shutdownTracing(context.Background())

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

	// --8<-- [start:wiring]
	mux := http.NewServeMux()
	api := order.NewHandler(order.NewMemoryStore(), natsbus.NewPublisher(js), log)
	// Only the API is logged, traced and measured. Probes and scrapes come
	// every few seconds: they would drown the logs and dilute the SLO.
	api.Register(mux,
		logging.Middleware(log),
		func(h http.Handler) http.Handler {
			return otelhttp.NewHandler(h, "orders")
		},
		red.Middleware,
	)
	probes.Register(mux)
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	// --8<-- [end:wiring]

	// --8<-- [start:serve]
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler: mux,
		// a client that never finishes its headers is cut off
		ReadHeaderTimeout: 5 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("listening", "addr", ln.Addr().String(), "nats", cfg.natsURL)
	err = server.Run(ctx, srv, ln, server.Config{
		OnShutdown: func() {
			log.Info("shutting down: draining requests",
				"delay", cfg.drainDelay.String())
			probes.MarkDraining()
		},
		DrainDelay:      cfg.drainDelay,
		ShutdownTimeout: 20 * time.Second,
	})
	// --8<-- [end:serve]
	log.Info("stopped", "err", err)
	return err
}

// --8<-- [start:startup]
// startup finishes what must happen once before the service can take
// orders: the event stream must exist. Until then /startupz and /readyz
// answer 503.
func startup(ctx context.Context,
	js jetstream.JetStream, probes *health.Health, log *slog.Logger) {
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
