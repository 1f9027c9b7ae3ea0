package dues

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/auth"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/db/dbtest"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/pii"
	"github.com/dangjian/dangjian/internal/standing"
)

var today = civil.New(2026, time.October, 15)

// world: 县委 → 乡镇党委 T → 村党支部 T1, T2; 乡镇党委 U → 村党支部 U1.
type world struct {
	d                   *db.DB
	s                   *Store
	members             *member.Store
	county, t, t1, t2   *org.Org
	u, u1               *org.Org
	sys, adminT, viewT  context.Context
	adminU, adminCounty context.Context
	seq                 int
}

func as(role string, o *org.Org) context.Context {
	g := access.Grant{Role: role, OrgID: o.ID, OrgPath: o.Path}
	return access.With(context.Background(), &access.Principal{Username: role + "@" + o.Code, Grants: []access.Grant{g}})
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	w := &world{d: d, sys: access.System(context.Background())}
	orgs := org.NewStore(d)
	key, _, err := pii.Generate()
	if err != nil {
		t.Fatal(err)
	}
	w.members = member.NewStore(d, key)
	w.members.Today = func() civil.Date { return today }
	w.s = NewStore(d, key)
	w.s.Today = func() civil.Date { return today }
	mk := func(code, name string, typ org.Type, unit org.UnitType, parent *org.Org) *org.Org {
		in := org.CreateInput{Code: code, Name: name, Type: typ, UnitType: unit}
		if parent != nil {
			in.ParentID = parent.ID
		}
		o, err := orgs.Create(w.sys, in)
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return o
	}
	w.county = mk("C", "中共某县委员会", org.TypeCommittee, org.UnitLocal, nil)
	w.t = mk("T", "中共桃源镇委员会", org.TypeCommittee, org.UnitTownship, w.county)
	w.t1 = mk("T1", "中共桃源村支部委员会", org.TypeBranch, org.UnitVillage, w.t)
	w.t2 = mk("T2", "中共杏花村支部委员会", org.TypeBranch, org.UnitVillage, w.t)
	w.u = mk("U", "中共柳溪镇委员会", org.TypeCommittee, org.UnitTownship, w.county)
	w.u1 = mk("U1", "中共柳溪村支部委员会", org.TypeBranch, org.UnitVillage, w.u)
	w.adminT, w.viewT, w.adminU, w.adminCounty = as("org-admin", w.t), as("org-viewer", w.t), as("org-admin", w.u), as("org-admin", w.county)
	return w
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

func idFor(birth civil.Date, seq int) string {
	base := fmt.Sprintf("430702%s%03d", strings.ReplaceAll(birth.String(), "-", ""), seq)
	sum := 0
	for i, wt := range idWeights {
		sum += int(base[i]-'0') * wt
	}
	return base + string("10X98765432"[sum%11])
}

// member adds a member to branch o, admitted on joined (full a year later when that has passed).
func (w *world) member(t *testing.T, o *org.Org, name string, joined civil.Date) *member.Detail {
	t.Helper()
	w.seq++
	in := member.Input{OrgID: o.ID, Name: name, IDNumber: idFor(civil.New(1980, 5, 1), w.seq), Ethnicity: "01", Education: "21", JoinedOn: joined}
	if full := joined.AddDate(1, 0, 0); !full.After(today) {
		in.FullOn = full
	}
	m, err := w.members.Create(w.sys, in)
	if err != nil {
		t.Fatalf("member %s: %v", name, err)
	}
	return m
}

func (w *world) standard(t *testing.T, ctx context.Context, m *member.Detail, from Month, c Category, base, fixed int64) *Standard {
	t.Helper()
	st, err := w.s.SetStandard(ctx, m.ID, StandardInput{From: from, Category: c, BaseFen: base, FixedFen: fixed})
	if err != nil {
		t.Fatalf("standard %s %s: %v", m.Name, from, err)
	}
	return st
}

func (w *world) pay(t *testing.T, ctx context.Context, m *member.Detail, months ...Month) *PaymentResult {
	t.Helper()
	r, err := w.s.Pay(ctx, PaymentInput{MemberID: m.ID, Months: months, Method: "cash", PaidOn: today})
	if err != nil {
		t.Fatalf("pay %s %v: %v", m.Name, months, err)
	}
	return r
}

// payAt pays as on the 20th of month at.
func (w *world) payAt(t *testing.T, ctx context.Context, m *member.Detail, at Month, months ...Month) {
	t.Helper()
	day := civil.New(at.Year(), at.Mon(), 20)
	if day.After(today) {
		day = today
	}
	w.s.Today = func() civil.Date { return day }
	defer func() { w.s.Today = func() civil.Date { return today } }()
	if _, err := w.s.Pay(ctx, PaymentInput{MemberID: m.ID, Months: months, Method: "transfer", PaidOn: day}); err != nil {
		t.Fatalf("pay %s %v on %s: %v", m.Name, months, day, err)
	}
}

func status(err error) int {
	if err == nil {
		return 0
	}
	return api.AsError(err).Status
}

// fieldMsg is the message of the first error on a field starting with prefix.
func fieldMsg(err error, prefix string) string {
	var e *api.Error
	if errors.As(err, &e) {
		for _, f := range e.Fields {
			if strings.HasPrefix(f.Field, prefix) {
				return f.Message
			}
		}
	}
	return ""
}

func rowOf(l *Ledger, id int64) *LedgerRow {
	for i := range l.Rows {
		if l.Rows[i].Member.ID == id {
			return &l.Rows[i]
		}
	}
	return nil
}

func TestLedgerAmountsAtTheBoundaries(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		cases := []struct {
			name  string
			c     Category
			base  int64
			fixed int64
			due   int64
		}{
			{"甲", Salaried, 299999, 0, 1500}, {"乙", Salaried, 300000, 0, 1500}, {"丙", Salaried, 300001, 0, 3000},
			{"丁", Salaried, 500000, 0, 5000}, {"戊", Salaried, 500001, 0, 7500}, {"己", AnnualSalary, 1000000, 0, 15000},
			{"庚", SelfEmployed, 1000001, 0, 20000}, {"辛", Retired, 500000, 0, 2500}, {"壬", Retired, 500001, 0, 5000},
			{"癸", Farmer, 0, 20, 20}, {"子", Farmer, 0, 100, 100}, {"丑", StudentEtc, 0, 0, 20},
		}
		ids := map[int64]int64{}
		for _, c := range cases {
			m := w.member(t, w.t1, "党员"+c.name, civil.New(2010, 7, 1))
			st := w.standard(t, w.adminT, m, "2026-01", c.c, c.base, c.fixed)
			if st.MonthlyFen != c.due || st.RateVersion != "2008" || st.Basis == "" {
				t.Errorf("%s: standard %+v, want %d", c.name, st, c.due)
			}
			ids[m.ID] = c.due
		}
		m := w.member(t, w.t1, "党员寅", civil.New(2010, 7, 1))
		if _, err := w.s.SetStandard(w.adminT, m.ID, StandardInput{From: "2026-01", Category: Farmer, FixedFen: 101}); fieldMsg(err, "fixed_fen") == "" {
			t.Errorf("farmer 1.01元 accepted: %v", err)
		}
		if _, err := w.s.SetStandard(w.adminT, m.ID, StandardInput{From: "2026-01", Category: Exempt}); fieldMsg(err, "approval_body") == "" || fieldMsg(err, "approval_doc") == "" {
			t.Errorf("免交 without approval: %v", err)
		}
		ex, err := w.s.SetStandard(w.adminT, m.ID, StandardInput{From: "2026-01", Category: Exempt, ApprovalBody: "中共桃源镇委员会", ApprovalDoc: "桃组〔2026〕1号"})
		if err != nil || ex.MonthlyFen != 0 || ex.ApprovalDoc != "桃组〔2026〕1号" {
			t.Fatalf("免交: %+v %v", ex, err)
		}
		l, err := w.s.Ledger(w.viewT, w.t1.ID, "2026-10")
		if err != nil {
			t.Fatal(err)
		}
		for id, due := range ids {
			r := rowOf(l, id)
			if r == nil || r.DueFen == nil || *r.DueFen != due || r.Status != StatusUnpaid || r.Basis == "" {
				t.Errorf("ledger row of %d: %+v, want due %d", id, r, due)
			}
		}
		if r := rowOf(l, m.ID); r == nil || r.Status != StatusExempt {
			t.Errorf("免交 row: %+v", r)
		}
		// Items with the default formula: 工资项目合计 − 个人所得税.
		p := w.member(t, w.t1, "党员卯", civil.New(2010, 7, 1))
		st, err := w.s.SetStandard(w.adminT, p.ID, StandardInput{From: "2026-01", Category: Salaried,
			Items: &BaseItems{Wages: []WageItem{{"岗位工资", 400000}, {"薪级工资", 120000}}, IncomeTaxFen: 20001, SocialInsuranceFen: 50000}})
		if err != nil || st.BaseFen != 499999 || st.MonthlyFen != 5000 || !strings.Contains(st.BaseFormula, "个人所得税 200.01元") {
			t.Errorf("items standard: %+v %v", st, err)
		}
		// The county deducts 社保 too: the township's branches inherit it.
		if _, err := w.s.SetSettings(w.adminCounty, SettingsInput{OrgID: w.county.ID, DeductSocialInsurance: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		calc, err := w.s.Calculate(w.viewT, CalcRequest{CalcInput: CalcInput{Category: Salaried}, OrgID: w.t1.ID,
			Items: &BaseItems{Wages: []WageItem{{"岗位工资", 520000}}, IncomeTaxFen: 20001, SocialInsuranceFen: 50000}})
		if err != nil || calc.BaseFen != 449999 || calc.MonthlyFen != 4500 || calc.FormulaText != "工资项目合计 − 个人所得税 − 社会保险个人缴费" {
			t.Errorf("calculate with the inherited formula: %+v %v", calc, err)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestSettingsInheritNearestAncestor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		if _, err := w.s.SetSettings(w.adminCounty, SettingsInput{OrgID: w.county.ID, BackPayLimit: ptr(3), AllowQuarterly: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.SetSettings(w.adminT, SettingsInput{OrgID: w.t.ID, BackPayLimit: ptr(5)}); err != nil {
			t.Fatal(err)
		}
		a, err := w.s.Settings(w.viewT, w.t1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a.Effective.BackPayLimit != 5 || !a.Effective.AllowQuarterly || !a.Effective.DeductIncomeTax || a.Effective.DeductSocialInsurance ||
			a.From["back_pay_limit"] != w.t.Name || a.From["allow_quarterly"] != w.county.Name || a.From["deduct_income_tax"] != "系统默认" ||
			a.Own.BackPayLimit != nil {
			t.Errorf("T1 settings: %+v", a)
		}
		u, _ := w.s.Settings(w.adminU, w.u1.ID)
		if u.Effective.BackPayLimit != 3 {
			t.Errorf("U1 inherits the county: %+v", u.Effective)
		}
		if _, err := w.s.SetSettings(w.adminT, SettingsInput{OrgID: w.t.ID, BackPayLimit: ptr(13)}); fieldMsg(err, "back_pay_limit") == "" {
			t.Errorf("limit 13 accepted: %v", err)
		}
		if _, err := w.s.SetSettings(w.viewT, SettingsInput{OrgID: w.t.ID, BackPayLimit: ptr(4)}); status(err) != 403 {
			t.Errorf("viewer changed settings: %v", err)
		}
		if _, err := w.s.SetSettings(w.adminT, SettingsInput{OrgID: w.county.ID, BackPayLimit: ptr(4)}); status(err) != 404 {
			t.Errorf("township changed the county's settings: %v", err)
		}
	})
}

func TestPaymentRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		m := w.member(t, w.t1, "张建国", civil.New(2010, 7, 1))
		w.standard(t, w.adminT, m, "2025-01", Salaried, 450000, 0) // 45.00元

		// 按标准 one month, then the same month again.
		r := w.pay(t, w.adminT, m, "2026-09")
		if len(r.Entries) != 1 || r.TotalFen != 4500 || r.Entries[0].DueFen != 4500 || r.ToCentre || r.Entries[0].OrgID != w.t1.ID {
			t.Errorf("pay September: %+v", r)
		}
		_, err := w.s.Pay(w.adminT, PaymentInput{MemberID: m.ID, Months: []Month{"2026-09"}, Method: "cash"})
		if msg := fieldMsg(err, "months[0]"); !strings.Contains(msg, "已交清") {
			t.Errorf("double payment: %v", err)
		}
		// Voluntary is allowed on a paid month; 1000元 at once goes to the centre.
		v, err := w.s.Pay(w.adminT, PaymentInput{MemberID: m.ID, Months: []Month{"2026-09"}, Kind: "voluntary", AmountFen: ptr(int64(99999)), Method: "transfer"})
		if err != nil || v.ToCentre {
			t.Errorf("voluntary 999.99: %+v %v", v, err)
		}
		v, err = w.s.Pay(w.adminT, PaymentInput{MemberID: m.ID, Months: []Month{"2026-09"}, Kind: "voluntary", AmountFen: ptr(int64(100000)), Method: "transfer"})
		if err != nil || !v.ToCentre || !v.Entries[0].ToCentre || !strings.Contains(v.Notice, "上缴中央") {
			t.Errorf("voluntary 1000: %+v %v", v, err)
		}
		// 少交 then the rest: the second payment takes the balance.
		p, err := w.s.Pay(w.adminT, PaymentInput{MemberID: m.ID, Months: []Month{"2026-08"}, AmountFen: ptr(int64(2000)), Method: "cash", Payer: "李秀英（配偶）"})
		if err != nil || p.Entries[0].Payer != "李秀英（配偶）" {
			t.Fatalf("partial: %+v %v", p, err)
		}
		l, _ := w.s.Ledger(w.adminT, w.t1.ID, "2026-08")
		if r := rowOf(l, m.ID); r.Status != StatusPartial || r.PaidFen != 2000 || r.Payer != "李秀英（配偶）" {
			t.Errorf("August after 20元: %+v", r)
		}
		if p := w.pay(t, w.adminT, m, "2026-08"); p.TotalFen != 2500 {
			t.Errorf("balance of August: %+v", p)
		}
		// 补交: six months back is fine, seven needs an approval note (dues.back_pay_limit).
		if p := w.pay(t, w.adminT, m, "2026-04", "2026-05"); p.TotalFen != 9000 || len(p.Entries) != 2 {
			t.Errorf("补交 April and May: %+v", p)
		}
		_, err = w.s.Pay(w.adminT, PaymentInput{MemberID: m.ID, Months: []Month{"2026-03"}, Method: "cash"})
		if msg := fieldMsg(err, "months[0]"); !strings.Contains(msg, "补交一般不超过6个月") {
			t.Errorf("March without approval: %v", err)
		}
		if _, err := w.s.Pay(w.adminT, PaymentInput{MemberID: m.ID, Months: []Month{"2026-03"}, Method: "cash", ApprovalNote: "经支部委员会同意（2026-10-10）"}); err != nil {
			t.Errorf("March with approval: %v", err)
		}
		// Nothing of a refused batch is saved.
		_, err = w.s.Pay(w.adminT, PaymentInput{MemberID: m.ID, Months: []Month{"2026-06", "2026-09"}, Method: "cash"})
		if status(err) != 422 {
			t.Errorf("batch with a paid month: %v", err)
		}
		l, _ = w.s.Ledger(w.adminT, w.t1.ID, "2026-06")
		if r := rowOf(l, m.ID); r.PaidFen != 0 {
			t.Errorf("June was saved from a refused batch: %+v", r)
		}
		// The future: refused unless the branch pays by quarter, then only this quarter.
		_, err = w.s.Pay(w.adminT, PaymentInput{MemberID: m.ID, Months: []Month{"2026-10", "2026-11"}, Method: "cash"})
		if msg := fieldMsg(err, "months[1]"); !strings.Contains(msg, "不能预交") {
			t.Errorf("November in October: %v", err)
		}
		if _, err := w.s.SetSettings(w.adminT, SettingsInput{OrgID: w.t1.ID, AllowQuarterly: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		if p := w.pay(t, w.adminT, m, "2026-10", "2026-11", "2026-12"); p.TotalFen != 13500 {
			t.Errorf("the fourth quarter: %+v", p)
		}
		_, err = w.s.Pay(w.adminT, PaymentInput{MemberID: m.ID, Months: []Month{"2027-01"}, Method: "cash"})
		if msg := fieldMsg(err, "months[0]"); !strings.Contains(msg, "本季度") {
			t.Errorf("next quarter: %v", err)
		}
		// Input checks.
		_, err = w.s.Pay(w.adminT, PaymentInput{MemberID: m.ID, Months: []Month{"2026-07"}, Method: "cheque", PaidOn: today.AddDate(0, 0, 1)})
		if fieldMsg(err, "method") == "" || fieldMsg(err, "paid_on") == "" {
			t.Errorf("bad method and date: %v", err)
		}
		// No standard yet.
		n := w.member(t, w.t1, "王新", civil.New(2015, 7, 1))
		_, err = w.s.Pay(w.adminT, PaymentInput{MemberID: n.ID, Months: []Month{"2026-09"}, Method: "cash"})
		if !strings.Contains(fieldMsg(err, "months[0]"), "核定") {
			t.Errorf("no standard: %v", err)
		}
	})
}

func TestPaymentBeforeJoiningOrAfterLeaving(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		m := w.member(t, w.t1, "预备党员", civil.New(2026, 6, 15)) // 支部大会通过 on 15 June
		if _, err := w.s.SetStandard(w.adminT, m.ID, StandardInput{From: "2026-05", Category: StudentEtc}); !strings.Contains(fieldMsg(err, "from"), "入党当月") {
			t.Errorf("standard before joining: %v", err)
		}
		w.standard(t, w.adminT, m, "2026-06", StudentEtc, 0, 0)
		_, err := w.s.Pay(w.adminT, PaymentInput{MemberID: m.ID, Months: []Month{"2026-05"}, Method: "cash"})
		if msg := fieldMsg(err, "months[0]"); !strings.Contains(msg, "无需交纳") || !strings.Contains(msg, "第八条") {
			t.Errorf("May, before joining: %v", err)
		}
		if r := w.pay(t, w.adminT, m, "2026-06"); r.TotalFen != 20 {
			t.Errorf("June, the month of joining: %+v", r)
		}
		l, _ := w.s.Ledger(w.adminT, w.t1.ID, "2026-05")
		if rowOf(l, m.ID) != nil {
			t.Error("May's sheet lists a member admitted in June")
		}
		// Left in August: August is due, September is not.
		w.standard(t, w.adminT, w.member(t, w.t1, "占位", civil.New(2000, 7, 1)), "2026-01", Farmer, 0, 50)
		ss := standing.NewStore(w.d, w.members)
		ss.Today = w.members.Today
		if _, err := ss.Record(w.sys, m.ID, standing.Input{Kind: standing.KindWithdraw, On: civil.New(2026, 8, 10), Reason: "本人要求退党", ApprovedBy: "中共桃源镇委员会", Document: "桃党〔2026〕8号"}); err != nil {
			t.Fatal(err)
		}
		w.pay(t, w.adminT, m, "2026-08")
		_, err = w.s.Pay(w.adminT, PaymentInput{MemberID: m.ID, Months: []Month{"2026-09"}, Method: "cash"})
		if msg := fieldMsg(err, "months[0]"); !strings.Contains(msg, "不是正常党籍") {
			t.Errorf("September, after leaving: %v", err)
		}
		l, _ = w.s.Ledger(w.adminT, w.t1.ID, "2026-09")
		if rowOf(l, m.ID) != nil || len(l.Rows) != 1 {
			t.Errorf("September's sheet: %+v", l.Rows)
		}
	})
}

func TestStandardChangesCannotRewritePaidOrClosedMonths(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		m := w.member(t, w.t1, "刘强", civil.New(2010, 7, 1))
		w.standard(t, w.adminT, m, "2026-01", Salaried, 400000, 0) // 40.00
		w.pay(t, w.adminT, m, "2026-04", "2026-05", "2026-06")
		_, err := w.s.SetStandard(w.adminT, m.ID, StandardInput{From: "2026-05", Category: Salaried, BaseFen: 600000})
		if msg := fieldMsg(err, "from"); !strings.Contains(msg, "2026年6月已有交纳记录") || !strings.Contains(msg, "最早从2026年7月起") {
			t.Errorf("raise from May over paid months: %v", err)
		}
		// A small correction of the base still changes a paid month's due (41.00 ≠ 40.00): refused.
		if _, err := w.s.SetStandard(w.adminT, m.ID, StandardInput{From: "2026-05", Category: Salaried, BaseFen: 410000}); status(err) != 422 {
			t.Errorf("41.00 over paid months: %v", err)
		}
		// A standard that leaves every paid month's due as it was is allowed (here: 4000元 entered as items).
		same, err := w.s.SetStandard(w.adminT, m.ID, StandardInput{From: "2026-05", Category: Salaried,
			Items: &BaseItems{Wages: []WageItem{{"基本工资", 410000}}, IncomeTaxFen: 10000}})
		if err != nil || same.MonthlyFen != 4000 {
			t.Errorf("same due over paid months: %+v %v", same, err)
		}
		// 第十条: the raise from July applies from July on; earlier months keep 40.00.
		st := w.standard(t, w.adminT, m, "2026-07", Salaried, 600000, 0)
		if st.MonthlyFen != 9000 {
			t.Errorf("raise: %+v", st)
		}
		md, err := w.s.MemberDues(w.viewT, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		dues := map[Month]int64{}
		for _, x := range md.Months {
			if x.DueFen != nil {
				dues[x.Month] = *x.DueFen
			}
		}
		if dues["2026-06"] != 4000 || dues["2026-07"] != 9000 || dues["2026-10"] != 9000 || md.Current.ID != st.ID {
			t.Errorf("dues by month: %v", dues)
		}
		// Replacing July's standard keeps the old one, marked superseded.
		st2 := w.standard(t, w.adminT, m, "2026-07", Salaried, 580000, 0)
		md, _ = w.s.MemberDues(w.viewT, m.ID)
		superseded := 0
		for _, x := range md.Standards {
			if x.SupersededAt != nil {
				superseded++
				if x.ID != st.ID {
					t.Errorf("superseded the wrong standard: %+v", x)
				}
			}
		}
		if superseded != 1 || len(md.Standards) != 4 || md.Current.ID != st2.ID || md.Current.MonthlyFen != 8700 {
			t.Errorf("after replacing July: %d superseded, %+v", superseded, md.Current)
		}
		// A closed month is fixed too.
		if _, err := w.s.CloseMonth(w.adminT, CloseInput{OrgID: w.t1.ID, Month: "2026-08"}); err != nil {
			t.Fatal(err)
		}
		_, err = w.s.SetStandard(w.adminT, m.ID, StandardInput{From: "2026-08", Category: Salaried, BaseFen: 700000})
		if msg := fieldMsg(err, "from"); !strings.Contains(msg, "2026年8月已结账") {
			t.Errorf("over a closed month: %v", err)
		}
		if _, err := w.s.SetStandard(w.adminT, m.ID, StandardInput{From: "2026-09", Category: Salaried, BaseFen: 700000}); err != nil {
			t.Errorf("after the closed month: %v", err)
		}
	})
}

func TestCorrectionsKeepHistory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		m := w.member(t, w.t1, "陈红", civil.New(2010, 7, 1))
		w.standard(t, w.adminT, m, "2026-01", Retired, 300000, 0) // 15.00
		orig, err := w.s.Pay(w.adminT, PaymentInput{MemberID: m.ID, Months: []Month{"2026-09"}, AmountFen: ptr(int64(5000)), Method: "cash", ReceiptNo: "NO.0012"})
		if err != nil {
			t.Fatal(err)
		}
		e := orig.Entries[0]
		c, err := w.s.Correct(w.adminT, e.ID, CorrectInput{Kind: "correction", AmountFen: -3500, Note: "误录为50元，实收15元"})
		if err != nil || c.PaidFen != -3500 || c.CorrectsID == nil || *c.CorrectsID != e.ID || c.Kind != "correction" || c.ReceiptNo != "NO.0012" {
			t.Fatalf("correction: %+v %v", c, err)
		}
		if _, err := w.s.Correct(w.adminT, e.ID, CorrectInput{Kind: "refund", AmountFen: 2000, Note: "x"}); !strings.Contains(fieldMsg(err, "amount_fen"), "负数") {
			t.Errorf("refund below zero: %v", err)
		}
		if _, err := w.s.Correct(w.adminT, e.ID, CorrectInput{Kind: "correction", AmountFen: 100}); fieldMsg(err, "note") == "" {
			t.Errorf("correction without a reason: %v", err)
		}
		l, _ := w.s.Ledger(w.adminT, w.t1.ID, "2026-09")
		r := rowOf(l, m.ID)
		if r.PaidFen != 1500 || r.Status != StatusPaid || len(r.Entries) != 2 || r.Entries[0].PaidFen != 5000 || r.Entries[1].PaidFen != -3500 {
			t.Errorf("September after the correction: %+v", r)
		}
		rf, err := w.s.Correct(w.adminT, e.ID, CorrectInput{Kind: "refund", AmountFen: 500, Note: "多收退还"})
		if err != nil || rf.PaidFen != -500 || rf.Kind != "refund" {
			t.Errorf("refund: %+v %v", rf, err)
		}
		// The ledger is append-only in the database too.
		if _, err := d.Exec(context.Background(), `UPDATE dues_payments SET paid_fen = 0 WHERE id = ?`, e.ID); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("UPDATE of a payment: %v", err)
		}
		if _, err := d.Exec(context.Background(), `DELETE FROM dues_payments WHERE id = ?`, e.ID); err == nil {
			t.Error("DELETE of a payment succeeded")
		}
		if _, err := w.s.Correct(w.adminU, e.ID, CorrectInput{Kind: "correction", AmountFen: 100, Note: "x"}); status(err) != 404 {
			t.Errorf("correction from another township: %v", err)
		}
		if _, err := w.s.Correct(w.viewT, e.ID, CorrectInput{Kind: "correction", AmountFen: 100, Note: "x"}); status(err) != 403 {
			t.Errorf("correction by a viewer: %v", err)
		}
	})
}

