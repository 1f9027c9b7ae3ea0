package dues

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/rules"
)

var t2008 = TableFor(MustMonth("2026-10"))

func calc(t *testing.T, c Category, base, fixed int64) (Calc, string) {
	t.Helper()
	out, f := Calculate(t2008, CalcInput{Category: c, BaseFen: base, FixedFen: fixed})
	// The texts-free path of the roll-ups agrees with Calculate on every case.
	if v, ok := amount(t2008, CalcInput{Category: c, BaseFen: base, FixedFen: fixed}); ok != (len(f) == 0) || (ok && v != out.MonthlyFen) {
		t.Errorf("amount(%s, %d, %d) = %d %v, Calculate %d %v", c, base, fixed, v, ok, out.MonthlyFen, f)
	}
	if len(f) > 0 {
		return out, f[0].Field + ": " + f[0].Message
	}
	return out, ""
}

// Every row of the 2008 table, at and around each bracket boundary. Amounts are round_half_up(
// base × rate / 10000) in 分: one rate on the whole base, not progressive.
func TestAmountsAtEveryBoundary(t *testing.T) {
	rate := []struct {
		base   int64 // 分
		rateBP int
		fen    int64
	}{
		{0, 50, 0},
		{1, 50, 0},              // 0.01元 × 0.5% = 0.005分 → 0
		{100, 50, 1},            // 1元 × 0.5% = 0.5分 → 1 (half up)
		{99, 50, 0},             // 0.495分 → 0
		{299999, 50, 1500},      // 2999.99 × 0.5% = 14.99995 → 15.00
		{300000, 50, 1500},      // 3000.00 × 0.5% = 15.00
		{300001, 100, 3000},     // 3000.01 × 1% = 30.0001 → 30.00
		{450000, 100, 4500},     // 4500 × 1% = 45.00
		{499999, 100, 5000},     // 4999.99 × 1% = 49.9999 → 50.00
		{500000, 100, 5000},     // 5000.00 × 1% = 50.00
		{500001, 150, 7500},     // 5000.01 × 1.5% = 75.00015 → 75.00
		{666667, 150, 10000},    // 6666.67 × 1.5% = 100.00005 → 100.00
		{999999, 150, 15000},    // 9999.99 × 1.5% = 149.99985 → 150.00
		{1000000, 150, 15000},   // 10000.00 × 1.5% = 150.00
		{1000001, 200, 20000},   // 10000.01 × 2% = 200.0002 → 200.00
		{2345678, 200, 46914},   // 23456.78 × 2% = 469.1356 → 469.14
		{10000000, 200, 200000}, // 100000 × 2% = 2000.00
	}
	for _, c := range []Category{Salaried, AnnualSalary, SelfEmployed} {
		for _, r := range rate {
			got, err := calc(t, c, r.base, 0)
			if err != "" || got.RateBP != r.rateBP || got.MonthlyFen != r.fen {
				t.Errorf("%s %s元: rate %d fen %d (%s), want rate %d fen %d", c, Yuan(r.base), got.RateBP, got.MonthlyFen, err, r.rateBP, r.fen)
			}
		}
	}
	retired := []struct {
		base   int64
		rateBP int
		fen    int64
	}{
		{0, 50, 0}, {300000, 50, 1500}, {300001, 50, 1500}, {499999, 50, 2500}, {500000, 50, 2500},
		{500001, 100, 5000}, {1000001, 100, 10000}, {1234567, 100, 12346},
	}
	for _, r := range retired {
		got, err := calc(t, Retired, r.base, 0)
		if err != "" || got.RateBP != r.rateBP || got.MonthlyFen != r.fen {
			t.Errorf("retired %s元: rate %d fen %d (%s), want rate %d fen %d", Yuan(r.base), got.RateBP, got.MonthlyFen, err, r.rateBP, r.fen)
		}
	}
	for _, fixed := range []struct {
		fen  int64
		ok   bool
		want int64
	}{{20, true, 20}, {100, true, 100}, {50, true, 50}, {19, false, 0}, {101, false, 0}, {0, false, 0}, {-20, false, 0}} {
		got, err := calc(t, Farmer, 0, fixed.fen)
		if (err == "") != fixed.ok || (fixed.ok && got.MonthlyFen != fixed.want) {
			t.Errorf("farmer %d分: %+v %q", fixed.fen, got.MonthlyFen, err)
		}
		if !fixed.ok && !strings.HasPrefix(err, "fixed_fen: ") {
			t.Errorf("farmer %d分 refused on the wrong field: %q", fixed.fen, err)
		}
	}
	for _, fixed := range []int64{0, 20, 500} { // 0.2元 whatever is typed
		if got, err := calc(t, StudentEtc, 500000, fixed); err != "" || got.MonthlyFen != 20 || got.RateBP != 0 {
			t.Errorf("student: %+v %q", got, err)
		}
	}
	if _, err := calc(t, Reduced, 0, 0); !strings.HasPrefix(err, "fixed_fen") {
		t.Errorf("reduced without an amount: %q", err)
	}
	if got, err := calc(t, Reduced, 0, 500); err != "" || got.MonthlyFen != 500 {
		t.Errorf("reduced 5元: %+v %q", got, err)
	}
	if got, err := calc(t, Exempt, 800000, 300); err != "" || got.MonthlyFen != 0 {
		t.Errorf("exempt: %+v %q", got, err)
	}
	if _, err := calc(t, Salaried, -1, 0); !strings.HasPrefix(err, "base_fen") {
		t.Errorf("negative base: %q", err)
	}
	if _, err := calc(t, "pensioner", 100, 0); !strings.HasPrefix(err, "category") {
		t.Errorf("unknown category: %q", err)
	}
}

