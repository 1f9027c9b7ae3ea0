package standing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/db/dbtest"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/pii"
	"github.com/dangjian/dangjian/internal/rules"
)

var today = civil.New(2026, 11, 20)

// world: 区委 R → 街道党工委 N → 支部 C1, C2; R → 支部 O (outside N).
type world struct {
	d                  *db.DB
	s                  *Store
	ms                 *member.Store
	orgs               *org.Store
	r, n, c1, c2, o    *org.Org
	sys, adminN, viewN context.Context
	seq                int
}

func as(role string, o *org.Org) context.Context {
	return access.With(context.Background(), &access.Principal{Username: role, Grants: []access.Grant{{Role: role, OrgID: o.ID, OrgPath: o.Path}}})
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	w := &world{d: d, sys: access.System(context.Background()), seq: 100}
	w.orgs = org.NewStore(d)
	w.orgs.Today = func() civil.Date { return today }
	key, _, err := pii.Generate()
	if err != nil {
		t.Fatal(err)
	}
	w.ms = member.NewStore(d, key)
	w.ms.Today = func() civil.Date { return today }
	w.s = NewStore(d, w.ms)
	w.s.Today = func() civil.Date { return today }
	mk := func(code, name string, typ org.Type, parent *org.Org) *org.Org {
		in := org.CreateInput{Code: code, Name: name, Type: typ, UnitType: org.UnitStreet}
		if parent != nil {
			in.ParentID = parent.ID
		}
		o, err := w.orgs.Create(w.sys, in)
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return o
	}
	w.r = mk("R", "中共某区委员会", org.TypeCommittee, nil)
	w.n = mk("N", "中共启明街道工作委员会", org.TypeWorkingCommittee, w.r)
	w.c1 = mk("C1", "中共启明第一支部委员会", org.TypeBranch, w.n)
	w.c2 = mk("C2", "中共启明第二支部委员会", org.TypeBranch, w.n)
	w.o = mk("O", "中共区直机关支部委员会", org.TypeBranch, w.r)
	w.adminN, w.viewN = as("org-admin", w.n), as("org-viewer", w.n)
	return w
}

var idWeights = []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

func idFor(birth civil.Date, seq int) string {
	base := fmt.Sprintf("430702%s%03d", strings.ReplaceAll(birth.String(), "-", ""), seq)
	sum := 0
	for i, wt := range idWeights {
		sum += int(base[i]-'0') * wt
	}
	return base + string("10X98765432"[sum%11])
}

// member adds a member to o: joined on joined (full a year later unless probationary).
func (w *world) member(t *testing.T, o *org.Org, name string, joined civil.Date, probationary bool, addedAs string) *member.Detail {
	t.Helper()
	w.seq++
	birth := civil.New(1980, 3, 12)
	in := member.Input{OrgID: o.ID, Name: name, IDNumber: idFor(birth, w.seq), Ethnicity: "01", Education: "21", JoinedOn: joined, Job: "011", AddedAs: addedAs}
	if !probationary {
		in.FullOn = joined.AddDate(1, 0, 0)
	}
	m, err := w.ms.Create(w.sys, in)
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	return m
}

func (w *world) record(t *testing.T, ctx context.Context, id int64, in Input) *Answer {
	t.Helper()
	if in.Reason == "" {
		in.Reason = "经支部大会讨论"
	}
	a, err := w.s.Record(ctx, id, in)
	if err != nil {
		t.Fatalf("%s of %d: %v", in.Kind, id, err)
	}
	return a
}

// rule is the rule a refusal names ("" if it is not a rule refusal).
func rule(err error) string {
	var e *api.Error
	if errors.As(err, &e) && e.Extra != nil {
		r, _ := e.Extra["rule"].(string)
		return r
	}
	return ""
}

func field(err error, name string) string {
	var e *api.Error
	if errors.As(err, &e) {
		for _, f := range e.Fields {
			if f.Field == name {
				return f.Message
			}
		}
	}
	return ""
}

func status(err error) int {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Status
	}
	if err != nil {
		return 500
	}
	return 0
}

func approved(k Kind, on civil.Date) Input {
	return Input{Kind: k, On: on, Reason: "经支部大会讨论决定", ApprovedBy: "中共启明街道工作委员会", Document: "启党〔2026〕1号"}
}

