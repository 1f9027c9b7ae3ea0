package transfer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/db/dbtest"
	"github.com/dangjian/dangjian/internal/dues"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/pii"
)

// world: a city with two counties (A: 武陵区 in 湖南, B: 鼎城区 in 湖南), each with a township
// 党委 and two 党支部; a branch in 广东 for the cross-province validity; an admin of each
// county and a viewer of county B.
type world struct {
	d                      *db.DB
	s                      *Store
	members                *member.Store
	orgs                   *org.Store
	key                    *pii.Key
	sys                    context.Context
	city                   *org.Org
	countyA, townA         *org.Org
	branchA, branchA2      *org.Org
	countyB, townB         *org.Org
	branchB, branchB2      *org.Org
	dissolved, far         *org.Org
	adminA, adminB, viewB  context.Context
	m, other, probationary *member.Detail
}

func idNumber(prefix, birth, seq string) string {
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	b := prefix + birth + seq
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(b[i]-'0') * w[i]
	}
	return b + string("10X98765432"[sum%11])
}

func as(role string, o *org.Org, uid int64) context.Context {
	return access.With(context.Background(), &access.Principal{UserID: uid, Username: fmt.Sprintf("%s-%d", role, uid),
		Grants: []access.Grant{{Role: role, OrgID: o.ID, OrgPath: o.Path}}})
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	w := &world{d: d, sys: access.System(context.Background()), orgs: org.NewStore(d)}
	w.key, _, _ = pii.Generate()
	w.members = member.NewStore(d, w.key)
	w.s = NewStore(d, w.members, w.orgs)
	mk := func(code, name string, typ org.Type, unit org.UnitType, div string, parent *org.Org) *org.Org {
		in := org.CreateInput{Code: code, Name: name, Type: typ, UnitType: unit, DivisionCode: div}
		if parent != nil {
			in.ParentID = parent.ID
		}
		o, err := w.orgs.Create(w.sys, in)
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return o
	}
	w.city = mk("S", "中共某市委员会", org.TypeCommittee, org.UnitLocal, "", nil)
	w.countyA = mk("SA", "中共武陵区委员会", org.TypeCommittee, org.UnitLocal, "430702", w.city)
	w.townA = mk("SA1", "中共某镇委员会", org.TypeCommittee, org.UnitTownship, "430702", w.countyA)
	w.branchA = mk("SA11", "中共某镇某村支部委员会", org.TypeBranch, org.UnitVillage, "430702", w.townA)
	w.branchA2 = mk("SA12", "中共某镇机关支部委员会", org.TypeBranch, org.UnitOrgan, "430702", w.townA)
	w.dissolved = mk("SA13", "中共某镇原农机站支部委员会", org.TypeBranch, org.UnitOrgan, "430702", w.townA)
	w.countyB = mk("SB", "中共鼎城区委员会", org.TypeCommittee, org.UnitLocal, "430703", w.city)
	w.townB = mk("SB1", "中共某乡委员会", org.TypeCommittee, org.UnitTownship, "430703", w.countyB)
	w.branchB = mk("SB11", "中共某乡某社区支部委员会", org.TypeBranch, org.UnitCommunity, "430703", w.townB)
	w.branchB2 = mk("SB12", "中共某乡学校支部委员会", org.TypeBranch, org.UnitSchool, "430703", w.townB)
	w.far = mk("SF", "中共南山区某街道某社区支部委员会", org.TypeBranch, org.UnitCommunity, "440305", w.city)
	if _, err := w.orgs.Dissolve(w.sys, w.dissolved.ID, org.DissolveInput{Date: civil.Today(), Reason: "单位撤销"}); err != nil {
		t.Fatal(err)
	}
	w.adminA, w.adminB, w.viewB = as("org-admin", w.countyA, 1), as("org-admin", w.countyB, 2), as("org-viewer", w.countyB, 3)
	add := func(name, id string, full civil.Date) *member.Detail {
		joined := civil.New(2010, 7, 1)
		if full.IsZero() {
			joined = civil.Today().AddDate(0, -3, 0)
		}
		m, err := w.members.Create(w.sys, member.Input{OrgID: w.branchA.ID, Name: name, IDNumber: id, Ethnicity: "01", Education: "21",
			JoinedOn: joined, FullOn: full})
		if err != nil {
			t.Fatalf("member %s: %v", name, err)
		}
		return m
	}
	w.m = add("张建国", idNumber("430702", "19850312", "123"), civil.New(2011, 7, 1))
	w.other = add("李红梅", idNumber("430702", "19800101", "124"), civil.New(2011, 7, 1))
	w.probationary = add("赵预备", idNumber("430702", "20000909", "146"), civil.Date{})
	return w
}

