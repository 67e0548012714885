package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"example.com/orders/events/natsbus"
	"example.com/orders/events/natsbus/natstest"
)

// scrapeWorker reads the worker's /metrics as Prometheus does:
// name{label="value"} -> value, for counters and gauges.
func scrapeWorker(t *testing.T, addr string) map[string]float64 {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]float64{}
	for name, f := range families {
		for _, m := range f.GetMetric() {
			key := name
			for _, l := range m.GetLabel() {
				key += "{" + l.GetName() + "=" + l.GetValue() + "}"
			}
			switch {
			case m.Counter != nil:
				values[key] = m.Counter.GetValue()
			case m.Gauge != nil:
				values[key] = m.Gauge.GetValue()
			}
		}
	}
	return values
}

// probesAddr waits for the worker's start-up log line and returns the
// address its probes and /metrics listen on.
func probesAddr(t *testing.T, logs *lockedBuffer) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		lines := bufio.NewScanner(strings.NewReader(logs.String()))
		for lines.Scan() {
			var line struct{ Msg, Probes string }
			if json.Unmarshal(lines.Bytes(), &line) == nil &&
				line.Msg == "consuming order events" {
				return line.Probes
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the worker did not start:\n%s", logs)
	return ""
}

// --8<-- [start:outage-test]

// A whole provider outage in seconds, through the worker's own flags:
// the breaker opens, the events wait without being dead-lettered, and
// when the provider is back every order is charged. /metrics tells it
// all, as the alerts will read it.
func TestProviderOutageOpensTheBreakerAndLosesNoOrder(t *testing.T) {
	js := natstest.Start(t)
	var down atomic.Bool
	down.Store(true)
	provider := httptest.NewServer(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			if down.Load() {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			w.WriteHeader(http.StatusCreated)
		}))
	defer provider.Close()
	publisher := natsbus.NewPublisher(js)
	for _, id := range ids(8) {
		if err := publisher.Publish(t.Context(),
			created(id, 900, time.Now())); err != nil {
			t.Fatal(err)
		}
	}

	logs := &lockedBuffer{}
	done := make(chan error, 1)
	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	go func() {
		done <- run(ctx, nil, []string{
			"-nats", js.Conn().ConnectedUrl(), "-addr", "127.0.0.1:0",
			"-payment-url", provider.URL, "-workers", "2",
			"-max-deliver", "3", "-retry-backoff", "20ms,100ms",
			"-breaker-open-for", "300ms",
		}, func(string) string { return "" }, logs)
	}()
	addr := probesAddr(t, logs)
	waitFor := func(what string, cond func(m map[string]float64) bool) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for m := scrapeWorker(t, addr); !cond(m); m = scrapeWorker(t, addr) {
			if time.Now().After(deadline) {
				t.Fatalf("%s did not happen; metrics %v\nlogs:\n%s",
					what, m, logs)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	waitFor("the breaker opening", func(m map[string]float64) bool {
		return m["payment_circuit_breaker_state{state=open}"] == 1
	})
	// Open periods come and go while the provider stays down, each
	// ending in a failed trial call; the events keep waiting, well past
	// their three tries.
	reopened := `"from":"half-open","to":"open"`
	waitFor("the breaker opening again twice", func(map[string]float64) bool {
		return strings.Count(logs.String(), reopened) >= 2
	})
	waitFor("events waiting", func(m map[string]float64) bool {
		return m["orders_consumer_pending_messages"] > 0
	})
	down.Store(false)
	waitFor("every order charged", func(m map[string]float64) bool {
		return m["orders_events_handled_total{outcome=charged}"] == 8
	})

	m := scrapeWorker(t, addr)
	dead := m["orders_events_handled_total{outcome=dead_lettered}"]
	if dead > 0 {
		t.Errorf("%g orders dead-lettered by an outage: the breaker's "+
			"failures must not count against them", dead)
	}
	if m["payment_circuit_breaker_state{state=closed}"] != 1 ||
		m["orders_consumer_pending_messages"] != 0 {
		t.Errorf("after the outage: breaker %v, pending %g; want closed, 0",
			m["payment_circuit_breaker_state{state=closed}"],
			m["orders_consumer_pending_messages"])
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// --8<-- [end:outage-test]

// ids returns n order ids.
func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "ord-" + string(rune('a'+i))
	}
	return out
}