func ledger(t *testing.T, d *db.DB, id int64) []string {
	t.Helper()
	rows, err := d.Query(context.Background(), `SELECT kind, from_path, to_path, on_date FROM member_events WHERE member_id = ? ORDER BY id`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k, f, to string
		var on civil.Date
		rows.Scan(&k, &f, &to, &on)
		out = append(out, fmt.Sprintf("%s %s %s→%s", on, k, f, to))
	}
	return out
}

func live(t *testing.T, d *db.DB, o *org.Org) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), `SELECT COALESCE(full_members, 0) + COALESCE(probationary_members, 0) FROM orgs WHERE id = ?`, o.ID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestProcedures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		old := civil.New(2010, 7, 1)
		m := w.member(t, w.c1, "张卫国", old, false, "")

		// 恢复党籍 and 重新入党 do not apply to a member in good standing.
		if _, err := w.s.Record(w.adminN, m.ID, approved(KindRestore, today)); rule(err) != "standing.restore" {
			t.Errorf("restore of a normal member: %v", err)
		}
		if _, err := w.s.Record(w.adminN, m.ID, approved(KindRejoin, today)); rule(err) != "standing.rejoin" {
			t.Errorf("rejoin of a normal member: %v", err)
		}
		// 取消预备党员资格 only for a 预备党员.
		if _, err := w.s.Record(w.adminN, m.ID, approved(KindCancelProbation, today)); rule(err) != "standing.cancel_probation" || !strings.Contains(err.Error(), "第七条") {
			t.Errorf("cancel probation of a full member: %v", err)
		}
		// 停止党籍 needs its ground; 失联 needs the member registered as lost for six months.
		if _, err := w.s.Record(w.adminN, m.ID, approved(KindSuspend, today)); field(err, "ground") == "" {
			t.Errorf("suspend without ground: %v", err)
		}
		in := approved(KindSuspend, civil.New(2026, 5, 1))
		in.Ground = "lost"
		if _, err := w.s.Record(w.adminN, m.ID, in); rule(err) != "standing.suspend.lost" || !strings.Contains(err.Error(), "第二十四条") {
			t.Errorf("suspend a member not lost: %v", err)
		}
		lostOn := civil.New(2026, 1, 10)
		if _, err := w.ms.Update(w.adminN, m.ID, member.Patch{LostContact: ptr(true), LostOn: &lostOn, LostSituation: ptr("1"), Version: m.Version}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.Record(w.adminN, m.ID, in); rule(err) != "standing.suspend.lost" || !strings.Contains(err.Error(), "2026-07-10") {
			t.Errorf("suspend before six months: %v", err)
		}
		in.On = today.AddDate(0, 0, 1)
		if _, err := w.s.Record(w.adminN, m.ID, in); rule(err) != "standing.date" {
			t.Errorf("a date in the future: %v", err)
		}
		in.On, in.ApprovedBy, in.Document = civil.New(2026, 8, 1), "", ""
		if _, err := w.s.Record(w.adminN, m.ID, in); field(err, "approved_by") == "" || field(err, "document") == "" {
			t.Errorf("suspend without approving body and document: %v", err)
		}
		in.ApprovedBy, in.Document = "中共启明街道工作委员会", "启党〔2026〕15号"
		if _, err := w.s.Record(w.viewN, m.ID, in); status(err) != 403 {
			t.Errorf("a viewer suspends: %v", err)
		}
		if _, err := w.s.Record(as("org-admin", w.o), m.ID, in); status(err) != 404 {
			t.Errorf("another subtree suspends: %v", err)
		}
		a := w.record(t, w.adminN, m.ID, in)
		if a.Standing.Status != member.StatusSuspended || a.Change.Kind != "suspend" || a.Change.Document != "启党〔2026〕15号" ||
			!strings.HasPrefix(a.Change.Reason, "与党组织失去联系6个月以上") || a.Change.KindName != "停止党籍" {
			t.Errorf("suspended: %+v", a)
		}
		if live(t, d, w.c1) != 0 || live(t, d, w.r) != 0 {
			t.Error("a suspended member still counts")
		}
		if l := ledger(t, d, m.ID); len(l) != 1 || l[0] != "2026-08-01 suspend "+w.c1.Path+"→" {
			t.Errorf("ledger after suspension: %v", l)
		}
		var summary string
		d.QueryRow(context.Background(), `SELECT summary FROM audit_log WHERE action = 'member.status' ORDER BY id DESC LIMIT 1`).Scan(&summary)
		if !strings.Contains(summary, "停止党籍") || !strings.Contains(summary, "启党〔2026〕15号") {
			t.Errorf("audit: %q", summary)
		}
		// 自行脱党除名 of a suspended member only two years after: blocked by default …
		lapse := approved(KindLapse, today)
		if _, err := w.s.Record(w.adminN, m.ID, lapse); rule(err) != "standing.lapse.after_suspension" || !strings.Contains(err.Error(), "2028-08-01") {
			t.Errorf("lapse three months after suspension: %v", err)
		}
		// … and a warning where the setting says so; the member no longer counted, so the ledger
		// has no second decrease.
		if _, err := w.s.PutSettings(w.sys, Settings{LapseLevel: rules.Warn}); err != nil {
			t.Fatal(err)
		}
		a = w.record(t, w.adminN, m.ID, lapse)
		if a.Standing.Status != member.StatusLeft || len(a.Warnings) != 1 || a.Warnings[0].Rule != "standing.lapse.after_suspension" {
			t.Errorf("lapse with the warning setting: %+v", a)
		}
		if l := ledger(t, d, m.ID); len(l) != 1 {
			t.Errorf("a lapse after suspension wrote a second decrease: %v", l)
		}
		// Someone who left cannot be restored: the refusal says to rejoin.
		if _, err := w.s.Record(w.adminN, m.ID, approved(KindRestore, today)); rule(err) != "standing.restore" || !strings.Contains(err.Error(), "重新入党") {
			t.Errorf("restore after leaving: %v", err)
		}
		st, _ := w.s.Standing(w.adminN, m.ID)
		for _, av := range st.Available {
			if av.Allowed != (av.Kind == KindRejoin) {
				t.Errorf("after leaving, %s allowed = %v (%s)", av.Kind, av.Allowed, av.Reason)
			}
		}
		// 重新入党: a new 加入党组织日期, 预备期 again; counted again.
		if _, err := w.s.Record(w.adminN, m.ID, approved(KindRejoin, civil.New(2026, 11, 1))); rule(err) != "standing.date" {
			t.Errorf("rejoin before leaving: %v", err)
		}
		a = w.record(t, w.adminN, m.ID, approved(KindRejoin, today))
		md, _ := w.ms.Get(w.adminN, m.ID, false)
		if md.Status != member.StatusNormal || md.JoinedOn != today || !md.FullOn.IsZero() || md.Category != member.CategoryProbationary {
			t.Errorf("rejoined: %+v", md.Member)
		}
		if l := ledger(t, d, m.ID); len(l) != 2 || l[1] != today.String()+" rejoin →"+w.c1.Path {
			t.Errorf("ledger after rejoining: %v", l)
		}
		if live(t, d, w.c1) != 1 {
			t.Error("a rejoined member is not counted")
		}
		// Now a 预备党员: 取消预备党员资格 applies.
		a = w.record(t, w.adminN, m.ID, approved(KindCancelProbation, today))
		if a.Standing.Status != member.StatusLeft || len(a.Standing.Items) != 4 {
			t.Errorf("cancel probation: %+v", a.Standing)
		}

		// 恢复党籍 of a suspended member; 死亡 from 停止党籍 writes no second decrease.
		p := w.member(t, w.c2, "李红梅", old, false, "")
		lost := civil.New(2025, 1, 1)
		if _, err := w.ms.Update(w.adminN, p.ID, member.Patch{LostContact: ptr(true), LostOn: &lost, LostSituation: ptr("1"), Version: p.Version}); err != nil {
			t.Fatal(err)
		}
		in.On = civil.New(2026, 3, 1)
		w.record(t, w.adminN, p.ID, in)
		if _, err := w.s.Record(w.adminN, p.ID, approved(KindRestore, civil.New(2026, 2, 1))); rule(err) != "standing.date" {
			t.Errorf("restore before the suspension: %v", err)
		}
		a = w.record(t, w.adminN, p.ID, approved(KindRestore, civil.New(2026, 9, 1)))
		if a.Standing.Status != member.StatusNormal || live(t, d, w.c2) != 1 {
			t.Errorf("restored: %+v", a.Standing)
		}
		w.record(t, w.adminN, p.ID, in) // suspended again
		a = w.record(t, w.adminN, p.ID, Input{Kind: KindDeath, On: today, Reason: "病故"})
		if a.Standing.Status != member.StatusDeceased {
			t.Errorf("death: %+v", a.Standing)
		}
		if l := ledger(t, d, p.ID); len(l) != 3 || !strings.Contains(l[1], "restore") || strings.Contains(strings.Join(l, ";"), "death") {
			t.Errorf("ledger of suspend, restore, suspend, death: %v", l)
		}
		// 死亡 of a member in good standing is a decrease; nothing is possible after.
		q := w.member(t, w.c2, "王建军", old, false, "")
		if _, err := w.s.Record(w.adminN, q.ID, Input{Kind: KindDeath, On: civil.New(2009, 1, 1), Reason: "病故"}); rule(err) != "standing.date" {
			t.Errorf("death before joining: %v", err)
		}
		w.record(t, w.adminN, q.ID, Input{Kind: KindDeath, On: today, Reason: "病故"})
		if l := ledger(t, d, q.ID); len(l) != 1 || !strings.Contains(l[0], "death") {
			t.Errorf("death ledger: %v", l)
		}
		if _, err := w.s.Record(w.adminN, q.ID, approved(KindExpel, today)); rule(err) != "standing.expel" {
			t.Errorf("expel the deceased: %v", err)
		}
		if _, err := w.s.Record(w.adminN, q.ID, Input{Kind: "vanish", On: today, Reason: "x"}); field(err, "kind") == "" {
			t.Errorf("unknown kind: %v", err)
		}
	})
}