func (w *world) count(t *testing.T, o *org.Org) int {
	t.Helper()
	got, err := w.orgs.Get(w.sys, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	if got.FullMembers != nil {
		n += *got.FullMembers
	}
	if got.ProbationaryMembers != nil {
		n += *got.ProbationaryMembers
	}
	return n
}

type ledgerRow struct{ kind, from, to, ref string }

func (w *world) ledger(t *testing.T, memberID int64) []ledgerRow {
	t.Helper()
	rows, err := w.d.Query(w.sys, `SELECT kind, from_path, to_path, ref FROM member_events WHERE member_id = ? ORDER BY id`, memberID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []ledgerRow
	for rows.Next() {
		var r ledgerRow
		if err := rows.Scan(&r.kind, &r.from, &r.to, &r.ref); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func (w *world) issue(t *testing.T, ctx context.Context, m *member.Detail, to *org.Org) *Transfer {
	t.Helper()
	tr, err := w.s.Create(ctx, CreateInput{MemberID: m.ID, ToOrgID: to.ID, Reason: "工作调动"})
	if err != nil {
		t.Fatalf("issue %s → %s: %v", m.Name, to.Name, err)
	}
	return tr
}

func status(err error) int {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

func refused(t *testing.T, err error, rule string) {
	t.Helper()
	var e *api.Error
	if !errors.As(err, &e) || e.Status != 422 || e.Extra["rule"] != rule {
		t.Fatalf("want 422 for %s, got %v", rule, err)
	}
	if e.Extra["source"] == "" || e.Extra["message"] == "" || !strings.Contains(e.Detail, "依据") {
		t.Errorf("422 without its source: %+v", e)
	}
}

func fieldErr(err error, field string) bool {
	var e *api.Error
	return errors.As(err, &e) && e.Status == 422 && e.Fields.Has(field)
}

func TestTransferBetweenCounties(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		before := map[*org.Org]int{}
		for _, o := range []*org.Org{w.city, w.countyA, w.townA, w.branchA, w.countyB, w.townB, w.branchB} {
			before[o] = w.count(t, o)
		}
		tr := w.issue(t, w.adminA, w.m, w.branchB)
		if tr.Status != StatusPending || !strings.HasPrefix(tr.LetterNo, "转字〔") || tr.ValidUntil != tr.IssuedOn.AddDate(0, 3, 0) {
			t.Errorf("new letter: %+v", tr)
		}
		if tr.To.Name != w.branchB.Name || len(tr.To.Path) != 3 || tr.To.Path[1] != w.countyB.Name || tr.CategoryName != "正式党员" {
			t.Errorf("letter's destination or category: %+v", tr)
		}
		// Nothing changes before acceptance: the sender stays responsible (第二十五条).
		got, _ := w.members.Get(w.sys, w.m.ID, false)
		if got.OrgID != w.branchA.ID || got.Version != w.m.Version || len(w.ledger(t, w.m.ID)) != 0 {
			t.Errorf("member changed before acceptance: %+v %v", got, w.ledger(t, w.m.ID))
		}
		for o, n := range before {
			if w.count(t, o) != n {
				t.Errorf("%s count changed before acceptance", o.Name)
			}
		}
		// Both boxes show it; B's admin can accept, A's cannot.
		in, _ := w.s.List(w.adminB, ListFilter{Box: "in", Status: "pending"}, api.Paging{Page: 1, Size: 20})
		out, _ := w.s.List(w.adminA, ListFilter{Box: "out", Status: "pending"}, api.Paging{Page: 1, Size: 20})
		if in.Total != 1 || !in.Items[0].CanAccept || out.Total != 1 || out.Items[0].CanAccept || !out.Items[0].CanWithdraw {
			t.Errorf("boxes: in %+v out %+v", in, out)
		}
		if l, _ := w.s.List(w.adminA, ListFilter{Box: "in"}, api.Paging{Page: 1, Size: 20}); l.Total != 0 {
			t.Errorf("A's in box shows its own letter")
		}
		if _, err := w.s.Accept(w.adminA, tr.ID, Decision{Version: tr.Version}); status(err) != 403 {
			t.Errorf("sender accepted: %v", err)
		}
		if _, err := w.s.Accept(w.viewB, tr.ID, Decision{Version: tr.Version}); status(err) != 403 {
			t.Errorf("viewer accepted: %v", err)
		}
		done, err := w.s.Accept(w.adminB, tr.ID, Decision{Version: tr.Version})
		if err != nil {
			t.Fatal(err)
		}
		if done.Status != StatusAccepted || done.DecidedBy == "" {
			t.Errorf("accepted: %+v", done)
		}
		got, _ = w.members.Get(w.sys, w.m.ID, false)
		if got.OrgID != w.branchB.ID || len(got.History) != 1 || got.History[0].Kind != "transfer" {
			t.Errorf("member after acceptance: org %d history %+v", got.OrgID, got.History)
		}
		l := w.ledger(t, w.m.ID)
		if len(l) != 1 || l[0].kind != "transfer" || !strings.HasPrefix(l[0].from, w.countyA.Path) || !strings.HasPrefix(l[0].to, w.countyB.Path) ||
			l[0].ref != fmt.Sprintf("transfer:%d", tr.ID) {
			t.Errorf("ledger: %+v", l)
		}
		for o, n := range before {
			want := n
			switch o {
			case w.countyA, w.townA, w.branchA:
				want = n - 1
			case w.countyB, w.townB, w.branchB:
				want = n + 1
			}
			if got := w.count(t, o); got != want {
				t.Errorf("%s: %d members, want %d", o.Name, got, want)
			}
		}
		// B's roster has the member now; A's does not.
		if r, _ := w.members.List(w.adminB, member.ListFilter{}, api.Paging{Page: 1, Size: 20}); r.Total != 1 || r.Items[0].ID != w.m.ID {
			t.Errorf("B's roster: %+v", r)
		}
		if r, _ := w.members.List(w.adminA, member.ListFilter{}, api.Paging{Page: 1, Size: 20}); r.Total != 2 {
			t.Errorf("A's roster: %d", r.Total)
		}
		// Accepting twice, or returning an accepted one: 409 with the reason.
		if _, err := w.s.Accept(w.adminB, tr.ID, Decision{Version: done.Version}); status(err) != 409 || !strings.Contains(err.Error(), "已接收") {
			t.Errorf("accepted twice: %v", err)
		}
		if _, err := w.s.Return(w.adminB, tr.ID, Decision{Version: done.Version, Note: "x"}); status(err) != 409 {
			t.Errorf("returned after acceptance: %v", err)
		}
		if len(w.ledger(t, w.m.ID)) != 1 {
			t.Errorf("a second ledger row")
		}
		// The sender still sees the closed letter, and can print it.
		if _, err := w.s.Get(w.adminA, tr.ID); err != nil {
			t.Errorf("sender lost the letter: %v", err)
		}
	})
}

func TestIssueRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		try := func(in CreateInput) error {
			if in.Reason == "" {
				in.Reason = "工作调动"
			}
			_, err := w.s.Create(w.adminA, in)
			return err
		}
		if err := try(CreateInput{MemberID: w.m.ID}); !fieldErr(err, "to_org_id") {
			t.Errorf("no destination: %v", err)
		}
		if err := try(CreateInput{MemberID: w.m.ID, ToOrgID: 999999}); status(err) != 422 {
			t.Errorf("missing destination: %v", err)
		}
		refused(t, try(CreateInput{MemberID: w.m.ID, ToOrgID: w.dissolved.ID}), "transfer.destination")
		refused(t, try(CreateInput{MemberID: w.m.ID, ToOrgID: w.townB.ID}), "transfer.destination")
		refused(t, try(CreateInput{MemberID: w.m.ID, ToOrgID: w.branchA.ID}), "transfer.destination")
		if err := try(CreateInput{MemberID: w.m.ID, ToOrgID: w.branchB.ID, Reason: " "}); !fieldErr(err, "reason") {
			t.Errorf("no reason: %v", err)
		}
		if err := try(CreateInput{MemberID: w.m.ID, ToOrgID: w.branchB.ID, DuesPaidTo: "2026-13"}); !fieldErr(err, "dues_paid_to") {
			t.Errorf("bad month: %v", err)
		}
		// A member whose 党籍 is suspended is not transferred.
		w.setStatus(t, w.other.ID, member.StatusAct{Kind: "suspend", To: member.StatusSuspended, On: civil.Today(), Reason: "失联",
			ApprovedBy: "中共某镇委员会", Event: member.EventSuspend})
		refused(t, try(CreateInput{MemberID: w.other.ID, ToOrgID: w.branchB.ID}), "transfer.member_status")
		// B's admin cannot transfer A's member; a viewer of A cannot either.
		if _, err := w.s.Create(w.adminB, CreateInput{MemberID: w.m.ID, ToOrgID: w.branchB.ID, Reason: "x"}); status(err) != 404 {
			t.Errorf("B transferred A's member: %v", err)
		}
		if _, err := w.s.Create(as("org-viewer", w.countyA, 9), CreateInput{MemberID: w.m.ID, ToOrgID: w.branchB.ID, Reason: "x"}); status(err) != 403 {
			t.Errorf("viewer issued a letter: %v", err)
		}
		var n int
		w.d.QueryRow(w.sys, `SELECT COUNT(*) FROM transfers`).Scan(&n)
		if n != 0 {
			t.Errorf("refused letters were written: %d", n)
		}
		// The right case passes (a 党小组 resolves to its branch), and a second open letter is 409.
		tr := w.issue(t, w.adminA, w.m, w.branchB)
		if err := try(CreateInput{MemberID: w.m.ID, ToOrgID: w.branchB2.ID}); status(err) != 409 || !strings.Contains(err.Error(), tr.LetterNo) {
			t.Errorf("second open letter: %v", err)
		}
		if err := try(CreateInput{Kind: KindOut, MemberID: w.m.ID, ToName: "中共某单位委员会"}); status(err) != 409 {
			t.Errorf("second open letter to outside: %v", err)
		}
		// A probationary member may be transferred; the letter says 预备党员.
		p := w.issue(t, w.adminA, w.probationary, w.branchA2)
		if p.CategoryName != "预备党员" {
			t.Errorf("category: %+v", p)
		}
	})
}

