package mobility

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/db/dbtest"
	"github.com/dangjian/dangjian/internal/dues"
	"github.com/dangjian/dangjian/internal/life"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/pii"
	"github.com/dangjian/dangjian/internal/standing"
)

// The day the tests run on; every store is set to it (and moved forward where a rule waits).
var start = civil.New(2026, 11, 20)

type fixture struct {
	d              *db.DB
	s              *Store
	members        *member.Store
	orgs           *org.Store
	life           *life.Store
	dues           *dues.Store
	sys            context.Context
	county, t, u   *org.Org // 县委; 桃源镇党委 (home); 柳溪镇党委 (hosts)
	t1, t2, u1, v1 *org.Org // branches; v1 is under the county directly
	seq            int
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{d: d, sys: access.System(context.Background()), orgs: org.NewStore(d)}
	key, _, err := pii.Generate()
	if err != nil {
		t.Fatal(err)
	}
	f.members = member.NewStore(d, key)
	f.s = NewStore(d, f.members, key)
	f.life = life.NewStore(d, f.orgs)
	f.dues = dues.NewStore(d, key)
	f.setToday(start)
	mk := func(code, name string, typ org.Type, unit org.UnitType, parent *org.Org, division string) *org.Org {
		in := org.CreateInput{Code: code, Name: name, Type: typ, UnitType: unit, DivisionCode: division}
		if parent != nil {
			in.ParentID = parent.ID
		}
		o, err := f.orgs.Create(f.sys, in)
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return o
	}
	f.county = mk("C", "中共某县委员会", org.TypeCommittee, org.UnitLocal, nil, "430702")
	f.t = mk("T", "中共桃源镇委员会", org.TypeCommittee, org.UnitTownship, f.county, "430702")
	f.t1 = mk("T1", "中共桃源村支部委员会", org.TypeBranch, org.UnitVillage, f.t, "430702")
	f.t2 = mk("T2", "中共杏花村支部委员会", org.TypeBranch, org.UnitVillage, f.t, "430702")
	f.u = mk("U", "中共柳溪镇委员会", org.TypeCommittee, org.UnitTownship, f.county, "430702")
	f.u1 = mk("U1", "中共柳溪工业园支部委员会", org.TypeBranch, org.UnitOther, f.u, "430702")
	f.v1 = mk("V1", "中共某县直机关支部委员会", org.TypeBranch, org.UnitOrgan, f.county, "430702")
	return f
}

func (f *fixture) setToday(d civil.Date) {
	day := func() civil.Date { return d }
	f.s.Today, f.members.Today, f.life.Today, f.dues.Today = day, day, day, day
}

func idNumber(birth string, seq int) string {
	base := "430702" + birth + string(rune('0'+seq/100%10)) + string(rune('0'+seq/10%10)) + string(rune('0'+seq%10))
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(base[i]-'0') * w
	}
	return base + string("10X98765432"[sum%11])
}

func (f *fixture) member(t *testing.T, o *org.Org, name string, joined civil.Date) *member.Detail {
	t.Helper()
	f.seq++
	full := joined.AddDate(1, 0, 0)
	if full.After(f.s.Today()) {
		full = civil.Date{}
	}
	m, err := f.members.Create(f.sys, member.Input{OrgID: o.ID, Name: name, IDNumber: idNumber("19800101", f.seq), Ethnicity: "01", Education: "21",
		JoinedOn: joined, FullOn: full, AddedAs: member.AddedRegister})
	if err != nil {
		t.Fatalf("member %s: %v", name, err)
	}
	return m
}

func as(role string, o *org.Org) context.Context {
	return access.With(context.Background(), &access.Principal{Username: role + "-" + o.Code,
		Grants: []access.Grant{{Role: role, OrgID: o.ID, OrgPath: o.Path}}})
}

