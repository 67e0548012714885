package metrics_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"example.com/orders/metrics"
)

func TestMiddlewareRecordsRateErrorsAndDuration(t *testing.T) {
	reg := prometheus.NewPedanticRegistry() // also checks help texts and label consistency
	m := metrics.NewHTTP(reg)
	mux := http.NewServeMux()
	mux.Handle("POST /orders", m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("fail") {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusCreated)
	})))

	for _, target := range []string{"/orders", "/orders", "/orders?fail"} {
		mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", target, nil))
	}

	want := `
# HELP http_requests_total HTTP requests handled, by method, route and status code.
# TYPE http_requests_total counter
http_requests_total{code="201",method="POST",route="/orders"} 2
http_requests_total{code="503",method="POST",route="/orders"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "http_requests_total"); err != nil {
		t.Error(err)
	}
	// One histogram series (method, route) holding all three observations.
	if n, err := testutil.GatherAndCount(reg, "http_request_duration_seconds"); err != nil || n != 1 {
		t.Fatalf("%d duration series (%v), want 1", n, err)
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "http_request_duration_seconds" {
			continue
		}
		if got := f.GetMetric()[0].GetHistogram().GetSampleCount(); got != 3 {
			t.Errorf("%d durations observed, want 3", got)
		}
	}
}

func TestUnmatchedRequestsShareOneLabel(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := metrics.NewHTTP(reg)
	h := m.Middleware(http.NotFoundHandler()) // not behind a mux route: no pattern

	for _, path := range []string{"/wp-admin", "/.env", "/orders/../etc/passwd"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}

	want := `
# HELP http_requests_total HTTP requests handled, by method, route and status code.
# TYPE http_requests_total counter
http_requests_total{code="404",method="GET",route="unmatched"} 3
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "http_requests_total"); err != nil {
		t.Error(err)
	}
}
