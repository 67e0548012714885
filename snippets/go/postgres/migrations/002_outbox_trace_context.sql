-- The trace each event was created in (the W3C traceparent and
-- tracestate, as a JSON object), so that the relay, which publishes
-- later, continues the trace of the request that accepted the order.
-- Rows written before this migration have none and start a new trace.
ALTER TABLE outbox ADD COLUMN trace_context jsonb NOT NULL DEFAULT '{}';