func status(err error) int {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// refused asserts err is status for field, naming rule with its source (rule "" for a plain
// field error).
func refused(t *testing.T, err error, code int, field, rule string) {
	t.Helper()
	var e *api.Error
	if !errors.As(err, &e) || e.Status != code {
		t.Fatalf("want %d on %s (%s), got %v", code, field, rule, err)
	}
	if field != "" && !e.Fields.Has(field) {
		t.Fatalf("want the error on %s, got %+v", field, e.Fields)
	}
	if rule != "" && (e.Extra["rule"] != rule || e.Extra["source"] == "" || !strings.Contains(e.Detail, "依据")) {
		t.Fatalf("want rule %s with its source, got %+v %s", rule, e.Extra, e.Detail)
	}
}

// checkCounts compares the 流动 and 失联 figures of the statistics (read from the roll-ups for
// the 党委, directly for a 支部) with a recount of the members table, for every organisation.
func (f *fixture) checkCounts(t *testing.T, when string) {
	t.Helper()
	for _, o := range []*org.Org{f.county, f.t, f.t1, f.t2, f.u, f.u1, f.v1} {
		st, err := f.members.Stats(f.sys, o.ID, f.orgs)
		if err != nil {
			t.Fatal(err)
		}
		var mobile, lost int
		if err := f.d.QueryRow(f.sys, `SELECT COALESCE(SUM(CASE WHEN mobile THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN lost_contact THEN 1 ELSE 0 END), 0)
			FROM members WHERE status = 'normal' AND org_path LIKE ?`, o.Path+"%").Scan(&mobile, &lost); err != nil {
			t.Fatal(err)
		}
		if st.Mobile != mobile || st.LostContact != lost {
			t.Fatalf("%s, %s: stats mobile %d lost %d, recount %d %d", when, o.Name, st.Mobile, st.LostContact, mobile, lost)
		}
	}
}

func (f *fixture) flags(t *testing.T, m *member.Detail) *member.Detail {
	t.Helper()
	d, err := f.members.Get(f.sys, m.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestOutingRulesFlagsAndReturn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		m := f.member(t, f.t1, "张外出", civil.New(2010, 7, 1))
		other := f.member(t, f.t1, "李在家", civil.New(2012, 7, 1))
		admin := as("org-admin", f.t)
		ok := OutingInput{LeftOn: start.AddDate(0, -1, 0), DivisionCode: "440305", Place: "深圳市南山区某科技公司", Reason: "1",
			HostOrgID: &f.u1.ID, HostContact: "陈联络", HostPhone: "13912345678", HasCard: true, CardNo: "LD2026-0012", FixedPlace: true}
		bad := func(change func(*OutingInput)) OutingInput { in := ok; change(&in); return in }

		_, err := f.s.Go(admin, m.ID, bad(func(in *OutingInput) { in.LeftOn = start.AddDate(0, 0, 1) }))
		refused(t, err, 422, "left_on", "mobility.dates")
		_, err = f.s.Go(admin, m.ID, bad(func(in *OutingInput) { in.LeftOn = civil.New(2010, 6, 30) }))
		refused(t, err, 422, "left_on", "mobility.dates")
		missing := int64(987654)
		_, err = f.s.Go(admin, m.ID, bad(func(in *OutingInput) { in.HostOrgID = &missing }))
		refused(t, err, 422, "host_org_id", "mobility.host")
		_, err = f.s.Go(admin, m.ID, bad(func(in *OutingInput) { in.HostOrgID = &f.t1.ID }))
		refused(t, err, 422, "host_org_id", "mobility.host")
		_, err = f.s.Go(admin, m.ID, bad(func(in *OutingInput) { in.CardNo = "" }))
		refused(t, err, 422, "card_no", "")
		_, err = f.s.Go(admin, m.ID, bad(func(in *OutingInput) { in.Reason = "9" }))
		refused(t, err, 422, "reason", "")
		_, err = f.s.Go(admin, m.ID, bad(func(in *OutingInput) { in.DivisionCode = "999999" }))
		refused(t, err, 422, "division_code", "")
		_, err = f.s.Go(as("org-viewer", f.t), m.ID, ok)
		if status(err) != 403 {
			t.Fatalf("a viewer registers an outing: %v", err)
		}
		_, err = f.s.Go(as("org-admin", f.u), m.ID, ok)
		if status(err) != 404 {
			t.Fatalf("the host registers the outing of another town's member: %v", err)
		}
		if m2 := f.flags(t, m); m2.Mobile || m2.Version != m.Version {
			t.Fatalf("refused outings changed the member: %+v", m2)
		}
		f.checkCounts(t, "before")

		rec, err := f.s.Go(admin, m.ID, ok)
		if err != nil {
			t.Fatal(err)
		}
		x := rec.Outing
		if x == nil || x.Scope != "cross_province" || x.HostOrg == nil || x.HostOrg.ID != f.u1.ID || x.HostName != f.u1.Name ||
			x.HostPhone == "13912345678" || !strings.Contains(x.HostPhone, "*") || !x.HasCard || x.CardNo != "LD2026-0012" || x.Months != 1 {
			t.Fatalf("outing: %+v", x)
		}
		if got := f.flags(t, m); !got.Mobile || !strings.Contains(got.MobileTo, "跨省") || !strings.Contains(got.MobileTo, "深圳") {
			t.Fatalf("member flags after the outing: mobile %v %q", got.Mobile, got.MobileTo)
		}
		f.checkCounts(t, "after the outing")
		if _, err := f.s.Go(admin, m.ID, ok); status(err) != 409 {
			t.Fatalf("second open outing: %v", err)
		}
		if p, err := f.s.RevealPhone(admin, x.ID); err != nil || p != "13912345678" {
			t.Fatalf("reveal the contact's phone: %q %v", p, err)
		}
		if _, err := f.s.RevealPhone(as("org-viewer", f.t), x.ID); status(err) != 403 {
			t.Fatalf("a viewer reveals the phone: %v", err)
		}

		_, err = f.s.Return(admin, m.ID, ReturnInput{ReturnedOn: ok.LeftOn.AddDate(0, 0, -1)})
		refused(t, err, 422, "returned_on", "mobility.dates")
		_, err = f.s.Return(admin, m.ID, ReturnInput{ReturnedOn: start.AddDate(0, 0, 1)})
		refused(t, err, 422, "returned_on", "mobility.dates")
		if _, err := f.s.Return(admin, other.ID, ReturnInput{ReturnedOn: start}); status(err) != 409 {
			t.Fatalf("return of a member who never left: %v", err)
		}
		rec, err = f.s.Return(admin, m.ID, ReturnInput{ReturnedOn: start, Note: "返乡创业"})
		if err != nil {
			t.Fatal(err)
		}
		if rec.Outing != nil || len(rec.Outings) != 1 || rec.Outings[0].ReturnedOn != start || rec.Mobile {
			t.Fatalf("after the return: %+v", rec)
		}
		if got := f.flags(t, m); got.Mobile || got.MobileTo != "" {
			t.Fatalf("member flags after the return: %v %q", got.Mobile, got.MobileTo)
		}
		f.checkCounts(t, "after the return")
		// A text 流入地党组织 outside the system, 县内 chosen by hand.
		if _, err := f.s.Go(admin, m.ID, OutingInput{LeftOn: start, Scope: "in_county", Place: "县城某物流园", Reason: "1", HostName: "中共某物流园区支部委员会"}); err != nil {
			t.Fatal(err)
		}
		f.checkCounts(t, "after a second outing")
	})
}

func TestHostedListSeenByTheHostOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		m := f.member(t, f.t1, "张外出", civil.New(2010, 7, 1))
		if _, err := f.s.Go(as("org-admin", f.t), m.ID, OutingInput{LeftOn: start.AddDate(0, -2, 0), Scope: "cross_county", Place: "柳溪工业园",
			Reason: "1", HostOrgID: &f.u1.ID}); err != nil {
			t.Fatal(err)
		}
		list := func(ctx context.Context, hosted bool) []string {
			l, err := f.s.Outings(ctx, OutingFilter{Hosted: hosted}, api.Paging{Page: 1, Size: 20})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, x := range l.Items {
				names = append(names, x.Member.Name)
			}
			if l.Total != len(names) || l.Summary.Total != len(names) {
				t.Fatalf("totals %d / %d for %d items", l.Total, l.Summary.Total, len(names))
			}
			return names
		}
		host, home, other := as("org-viewer", f.u), as("org-viewer", f.t), as("org-viewer", f.v1)
		if got := list(host, true); len(got) != 1 || got[0] != "张外出" {
			t.Fatalf("流入 of the host: %v", got)
		}
		if got := list(as("org-viewer", f.u1), true); len(got) != 1 {
			t.Fatalf("流入 of the host branch: %v", got)
		}
		if got := list(host, false); len(got) != 0 {
			t.Fatalf("流出 of the host: %v", got)
		}
		if got := list(home, false); len(got) != 1 {
			t.Fatalf("流出 of the home town: %v", got)
		}
		if got := list(home, true); len(got) != 0 {
			t.Fatalf("流入 of the home town: %v", got)
		}
		if got := list(other, true); len(got) != 0 {
			t.Fatalf("流入 of an unrelated branch: %v", got)
		}
		if got := list(other, false); len(got) != 0 {
			t.Fatalf("流出 of an unrelated branch: %v", got)
		}
		if got := list(as("org-viewer", f.county), true); len(got) != 1 {
			t.Fatalf("流入 of the county: %v", got)
		}
		// The host sees the outing, not the member's file.
		if _, err := f.s.Get(host, m.ID); status(err) != 404 {
			t.Fatalf("host reads the member's file: %v", err)
		}
		if _, err := f.s.Outings(host, OutingFilter{Hosted: true, Under: f.t.ID}, api.Paging{Page: 1, Size: 5}); status(err) != 404 {
			t.Fatalf("host lists under the home town: %v", err)
		}
		l, err := f.s.Outings(home, OutingFilter{}, api.Paging{Page: 1, Size: 5})
		if err != nil || l.Summary.ByScope["cross_county"] != 1 || l.Summary.WithCard != 0 || l.Summary.Over6m != 0 {
			t.Fatalf("流出 breakdown: %+v %v", l.Summary, err)
		}
	})
}