func TestMonthClose(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := w.member(t, w.t1, "甲一", civil.New(2010, 7, 1))
		b := w.member(t, w.t1, "乙一", civil.New(2010, 7, 1))
		w.standard(t, w.adminT, a, "2026-01", Farmer, 0, 100)
		w.standard(t, w.adminT, b, "2026-01", Farmer, 0, 50)
		w.pay(t, w.adminT, a, "2026-09")
		c, err := w.s.CloseMonth(w.adminT, CloseInput{OrgID: w.t1.ID, Month: "2026-09"})
		if err != nil || c.DueFen != 150 || c.PaidFen != 100 || c.Members != 2 || c.PayingMembers != 1 {
			t.Fatalf("close: %+v %v", c, err)
		}
		if _, err := w.s.CloseMonth(w.adminT, CloseInput{OrgID: w.t1.ID, Month: "2026-09"}); status(err) != 409 {
			t.Errorf("second close: %v", err)
		}
		if _, err := w.s.CloseMonth(w.adminT, CloseInput{OrgID: w.t1.ID, Month: "2026-11"}); status(err) != 422 {
			t.Errorf("close of a future month: %v", err)
		}
		if _, err := w.s.CloseMonth(w.adminT, CloseInput{OrgID: w.t.ID, Month: "2026-09"}); fieldMsg(err, "org_id") == "" {
			t.Errorf("close of a 党委: %v", err)
		}
		_, err = w.s.Pay(w.adminT, PaymentInput{MemberID: b.ID, Months: []Month{"2026-09"}, Method: "cash"})
		if !strings.Contains(fieldMsg(err, "months[0]"), "已结账") {
			t.Errorf("payment into a closed month: %v", err)
		}
		late, err := w.s.Pay(w.adminT, PaymentInput{MemberID: b.ID, Months: []Month{"2026-09"}, Kind: "correction", AmountFen: ptr(int64(50)), Method: "cash", Note: "结账后补交"})
		if err != nil || late.Entries[0].Kind != "correction" {
			t.Errorf("late entry as a correction: %+v %v", late, err)
		}
		l, _ := w.s.Ledger(w.viewT, w.t1.ID, "2026-09")
		if l.Close == nil || l.Close.PaidFen != 100 || l.Totals.PaidFen != 150 || !l.Rows[0].Closed {
			t.Errorf("closed sheet: %+v %+v", l.Close, l.Totals)
		}
		if _, err := w.s.CloseMonth(w.viewT, CloseInput{OrgID: w.t1.ID, Month: "2026-08"}); status(err) != 403 {
			t.Errorf("close by a viewer: %v", err)
		}
	})
}

