// Package metrics records RED metrics for an HTTP service: the Rate of
// requests, how many of them are Errors, and their Duration. Together they
// answer "is the service working for its users?", and they are what the
// service's SLO is computed from (see snippets/prometheus).
package metrics

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// --8<-- [start:metrics]

// HTTP holds the RED metrics of one HTTP server.
type HTTP struct {
	requests *prometheus.CounterVec   // rate, and errors via code="5xx"
	duration *prometheus.HistogramVec // duration
}

// NewHTTP creates the metrics and registers them with reg.
func NewHTTP(reg prometheus.Registerer) *HTTP {
	m := &HTTP{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total",
			Help: "HTTP requests handled, by method, route and status code.",
		}, []string{"method", "route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_seconds",
			Help:    "Time to handle an HTTP request, by method and route.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// --8<-- [end:metrics]

// --8<-- [start:middleware]

// Middleware records every request to a route registered on an
// http.ServeMux. The route label is the mux pattern ("/orders/{id}"), not the
// URL path: a label value per order id would create a time series per order
// and overwhelm Prometheus.
func (m *HTTP) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		next.ServeHTTP(rec, r)

		route := routeOf(r.Pattern)
		m.requests.WithLabelValues(r.Method,
			route, strconv.Itoa(rec.status)).Inc()
		m.duration.WithLabelValues(r.Method,
			route).Observe(time.Since(start).Seconds())
	})
}

// --8<-- [end:middleware]

// routeOf drops the method from a pattern such as "GET /orders/{id}"; the
// method has its own label.
func routeOf(pattern string) string {
	if pattern == "" {
		return "unmatched"
	}
	if _, route, ok := strings.Cut(pattern, " "); ok {
		return route
	}
	return pattern
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
