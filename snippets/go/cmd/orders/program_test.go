package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	natsserver "github.com/nats-io/nats-server/v2/server"
)

// The tests in this file run the real program, built once, against a real
// NATS server and talk HTTP to it, as a client in production would.

// --8<-- [start:build-once]

var ordersBinary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "orders-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ordersBinary = filepath.Join(dir, "orders")
	// Built as this test binary was: under -race the race detector watches
	// the real program too, and its packages are compiled only once.
	args := []string{"build", "-o", ordersBinary}
	if raceEnabled {
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, ".")...)
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// --8<-- [end:build-once]

// startNATS runs a NATS server with JetStream on a free port of 127.0.0.1.
// Starting it again with the same storeDir and port keeps its streams.
func startNATS(t *testing.T, storeDir string, port int) *natsserver.Server {
	t.Helper()
	if port == 0 {
		port = -1 // any free port
	}
	ns, err := natsserver.NewServer(&natsserver.Options{
		Host: "127.0.0.1", Port: port, JetStream: true,
		StoreDir: storeDir, NoSigs: true, NoLog: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("NATS server did not start")
	}
	t.Cleanup(ns.Shutdown)
	return ns
}

// program is the orders binary, running.
type program struct {
	t    *testing.T
	cmd  *exec.Cmd
	addr string // host:port of the API

	mu    sync.Mutex
	lines []string
	done  chan struct{}
}

// startOrders starts the binary with env (ADDR defaults to a free port) and
// waits until /startupz answers 200.
func startOrders(t *testing.T, env ...string) *program {
	t.Helper()
	cmd := exec.Command(ordersBinary)
	cmd.Env = append(os.Environ(),
		append([]string{"ADDR=127.0.0.1:0"}, env...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &program{t: t, cmd: cmd, done: make(chan struct{})}
	listening := make(chan string, 1)
	go func() {
		defer close(p.done)
		scanner := bufio.NewScanner(out)
		for scanner.Scan() {
			line := scanner.Text()
			p.mu.Lock()
			p.lines = append(p.lines, line)
			p.mu.Unlock()
			var entry struct{ Msg, Addr string }
			err := json.Unmarshal([]byte(line), &entry)
			if err == nil && entry.Msg == "listening" {
				listening <- entry.Addr
			}
		}
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	select {
	case p.addr = <-listening:
	case <-time.After(30 * time.Second):
		t.Fatalf("orders did not start listening:\n%s", p.log())
	}
	p.waitFor(func() bool { return get(p.url("/startupz")) == 200 }, "startup")
	return p
}

func (p *program) url(path string) string { return "http://" + p.addr + path }

func (p *program) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines, "\n")
}

func (p *program) waitFor(cond func() bool, what string) {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			p.t.Fatalf("%s did not happen within 30 s:\n%s", what, p.log())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (p *program) signal(sig syscall.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatal(err)
	}
}

// wait waits at most limit for the program to exit and returns its exit
// code and how long it took.
func (p *program) wait(limit time.Duration) (code int, took time.Duration) {
	p.t.Helper()
	start := time.Now()
	exited := make(chan error, 1)
	go func() { <-p.done; exited <- p.cmd.Wait() }()
	select {
	case <-exited:
		return p.cmd.ProcessState.ExitCode(), time.Since(start)
	case <-time.After(limit):
		p.t.Fatalf("still running %s after the signal:\n%s", limit, p.log())
		return 0, 0
	}
}

func get(url string) int {
	resp, err := httpClient.Get(url)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}