func TestSixMonthRule(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		never := w.member(t, w.t1, "从未交", civil.New(2010, 7, 1))  // nothing since January: 9 months to September
		april := w.member(t, w.t1, "四月交过", civil.New(2010, 7, 1)) // paid April only: May–September = 5
		three := w.member(t, w.t2, "三个月", civil.New(2010, 7, 1))  // paid to June: July–September = 3
		fine := w.member(t, w.t2, "按月交", civil.New(2010, 7, 1))   // paid to September
		fresh := w.member(t, w.t2, "新党员", civil.New(2026, 6, 1))  // admitted in June, never paid: June–September = 4
		exempt := w.member(t, w.t2, "免交", civil.New(2010, 7, 1))
		for _, m := range []*member.Detail{never, april, three, fine} {
			w.standard(t, w.adminT, m, "2026-01", Farmer, 0, 50)
		}
		w.standard(t, w.adminT, fresh, "2026-06", StudentEtc, 0, 0)
		if _, err := w.s.SetStandard(w.adminT, exempt.ID, StandardInput{From: "2026-01", Category: Exempt, ApprovalBody: "镇党委", ApprovalDoc: "桃组〔2026〕2号"}); err != nil {
			t.Fatal(err)
		}
		w.pay(t, w.adminT, april, "2026-04")
		w.pay(t, w.adminT, three, "2026-04", "2026-05", "2026-06")
		w.pay(t, w.adminT, fine, "2026-07", "2026-08", "2026-09")
		a, err := w.s.Arrears(w.viewT, w.t.ID, api.Paging{Page: 1, Size: 50})
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]Arrear{}
		for _, x := range a.Items {
			got[x.Member.ID] = x
		}
		if a.AsOf != "2026-09" || len(a.Items) != 4 || a.Total != 4 || a.Counts.Six != 1 || a.Counts.Five != 1 || a.Counts.Three != 2 {
			t.Errorf("arrears: %+v", a)
		}
		rule := a.Rules["dues.six_months"]
		if x := got[never.ID]; x.Level != 6 || x.Months != 9 || x.Since != "2026-01" || x.OwedFen != 450 || x.RuleID != "dues.six_months" ||
			!strings.Contains(rule.Source, "章程》第九条") || !strings.Contains(rule.Source, "第十三条") || !strings.Contains(rule.Text, "自行脱党") ||
			!strings.Contains(x.Reminder, "正当理由") {
			t.Errorf("never paid: %+v", x)
		}
		if x := got[april.ID]; x.Level != 5 || x.Months != 5 || x.LastPaid != "2026-04" || x.RuleID == "dues.six_months" {
			t.Errorf("paid in April: %+v", x)
		}
		if x := got[three.ID]; x.Level != 3 || x.Months != 3 {
			t.Errorf("three months: %+v", x)
		}
		if x := got[fresh.ID]; x.Level != 3 || x.Months != 4 || x.Since != "2026-06" {
			t.Errorf("admitted in June: %+v", x)
		}
		if _, ok := got[fine.ID]; ok {
			t.Error("a member who pays is listed")
		}
		if _, ok := got[exempt.ID]; ok {
			t.Error("an exempt member is listed")
		}
		if p2, _ := w.s.Arrears(w.viewT, w.t.ID, api.Paging{Page: 2, Size: 3}); p2.Total != 4 || len(p2.Items) != 1 || p2.Items[0].Months != 3 {
			t.Errorf("second page: %+v", p2.Items)
		}
		if _, err := w.s.Arrears(w.adminU, w.t.ID, api.Paging{Page: 1, Size: 50}); status(err) != 404 {
			t.Errorf("arrears of another township: %v", err)
		}
		if a, _ := w.s.Arrears(w.adminCounty, w.u.ID, api.Paging{Page: 1, Size: 50}); len(a.Items) != 0 {
			t.Errorf("U has arrears: %+v", a.Items)
		}
	})
}