func TestBasisIsSpelledOut(t *testing.T) {
	got, _ := calc(t, Salaried, 450000, 0)
	if got.Basis != "每月工资总额中相对固定的、经常性的工资收入（税后） 4500.00元 × 1% = 45.00元（按全额适用本档比例，四舍五入到分）" {
		t.Errorf("basis: %s", got.Basis)
	}
	if got.RuleID != "dues.salaried.5000" || !strings.Contains(got.Source, "中组发〔2008〕3号") || !strings.Contains(got.Source, "第二条") ||
		got.Version != "2008" || !strings.Contains(got.Rounding, "四舍五入") || !strings.Contains(got.Bracket, "3000元以上至5000元") {
		t.Errorf("calc: %+v", got)
	}
	got, _ = calc(t, Retired, 500001, 0)
	if got.RuleID != "dues.retired.over" || !strings.Contains(got.Source, "第五条") || got.Basis != "离退休费总额或养老金总额 5000.01元 × 1% = 50.00元（按全额适用本档比例，四舍五入到分）" {
		t.Errorf("retired: %+v", got)
	}
	got, _ = calc(t, Farmer, 0, 50)
	if got.Basis != "农民：每月 0.50元" || !strings.Contains(got.Source, "第六条") {
		t.Errorf("farmer: %+v", got)
	}
}

func TestRoundHalfUp(t *testing.T) {
	for _, c := range []struct {
		fen  int64
		bp   int
		want int64
	}{{100, 50, 1}, {99, 50, 0}, {300, 50, 2}, {1, 5000, 1}, {1, 4999, 0}, {0, 200, 0}, {-100, 50, 0}} {
		if got := RoundHalfUp(c.fen, c.bp); got != c.want {
			t.Errorf("RoundHalfUp(%d, %d) = %d, want %d", c.fen, c.bp, got, c.want)
		}
	}
}

// The official figures of 中组发〔2008〕3号, pinned here and checked against both the rule
// catalogue (which the table reads) and the table.
func TestTableMatchesOfficialText(t *testing.T) {
	if len(rateTables) != 1 || rateTables[0].Version != "2008" || rateTables[0].EffectiveFrom != "2008-04" {
		t.Fatalf("versions: %+v", rateTables)
	}
	official := map[Category][][2]int64{
		Salaried: {{300000, 50}, {500000, 100}, {1000000, 150}, {0, 200}},
		Retired:  {{500000, 50}, {0, 100}},
	}
	for c, want := range official {
		r, _ := t2008.Rule(c)
		if len(r.Brackets) != len(want) {
			t.Fatalf("%s brackets: %+v", c, r.Brackets)
		}
		for i, b := range r.Brackets {
			if b.UpToFen != want[i][0] || int64(b.RateBP) != want[i][1] || rules.Get(b.RuleID).Value != b.RateBP {
				t.Errorf("%s bracket %d: %+v, want %v", c, i, b, want[i])
			}
			if !strings.Contains(rules.Get(b.RuleID).Source, "中组发〔2008〕3号") {
				t.Errorf("%s bracket %d has no source", c, i)
			}
		}
	}
	for _, c := range []Category{AnnualSalary, SelfEmployed} {
		r, _ := t2008.Rule(c)
		s, _ := t2008.Rule(Salaried)
		if len(r.Brackets) != len(s.Brackets) || r.Brackets[0] != s.Brackets[0] || r.Brackets[3] != s.Brackets[3] {
			t.Errorf("%s does not use the salaried table", c)
		}
	}
	farmer, _ := t2008.Rule(Farmer)
	student, _ := t2008.Rule(StudentEtc)
	if farmer.MinFen != 20 || farmer.MaxFen != 100 || student.MinFen != 20 || student.MaxFen != 20 {
		t.Errorf("fixed amounts: %+v %+v", farmer, student)
	}
	for id, v := range map[string]int{"dues.voluntary_centre": 1000, "dues.back_pay_limit": 6, "dues.six_months": 6, "dues.remit_centre": 5,
		"dues.farmer.min": 20, "dues.farmer.max": 100, "dues.student": 20, "dues.arrears.remind": 3} {
		if r := rules.Get(id); r.Value != v || r.Source == "" || r.Text == "" {
			t.Errorf("rule %s = %+v, want value %d with text and source", id, r, v)
		}
	}
	for _, c := range t2008.Categories {
		if c.Source == "" || rules.Get(c.RuleID).Source == "" {
			t.Errorf("category %s has no source", c.Category)
		}
	}
}

