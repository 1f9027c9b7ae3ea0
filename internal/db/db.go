// Package db opens the platform's database — embedded SQLite by default, PostgreSQL for large
// deployments — and runs its versioned migrations. Store code writes SQL once with `?`
// placeholders; the DB and Tx methods rewrite them for PostgreSQL.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // also registers "pgx"
	_ "modernc.org/sqlite"           // registers "sqlite"; cgo-free, so the binary builds anywhere
)

// Dialect names the SQL engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the platform's handle on its database. SQLite allows one writer at a time, so writes go
// through a pool of one connection (BEGIN IMMEDIATE) and reads through a pool of readers; on
// PostgreSQL both are the same pool.
type DB struct {
	Dialect Dialect
	read    *sql.DB
	write   *sql.DB
	// Trace, when set, sees every read (Query, QueryRow) with its arguments, as sent; the
	// benchmarks use it to show the query plans of what a request runs. Set it before use.
	Trace func(query string, args []any)
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database named by dsn: a postgres:// URL, or else a SQLite file path
// (empty means dangjian.db in dataDir).
func Open(ctx context.Context, dsn, dataDir string) (*DB, error) {
	if IsPostgres(dsn) {
		return openPostgres(ctx, dsn)
	}
	path := dsn
	if path == "" {
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return nil, fmt.Errorf("无法创建数据目录 %s: %w", dataDir, err)
		}
		path = filepath.Join(dataDir, "dangjian.db")
	}
	return openSQLite(ctx, path)
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	pragmas := "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_time_format=sqlite"
	write, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	read, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, err
	}
	n := max(4, runtime.NumCPU()*2)
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	read.SetConnMaxLifetime(0)
	d := &DB{Dialect: SQLite, read: read, write: write}
	if err := write.PingContext(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("无法打开 SQLite 数据库 %s: %w", path, err)
	}
	return d, nil
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	// pgx prepares and caches statements; after five runs PostgreSQL may switch a prepared
	// statement to a generic plan, blind to its parameters — and a roster filtered by an age
	// band, fast with the dates known, then scans a birth-date range of millions of rows. Plan
	// every execution for its values (the planning costs well under a millisecond).
	if _, set := cfg.RuntimeParams["plan_cache_mode"]; !set {
		cfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	}
	pool := stdlib.OpenDB(*cfg)
	pool.SetMaxOpenConns(max(8, runtime.NumCPU()*4))
	pool.SetMaxIdleConns(max(8, runtime.NumCPU()*4))
	pool.SetConnMaxIdleTime(5 * time.Minute)
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("无法连接 PostgreSQL: %w", err)
	}
	return &DB{Dialect: Postgres, read: pool, write: pool}, nil
}

// Close closes the pools.
func (d *DB) Close() error {
	err := d.read.Close()
	if d.write != d.read {
		err = errors.Join(err, d.write.Close())
	}
	return err
}

// Rebind rewrites `?` placeholders as `$1, $2 …` for PostgreSQL. Store SQL never puts a `?`
// inside a string literal, so a plain scan is enough.
func (d *DB) Rebind(q string) string { return rebind(d.Dialect, q) }

func rebind(dialect Dialect, q string) string {
	if dialect != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// Query runs a read on the reader pool.
func (d *DB) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = d.Rebind(q)
	if d.Trace != nil {
		d.Trace(q, args)
	}
	return d.read.QueryContext(ctx, q, args...)
}

// QueryRow runs a single-row read on the reader pool.
func (d *DB) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	q = d.Rebind(q)
	if d.Trace != nil {
		d.Trace(q, args)
	}
	return d.read.QueryRowContext(ctx, q, args...)
}

// Exec runs one write statement outside an explicit transaction.
func (d *DB) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return d.write.ExecContext(ctx, d.Rebind(q), args...)
}

// Raw gives the underlying pools to code that needs driver features (bulk loads, benchmarks).
func (d *DB) Raw() (read, write *sql.DB) { return d.read, d.write }

// Tx is a write transaction; its methods rebind placeholders like DB's.
type Tx struct {
	tx      *sql.Tx
	conn    *sql.Conn // set by InConnTx: the connection the transaction runs on
	Dialect Dialect
}

// Raw runs fn with the driver connection the transaction runs on (a *stdlib.Conn on
// PostgreSQL, for COPY); only transactions begun by InConnTx have one. Statements fn sends
// through it are part of the transaction.
func (t *Tx) Raw(fn func(driverConn any) error) error {
	if t.conn == nil {
		return errors.New("db: Raw needs a transaction begun by InConnTx")
	}
	return t.conn.Raw(fn)
}

func (t *Tx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, rebind(t.Dialect, q), args...)
}

func (t *Tx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, rebind(t.Dialect, q), args...)
}

func (t *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, rebind(t.Dialect, q), args...)
}

// Prepare prepares a statement inside the transaction (bulk paths).
func (t *Tx) Prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	return t.tx.PrepareContext(ctx, rebind(t.Dialect, q))
}

// InTx runs fn in a write transaction: committed when fn returns nil, rolled back otherwise,
// so a failure half-way leaves the database as it was.
func (d *DB) InTx(ctx context.Context, fn func(*Tx) error) (err error) {
	sqlTx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	if err = fn(&Tx{tx: sqlTx, Dialect: d.Dialect}); err != nil {
		return err
	}
	return sqlTx.Commit()
}

// InConnTx is InTx on a connection of its own, so that fn may also use the driver connection
// (Tx.Raw) — bulk loads stream rows with COPY on PostgreSQL.
func (d *DB) InConnTx(ctx context.Context, fn func(*Tx) error) (err error) {
	conn, err := d.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	if err = fn(&Tx{tx: sqlTx, conn: conn, Dialect: d.Dialect}); err != nil {
		return err
	}
	return sqlTx.Commit()
}

// Querier is what DB and Tx share, for helpers that read inside or outside a transaction.
type Querier interface {
	Query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, q string, args ...any) *sql.Row
}

// IsUniqueViolation reports whether err is a unique-constraint failure on either engine.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// IsForeignKeyViolation reports whether err is a foreign-key failure on either engine: a row
// elsewhere still refers to the one being deleted.
func IsForeignKeyViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "FOREIGN KEY constraint failed") || strings.Contains(s, "SQLSTATE 23503")
}

// StringAgg is the dialect's aggregate joining expr with sep (a literal without quotes) in
// order of orderBy.
func (d *DB) StringAgg(expr, sep, orderBy string) string {
	if d.Dialect == Postgres {
		return "string_agg(" + expr + ", '" + sep + "' ORDER BY " + orderBy + ")"
	}
	return "GROUP_CONCAT(" + expr + ", '" + sep + "')"
}
