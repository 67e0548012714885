package order

import (
	"cmp"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"time"
)

// Handler serves the order API over HTTP with JSON bodies.
type Handler struct {
	Store Store
	Log   *slog.Logger
	// NewID and Now are fields so that tests and examples can make ids and
	// timestamps predictable.
	NewID func() string
	Now   func() time.Time
}

// NewHandler returns a Handler with random ids and the real clock.
func NewHandler(store Store, log *slog.Logger) *Handler {
	return &Handler{Store: store, Log: log, NewID: rand.Text, Now: time.Now}
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

// MaxIdempotencyKeyLength bounds the Idempotency-Key header.
const MaxIdempotencyKeyLength = 255

func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	if len(key) > MaxIdempotencyKeyLength {
		writeError(w, http.StatusBadRequest, fmt.Sprintf(
			"Idempotency-Key is longer than %d bytes",
			MaxIdempotencyKeyLength), nil)
		return
	}
	req, status, err := decodeCreate(w, r)
	if err != nil {
		writeError(w, status, err.Error(), nil)
		return
	}

	o := Order{ID: h.NewID(), CustomerID: req.CustomerID,
		Items: req.Items, CreatedAt: h.Now().UTC()}
	if key != "" {
		o.ID = IDFromKey(key) // a retry cannot become a second order
	}
	if err := o.Validate(); err != nil {
		var invalid *ValidationError
		errors.As(err, &invalid)
		writeError(w, http.StatusUnprocessableEntity, "invalid order",
			invalid.Problems)
		return
	}
	o.TotalCents, _ = o.Total() // Validate has checked it fits

	// --8<-- [start:store-order]
	// The order and its event are stored in one step; the relay publishes
	// the event. A bus outage delays the event, it does not fail the order.
	o, replayed, err := h.Store.Create(r.Context(), o,
		Request{Key: key, Fingerprint: req.fingerprint()})
	switch {
	case errors.Is(err, ErrKeyReused):
		writeError(w, http.StatusUnprocessableEntity,
			"Idempotency-Key already used for a different order: "+
				"send a new key for a new order", nil)
		return
	case err != nil:
		h.Log.ErrorContext(r.Context(), "create order", "err", err)
		writeError(w, http.StatusServiceUnavailable,
			"could not save the order, try again", nil)
		return
	}
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	// --8<-- [end:store-order]

	h.Log.InfoContext(r.Context(), "order created", "order_id", o.ID,
		"total_cents", o.TotalCents, "replayed", replayed)
	w.Header().Set("Location", "/orders/"+o.ID)
	writeJSON(w, http.StatusCreated, o)
}

// --8<-- [end:create]

// --8<-- [start:decode]

// decodeCreate reads exactly one JSON object of at most MaxBodyBytes. On
// failure it returns the status to answer with.
func decodeCreate(w http.ResponseWriter, r *http.Request) (
	createRequest, int, error) {
	var req createRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	dec.DisallowUnknownFields() // a misspelt field is an error
	err := dec.Decode(&req)
	if err == nil {
		// A second value or garbage after the object would be ignored
		// silently by Decode alone: a client bug must not pass as valid.
		if _, next := dec.Token(); next != io.EOF {
			err = cmp.Or(next, errTrailingData)
		}
	}
	var tooLarge *http.MaxBytesError
	switch {
	case err == nil:
		return req, 0, nil
	case errors.As(err, &tooLarge):
		return req, http.StatusRequestEntityTooLarge, fmt.Errorf(
			"body larger than %d bytes", tooLarge.Limit)
	default:
		return req, http.StatusBadRequest,
			fmt.Errorf("malformed JSON: %w", err)
	}
}

var errTrailingData = errors.New("data after the JSON object")

// --8<-- [end:decode]

// --8<-- [start:key]

// IDFromKey derives an order id from an idempotency key, so that the
// order, its event id and the payment provider's idempotency key all
// follow from what the client sent, however often it sends it.
func IDFromKey(key string) string {
	sum := sha256.Sum256([]byte("order-id\x00" + key))
	return base32.StdEncoding.WithPadding(base32.NoPadding).
		EncodeToString(sum[:16])
}

// fingerprint hashes the decoded request, so that the same order sent
// with other spacing or field order is still the same request.
func (req createRequest) fingerprint() string {
	canonical, _ := json.Marshal(req) // cannot fail for these types
	sum := sha256.Sum256(canonical)
	return hex.EncodeToString(sum[:])
}

// --8<-- [end:key]

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
