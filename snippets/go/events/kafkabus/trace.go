package kafkabus

import (
	"context"
	"strconv"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// tracer is asked of the global TracerProvider at each use, so that a
// provider installed later (by main, or by a test) is the one used.
func tracer() trace.Tracer {
	return otel.Tracer("example.com/orders/events/kafkabus")
}

// --8<-- [start:carrier]

// recordCarrier lets the propagator read and write a record's headers,
// which Kafka keeps as a list of key-value pairs.
type recordCarrier struct{ record *kgo.Record }

func (c recordCarrier) Get(key string) string {
	for _, h := range c.record.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}

func (c recordCarrier) Set(key, value string) {
	for i, h := range c.record.Headers {
		if h.Key == key {
			c.record.Headers[i].Value = []byte(value)
			return
		}
	}
	c.record.Headers = append(c.record.Headers,
		kgo.RecordHeader{Key: key, Value: []byte(value)})
}

func (c recordCarrier) Keys() []string {
	keys := make([]string, 0, len(c.record.Headers))
	for _, h := range c.record.Headers {
		keys = append(keys, h.Key)
	}
	return keys
}

// --8<-- [end:carrier]

// --8<-- [start:spans]

// startSend starts the producer span of sending record and puts its
// context in the record's headers, where the consumer finds it.
func startSend(ctx context.Context, record *kgo.Record,
	id string) (context.Context, trace.Span) {
	ctx, span := tracer().Start(ctx, "send "+Topic,
		trace.WithSpanKind(trace.SpanKindProducer),
		trace.WithAttributes(semconv.MessagingSystemKafka,
			semconv.MessagingDestinationName(Topic),
			semconv.MessagingOperationTypeSend,
			semconv.MessagingOperationName("send"),
			semconv.MessagingMessageID(id),
			semconv.MessagingKafkaMessageKey(string(record.Key))))
	otel.GetTextMapPropagator().Inject(ctx, recordCarrier{record})
	return ctx, span
}

// startProcess starts the consumer span of handling record as a child
// of the producer span in its headers.
func startProcess(ctx context.Context, record *kgo.Record,
	group string) (context.Context, trace.Span) {
	ctx = otel.GetTextMapPropagator().Extract(ctx, recordCarrier{record})
	return tracer().Start(ctx, "process "+record.Topic,
		trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(semconv.MessagingSystemKafka,
			semconv.MessagingDestinationName(record.Topic),
			semconv.MessagingOperationTypeProcess,
			semconv.MessagingOperationName("process"),
			semconv.MessagingConsumerGroupName(group),
			semconv.MessagingKafkaMessageKey(string(record.Key)),
			semconv.MessagingDestinationPartitionID(
				strconv.Itoa(int(record.Partition))),
			semconv.MessagingKafkaOffset(int(record.Offset))))
}

// --8<-- [end:spans]

// fail marks span as failed with err.
func fail(span trace.Span, err error) {
	span.RecordError(err)
	span.SetStatus(codes.Error, err.Error())
}