func TestYearRollsUpToTheCounty(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		type plan struct {
			o     *org.Org
			name  string
			c     Category
			base  int64
			fixed int64
			paid  []Month
		}
		all := func(from, to Month) []Month { return monthRange(from, to) }
		plans := []plan{
			{w.t1, "一", Salaried, 450000, 0, all("2026-01", "2026-10")},     // 45.00 × 10
			{w.t1, "二", Retired, 520000, 0, all("2026-04", "2026-09")},      // 52.00 × 6
			{w.t1, "三", Farmer, 0, 100, all("2026-01", "2026-10")},          // 1.00 × 10
			{w.t2, "四", Salaried, 1200000, 0, all("2026-01", "2026-06")},    // 240.00 × 6
			{w.t2, "五", StudentEtc, 0, 0, nil},                              // never
			{w.u1, "六", AnnualSalary, 800000, 0, all("2026-05", "2026-10")}, // 120.00 × 6
		}
		var wantDue, wantPaid int64
		for _, p := range plans {
			m := w.member(t, p.o, "党员"+p.name, civil.New(2010, 7, 1))
			st := w.standard(t, w.adminCounty, m, "2026-01", p.c, p.base, p.fixed)
			wantDue += st.MonthlyFen * 10
			// Paid as the months came, some by quarter at its last month.
			for i := 0; i < len(p.paid); i += 3 {
				batch := p.paid[i:min(i+3, len(p.paid))]
				w.payAt(t, w.adminCounty, m, batch[len(batch)-1], batch...)
			}
			wantPaid += st.MonthlyFen * int64(len(p.paid))
		}
		// A voluntary 1000元 in U1.
		six := w.member(t, w.u1, "党员七", civil.New(2010, 7, 1))
		w.standard(t, w.adminCounty, six, "2026-01", Retired, 100000, 0) // 5.00
		if _, err := w.s.Pay(w.adminCounty, PaymentInput{MemberID: six.ID, Months: []Month{"2026-10"}, Kind: "voluntary", AmountFen: ptr(int64(100000)), Method: "transfer"}); err != nil {
			t.Fatal(err)
		}
		wantDue += 500 * 10
		wantPaid += 100000

		rep, err := w.s.Report(w.adminCounty, w.county.ID, 2026, "")
		if err != nil {
			t.Fatal(err)
		}
		if rep.Total.DueFen != wantDue || rep.Total.PaidFen != wantPaid || rep.Total.Members != 7 || rep.Total.ToCentreFen != 100000 || rep.Total.VoluntaryFen != 100000 {
			t.Errorf("county total: %+v, want due %d paid %d", rep.Total, wantDue, wantPaid)
		}
		var sum Figures
		for _, r := range rep.Rows {
			sum.addFigures(r.Figures)
		}
		if sum != rep.Total || len(rep.Rows) != 2 || rep.Rows[0].Org.ID != w.t.ID || rep.Rows[1].Org.ID != w.u.ID {
			t.Errorf("rows %+v do not add up to %+v", rep.Rows, rep.Total)
		}
		// The township's report of its branches equals the county's row of it.
		tr, err := w.s.Report(w.adminT, w.t.ID, 2026, "")
		if err != nil {
			t.Fatal(err)
		}
		if tr.Total != rep.Rows[0].Figures || len(tr.Rows) != 2 {
			t.Errorf("township total %+v, county row %+v", tr.Total, rep.Rows[0].Figures)
		}
		t1 := tr.Rows[0].Figures
		if t1.DueFen != 4500*10+5200*10+100*10 || t1.PaidFen != 4500*10+5200*6+100*10 || t1.Members != 3 || t1.PayingMembers != 3 || t1.ArrearsMembers != 1 {
			t.Errorf("T1: %+v", t1)
		}
		// The branch's own report: its members are the node's own row.
		br, _ := w.s.Report(w.adminT, w.t1.ID, 2026, "")
		if len(br.Rows) != 1 || !br.Rows[0].Self || br.Total != t1 {
			t.Errorf("branch report: %+v", br)
		}
		// Months add up to the year.
		var md, mp int64
		for _, m := range rep.Months {
			md += m.DueFen
			mp += m.PaidFen
		}
		if len(rep.Months) != 10 || md != rep.Total.DueFen || mp != rep.Total.PaidFen {
			t.Errorf("months: %d, %d/%d", len(rep.Months), md, mp)
		}
		// 5% of 实交 less the 1000元 that goes to the centre whole.
		rem := rep.Remittance
		if rem == nil || rem.BaseFen != wantPaid-100000 || rem.CentreFen != RoundHalfUp(wantPaid-100000, 500) || rem.TotalFen != rem.CentreFen+100000 ||
			rem.Deadline != civil.New(2027, 4, 30) {
			t.Errorf("remittance: %+v", rem)
		}
		// One month.
		oct, err := w.s.Report(w.adminCounty, w.county.ID, 2026, "2026-10")
		if err != nil || oct.Remittance != nil || len(oct.Months) != 1 || oct.Total.PaidFen != 4500+100+12000+100000 {
			t.Errorf("October: %+v %v", oct, err)
		}
		// The export has the same figures.
		var buf bytes.Buffer
		if err := w.s.Export(w.adminCounty, w.county.ID, 2026, "", &buf); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows("党费收缴汇总")
		found := false
		for _, r := range rows {
			if len(r) > 2 && r[0] == "合计" {
				found = true
				if r[2] != fmt.Sprintf("%.2f", float64(wantPaid)/100) && r[2] != formatThousands(wantPaid) {
					t.Errorf("export total paid %q, want %d分", r[2], wantPaid)
				}
			}
		}
		if !found {
			t.Errorf("export has no total: %v", rows)
		}
		// Scope: the township cannot roll up the county or the other township.
		if _, err := w.s.Report(w.adminT, w.county.ID, 2026, ""); status(err) != 404 {
			t.Errorf("township reads the county: %v", err)
		}
		if _, err := w.s.Report(w.adminT, w.u.ID, 2026, ""); status(err) != 404 {
			t.Errorf("township reads U: %v", err)
		}
		// The 公示 of T1.
		if _, err := w.s.CloseMonth(w.adminT, CloseInput{OrgID: w.t1.ID, Month: "2026-01"}); err != nil {
			t.Fatal(err)
		}
		pub, err := w.s.SetUsage(w.adminT, UsageInput{OrgID: w.t1.ID, Year: 2026, Lines: []string{"七一慰问老党员2名，支出400.00元（经镇党委同意）", " "}})
		if err != nil || pub.PaidFen != t1.PaidFen || pub.HandedFen != 4500+100 || pub.ClosedCount != 1 || len(pub.Usage) != 1 {
			t.Errorf("publication: %+v %v", pub, err)
		}
		if _, err := w.s.SetUsage(w.adminU, UsageInput{OrgID: w.t1.ID, Year: 2026}); status(err) != 404 {
			t.Errorf("U writes T1's 公示: %v", err)
		}
	})
}

