package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"golang.org/x/sync/errgroup"

	"example.com/orders/events/natsbus"
	"example.com/orders/events/natsbus/natstest"
	"example.com/orders/logging"
	"example.com/orders/order"
	"example.com/orders/payment"
	"example.com/orders/tracing"
)

// useSpans records every span of the test in memory, through the global
// TracerProvider and propagator that the programs use.
func useSpans(t *testing.T) *tracetest.InMemoryExporter {
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	prev, prevProp := otel.GetTracerProvider(), otel.GetTextMapPropagator()
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(tracing.Propagator())
	t.Cleanup(func() {
		otel.SetTracerProvider(prev)
		otel.SetTextMapPropagator(prevProp)
	})
	return spans
}

// lockedBuffer collects log lines written from several goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// traceIDOf returns the trace_id of the log line whose msg is msg.
func (b *lockedBuffer) traceIDOf(t *testing.T, msg string) string {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	lines := bufio.NewScanner(strings.NewReader(b.buf.String()))
	for lines.Scan() {
		var line struct {
			Msg     string
			TraceID string `json:"trace_id"`
		}
		if json.Unmarshal(lines.Bytes(), &line) == nil && line.Msg == msg {
			return line.TraceID
		}
	}
	t.Fatalf("no log line %q in:\n%s", msg, b.buf.String())
	return ""
}

// span returns the one span with the given kind and name.
func span(t *testing.T, spans tracetest.SpanStubs, kind trace.SpanKind,
	name string) tracetest.SpanStub {
	t.Helper()
	var found []tracetest.SpanStub
	for _, s := range spans {
		if s.SpanKind == kind && s.Name == name {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		var names []string
		for _, s := range spans {
			names = append(names, s.SpanKind.String()+" "+s.Name)
		}
		t.Fatalf("want one %s span %q, got %d of %d spans: %q",
			kind, name, len(found), len(spans), names)
	}
	return found[0]
}

// parentOf returns the span that child names as its parent.
func parentOf(t *testing.T, spans tracetest.SpanStubs,
	child tracetest.SpanStub) tracetest.SpanStub {
	t.Helper()
	for _, s := range spans {
		if s.SpanContext.SpanID() == child.Parent.SpanID() {
			return s
		}
	}
	t.Fatalf("the parent of %q was not recorded", child.Name)
	return tracetest.SpanStub{}
}

// attr returns the value of the attribute key on s.
func attr(s tracetest.SpanStub, key attribute.Key) string {
	for _, kv := range s.Attributes {
		if kv.Key == key {
			return kv.Value.String()
		}
	}
	return ""
}

// --8<-- [start:trace-test]

// One order, one trace: the API's server span, the relay's publish
// (after the outbox), the worker's consumer span and the call to the
// payment provider, each the parent of the next, across a real NATS
// server. The log lines of the request and of the charge carry its id.
func TestOneTraceFollowsAnOrderFromTheAPIToThePaymentProvider(
	t *testing.T) {
	spans := useSpans(t)
	js := natstest.Start(t)
	logs := &lockedBuffer{}
	log := logging.New(logs, nil)

	var once sync.Once
	charged := make(chan struct{})
	providerMux := http.NewServeMux()
	providerMux.HandleFunc("POST /charges",
		func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusCreated)
			once.Do(func() { close(charged) })
		})
	provider := httptest.NewServer(otelhttp.NewHandler(providerMux, "pay"))
	defer provider.Close()

	store := order.NewMemoryStore() // orders and their outbox
	api := http.NewServeMux()
	order.NewHandler(store, log).Register(api,
		func(h http.Handler) http.Handler {
			return otelhttp.NewHandler(h, "orders")
		}, logging.Middleware(log))
	orders := httptest.NewServer(api)
	defer orders.Close()

	ctx, stop := context.WithCancel(t.Context())
	g, ctx := errgroup.WithContext(ctx)
	relay := &order.Relay{Outbox: store, Log: log,
		Publisher: natsbus.NewPublisher(js),
		Interval:  10 * time.Millisecond, Batch: 10}
	g.Go(func() error { return relay.Run(ctx) })
	worker := &natsbus.Consumer{JS: js, Durable: "payments", Workers: 1,
		AckWait: 30 * time.Second, MaxDeliver: 3, Log: log}
	g.Go(func() error {
		return worker.Run(ctx, chargeOrder(newCharger(provider.URL,
			payment.OpenTimeout, log),
			log, newWorkerMetrics(prometheus.NewRegistry())))
	})

	resp, err := http.Post(orders.URL+"/orders", "application/json",
		strings.NewReader(`{"customer_id": "c-1",
			"items": [{"sku": "BOOK", "quantity": 1, "price_cents": 900}]}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	select {
	case <-charged:
	case <-time.After(10 * time.Second):
		t.Fatalf("the provider was never called; logs:\n%s",
			logs)
	}
	stop()
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	provider.Close() // waits until the provider's span has ended

	got := spans.GetSpans()
	request := span(t, got, trace.SpanKindServer, "POST /orders")
	process := span(t, got, trace.SpanKindConsumer, "process order.created")
	// A publish whose acknowledgment comes late is tried again from the
	// outbox and JetStream drops the copy: every try is a producer span of
	// this trace, and the chain runs through the one that was delivered.
	send := parentOf(t, got, process)
	if send.SpanKind != trace.SpanKindProducer ||
		send.Name != "publish order.created" {
		t.Fatalf("the consumer's parent is %s %q, not the publish",
			send.SpanKind, send.Name)
	}
	for _, s := range got {
		if s.SpanKind == trace.SpanKindProducer && s.SpanContext.TraceID() !=
			request.SpanContext.TraceID() {
			t.Errorf("publish %q left the order's trace", s.Name)
		}
	}
	charge := span(t, got, trace.SpanKindClient, "HTTP POST")
	pay := span(t, got, trace.SpanKindServer, "POST /charges")

	chain := []tracetest.SpanStub{request, send, process, charge, pay}
	for i, child := range chain[1:] {
		parent := chain[i]
		if child.Parent.SpanID() != parent.SpanContext.SpanID() ||
			child.SpanContext.TraceID() != parent.SpanContext.TraceID() {
			t.Errorf("%q is not a child of %q", child.Name, parent.Name)
		}
	}
	for _, s := range []tracetest.SpanStub{send, process} {
		if attr(s, "messaging.system") != "nats" ||
			attr(s, "messaging.destination.name") != order.EventCreated ||
			!strings.HasSuffix(attr(s, "messaging.message.id"), "/created") {
			t.Errorf("%q lacks the messaging attributes: %v",
				s.Name, s.Attributes)
		}
	}
	traceID := request.SpanContext.TraceID().String()
	for _, msg := range []string{"request done", "order charged"} {
		if got := logs.traceIDOf(t, msg); got != traceID {
			t.Errorf("log line %q has trace_id %q, want %q",
				msg, got, traceID)
		}
	}
}

// --8<-- [end:trace-test]
