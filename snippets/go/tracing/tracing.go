// Package tracing sets up OpenTelemetry for a process: the TracerProvider
// that records and exports spans, and W3C Trace Context propagation, which
// carries a trace from one service to the next in the traceparent header.
package tracing

import (
	"context"
	"fmt"
	"os"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// Propagator reads and writes the W3C traceparent and baggage headers.
func Propagator() propagation.TextMapPropagator {
	return propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
}

// ShutdownTimeout bounds the flush of the last spans on shutdown.
const ShutdownTimeout = 5 * time.Second

// --8<-- [start:setup]

// Setup installs the global propagator and TracerProvider for service and
// returns a function that flushes buffered spans, within ShutdownTimeout;
// call it on shutdown and report its error.
//
// Spans are exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set,
// the variable every OpenTelemetry SDK reads. Without it nothing is exported,
// but the propagator still passes trace headers on, so a trace that started
// upstream is not cut off here.
func Setup(ctx context.Context,
	service string) (shutdown func(context.Context) error, err error) {
	otel.SetTextMapPropagator(Propagator())
	if os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" {
		return func(context.Context) error { return nil }, nil
	}

	// endpoint, headers etc. from OTEL_* variables
	exporter, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("tracing: %w", err)
	}
	// The name given here is a default: OTEL_SERVICE_NAME and
	// OTEL_RESOURCE_ATTRIBUTES (say, deployment.environment) come later
	// and win, as in every OpenTelemetry SDK.
	res, err := resource.New(ctx,
		resource.WithTelemetrySDK(),
		resource.WithAttributes(attribute.String("service.name", service)),
		resource.WithFromEnv(),
	)
	if err != nil {
		return nil, fmt.Errorf("tracing: %w", err)
	}
	tp := sdktrace.NewTracerProvider(
		// export in the background, never on the request path
		sdktrace.WithBatcher(exporter),
		sdktrace.WithResource(res),
	)
	otel.SetTracerProvider(tp)
	return func(ctx context.Context) error {
		// An unreachable collector must not hold up the pod's shutdown.
		ctx, cancel := context.WithTimeout(ctx, ShutdownTimeout)
		defer cancel()
		if err := tp.Shutdown(ctx); err != nil {
			return fmt.Errorf("tracing: flushing spans: %w", err)
		}
		return nil
	}, nil
}

// --8<-- [end:setup]
