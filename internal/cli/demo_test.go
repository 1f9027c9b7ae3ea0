package cli

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// dangjian demo loads the tree and its members, and says how many.
func TestDemoLoadsOrgsAndMembers(t *testing.T) {
	dir := t.TempDir()
	var out, errs bytes.Buffer
	a := &App{Stdout: &out, Stderr: &errs}
	if code := a.Run(context.Background(), []string{"--data", dir, "demo", "--area", "430702"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	m := regexp.MustCompile(`已生成党员 ([\d,]+) 名`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no member count in:\n%s", out.String())
	}
	said, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))

	d, err := sql.Open("sqlite", filepath.Join(dir, "dangjian.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var members, branchesWithout, counted int
	if err := d.QueryRow(`SELECT COUNT(*) FROM members`).Scan(&members); err != nil {
		t.Fatal(err)
	}
	if err := d.QueryRow(`SELECT COUNT(*) FROM orgs o WHERE o.type IN ('branch', 'joint_branch', 'temporary_branch')
		AND NOT EXISTS (SELECT 1 FROM members m WHERE m.org_id = o.id)`).Scan(&branchesWithout); err != nil {
		t.Fatal(err)
	}
	if err := d.QueryRow(`SELECT COALESCE(SUM(full_members + probationary_members), 0) FROM orgs
		WHERE type IN ('branch', 'joint_branch', 'temporary_branch')`).Scan(&counted); err != nil {
		t.Fatal(err)
	}
	// The member demo account opens a member's own record.
	var linked int
	if err := d.QueryRow(`SELECT COUNT(*) FROM members m JOIN users u ON u.id = m.user_id
		JOIN user_roles r ON r.user_id = u.id AND r.role = 'member' AND r.org_id = m.org_id WHERE u.username = 'dangyuan'`).Scan(&linked); err != nil {
		t.Fatal(err)
	}
	if linked != 1 || !strings.Contains(out.String(), "dangyuan") {
		t.Errorf("the demo's member account dangyuan is linked to %d members of its branch, want 1", linked)
	}
	// And a past year of 组织生活 and 党费, counted as said.
	life := regexp.MustCompile(`已生成会议 (\d+) 次、党费记录 (\d+) 条`).FindStringSubmatch(out.String())
	if life == nil {
		t.Fatalf("no meeting and dues count in:\n%s", out.String())
	}
	var meetings, payments, standards, lifeless int
	for _, q := range []struct {
		sql string
		n   *int
	}{
		{`SELECT COUNT(*) FROM meetings`, &meetings},
		{`SELECT COUNT(*) FROM dues_payments`, &payments},
		{`SELECT COUNT(*) FROM dues_standards`, &standards},
		{`SELECT COUNT(*) FROM orgs o WHERE o.type IN ('branch', 'joint_branch', 'temporary_branch')
			AND NOT EXISTS (SELECT 1 FROM meetings m WHERE m.org_id = o.id)`, &lifeless},
	} {
		if err := d.QueryRow(q.sql).Scan(q.n); err != nil {
			t.Fatal(err)
		}
	}
	if life[1] != strconv.Itoa(meetings) || life[2] != strconv.Itoa(payments) || standards != members || meetings < 5000 || lifeless > 30 {
		t.Errorf("said %s meetings and %s payments; the database has %d meetings, %d payments, %d standards for %d members, %d 支部 without any meeting",
			life[1], life[2], meetings, payments, standards, members, lifeless)
	}
	t.Log(strings.Join(strings.SplitN(out.String(), "\n", 4)[:3], "；"))
	var normal int
	if err := d.QueryRow(`SELECT COUNT(*) FROM members WHERE status = 'normal'`).Scan(&normal); err != nil {
		t.Fatal(err)
	}
	if said != members || members < 12000 || branchesWithout > 0 || counted != normal || members-normal > 10 {
		t.Errorf("said %d, %d in the database (%d 党籍正常), %d 支部 without members, %d in the org counts", said, members, normal, branchesWithout, counted)
	}
	// A year of 党籍 changes in the first 街道, written through the procedures: the ledger has
	// them, each with its status change, and last year's totals are frozen.
	kinds := map[string]int{}
	rows, err := d.Query(`SELECT kind, COUNT(*) FROM member_events WHERE ref LIKE 'status:%' OR kind = 'transfer' GROUP BY kind`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		var n int
		rows.Scan(&k, &n)
		kinds[k] = n
	}
	rows.Close()
	var changes, snapshots int
	d.QueryRow(`SELECT COUNT(*) FROM member_status_changes WHERE kind <> ''`).Scan(&changes)
	d.QueryRow(`SELECT COUNT(*) FROM member_count_snapshots`).Scan(&snapshots)
	if kinds["death"] != 3 || kinds["suspend"] != 2 || kinds["restore"] != 1 || kinds["persuade_removed"] != 1 || kinds["transfer"] < 4 ||
		changes != 7 || snapshots < 500 || !strings.Contains(out.String(), "本年党籍和组织关系变动") {
		t.Errorf("demo lifecycle: ledger %v, %d status changes, %d snapshots", kinds, changes, snapshots)
	}
}