func hasProposal(t *testing.T, f *fixture, ctx context.Context, kind string, m *member.Detail) *Proposal {
	t.Helper()
	ps, err := f.s.Proposals(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range ps {
		if p.Kind == kind && p.Member.ID == m.ID {
			return &ps[i]
		}
	}
	return nil
}

func TestTransferTodoAfterSixMonthsAtAFixedPlace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		fixed := f.member(t, f.t1, "张固定", civil.New(2010, 7, 1))
		roaming := f.member(t, f.t1, "李流动", civil.New(2010, 7, 1))
		admin := as("org-admin", f.t)
		left := start.AddDate(0, -5, 0)
		for _, m := range []*member.Detail{fixed, roaming} {
			if _, err := f.s.Go(admin, m.ID, OutingInput{LeftOn: left, Scope: "cross_province", Place: "广东省东莞市", Reason: "1",
				FixedPlace: m == fixed, HostName: "中共东莞某厂支部委员会"}); err != nil {
				t.Fatal(err)
			}
		}
		due := left.AddDate(0, 6, 0)
		f.setToday(due.AddDate(0, 0, -1))
		if p := hasProposal(t, f, admin, "transfer", fixed); p != nil {
			t.Fatalf("transfer 待办 a day before six months: %+v", p)
		}
		f.setToday(due)
		p := hasProposal(t, f, admin, "transfer", fixed)
		if p == nil || p.DueOn != due || p.Action.Path != "/api/v1/transfers" || !strings.Contains(p.Source, "第二十五条") || !strings.Contains(p.Detail, "东莞某厂") {
			t.Fatalf("transfer 待办 at six months: %+v", p)
		}
		if p := hasProposal(t, f, admin, "transfer", roaming); p != nil {
			t.Fatalf("transfer 待办 for a member without a fixed place: %+v", p)
		}
		if p := hasProposal(t, f, as("org-admin", f.u), "transfer", fixed); p != nil {
			t.Fatalf("another town sees the 待办: %+v", p)
		}
		// Six months from the 31st: due on the day the calendar's months are complete.
		monthEnd := f.member(t, f.t2, "何月末", civil.New(2010, 7, 1))
		f.setToday(start)
		if _, err := f.s.Go(admin, monthEnd.ID, OutingInput{LeftOn: civil.New(2026, 5, 31), Scope: "cross_province", Place: "浙江省义乌市", Reason: "1", FixedPlace: true}); err != nil {
			t.Fatal(err)
		}
		f.setToday(civil.New(2026, 11, 30))
		if p := hasProposal(t, f, admin, "transfer", monthEnd); p != nil {
			t.Fatalf("transfer 待办 before six months from the 31st: %+v", p)
		}
		f.setToday(civil.New(2026, 12, 1))
		if p := hasProposal(t, f, admin, "transfer", monthEnd); p == nil || p.DueOn != civil.New(2026, 12, 1) {
			t.Fatalf("transfer 待办 six months from the 31st: %+v", p)
		}
		f.setToday(due)
		if _, err := f.s.Return(admin, fixed.ID, ReturnInput{ReturnedOn: due}); err != nil {
			t.Fatal(err)
		}
		if p := hasProposal(t, f, admin, "transfer", fixed); p != nil {
			t.Fatalf("transfer 待办 after the return: %+v", p)
		}
	})
}

