package member

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/auth"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/db/dbtest"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/pii"
)

// world: 区委 → 街道 A (党工委) → 社区党委 A → 支部 A1 (with 党小组), 支部 A2; 街道 B → 支部 B1.
type world struct {
	d                       *db.DB
	s                       *Store
	orgs                    *org.Store
	key                     *pii.Key
	root, a, community      *org.Org
	a1, a2, group, b, b1    *org.Org
	sys, adminA, viewerA    context.Context
	adminB, adminRoot, sysm context.Context
}

func as(role string, o *org.Org) context.Context {
	g := access.Grant{Role: role}
	if o != nil {
		g.OrgID, g.OrgPath = o.ID, o.Path
	}
	return access.With(context.Background(), &access.Principal{UserID: 0, Username: role + "@" + fmt.Sprint(g.OrgID), Grants: []access.Grant{g}})
}

func newWorld(t testing.TB, d *db.DB) *world {
	t.Helper()
	w := &world{d: d, sys: access.System(context.Background())}
	w.orgs = org.NewStore(d)
	w.orgs.Today = func() civil.Date { return today }
	var err error
	if w.key, _, err = pii.Generate(); err != nil {
		t.Fatal(err)
	}
	w.s = NewStore(d, w.key)
	w.s.Today = func() civil.Date { return today }
	mk := func(code, name string, typ org.Type, unit org.UnitType, parent *org.Org) *org.Org {
		in := org.CreateInput{Code: code, Name: name, Type: typ, UnitType: unit}
		if parent != nil {
			in.ParentID = parent.ID
		}
		o, err := w.orgs.Create(w.sys, in)
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return o
	}
	w.root = mk("R", "中共某区委员会", org.TypeCommittee, org.UnitLocal, nil)
	w.a = mk("A", "中共启明街道工作委员会", org.TypeWorkingCommittee, org.UnitStreet, w.root)
	w.community = mk("AC", "中共马家吉社区委员会", org.TypeCommittee, org.UnitCommunity, w.a)
	w.a1 = mk("A1", "中共马家吉社区第一支部委员会", org.TypeBranch, org.UnitCommunity, w.community)
	w.group = mk("A1G", "第一党小组", org.TypeGroup, org.UnitCommunity, w.a1)
	w.a2 = mk("A2", "中共马家吉社区第二支部委员会", org.TypeBranch, org.UnitCommunity, w.community)
	w.b = mk("B", "中共府坪街道工作委员会", org.TypeWorkingCommittee, org.UnitStreet, w.root)
	w.b1 = mk("B1", "中共府坪巷社区支部委员会", org.TypeBranch, org.UnitCommunity, w.b)
	w.adminA, w.viewerA, w.adminB = as("org-admin", w.a), as("org-viewer", w.a), as("org-admin", w.b)
	w.adminRoot, w.sysm = as("org-admin", w.root), as("system-admin", nil)
	return w
}

// ids: valid 公民身份号码 for tests, born on the given day with sequence seq (odd 男, even 女).
func idFor(birth civil.Date, seq int) string {
	base := fmt.Sprintf("430702%s%03d", strings.ReplaceAll(birth.String(), "-", ""), seq)
	sum := 0
	for i, wt := range idWeights {
		sum += int(base[i]-'0') * wt
	}
	return base + string("10X98765432"[sum%11])
}

func person(name string, birth civil.Date, seq int, o *org.Org) Input {
	return Input{OrgID: o.ID, Name: name, IDNumber: idFor(birth, seq), Ethnicity: "01", Education: "21",
		JoinedOn: birth.AddDate(25, 0, 0), FullOn: birth.AddDate(26, 0, 0), Job: "011",
		Phone: fmt.Sprintf("1381234%04d", seq), Address: "湖南省常德市武陵区启明街道" + name + "家"}
}

func (w *world) create(t *testing.T, ctx context.Context, in Input) *Detail {
	t.Helper()
	m, err := w.s.Create(ctx, in)
	if err != nil {
		t.Fatalf("create %s: %v", in.Name, err)
	}
	return m
}

func status(err error) int {
	if err == nil {
		return 0
	}
	return api.AsError(err).Status
}

func fieldErr(err error, field string) string {
	var e *api.Error
	if errors.As(err, &e) {
		for _, f := range e.Fields {
			if f.Field == field {
				return f.Message
			}
		}
	}
	return ""
}

func counts(t *testing.T, d *db.DB, o *org.Org) (full, prob *int) {
	t.Helper()
	if err := d.QueryRow(context.Background(), `SELECT full_members, probationary_members FROM orgs WHERE id = ?`, o.ID).Scan(&full, &prob); err != nil {
		t.Fatal(err)
	}
	return
}

func wantCounts(t *testing.T, d *db.DB, o *org.Org, full, prob int) {
	t.Helper()
	f, p := counts(t, d, o)
	if f == nil || p == nil || *f != full || *p != prob {
		t.Errorf("%s counts = %v/%v, want %d/%d", o.Name, deref(f), deref(p), full, prob)
	}
}

func deref(p *int) any {
	if p == nil {
		return "NULL"
	}
	return *p
}

