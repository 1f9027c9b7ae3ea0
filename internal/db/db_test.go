package db_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/db/dbtest"
)

func TestMigrateIsIdempotentAndVersioned(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		n, err := d.Migrate(ctx)
		if err != nil || n != 0 {
			t.Fatalf("second migrate applied %d, err %v; want 0, nil", n, err)
		}
		if err := d.CheckSchema(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRefusesNewerSchema(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 'x')`, d.LatestVersion()+1); err != nil {
			t.Fatal(err)
		}
		var tooNew db.ErrSchemaTooNew
		if _, err := d.Migrate(ctx); !errors.As(err, &tooNew) {
			t.Fatalf("Migrate on a newer schema: %v, want ErrSchemaTooNew", err)
		}
		if err := d.CheckSchema(ctx); !errors.As(err, &tooNew) {
			t.Fatalf("CheckSchema on a newer schema: %v, want ErrSchemaTooNew", err)
		}
	})
}

func TestTxRollsBackOnError(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := d.InTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)`, "k", "v", time.Now().UTC()); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v", err)
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM settings`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("after rollback: %d rows, err %v; want 0", n, err)
		}
	})
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.Exec(ctx, `INSERT INTO audit_log (at, username, action, entity) VALUES (?, 'a', 'x', 'y')`, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `UPDATE audit_log SET username = 'b'`); err == nil {
			t.Fatal("UPDATE of audit_log succeeded; the log must be append-only")
		}
		if _, err := d.Exec(ctx, `DELETE FROM audit_log`); err == nil {
			t.Fatal("DELETE from audit_log succeeded; the log must be append-only")
		}
	})
}

func TestDatesAndTimesRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 22, 8, 30, 15, 123000000, time.UTC)
		var id int64
		err := d.InTx(ctx, func(tx *db.Tx) error {
			return tx.QueryRow(ctx, `INSERT INTO orgs (code, name, type, unit_type, path, depth, established_on, created_at, updated_at)
			VALUES ('X1', 'x', 'branch', 'other', '/', 0, ?, ?, ?) RETURNING id`, civil.New(2018, 3, 1), now, now).Scan(&id)
		})
		if err != nil {
			t.Fatal(err)
		}
		var est, dis civil.Date
		var created time.Time
		if err := d.QueryRow(ctx, `SELECT established_on, dissolved_on, created_at FROM orgs WHERE id = ?`, id).Scan(&est, &dis, &created); err != nil {
			t.Fatal(err)
		}
		if est.String() != "2018-03-01" || !dis.IsZero() || !created.Equal(now) {
			t.Fatalf("got %v %v %v", est, dis, created)
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM orgs WHERE established_on < ? AND created_at < ?`, civil.New(2019, 1, 1), now.Add(time.Second)).Scan(&n); err != nil || n != 1 {
			t.Fatalf("date comparison found %d, err %v", n, err)
		}
	})
}