// attend records a 党课 on day with m present.
func (f *fixture) attend(t *testing.T, o *org.Org, m *member.Detail, day civil.Date) {
	t.Helper()
	if _, err := f.life.Create(f.sys, life.MeetingInput{OrgID: o.ID, Type: life.TypePartyLecture, HeldOn: day, Topic: "学习党章", Host: "王书记",
		Attendance: []life.AttendanceInput{{MemberID: m.ID, Status: "present"}}}); err != nil {
		t.Fatalf("meeting on %s: %v", day, err)
	}
}

// pay records the dues of month paid on day.
func (f *fixture) pay(t *testing.T, m *member.Detail, month string, day civil.Date) {
	t.Helper()
	f.dues.Today = func() civil.Date { return day }
	defer func() { f.dues.Today = f.s.Today }()
	if _, err := f.dues.SetStandard(f.sys, m.ID, dues.StandardInput{From: dues.Month(month), Category: dues.Farmer, FixedFen: 50}); err != nil {
		t.Fatalf("standard %s: %v", month, err)
	}
	if _, err := f.dues.Pay(f.sys, dues.PaymentInput{MemberID: m.ID, Months: []dues.Month{dues.Month(month)}, Method: "cash", PaidOn: day}); err != nil {
		t.Fatalf("pay %s on %s: %v", month, day, err)
	}
}

