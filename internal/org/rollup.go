package org

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"github.com/dangjian/dangjian/internal/db"
)

// Roll-ups (migration 0005): member_rollup and member_rollup_dims count the members of each
// 党委, 党工委, 党组 and 党总支's whole subtree by the dimensions of the roster filters and the
// structure statistics; org_rollup counts the organisations of every subtree by type and status.
// Triggers on members and orgs keep them current inside the transaction of every write, so a
// statistic of the province root reads a few thousand roll-up rows instead of counting four
// million members. internal/member/rollup.go reads them.

// HasRollup reports whether organisations of type t keep member roll-ups: the kinds above the
// 支部. A 支部's members are few and counted directly; a 党小组 has no members of its own.
func HasRollup(t Type) bool {
	return t == TypeCommittee || t == TypeWorkingCommittee || t == TypeLeadingGroup || t == TypeGeneralBranch
}

// rollupTriggers are the triggers that keep the roll-ups, by table.
var rollupTriggers = map[string][]string{
	"members": {"members_rollup_insert", "members_rollup_delete", "members_rollup_update"},
	"orgs":    {"orgs_rollup_insert", "orgs_rollup_delete", "orgs_rollup_update"},
}

var pgRollupTriggers = map[string][]string{
	"members": {"members_rollup", "members_rollup_update"},
	"orgs":    {"orgs_rollup", "orgs_rollup_update"},
}

// SuspendRollups switches off the roll-up triggers of table (members or orgs) for the rest of
// tx — a bulk load inserts millions of rows and then rebuilds the roll-ups once (RebuildRollups)
// instead of updating them row by row — and returns the function that switches them on again,
// which must run before tx commits. Nobody else sees them off: SQLite has one writer, and on
// PostgreSQL ALTER TABLE … DISABLE TRIGGER holds a lock that makes other writers of the table
// wait until tx ends (readers go on).
func SuspendRollups(ctx context.Context, tx *db.Tx, table string) (resume func() error, err error) {
	if tx.Dialect == db.Postgres {
		for _, t := range pgRollupTriggers[table] {
			if _, err := tx.Exec(ctx, `ALTER TABLE `+table+` DISABLE TRIGGER `+t); err != nil {
				return nil, err
			}
		}
		return func() error {
			for _, t := range pgRollupTriggers[table] {
				if _, err := tx.Exec(ctx, `ALTER TABLE `+table+` ENABLE TRIGGER `+t); err != nil {
					return err
				}
			}
			return nil
		}, nil
	}
	var defs []string
	for _, t := range rollupTriggers[table] {
		var def string
		if err := tx.QueryRow(ctx, `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?`, t).Scan(&def); err != nil {
			return nil, err
		}
		if _, err := tx.Exec(ctx, `DROP TRIGGER `+t); err != nil {
			return nil, err
		}
		defs = append(defs, def)
	}
	return func() error {
		for _, def := range defs {
			if _, err := tx.Exec(ctx, def); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// LockRollups serialises, on PostgreSQL, the transactions that change the counts of many members
// at once (an import, a move of several members or of a subtree): the roll-up triggers lock a
// row per key and ancestor, and two such transactions taking them in different orders could
// deadlock. Single-member writes lock their rows root first and need no such lock. A no-op on
// SQLite, which has one writer.
func LockRollups(ctx context.Context, tx *db.Tx) error {
	if tx.Dialect != db.Postgres {
		return nil
	}
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7365818274618238001)`)
	return err
}

// RebuildRollups recomputes the roll-ups of table (members: member_rollup and
// member_rollup_dims; orgs: org_rollup) from scratch, with the SQL of the migration.
func RebuildRollups(ctx context.Context, tx *db.Tx, table string) error {
	tables := []string{"member_rollup", "member_rollup_dims"}
	if table == "orgs" {
		tables = []string{"org_rollup"}
	}
	fill, err := db.RollupFill(tx.Dialect, tables...)
	if err != nil {
		return err
	}
	if tx.Dialect == db.Postgres {
		// The fill is one big hash aggregate: let it stay in memory.
		if _, err := tx.Exec(ctx, `SET LOCAL work_mem = '256MB'`); err != nil {
			return err
		}
	} else {
		// The fill sorts millions of keys: let SQLite's sorter use a helper thread per CPU.
		if _, err := tx.Exec(ctx, fmt.Sprintf(`PRAGMA threads = %d`, runtime.GOMAXPROCS(0))); err != nil {
			return err
		}
		defer tx.Exec(context.WithoutCancel(ctx), `PRAGMA threads = 0`)
	}
	for _, t := range tables {
		if _, err := tx.Exec(ctx, `DELETE FROM `+t); err != nil {
			return err
		}
	}
	for _, st := range fill {
		if _, err := tx.Exec(ctx, st); err != nil {
			return err
		}
	}
	return nil
}

// CountByType counts the active organisations of the subtrees at roots (org ids; each subtree
// includes its root) by type, from org_rollup, in the order of the type list; types with none
// are left out.
func CountByType(ctx context.Context, q db.Querier, roots []int64) ([]Count, error) {
	out := []Count{}
	if len(roots) == 0 {
		return out, nil
	}
	rows, err := q.Query(ctx, `SELECT type, CAST(SUM(n) AS BIGINT) FROM org_rollup WHERE org_id IN (`+idList(roots)+`) AND status = 'active' GROUP BY type`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	by := map[string]int{}
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			return nil, err
		}
		by[t] += n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, o := range typeNames {
		if n := by[o.Code]; n > 0 {
			out = append(out, Count{o.Code, o.Name, n})
		}
	}
	return out, nil
}

// idList formats ids for an IN list (integers we format ourselves, so inlining them is safe).
func idList(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}
