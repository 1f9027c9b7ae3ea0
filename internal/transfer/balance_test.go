package transfer

import (
	"testing"

	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/db/dbtest"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/standing"
)

// A member transferred from 武陵区 to 鼎城区 leaves the one's 党员数量变化 and enters the
// other's, each side balancing against its frozen 上年底 (年报封存) and the city seeing no
// change: the "counts balancing on both sides".
func TestTransferBetweenCountiesBalancesBothSides(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		report := standing.NewStore(d, w.members)
		year := report.Today().Year()
		// Last year's 年报 frozen at the city: 武陵区 had the two 正式党员 (the 预备党员 joined
		// this year), 鼎城区 none.
		if _, err := report.Freeze(w.sys, standing.SnapshotInput{OrgID: w.city.ID, Year: year - 1}); err != nil {
			t.Fatal(err)
		}
		row := func(o *org.Org) standing.ChangeRow {
			t.Helper()
			rep, err := report.MemberChanges(w.sys, w.city.ID, year)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rep.Rows {
				if r.OrgID == o.ID {
					return r
				}
			}
			t.Fatalf("no row for %s", o.Name)
			return standing.ChangeRow{}
		}

		tr, err := w.s.Create(w.adminA, CreateInput{MemberID: w.m.ID, ToOrgID: w.branchB.ID, Reason: "工作调动"})
		if err != nil {
			t.Fatal(err)
		}
		// Issued, not accepted: 武陵区 is still responsible and counts the member.
		if a := row(w.countyA); a.TransferOut != 0 || a.Actual != 3 || a.Difference != 0 {
			t.Fatalf("武陵区 before acceptance: %+v", a)
		}
		if _, err := w.s.Accept(w.adminB, tr.ID, Decision{Version: tr.Version}); err != nil {
			t.Fatal(err)
		}

		a, b := row(w.countyA), row(w.countyB)
		if !a.PrevFrozen || a.PrevTotal != 2 || a.Develop != 1 || a.TransferOut != 1 || a.Decrease != 1 || a.Expected != 2 || a.Actual != 2 || a.Difference != 0 {
			t.Errorf("武陵区: 上年底 %d + 发展 %d − 转出 %d = 应有 %d, 实有 %d, 差额 %d (frozen %v)", a.PrevTotal, a.Develop, a.TransferOut, a.Expected, a.Actual, a.Difference, a.PrevFrozen)
		}
		if !b.PrevFrozen || b.PrevTotal != 0 || b.TransferIn != 1 || b.Increase != 1 || b.Expected != 1 || b.Actual != 1 || b.Difference != 0 {
			t.Errorf("鼎城区: 上年底 %d + 转入 %d = 应有 %d, 实有 %d, 差额 %d (frozen %v)", b.PrevTotal, b.TransferIn, b.Expected, b.Actual, b.Difference, b.PrevFrozen)
		}
		// Each county's admin draws the same figures for their own county.
		for _, c := range []struct {
			name string
			as   func() (*standing.ChangeReport, error)
			want standing.ChangeRow
		}{
			{"武陵区", func() (*standing.ChangeReport, error) { return report.MemberChanges(w.adminA, w.countyA.ID, year) }, a},
			{"鼎城区", func() (*standing.ChangeReport, error) { return report.MemberChanges(w.adminB, w.countyB.ID, year) }, b},
		} {
			rep, err := c.as()
			if err != nil {
				t.Fatal(err)
			}
			if got := rep.Rows[0]; !rep.Balanced || got.Expected != c.want.Expected || got.TransferIn != c.want.TransferIn || got.TransferOut != c.want.TransferOut {
				t.Errorf("%s drawn by its own admin: %+v, want %+v", c.name, got, c.want)
			}
		}
		// For the city the move is internal: no 转入, no 转出, and it still balances.
		rep, err := report.MemberChanges(w.sys, w.city.ID, year)
		if err != nil {
			t.Fatal(err)
		}
		if city := rep.Rows[0]; city.TransferIn != 0 || city.TransferOut != 0 || city.PrevTotal != 2 || city.Expected != 3 || city.Actual != 3 || !rep.Balanced {
			t.Errorf("city: %+v (balanced %v)", city, rep.Balanced)
		}
	})
}
