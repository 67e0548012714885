package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"golang.org/x/sync/errgroup"

	"example.com/orders/events/natsbus"
	"example.com/orders/events/natsbus/natstest"
	"example.com/orders/order"
	"example.com/orders/payment"
)

// sample returns the metric name{labels} as the registry would expose it
// on /metrics, or nil if there is no such series.
func sample(t *testing.T, reg prometheus.Gatherer, name string,
	labels ...string) *dto.Metric {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatalf("scrape failed: %v", err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	metrics:
		for _, m := range f.GetMetric() {
			for i := 0; i+1 < len(labels); i += 2 {
				found := false
				for _, l := range m.GetLabel() {
					found = found || (l.GetName() == labels[i] &&
						l.GetValue() == labels[i+1])
				}
				if !found {
					continue metrics
				}
			}
			return m
		}
	}
	return nil
}

// value is the value of a counter or gauge series; it fails the test if
// the series does not exist.
func value(t *testing.T, reg prometheus.Gatherer, name string,
	labels ...string) float64 {
	t.Helper()
	m := sample(t, reg, name, labels...)
	switch {
	case m == nil:
		t.Fatalf("no series %s%q", name, labels)
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	}
	t.Fatalf("%s is neither a counter nor a gauge", name)
	return 0
}

// bucket is the cumulative count of a histogram at upper bound le.
func bucket(t *testing.T, reg prometheus.Gatherer, name string,
	le float64) uint64 {
	t.Helper()
	m := sample(t, reg, name)
	if m == nil || m.Histogram == nil {
		t.Fatalf("no histogram %s", name)
	}
	for _, b := range m.Histogram.GetBucket() {
		if b.GetUpperBound() == le {
			return b.GetCumulativeCount()
		}
	}
	t.Fatalf("%s has no bucket le=%g", name, le)
	return 0
}

// --8<-- [start:outcomes-test]

// Every outcome, driven through a real NATS server and an HTTP payment
// provider, and read back from the registry /metrics serves: charged,
// declined, charged on the second try, failed until dead-lettered, and
// two events with nothing to charge. An order accepted ten minutes ago
// is settled too late for the SLO, and its bucket shows it.
func TestWorkerMetricsCountEveryOutcome(t *testing.T) {
	js := natstest.Start(t)
	log := slog.New(slog.DiscardHandler)
	var mu sync.Mutex
	tries := map[string]int{}
	provider := httptest.NewServer(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			var body struct {
				OrderID string `json:"order_id"`
			}
			decodeJSON(t, r, &body)
			mu.Lock()
			tries[body.OrderID]++
			first := tries[body.OrderID] == 1
			mu.Unlock()
			switch {
			case body.OrderID == "ord-declined":
				w.WriteHeader(http.StatusPaymentRequired)
			case body.OrderID == "ord-broken",
				body.OrderID == "ord-flaky" && first:
				w.WriteHeader(http.StatusBadGateway)
			default:
				w.WriteHeader(http.StatusCreated)
			}
		}))
	defer provider.Close()

	now := time.Now().UTC()
	events := []order.Event{
		created("ord-charged", 900, now),
		created("ord-late", 900, now.Add(-10*time.Minute)),
		created("ord-declined", 900, now),
		created("ord-flaky", 900, now),
		created("ord-broken", 900, now),
		created("ord-free", 0, now),
		{ID: "ord-charged/shipped", Type: "order.shipped",
			OrderID: "ord-charged", At: now},
	}
	publisher := natsbus.NewPublisher(js)
	for _, e := range events {
		if err := publisher.Publish(t.Context(), e); err != nil {
			t.Fatal(err)
		}
	}

	reg := prometheus.NewRegistry()
	m := newWorkerMetrics(reg)
	handled := make(chan natsbus.Delivery, 100)
	consumer := &natsbus.Consumer{JS: js, Durable: durable, Workers: 1,
		AckWait: 30 * time.Second, MaxDeliver: 2, Log: log,
		Backoff: []time.Duration{10 * time.Millisecond},
		Observe: func(d natsbus.Delivery) {
			m.observe(d)
			handled <- d
		}}
	charger := newCharger(provider.URL, payment.OpenTimeout, log)
	// Seven events, two of them delivered twice.
	runConsumer(t, consumer, chargeOrder(charger, log, m), handled, 9)

	want := map[string]float64{"charged": 3, "declined": 1,
		"retried": 2, "dead_lettered": 1, "skipped": 2}
	for outcome, n := range want {
		got := value(t, reg, "orders_events_handled_total",
			"outcome", outcome)
		if got != n {
			t.Errorf("outcome %s = %g, want %g", outcome, got, n)
		}
	}
	if got := value(t, reg, "orders_event_redeliveries_total"); got != 2 {
		t.Errorf("redeliveries = %g, want 2", got)
	}
	handling := sample(t, reg, "orders_event_handling_duration_seconds")
	if n := handling.GetHistogram().GetSampleCount(); n != 9 {
		t.Errorf("handling durations observed %d, want 9 deliveries", n)
	}
	// Charged (3), declined and free are settled; the late one is not
	// within the target, the broken one not at all.
	settlement := sample(t, reg, "orders_settlement_duration_seconds")
	if n := settlement.GetHistogram().GetSampleCount(); n != 5 {
		t.Errorf("settlements = %d, want 5", n)
	}
	inTime := bucket(t, reg, "orders_settlement_duration_seconds",
		SettlementTarget.Seconds())
	if inTime != 4 {
		t.Errorf("settled within %s = %d, want 4", SettlementTarget, inTime)
	}
}