func TestReturnWithdrawAndConcurrency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		before := map[*org.Org]int{w.branchA: w.count(t, w.branchA), w.branchB: w.count(t, w.branchB), w.countyA: w.count(t, w.countyA)}
		tr := w.issue(t, w.adminA, w.m, w.branchB)
		refused(t, func() error { _, err := w.s.Return(w.adminB, tr.ID, Decision{Version: tr.Version}); return err }(), "transfer.no_refusal")
		if _, err := w.s.Return(w.adminA, tr.ID, Decision{Version: tr.Version, Note: "x"}); status(err) != 403 {
			t.Errorf("sender returned: %v", err)
		}
		ret, err := w.s.Return(w.adminB, tr.ID, Decision{Version: tr.Version, Note: "本支部不是该同志的工作单位，请核对"})
		if err != nil {
			t.Fatal(err)
		}
		if ret.Status != StatusReturned || ret.DecisionNote == "" {
			t.Errorf("returned: %+v", ret)
		}
		got, _ := w.members.Get(w.sys, w.m.ID, false)
		if got.OrgID != w.branchA.ID || got.Version != w.m.Version || len(got.History) != 0 || len(w.ledger(t, w.m.ID)) != 0 {
			t.Errorf("a return changed the member: %+v", got)
		}
		for o, n := range before {
			if w.count(t, o) != n {
				t.Errorf("%s count changed by a return", o.Name)
			}
		}
		for name, f := range map[string]func(context.Context, int64, Decision) (*Transfer, error){"accept": w.s.Accept, "return": w.s.Return} {
			if _, err := f(w.adminB, tr.ID, Decision{Version: ret.Version, Note: "x"}); status(err) != 409 || !strings.Contains(err.Error(), "已退回") {
				t.Errorf("%s a returned letter: %v", name, err)
			}
		}
		if _, err := w.s.Withdraw(w.adminA, tr.ID, Decision{Version: ret.Version}); status(err) != 409 {
			t.Errorf("withdrew a returned letter: %v", err)
		}
		// After the return a new letter may be issued; the sender withdraws it.
		tr2 := w.issue(t, w.adminA, w.m, w.branchB2)
		if _, err := w.s.Withdraw(w.adminB, tr2.ID, Decision{Version: tr2.Version}); status(err) != 403 {
			t.Errorf("receiver withdrew: %v", err)
		}
		wd, err := w.s.Withdraw(w.adminA, tr2.ID, Decision{Version: tr2.Version, Note: "转接单位填错"})
		if err != nil || wd.Status != StatusWithdrawn {
			t.Fatalf("withdraw: %+v %v", wd, err)
		}
		if _, err := w.s.Accept(w.adminB, tr2.ID, Decision{Version: wd.Version}); status(err) != 409 || !strings.Contains(err.Error(), "已撤回") {
			t.Errorf("accepted a withdrawn letter: %v", err)
		}
		// Two people acting on the same version: the second is told.
		tr3 := w.issue(t, w.adminA, w.m, w.branchB)
		if _, err := w.s.Accept(w.adminB, tr3.ID, Decision{Version: tr3.Version}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.Return(as("org-admin", w.townB, 7), tr3.ID, Decision{Version: tr3.Version, Note: "重复"}); status(err) != 409 {
			t.Errorf("second actor not told: %v", err)
		}
		tr4 := w.issue(t, w.adminA, w.other, w.branchB)
		// A member whose 党籍 was suspended while the letter was on its way is not received.
		w.setStatus(t, w.other.ID, member.StatusAct{Kind: "suspend", To: member.StatusSuspended, On: civil.Today(), Reason: "失联",
			ApprovedBy: "中共某镇委员会", Event: member.EventSuspend})
		refused(t, func() error { _, err := w.s.Accept(w.adminB, tr4.ID, Decision{Version: tr4.Version}); return err }(), "transfer.member_status")
		w.setStatus(t, w.other.ID, member.StatusAct{Kind: "restore", To: member.StatusNormal, On: civil.Today(), Reason: "恢复联系",
			ApprovedBy: "中共某镇委员会", Event: member.EventRestore})
		if _, err := w.s.Accept(w.adminB, tr4.ID, Decision{Version: tr4.Version + 1}); status(err) != 409 || !strings.Contains(err.Error(), "版") {
			t.Errorf("stale version accepted: %v", err)
		}
		got, _ = w.members.Get(w.sys, w.m.ID, false)
		if got.OrgID != w.branchB.ID || len(w.ledger(t, w.m.ID)) != 1 {
			t.Errorf("after the accepted third letter: org %d ledger %+v", got.OrgID, w.ledger(t, w.m.ID))
		}
	})
}

