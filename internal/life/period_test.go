package life

import (
	"testing"

	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/rules"
)

func TestParsePeriod(t *testing.T) {
	for in, want := range map[string]struct{ code, label, from, to string }{
		"2026":    {"2026", "2026年", "2026-01-01", "2026-12-31"},
		"2026Q3":  {"2026Q3", "2026年第三季度", "2026-07-01", "2026-09-30"},
		"2026q4":  {"2026Q4", "2026年第四季度", "2026-10-01", "2026-12-31"},
		"2026-10": {"2026-10", "2026年10月", "2026-10-01", "2026-10-31"},
		"2026-2":  {"2026-02", "2026年2月", "2026-02-01", "2026-02-28"},
		"2028-02": {"2028-02", "2028年2月", "2028-02-01", "2028-02-29"},
		"2026H1":  {"2026H1", "2026年上半年", "2026-01-01", "2026-06-30"},
		"2026H2":  {"2026H2", "2026年下半年", "2026-07-01", "2026-12-31"},
	} {
		p, err := ParsePeriod(in)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if p.Code() != want.code || p.Label() != want.label || p.From().String() != want.from || p.To().String() != want.to {
			t.Errorf("%s = %s %s %s–%s, want %+v", in, p.Code(), p.Label(), p.From(), p.To(), want)
		}
	}
	for _, bad := range []string{"", "26", "2026Q5", "2026-13", "2026-00", "2026H3", "1900", "2026-1-1", "Q3"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestSplit(t *testing.T) {
	year, _ := ParsePeriod("2026")
	if got := year.Split(Monthly); len(got) != 12 || got[11].Code() != "2026-12" {
		t.Errorf("year by month: %v", got)
	}
	if got := year.Split(Quarterly); len(got) != 4 || got[3].Code() != "2026Q4" {
		t.Errorf("year by quarter: %v", got)
	}
	month, _ := ParsePeriod("2026-08")
	if got := month.Split(Quarterly); len(got) != 1 || got[0].Code() != "2026Q3" {
		t.Errorf("month in its quarter: %v", got)
	}
	if got := month.Split(Yearly); len(got) != 1 || got[0].Code() != "2026" {
		t.Errorf("month in its year: %v", got)
	}
	q, _ := ParsePeriod("2026Q3")
	if got := q.Split(HalfYear); len(got) != 1 || got[0].Code() != "2026H2" {
		t.Errorf("quarter in its half: %v", got)
	}
	if got := q.Split(Never); got != nil {
		t.Errorf("never: %v", got)
	}
}

func TestQuorum(t *testing.T) {
	for _, c := range []struct {
		q                 Quorum
		entitled, present int
		ok                bool
	}{
		{QuorumVoting, 9, 5, true}, {QuorumVoting, 9, 4, false}, {QuorumVoting, 10, 5, false}, {QuorumVoting, 10, 6, true},
		{QuorumVoting, 0, 0, false}, {QuorumCommittee, 5, 3, true}, {QuorumCommittee, 5, 2, false}, {QuorumCommittee, 4, 2, false},
		{QuorumElection, 10, 8, false}, {QuorumElection, 10, 9, true}, {QuorumElection, 7, 6, true}, {QuorumElection, 7, 5, false},
		{QuorumNone, 0, 0, true},
	} {
		if got := QuorumMet(c.q, c.entitled, c.present); got != c.ok {
			t.Errorf("%s %d/%d = %v, want %v", c.q, c.present, c.entitled, got, c.ok)
		}
	}
	if !Passes(5, 9) || Passes(5, 10) || Passes(0, 0) {
		t.Error("passing is more than half of the entitled")
	}
}

func TestMeetingTypesAreRuleData(t *testing.T) {
	for _, mt := range MeetingTypes() {
		r := rules.Get(mt.RuleID)
		if mt.Source == "" || mt.Source != r.Source || len(mt.Holders) == 0 || !mt.Frequency.Valid() {
			t.Errorf("%s: incomplete rule data %+v", mt.Code, mt)
		}
		if (mt.Quorum == QuorumNone) != (mt.QuorumID == "") {
			t.Errorf("%s: quorum without its rule", mt.Code)
		}
		for _, c := range mt.Counts {
			if _, ok := typeByCode(c); !ok {
				t.Errorf("%s counts as unknown %s", mt.Code, c)
			}
		}
	}
	for _, r := range rules.All() {
		if r.Source == "" {
			t.Errorf("rule %s has no source", r.ID)
		}
	}
	lecture, _ := typeByCode(TypePartyLecture)
	if lecture.Frequency != Quarterly || rules.Get("life.party_lecture").Source == "" {
		t.Error("党课 defaults to quarterly with its source")
	}
}

func TestEvaluateSaysWhenItIsDue(t *testing.T) {
	theme, _ := typeByCode(TypeThemeDay)
	u := &unit{ID: 1, Name: "一支部", EstablishedOn: civil.New(2020, 1, 1)}
	q3, _ := ParsePeriod("2026Q3")
	aug20 := civil.New(2026, 8, 20)
	r := evaluate(theme, Monthly, u, q3, []held{{orgID: 1, types: []string{TypeThemeDay}, on: civil.New(2026, 7, 15)}}, aug20)
	if r.Status != Pending || r.Periods[0].Status != Held || r.Periods[1].Status != Pending || r.Periods[2].Status != Pending {
		t.Fatalf("theme days in Q3 by 08-20: %+v", r)
	}
	if r.Periods[1].Text != "本期尚未召开，截止 2026-08-31" {
		t.Errorf("August: %q", r.Periods[1].Text)
	}
	r = evaluate(theme, Monthly, u, q3, nil, civil.New(2026, 10, 2))
	if r.Status != Missed || r.Text != "2026年7月、2026年8月、2026年9月未召开" {
		t.Errorf("Q3 after it ended: %s %q", r.Status, r.Text)
	}
	young := &unit{ID: 1, EstablishedOn: civil.New(2026, 8, 3)}
	r = evaluate(theme, Monthly, young, q3, nil, aug20)
	if r.Periods[0].Status != NA || r.Periods[1].Status != NA || r.Status != Pending {
		t.Errorf("a branch established in August: %+v", r.Periods)
	}
}
