package metrics_test

import (
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"

	"example.com/orders/metrics"
)

// Three requests, one of them failing, and what Prometheus scrapes from
// /metrics afterwards (the duration histogram is left out of the output
// because its buckets depend on how fast the machine is).
func ExampleHTTP_Middleware() {
	reg := prometheus.NewRegistry()
	m := metrics.NewHTTP(reg)
	mux := http.NewServeMux()
	mux.Handle("GET /orders/{id}", m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "broken" {
			http.Error(w, "database down", http.StatusInternalServerError)
		}
	})))

	for _, path := range []string{"/orders/1", "/orders/2", "/orders/broken"} {
		mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}

	families, _ := reg.Gather()
	for _, f := range families {
		if f.GetName() == "http_requests_total" {
			expfmt.MetricFamilyToText(os.Stdout, f)
		}
	}
	// Output:
	// # HELP http_requests_total HTTP requests handled, by method, route and status code.
	// # TYPE http_requests_total counter
	// http_requests_total{code="200",method="GET",route="/orders/{id}"} 2
	// http_requests_total{code="500",method="GET",route="/orders/{id}"} 1
}
