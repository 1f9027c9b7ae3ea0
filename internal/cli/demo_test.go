package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/pii"
	"github.com/dangjian/dangjian/internal/server"

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
	// The 审批 of the demo's 发展党员 cases added their member records (after the bulk load,
	// so without a 党费 standard).
	var developed int
	if err := d.QueryRow(`SELECT COUNT(*) FROM dev_cases WHERE member_id IS NOT NULL`).Scan(&developed); err != nil {
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
	if life[1] != strconv.Itoa(meetings) || life[2] != strconv.Itoa(payments) || standards != members-developed || meetings < 5000 || lifeless > 30 {
		t.Errorf("said %s meetings and %s payments; the database has %d meetings, %d payments, %d standards for %d members, %d 支部 without any meeting",
			life[1], life[2], meetings, payments, standards, members, lifeless)
	}
	t.Log(strings.Join(strings.SplitN(out.String(), "\n", 4)[:3], "；"))
	var normal int
	if err := d.QueryRow(`SELECT COUNT(*) FROM members WHERE status = 'normal'`).Scan(&normal); err != nil {
		t.Fatal(err)
	}
	if said != members-developed || members < 12000 || branchesWithout > 0 || counted != normal || members-normal > 10 {
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
	casework(t, dir, d, out.String())
}

// casework checks the work in progress the demo leaves in the first 街道 — 发展党员 cases at
// every phase, letters of 转接, 流动 and 失联 members — and that the jiedao account's 工作台
// shows items of each kind, through the real server.
func casework(t *testing.T, dir string, d *sql.DB, out string) {
	t.Helper()
	if !strings.Contains(out, "进行中的工作：发展党员 8 人（其中预备党员 2 人、已转正 1 人）") {
		t.Errorf("no casework summary in:\n%s", out)
	}
	counts := map[string]int{}
	for name, q := range map[string]string{
		"cases": `SELECT COUNT(*) FROM dev_cases c JOIN orgs o ON o.id = c.org_id JOIN users u ON u.username = 'jiedao'
			JOIN user_roles r ON r.user_id = u.id JOIN orgs s ON s.id = r.org_id WHERE o.path LIKE s.path || '%'`,
		"developed":    `SELECT COUNT(*) FROM dev_cases c JOIN member_events e ON e.member_id = c.member_id AND e.kind = 'develop'`,
		"pending":      `SELECT COUNT(*) FROM transfers WHERE status = 'pending'`,
		"out":          `SELECT COUNT(*) FROM transfers WHERE status = 'pending' AND kind = 'out'`,
		"returned":     `SELECT COUNT(*) FROM transfers WHERE status = 'returned' AND decision_note <> ''`,
		"outings":      `SELECT COUNT(*) FROM mobility_outings`,
		"back":         `SELECT COUNT(*) FROM mobility_outings WHERE returned_on IS NOT NULL`,
		"card":         `SELECT COUNT(*) FROM mobility_outings WHERE has_card`,
		"hosted":       `SELECT COUNT(*) FROM mobility_outings WHERE host_org_id IS NOT NULL`,
		"lost":         `SELECT COUNT(*) FROM mobility_losses WHERE found_on IS NULL`,
		"searches":     `SELECT COUNT(*) FROM mobility_searches`,
		"mobile flags": `SELECT COUNT(*) FROM members m JOIN mobility_outings x ON x.member_id = m.id AND x.returned_on IS NULL WHERE m.mobile`,
	} {
		var n int
		if err := d.QueryRow(q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		counts[name] = n
	}
	want := map[string]int{"cases": 8, "developed": 3, "pending": 4, "out": 1, "returned": 1, "outings": 4, "back": 1, "card": 1,
		"hosted": 1, "lost": 2, "searches": 3, "mobile flags": 3}
	for k, v := range want {
		if counts[k] != v {
			t.Errorf("demo casework: %s = %d, want %d", k, counts[k], v)
		}
	}

	ctx := context.Background()
	db2, err := db.Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	key, _, err := pii.LoadKey(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(db2, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{PIIKey: key, UI: http.NotFoundHandler()}))
	defer srv.Close()
	bench := func(user string) []string {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		body, _ := json.Marshal(map[string]string{"username": user, "password": DemoPassword})
		res, err := c.Post(srv.URL+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("login %s: %v %v", user, err, res)
		}
		res.Body.Close()
		res, err = c.Get(srv.URL + "/api/v1/workbench")
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("workbench of %s: %v %v", user, err, res)
		}
		defer res.Body.Close()
		var w struct {
			Items []struct{ Kind, Title string } `json:"items"`
		}
		if err := json.NewDecoder(res.Body).Decode(&w); err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, it := range w.Items {
			titles = append(titles, it.Kind+" "+it.Title)
		}
		return titles
	}
	has := func(titles []string, kind, fragment string) bool {
		for _, s := range titles {
			if strings.HasPrefix(s, kind+" ") && strings.Contains(s, fragment) {
				return true
			}
		}
		return false
	}
	street := bench("jiedao")
	for _, w := range []struct{ kind, fragment string }{
		{"development", "党组织派人谈话"}, // the applicant whose 谈话 is due
		{"development", "培养教育考察"},  // the 积极分子 due for 考察
		{"development", "支部大会讨论"},  // the 预备党员 whose 预备期 ends within a month
		{"transfer", "接收或退回"},      // letters from another street
		{"transfer", "已过有效期"},      // the letter out past its validity
		{"transfer", "尚未收到回执"},     // the letter to outside the system
		{"mobility", "应转移组织关系"},    // away at a fixed place for over 6 months
		{"mobility", "停止党籍"},       // lost 8 months and searched for
	} {
		if !has(street, w.kind, w.fragment) {
			t.Errorf("the jiedao 工作台 has no %s item about %q:\n%s", w.kind, w.fragment, strings.Join(street, "\n"))
		}
	}
	// The 预审 is the approving 党工委's 待办: the 街道's, and the 区委's above it.
	if !has(street, "development", "上级党委预审") {
		t.Errorf("the jiedao 工作台 has no 预审 item:\n%s", strings.Join(street, "\n"))
	}
	if admin := bench("admin"); !has(admin, "development", "上级党委预审") {
		t.Errorf("the admin 工作台 has no 预审 item:\n%s", strings.Join(admin, "\n"))
	}
}
