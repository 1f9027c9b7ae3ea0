package db

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the dialect's migrations in order. Files are named NNNN_what.sql.
func migrations(d Dialect) ([]migration, error) {
	dir := "migrations/" + string(d)
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration file %s is not named NNNN_what.sql", e.Name())
		}
		b, err := migrationFiles.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migrations for %s skip from %d to %d", d, i, m.version)
		}
	}
	return ms, nil
}

// LatestVersion is the schema version this binary knows.
func (d *DB) LatestVersion() int {
	ms, _ := migrations(d.Dialect)
	return len(ms)
}

// SchemaVersion is the version the database is at (0 for an empty database).
func (d *DB) SchemaVersion(ctx context.Context) (int, error) {
	var exists bool
	q := `SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`
	if d.Dialect == Postgres {
		q = `SELECT to_regclass('schema_migrations') IS NOT NULL`
	}
	if err := d.write.QueryRowContext(ctx, q).Scan(&exists); err != nil {
		return 0, err
	}
	if !exists {
		return 0, nil
	}
	var v int
	err := d.write.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// ErrSchemaTooNew is returned when the database was migrated by a newer binary.
type ErrSchemaTooNew struct{ Have, Know int }

func (e ErrSchemaTooNew) Error() string {
	return fmt.Sprintf("数据库结构版本为 %d，而本程序只认识到版本 %d：请使用更新版本的 dangjian，不要用旧程序打开新数据库", e.Have, e.Know)
}

// Migrate brings the schema up to date, one transaction per migration, and refuses a schema
// newer than this binary. On PostgreSQL an advisory lock keeps several starting servers from
// migrating at once.
func (d *DB) Migrate(ctx context.Context) (applied int, err error) {
	ms, err := migrations(d.Dialect)
	if err != nil {
		return 0, err
	}
	if d.Dialect == Postgres {
		conn, err := d.write.Conn(ctx)
		if err != nil {
			return 0, err
		}
		defer conn.Close()
		const lockID = 0x64616e676a69616e // "dangjian"
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, int64(lockID)); err != nil {
			return 0, err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(lockID))
	}
	if _, err := d.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return 0, err
	}
	have, err := d.SchemaVersion(ctx)
	if err != nil {
		return 0, err
	}
	if have > len(ms) {
		return 0, ErrSchemaTooNew{Have: have, Know: len(ms)}
	}
	for _, m := range ms[have:] {
		err := d.InTx(ctx, func(tx *Tx) error {
			if _, err := tx.tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, time.Now().UTC().Format(time.RFC3339))
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("迁移 %s 失败: %w", m.name, err)
		}
		applied++
	}
	return applied, nil
}

// CheckSchema fails unless the database is exactly at this binary's version.
func (d *DB) CheckSchema(ctx context.Context) error {
	have, err := d.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	know := d.LatestVersion()
	switch {
	case have > know:
		return ErrSchemaTooNew{Have: have, Know: know}
	case have < know:
		return fmt.Errorf("数据库结构版本为 %d，需要 %d：请先运行 dangjian migrate", have, know)
	}
	return nil
}
