package logging_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/trace"

	"example.com/orders/logging"
)

// lines decodes every JSON log line in buf.
func lines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.Lines(buf.String()) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func TestMiddlewareAddsRequestFieldsToEveryLine(t *testing.T) {
	var buf bytes.Buffer
	log := logging.New(&buf, nil)
	handler := logging.Middleware(log)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.WarnContext(r.Context(), "payment slow")
		w.WriteHeader(http.StatusAccepted)
	}))

	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest("GET", "/orders/o-1", nil))

	got := lines(t, &buf)
	if len(got) != 2 {
		t.Fatalf("got %d log lines, want 2: %s", len(got), buf.String())
	}
	id := rec.Header().Get("X-Request-ID")
	if id == "" {
		t.Fatal("no X-Request-ID in the response")
	}
	for _, line := range got {
		for key, want := range map[string]any{"request_id": id, "method": "GET", "path": "/orders/o-1"} {
			if line[key] != want {
				t.Errorf("%s = %v in %v, want %v", key, line[key], line, want)
			}
		}
		if _, ok := line["time"]; !ok {
			t.Errorf("no time in %v", line)
		}
	}
	if got[0]["level"] != "WARN" || got[0]["msg"] != "payment slow" {
		t.Errorf("first line = %v, want the handler's warning", got[0])
	}
	if got[1]["status"] != float64(http.StatusAccepted) || got[1]["duration"] == nil {
		t.Errorf("last line = %v, want status 202 and a duration", got[1])
	}
}

func TestMiddlewareReplacesAnOversizedRequestID(t *testing.T) {
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("X-Request-ID", strings.Repeat("x", 65))
	rec := httptest.NewRecorder()
	logging.Middleware(logging.New(&bytes.Buffer{}, nil))(http.NotFoundHandler()).ServeHTTP(rec, req)

	if id := rec.Header().Get("X-Request-ID"); len(id) > 64 {
		t.Errorf("request id of %d bytes was kept", len(id))
	}
}

func TestTraceIDIsLogged(t *testing.T) {
	var buf bytes.Buffer
	log := logging.New(&buf, nil)
	traceID := trace.TraceID{0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36}
	sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: traceID, SpanID: trace.SpanID{1}})
	ctx := trace.ContextWithSpanContext(context.Background(), sc)

	log.With("component", "worker").InfoContext(ctx, "charged")

	line := lines(t, &buf)[0]
	if line["trace_id"] != "4bf92f3577b34da6a3ce929d0e0e4736" || line["component"] != "worker" {
		t.Errorf("line = %v, want trace_id and the logger's own attribute", line)
	}
}

func TestWithDoesNotLeakIntoTheParentContext(t *testing.T) {
	var buf bytes.Buffer
	log := logging.New(&buf, &slog.HandlerOptions{})
	parent := logging.With(context.Background(), slog.String("a", "1"))
	_ = logging.With(parent, slog.String("b", "2"))

	log.InfoContext(parent, "parent")

	if line := lines(t, &buf)[0]; line["b"] != nil {
		t.Errorf("parent line = %v: it has the child's attribute", line)
	}
}

func TestContextAttributesStayAtTheTopLevelInsideAGroup(t *testing.T) {
	var buf bytes.Buffer
	log := logging.New(&buf, nil).With("service", "orders").
		WithGroup("payment").With("provider", "psp")
	ctx := logging.With(t.Context(), slog.String("request_id", "r-1"))

	log.InfoContext(ctx, "charged", "amount_cents", 3000)

	line := lines(t, &buf)[0]
	payment, _ := line["payment"].(map[string]any)
	if line["request_id"] != "r-1" || line["service"] != "orders" ||
		payment["provider"] != "psp" || payment["amount_cents"] != 3000.0 ||
		payment["request_id"] != nil {
		t.Errorf("log line %v: request_id must be at the top level, "+
			"the rest where it was", line)
	}
}