func ptr[T any](v T) *T { return &v }

// row finds an organisation's row in a report.
func row(t *testing.T, rep *ChangeReport, o *org.Org) ChangeRow {
	t.Helper()
	for _, r := range rep.Rows {
		if r.OrgID == o.ID {
			return r
		}
	}
	t.Fatalf("no row for %s in %+v", o.Name, rep.Rows)
	return ChangeRow{}
}

func wantRow(t *testing.T, what string, r ChangeRow, prev, inc, dec, end int) {
	t.Helper()
	if r.PrevTotal != prev || r.Increase != inc || r.Decrease != dec || r.Expected != end || r.Actual != end || r.Difference != 0 {
		t.Errorf("%s: 上年底 %d 增 %d 减 %d 应有 %d 实有 %d 差额 %d; want %d + %d − %d = %d, 差额 0",
			what, r.PrevTotal, r.Increase, r.Decrease, r.Expected, r.Actual, r.Difference, prev, inc, dec, end)
	}
	if r.PrevTotal+r.Increase-r.Decrease != r.Expected {
		t.Errorf("%s: the row does not balance", what)
	}
}

// TestYearBalance builds a year with known answers: members registered earlier (补录, no
// ledger row), one developed the year before, then in 2026 a development, transfers in and out
// across N, a move inside N, a suspension and restoration, a death and an expulsion.
func TestYearBalance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		old := civil.New(2005, 7, 1)
		a1 := w.member(t, w.c1, "甲一", old, false, "")
		a2 := w.member(t, w.c1, "甲二", old, false, "")
		a3 := w.member(t, w.c1, "甲三", old, false, "")
		e1 := w.member(t, w.c1, "甲四", civil.New(2025, 6, 1), false, member.AddedDevelop) // developed in 2025
		b1 := w.member(t, w.c2, "乙一", old, false, "")
		b2 := w.member(t, w.c2, "乙二", old, false, "")
		o1 := w.member(t, w.o, "丙一", old, false, "")
		w.member(t, w.o, "丙二", old, false, "")
		d1 := w.member(t, w.c1, "丁一", civil.New(2026, 3, 1), true, "") // develop, by the date
		move := func(id int64, to *org.Org, on civil.Date) {
			t.Helper()
			if _, err := w.ms.MoveOn(w.sys, member.MoveInput{IDs: []int64{id}, OrgID: to.ID, On: on}); err != nil {
				t.Fatal(err)
			}
		}
		move(o1.ID, w.c2, civil.New(2026, 4, 1)) // 转入 N
		move(a3.ID, w.o, civil.New(2026, 5, 1))  // 转出 N
		move(a2.ID, w.c2, civil.New(2026, 6, 1)) // inside N
		lost := civil.New(2025, 10, 1)
		if _, err := w.ms.Update(w.sys, b2.ID, member.Patch{LostContact: ptr(true), LostOn: &lost, LostSituation: ptr("1"), Version: b2.Version}); err != nil {
			t.Fatal(err)
		}
		susp := approved(KindSuspend, civil.New(2026, 7, 1))
		susp.Ground = "lost"
		w.record(t, w.adminN, b2.ID, susp)
		w.record(t, w.adminN, b2.ID, approved(KindRestore, civil.New(2026, 9, 1)))
		w.record(t, w.adminN, a1.ID, Input{Kind: KindDeath, On: civil.New(2026, 8, 1), Reason: "病故"})
		w.record(t, w.adminN, b1.ID, approved(KindExpel, civil.New(2026, 10, 1)))
		_ = d1

		rep, err := w.s.MemberChanges(w.adminN, w.n.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Derived || rep.Note != derivedNote || !rep.Balanced || !rep.Current || len(rep.Rows) != 3 {
			t.Errorf("report: %+v", rep)
		}
		n, c1, c2 := row(t, rep, w.n), row(t, rep, w.c1), row(t, rep, w.c2)
		if !n.Node || c1.Node {
			t.Error("node flag")
		}
		// N: 6 at the end of 2025 (甲一至甲四, 乙一, 乙二); + 丁一 developed, 丙一 in, 乙二 restored;
		// − 甲三 out, 乙二 suspended, 甲一 died, 乙一 expelled; the move of 甲二 changes nothing.
		wantRow(t, "N", n, 6, 3, 4, 5)
		if n.Develop != 1 || n.TransferIn != 1 || n.Restore != 1 || n.TransferOut != 1 || n.Suspend != 1 || n.Death != 1 || n.Expel != 1 || n.Left != 1 {
			t.Errorf("N columns: %+v", n)
		}
		// C1: 4; + 丁一; − 甲三 out, 甲二 moved to C2, 甲一 died = 2 (甲四, 丁一).
		wantRow(t, "C1", c1, 4, 1, 3, 2)
		if c1.TransferOut != 2 || c1.Death != 1 {
			t.Errorf("C1 columns: %+v", c1)
		}
		// C2: 2; + 丙一, 甲二 in, 乙二 restored; − 乙二 suspended, 乙一 expelled = 3.
		wantRow(t, "C2", c2, 2, 3, 2, 3)
		// The children sum to the node, except the move between them, which is a transfer for
		// each child and nothing for N.
		if c1.PrevTotal+c2.PrevTotal != n.PrevTotal || c1.Actual+c2.Actual != n.Actual || c1.Expected+c2.Expected != n.Expected ||
			c1.Develop+c2.Develop != n.Develop || c1.Death+c2.Death != n.Death || c1.Suspend+c2.Suspend != n.Suspend ||
			c1.Restore+c2.Restore != n.Restore || c1.Left+c2.Left != n.Left {
			t.Errorf("children do not sum to the node: %+v %+v %+v", n, c1, c2)
		}
		if c1.TransferIn+c2.TransferIn-n.TransferIn != 1 || c1.TransferOut+c2.TransferOut-n.TransferOut != 1 {
			t.Errorf("the move inside N: in %d+%d vs %d, out %d+%d vs %d", c1.TransferIn, c2.TransferIn, n.TransferIn, c1.TransferOut, c2.TransferOut, n.TransferOut)
		}
		// The root: the transfers between N and O are inside it.
		root, err := w.s.MemberChanges(w.sys, w.r.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		r := row(t, root, w.r)
		wantRow(t, "R", r, 8, 2, 3, 7)
		if r.TransferIn != 0 || r.TransferOut != 0 {
			t.Errorf("root transfers: %+v", r)
		}
		wantRow(t, "O", row(t, root, w.o), 2, 1, 1, 2)

		// 2025, a past year: 实有数 is today's count less the later changes.
		past, err := w.s.MemberChanges(w.adminN, w.n.ID, 2025)
		if err != nil {
			t.Fatal(err)
		}
		wantRow(t, "N 2025", row(t, past, w.n), 5, 1, 0, 6)
		if past.Current || row(t, past, w.n).Develop != 1 {
			t.Errorf("2025: %+v", past)
		}
		if _, err := w.s.MemberChanges(w.adminN, w.n.ID, 2027); field(err, "year") == "" {
			t.Errorf("a future year: %v", err)
		}
		if _, err := w.s.MemberChanges(as("org-admin", w.o), w.n.ID, 2026); status(err) != 404 {
			t.Errorf("another subtree's report: %v", err)
		}

		// 年报封存 of 2025, then a member record deleted without any act: 差额 shows it.
		if _, err := w.s.Freeze(w.adminN, SnapshotInput{OrgID: w.n.ID, Year: 2026}); field(err, "year") == "" {
			t.Errorf("freeze the current year: %v", err)
		}
		if _, err := w.s.Freeze(w.viewN, SnapshotInput{OrgID: w.n.ID, Year: 2025}); status(err) != 403 {
			t.Errorf("a viewer freezes: %v", err)
		}
		fr, err := w.s.Freeze(w.adminN, SnapshotInput{OrgID: w.n.ID, Year: 2025})
		if err != nil || fr.Total != 6 || fr.Orgs != 3 || fr.Refroze {
			t.Fatalf("freeze 2025: %+v %v", fr, err)
		}
		if _, err := w.s.Freeze(w.adminN, SnapshotInput{OrgID: w.n.ID, Year: 2025}); status(err) != 409 {
			t.Errorf("refreeze without confirmation: %v", err)
		}
		if fr, err := w.s.Freeze(w.adminN, SnapshotInput{OrgID: w.n.ID, Year: 2025, Confirm: true}); err != nil || !fr.Refroze || fr.Total != 6 {
			t.Errorf("refreeze: %+v %v", fr, err)
		}
		rep, _ = w.s.MemberChanges(w.adminN, w.n.ID, 2026)
		if rep.Derived || !row(t, rep, w.n).PrevFrozen || !rep.Balanced {
			t.Errorf("frozen report: %+v", rep)
		}
		wantRow(t, "C1 frozen", row(t, rep, w.c1), 4, 1, 3, 2)
		err = d.InTx(w.sys, func(tx *db.Tx) error {
			if _, err := tx.Exec(w.sys, `DELETE FROM members WHERE id = ?`, e1.ID); err != nil {
				return err
			}
			return org.RecountAllMembers(w.sys, tx)
		})
		if err != nil {
			t.Fatal(err)
		}
		rep, _ = w.s.MemberChanges(w.adminN, w.n.ID, 2026)
		n, c1 = row(t, rep, w.n), row(t, rep, w.c1)
		if rep.Balanced || n.Expected != 5 || n.Actual != 4 || n.Difference != 1 || !strings.Contains(n.Explanation, "少 1 名") || c1.Difference != 1 {
			t.Errorf("after an unrecorded deletion: %+v", rep)
		}
		if row(t, rep, w.c2).Difference != 0 {
			t.Error("C2 was not touched")
		}
		// A 补录 into C2 (someone who was a member all along, entered now): no ledger row, so C2
		// has one more than its frozen total and its changes say. N's own total is right again
		// (one deleted, one added), but its children show both.
		w.member(t, w.c2, "补录", old, false, member.AddedRegister)
		rep, _ = w.s.MemberChanges(w.adminN, w.n.ID, 2026)
		if n, c1, c2 := row(t, rep, w.n), row(t, rep, w.c1), row(t, rep, w.c2); n.Difference != 0 || c1.Difference != 1 || c2.Difference != -1 ||
			!strings.Contains(c2.Explanation, "多 1 名") || !strings.Contains(c2.Explanation, "补录") || rep.Balanced {
			t.Errorf("after a 补录: N %+v, C1 %+v, C2 %+v", n, c1, c2)
		}
		// Without the snapshot the same changes would go unseen: the root, not frozen, balances.
		if root, _ := w.s.MemberChanges(w.sys, w.r.ID, 2026); !root.Derived || row(t, root, w.r).Difference != 0 {
			t.Errorf("root (derived): %+v", root)
		}
	})
}

