package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/sony/gobreaker/v2"

	"example.com/orders/events/natsbus"
	"example.com/orders/order"
)

// --8<-- [start:outcomes]

// How the handling of one delivery ended: the outcome label of
// orders_events_handled_total. A fixed set, so the label stays bounded.
const (
	outcomeCharged      = "charged"
	outcomeDeclined     = "declined"
	outcomeRetried      = "retried"       // handed back for a later try
	outcomeDeadLettered = "dead_lettered" // parked for a person
	outcomeSkipped      = "skipped"       // not ours, or nothing to charge
)

// SettlementTarget is the business SLO's target: an order is charged or
// definitively declined within this time after it was accepted. The
// settlement histogram has a bucket boundary exactly here, so the SLI
// can count the orders that made it (snippets/prometheus).
const SettlementTarget = 5 * time.Minute

// --8<-- [end:outcomes]

// --8<-- [start:metrics]

// workerMetrics are the worker's own metrics, beside Go's and the
// process's. No label carries an order id: one series per order would
// overwhelm Prometheus.
type workerMetrics struct {
	handled      *prometheus.CounterVec
	redeliveries prometheus.Counter
	handling     prometheus.Histogram
	settlement   prometheus.Histogram
}

func newWorkerMetrics(reg prometheus.Registerer) *workerMetrics {
	m := &workerMetrics{
		handled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "orders_events_handled_total",
			Help: "Deliveries of order events handled, by outcome.",
		}, []string{"outcome"}),
		redeliveries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "orders_event_redeliveries_total",
			Help: "Deliveries of an event that was delivered before.",
		}),
		handling: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "orders_event_handling_duration_seconds",
			Help: "Time to handle one delivery, payment call included.",
			// The provider's client times out at 10 s.
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}),
		settlement: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "orders_settlement_duration_seconds",
			Help: "From an order's acceptance to its charge or " +
				"definitive decline.",
			// Around the retry schedule, and the SLO's target (300 s).
			Buckets: []float64{1, 5, 15, 30, 60, 120, 180,
				SettlementTarget.Seconds(), 600, 1800, 3600},
		}),
	}
	// Every outcome exists from the start, at 0: rate() and the alerts
	// need a series before its first increment.
	for _, o := range []string{outcomeCharged, outcomeDeclined,
		outcomeRetried, outcomeDeadLettered, outcomeSkipped} {
		m.handled.WithLabelValues(o)
	}
	reg.MustRegister(m.handled, m.redeliveries, m.handling, m.settlement)
	return m
}

// settled counts an order charged or declined, and how long it took
// from its acceptance (the event's At, set by the order service: the
// two clocks must agree, as NTP keeps them).
func (m *workerMetrics) settled(outcome string, e order.Event) {
	m.handled.WithLabelValues(outcome).Inc()
	m.settlement.Observe(time.Since(e.At).Seconds())
}

// skipped counts an event that needs no charge.
func (m *workerMetrics) skipped() {
	m.handled.WithLabelValues(outcomeSkipped).Inc()
}

// observe is the consumer's Observe hook: what the bus decided.
func (m *workerMetrics) observe(d natsbus.Delivery) {
	if d.Attempt > 1 {
		m.redeliveries.Inc()
	}
	m.handling.Observe(d.Took.Seconds())
	switch d.Result {
	case natsbus.Retried:
		m.handled.WithLabelValues(outcomeRetried).Inc()
	case natsbus.DeadLettered:
		m.handled.WithLabelValues(outcomeDeadLettered).Inc()
	}
}

// --8<-- [end:metrics]

// --8<-- [start:gauges]

// pendingCollector reports the durable consumer's backlog, asked from
// JetStream at each scrape: events not yet delivered plus those delivered
// and not yet acknowledged (in a handler, or waiting for a retry).
type pendingCollector struct {
	js       jetstream.JetStream
	durable  string
	timeout  time.Duration
	log      *slog.Logger
	messages *prometheus.Desc
}

func newPendingCollector(js jetstream.JetStream, durable string,
	log *slog.Logger) *pendingCollector {
	return &pendingCollector{js: js, durable: durable, log: log,
		// Well inside Prometheus' scrape timeout (10 s by default).
		timeout: 2 * time.Second,
		messages: prometheus.NewDesc("orders_consumer_pending_messages",
			"Events the worker's consumer has not acknowledged yet.",
			nil, nil)}
}

func (c *pendingCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.messages
}

func (c *pendingCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	cons, err := c.js.Consumer(ctx, natsbus.Stream, c.durable)
	var info *jetstream.ConsumerInfo
	if err == nil {
		info, err = cons.Info(ctx)
	}
	if err != nil {
		// No sample rather than a wrong one, and the rest of the scrape
		// still works; the NATS readiness check reports the outage.
		c.log.Warn("metrics: cannot read the consumer's backlog",
			"err", err)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.messages,
		prometheus.GaugeValue,
		float64(info.NumPending)+float64(info.NumAckPending))
}

// breakerCollector reports the breaker's state as one series per state,
// 1 for the current one: payment_circuit_breaker_state{state="open"} == 1
// is the alert's expression. Reading it at scrape time also shows the
// move from open to half-open, which happens without a call.
type breakerCollector struct {
	state func() gobreaker.State
	desc  *prometheus.Desc
}

func newBreakerCollector(state func() gobreaker.State) *breakerCollector {
	return &breakerCollector{state: state,
		desc: prometheus.NewDesc("payment_circuit_breaker_state",
			"State of the payment provider's circuit breaker, one-hot.",
			[]string{"state"}, nil)}
}

func (c *breakerCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.desc
}

func (c *breakerCollector) Collect(ch chan<- prometheus.Metric) {
	now := c.state()
	for label, s := range map[string]gobreaker.State{
		"closed": gobreaker.StateClosed, "half_open": gobreaker.StateHalfOpen,
		"open": gobreaker.StateOpen} {
		v := 0.0
		if s == now {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(c.desc,
			prometheus.GaugeValue, v, label)
	}
}

// --8<-- [end:gauges]