func TestLostDateFromAttendanceAndDues(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		admin := as("org-admin", f.t)
		joined := civil.New(2010, 7, 1)
		byDues := f.member(t, f.t1, "赵交费", joined)
		byMeeting := f.member(t, f.t1, "钱开会", joined)
		nothing := f.member(t, f.t1, "孙无记录", joined)
		f.attend(t, f.t1, byDues, civil.New(2025, 3, 10))
		f.pay(t, byDues, "2025-06", civil.New(2025, 6, 5))
		f.pay(t, byMeeting, "2025-02", civil.New(2025, 2, 5))
		f.attend(t, f.t1, byMeeting, civil.New(2025, 4, 18))

		rec, err := f.s.Get(admin, byDues.ID)
		if err != nil {
			t.Fatal(err)
		}
		if b := rec.Basis; b.LostOn != civil.New(2025, 6, 5) || b.Basis != "dues" || b.AttendedOn != civil.New(2025, 3, 10) || b.Source == "" {
			t.Fatalf("basis from dues: %+v", b)
		}
		rec, err = f.s.MarkLost(admin, byDues.ID, LostInput{Situation: "1"})
		if err != nil {
			t.Fatal(err)
		}
		if rec.Loss == nil || rec.Loss.LostOn != civil.New(2025, 6, 5) || rec.Loss.Basis != "dues" || !strings.Contains(rec.Loss.BasisNote, "党费") ||
			rec.Loss.Band != "1-5y" || rec.Loss.SituationName != "外出务工经商" {
			t.Fatalf("loss from dues: %+v", rec.Loss)
		}
		got := f.flags(t, byDues)
		if !got.LostContact || got.LostOn != civil.New(2025, 6, 5) || got.LostSituation != "1" {
			t.Fatalf("member flags: %v %s %q", got.LostContact, got.LostOn, got.LostSituation)
		}
		rec, err = f.s.MarkLost(admin, byMeeting.ID, LostInput{Situation: "6"})
		if err != nil || rec.Loss.LostOn != civil.New(2025, 4, 18) || rec.Loss.Basis != "attendance" {
			t.Fatalf("loss from attendance: %+v %v", rec, err)
		}
		f.checkCounts(t, "after two losses")

		// Refusals, each naming its field and rule; nothing is written.
		_, err = f.s.MarkLost(admin, byDues.ID, LostInput{Situation: "1"})
		refused(t, err, 409, "member_id", "lost.once")
		_, err = f.s.MarkLost(admin, nothing.ID, LostInput{Situation: "7"})
		refused(t, err, 422, "lost_on", "lost.date")
		_, err = f.s.MarkLost(admin, nothing.ID, LostInput{Situation: "7", LostOn: civil.New(2010, 6, 30)})
		refused(t, err, 422, "lost_on", "lost.date")
		_, err = f.s.MarkLost(admin, nothing.ID, LostInput{Situation: "7", LostOn: start.AddDate(0, 0, 1)})
		refused(t, err, 422, "lost_on", "lost.date")
		_, err = f.s.MarkLost(admin, nothing.ID, LostInput{Situation: "8", LostOn: civil.New(2024, 1, 1)})
		refused(t, err, 422, "situation", "lost.situation")
		_, err = f.s.AddSearch(admin, nothing.ID, SearchInput{SearchedOn: start, Way: "电话", Result: "无人接听", ByWhom: "王书记"})
		refused(t, err, 409, "member_id", "lost.once")
		_, err = f.s.Restore(admin, nothing.ID, RestoreInput{FoundOn: start, Outcome: "manage"})
		refused(t, err, 409, "member_id", "lost.once")
		if got := f.flags(t, nothing); got.LostContact || got.Version != nothing.Version {
			t.Fatalf("refusals changed the member: %+v", got)
		}
		// The right case: a date the branch checked, recorded as such next to the computed one.
		rec, err = f.s.MarkLost(admin, nothing.ID, LostInput{Situation: "3", LostOn: civil.New(2015, 9, 1)})
		if err != nil || rec.Loss.Basis != "manual" || rec.Loss.Band != "11y" {
			t.Fatalf("manual loss: %+v %v", rec, err)
		}

		l, err := f.s.Losses(admin, LossFilter{}, api.Paging{Page: 1, Size: 2})
		if err != nil {
			t.Fatal(err)
		}
		if l.Total != 3 || len(l.Items) != 2 || l.Summary.ByBand["1-5y"] != 2 || l.Summary.ByBand["11y"] != 1 || l.Summary.BySituation["6"] != 1 {
			t.Fatalf("失联 list: total %d, %d items, %+v", l.Total, len(l.Items), l.Summary)
		}
		if l, _ := f.s.Losses(admin, LossFilter{Band: "11y"}, api.Paging{Page: 1, Size: 5}); l.Total != 1 || l.Items[0].Member.Name != "孙无记录" {
			t.Fatalf("失联 list by band: %+v", l)
		}
		if l, _ := f.s.Losses(as("org-admin", f.u), LossFilter{}, api.Paging{Page: 1, Size: 5}); l.Total != 0 {
			t.Fatalf("another town sees the losses: %+v", l)
		}

		// 恢复联系: date and outcome checked, flags cleared.
		_, err = f.s.Restore(admin, byDues.ID, RestoreInput{FoundOn: civil.New(2025, 6, 1), Outcome: "manage"})
		refused(t, err, 422, "found_on", "")
		_, err = f.s.Restore(admin, byDues.ID, RestoreInput{FoundOn: start, Outcome: "forgive"})
		refused(t, err, 422, "outcome", "")
		rec, err = f.s.Restore(admin, byDues.ID, RestoreInput{FoundOn: start, Outcome: "correct", Note: "限期三个月参加组织生活、补交党费"})
		if err != nil || rec.Loss != nil || rec.Losses[0].OutcomeName != "限期改正" || rec.Losses[0].Months != 17 {
			t.Fatalf("restore: %+v %v", rec, err)
		}
		if got := f.flags(t, byDues); got.LostContact || !got.LostOn.IsZero() || got.LostSituation != "" {
			t.Fatalf("flags after the restore: %+v", got)
		}
		f.checkCounts(t, "after the restore")
		if _, err := f.s.AddSearch(admin, byDues.ID, SearchInput{SearchedOn: start, Way: "电话", Result: "x", ByWhom: "王"}); status(err) != 409 {
			t.Fatalf("search after the restore: %v", err)
		}
		// Lost again later: a new spell.
		if _, err := f.s.MarkLost(admin, byDues.ID, LostInput{Situation: "6", LostOn: start}); err != nil {
			t.Fatal(err)
		}
		f.checkCounts(t, "lost again")
	})
}

