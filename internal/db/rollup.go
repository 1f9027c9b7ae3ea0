package db

import (
	"fmt"
	"strings"
)

// rollupMigration is the migration that creates the roll-up tables (member_rollup,
// member_rollup_dims, org_rollup) and the triggers that keep them; its last part fills them from
// the data already there.
const (
	rollupMigration = "0005_rollups.sql"
	rollupFillMark  = "-- The roll-ups of the data already there"
)

// RollupFill returns the statements that fill the roll-up tables named (org_rollup,
// member_rollup, member_rollup_dims; none named: all three) from orgs and members — the SQL the
// migration ran, so a rebuild after a bulk load and the migration cannot disagree. The tables
// must be emptied first.
func RollupFill(d Dialect, tables ...string) ([]string, error) {
	b, err := migrationFiles.ReadFile("migrations/" + string(d) + "/" + rollupMigration)
	if err != nil {
		return nil, err
	}
	_, fill, ok := strings.Cut(string(b), rollupFillMark)
	if _, rest, found := strings.Cut(fill, "\n"); found {
		fill = rest // the rest of the marker's line
	}
	if !ok {
		return nil, fmt.Errorf("db: %s has no %q section", rollupMigration, rollupFillMark)
	}
	var out []string
	for _, st := range strings.Split(fill, ";\n") {
		var lines []string
		for _, l := range strings.Split(st, "\n") {
			if !strings.HasPrefix(strings.TrimSpace(l), "--") {
				lines = append(lines, l)
			}
		}
		st = strings.TrimSpace(strings.Join(lines, "\n"))
		if st == "" {
			continue
		}
		keep := len(tables) == 0
		for _, t := range tables {
			keep = keep || strings.HasPrefix(st, "INSERT INTO "+t+" ")
		}
		if keep {
			out = append(out, st)
		}
	}
	return out, nil
}
