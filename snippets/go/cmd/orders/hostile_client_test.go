package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"example.com/orders/postgres/pgtest"
)

var httpClient = &http.Client{Timeout: 10 * time.Second}

const validOrder = `{"customer_id":"c-42",` +
	`"items":[{"sku":"BOOK-1","quantity":2,"price_cents":1500}]}`

type answer struct {
	status int
	header http.Header
	body   map[string]any
}

func post(t *testing.T, url, body string, header ...string) answer {
	t.Helper()
	req, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, header: resp.Header}
	data, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(data, &a.body); err != nil {
		t.Fatalf("POST answered %d with a body that is not JSON: %q",
			resp.StatusCode, data)
	}
	return a
}

// eventsInStream counts the order events JetStream has stored.
func eventsInStream(t *testing.T, natsURL string) uint64 {
	t.Helper()
	nc, err := nats.Connect(natsURL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	stream, err := js.Stream(t.Context(), "ORDERS")
	if err != nil {
		t.Fatal(err)
	}
	info, err := stream.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

func TestOrdersAPIRefusesHostileBodies(t *testing.T) {
	ns := startNATS(t, t.TempDir(), 0)
	p := startOrders(t, "NATS_URL="+ns.ClientURL())
	tests := []struct {
		name string
		body string
		want int
	}{
		{"a total that would overflow int64 is refused, not made negative",
			`{"customer_id":"c-1","items":[` +
				`{"sku":"A","quantity":2,"price_cents":4611686018427387904}]}`,
			http.StatusUnprocessableEntity},
		{"a quantity above the limit is refused",
			`{"customer_id":"c-1","items":[` +
				`{"sku":"A","quantity":1000000,"price_cents":1}]}`,
			http.StatusUnprocessableEntity},
		{"a valid order followed by more data is refused",
			validOrder + `{"customer_id":"c-2","items":[]}`,
			http.StatusBadRequest},
		{"a valid order followed by garbage is refused",
			validOrder + `garbage`, http.StatusBadRequest},
		{"a body above the size limit gets 413",
			`{"customer_id":"` + strings.Repeat("x", 2<<20) + `"}`,
			http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := post(t, p.url("/orders"), tt.body)
			if a.status != tt.want || a.body["error"] == "" {
				t.Errorf("status %d, body %v; want %d with an error",
					a.status, a.body, tt.want)
			}
		})
	}
	if n := eventsInStream(t, ns.ClientURL()); n != 0 {
		t.Errorf("%d events published for refused orders, want 0", n)
	}
}

func TestRetryWithTheSameIdempotencyKeyCreatesOneOrder(t *testing.T) {
	ns := startNATS(t, t.TempDir(), 0)
	p := startOrders(t, "NATS_URL="+ns.ClientURL())

	first := post(t, p.url("/orders"), validOrder, "Idempotency-Key", "k-1")
	// The client timed out and sends the same request again.
	again := post(t, p.url("/orders"), validOrder, "Idempotency-Key", "k-1")

	if first.status != http.StatusCreated || again.status != first.status ||
		again.body["id"] != first.body["id"] {
		t.Fatalf("first %d %v, retry %d %v: want the same order twice",
			first.status, first.body, again.status, again.body)
	}
	if again.header.Get("Idempotent-Replayed") != "true" {
		t.Error("the retry's answer is not marked Idempotent-Replayed: true")
	}
	p.waitFor(func() bool { return eventsInStream(t, ns.ClientURL()) >= 1 },
		"the event being published")
	time.Sleep(300 * time.Millisecond) // room for a wrong second event
	if n := eventsInStream(t, ns.ClientURL()); n != 1 {
		t.Errorf("%d events for one order, want 1 (one charge)", n)
	}
}

func TestSameIdempotencyKeyWithAnotherBodyIsRefused(t *testing.T) {
	ns := startNATS(t, t.TempDir(), 0)
	p := startOrders(t, "NATS_URL="+ns.ClientURL())

	post(t, p.url("/orders"), validOrder, "Idempotency-Key", "k-2")
	other := strings.Replace(validOrder, `"quantity":2`, `"quantity":3`, 1)
	a := post(t, p.url("/orders"), other, "Idempotency-Key", "k-2")

	msg, _ := a.body["error"].(string)
	if a.status != http.StatusUnprocessableEntity ||
		!strings.Contains(msg, "Idempotency-Key") {
		t.Errorf("status %d, body %v; want 422 naming the Idempotency-Key",
			a.status, a.body)
	}
}

// --8<-- [start:bus-down-test]

// NATS stops while the order service runs. An order still gets 201, and its
// event reaches the stream once NATS is back on the same port and store.
func TestOrderTakenWhileTheBusIsDownIsPublishedOnceItIsBack(t *testing.T) {
	store := t.TempDir()
	ns := startNATS(t, store, 0)
	port := ns.Addr().(*net.TCPAddr).Port
	p := startOrders(t, "NATS_URL="+ns.ClientURL())

	ns.Shutdown()
	ns.WaitForShutdown()
	a := post(t, p.url("/orders"), validOrder, "Idempotency-Key", "k-3")
	if a.status != http.StatusCreated {
		t.Fatalf("status %d %v while NATS is down, want 201: the order "+
			"and its event are stored, the event is sent later",
			a.status, a.body)
	}

	ns = startNATS(t, store, port)
	p.waitFor(func() bool { return eventsInStream(t, ns.ClientURL()) == 1 },
		"the event being published after NATS came back")
}

// --8<-- [end:bus-down-test]

// --8<-- [start:trickle-test]

// trickle starts a request whose body never arrives in full, as a slow or
// hostile client sends it, and returns the open connection.
func trickle(t *testing.T, addr string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "POST /orders HTTP/1.1\r\nHost: x\r\n"+
		"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
	go func() {
		for range 120 {
			time.Sleep(500 * time.Millisecond)
			if _, err := conn.Write([]byte(" ")); err != nil {
				return
			}
		}
	}()
	return conn
}

func TestShutdownWithATricklingClientExitsZeroInTime(t *testing.T) {
	ns := startNATS(t, t.TempDir(), 0)
	p := startOrders(t, "NATS_URL="+ns.ClientURL(), "SHUTDOWN_TIMEOUT=2s")
	trickle(t, p.addr)
	time.Sleep(300 * time.Millisecond) // the handler is reading the body

	p.signal(syscall.SIGTERM)
	code, took := p.wait(10 * time.Second)

	if code != 0 {
		t.Errorf("exit code %d after SIGTERM, want 0:\n%s", code, p.log())
	}
	if took > 5*time.Second {
		t.Errorf("shutdown took %s, want about SHUTDOWN_TIMEOUT (2s)", took)
	}
}

// --8<-- [end:trickle-test]

func TestSecondSignalCutsTheDrainShort(t *testing.T) {
	ns := startNATS(t, t.TempDir(), 0)
	p := startOrders(t, "NATS_URL="+ns.ClientURL(),
		"DRAIN_DELAY=1m", "SHUTDOWN_TIMEOUT=1m")
	trickle(t, p.addr)

	p.signal(syscall.SIGTERM)
	p.waitFor(func() bool { return strings.Contains(p.log(), "shutting down") },
		"shutdown starting")
	p.signal(syscall.SIGTERM)
	code, _ := p.wait(5 * time.Second)

	if code != 0 {
		t.Errorf("exit code %d, want 0:\n%s", code, p.log())
	}
}

func TestSlowBodyIsCutOffByTheReadTimeout(t *testing.T) {
	ns := startNATS(t, t.TempDir(), 0)
	p := startOrders(t, "NATS_URL="+ns.ClientURL(), "READ_TIMEOUT=1s")
	conn := trickle(t, p.addr)

	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err := io.Copy(io.Discard, conn) // until the server closes it
	var timeout net.Error
	if errors.As(err, &timeout) && timeout.Timeout() {
		t.Fatalf("connection still open after 5 s: %v", err)
	}
}

func TestOrdersInPostgreSQLSurviveARestartAndTheirEventsABusOutage(
	t *testing.T) {
	pg, err := pgtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Stop() })
	natsStore := t.TempDir()
	ns := startNATS(t, natsStore, 0)
	port := ns.Addr().(*net.TCPAddr).Port
	env := []string{"NATS_URL=" + ns.ClientURL(), "DATABASE_URL=" + pg.URL}
	p := startOrders(t, env...)

	ns.Shutdown()
	ns.WaitForShutdown()
	a := post(t, p.url("/orders"), validOrder, "Idempotency-Key", "k-pg")
	if a.status != http.StatusCreated {
		t.Fatalf("status %d %v, want 201 with NATS down", a.status, a.body)
	}
	if got := scrape(t, p)["orders_outbox_unsent_rows"]; got != 1 {
		t.Errorf("unsent rows in PostgreSQL = %g, want 1", got)
	}
	p.signal(syscall.SIGTERM)
	if code, _ := p.wait(30 * time.Second); code != 0 {
		t.Fatalf("exit code %d:\n%s", code, p.log())
	}

	ns = startNATS(t, natsStore, port)
	p = startOrders(t, env...)
	p.waitFor(func() bool { return eventsInStream(t, ns.ClientURL()) == 1 },
		"the stored event being published after the restart")
	p.waitFor(func() bool {
		return scrape(t, p)["orders_outbox_unsent_rows"] == 0
	}, "the PostgreSQL outbox reported empty")
	if got := get(p.url("/orders/" + a.body["id"].(string))); got != 200 {
		t.Errorf("GET the order after a restart: %d, want 200", got)
	}
}