func TestSuspendAndLapseProposals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		admin := as("org-admin", f.t)
		m := f.member(t, f.t1, "周失联", civil.New(2010, 7, 1))
		unsearched := f.member(t, f.t1, "吴未查", civil.New(2010, 7, 1))
		lost := start.AddDate(0, -2, 0)
		for _, x := range []*member.Detail{m, unsearched} {
			if _, err := f.s.MarkLost(admin, x.ID, LostInput{Situation: "1", LostOn: lost}); err != nil {
				t.Fatal(err)
			}
		}
		_, err := f.s.AddSearch(admin, m.ID, SearchInput{SearchedOn: lost.AddDate(0, 0, -1), Way: "电话", Result: "停机", ByWhom: "王书记"})
		refused(t, err, 422, "searched_on", "")
		_, err = f.s.AddSearch(admin, m.ID, SearchInput{SearchedOn: start, Way: "", Result: "停机", ByWhom: "王书记"})
		refused(t, err, 422, "way", "")
		rec, err := f.s.AddSearch(admin, m.ID, SearchInput{SearchedOn: start, Way: "电话、走访家属", Result: "电话停机，家属称去向不明", ByWhom: "王书记"})
		if err != nil || len(rec.Loss.Searches) != 1 || rec.Loss.SearchCount != 1 {
			t.Fatalf("search: %+v %v", rec, err)
		}
		due := lost.AddDate(0, 6, 0)
		f.setToday(due.AddDate(0, 0, -1))
		if p := hasProposal(t, f, admin, "suspend", m); p != nil {
			t.Fatalf("停止党籍 proposal before six months: %+v", p)
		}
		f.setToday(due)
		p := hasProposal(t, f, admin, "suspend", m)
		if p == nil || p.DueOn != due || p.Action.Kind != "suspend" || p.Action.Path != "/api/v1/members/"+idStr(m.ID)+"/status-changes" ||
			!strings.Contains(p.Source, "第二十四条") || p.Rule != "lost.suspend" {
			t.Fatalf("停止党籍 proposal at six months: %+v", p)
		}
		if p := hasProposal(t, f, admin, "suspend", unsearched); p != nil {
			t.Fatalf("停止党籍 proposal without a search: %+v", p)
		}
		if p := hasProposal(t, f, as("org-admin", f.u), "suspend", m); p != nil {
			t.Fatalf("another town sees the proposal: %+v", p)
		}

		// The branch suspends (another capability's procedure); two years later → 除名.
		procedures := standing.NewStore(d, f.members)
		procedures.Today = func() civil.Date { return due }
		if _, err := procedures.Record(f.sys, m.ID, standing.Input{Kind: standing.KindSuspend, Ground: "lost", On: due,
			Reason: "失联6个月以上查找无果", ApprovedBy: "中共桃源镇委员会", Document: "桃党发〔2026〕1号"}); err != nil {
			t.Fatal(err)
		}
		if p := hasProposal(t, f, admin, "suspend", m); p != nil {
			t.Fatalf("停止党籍 proposal after the suspension: %+v", p)
		}
		lapse := due.AddDate(2, 0, 0)
		f.setToday(lapse.AddDate(0, 0, -1))
		if p := hasProposal(t, f, admin, "lapse", m); p != nil {
			t.Fatalf("除名 proposal before two years: %+v", p)
		}
		f.setToday(lapse)
		p = hasProposal(t, f, admin, "lapse", m)
		if p == nil || p.Action.Kind != "lapse" || p.DueOn != lapse || !strings.Contains(p.Source, "第二十四条") {
			t.Fatalf("除名 proposal after two years: %+v", p)
		}
		// Found again: no proposal any more.
		if _, err := f.s.Restore(admin, m.ID, RestoreInput{FoundOn: lapse, Outcome: "dispose"}); err != nil {
			t.Fatal(err)
		}
		if p := hasProposal(t, f, admin, "lapse", m); p != nil {
			t.Fatalf("除名 proposal after the restore: %+v", p)
		}
		f.checkCounts(t, "end")
	})
}

