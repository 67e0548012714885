package order

import (
	"context"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
)

// --8<-- [start:trace-context]

// TraceContext is the trace an event was created in, as the W3C headers
// carry it (traceparent, tracestate). The outbox stores it with the event,
// because the relay publishes later, outside the request: without it the
// trace of the order would end at the database.
type TraceContext map[string]string

// CaptureTrace returns the trace of ctx, or an empty TraceContext when
// ctx is not traced.
func CaptureTrace(ctx context.Context) TraceContext {
	tc := TraceContext{}
	otel.GetTextMapPropagator().Inject(ctx, propagation.MapCarrier(tc))
	return tc
}

// Continue returns ctx carrying the trace tc was captured in, so that a
// span started from it joins that trace.
func (tc TraceContext) Continue(ctx context.Context) context.Context {
	return otel.GetTextMapPropagator().Extract(ctx,
		propagation.MapCarrier(tc))
}

// --8<-- [end:trace-context]
