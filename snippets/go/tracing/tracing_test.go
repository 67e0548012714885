package tracing_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"example.com/orders/tracing"
)

// --8<-- [start:hop-test]

// One request crosses an HTTP hop: the orders service calls the payment
// service. The test proves both ends belong to one trace and that the
// payment server's span is a child of the orders client's span.
func TestTraceCrossesHTTPHop(t *testing.T) {
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	opts := []otelhttp.Option{otelhttp.WithTracerProvider(tp),
		otelhttp.WithPropagators(tracing.Propagator())}

	var traceparent string
	paymentMux := http.NewServeMux()
	paymentMux.HandleFunc("POST /charges",
		func(w http.ResponseWriter, r *http.Request) {
			// what actually crossed the wire
			traceparent = r.Header.Get("traceparent")
			w.WriteHeader(http.StatusNoContent)
		})
	payment := httptest.NewServer(otelhttp.NewHandler(paymentMux,
		"payment", opts...))
	defer payment.Close()

	client := &http.Client{
		Transport: otelhttp.NewTransport(http.DefaultTransport, opts...),
	}
	ctx, parent := tp.Tracer("orders").Start(t.Context(), "create order")
	req, _ := http.NewRequestWithContext(ctx,
		"POST", payment.URL+"/charges", nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	parent.End()

	byName := map[string]tracetest.SpanStub{}
	for _, s := range spans.GetSpans() {
		byName[s.Name] = s
	}
	root := byName["create order"]
	clientSpan, serverSpan := byName["HTTP POST"], byName["POST /charges"]

	if serverSpan.SpanKind != trace.SpanKindServer ||
		clientSpan.SpanKind != trace.SpanKindClient {
		t.Fatalf("spans = %v, want a client span and a server span "+
			"named after the route", byName)
	}
	if serverSpan.Parent.SpanID() != clientSpan.SpanContext.SpanID() ||
		clientSpan.Parent.SpanID() != root.SpanContext.SpanID() {
		t.Error("want create order -> HTTP POST -> POST /charges, " +
			"each the parent of the next")
	}
	if serverSpan.SpanContext.TraceID() != root.SpanContext.TraceID() {
		t.Error("the payment server's span is in another trace")
	}
	want := "00-" + root.SpanContext.TraceID().String() + "-" +
		clientSpan.SpanContext.SpanID().String() + "-01"
	if traceparent != want {
		t.Errorf("traceparent = %q, want %q", traceparent, want)
	}
}

// --8<-- [end:hop-test]

func TestSetupWithoutEndpointOnlyPropagates(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	shutdown, err := tracing.Setup(t.Context(), "orders")
	if err != nil {
		t.Fatal(err)
	}
	defer shutdown(t.Context())

	if fields := otel.GetTextMapPropagator().Fields(); !slices.Contains(fields, "traceparent") {
		t.Errorf("propagator fields = %v, want traceparent among them", fields)
	}
}

func TestSetupExportsOverOTLP(t *testing.T) {
	got := make(chan string, 1)
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case got <- r.Method + " " + r.URL.Path:
		default:
		}
	}))
	defer collector.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.URL)

	shutdown, err := tracing.Setup(t.Context(), "orders")
	if err != nil {
		t.Fatal(err)
	}
	_, span := otel.Tracer("test").Start(t.Context(), "work")
	span.End()
	if err := shutdown(t.Context()); err != nil { // flushes the batch
		t.Fatal(err)
	}
	otel.SetTracerProvider(noop.NewTracerProvider())

	if req := <-got; req != "POST /v1/traces" {
		t.Errorf("collector got %q, want POST /v1/traces", req)
	}
}

func TestSetupTakesTheResourceFromOTELVariables(t *testing.T) {
	got := make(chan []byte, 1)
	collector := httptest.NewServer(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			select {
			case got <- body:
			default:
			}
		}))
	defer collector.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.URL)
	t.Setenv("OTEL_SERVICE_NAME", "orders-eu")
	t.Setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=staging")

	shutdown, err := tracing.Setup(t.Context(), "orders")
	if err != nil {
		t.Fatal(err)
	}
	_, span := otel.Tracer("test").Start(t.Context(), "work")
	span.End()
	if err := shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	otel.SetTracerProvider(noop.NewTracerProvider())

	var request collectortrace.ExportTraceServiceRequest
	if err := proto.Unmarshal(<-got, &request); err != nil {
		t.Fatal(err)
	}
	attrs := map[string]string{}
	for _, kv := range request.ResourceSpans[0].Resource.Attributes {
		attrs[kv.Key] = kv.Value.GetStringValue()
	}
	if attrs["service.name"] != "orders-eu" ||
		attrs["deployment.environment"] != "staging" {
		t.Errorf("resource %v, want the OTEL_* variables' values", attrs)
	}
}

func TestShutdownGivesUpOnAHungCollectorAndSaysSo(t *testing.T) {
	release := make(chan struct{})
	collector := httptest.NewServer(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer collector.Close()
	defer close(release)
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.URL)
	t.Setenv("OTEL_EXPORTER_OTLP_TIMEOUT", "60000") // longer than ours
	shutdown, err := tracing.Setup(t.Context(), "orders")
	if err != nil {
		t.Fatal(err)
	}
	_, span := otel.Tracer("test").Start(t.Context(), "work")
	span.End()

	start := time.Now()
	err = shutdown(t.Context())
	otel.SetTracerProvider(noop.NewTracerProvider())

	if err == nil || time.Since(start) > tracing.ShutdownTimeout+time.Second {
		t.Errorf("shutdown = %v after %s, want an error within %s",
			err, time.Since(start), tracing.ShutdownTimeout)
	}
}
