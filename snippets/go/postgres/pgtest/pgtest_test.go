package pgtest_test

import (
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"example.com/orders/postgres/pgtest"
)

func TestServerAnswersThenLeavesNothingBehind(t *testing.T) {
	s, err := pgtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(t.Context(), s.URL)
	if err != nil {
		s.Stop()
		t.Fatal(err)
	}
	var version string
	err = conn.QueryRow(t.Context(), "SHOW server_version").Scan(&version)
	conn.Close(t.Context())
	if err != nil || !strings.HasPrefix(version, "15.") {
		t.Errorf("server_version = %q, %v; want 15.x", version, err)
	}

	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	dir := strings.TrimPrefix(s.URL, "postgres://app@/postgres?host=")
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s still exists after Stop (%v)", dir, err)
	}
}