// TestImportAndBulkWriteTheLedger: like Create, a member imported or bulk-loaded who joined this
// year is 新发展 (a ledger row); one who joined earlier is 补录 (none).
func TestImportAndBulkWriteTheLedger(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		birth := civil.New(1970, 1, 1)
		in := func(name string, seq int, joined civil.Date, o *org.Org) member.Input {
			return member.Input{OrgID: o.ID, Name: name, IDNumber: idFor(birth, seq), Ethnicity: "01", Education: "21", JoinedOn: joined, Job: "011"}
		}
		res, err := w.ms.Import(w.adminN, w.n.ID, []member.ImportRow{
			{Row: 2, Org: "C1", Input: in("新一", 1, civil.New(2026, 2, 1), w.c1)},
			{Row: 3, Org: "C1", Input: in("老一", 2, civil.New(2001, 2, 1), w.c1)},
		})
		if err != nil || len(res.Errors) != 0 || res.Created != 2 {
			t.Fatalf("import: %+v %v", res, err)
		}
		loaded := []member.Input{in("新二", 3, civil.New(2026, 5, 1), w.c2), in("老二", 4, civil.New(1999, 5, 1), w.c2),
			in("新三", 5, civil.New(2026, 6, 1), w.o)}
		reg := in("补录", 6, civil.New(2026, 7, 1), w.o)
		reg.AddedAs = member.AddedRegister
		loaded = append(loaded, reg)
		i := 0
		if _, err := w.ms.BulkLoad(w.sys, func() (*member.Input, error) {
			if i == len(loaded) {
				return nil, nil
			}
			i++
			return &loaded[i-1], nil
		}); err != nil {
			t.Fatal(err)
		}
		rows, err := d.Query(context.Background(), `SELECT m.name, e.kind, e.on_date, e.from_path, e.to_path FROM member_events e JOIN members m ON m.id = e.member_id ORDER BY m.name`)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var name, kind, from, to string
			var on civil.Date
			rows.Scan(&name, &kind, &on, &from, &to)
			got = append(got, fmt.Sprintf("%s %s %s %q→%s", name, kind, on, from, to))
		}
		rows.Close()
		want := []string{
			fmt.Sprintf("新一 develop 2026-02-01 \"\"→%s", w.c1.Path),
			fmt.Sprintf("新三 develop 2026-06-01 \"\"→%s", w.o.Path),
			fmt.Sprintf("新二 develop 2026-05-01 \"\"→%s", w.c2.Path),
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("ledger:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		rep, err := w.s.MemberChanges(w.sys, w.r.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		r := row(t, rep, w.r)
		if r.Develop != 3 || r.Actual != 6 || r.PrevTotal != 3 || r.Difference != 0 {
			t.Errorf("root after import and load: %+v", r)
		}
	})
}

