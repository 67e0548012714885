package order

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"time"
)

// Handler serves the order API over HTTP with JSON bodies.
type Handler struct {
	Store  Store
	Events Publisher
	Log    *slog.Logger
	// NewID and Now are fields so that tests and examples can make ids and
	// timestamps predictable.
	NewID func() string
	Now   func() time.Time
}

// NewHandler returns a Handler with random ids and the real clock.
func NewHandler(store Store, events Publisher, log *slog.Logger) *Handler {
	return &Handler{Store: store, Events: events, Log: log, NewID: rand.Text, Now: time.Now}
}

// --8<-- [start:routes]
// Register adds the API to mux, each route wrapped in the given middleware
// (the first one outermost).
// Since Go 1.22 a ServeMux pattern holds the method and path wildcards, so
// no router library is needed. Middleware applied per route runs after the
// mux has matched, so it can read the route from r.Pattern.
func (h *Handler) Register(mux *http.ServeMux,
	middleware ...func(http.Handler) http.Handler) {
	routes := map[string]http.HandlerFunc{
		"POST /orders":     h.create,
		"GET /orders/{id}": h.get,
	}
	for pattern, handler := range routes {
		var next http.Handler = handler
		for _, mw := range slices.Backward(middleware) {
			next = mw(next)
		}
		mux.Handle(pattern, next)
	}
}

// --8<-- [end:routes]

// --8<-- [start:create]
type createRequest struct {
	CustomerID string `json:"customer_id"`
	Items      []Item `json:"items"`
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	var req createRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	// a misspelt field is an error, not silently ignored
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeError(w,
			http.StatusBadRequest, "malformed JSON: "+err.Error(), nil)
		return
	}

	o := Order{ID: h.NewID(),
		CustomerID: req.CustomerID, Items: req.Items, CreatedAt: h.Now().UTC()}
	if err := o.Validate(); err != nil {
		var invalid *ValidationError
		errors.As(err, &invalid)
		writeError(w,
			http.StatusUnprocessableEntity, "invalid order", invalid.Problems)
		return
	}
	o.TotalCents = o.Total()

	// --8<-- [start:publish]
	// Publish before saving: if the bus is down the request fails and nothing
	// is half done. With a real database, use a transactional outbox instead
	// so that the order and its event are stored together.
	if err := h.Events.Publish(r.Context(), o.CreatedEvent()); err != nil {
		h.Log.ErrorContext(r.Context(),
			"publish order event", "order_id", o.ID, "err", err)
		writeError(w, http.StatusServiceUnavailable,
			"cannot accept orders right now, try again", nil)
		return
	}
	// --8<-- [end:publish]
	if err := h.Store.Save(r.Context(), o); err != nil {
		h.Log.ErrorContext(r.Context(),
			"save order", "order_id", o.ID, "err", err)
		writeError(w,
			http.StatusInternalServerError, "could not save the order", nil)
		return
	}

	h.Log.InfoContext(r.Context(),
		"order created", "order_id", o.ID, "total_cents", o.TotalCents)
	w.Header().Set("Location", "/orders/"+o.ID)
	writeJSON(w, http.StatusCreated, o)
}

// --8<-- [end:create]

func (h *Handler) get(w http.ResponseWriter, r *http.Request) {
	o, err := h.Store.Get(r.Context(), r.PathValue("id"))
	switch {
	case errors.Is(err, ErrNotFound):
		writeError(w, http.StatusNotFound, "order not found", nil)
	case err != nil:
		h.Log.ErrorContext(r.Context(), "get order", "err", err)
		writeError(w, http.StatusInternalServerError, "could not read the order", nil)
	default:
		writeJSON(w, http.StatusOK, o)
	}
}

type errorBody struct {
	Error    string   `json:"error"`
	Problems []string `json:"problems,omitempty"`
}

func writeError(w http.ResponseWriter, code int, msg string, problems []string) {
	writeJSON(w, code, errorBody{Error: msg, Problems: problems})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	// The status line is already sent, so an encoding error can only be
	// a broken connection; there is nobody left to tell.
	_ = json.NewEncoder(w).Encode(v)
}
