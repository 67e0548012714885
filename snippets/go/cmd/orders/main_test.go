package main

import (
	"debug/elf"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// --8<-- [start:static-test]

// The container image holds nothing but this binary, so it must not need a
// dynamic loader or a C library at run time. With CGO_ENABLED=0 the Go
// toolchain produces such a binary for any target, without a C compiler.
func TestBinaryIsStaticallyLinked(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "orders")
	build := exec.Command("go", "build", "-trimpath", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("program header %s: the binary needs a dynamic loader",
				p.Type)
		}
	}
	if f.Section(".dynamic") != nil {
		t.Error("the binary has a .dynamic section")
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary links %v", libs)
	}
}

// --8<-- [end:static-test]

func TestConfigDefaultsWorkOnALaptop(t *testing.T) {
	cfg, err := loadConfig(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	want := config{addr: ":8080", natsURL: "nats://127.0.0.1:4222",
		logLevel: slog.LevelInfo, shutdownTimeout: 20 * time.Second,
		readTimeout: 10 * time.Second}
	if cfg != want {
		t.Errorf("defaults = %+v, want %+v", cfg, want)
	}
}

func TestConfigFromEnvironment(t *testing.T) {
	env := map[string]string{"ADDR": ":9000", "NATS_URL": "nats://nats:4222",
		"LOG_LEVEL": "debug", "DRAIN_DELAY": "3s",
		"SHUTDOWN_TIMEOUT": "7s", "READ_TIMEOUT": "2s"}
	cfg, err := loadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	want := config{addr: ":9000", natsURL: "nats://nats:4222",
		logLevel: slog.LevelDebug, drainDelay: 3 * time.Second,
		shutdownTimeout: 7 * time.Second, readTimeout: 2 * time.Second}
	if cfg != want {
		t.Errorf("config = %+v, want %+v", cfg, want)
	}

	for key, bad := range map[string]string{"LOG_LEVEL": "loud",
		"DRAIN_DELAY": "5", "SHUTDOWN_TIMEOUT": "x"} {
		if _, err := loadConfig(func(k string) string { return map[string]string{key: bad}[k] }); err == nil {
			t.Errorf("%s=%s was accepted", key, bad)
		}
	}
}