// A revision is a new version from its month: months before it keep the old amounts.
func TestNewVersionLeavesPastMonthsAlone(t *testing.T) {
	saved := rateTables
	t.Cleanup(func() { rateTables = saved })
	next := saved[0]
	next.Version, next.EffectiveFrom = "2030", "2030-01"
	next.Categories = append([]CategoryRule(nil), saved[0].Categories...)
	next.Categories[0].Brackets = []Bracket{{UpToFen: 0, RateBP: 100, Text: "test", RuleID: "dues.salaried.5000"}}
	rateTables = append(append([]RateTable(nil), saved...), next)

	st := &Standard{Category: Salaried, BaseFen: 800000, EffectiveMonth: "2026-01"}
	if got := st.dueFen("2029-12"); got != 12000 {
		t.Errorf("2029-12 under the 2008 table: %d, want 12000", got)
	}
	if got := st.dueFen("2030-01"); got != 8000 {
		t.Errorf("2030-01 under the new table: %d, want 8000", got)
	}
	if TableFor("2008-03").Version != "2008" || TableFor("2029-12").Version != "2008" || TableFor("2031-05").Version != "2030" {
		t.Error("TableFor picks the wrong version")
	}
}

func TestFormula(t *testing.T) {
	items := BaseItems{Wages: []WageItem{{"岗位工资", 300000}, {"薪级工资", 150000}, {"绩效工资", 200000}},
		IncomeTaxFen: 12000, SocialInsuranceFen: 70000, HousingFundFen: 50000}
	base, text, f := DefaultFormula.Base(items)
	if len(f) > 0 || base != 638000 || text != "工资项目合计 6500.00元（岗位工资 3000.00 + 薪级工资 1500.00 + 绩效工资 2000.00） − 个人所得税 120.00元 = 6380.00元" {
		t.Errorf("default formula: %d %q %v", base, text, f)
	}
	all := Formula{DeductIncomeTax: true, DeductSocialInsurance: true, DeductHousingFund: true}
	if base, _, _ := all.Base(items); base != 518000 {
		t.Errorf("all deductions: %d", base)
	}
	if all.Text() != "工资项目合计 − 个人所得税 − 社会保险个人缴费 − 住房公积金个人缴存" || DefaultFormula.Text() != "工资项目合计 − 个人所得税" {
		t.Errorf("formula texts: %q %q", all.Text(), DefaultFormula.Text())
	}
	if _, _, f := DefaultFormula.Base(BaseItems{}); len(f) == 0 || f[0].Field != "items.wages" {
		t.Errorf("no wage items: %v", f)
	}
	if _, _, f := DefaultFormula.Base(BaseItems{Wages: []WageItem{{"", 100}}}); len(f) == 0 || f[0].Field != "items.wages[0].name" {
		t.Errorf("unnamed item: %v", f)
	}
	if _, _, f := DefaultFormula.Base(BaseItems{Wages: []WageItem{{"工资", 100}}, IncomeTaxFen: 200}); len(f) == 0 || f[0].Field != "items" {
		t.Errorf("negative base: %v", f)
	}
}

