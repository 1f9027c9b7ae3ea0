package demo

import (
	"fmt"
	"hash/fnv"
	"testing"

	"github.com/dangjian/dangjian/internal/civil"
)

// The past year of every 支部: deterministic, within the window, with attendance drawn from
// the 支部's own members, and with some requirements deliberately left out.
func TestActivity(t *testing.T) {
	opt := Options{Area: "430702", Seed: 1, Today: day}
	today := civil.Of(day)
	run := func() (uint64, map[string]int, int, int, int) {
		h := fnv.New64a()
		types := map[string]int{}
		branches, withoutCongress, arrears := 0, 0, 0
		err := GenerateActivity(opt, func(a *Activity) error {
			branches++
			congress := 0
			for _, m := range a.Meetings {
				types[m.Type]++
				if m.Type == lifeCongress {
					congress++
				}
				if !m.HeldOn.Before(today) || m.HeldOn.Before(today.AddDate(-1, 0, 0)) {
					t.Fatalf("%s: a meeting on %s, outside the past year to %s", a.Branch.Name, m.HeldOn, today)
				}
				for _, at := range m.Attendance {
					if at.Member < 0 || at.Member >= len(a.Members) || a.Members[at.Member].JoinedOn.After(m.HeldOn) {
						t.Fatalf("%s %s: attendance of member %d, not on the roster of the day", a.Branch.Name, m.HeldOn, at.Member)
					}
				}
				fmt.Fprintln(h, m.OrgCode, m.Type, m.HeldOn, m.Topic, len(m.Attendance))
			}
			if congress < 3 {
				withoutCongress++
			}
			if len(a.Dues) != len(a.Members) {
				t.Fatalf("%s: %d dues standards for %d members", a.Branch.Name, len(a.Dues), len(a.Members))
			}
			for _, d := range a.Dues {
				if len(d.Paid) > 0 && d.Paid[len(d.Paid)-1].Month.Before(civil.New(today.Year(), today.Time().Month(), 1).AddDate(0, -3, 0)) {
					arrears++
				}
				fmt.Fprintln(h, d.Member, d.Category, d.BaseFen, d.FixedFen, len(d.Paid))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return h.Sum64(), types, branches, withoutCongress, arrears
	}
	sum, types, branches, without, arrears := run()
	if again, _, _, _, _ := run(); again != sum {
		t.Fatalf("the same options gave different activity")
	}
	t.Logf("%d 支部, meetings by type %v, %d with fewer than 3 支部党员大会, %d members 3+ months in arrears", branches, types, without, arrears)
	for _, typ := range []string{lifeCongress, lifeCommittee, lifeGroup, lifeLecture, lifeThemeDay} {
		if types[typ] < branches/4 {
			t.Errorf("only %d meetings of type %s for %d 支部", types[typ], typ, branches)
		}
	}
	if without == 0 || without > branches/2 {
		t.Errorf("%d of %d 支部 held fewer than 3 支部党员大会: want some, not most", without, branches)
	}
	if arrears == 0 {
		t.Errorf("no member in arrears")
	}
}