func TestOverdueAndValidity(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		tr := w.issue(t, w.adminA, w.m, w.branchB)
		far := w.issue(t, w.adminA, w.other, w.far)
		if far.ValidUntil != far.IssuedOn.AddDate(0, 6, 0) {
			t.Errorf("cross-province letter valid until %s, want 6 months", far.ValidUntil)
		}
		page := api.Paging{Page: 1, Size: 20}
		if l, _ := w.s.List(w.adminB, ListFilter{Box: "in", Status: "overdue"}, page); l.Total != 0 {
			t.Errorf("overdue on the day of issue")
		}
		later := tr.ValidUntil.AddDate(0, 0, 1)
		w.s.Today = func() civil.Date { return later }
		in, _ := w.s.List(w.adminB, ListFilter{Box: "in", Status: "overdue"}, page)
		out, _ := w.s.List(w.adminA, ListFilter{Box: "out", Status: "overdue"}, page)
		if in.Total != 1 || !in.Items[0].Overdue || out.Total != 1 || out.Items[0].ID != tr.ID {
			t.Errorf("overdue boxes: in %+v out %+v", in, out)
		}
		// An overdue letter may still be accepted; it is no longer overdue then.
		w.members.Today = func() civil.Date { return later }
		if _, err := w.s.Accept(w.adminB, tr.ID, Decision{Version: tr.Version}); err != nil {
			t.Fatal(err)
		}
		if l, _ := w.s.List(w.adminA, ListFilter{Box: "out", Status: "overdue"}, page); l.Total != 0 {
			t.Errorf("accepted letter still overdue")
		}
		// The validity is configurable (sources disagree); each letter may set its own date.
		w.s.Today = civil.Today
		if _, err := w.s.PutSettings(w.sys, Settings{Months: 0, CrossProvinceMonths: 6}); !fieldErr(err, "months") {
			t.Errorf("0 months accepted: %v", err)
		}
		if _, err := w.s.PutSettings(w.sys, Settings{Months: 2, CrossProvinceMonths: 4}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.Withdraw(w.adminA, far.ID, Decision{Version: far.Version}); err != nil {
			t.Fatal(err)
		}
		p := w.issue(t, w.adminA, w.probationary, w.branchA2)
		if p.ValidUntil != p.IssuedOn.AddDate(0, 2, 0) {
			t.Errorf("after the setting: valid until %s", p.ValidUntil)
		}
		own, err := w.s.Create(w.adminA, CreateInput{MemberID: w.other.ID, ToOrgID: w.far.ID, Reason: "x", ValidUntil: civil.Today().AddDate(0, 0, 10)})
		if err != nil || own.ValidUntil != civil.Today().AddDate(0, 0, 10) {
			t.Errorf("own validity: %+v %v", own, err)
		}
	})
}