// formatThousands is the #,##0.00 rendering some excelize versions give a styled number.
func formatThousands(fen int64) string {
	s := fmt.Sprintf("%d", fen/100)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return fmt.Sprintf("%s.%02d", b.String(), fen%100)
}

func TestScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		mu := w.member(t, w.u1, "柳溪党员", civil.New(2010, 7, 1))
		mt := w.member(t, w.t1, "桃源党员", civil.New(2010, 7, 1))
		w.standard(t, w.adminU, mu, "2026-01", Farmer, 0, 50)
		pu := w.pay(t, w.adminU, mu, "2026-09").Entries[0]
		ctx := w.adminT
		if _, err := w.s.Ledger(ctx, w.u1.ID, "2026-09"); status(err) != 404 {
			t.Errorf("ledger of U1: %v", err)
		}
		if _, err := w.s.MemberDues(ctx, mu.ID); status(err) != 404 {
			t.Errorf("U's member: %v", err)
		}
		if _, err := w.s.SetStandard(ctx, mu.ID, StandardInput{From: "2026-01", Category: Farmer, FixedFen: 100}); status(err) != 404 {
			t.Errorf("standard of U's member: %v", err)
		}
		if _, err := w.s.Pay(ctx, PaymentInput{MemberID: mu.ID, Months: []Month{"2026-08"}, Method: "cash"}); status(err) != 404 {
			t.Errorf("payment for U's member: %v", err)
		}
		if _, err := w.s.Correct(ctx, pu.ID, CorrectInput{Kind: "refund", AmountFen: 50, Note: "x"}); status(err) != 404 {
			t.Errorf("refund of U's payment: %v", err)
		}
		if _, err := w.s.CloseMonth(ctx, CloseInput{OrgID: w.u1.ID, Month: "2026-09"}); status(err) != 404 {
			t.Errorf("close of U1: %v", err)
		}
		if _, err := w.s.Settings(ctx, w.u1.ID); status(err) != 404 {
			t.Errorf("settings of U1: %v", err)
		}
		if _, err := w.s.Calculate(ctx, CalcRequest{CalcInput: CalcInput{Category: Salaried, BaseFen: 1}, OrgID: w.u1.ID}); status(err) != 404 {
			t.Errorf("calculate with U1's formula: %v", err)
		}
		if _, err := w.s.Publication(ctx, w.u1.ID, 2026); status(err) != 404 {
			t.Errorf("publication of U1: %v", err)
		}
		// The county sees both; a viewer may read but not write.
		if l, err := w.s.Ledger(w.adminCounty, w.u1.ID, "2026-09"); err != nil || len(l.Rows) != 1 {
			t.Errorf("county reads U1: %v", err)
		}
		if _, err := w.s.Ledger(w.viewT, w.t1.ID, "2026-09"); err != nil {
			t.Errorf("viewer reads T1: %v", err)
		}
		if _, err := w.s.SetStandard(w.viewT, mt.ID, StandardInput{From: "2026-01", Category: Farmer, FixedFen: 50}); status(err) != 403 {
			t.Errorf("viewer sets a standard: %v", err)
		}
		// No principal: nothing.
		if _, err := w.s.Ledger(context.Background(), w.t1.ID, "2026-09"); status(err) != 404 {
			t.Errorf("no principal: %v", err)
		}
		// A 党小组 stands for its branch; a 党委 is not a sheet.
		if _, err := w.s.Ledger(ctx, w.t.ID, "2026-09"); fieldMsg(err, "org") == "" {
			t.Errorf("sheet of a 党委: %v", err)
		}
	})
}

