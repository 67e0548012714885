package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"example.com/orders/logging"
	"example.com/orders/metrics"
	"example.com/orders/order"
)

// The access log line leads to the trace: it is written inside the
// request's server span and carries that span's trace id.
func TestAccessLogLineCarriesTheTraceID(t *testing.T) {
	spans := tracetest.NewInMemoryExporter()
	prev := otel.GetTracerProvider()
	otel.SetTracerProvider(sdktrace.NewTracerProvider(
		sdktrace.WithSyncer(spans)))
	defer otel.SetTracerProvider(prev)

	var logs bytes.Buffer
	log := logging.New(&logs, nil)
	mux := http.NewServeMux()
	order.NewHandler(order.NewMemoryStore(), log).Register(mux,
		apiMiddleware(log, metrics.NewHTTP(prometheus.NewRegistry()))...)
	mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST",
		"/orders", strings.NewReader(`{"customer_id": "c-1",
			"items": [{"sku": "A", "quantity": 1, "price_cents": 5}]}`)))

	type logLine struct {
		Msg     string
		TraceID string `json:"trace_id"`
	}
	var line logLine
	for l := range strings.Lines(logs.String()) {
		var candidate logLine
		if json.Unmarshal([]byte(l), &candidate) == nil &&
			candidate.Msg == "request done" {
			line = candidate
		}
	}
	if line.Msg == "" {
		t.Fatalf("no access log line in %q", logs.String())
	}
	got := spans.GetSpans()
	if len(got) != 1 {
		t.Fatalf("want the request's server span, got %v", got)
	}
	if want := got[0].SpanContext.TraceID().String(); line.TraceID != want {
		t.Errorf("access log trace_id = %q, want the request's %q",
			line.TraceID, want)
	}
}