func TestDuesFollowTheMember(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ds := dues.NewStore(d, w.key)
		this := dues.MonthOf(civil.Today())
		if _, err := ds.SetStandard(w.sys, w.m.ID, dues.StandardInput{From: this.Add(-6), Category: dues.Farmer, FixedFen: 50}); err != nil {
			t.Fatal(err)
		}
		for _, mo := range []dues.Month{this.Add(-6), this.Add(-5)} {
			day := civil.New(mo.Year(), mo.Mon(), 20)
			ds.Today = func() civil.Date { return day }
			if _, err := ds.Pay(w.sys, dues.PaymentInput{MemberID: w.m.ID, Months: []dues.Month{mo}, Method: "cash", PaidOn: day}); err != nil {
				t.Fatal(err)
			}
		}
		ds.Today = civil.Today
		def, err := w.s.Defaults(w.adminA, w.m.ID, w.branchB.ID, false)
		if err != nil || def.DuesPaidTo != string(this.Add(-5)) || def.ValidUntil != civil.Today().AddDate(0, 3, 0) {
			t.Fatalf("defaults: %+v %v", def, err)
		}
		// A 党费交至 beyond the recorded payments is allowed with a warning.
		tr, err := w.s.Create(w.adminA, CreateInput{MemberID: w.m.ID, ToOrgID: w.branchB.ID, Reason: "工作调动", DuesPaidTo: string(this)})
		if err != nil || len(tr.Warnings) != 1 {
			t.Fatalf("warning for 党费交至 beyond the ledger: %+v %v", tr, err)
		}
		if _, err := w.s.Withdraw(w.adminA, tr.ID, Decision{Version: tr.Version}); err != nil {
			t.Fatal(err)
		}
		tr = w.issue(t, w.adminA, w.m, w.branchB)
		if tr.DuesPaidTo != string(this.Add(-5)) || len(tr.Warnings) != 0 {
			t.Errorf("党费交至 from the ledger: %+v", tr)
		}
		if _, err := w.s.Accept(w.adminB, tr.ID, Decision{Version: tr.Version}); err != nil {
			t.Fatal(err)
		}
		// Earlier entries stay in the old branch's books; the months after 党费交至 are owed
		// to the new branch.
		var n int
		d.QueryRow(w.sys, `SELECT COUNT(*) FROM dues_payments WHERE member_id = ? AND org_id = ?`, w.m.ID, w.branchA.ID).Scan(&n)
		if n != 2 {
			t.Errorf("payments in the old branch's books: %d", n)
		}
		arrB, err := ds.Arrears(w.adminB, w.branchB.ID, api.Paging{Page: 1, Size: 20})
		if err != nil {
			t.Fatal(err)
		}
		if len(arrB.Items) != 1 || arrB.Items[0].Member.ID != w.m.ID || arrB.Items[0].Since != this.Add(-4) {
			t.Errorf("new branch's arrears: %+v", arrB.Items)
		}
		arrA, err := ds.Arrears(w.adminA, w.branchA.ID, api.Paging{Page: 1, Size: 20})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range arrA.Items {
			if a.Member.ID == w.m.ID {
				t.Errorf("old branch still owed the moved member's dues")
			}
		}
	})
}

func TestOutAndBackIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		branchA, countyA := w.count(t, w.branchA), w.count(t, w.countyA)
		if _, err := w.s.Create(w.adminA, CreateInput{Kind: KindOut, MemberID: w.m.ID, Reason: "调往外省工作"}); !fieldErr(err, "to_name") {
			t.Errorf("no receiving organisation: %v", err)
		}
		tr, err := w.s.Create(w.adminA, CreateInput{Kind: KindOut, MemberID: w.m.ID, ToName: "中共某省某厅机关委员会", Reason: "调往外省工作", CrossProvince: true})
		if err != nil {
			t.Fatal(err)
		}
		if tr.StatusName != "待回执" || tr.ValidUntil != tr.IssuedOn.AddDate(0, 6, 0) {
			t.Errorf("out letter: %+v", tr)
		}
		if _, err := w.s.Accept(w.adminA, tr.ID, Decision{Version: tr.Version}); status(err) == 0 {
			t.Errorf("an out letter was accepted in the system")
		}
		if got, _ := w.members.Get(w.sys, w.m.ID, false); got.Status != member.StatusNormal || w.count(t, w.branchA) != branchA {
			t.Errorf("member left before the 回执")
		}
		done, err := w.s.Receipt(w.adminA, tr.ID, Decision{Version: tr.Version, Note: "回执已寄回"})
		if err != nil {
			t.Fatal(err)
		}
		if done.StatusName != "已回执" {
			t.Errorf("receipt: %+v", done)
		}
		got, _ := w.members.Get(w.sys, w.m.ID, false)
		if got.Status != member.StatusTransferred || got.StatusName != "已转出" {
			t.Errorf("status after the 回执: %s %s", got.Status, got.StatusName)
		}
		if w.count(t, w.branchA) != branchA-1 || w.count(t, w.countyA) != countyA-1 {
			t.Errorf("counts after the 回执")
		}
		if r, _ := w.members.List(w.adminA, member.ListFilter{}, api.Paging{Page: 1, Size: 20}); r.Total != 2 {
			t.Errorf("roster still lists the transferred member: %d", r.Total)
		}
		if st, err := w.members.Stats(w.adminA, w.countyA.ID, w.orgs); err != nil || st.Total != 2 {
			t.Errorf("statistics count the transferred member: %+v %v", st, err)
		}
		if l := w.ledger(t, w.m.ID); len(l) != 1 || l[0].kind != "transfer" || l[0].from != w.branchA.Path || l[0].to != "" {
			t.Errorf("ledger after the 回执: %+v", l)
		}
		refused(t, func() error {
			_, err := w.s.Create(w.adminA, CreateInput{MemberID: w.m.ID, ToOrgID: w.branchB.ID, Reason: "x"})
			return err
		}(), "transfer.member_status")

		// Years later the member comes back into county B: the old record is reactivated.
		in := IncomingInput{ToOrgID: w.branchB.ID, FromName: "中共某省某厅机关委员会", ExtLetterNo: "组字〔2026〕15号", LetterDate: civil.Today(),
			Member: member.Input{Name: "张建国", IDNumber: idNumber("430702", "19850312", "123"), Ethnicity: "01", Education: "21",
				JoinedOn: civil.New(2010, 7, 1), FullOn: civil.New(2011, 7, 1)}}
		if _, err := w.s.Incoming(w.adminA, in); status(err) != 404 {
			t.Errorf("A registered into B: %v", err)
		}
		back, err := w.s.Incoming(w.adminB, in)
		if err != nil {
			t.Fatal(err)
		}
		if back.Kind != KindIn || back.MemberID == nil || *back.MemberID != w.m.ID || back.From.OrgID != nil {
			t.Errorf("incoming: %+v", back)
		}
		got, _ = w.members.Get(w.sys, w.m.ID, false)
		if got.Status != member.StatusNormal || got.OrgID != w.branchB.ID {
			t.Errorf("reactivated: %s in %d", got.Status, got.OrgID)
		}
		if l := w.ledger(t, w.m.ID); len(l) != 2 || l[1].from != "" || l[1].to != w.branchB.Path || l[1].ref != fmt.Sprintf("transfer:%d", back.ID) {
			t.Errorf("ledger after coming back: %+v", l)
		}
		// A new member from outside is created with 增加方式 transfer_in.
		in.Member = member.Input{Name: "陈新来", IDNumber: idNumber("440305", "19880808", "004"), Ethnicity: "01", Education: "21",
			JoinedOn: civil.New(2012, 7, 1), FullOn: civil.New(2013, 7, 1)}
		in.ExtLetterNo = "组字〔2026〕16号"
		nt, err := w.s.Incoming(w.adminB, in)
		if err != nil {
			t.Fatal(err)
		}
		if l := w.ledger(t, *nt.MemberID); len(l) != 1 || l[0].kind != "transfer" || l[0].from != "" || l[0].to != w.branchB.Path || l[0].ref != fmt.Sprintf("transfer:%d", nt.ID) {
			t.Errorf("new member's ledger: %+v", l)
		}
		// The same person again is a duplicate, named on the member field.
		in.ExtLetterNo = "组字〔2026〕17号"
		if _, err := w.s.Incoming(w.adminB, in); !fieldErr(err, "member.id_number") {
			t.Errorf("duplicate registration: %v", err)
		}
		in.Member.IDNumber, in.FromName = idNumber("440305", "19900101", "005"), ""
		if _, err := w.s.Incoming(w.adminB, in); !fieldErr(err, "from_name") {
			t.Errorf("no sending organisation: %v", err)
		}
	})
}

