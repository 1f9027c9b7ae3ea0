package db

import (
	"strings"
	"testing"
)

func TestRollupFillStatements(t *testing.T) {
	for _, d := range []Dialect{SQLite, Postgres} {
		all, err := RollupFill(d)
		if err != nil || len(all) != 3 {
			t.Fatalf("%s: %d statements, %v", d, len(all), err)
		}
		for _, st := range all {
			if !strings.HasPrefix(st, "INSERT INTO ") || strings.Contains(st, ";") {
				t.Errorf("%s: not one INSERT: %.80q", d, st)
			}
		}
		if m, _ := RollupFill(d, "member_rollup"); len(m) != 1 || !strings.HasPrefix(m[0], "INSERT INTO member_rollup (") {
			t.Errorf("%s: member_rollup fill: %d", d, len(m))
		}
	}
}