func TestMyDues(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		m := w.member(t, w.t1, "赵敏", civil.New(2010, 7, 1))
		other := w.member(t, w.t1, "钱多", civil.New(2010, 7, 1))
		w.standard(t, w.adminT, m, "2026-01", Salaried, 350000, 0) // 35.00
		w.standard(t, w.adminT, other, "2026-01", Salaried, 900000, 0)
		w.pay(t, w.adminT, m, "2026-07", "2026-08")
		u, err := auth.AddUser(w.sys, d, auth.NewUser{Username: "zhaomin", DisplayName: "赵敏", Password: "Dues@2026xy", Role: "member", OrgCode: "T1"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.members.LinkUser(w.sys, m.ID, u.ID); err != nil {
			t.Fatal(err)
		}
		me := access.With(context.Background(), &access.Principal{UserID: u.ID, Username: "zhaomin",
			Grants: []access.Grant{{Role: "member", OrgID: w.t1.ID, OrgPath: w.t1.Path}}})
		md, err := w.s.MyDues(me)
		if err != nil {
			t.Fatal(err)
		}
		if md.Member.ID != m.ID || md.Current == nil || md.Current.MonthlyFen != 3500 || !strings.Contains(md.Current.Basis, "3500.00元 × 1%") ||
			len(md.Unpaid) != 7 || md.OwedFen != 7*3500 || !strings.Contains(md.Reminder, "2026年9月") || md.Months[0].Month != "2026-10" {
			t.Errorf("my dues: %+v", md)
		}
		if _, err := w.s.SetSettings(w.adminT, SettingsInput{OrgID: w.t1.ID, MemberReminders: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		if md, _ := w.s.MyDues(me); md.Reminder != "" || len(md.Unpaid) != 7 {
			t.Errorf("reminders off: %q", md.Reminder)
		}
		// The member role reads nothing else.
		if _, err := w.s.MemberDues(me, other.ID); status(err) != 404 {
			t.Errorf("member reads another member: %v", err)
		}
		if _, err := w.s.Ledger(me, w.t1.ID, "2026-09"); status(err) != 404 {
			t.Errorf("member reads the sheet: %v", err)
		}
		if _, err := w.s.MyDues(w.adminT); status(err) != 403 {
			t.Errorf("an admin's own dues: %v", err)
		}
	})
}

func xlsxOf(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImports(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := w.member(t, w.t1, "孙立", civil.New(2010, 7, 1))
		b := w.member(t, w.t2, "周芳", civil.New(2010, 7, 1))
		u := w.member(t, w.u1, "吴刚", civil.New(2010, 7, 1))
		idOf := func(m *member.Detail) string {
			full, err := w.members.Get(w.sys, m.ID, true)
			if err != nil {
				t.Fatal(err)
			}
			return full.IDNumber
		}
		head := []any{"姓名", "公民身份号码", "月份", "类别", "基数"}
		bad := xlsxOf(t, [][]any{{"党费计算基数"}, head,
			{"孙立", idOf(a), "2026-01", "按月领取工资", 450000.0 / 100},
			{"周芳", idOf(b), "2026-13", "退休", "3000"},
			{"吴刚", idOf(u), "2026-01", "农民", "0.5"},
			{"孙力", idOf(a), "2026-02", "在职", "4600"},
			{"周芳", idOf(b), "2026-02", "免交", "0"},
			{"周芳", "4.30702198005E+17", "2026-02", "退休", "3000"},
		})
		res, err := w.s.ImportStandards(w.adminT, w.t.ID, bad, "基数.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		want := map[int]string{4: "月份", 5: "公民身份号码", 6: "姓名", 7: "类别", 8: "公民身份号码"}
		if res.OK || len(res.Errors) != len(want) {
			t.Errorf("bad file: %+v", res)
		}
		for _, e := range res.Errors {
			if want[e.Row] != e.Column || e.Message == "" {
				t.Errorf("error %+v, want column %q", e, want[e.Row])
			}
		}
		if md, _ := w.s.MemberDues(w.adminT, a.ID); len(md.Standards) != 0 {
			t.Error("a row of a refused file was saved")
		}
		good := xlsxOf(t, [][]any{head,
			{"孙立", idOf(a), "2026-01", "按月领取工资", "4500"},
			{"孙立", idOf(a), "2026年7月", "在职", "5000.01"},
			{"周 芳", strings.ToLower(idOf(b)), 46023.0, "离退休", "5000"}, // 2026-01-01 as a date cell
		})
		res, err = w.s.ImportStandards(w.adminT, w.t.ID, good, "基数.xlsx")
		if err != nil || !res.OK || res.Saved != 3 {
			t.Fatalf("good file: %+v %v", res, err)
		}
		md, _ := w.s.MemberDues(w.adminT, a.ID)
		if md.Current == nil || md.Current.MonthlyFen != 7500 || md.Current.EffectiveMonth != "2026-07" || md.Current.Source != "import" {
			t.Errorf("imported standards of 孙立: %+v", md.Current)
		}
		if mb, _ := w.s.MemberDues(w.adminT, b.ID); mb.Current == nil || mb.Current.MonthlyFen != 2500 {
			t.Errorf("imported standard of 周芳: %+v", mb.Current)
		}
		// Payments made through the bank or 复兴壹号.
		phead := []any{"姓名", "身份证号", "月份", "金额", "缴费日期", "流水号"}
		pays := xlsxOf(t, [][]any{phead,
			{"孙立", idOf(a), "2026-08", "75", "2026-08-20", "FX202608200001"},
			{"周芳", idOf(b), "2026-08", "25.00", "2026/8/21", "FX202608210002"},
		})
		res, err = w.s.ImportPayments(w.adminT, w.t.ID, "", pays, "复兴壹号.xlsx")
		if err != nil || !res.OK || res.Saved != 2 {
			t.Fatalf("payments: %+v %v", res, err)
		}
		l, _ := w.s.Ledger(w.adminT, w.t1.ID, "2026-08")
		if r := rowOf(l, a.ID); r == nil || r.Status != StatusPaid || r.ReceiptNo != "FX202608200001" || r.Entries[0].Method != "online" || r.Entries[0].Source != "import" {
			t.Errorf("imported payment: %+v", r)
		}
		// The same file again: every row refused, nothing saved.
		res, err = w.s.ImportPayments(w.adminT, w.t.ID, "", pays, "复兴壹号.xlsx")
		if err != nil || res.OK || len(res.Errors) != 2 || res.Errors[0].Column != "流水号" || !strings.Contains(res.Errors[0].Message, "重复导入") {
			t.Errorf("re-import: %+v %v", res, err)
		}
		// Missing columns are one file error; CSV in GB18030 reads too.
		res, _ = w.s.ImportPayments(w.adminT, w.t.ID, "", xlsxOf(t, [][]any{{"姓名", "身份证号", "月份", "金额"}}), "x.xlsx")
		if res.OK || len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Message, "缺少列") {
			t.Errorf("missing columns: %+v", res)
		}
		csvText := "姓名,公民身份号码,月份,类别,基数\n孙立," + idOf(a) + ",2026-09,在职,5000.01\n"
		res, err = w.s.ImportStandards(w.adminT, w.t1.ID, []byte(csvText), "x.csv")
		if err != nil || !res.OK {
			t.Errorf("csv: %+v %v", res, err)
		}
		if _, err := w.s.ImportStandards(w.viewT, w.t.ID, good, "x.xlsx"); status(err) != 403 {
			t.Errorf("viewer imports: %v", err)
		}
		if _, err := w.s.ImportStandards(w.adminU, w.t.ID, good, "x.xlsx"); status(err) != 404 {
			t.Errorf("U imports into T: %v", err)
		}
	})
}

// Two collectors recording the same month at once: one entry, the others refused as 已交清.
func TestConcurrentPaymentsOfOneMonth(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		m := w.member(t, w.t1, "并发党员", civil.New(2010, 7, 1))
		w.standard(t, w.adminT, m, "2026-01", Farmer, 0, 100)
		errs := make(chan error, 6)
		for i := 0; i < 6; i++ {
			go func() {
				_, err := w.s.Pay(w.adminT, PaymentInput{MemberID: m.ID, Months: []Month{"2026-09"}, Method: "cash"})
				errs <- err
			}()
		}
		ok := 0
		for i := 0; i < 6; i++ {
			err := <-errs
			switch {
			case err == nil:
				ok++
			case !strings.Contains(fieldMsg(err, "months[0]"), "已交清"):
				t.Errorf("unexpected error: %v", err)
			}
		}
		l, _ := w.s.Ledger(w.adminT, w.t1.ID, "2026-09")
		if r := rowOf(l, m.ID); ok != 1 || r.PaidFen != 100 || len(r.Entries) != 1 {
			t.Errorf("%d payments succeeded, paid %d in %d entries", ok, r.PaidFen, len(r.Entries))
		}
	})
}
