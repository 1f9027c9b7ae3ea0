// Package dbtest gives tests a fresh, migrated database on each engine the platform supports,
// so one store test suite runs on SQLite and on PostgreSQL alike.
//
// PostgreSQL is required: a missing server fails the test. Set DANGJIAN_TEST_POSTGRES to the
// server's URL (default postgres://postgres@127.0.0.1:5432/test); set DANGJIAN_TEST_SKIP_POSTGRES=1
// only on a laptop without one, never in CI.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/dangjian/dangjian/internal/db"
)

// PostgresURL is the server the tests use.
func PostgresURL() string {
	if u := os.Getenv("DANGJIAN_TEST_POSTGRES"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// Each runs fn as a subtest on a fresh SQLite database and a fresh PostgreSQL schema.
func Each(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite opens a migrated database in a temporary directory.
func SQLite(t testing.TB) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return d
}

// Postgres opens a migrated database in a schema of its own, dropped when the test ends.
func Postgres(t testing.TB) *db.DB {
	t.Helper()
	dsn, err := PostgresSchema(t)
	if err != nil {
		t.Fatal(err)
	}
	if dsn == "" {
		return nil
	}
	d, err := db.Open(context.Background(), dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return d
}

// PostgresSchema creates an empty schema and returns a URL whose connections use it.
// Tests that start whole servers use it to point several processes at one database.
func PostgresSchema(t testing.TB) (string, error) {
	t.Helper()
	if os.Getenv("DANGJIAN_TEST_SKIP_POSTGRES") == "1" {
		t.Skip("DANGJIAN_TEST_SKIP_POSTGRES=1: PostgreSQL tests skipped (never in CI)")
	}
	base := PostgresURL()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	if err := admin.Ping(); err != nil {
		t.Fatalf("PostgreSQL is required for this test and is not reachable at %s: %v\n"+
			"start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set DANGJIAN_TEST_POSTGRES", base, err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		return "", err
	}
	t.Cleanup(func() {
		c, err := sql.Open("pgx", base)
		if err == nil {
			c.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			c.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// TempDir is a data directory for a test.
func TempDir(t testing.TB) string { return filepath.Join(t.TempDir(), "data") }
