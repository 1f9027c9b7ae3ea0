package dues

import (
	"context"
	"strings"
	"testing"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/db/dbtest"
)

// LoadHistory records a branch's past books with the checks of SetStandard and Pay as of the
// day each month was paid, or nothing at all.
func TestLoadHistory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d) // today is 2026-10-15
		a := w.member(t, w.t1, "甲一", civil.New(2010, 7, 1))
		b := w.member(t, w.t1, "乙二", civil.New(2026, 3, 10)) // joined in March
		other := w.member(t, w.u1, "柳溪党员", civil.New(2010, 7, 1))
		paid := func(from, to string, day int) []PaidMonth {
			var out []PaidMonth
			for mo := MustMonth(from); !mo.After(MustMonth(to)); mo = mo.Add(1) {
				out = append(out, PaidMonth{Month: mo, PaidOn: civil.New(mo.Year(), mo.Mon(), day), Method: "cash"})
			}
			return out
		}
		count := func(table string) int {
			var n int
			if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		good := []History{
			{MemberID: a.ID, Standard: StandardInput{From: "2026-01", Category: Salaried, BaseFen: 600000}, Paid: paid("2026-01", "2026-09", 8)},
			{MemberID: b.ID, Standard: StandardInput{From: "2026-03", Category: Farmer, FixedFen: 50}, Paid: paid("2026-03", "2026-06", 20)},
		}
		refused := []struct {
			name, want string
			list       []History
		}{
			{"a member outside the admin's scope", "不在您的管理范围内", []History{{MemberID: other.ID, Standard: StandardInput{From: "2026-01", Category: Farmer, FixedFen: 20}}}},
			{"a standard before joining", "不能早于入党当月", []History{{MemberID: b.ID, Standard: StandardInput{From: "2026-01", Category: Farmer, FixedFen: 20}}}},
			{"a month before joining", "无需交纳", []History{{MemberID: b.ID, Standard: StandardInput{From: "2026-03", Category: Farmer, FixedFen: 20},
				Paid: paid("2026-02", "2026-03", 20)}}},
			{"a month paid twice", "已交清", []History{{MemberID: a.ID, Standard: StandardInput{From: "2026-01", Category: Farmer, FixedFen: 20},
				Paid: append(paid("2026-01", "2026-02", 5), paid("2026-02", "2026-02", 6)...)}}},
			{"paid ahead", "预交", []History{{MemberID: a.ID, Standard: StandardInput{From: "2026-01", Category: Farmer, FixedFen: 20},
				Paid: []PaidMonth{{Month: "2026-05", PaidOn: civil.New(2026, 4, 20), Method: "cash"}}}}},
			{"beyond the back-pay limit of that day", "补交期限", []History{{MemberID: a.ID, Standard: StandardInput{From: "2026-01", Category: Farmer, FixedFen: 20},
				Paid: []PaidMonth{{Month: "2026-01", PaidOn: civil.New(2026, 9, 1), Method: "cash"}}}}},
			{"a day after today", "今天或以前", []History{{MemberID: a.ID, Standard: StandardInput{From: "2026-01", Category: Farmer, FixedFen: 20},
				Paid: []PaidMonth{{Month: "2026-10", PaidOn: civil.New(2026, 10, 16), Method: "cash"}}}}},
		}
		for _, c := range refused {
			if _, _, err := w.s.LoadHistory(w.adminT, w.t1.ID, c.list); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: %v, want an error with %q", c.name, err, c.want)
			}
		}
		if n := count("dues_standards") + count("dues_payments"); n != 0 {
			t.Fatalf("refused loads saved %d rows", n)
		}
		if _, _, err := w.s.LoadHistory(w.viewT, w.t1.ID, good); err == nil {
			t.Fatalf("a viewer loaded books")
		}

		ns, np, err := w.s.LoadHistory(w.adminT, w.t1.ID, good)
		if err != nil || ns != 2 || np != 13 {
			t.Fatalf("LoadHistory: %d standards, %d payments, %v; want 2 and 13", ns, np, err)
		}
		// The books read them as any other entries: 甲一 paid up to September, 乙二 owes July to
		// September (October is not over).
		l, err := w.s.Ledger(w.viewT, w.t1.ID, "2026-09")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range l.Rows {
			switch r.Member.ID {
			case a.ID:
				if r.MonthState.Status != "paid" || *r.MonthState.DueFen != 9000 { // 6000 元 × 1.5%
					t.Errorf("甲一 in September: %+v", r.MonthState)
				}
			case b.ID:
				if r.MonthState.Status != "unpaid" || *r.MonthState.DueFen != 50 {
					t.Errorf("乙二 in September: %+v", r.MonthState)
				}
			}
		}
		md, err := w.s.MemberDues(w.viewT, b.ID)
		if err != nil || len(md.Unpaid) != 3 || md.OwedFen != 150 {
			t.Fatalf("乙二's dues: unpaid %v, owed %d, %v; want 2026-07 to 2026-09 and 1.50 元", md.Unpaid, md.OwedFen, err)
		}
	})
}