// --8<-- [end:outcomes-test]

// created is an order.created event for an order accepted at.
func created(id string, cents int64, at time.Time) order.Event {
	return order.Order{ID: id, CustomerID: "c-1", TotalCents: cents,
		CreatedAt: at}.CreatedEvent()
}

func decodeJSON(t *testing.T, r *http.Request, into any) {
	t.Helper()
	if err := json.NewDecoder(r.Body).Decode(into); err != nil {
		t.Error(err)
	}
}

// runConsumer runs c until it has handled n deliveries, then stops it.
func runConsumer(t *testing.T, c *natsbus.Consumer, h natsbus.Handler,
	handled <-chan natsbus.Delivery, n int) {
	t.Helper()
	ctx, stop := context.WithCancel(t.Context())
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return c.Run(ctx, h) })
	timeout := time.After(20 * time.Second)
	for i := range n {
		select {
		case <-handled:
		case <-timeout:
			t.Errorf("only %d of %d deliveries handled", i, n)
			n = i
		}
	}
	stop()
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	select {
	case d := <-handled:
		t.Errorf("more deliveries than %d: %+v", n, d)
	default:
	}
}

// The backlog gauge is asked from JetStream at scrape time: events that
// wait while no worker runs show up, and a scrape without NATS still
// answers, only without the gauge.
func TestPendingMessagesAreReadFromJetStreamAtScrapeTime(t *testing.T) {
	js := natstest.Start(t)
	// The durable consumer exists, as after the worker's first start.
	cons, err := js.CreateOrUpdateConsumer(t.Context(), natsbus.Stream,
		jetstream.ConsumerConfig{Durable: durable,
			AckPolicy: jetstream.AckExplicitPolicy})
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(newPendingCollector(js, durable,
		slog.New(slog.DiscardHandler)))
	if got := value(t, reg, "orders_consumer_pending_messages"); got != 0 {
		t.Fatalf("pending = %g before any event, want 0", got)
	}

	publisher := natsbus.NewPublisher(js)
	for _, id := range []string{"ord-1", "ord-2", "ord-3"} {
		if err := publisher.Publish(t.Context(),
			created(id, 100, time.Now())); err != nil {
			t.Fatal(err)
		}
	}
	if got := value(t, reg, "orders_consumer_pending_messages"); got != 3 {
		t.Errorf("pending = %g with three events waiting, want 3", got)
	}
	// One delivered and not acknowledged (a handler busy, or a retry
	// waiting) is still pending.
	batch, err := cons.Fetch(1)
	if err != nil {
		t.Fatal(err)
	}
	for range batch.Messages() {
	}
	if got := value(t, reg, "orders_consumer_pending_messages"); got != 3 {
		t.Errorf("pending = %g with one of three in a handler, want 3", got)
	}

	js.Conn().Close()
	if m := sample(t, reg, "orders_consumer_pending_messages"); m != nil {
		t.Errorf("pending = %v without NATS, want no sample", m)
	}
}

// The breaker's state is one-hot, and read at scrape time: after the
// open period it shows half-open although nothing called the provider.
func TestBreakerStateIsOneHotAndCurrent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		down := payment.ChargerFunc(func(context.Context, string,
			int64) error {
			return errors.New("connection refused")
		})
		b := payment.NewBreaker(down, payment.OpenTimeout, nil)
		reg := prometheus.NewRegistry()
		reg.MustRegister(newBreakerCollector(b.State))
		states := func() map[string]float64 {
			got := map[string]float64{}
			for _, s := range []string{"closed", "half_open", "open"} {
				got[s] = value(t, reg, "payment_circuit_breaker_state",
					"state", s)
			}
			return got
		}
		check := func(when string, want map[string]float64) {
			t.Helper()
			got := states()
			for s, v := range want {
				if got[s] != v {
					t.Errorf("%s: state %v, want %v", when, got, want)
					return
				}
			}
		}

		check("at start", map[string]float64{"closed": 1,
			"half_open": 0, "open": 0})
		for range payment.FailureThreshold {
			b.Charge(t.Context(), "ord-1", 100)
		}
		check("after the failures", map[string]float64{"closed": 0,
			"half_open": 0, "open": 1})
		time.Sleep(payment.OpenTimeout + time.Second)
		check("after the open period", map[string]float64{"closed": 0,
			"half_open": 1, "open": 0})
	})
}
