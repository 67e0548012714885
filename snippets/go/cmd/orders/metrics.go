package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"example.com/orders/order"
)

// --8<-- [start:accepted]

// countedStore counts the orders accepted: stored with their event, not
// replayed. They are what the settlement SLO is measured against, so an
// order the worker never sees still counts (snippets/prometheus).
type countedStore struct {
	store
	accepted prometheus.Counter
}

func newCountedStore(s store, reg prometheus.Registerer) countedStore {
	accepted := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "orders_accepted_total",
		Help: "Orders stored with their event (replays not counted).",
	})
	reg.MustRegister(accepted)
	return countedStore{store: s, accepted: accepted}
}

func (s countedStore) Create(ctx context.Context, o order.Order,
	req order.Request) (order.Order, bool, error) {
	stored, replayed, err := s.store.Create(ctx, o, req)
	if err == nil && !replayed {
		s.accepted.Inc()
	}
	return stored, replayed, err
}

// --8<-- [end:accepted]

// --8<-- [start:outbox]

// outboxCollector reports the outbox's backlog, read from the store at
// each scrape: rows not sent yet, and how long the oldest has waited.
type outboxCollector struct {
	backlog order.BacklogReader
	timeout time.Duration
	log     *slog.Logger
	rows    *prometheus.Desc
	age     *prometheus.Desc
}

func newOutboxCollector(b order.BacklogReader,
	log *slog.Logger) *outboxCollector {
	return &outboxCollector{backlog: b, log: log,
		// Well inside Prometheus' scrape timeout (10 s by default).
		timeout: 2 * time.Second,
		rows: prometheus.NewDesc("orders_outbox_unsent_rows",
			"Events stored in the outbox and not yet published.",
			nil, nil),
		age: prometheus.NewDesc("orders_outbox_oldest_unsent_age_seconds",
			"How long the oldest unpublished event has waited; 0 if none.",
			nil, nil)}
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.rows
	ch <- c.age
}

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	b, err := c.backlog.Backlog(ctx)
	if err != nil {
		// No samples rather than wrong ones; the rest of the scrape
		// still works.
		c.log.Warn("metrics: cannot read the outbox backlog", "err", err)
		return
	}
	age := 0.0
	if b.Rows > 0 {
		age = time.Since(b.Oldest).Seconds()
	}
	ch <- prometheus.MustNewConstMetric(c.rows, prometheus.GaugeValue,
		float64(b.Rows))
	ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, age)
}

// --8<-- [end:outbox]
