package logging_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"

	"example.com/orders/logging"
)

func ExampleMiddleware() {
	log := logging.New(os.Stdout, &slog.HandlerOptions{
		// Drop the time and duration so that this example prints the same
		// output on every run; a real service keeps them.
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "duration" {
				return slog.Attr{}
			}
			return a
		},
	})
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Only the context is passed: the request fields come with it.
		log.InfoContext(r.Context(), "order created", "order_id", "ord-1")
		w.WriteHeader(http.StatusCreated)
	})

	req := httptest.NewRequest("POST", "/orders", nil)
	req.Header.Set("X-Request-ID", "req-7")
	logging.Middleware(log)(api).ServeHTTP(httptest.NewRecorder(), req)
	// Output:
	// {"level":"INFO","msg":"order created","order_id":"ord-1","request_id":"req-7","method":"POST","path":"/orders"}
	// {"level":"INFO","msg":"request done","status":201,"request_id":"req-7","method":"POST","path":"/orders"}
}