func TestMonth(t *testing.T) {
	for in, want := range map[string]Month{"2026-10": "2026-10", "2026-1": "2026-01", "2026年3月": "2026-03", "2026.12": "2026-12",
		"2026/07": "2026-07", "202605": "2026-05", " 2026-02 ": "2026-02"} {
		if got, err := ParseMonth(in); err != nil || got != want {
			t.Errorf("ParseMonth(%q) = %q %v", in, got, err)
		}
	}
	for _, bad := range []string{"2026-13", "2026-00", "26-10", "abc", "2026-10-01"} {
		if _, err := ParseMonth(bad); err == nil {
			t.Errorf("ParseMonth(%q) accepted", bad)
		}
	}
	m := MustMonth("2026-11")
	if m.Add(2) != "2027-01" || m.Add(-11) != "2025-12" || m.Sub("2025-11") != 12 || m.Quarter() != 4 || MustMonth("2026-03").Quarter() != 1 ||
		m.Label() != "2026年11月" || MonthOf(civil.New(2026, time.February, 28)) != "2026-02" {
		t.Error("month arithmetic")
	}
	if got := monthRange("2025-11", "2026-02"); len(got) != 4 || got[3] != "2026-02" {
		t.Errorf("range: %v", got)
	}
	var x struct{ M Month }
	if err := json.Unmarshal([]byte(`{"M":"2026年9月"}`), &x); err != nil || x.M != "2026-09" {
		t.Errorf("json: %v %q", err, x.M)
	}
	if err := json.Unmarshal([]byte(`{"M":"2026-9-1"}`), &x); err == nil {
		t.Error("json accepted a bad month")
	}
}

func TestDueWindow(t *testing.T) {
	m := &memberInfo{JoinedOn: civil.New(2026, 6, 15)}
	for mo, want := range map[Month]bool{"2026-05": false, "2026-06": true, "2026-10": true} {
		if got, _ := m.dueIn(mo); got != want {
			t.Errorf("joined 2026-06-15, %s: %v", mo, got)
		}
	}
	// Left on 2026-08-10: August is still due, September is not; suspended from March to May 2025.
	m = &memberInfo{JoinedOn: civil.New(2000, 1, 1), changes: []statusChange{
		{civil.New(2025, 3, 10), "suspended"}, {civil.New(2025, 6, 1), "normal"}, {civil.New(2026, 8, 10), "left"}}}
	for mo, want := range map[Month]bool{"2025-02": true, "2025-03": true, "2025-04": false, "2025-05": false, "2025-06": true,
		"2026-07": true, "2026-08": true, "2026-09": false, "2027-01": false} {
		got, reason := m.dueIn(mo)
		if got != want || (!got && reason != notDueNotMember) {
			t.Errorf("%s: %v %s, want %v", mo, got, reason, want)
		}
	}
}

func TestMonthStatus(t *testing.T) {
	fen := func(v int64) *int64 { return &v }
	for _, c := range []struct {
		due    *int64
		paid   int64
		notDue bool
		want   string
	}{
		{fen(4500), 0, false, StatusUnpaid}, {fen(4500), 4500, false, StatusPaid}, {fen(4500), 100, false, StatusPartial},
		{fen(4500), 5000, false, StatusOver}, {fen(0), 0, false, StatusExempt}, {fen(0), 100, false, StatusOver},
		{nil, 0, false, StatusNoStandard}, {nil, 0, true, StatusNotDue},
	} {
		if got := monthStatus(c.due, c.paid, c.notDue); got != c.want {
			t.Errorf("monthStatus(%v, %d, %v) = %s, want %s", c.due, c.paid, c.notDue, got, c.want)
		}
	}
}

func TestImportCells(t *testing.T) {
	for in, want := range map[string]int64{"4500": 450000, "4,500.50": 450050, "¥3000元": 300000, "0.2": 20, " 15 ": 1500} {
		if got, err := parseYuan(in); err != nil || got != want {
			t.Errorf("parseYuan(%q) = %d %v, want %d", in, got, err, want)
		}
	}
	if v, err := parseYuan("0.2"); err != nil || v != 20 {
		t.Errorf("0.2元: %d %v", v, err)
	}
	if v, err := parseYuan("4500.3000000001"); err != nil || v != 450030 {
		t.Errorf("float noise: %d %v", v, err)
	}
	if _, err := parseYuan("12.345"); err == nil {
		t.Error("three decimals accepted")
	}
	if m, err := parseMonthCell("46296"); err != nil || m != "2026-10" { // 2026-10-01 as an Excel serial
		t.Errorf("serial month: %q %v", m, err)
	}
	if d, err := parseDateCell("2026/10/5"); err != nil || d.String() != "2026-10-05" {
		t.Errorf("date: %v %v", d, err)
	}
	if d, err := parseDateCell("2026-10-05 14:30:00"); err != nil || d.String() != "2026-10-05" {
		t.Errorf("datetime: %v %v", d, err)
	}
	if c, msg := parseCategory("退休"); c != Retired || msg != "" {
		t.Errorf("退休: %s %s", c, msg)
	}
	if _, msg := parseCategory("免交"); !strings.Contains(msg, "批准") {
		t.Errorf("免交 by import: %s", msg)
	}
}