func TestOrgTransfer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		cityAdmin := as("org-admin", w.city, 5)
		countyA, countyB := w.count(t, w.countyA), w.count(t, w.countyB)
		if _, err := w.s.MoveOrg(w.adminA, OrgInput{OrgID: w.townA.ID, ParentID: w.countyB.ID, Reason: "区划调整"}); status(err) == 0 {
			t.Errorf("A moved its township into B")
		}
		if _, err := w.s.MoveOrg(cityAdmin, OrgInput{OrgID: w.townA.ID, ParentID: w.countyB.ID}); !fieldErr(err, "reason") {
			t.Errorf("no reason: %v", err)
		}
		tr, err := w.s.MoveOrg(cityAdmin, OrgInput{OrgID: w.townA.ID, ParentID: w.countyB.ID, Reason: "区划调整"})
		if err != nil {
			t.Fatal(err)
		}
		if tr.Kind != KindOrg || tr.MemberCount != 3 || tr.SubjectName != w.townA.Name || tr.From.Name != w.countyA.Name || tr.To.Name != w.countyB.Name {
			t.Errorf("org transfer: %+v", tr)
		}
		if w.count(t, w.countyA) != countyA-3 || w.count(t, w.countyB) != countyB+3 {
			t.Errorf("counts after the org transfer")
		}
		if l := w.ledger(t, w.m.ID); len(l) != 1 || l[0].kind != "org_transfer" {
			t.Errorf("ledger: %+v", l)
		}
		if l, _ := w.s.List(cityAdmin, ListFilter{Kind: KindOrg}, api.Paging{Page: 1, Size: 20}); l.Total != 1 {
			t.Errorf("org transfer not listed")
		}
		html, err := w.s.Letter(cityAdmin, tr.ID, false)
		if err != nil || !strings.Contains(string(html), "整建制") || !strings.Contains(string(html), w.townA.Name) {
			t.Errorf("org transfer record: %v", err)
		}
	})
}

