// Package pgtest starts a throwaway PostgreSQL server for tests, from the
// binaries of Debian's postgresql-15 package, the way the tests start an
// embedded NATS server: in a temporary folder, on a Unix socket inside it
// (so no port can clash), removed again on Stop.
package pgtest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
)

// Bin is where Debian installs the server binaries (not on PATH).
const Bin = "/usr/lib/postgresql/15/bin"

// Server is a running PostgreSQL server.
type Server struct {
	// URL connects as the superuser "app" to the database "postgres".
	URL string
	dir string
}

// --8<-- [start:start]

// Start initialises a database cluster in a new temporary folder and
// starts a server on it. PostgreSQL refuses to run as root, so as root it
// runs as the postgres user that the package creates.
func Start() (*Server, error) {
	if _, err := os.Stat(filepath.Join(Bin, "initdb")); err != nil {
		return nil, fmt.Errorf("pgtest: %w: install Debian's postgresql-15 "+
			"package (make setup does)", err)
	}
	dir, err := os.MkdirTemp("", "pg-")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir}
	if err := s.chownToRunner(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	data := filepath.Join(dir, "data")
	if err := s.run("initdb", "-D", data, "-A", "trust", "-U", "app",
		"--no-sync"); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	opts := "-k " + dir + " -c listen_addresses= -c fsync=off"
	if err := s.run("pg_ctl", "-D", data, "-o", opts, "-l",
		filepath.Join(dir, "log"), "-w", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("%w\n%s", err, log)
	}
	s.URL = "postgres://app@/postgres?host=" + dir
	return s, nil
}

// --8<-- [end:start]

// Stop stops the server and removes its folder.
func (s *Server) Stop() error {
	err := s.run("pg_ctl", "-D", filepath.Join(s.dir, "data"),
		"-m", "immediate", "-w", "stop")
	return errors.Join(err, os.RemoveAll(s.dir))
}

func (s *Server) run(name string, args ...string) error {
	cmd := exec.Command(filepath.Join(Bin, name), args...)
	if os.Geteuid() == 0 {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres",
			"--", filepath.Join(Bin, name)}, args...)...)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pgtest: %s: %w\n%s", name, err, out)
	}
	return nil
}

func (s *Server) chownToRunner() error {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("pgtest: %w (the postgresql-15 package creates it)",
			err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return os.Chown(s.dir, uid, gid)
}
