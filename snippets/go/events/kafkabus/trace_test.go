package kafkabus_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"example.com/orders/events/kafkabus"
	"example.com/orders/order"
	"example.com/orders/tracing"
)

// --8<-- [start:trace-test]

// The trace of the code that publishes an event travels in the record's
// headers: the consumer's span is a child of the producer's, and the
// handler runs inside it, so whatever it calls or logs joins the trace.
func TestTraceTravelsInRecordHeadersFromProducerToConsumer(t *testing.T) {
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	prev, prevProp := otel.GetTracerProvider(), otel.GetTextMapPropagator()
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(tracing.Propagator())
	defer otel.SetTracerProvider(prev)
	defer otel.SetTextMapPropagator(prevProp)
	brokers := startKafka(t)

	p, err := kafkabus.NewProducer(brokers...)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx, request := tp.Tracer("test").Start(t.Context(), "POST /orders")
	o := order.Order{ID: "ord-1", CustomerID: "c-1", TotalCents: 100}
	if err := p.Publish(ctx, o.CreatedEvent()); err != nil {
		t.Fatal(err)
	}
	request.End()

	var inHandler trace.SpanContext
	consume(t, newConsumer(brokers), 1,
		func(ctx context.Context, _ order.Event) error {
			inHandler = trace.SpanContextFromContext(ctx)
			return nil
		})

	byKind := map[trace.SpanKind]tracetest.SpanStub{}
	for _, s := range spans.GetSpans() {
		byKind[s.SpanKind] = s
	}
	send := byKind[trace.SpanKindProducer]
	process := byKind[trace.SpanKindConsumer]
	if send.Name != "send orders" || process.Name != "process orders" {
		t.Fatalf("spans = %v, want send orders and process orders",
			spans.GetSpans())
	}
	if send.Parent.SpanID() != request.SpanContext().SpanID() ||
		process.Parent.SpanID() != send.SpanContext.SpanID() ||
		process.SpanContext.TraceID() != request.SpanContext().TraceID() {
		t.Error("want POST /orders -> send orders -> process orders, " +
			"in one trace, each the parent of the next")
	}
	if inHandler.SpanID() != process.SpanContext.SpanID() {
		t.Error("the handler does not run in the consumer's span")
	}
	for _, s := range []tracetest.SpanStub{send, process} {
		if !hasAttr(s, "messaging.system", "kafka") ||
			!hasAttr(s, "messaging.destination.name", kafkabus.Topic) ||
			!hasAttr(s, "messaging.kafka.message.key", "ord-1") {
			t.Errorf("%s lacks the messaging attributes: %v",
				s.Name, s.Attributes)
		}
	}
}

// --8<-- [end:trace-test]

func hasAttr(s tracetest.SpanStub, key, value string) bool {
	for _, kv := range s.Attributes {
		if string(kv.Key) == key && kv.Value.String() == value {
			return true
		}
	}
	return false
}