// 出国（境） and 回国（境） are recorded acts that leave the 党籍状态, the counts and the ledger
// alone; one open 出国（境） at a time, and no 回国（境） without it.
func TestAbroadIsRecordedWithoutChangingTheCount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		m := w.member(t, w.c1, "李出国", civil.New(2010, 7, 1), false, "")
		before := live(t, d, w.c1)
		if _, err := w.s.Record(w.adminN, m.ID, Input{Kind: KindBack, On: today, Reason: "回国"}); rule(err) != "standing.abroad" {
			t.Errorf("回国 without 出国: %v", err)
		}
		left := civil.New(2026, 3, 1)
		a := w.record(t, w.adminN, m.ID, Input{Kind: KindAbroad, On: left, Reason: "赴澳大利亚留学，预计2028年回国"})
		if !a.Standing.Abroad || a.Standing.Status != member.StatusNormal || !a.Standing.StatusOn.IsZero() || a.Change.KindName != "出国（境）" {
			t.Errorf("after 出国: %+v", a.Standing)
		}
		if live(t, d, w.c1) != before || len(ledger(t, d, m.ID)) != 0 {
			t.Errorf("出国 changed the count (%d → %d) or wrote the ledger %v", before, live(t, d, w.c1), ledger(t, d, m.ID))
		}
		if _, err := w.s.Record(w.adminN, m.ID, Input{Kind: KindAbroad, On: today, Reason: "再次出国"}); rule(err) != "standing.abroad" {
			t.Errorf("a second open 出国: %v", err)
		}
		var summary string
		d.QueryRow(context.Background(), `SELECT summary FROM audit_log WHERE action = 'member.status' ORDER BY id DESC LIMIT 1`).Scan(&summary)
		if !strings.Contains(summary, "出国（境）") || !strings.Contains(summary, "党籍状态不变") {
			t.Errorf("audit: %q", summary)
		}
		b := w.record(t, w.adminN, m.ID, Input{Kind: KindBack, On: civil.New(2026, 9, 1), Reason: "学成回国"})
		if b.Standing.Abroad || live(t, d, w.c1) != before || len(b.Standing.Items) != 2 {
			t.Errorf("after 回国: %+v", b.Standing)
		}
	})
}