func TestScreeningListsMembersWithoutLifeOrDues(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		admin := as("org-admin", f.t)
		active := f.member(t, f.t1, "郑开会", civil.New(2010, 7, 1))
		payer := f.member(t, f.t1, "冯交费", civil.New(2010, 7, 1))
		silent := f.member(t, f.t2, "陈沉默", civil.New(2010, 7, 1))
		newcomer := f.member(t, f.t2, "褚新党员", start.AddDate(0, -3, 0))
		lost := f.member(t, f.t2, "卫失联", civil.New(2010, 7, 1))
		f.attend(t, f.t1, active, start.AddDate(0, -1, 0))
		f.attend(t, f.t2, silent, start.AddDate(0, -7, 0))
		f.pay(t, payer, "2026-10", start.AddDate(0, -1, 0))
		if _, err := f.s.MarkLost(admin, lost.ID, LostInput{Situation: "7", LostOn: civil.New(2024, 1, 1)}); err != nil {
			t.Fatal(err)
		}
		l, err := f.s.Screening(admin, 0, api.Paging{Page: 1, Size: 20})
		if err != nil {
			t.Fatal(err)
		}
		if l.Total != 1 || len(l.Items) != 1 || l.Items[0].Member.ID != silent.ID || l.Items[0].AttendedOn != start.AddDate(0, -7, 0) || !l.Items[0].PaidOn.IsZero() {
			t.Fatalf("screening: %+v", l)
		}
		_ = newcomer
		// Listed, never marked.
		if got := f.flags(t, silent); got.LostContact {
			t.Fatal("screening marked a member lost")
		}
		if l, _ := f.s.Screening(as("org-admin", f.u), 0, api.Paging{Page: 1, Size: 20}); l.Total != 0 {
			t.Fatalf("another town's screening: %+v", l)
		}
		if l, _ := f.s.Screening(admin, f.t1.ID, api.Paging{Page: 1, Size: 20}); l.Total != 0 {
			t.Fatalf("screening of T1: %+v", l)
		}
	})
}

func TestRosterFlagsWithoutRecords(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		admin := as("org-admin", f.t)
		f.seq++
		// As an imported 花名册 brings them: flagged 失联 and 流动, with no record here.
		m, err := f.members.Create(f.sys, member.Input{OrgID: f.t2.ID, Name: "蒋花名册", IDNumber: idNumber("19800101", f.seq), Ethnicity: "01", Education: "21",
			JoinedOn: civil.New(2010, 7, 1), FullOn: civil.New(2011, 7, 1), AddedAs: member.AddedRegister,
			LostContact: true, LostOn: civil.New(2024, 3, 1), LostSituation: "5", Mobile: true, MobileTo: "上海市"})
		if err != nil {
			t.Fatal(err)
		}
		l, err := f.s.Losses(admin, LossFilter{}, api.Paging{Page: 1, Size: 10})
		if err != nil || l.Total != 1 || l.Items[0].ID != 0 || l.Items[0].Basis != "roster" || l.Items[0].Band != "1-5y" || l.Summary.BySituation["5"] != 1 {
			t.Fatalf("失联 list with a roster-flagged member: %+v %v", l, err)
		}
		o, err := f.s.Outings(admin, OutingFilter{}, api.Paging{Page: 1, Size: 10})
		if err != nil || o.Total != 0 || o.Summary.Unregistered != 1 {
			t.Fatalf("流出 with a roster-flagged member: %+v %v", o, err)
		}
		o, err = f.s.Outings(admin, OutingFilter{Status: "unregistered"}, api.Paging{Page: 1, Size: 10})
		if err != nil || o.Total != 1 || o.Items[0].Member.ID != m.ID || o.Items[0].Place != "上海市" {
			t.Fatalf("unregistered 流动: %+v %v", o, err)
		}
		// The records can be completed: the loss takes the roster's date and 情形.
		rec, err := f.s.MarkLost(admin, m.ID, LostInput{})
		if err != nil || rec.Loss.LostOn != civil.New(2024, 3, 1) || rec.Loss.Situation != "5" || !strings.Contains(rec.Loss.BasisNote, "花名册") {
			t.Fatalf("completing the loss: %+v %v", rec, err)
		}
		if _, err := f.s.Go(admin, m.ID, OutingInput{LeftOn: civil.New(2024, 1, 10), Scope: "cross_province", Place: "上海市浦东新区", Reason: "1"}); err != nil {
			t.Fatalf("completing the outing: %v", err)
		}
		if l, _ := f.s.Losses(admin, LossFilter{}, api.Paging{Page: 1, Size: 10}); l.Total != 1 || l.Items[0].ID == 0 {
			t.Fatalf("失联 list after completing: %+v", l)
		}
		if o, _ := f.s.Outings(admin, OutingFilter{}, api.Paging{Page: 1, Size: 10}); o.Total != 1 || o.Summary.Unregistered != 0 {
			t.Fatalf("流出 after completing: %+v", o)
		}
		f.checkCounts(t, "after completing the records")
	})
}
