// Package pgtest runs a throw-away PostgreSQL server for tests: Debian's server
// binaries (initdb, pg_ctl) on a fresh folder and a random loopback port, stopped and
// deleted at the end. initdb refuses to run as root, so a root test process runs the
// server as the postgres OS user.
//
// A test package shares one server (Main in its TestMain) and gives every test its own
// database (Database), which keeps the tests apart and the suite fast. Under CI=true a
// server that cannot start fails the tests; elsewhere they are skipped with the reason.
package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrNoServer says no PostgreSQL server binaries were found.
var ErrNoServer = errors.New("pgtest: no PostgreSQL server binaries (install the postgresql package: scripts/setup)")

// superuser is the database superuser initdb creates; loopback connections trust it.
const superuser = "valv"

// Server is one running throw-away PostgreSQL.
type Server struct {
	dir  string // the folder holding data, log and nothing else
	bin  string // folder of initdb, pg_ctl, postgres
	port int
	as   string // OS user the server runs as ("" for the current one)
	dbs  atomic.Int64
}

// Start initialises a cluster in a new temporary folder and starts it on a free
// loopback port. Stop it (and delete the folder) with Stop.
func Start() (*Server, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	s := &Server{bin: bin}
	if os.Geteuid() == 0 {
		s.as = "postgres"
	}
	if s.dir, err = os.MkdirTemp("", "valv-pgtest-"); err != nil {
		return nil, err
	}
	if err := s.initCluster(); err != nil {
		return nil, errors.Join(err, os.RemoveAll(s.dir))
	}
	var startErr error
	for range 3 { // a port found free can be taken before the server binds it
		if s.port, startErr = freePort(); startErr != nil {
			break
		}
		if startErr = s.start(); startErr == nil {
			return s, nil
		}
	}
	return nil, errors.Join(startErr, os.RemoveAll(s.dir))
}

// binDir finds the server binaries: the newest /usr/lib/postgresql/N/bin (Debian), else
// initdb on PATH.
func binDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	if len(dirs) > 0 {
		return filepath.Dir(dirs[0]), nil
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", ErrNoServer
}

func version(pgctl string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(pgctl))))
	return n
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	return port, l.Close()
}

// command runs one of the server binaries, as the server's OS user.
func (s *Server) command(name string, args ...string) *exec.Cmd {
	path := filepath.Join(s.bin, name)
	if s.as != "" {
		return exec.Command("runuser", append([]string{"-u", s.as, "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

func (s *Server) runCmd(name string, args ...string) error {
	cmd := s.command(name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pgtest: %s: %w: %s", name, err, bytes.TrimSpace(out.Bytes()))
	}
	return nil
}

func (s *Server) data() string { return filepath.Join(s.dir, "data") }

// initCluster makes the data folder with a trusting superuser and settings for speed:
// the cluster is thrown away, so durability is not wanted.
func (s *Server) initCluster() error {
	if s.as != "" {
		u, err := user.Lookup(s.as)
		if err != nil {
			return fmt.Errorf("pgtest: running as root needs the %s user: %w", s.as, err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(s.dir, uid, gid); err != nil {
			return err
		}
	}
	if err := s.runCmd("initdb", "-D", s.data(), "-U", superuser, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		return err
	}
	conf, err := os.OpenFile(filepath.Join(s.data(), "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(conf, "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n",
		"fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 300\nshared_buffers = 32MB\n")
	return errors.Join(err, conf.Close())
}

func (s *Server) start() error {
	return s.runCmd("pg_ctl", "start", "-w", "-t", "30", "-D", s.data(), "-l", filepath.Join(s.dir, "log"),
		"-o", "-p "+strconv.Itoa(s.port))
}

// Stop stops the server at once and deletes its folder.
func (s *Server) Stop() error {
	err := s.runCmd("pg_ctl", "stop", "-m", "immediate", "-w", "-D", s.data())
	return errors.Join(err, os.RemoveAll(s.dir))
}

// URL is the connection URL of database db.
func (s *Server) URL(db string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", superuser, s.port, db)
}

// NewDatabase creates an empty database and returns its URL.
func (s *Server) NewDatabase() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		return "", err
	}
	name := fmt.Sprintf("t%d", s.dbs.Add(1))
	_, err = conn.Exec(ctx, "CREATE DATABASE "+name)
	if cerr := conn.Close(ctx); cerr != nil {
		err = errors.Join(err, cerr)
	}
	if err != nil {
		return "", fmt.Errorf("pgtest: create database: %w", err)
	}
	return s.URL(name), nil
}

// shared is the package's server, started by Main.
var shared struct {
	once sync.Once
	srv  *Server
	err  error
}

// Main runs a test package's tests with one shared server, started only when a test
// asks for it (Database), and stops it afterwards. Call it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
func Main(m *testing.M) int {
	code := m.Run()
	if shared.srv != nil {
		if err := shared.srv.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = max(code, 1)
		}
	}
	return code
}

// Shared returns the package's server, starting it on first use. Without one the test
// fails under CI=true and is skipped elsewhere.
func Shared(t testing.TB) *Server {
	t.Helper()
	shared.once.Do(func() { shared.srv, shared.err = Start() })
	if shared.err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL is needed under CI: %v", shared.err)
		}
		t.Skipf("no PostgreSQL server for this test: %v", shared.err)
	}
	return shared.srv
}

// Database returns the URL of a new empty database on the shared server.
func Database(t testing.TB) string {
	t.Helper()
	url, err := Shared(t).NewDatabase()
	if err != nil {
		t.Fatal(err)
	}
	return url
}