func TestLetterAndDestinations(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		tr := w.issue(t, w.adminA, w.m, w.branchB)
		full := idNumber("430702", "19850312", "123")
		html, err := w.s.Letter(w.adminA, tr.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		page := string(html)
		for _, want := range []string{"存　根", "介绍信", "回　执", tr.LetterNo, "张建国", "正式党员", w.branchB.Name, w.branchA.Name, "有效期至"} {
			if !strings.Contains(page, want) {
				t.Errorf("letter lacks %q", want)
			}
		}
		if strings.Contains(page, full) {
			t.Errorf("letter shows the full 公民身份号码 unasked")
		}
		if _, err := w.s.Letter(w.viewB, tr.ID, true); status(err) != 403 {
			t.Errorf("viewer revealed: %v", err)
		}
		if _, err := w.s.Letter(as("org-admin", w.countyB, 8), 999999, false); status(err) != 404 {
			t.Errorf("missing letter: %v", err)
		}
		html, err = w.s.Letter(w.adminA, tr.ID, true)
		if err != nil || !strings.Contains(string(html), full) {
			t.Fatalf("revealed letter: %v", err)
		}
		var n int
		d.QueryRow(w.sys, `SELECT COUNT(*) FROM audit_log WHERE action = 'member.reveal' AND entity_id = ?`, fmt.Sprint(w.m.ID)).Scan(&n)
		if n != 1 {
			t.Errorf("reveal audited %d times", n)
		}
		// An outsider (county B's admin before any letter to B) cannot read A's letters.
		tr2 := w.issue(t, w.adminA, w.other, w.branchA2)
		if _, err := w.s.Get(w.adminB, tr2.ID); status(err) != 404 {
			t.Errorf("B read A's internal letter: %v", err)
		}
		// The destination search reaches the whole system, names only, branches only.
		ds, err := w.s.Destinations(w.adminA, "某乡")
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 2 || ds[0].Path[len(ds[0].Path)-1] != w.townB.Name || ds[0].Path[0] != w.city.Name {
			t.Errorf("destinations: %+v", ds)
		}
		if ds, _ := w.s.Destinations(w.adminA, "农机站"); len(ds) != 0 {
			t.Errorf("dissolved branch offered: %+v", ds)
		}
		if _, err := w.s.Destinations(w.adminA, "某"); !fieldErr(err, "q") {
			t.Errorf("one-character search: %v", err)
		}
	})
}

// Two receivers act on the same letter at the same moment: exactly one wins, the other is told
// it was already decided, and the member moves once.
func TestConcurrentDecisions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		tr := w.issue(t, w.adminA, w.m, w.branchB)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		actors := []context.Context{w.adminB, as("org-admin", w.townB, 11)}
		for i := range actors {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				if i == 0 {
					_, errs[i] = w.s.Accept(actors[i], tr.ID, Decision{Version: tr.Version})
				} else {
					_, errs[i] = w.s.Return(actors[i], tr.ID, Decision{Version: tr.Version, Note: "同时办理"})
				}
			}(i)
		}
		wg.Wait()
		ok, told := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case status(err) == 409:
				told++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 || told != 1 {
			t.Fatalf("two decisions at once: %d succeeded, %d told (%v)", ok, told, errs)
		}
		got, _ := w.s.Get(w.sys, tr.ID)
		moved := len(w.ledger(t, w.m.ID))
		if (got.Status == StatusAccepted) != (moved == 1) || moved > 1 {
			t.Errorf("letter %s but %d ledger rows", got.Status, moved)
		}
	})
}

// setStatus changes a member's 党籍状态 as a procedure of internal/standing would, without its
// checks (they are standing's tests).
func (w *world) setStatus(t *testing.T, id int64, act member.StatusAct) {
	t.Helper()
	if err := w.d.InTx(w.sys, func(tx *db.Tx) error {
		m, err := w.members.WritableSubject(w.sys, tx, id)
		if err != nil {
			return err
		}
		return w.members.ApplyStatus(w.sys, tx, m, act)
	}); err != nil {
		t.Fatal(err)
	}
}
