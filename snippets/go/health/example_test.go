package health_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"example.com/orders/health"
)

func probe(mux *http.ServeMux, path string) {
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	fmt.Printf("%s %d %s", path, rec.Code, rec.Body.String())
}

// NATS goes down: the pod stops getting traffic (readyz 503) but is not
// restarted (livez 200), because a restart cannot bring NATS back.
func ExampleHealth() {
	natsUp := true
	h := health.New()
	h.AddReadinessCheck("nats", func(context.Context) error {
		if !natsUp {
			return errors.New("nats: connection closed")
		}
		return nil
	})
	mux := http.NewServeMux()
	h.Register(mux)

	probe(mux, "/startupz")
	h.MarkStarted()
	probe(mux, "/startupz")
	probe(mux, "/readyz")

	natsUp = false
	probe(mux, "/livez")
	probe(mux, "/readyz")
	// Output:
	// /startupz 503 starting
	// /startupz 200 ok
	// /readyz 200 [+]nats ok
	// /livez 200 ok
	// /readyz 503 [-]nats failed: nats: connection closed
}
