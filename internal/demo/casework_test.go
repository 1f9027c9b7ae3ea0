package demo

import (
	"context"
	"testing"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/db/dbtest"
	"github.com/dangjian/dangjian/internal/development"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/mobility"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/pii"
	"github.com/dangjian/dangjian/internal/transfer"
)

// The demo's work in progress goes through the stores on both engines: the 发展党员 cases
// stand at the phases the pages should show, with the next step due where a visitor expects
// it; the 预备党员 have their member records; the letters, outings and losses are there with
// the proposals the rules make of them.
func TestDevelopmentAndCaseworkThroughTheStores(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := access.System(context.Background())
		today := civil.Today()
		opt := Options{Area: "430702", Seed: 1, Today: today.Time()}
		os := org.NewStore(d)
		var rootCode, streetCode string
		if _, err := os.Load(ctx, "演示数据", func(add func(org.Seed) error) error {
			return Generate(opt, func(o Org) error {
				switch {
				case o.ParentCode == "":
					rootCode = o.Code
				case o.ParentCode == rootCode && streetCode == "":
					streetCode = o.Code
				}
				s := org.Seed{Code: o.Code, ParentCode: o.ParentCode, Name: o.Name, ShortName: o.ShortName, Type: o.Type,
					UnitType: o.UnitType, DivisionCode: o.DivisionCode, EstablishedOn: civil.Of(o.EstablishedOn), Units: o.Units, SortOrder: o.SortOrder}
				return add(s)
			})
		}); err != nil {
			t.Fatal(err)
		}
		branchIDs := map[string]int64{}
		rows, err := d.Query(ctx, `SELECT code, id FROM orgs`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var code string
			var id int64
			rows.Scan(&code, &id)
			branchIDs[code] = id
		}
		rows.Close()
		key, _, _ := pii.Generate()
		ms := member.NewStore(d, key)
		next, stop := PullMembers(opt, func(code string) int64 { return branchIDs[code] })
		if _, err := ms.BulkLoad(ctx, next); err != nil {
			t.Fatal(err)
		}
		stop()
		street := branchIDs[streetCode]

		dev := development.NewStore(d, key)
		dev.Today = func() civil.Date { return today }
		sum, err := Development(ctx, d, dev, street, today)
		if err != nil {
			t.Fatal(err)
		}
		ts := transfer.NewStore(d, ms, os)
		ts.Today = func() civil.Date { return today }
		mob := mobility.NewStore(d, ms, key)
		mob.Today = func() civil.Date { return today }
		if err := Casework(ctx, d, ts, mob, street, today, &sum); err != nil {
			t.Fatal(err)
		}
		if sum.Cases != 8 || sum.Probationary != 2 || sum.Full != 1 || sum.LettersIn != 2 || sum.LettersOut != 2 || sum.Returned != 1 ||
			sum.Outings != 4 || sum.Returned2 != 1 || sum.Lost != 2 || sum.Searches != 3 {
			t.Errorf("summary: %+v", sum)
		}

		// 发展党员: the phases, what is due next, the member records of the 审批.
		all, err := dev.List(ctx, development.ListFilter{Under: street, Status: "all"}, api.Paging{Page: 1, Size: 50})
		if err != nil {
			t.Fatal(err)
		}
		phases := map[development.Phase]int{}
		due := map[string]int{}
		for _, c := range all.Items {
			phases[c.Phase]++
			if c.Next != nil {
				due[c.Next.Step]++
				if c.Next.Step == development.StepTalk && (c.Next.DueOn.Before(today) || c.Next.DueOn.After(today.AddDate(0, 0, 14))) {
					t.Errorf("the 谈话 of %s is due %s, not within a fortnight", c.Name, c.Next.DueOn)
				}
			}
			if (c.Phase == development.PhaseProbationary || c.Phase == development.PhaseFull) && c.MemberID == nil {
				t.Errorf("%s (%s) has no member record", c.Name, c.PhaseName)
			}
		}
		if phases[development.PhaseApplicant] != 2 || phases[development.PhaseActivist] != 2 || phases[development.PhaseCandidate] != 1 ||
			phases[development.PhaseProbationary] != 2 || phases[development.PhaseFull] != 1 {
			t.Errorf("phases: %v", phases)
		}
		if due[development.StepTalk] != 1 || due[development.StepPreReview] != 1 || due[development.StepFullCongress] != 1 {
			t.Errorf("next steps: %v", due)
		}
		// Each member record has its develop ledger row; one 预备党员 was approved this year.
		var ledger int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM dev_cases c JOIN member_events e ON e.member_id = c.member_id AND e.kind = 'develop'`).Scan(&ledger); err != nil {
			t.Fatal(err)
		}
		if ledger != 3 {
			t.Errorf("%d develop ledger rows of the demo's cases, want 3", ledger)
		}
		approvedThisYear := 0
		for _, c := range all.Items {
			full, err := dev.Get(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range full.Steps {
				if st.Step == development.StepApproval && st.On.Year() == today.Year() && full.Phase == development.PhaseProbationary &&
					full.Next != nil && full.Next.Step != development.StepFullCongress {
					approvedThisYear++
				}
			}
		}
		if approvedThisYear != 1 {
			t.Errorf("%d 预备党员 approved this year (besides the one whose 预备期 ends), want 1", approvedThisYear)
		}

		// 转接: what the lists say.
		letters, err := ts.List(ctx, transfer.ListFilter{}, api.Paging{Page: 1, Size: 50})
		if err != nil {
			t.Fatal(err)
		}
		var pending, overdue, out, returned int
		for _, l := range letters.Items {
			switch {
			case l.Status == transfer.StatusReturned && l.DecisionNote != "":
				returned++
			case l.Status == transfer.StatusPending && l.Kind == transfer.KindOut:
				out++
			case l.Status == transfer.StatusPending && l.Overdue:
				overdue++
			case l.Status == transfer.StatusPending:
				pending++
			}
		}
		if pending != 2 || overdue != 1 || out != 1 || returned != 1 {
			t.Errorf("letters: %d pending, %d overdue, %d to outside, %d returned", pending, overdue, out, returned)
		}

		// 流动/失联: the proposals the rules make.
		ps, err := mob.Proposals(ctx, street)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, p := range ps {
			kinds[p.Kind]++
		}
		if kinds["transfer"] != 1 || kinds["suspend"] != 1 {
			t.Errorf("proposals: %v", kinds)
		}
	})
}
