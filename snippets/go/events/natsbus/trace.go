package natsbus

import (
	"context"
	"maps"
	"slices"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// tracer is asked of the global TracerProvider at each use, so that a
// provider installed later (by main, or by a test) is the one used.
func tracer() trace.Tracer {
	return otel.Tracer("example.com/orders/events/natsbus")
}

// system is messaging.system for NATS, which OpenTelemetry's semantic
// conventions leave to the instrumentation to name.
var system = semconv.MessagingSystemKey.String("nats")

// --8<-- [start:carrier]

// headerCarrier lets the propagator read and write NATS headers. NATS
// keeps the case of a key, unlike http.Header, so the header is
// traceparent exactly as W3C Trace Context spells it.
type headerCarrier nats.Header

func (h headerCarrier) Get(key string) string {
	return nats.Header(h).Get(key)
}

func (h headerCarrier) Set(key, value string) {
	nats.Header(h).Set(key, value)
}

func (h headerCarrier) Keys() []string {
	return slices.Collect(maps.Keys(h))
}

// --8<-- [end:carrier]

// --8<-- [start:send-span]

// startSend starts the producer span of publishing msg, whose message id
// is id, and puts its context in msg's headers, where the consumer finds
// it.
func startSend(ctx context.Context, msg *nats.Msg,
	id string) (context.Context, trace.Span) {
	ctx, span := tracer().Start(ctx, "publish "+msg.Subject,
		trace.WithSpanKind(trace.SpanKindProducer),
		trace.WithAttributes(system,
			semconv.MessagingDestinationName(msg.Subject),
			semconv.MessagingOperationTypeSend,
			semconv.MessagingOperationName("publish"),
			semconv.MessagingMessageID(id)))
	otel.GetTextMapPropagator().Inject(ctx, headerCarrier(msg.Header))
	return ctx, span
}

// --8<-- [end:send-span]

// --8<-- [start:process-span]

// startProcess starts the consumer span of handling msg as a child of
// the producer span in its headers: the worker's work, and the calls it
// makes, join the trace of the request that created the event.
func startProcess(ctx context.Context, msg jetstream.Msg,
	durable string) (context.Context, trace.Span) {
	headers := msg.Headers()
	ctx = otel.GetTextMapPropagator().Extract(ctx, headerCarrier(headers))
	attrs := []attribute.KeyValue{system,
		semconv.MessagingDestinationName(msg.Subject()),
		semconv.MessagingOperationTypeProcess,
		semconv.MessagingOperationName("process"),
		semconv.MessagingConsumerGroupName(durable),
		semconv.MessagingMessageID(headers.Get(jetstream.MsgIDHeader)),
	}
	if meta, err := msg.Metadata(); err == nil {
		attrs = append(attrs, attribute.Int("messaging.nats.delivery",
			int(meta.NumDelivered)))
	}
	return tracer().Start(ctx, "process "+msg.Subject(),
		trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(attrs...))
}

// --8<-- [end:process-span]

// fail marks span as failed with err.
func fail(span trace.Span, err error) {
	span.RecordError(err)
	span.SetStatus(codes.Error, err.Error())
}
