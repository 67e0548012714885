// Package logging writes structured JSON logs in which every line written
// while serving a request carries that request's id, method and path, and
// the trace id when the request is traced.
package logging

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"go.opentelemetry.io/otel/trace"
)

// New returns a logger that writes one JSON object per line to w. A nil opts
// means level INFO.
func New(w io.Writer, opts *slog.HandlerOptions) *slog.Logger {
	return slog.New(ContextHandler{Handler: slog.NewJSONHandler(w, opts)})
}

type attrsKey struct{}

// With returns a copy of ctx whose log lines carry attrs as well.
func With(ctx context.Context, attrs ...slog.Attr) context.Context {
	existing, _ := ctx.Value(attrsKey{}).([]slog.Attr)
	// Clip so that appending never writes into the parent context's slice.
	return context.WithValue(ctx, attrsKey{}, append(slices.Clip(existing), attrs...))
}

// --8<-- [start:handler]

// ContextHandler adds the attributes stored in the context to each record.
// Putting them in the handler, rather than passing a child logger around,
// means any code that logs with a context gets them: log.InfoContext(ctx, ...).
type ContextHandler struct {
	slog.Handler
	// After a WithGroup, attributes added to a record land inside the
	// group, where a search for request_id misses them. So the handler
	// remembers what it was before the first group (root) and how to get
	// from there to now (steps), to put the context's attributes first.
	root  slog.Handler
	steps []func(slog.Handler) slog.Handler
}

// Handle adds the context's attributes and the trace id at the top level
// of the record, then writes it.
func (h ContextHandler) Handle(ctx context.Context, r slog.Record) error {
	attrs, _ := ctx.Value(attrsKey{}).([]slog.Attr)
	// The trace id turns a log line into a link to the whole request's trace.
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		attrs = append(slices.Clip(attrs),
			slog.String("trace_id", sc.TraceID().String()))
	}
	if len(h.steps) == 0 || len(attrs) == 0 {
		r.AddAttrs(attrs...)
		return h.Handler.Handle(ctx, r)
	}
	next := h.root.WithAttrs(attrs)
	for _, step := range h.steps {
		next = step(next)
	}
	return next.Handle(ctx, r)
}

// --8<-- [end:handler]

// WithAttrs keeps the wrapper: without it, logger.With(...) would return a
// plain handler that ignores the context.
func (h ContextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return h.then(func(next slog.Handler) slog.Handler {
		return next.WithAttrs(attrs)
	}, false)
}

// WithGroup keeps the wrapper for the same reason as WithAttrs.
func (h ContextHandler) WithGroup(name string) slog.Handler {
	return h.then(func(next slog.Handler) slog.Handler {
		return next.WithGroup(name)
	}, true)
}

// then applies step, and records it once a group has been opened.
func (h ContextHandler) then(step func(slog.Handler) slog.Handler,
	group bool) ContextHandler {
	out := ContextHandler{Handler: step(h.Handler), root: h.root,
		steps: h.steps}
	if len(h.steps) > 0 || group {
		if out.root == nil {
			out.root = h.Handler
		}
		out.steps = append(slices.Clip(h.steps), step)
	}
	return out
}

// --8<-- [start:middleware]

// Middleware gives each request an id and logs one line when it is done.
// A caller's X-Request-ID is kept, so one id follows a request through
// every service it passes; it is echoed in the response for bug reports.
func Middleware(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := r.Header.Get("X-Request-ID")
			// never trust a client with unbounded log data
			if id == "" || len(id) > 64 {
				id = rand.Text()
			}
			w.Header().Set("X-Request-ID", id)
			ctx := With(r.Context(),
				slog.String("request_id", id),
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
			)

			rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
			start := time.Now()
			next.ServeHTTP(rec, r.WithContext(ctx))
			log.InfoContext(ctx, "request done",
				slog.Int("status", rec.status),
				slog.Duration("duration", time.Since(start)),
			)
		})
	}
}

// --8<-- [end:middleware]

// statusRecorder remembers the status code the handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the real writer (to flush, or
// to set deadlines) through this wrapper.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