func auditCount(t *testing.T, d *db.DB, action string) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = ?`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCreateSealsPersonalData(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		in := person("张建国", civil.New(1985, 3, 12), 123, w.a1)
		m := w.create(t, w.adminA, in)
		if m.IDNumber != pii.MaskID(in.IDNumber) || m.Phone != "138****0123" || m.Revealed || m.Address != "湖南省常德市****" {
			t.Fatalf("create answer not masked: %s %s %s", m.IDNumber, m.Phone, m.Address)
		}
		if m.Gender != "1" || m.BirthDate != civil.New(1985, 3, 12) || m.Category != CategoryFull || m.Age != 41 || m.OrgCode != "A1" {
			t.Fatalf("derived fields: %+v", m.Member)
		}
		// The raw row holds no plain value.
		rows, err := d.Query(context.Background(), `SELECT * FROM members WHERE id = ?`, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if !rows.Next() {
			t.Fatal("no row")
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		raw := map[string]string{}
		for i, c := range cols {
			raw[c] = fmt.Sprintf("%s", vals[i])
			for _, secret := range []string{in.IDNumber, "13812340123", "启明街道张建国家"} {
				if strings.Contains(raw[c], secret) {
					t.Errorf("column %s holds %q in the clear", c, secret)
				}
			}
		}
		if p, err := w.key.Open(raw["id_cipher"]); err != nil || p != in.IDNumber {
			t.Errorf("id_cipher does not open to the number: %q %v", p, err)
		}
		if raw["id_hash"] != w.key.Hash(in.IDNumber) || raw["phone_hash"] != w.key.Hash("13812340123") {
			t.Error("hashes are not the keyed hashes of the normalised values")
		}
		// Duplicate 公民身份号码: refused, inside scope naming where, outside scope not.
		dup := person("李四", civil.New(1985, 3, 12), 123, w.a2)
		if _, err := w.s.Create(w.adminA, dup); status(err) != 422 || !strings.Contains(fieldErr(err, "id_number"), w.a1.Name) {
			t.Fatalf("duplicate in scope: %v", err)
		}
		dup.OrgID = w.b1.ID
		_, err = w.s.Create(w.adminB, dup)
		if msg := fieldErr(err, "id_number"); status(err) != 422 || strings.Contains(msg, w.a1.Name) || !strings.Contains(msg, "不在您的管理范围内") {
			t.Fatalf("duplicate outside scope: %v", err)
		}
		// Lower-case x is the same number.
		x := person("王五", civil.New(1949, 12, 31), 2, w.a1)
		x.IDNumber = "11010519491231002X"
		x.JoinedOn, x.FullOn = civil.New(1975, 1, 1), civil.New(1975, 1, 1)
		w.create(t, w.adminA, x)
		x.IDNumber = "11010519491231002x"
		if _, err := w.s.Create(w.adminA, x); status(err) != 422 {
			t.Fatalf("lower-case x duplicate: %v", err)
		}
		// Members go into branches: a 党小组 resolves to its branch; a 党委 is refused.
		g := w.create(t, w.adminA, person("赵六", civil.New(1990, 1, 1), 5, w.group))
		if g.OrgID != w.a1.ID {
			t.Errorf("党小组 member is in org %d, want the branch %d", g.OrgID, w.a1.ID)
		}
		if _, err := w.s.Create(w.adminA, person("钱七", civil.New(1990, 1, 1), 7, w.community)); !strings.Contains(fieldErr(err, "org_id"), "党支部") {
			t.Errorf("member in a 党委: %v", err)
		}
		if _, err := w.s.Create(w.adminA, person("孙八", civil.New(1990, 1, 1), 9, w.b1)); status(err) != 422 {
			t.Errorf("create in B as A: %v", err)
		}
		if _, err := w.s.Create(w.viewerA, person("孙八", civil.New(1990, 1, 1), 9, w.a1)); status(err) != 403 {
			t.Errorf("create as viewer: %v", err)
		}
	})
}

func TestSQLiteFileHasNoPlainPII(t *testing.T) {
	dir := t.TempDir()
	d, err := db.Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	w := newWorld(t, d)
	in := person("张建国", civil.New(1985, 3, 12), 123, w.a1)
	in.Phone = "0736-7654321"
	w.create(t, w.adminA, in)
	if _, err := w.s.Update(w.adminA, w.mustID(t, in), Patch{Address: ptr("湖南省常德市鼎城区某某路88号"), Version: 1}); err != nil {
		t.Fatal(err)
	}
	d.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) == 0 {
		t.Fatal("no database files")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{in.IDNumber, "7654321", "鼎城区某某路88号", "启明街道张建国家"} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s contains %q in the clear", filepath.Base(f), secret)
			}
		}
		if strings.HasSuffix(f, ".db") && !bytes.Contains(b, []byte("张建国")) {
			t.Errorf("%s does not contain the (unprotected) name: the scan looks at the wrong file", f)
		}
	}
}

func (w *world) mustID(t *testing.T, in Input) int64 {
	t.Helper()
	var id int64
	if err := w.d.QueryRow(context.Background(), `SELECT id FROM members WHERE id_hash = ?`, w.key.Hash(NormalizeID(in.IDNumber))).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func ptr[T any](v T) *T { return &v }

func TestListMaskedSearchAndReveal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		zhang := person("张建国", civil.New(1985, 3, 12), 123, w.a1)
		m := w.create(t, w.adminA, zhang)
		w.create(t, w.adminA, person("李红梅", civil.New(1992, 8, 1), 124, w.a2))
		bm := w.create(t, w.adminB, person("王府坪", civil.New(1980, 1, 1), 125, w.b1))

		list, err := w.s.List(w.viewerA, ListFilter{}, api.Paging{Page: 1, Size: 20})
		if err != nil || list.Total != 2 {
			t.Fatalf("list: %d %v", list.Total, err)
		}
		for _, it := range list.Items {
			if it.Revealed || !strings.Contains(it.IDNumber, "**********") || !strings.Contains(it.Phone, "****") {
				t.Errorf("list shows %s %s", it.IDNumber, it.Phone)
			}
			if it.OrgID == w.b1.ID {
				t.Error("list shows B's member")
			}
		}
		for q, want := range map[string]int{zhang.IDNumber: 1, "138 1234 0123": 1, "13812340123": 1, "建国": 1, "王府坪": 0, "13812340125": 0} {
			l, err := w.s.List(w.adminA, ListFilter{Q: q}, api.Paging{Page: 1, Size: 20})
			if err != nil || l.Total != want {
				t.Errorf("search %q: %d %v, want %d", q, l.Total, err, want)
			}
		}
		if l, _ := w.s.List(w.adminA, ListFilter{Under: w.a2.ID}, api.Paging{Page: 1, Size: 20}); l.Total != 1 || l.Items[0].Name != "李红梅" {
			t.Errorf("under A2: %+v", l)
		}
		if _, err := w.s.List(w.adminA, ListFilter{Under: w.b1.ID}, api.Paging{Page: 1, Size: 20}); status(err) != 404 {
			t.Errorf("under B1 as A: %v", err)
		}
		if l, _ := w.s.List(w.adminA, ListFilter{Gender: "女"}, api.Paging{Page: 1, Size: 20}); l.Total != 1 || l.Items[0].Name != "李红梅" {
			t.Errorf("gender filter: %+v", l.Items) // sequence 124 is even: 女
		}
		if l, _ := w.s.List(w.adminA, ListFilter{AgeBand: "31-35", Sort: "-name"}, api.Paging{Page: 1, Size: 20}); l.Total != 1 || l.Items[0].Name != "李红梅" {
			t.Errorf("age band 31-35: %+v", l.Items)
		}
		if l, _ := w.s.List(w.adminRoot, ListFilter{Sort: "birth_date"}, api.Paging{Page: 1, Size: 20}); l.Total != 3 || l.Items[0].Name != "王府坪" {
			t.Errorf("root sorted by birth date: %+v", l.Items)
		}
		if _, err := w.s.List(w.adminA, ListFilter{Sort: "id_number"}, api.Paging{Page: 1, Size: 20}); status(err) != 422 {
			t.Errorf("bad sort: %v", err)
		}

		// Reveal: org-admin sees full values and the view is audited; the viewer may not.
		before := auditCount(t, d, "member.reveal")
		full, err := w.s.Get(w.adminA, m.ID, true)
		if err != nil || !full.Revealed || full.IDNumber != zhang.IDNumber || full.Phone != zhang.Phone || full.Address != zhang.Address {
			t.Fatalf("reveal: %+v %v", full, err)
		}
		if auditCount(t, d, "member.reveal") != before+1 {
			t.Error("reveal not audited")
		}
		var summary, entity string
		d.QueryRow(context.Background(), `SELECT summary, entity_id FROM audit_log WHERE action = 'member.reveal' ORDER BY id DESC LIMIT 1`).Scan(&summary, &entity)
		if !strings.Contains(summary, "张建国") || !strings.Contains(summary, "公民身份号码") || entity != fmt.Sprint(m.ID) || strings.Contains(summary, zhang.IDNumber) {
			t.Errorf("reveal audit entry: %q %q", summary, entity)
		}
		if _, err := w.s.Get(w.viewerA, m.ID, true); status(err) != 403 {
			t.Errorf("viewer reveal: %v", err)
		}
		if auditCount(t, d, "member.reveal") != before+1 {
			t.Error("refused reveal was audited as a view")
		}
		if g, err := w.s.Get(w.viewerA, m.ID, false); err != nil || g.Revealed || g.IDNumber == zhang.IDNumber {
			t.Errorf("viewer get: %v", err)
		}
		if _, err := w.s.Get(w.adminA, bm.ID, true); status(err) != 404 {
			t.Errorf("reveal outside scope: %v", err)
		}
		if _, err := w.s.Get(w.adminA, bm.ID, false); status(err) != 404 {
			t.Errorf("get outside scope: %v", err)
		}
		if _, err := w.s.Get(context.Background(), m.ID, false); status(err) != 404 {
			t.Errorf("get without principal: %v", err)
		}
	})
}

func TestUpdateVersionAndCounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		in := person("张建国", civil.New(1985, 3, 12), 123, w.a1)
		in.FullOn = civil.Date{}
		in.JoinedOn = civil.New(2025, 9, 1)
		m := w.create(t, w.adminA, in)
		if m.Category != CategoryProbationary {
			t.Fatal(m.Category)
		}
		wantCounts(t, d, w.a1, 0, 1)
		wantCounts(t, d, w.community, 0, 1)
		wantCounts(t, d, w.root, 0, 1)
		if f, _ := counts(t, d, w.a2); f != nil {
			t.Errorf("untouched branch has counts %v", *f)
		}

		if _, err := w.s.Update(w.adminA, m.ID, Patch{FullOn: ptr(civil.New(2026, 3, 1)), Version: m.Version}); !strings.Contains(fieldErr(err, "full_on"), "不满一年") {
			t.Fatalf("转正 too early: %v", err)
		}
		if _, err := w.s.Update(w.viewerA, m.ID, Patch{Name: ptr("改名"), Version: m.Version}); status(err) != 403 {
			t.Fatalf("viewer update: %v", err)
		}
		if _, err := w.s.Update(w.adminB, m.ID, Patch{Name: ptr("改名"), Version: m.Version}); status(err) != 404 {
			t.Fatalf("B updates A: %v", err)
		}
		u, err := w.s.Update(w.adminA, m.ID, Patch{Phone: ptr("0736-1234567"), Job: ptr("公有制单位企业管理人员"), Version: m.Version})
		if err != nil || u.Version != m.Version+1 || u.Phone != "0736-***4567" || u.Job != "014" {
			t.Fatalf("update: %+v %v", u, err)
		}
		_, err = w.s.Update(w.adminA, m.ID, Patch{Name: ptr("张国"), Version: m.Version})
		if status(err) != 409 || !strings.Contains(err.Error(), "已被他人修改") {
			t.Fatalf("stale version: %v", err)
		}
		// The 公民身份号码 can change; 出生日期 and 性别 follow it.
		newID := idFor(civil.New(1986, 4, 1), 222)
		u, err = w.s.Update(w.adminA, m.ID, Patch{IDNumber: &newID, Version: u.Version})
		if err != nil || u.BirthDate != civil.New(1986, 4, 1) || u.Gender != "2" {
			t.Fatalf("new id: %+v %v", u, err)
		}
		if l, _ := w.s.List(w.adminA, ListFilter{Q: newID}, api.Paging{Page: 1, Size: 5}); l.Total != 1 {
			t.Error("new id not searchable")
		}
		var summary string
		d.QueryRow(context.Background(), `SELECT summary FROM audit_log WHERE action = 'member.update' ORDER BY id DESC LIMIT 1`).Scan(&summary)
		if !strings.Contains(summary, "公民身份号码") || strings.Contains(summary, newID) {
			t.Errorf("update audit: %q", summary)
		}
		var after string
		d.QueryRow(context.Background(), `SELECT after_json FROM audit_log WHERE action = 'member.update' ORDER BY id DESC LIMIT 1`).Scan(&after)
		if strings.Contains(after, newID) || strings.Contains(after, "0736-1234567") {
			t.Errorf("audit after_json holds personal data in the clear: %s", after)
		}
		// 转正 moves the member from probationary to full in every ancestor.
		d.Exec(context.Background(), `UPDATE members SET joined_on = '2025-01-01' WHERE id = ?`, m.ID)
		if u, err = w.s.Update(w.adminA, m.ID, Patch{FullOn: ptr(civil.New(2026, 1, 1)), Version: u.Version}); err != nil || u.Category != CategoryFull {
			t.Fatalf("转正: %v", err)
		}
		wantCounts(t, d, w.a1, 1, 0)
		wantCounts(t, d, w.a, 1, 0)
		// Status change (the procedures of internal/standing check the rules; their write is
		// ApplyStatus): suspended members are not counted, and the ledger has the decrease.
		s := setStatus(t, w, w.adminA, m.ID, StatusSuspended, civil.New(2026, 5, 1))
		if s.Status != StatusSuspended || len(s.StatusChanges) != 1 || s.StatusChanges[0].From != StatusNormal || s.StatusChanges[0].Kind != "test" {
			t.Fatalf("suspend: %+v", s)
		}
		wantCounts(t, d, w.a1, 0, 0)
		wantCounts(t, d, w.root, 0, 0)
		var from, to string
		if err := d.QueryRow(context.Background(), `SELECT from_path, to_path FROM member_events WHERE member_id = ? AND kind = 'suspend'`, m.ID).Scan(&from, &to); err != nil || from != w.a1.Path || to != "" {
			t.Errorf("suspend ledger row: %q → %q, %v", from, to, err)
		}
		if err := d.InTx(w.viewerA, func(tx *db.Tx) error { _, err := w.s.WritableSubject(w.viewerA, tx, m.ID); return err }); status(err) != 403 {
			t.Errorf("a viewer may not change a status: %v", err)
		}
		if l, _ := w.s.List(w.adminA, ListFilter{Status: StatusSuspended}, api.Paging{Page: 1, Size: 5}); l.Total != 1 {
			t.Error("status filter")
		}
		// Histories.
		h, err := w.s.AddHistory(w.adminA, m.ID, HistoryInput{Kind: "award", StartedOn: civil.New(2024, 7, 1), Title: "优秀共产党员"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.AddHistory(w.adminA, m.ID, HistoryInput{Kind: "x", Title: ""}); fieldErr(err, "kind") == "" || fieldErr(err, "title") == "" {
			t.Fatalf("bad history: %v", err)
		}
		got, _ := w.s.Get(w.adminA, m.ID, false)
		if len(got.History) != 1 || got.History[0].Title != "优秀共产党员" || got.History[0].KindName != "奖励" {
			t.Fatalf("history in detail: %+v", got.History)
		}
		if err := w.s.DeleteHistory(w.adminB, m.ID, h.ID); status(err) != 404 {
			t.Fatalf("B deletes A's history: %v", err)
		}
		if err := w.s.DeleteHistory(w.adminA, m.ID, h.ID); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCountsLightUpOrgRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		has := func(rule string) bool {
			t.Helper()
			fs, err := w.orgs.Checks(w.adminA, w.a1.ID)
			if err != nil {
				t.Fatal(err)
			}
			return slices.ContainsFunc(fs, func(f org.Finding) bool { return f.RuleID == rule })
		}
		if has("org.branch.min_full_members") {
			t.Fatal("rule fired before the registry knew the members")
		}
		w.create(t, w.adminA, person("甲一", civil.New(1980, 1, 1), 11, w.a1))
		w.create(t, w.adminA, person("乙二", civil.New(1981, 1, 1), 13, w.a1))
		if !has("org.branch.min_full_members") {
			t.Fatal("branch with 2 正式党员: rule org.branch.min_full_members did not fire")
		}
		w.create(t, w.adminA, person("丙三", civil.New(1982, 1, 1), 15, w.a1))
		if has("org.branch.min_full_members") {
			t.Fatal("branch with 3 正式党员 still below the minimum")
		}
		wantCounts(t, d, w.community, 3, 0)
		wantCounts(t, d, w.root, 3, 0)
	})
}

func TestMoveMembersAndOrgs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		m := w.create(t, w.adminA, person("张建国", civil.New(1985, 3, 12), 123, w.a1))
		n := w.create(t, w.adminA, person("李红梅", civil.New(1992, 8, 1), 124, w.a1))
		bm := w.create(t, w.adminB, person("王府坪", civil.New(1980, 1, 1), 125, w.b1))
		if _, err := w.s.Move(w.adminA, []int64{m.ID}, w.b1.ID); status(err) != 422 {
			t.Fatalf("move into B as A: %v", err)
		}
		if _, err := w.s.Move(w.adminA, []int64{bm.ID}, w.a2.ID); status(err) != 404 {
			t.Fatalf("move B's member as A: %v", err)
		}
		if _, err := w.s.Move(w.viewerA, []int64{m.ID}, w.a2.ID); status(err) != 403 {
			t.Fatalf("move as viewer: %v", err)
		}
		k, err := w.s.Move(w.adminA, []int64{m.ID, n.ID}, w.a2.ID)
		if err != nil || k != 2 {
			t.Fatalf("move: %d %v", k, err)
		}
		wantCounts(t, d, w.a1, 0, 0)
		wantCounts(t, d, w.a2, 2, 0)
		got, _ := w.s.Get(w.adminA, m.ID, false)
		if got.OrgID != w.a2.ID || len(got.History) != 1 || got.History[0].Kind != "transfer" || !strings.Contains(got.History[0].Detail, w.a1.Name) {
			t.Fatalf("after move: %+v %+v", got.Member, got.History)
		}
		// An org move carries its members' paths: 社区党委 A moves under 街道 B.
		if _, err := w.orgs.Move(w.adminRoot, w.community.ID, org.MoveInput{ParentID: w.b.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.Get(w.adminA, m.ID, false); status(err) != 404 {
			t.Errorf("A still sees a member moved to B: %v", err)
		}
		if _, err := w.s.Get(w.adminB, m.ID, false); err != nil {
			t.Errorf("B does not see the moved member: %v", err)
		}
		if l, _ := w.s.List(w.adminB, ListFilter{}, api.Paging{Page: 1, Size: 20}); l.Total != 3 {
			t.Errorf("B's roster after the org move: %d", l.Total)
		}
		wantCounts(t, d, w.a, 0, 0)
		wantCounts(t, d, w.b, 3, 0)
		wantCounts(t, d, w.root, 3, 0)
		// Deleting or dissolving an org with members is refused.
		if err := w.orgs.Delete(w.adminRoot, w.a2.ID); status(err) != 409 {
			t.Errorf("delete a branch with members: %v", err)
		}
		if _, err := w.orgs.Dissolve(w.adminRoot, w.a2.ID, org.DissolveInput{Date: today, Reason: "撤并"}); status(err) != 409 {
			t.Errorf("dissolve a branch with members: %v", err)
		}
	})
}

func TestImportAllOrNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		bm := w.create(t, w.adminB, person("王府坪", civil.New(1980, 1, 1), 125, w.b1))
		_ = bm
		rows := []ImportRow{
			{Row: 2, Org: "A1", Input: person("甲一", civil.New(1980, 1, 1), 11, w.a1)},
			{Row: 3, Org: w.a2.Name, Input: person("乙二", civil.New(1981, 1, 1), 13, w.a1)},
			{Row: 4, Org: "第一党小组", Input: person("丙三", civil.New(1982, 1, 1), 15, w.a1)},
			{Row: 5, Org: "A1", Input: person("丁四", civil.New(1983, 1, 1), 17, w.a1)},
		}
		for i := range rows {
			rows[i].Input.OrgID = 0
			rows[i].Input.Ethnicity = "汉族"
			rows[i].Input.Education = "本科"
		}
		bad := slices.Clone(rows)
		bad[3].Input.IDNumber = "430702198301010170" // wrong check digit
		bad = append(bad, ImportRow{Row: 6, Org: "B1", Input: person("戊五", civil.New(1984, 1, 1), 19, w.a1)},
			ImportRow{Row: 7, Org: "A1", Input: person("己六", civil.New(1980, 1, 1), 11, w.a1)},
			ImportRow{Row: 8, Org: "A1", Input: person("庚七", civil.New(1980, 1, 1), 125, w.a1)},
			ImportRow{Row: 9, Org: "AC", Input: person("辛八", civil.New(1986, 1, 1), 21, w.a1)})
		res, err := w.s.Import(w.adminA, w.a.ID, bad)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int]string{5: "id_number", 6: "org", 7: "id_number", 8: "id_number", 9: "org"}
		got := map[int]string{}
		for _, e := range res.Errors {
			got[e.Row] = e.Field
			if e.Row == 8 && (strings.Contains(e.Message, w.b1.Name) || strings.Contains(e.Message, "府坪")) {
				t.Errorf("row 8 reveals where the number is registered: %s", e.Message)
			}
			if e.Row == 7 && !strings.Contains(e.Message, "第 2 行") {
				t.Errorf("duplicate in file: %s", e.Message)
			}
		}
		for row, field := range want {
			if got[row] != field {
				t.Errorf("row %d: error on %q, want %q (all: %+v)", row, got[row], field, res.Errors)
			}
		}
		if res.Created+res.Updated != 0 {
			t.Errorf("bad import saved: %+v", res)
		}
		var n int
		d.QueryRow(context.Background(), `SELECT COUNT(*) FROM members`).Scan(&n)
		if n != 1 {
			t.Fatalf("members after a failed import: %d, want 1", n)
		}
		// A dry run of the fixed file counts what it would do and saves nothing.
		res, err = w.s.CheckImport(w.adminA, w.a.ID, rows)
		if err != nil || len(res.Errors) != 0 || res.Created != 4 {
			t.Fatalf("dry run: %+v %v", res, err)
		}
		d.QueryRow(context.Background(), `SELECT COUNT(*) FROM members`).Scan(&n)
		if n != 1 || auditCount(t, d, "member.import") != 0 {
			t.Fatalf("a dry run saved: %d members", n)
		}
		// The fixed file saves everything.
		res, err = w.s.Import(w.adminA, w.a.ID, rows)
		if err != nil || len(res.Errors) != 0 || res.Created != 4 {
			t.Fatalf("good import: %+v %v", res, err)
		}
		wantCounts(t, d, w.a1, 3, 0)
		wantCounts(t, d, w.a2, 1, 0)
		wantCounts(t, d, w.a, 4, 0)
		wantCounts(t, d, w.root, 5, 0)
		if auditCount(t, d, "member.import") != 1 {
			t.Error("import not audited once")
		}
		// Re-import: one phone changed, one moved to A2, two unchanged.
		again := slices.Clone(rows)
		again[0].Input.Phone = "13900000000"
		again[3].Org = "A2"
		res, err = w.s.Import(w.adminA, w.a.ID, again)
		if err != nil || len(res.Errors) != 0 || res.Created != 0 || res.Updated != 2 || res.Unchanged != 2 {
			t.Fatalf("re-import: %+v %v", res, err)
		}
		byRow := map[int][]string{}
		for _, c := range res.Changes {
			byRow[c.Row] = c.Fields
		}
		if !slices.Equal(byRow[2], []string{"phone"}) || !slices.Equal(byRow[5], []string{"org"}) {
			t.Errorf("changes: %+v", res.Changes)
		}
		d.QueryRow(context.Background(), `SELECT COUNT(*) FROM members`).Scan(&n)
		if n != 5 {
			t.Fatalf("members after re-import: %d, want 5 (updated in place)", n)
		}
		wantCounts(t, d, w.a1, 2, 0)
		wantCounts(t, d, w.a2, 2, 0)
		// A viewer may not import; nor into B.
		if _, err := w.s.Import(w.viewerA, w.a.ID, rows); status(err) != 403 {
			t.Errorf("viewer import: %v", err)
		}
		if _, err := w.s.Import(w.adminA, w.b.ID, rows); status(err) != 404 {
			t.Errorf("import into B as A: %v", err)
		}
	})
}

func TestEachExportAndBulkLoad(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		const total = 3000
		i := 0
		branches := []*org.Org{w.a1, w.a2, w.b1}
		n, err := w.s.BulkLoad(w.sys, func() (*Input, error) {
			if i == total {
				return nil, nil
			}
			i++
			birth := civil.New(1950+i%50, time.Month(1+i%12), 1+i%28)
			in := person(fmt.Sprintf("党员%04d", i), birth, i%1000, branches[i%3])
			if i%4 == 0 {
				in.FullOn = civil.Date{}
				in.JoinedOn = civil.New(2025, 12, 1)
			}
			return &in, nil
		})
		if err != nil || n != total {
			t.Fatalf("bulk load: %d %v", n, err)
		}
		wantCounts(t, d, w.a1, 750, 250)
		wantCounts(t, d, w.root, 2250, 750)
		if f, _ := counts(t, d, w.community); f == nil || *f != 1500 {
			t.Errorf("community counts %v", deref(f))
		}
		if _, err := w.s.BulkLoad(w.adminA, func() (*Input, error) { return nil, nil }); err == nil {
			t.Error("bulk load as org-admin allowed")
		}
		// A record failing Check aborts the load, nothing saved.
		j := 0
		_, err = w.s.BulkLoad(w.sys, func() (*Input, error) {
			j++
			if j > 2 {
				return nil, nil
			}
			in := person("坏数据", civil.New(1990, 1, 1), j, w.a1)
			if j == 2 {
				in.IDNumber = "123"
			}
			return &in, nil
		})
		if err == nil || !strings.Contains(err.Error(), "第 2 名") {
			t.Fatalf("bad bulk load: %v", err)
		}

		// Export: masked for the viewer, full for the admin, audited with the row count.
		if err := w.s.Each(w.viewerA, ListFilter{}, true, func(*Member) error { return nil }); status(err) != 403 {
			t.Fatalf("viewer full export: %v", err)
		}
		rows, revealed := 0, 0
		err = w.s.Each(w.adminA, ListFilter{Category: CategoryFull}, true, func(m *Member) error {
			rows++
			if m.Revealed && len(m.IDNumber) == 18 && !strings.Contains(m.IDNumber, "*") {
				revealed++
			}
			if m.OrgID == w.b1.ID {
				return errors.New("B's member exported")
			}
			return nil
		})
		if err != nil || rows != 1500 || revealed != 1500 {
			t.Fatalf("export: %d rows, %d revealed, %v", rows, revealed, err)
		}
		var after string
		if err := d.QueryRow(context.Background(), `SELECT after_json FROM audit_log WHERE action = 'member.export' ORDER BY id DESC LIMIT 1`).Scan(&after); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(after, `"rows":1500`) || !strings.Contains(after, `"category":"full"`) {
			t.Errorf("export audit: %s", after)
		}
		masked := 0
		w.s.Each(w.viewerA, ListFilter{}, false, func(m *Member) error {
			if !m.Revealed && strings.Contains(m.IDNumber, "*") {
				masked++
			}
			return nil
		})
		if masked != 2000 {
			t.Errorf("masked export rows: %d", masked)
		}
	})
}

// BenchmarkBulkLoad measures the demo's bulk path on SQLite: validation, sealing and inserts
// (members/s is reported; there is no timing assertion in tests).
func BenchmarkBulkLoad(b *testing.B) {
	d := dbtest.SQLite(b)
	w := newWorld(b, d)
	const total = 20000
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		if _, err := d.Exec(context.Background(), `DELETE FROM members`); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		i := 0
		n, err := w.s.BulkLoad(w.sys, func() (*Input, error) {
			if i == total {
				return nil, nil
			}
			i++
			in := person(fmt.Sprintf("党员%05d", i), civil.New(1950+i%50, time.Month(1+i%12), 1+i%28), i%1000, w.a1)
			return &in, nil
		})
		if err != nil || n != total {
			b.Fatal(n, err)
		}
	}
	b.ReportMetric(float64(total*b.N)/b.Elapsed().Seconds(), "members/s")
}

func TestSelfService(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		in := person("张建国", civil.New(1985, 3, 12), 123, w.a1)
		m := w.create(t, w.adminA, in)
		u, err := auth.AddUser(w.sys, d, auth.NewUser{Username: "zhangjg", DisplayName: "张建国", Password: "Scope@2026x", Role: "member", OrgCode: "A1"})
		if err != nil {
			t.Fatal(err)
		}
		other, _ := auth.AddUser(w.sys, d, auth.NewUser{Username: "wangfp", DisplayName: "王府坪", Password: "Scope@2026x", Role: "member", OrgCode: "B1"})
		me := access.With(context.Background(), &access.Principal{UserID: u.ID, Username: "zhangjg",
			Grants: []access.Grant{{Role: "member", OrgID: w.a1.ID, OrgPath: w.a1.Path}}})
		if _, err := w.s.Me(me, false); status(err) != 404 {
			t.Fatalf("me before linking: %v", err)
		}
		if _, err := w.s.LinkUser(w.adminA, m.ID, other.ID); fieldErr(err, "user_id") == "" {
			t.Fatalf("link a user of B: %v", err)
		}
		if _, err := w.s.LinkUser(w.viewerA, m.ID, u.ID); status(err) != 403 {
			t.Fatalf("viewer links: %v", err)
		}
		if _, err := w.s.LinkUser(w.adminA, m.ID, u.ID); err != nil {
			t.Fatal(err)
		}
		got, err := w.s.Me(me, false)
		if err != nil || got.ID != m.ID || got.Phone != in.Phone || got.Address != in.Address || got.IDNumber != pii.MaskID(in.IDNumber) {
			t.Fatalf("me: %+v %v", got, err)
		}
		if got, _ := w.s.Me(me, true); got.IDNumber != in.IDNumber {
			t.Fatal("me reveal")
		}
		// The member sees only their own record.
		if l, _ := w.s.List(me, ListFilter{}, api.Paging{Page: 1, Size: 20}); l.Total != 1 || l.Items[0].ID != m.ID {
			t.Fatalf("member's roster: %+v", l)
		}
		n := w.create(t, w.adminA, person("李红梅", civil.New(1992, 8, 1), 124, w.a1))
		if _, err := w.s.Get(me, n.ID, false); status(err) != 404 {
			t.Fatalf("member reads a fellow member: %v", err)
		}
		if _, err := w.s.Update(me, m.ID, Patch{Name: ptr("x"), Version: 1}); status(err) != 403 || !strings.Contains(err.Error(), "自助") {
			t.Fatalf("member updates through the admin path: %v", err)
		}

		res, err := w.s.SubmitChanges(me, SelfChange{Phone: ptr("13999990000"), Name: ptr("张建军"), Education: ptr("硕士"), Note: "登记有误"})
		if err != nil || !slices.Equal(res.Applied, []string{"phone"}) || res.Request == nil || res.Request.Status != "pending" {
			t.Fatalf("submit: %+v %v", res, err)
		}
		if res.Member.Name != "张建国" || res.Member.Phone != "13999990000" {
			t.Fatalf("key field applied at once: %+v", res.Member.Member)
		}
		if _, err := w.s.SubmitChanges(me, SelfChange{Name: ptr("张三")}); status(err) != 409 {
			t.Fatalf("second pending request: %v", err)
		}
		if _, err := w.s.SubmitChanges(me, SelfChange{JoinedOn: ptr(civil.New(2030, 1, 1))}); status(err) != 422 {
			t.Fatalf("invalid request accepted: %v", err)
		}
		if auditCount(t, d, "member.self_update") != 1 {
			t.Error("self update not audited")
		}

		// After a reload the member still sees what waits for the branch.
		mine, err := w.s.MyRecord(me, false)
		if err != nil || mine.PendingRequest == nil || mine.PendingRequest.ID != res.Request.ID {
			t.Fatalf("own record after submitting: %+v %v", mine, err)
		}

		pend, err := w.s.ChangeRequests(w.adminA, 0, "pending", api.Paging{Page: 1, Size: 20})
		if err != nil || pend.Total != 1 || len(pend.Items[0].Changes) != 2 {
			t.Fatalf("pending: %+v %v", pend, err)
		}
		if l, _ := w.s.ChangeRequests(w.adminA, m.OrgID, "pending", api.Paging{Page: 1, Size: 20}); l.Total != 1 {
			t.Fatalf("pending under the member's branch: %d, want 1", l.Total)
		}
		if l, err := w.s.ChangeRequests(w.adminA, w.b.ID, "pending", api.Paging{Page: 1, Size: 20}); status(err) != 404 || l.Total != 0 {
			t.Fatalf("pending under B as A: %+v %v", l, err)
		}
		if l, _ := w.s.ChangeRequests(w.adminB, 0, "pending", api.Paging{Page: 1, Size: 20}); l.Total != 0 {
			t.Fatal("B sees A's requests")
		}
		if l, _ := w.s.ChangeRequests(w.viewerA, 0, "pending", api.Paging{Page: 1, Size: 20}); l.Total != 0 {
			t.Fatal("viewer sees requests to approve")
		}
		rid := pend.Items[0].ID
		if _, err := w.s.Decide(w.adminB, rid, true, ""); status(err) != 404 {
			t.Fatalf("B approves: %v", err)
		}
		if _, err := w.s.Decide(w.adminA, rid, false, ""); fieldErr(err, "note") == "" {
			t.Fatalf("reject without a reason: %v", err)
		}
		cr, err := w.s.Decide(w.adminA, rid, true, "已核对档案")
		if err != nil || cr.Status != "approved" || cr.DecidedBy == "" {
			t.Fatalf("approve: %+v %v", cr, err)
		}
		after, _ := w.s.Get(w.adminA, m.ID, false)
		if after.Name != "张建军" || after.Education != "14" {
			t.Fatalf("approved changes not applied: %s %s", after.Name, after.Education)
		}
		if _, err := w.s.Decide(w.adminA, rid, true, ""); status(err) != 409 {
			t.Fatalf("decide twice: %v", err)
		}
		// A new 公民身份号码 request travels sealed and is applied on approval.
		newID := idFor(civil.New(1985, 3, 12), 321)
		res, err = w.s.SubmitChanges(me, SelfChange{IDNumber: &newID})
		if err != nil {
			t.Fatal(err)
		}
		var raw string
		d.QueryRow(context.Background(), `SELECT changes_json FROM member_change_requests WHERE id = ?`, res.Request.ID).Scan(&raw)
		if strings.Contains(raw, newID) {
			t.Fatalf("change request stores the number in the clear: %s", raw)
		}
		pend, _ = w.s.ChangeRequests(w.adminA, 0, "pending", api.Paging{Page: 1, Size: 20})
		if pend.Items[0].Changes[0].To != pii.MaskID(newID) {
			t.Fatalf("approver sees %+v", pend.Items[0].Changes)
		}
		if _, err := w.s.Decide(w.adminA, res.Request.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if full, _ := w.s.Get(w.adminA, m.ID, true); full.IDNumber != newID {
			t.Fatalf("new id not applied: %s", full.IDNumber)
		}
		if mine, _ := w.s.MyRecord(me, false); mine.PendingRequest != nil {
			t.Fatalf("decided request still pending for the member: %+v", mine.PendingRequest)
		}
	})
}

func TestCodeTablesEditable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		if _, err := w.s.SetCode(w.adminA, KindJob, "017", CodeInput{Name: "社区工作者", Parent: "01"}); status(err) != 403 {
			t.Fatalf("org-admin edits codes: %v", err)
		}
		if _, err := w.s.SetCode(w.sysm, KindGender, "3", CodeInput{Name: "未知"}); status(err) != 409 {
			t.Fatalf("gender edited: %v", err)
		}
		tb, err := w.s.SetCode(w.sysm, KindJob, "017", CodeInput{Name: "社区工作者", Parent: "01"})
		if err != nil || !slices.ContainsFunc(tb.Items, func(it CodeItem) bool { return it.Code == "017" && it.Edited }) {
			t.Fatalf("add job code: %+v %v", tb, err)
		}
		if _, err := w.s.SetCode(w.sysm, KindEthnicity, "97", CodeInput{Name: "其他民族"}); err != nil {
			t.Fatal(err)
		}
		codes, _ := w.s.Codes(context.Background())
		if codes.Name(KindEthnicity, "97") != "其他民族" || codes.Name(KindJob, "017") != "社区工作者" || codes.Root(KindJob, "017") != "0" {
			t.Fatal("edits not applied")
		}
		if DefaultCodes.Valid(KindJob, "017") {
			t.Fatal("edits leaked into the defaults")
		}
		in := person("张建国", civil.New(1985, 3, 12), 123, w.a1)
		in.Job = "社区工作者"
		if m := w.create(t, w.adminA, in); m.Job != "017" || m.JobName != "社区工作者" {
			t.Fatalf("member with an added code: %s %s", m.Job, m.JobName)
		}
		if auditCount(t, d, "code.update") != 2 {
			t.Error("code edits not audited")
		}
	})
}

// TestStatsMatchHandCount builds a small subtree and compares every figure with a count
// made by hand in Go.
func TestStatsMatchHandCount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		type spec struct {
			birth          civil.Date
			seq            int
			eth, edu, job  string
			joined, full   civil.Date
			mobile, lost   bool
			org            *org.Org
			suspend, leave bool
		}
		specs := []spec{
			{civil.New(2000, 6, 15), 1, "01", "21", "3", civil.New(2019, 1, 1), civil.New(2020, 1, 1), false, false, w.a1, false, false},    // 26, 男
			{civil.New(1995, 6, 16), 2, "03", "14", "011", civil.New(2016, 5, 1), civil.New(2017, 5, 1), true, false, w.a1, false, false},   // 30, 女, 回族
			{civil.New(1991, 6, 15), 4, "01", "31", "0164", civil.New(2025, 12, 1), civil.Date{}, false, false, w.a1, false, false},         // 35, 女, 预备
			{civil.New(1991, 6, 16), 5, "08", "41", "021", civil.New(2012, 11, 1), civil.New(2013, 11, 1), false, true, w.a2, false, false}, // 34
			{civil.New(1950, 1, 1), 7, "01", "61", "4", civil.New(1970, 3, 1), civil.New(1970, 3, 1), false, false, w.a2, false, false},     // 76
			{civil.New(1930, 1, 1), 9, "01", "81", "4", civil.New(1949, 9, 30), civil.New(1950, 9, 30), false, false, w.a2, false, false},   // 96
			{civil.New(1960, 5, 5), 11, "01", "47", "113", civil.New(2002, 10, 31), civil.New(2003, 10, 31), true, false, w.a2, false, false},
			{civil.New(1970, 1, 1), 13, "01", "21", "011", civil.New(2000, 1, 1), civil.New(2001, 1, 1), false, false, w.a1, true, false},  // suspended
			{civil.New(1971, 1, 1), 15, "01", "21", "011", civil.New(2000, 1, 1), civil.New(2001, 1, 1), false, false, w.a1, false, true},  // left
			{civil.New(1972, 1, 1), 17, "01", "21", "011", civil.New(2000, 1, 1), civil.New(2001, 1, 1), false, false, w.b1, false, false}, // other subtree
		}
		var mine []Input
		for i, sp := range specs {
			in := Input{OrgID: sp.org.ID, Name: fmt.Sprintf("党员%02d", i), IDNumber: idFor(sp.birth, sp.seq), Ethnicity: sp.eth, Education: sp.edu,
				Job: sp.job, JoinedOn: sp.joined, FullOn: sp.full, Mobile: sp.mobile, LostContact: sp.lost}
			ctx := w.adminA
			if sp.org == w.b1 {
				ctx = w.adminB
			}
			m := w.create(t, ctx, in)
			if sp.suspend || sp.leave {
				to := StatusSuspended
				if sp.leave {
					to = StatusLeft
				}
				setStatus(t, w, ctx, m.ID, to, civil.New(2026, 1, 1))
			}
			if sp.org != w.b1 && !sp.suspend && !sp.leave {
				in.Gender = m.Gender
				in.BirthDate = m.BirthDate
				mine = append(mine, in)
			}
		}
		// Hand count over the normal members of 街道 A.
		want := Stats{OrgID: w.a.ID, Suspended: 1}
		bands := map[string]int{}
		edu := map[string]int{}
		occ := map[string]int{}
		period := map[string]int{}
		for _, in := range mine {
			want.Total++
			if in.FullOn.IsZero() {
				want.Probationary++
			} else {
				want.Full++
			}
			if in.Gender == "2" {
				want.Female++
			}
			if in.Ethnicity != "01" {
				want.Minority++
			}
			age := Age(in.BirthDate, today)
			if age <= 35 {
				want.Under35++
			}
			for _, b := range AgeBands {
				if age >= b.Lo && (b.Hi < 0 || age <= b.Hi) {
					bands[b.Code]++
				}
			}
			edu[EducationBucket(in.Education)]++
			occ[in.Job[:1]]++
			for _, p := range JoinedPeriods {
				if (p.From.IsZero() || !in.JoinedOn.Before(p.From)) && (p.To.IsZero() || !in.JoinedOn.After(p.To)) {
					period[p.Code]++
				}
			}
			if in.Mobile {
				want.Mobile++
			}
			if in.LostContact {
				want.LostContact++
			}
		}
		got, err := w.s.Stats(w.adminA, w.a.ID, w.orgs)
		if err != nil {
			t.Fatal(err)
		}
		if got.Total != want.Total || got.Full != want.Full || got.Probationary != want.Probationary || got.Female != want.Female ||
			got.Minority != want.Minority || got.Under35 != want.Under35 || got.Mobile != want.Mobile || got.LostContact != want.LostContact ||
			got.Suspended != want.Suspended || got.OrgID != w.a.ID {
			t.Errorf("stats totals:\n got %+v\nwant %+v", *got, want)
		}
		if want.Total != 7 || want.Female != 2 || want.Under35 != 4 || want.Minority != 2 {
			t.Fatalf("fixture drifted: %+v", want)
		}
		check := func(what string, got []org.Count, want map[string]int, n int) {
			t.Helper()
			if len(got) != n {
				t.Errorf("%s has %d groups, want %d", what, len(got), n)
			}
			sum := 0
			for _, c := range got {
				sum += c.Count
				if c.Count != want[c.Code] {
					t.Errorf("%s %s (%s) = %d, want %d", what, c.Code, c.Name, c.Count, want[c.Code])
				}
			}
			if sum != 7 {
				t.Errorf("%s sums to %d", what, sum)
			}
		}
		check("age", got.AgeBands, bands, 10)
		check("education", got.Education, edu, 6)
		check("occupation", got.Occupation, occ, 6)
		check("joined period", got.JoinedPeriod, period, 9)
		if period["3"] != 1 || period["7"] != 1 || period["8"] != 0 || period["9"] != 4 || bands[">=71"] != 2 || bands["31-35"] != 2 {
			t.Errorf("boundary cases not where expected: %v %v", period, bands)
		}
		if len(got.Orgs) == 0 {
			t.Error("org counts missing")
		}
		// The roster filters agree with the statistics.
		for name, c := range map[string]struct {
			f    ListFilter
			want int
		}{
			"mobile":      {ListFilter{Under: w.a.ID, Mobile: ptr(true)}, want.Mobile},
			"not mobile":  {ListFilter{Under: w.a.ID, Mobile: ptr(false)}, want.Total - want.Mobile + want.Suspended},
			"lost":        {ListFilter{Under: w.a.ID, LostContact: ptr(true)}, want.LostContact},
			"graduate":    {ListFilter{Under: w.a.ID, Education: "1", Status: StatusNormal}, edu["1"]},
			"junior":      {ListFilter{Under: w.a.ID, Education: "6", Status: StatusNormal}, edu["6"]},
			">=71":        {ListFilter{Under: w.a.ID, AgeBand: ">=71", Status: StatusNormal}, bands[">=71"]},
			"probationer": {ListFilter{Under: w.a.ID, Category: CategoryProbationary}, want.Probationary},
			"all":         {ListFilter{Under: w.a.ID, Status: "all"}, 9},
		} {
			l, err := w.s.List(w.adminA, c.f, api.Paging{Page: 1, Size: 50})
			if err != nil || l.Total != c.want {
				t.Errorf("filter %s: %d %v, want %d", name, l.Total, err, c.want)
			}
		}
		// The whole scope of 街道 A equals the subtree of A; B's stats are out of reach.
		all, _ := w.s.Stats(w.adminA, 0, w.orgs)
		if all.Total != 7 {
			t.Errorf("A's whole scope: %d", all.Total)
		}
		if _, err := w.s.Stats(w.adminA, w.b.ID, w.orgs); status(err) != 404 {
			t.Errorf("stats of B as A: %v", err)
		}
		root, _ := w.s.Stats(w.adminRoot, 0, w.orgs)
		if root.Total != 8 {
			t.Errorf("root: %d", root.Total)
		}
		var buf bytes.Buffer
		if err := w.s.ExportStats(w.adminA, w.a.ID, w.orgs, w.a.Name, &buf); err != nil || buf.Len() < 1000 {
			t.Fatalf("stats export: %d %v", buf.Len(), err)
		}
	})
}

var _ = sql.ErrNoRows

var nowFunc = time.Now

func TestCheckKey(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		k1, _, _ := pii.Generate()
		k2, _, _ := pii.Generate()
		if err := NewStore(d, k1).CheckKey(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := NewStore(d, k1).CheckKey(context.Background()); err != nil {
			t.Fatalf("same key again: %v", err)
		}
		if err := NewStore(d, k2).CheckKey(context.Background()); !errors.Is(err, ErrWrongKey) {
			t.Fatalf("another key: %v", err)
		}
	})
}

// TestConcurrentWritesKeepCountsExact creates members from several goroutines at once, in one
// branch and in sibling branches: no deadlock, and every ancestor's count is exact.
func TestConcurrentWritesKeepCountsExact(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		const workers, each = 4, 8
		errs := make(chan error, workers*each)
		done := make(chan struct{})
		for g := range workers {
			go func() {
				defer func() { done <- struct{}{} }()
				br := []*org.Org{w.a1, w.a2}[g%2]
				for i := range each {
					in := person(fmt.Sprintf("并发%d号%d", g, i), civil.New(1980+g, time.Month(1+i), 1), 100+g*10+i, br)
					if _, err := w.s.Create(w.adminA, in); err != nil {
						errs <- err
					}
				}
			}()
		}
		for range workers {
			<-done
		}
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		wantCounts(t, d, w.a1, workers/2*each, 0)
		wantCounts(t, d, w.a2, workers/2*each, 0)
		wantCounts(t, d, w.community, workers*each, 0)
		wantCounts(t, d, w.root, workers*each, 0)
	})
}

// setStatus changes a member's 党籍状态 the way the procedures of internal/standing write it
// (they check the rules first; this package cannot import them).
func setStatus(t testing.TB, w *world, ctx context.Context, id int64, to Status, on civil.Date) *Detail {
	t.Helper()
	ev := map[Status]EventKind{StatusNormal: EventRestore, StatusSuspended: EventSuspend, StatusLeft: EventExpel, StatusDeceased: EventDeath}[to]
	err := w.d.InTx(ctx, func(tx *db.Tx) error {
		m, err := w.s.WritableSubject(ctx, tx, id)
		if err != nil {
			return err
		}
		return w.s.ApplyStatus(ctx, tx, m, StatusAct{Kind: "test", KindName: "测试", To: to, On: on, Reason: "测试", ApprovedBy: "党委", Event: ev})
	})
	if err != nil {
		t.Fatalf("status of %d → %s: %v", id, to, err)
	}
	d, err := w.s.Get(ctx, id, false)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
