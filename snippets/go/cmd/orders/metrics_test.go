package main

import (
	"net"
	"net/http"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape reads /metrics of the running program as Prometheus does and
// returns the value of each unlabelled counter and gauge by name.
func scrape(t *testing.T, p *program) map[string]float64 {
	t.Helper()
	resp, err := httpClient.Get(p.url("/metrics"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %s", resp.Status)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]float64{}
	for name, f := range families {
		for _, m := range f.GetMetric() {
			switch {
			case len(m.GetLabel()) > 0:
			case m.Counter != nil:
				values[name] = m.Counter.GetValue()
			case m.Gauge != nil:
				values[name] = m.Gauge.GetValue()
			}
		}
	}
	return values
}

// --8<-- [start:outbox-metrics-test]

// While NATS is down, an accepted order waits in the outbox, and /metrics
// says so: one unsent row, getting older. A retry with the same key is
// not a second accepted order. Once NATS is back the backlog is empty.
func TestOutboxBacklogShowsWhileTheBusIsDown(t *testing.T) {
	store := t.TempDir()
	ns := startNATS(t, store, 0)
	port := ns.Addr().(*net.TCPAddr).Port
	p := startOrders(t, "NATS_URL="+ns.ClientURL())
	if got := scrape(t, p)["orders_outbox_unsent_rows"]; got != 0 {
		t.Fatalf("unsent rows = %g at start, want 0", got)
	}

	ns.Shutdown()
	ns.WaitForShutdown()
	for range 2 {
		post(t, p.url("/orders"), validOrder, "Idempotency-Key", "k-m")
	}
	p.waitFor(func() bool {
		return scrape(t, p)["orders_outbox_oldest_unsent_age_seconds"] > 0.5
	}, "the unsent event getting older")
	m := scrape(t, p)
	if m["orders_outbox_unsent_rows"] != 1 || m["orders_accepted_total"] != 1 {
		t.Errorf("unsent rows %g, accepted %g; want 1 and 1 (a replay "+
			"is not a new order)", m["orders_outbox_unsent_rows"],
			m["orders_accepted_total"])
	}

	startNATS(t, store, port)
	p.waitFor(func() bool {
		m := scrape(t, p)
		return m["orders_outbox_unsent_rows"] == 0 &&
			m["orders_outbox_oldest_unsent_age_seconds"] == 0
	}, "the backlog emptying once NATS is back")
}

// --8<-- [end:outbox-metrics-test]
