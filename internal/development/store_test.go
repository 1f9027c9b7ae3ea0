package development

import (
	"context"
	"encoding/json"
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
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/pii"
	"github.com/dangjian/dangjian/internal/rules"
)

type fixture struct {
	d                        *db.DB
	s                        *Store
	ctx                      context.Context
	county, organ, community *org.Org
	general                  *org.Org
	branch, villageBranch    *org.Org
	underGeneral             *org.Org
	full                     []*member.Detail // three 正式党员 of branch
	probationary, watched    *member.Detail
	key                      *pii.Key
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := access.System(context.Background())
	os := org.NewStore(d)
	mk := func(code, name string, typ org.Type, unit org.UnitType, parent *org.Org) *org.Org {
		in := org.CreateInput{Code: code, Name: name, Type: typ, UnitType: unit}
		if parent != nil {
			in.ParentID = parent.ID
		}
		o, err := os.Create(ctx, in)
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return o
	}
	key, _, _ := pii.Generate()
	f := &fixture{d: d, ctx: ctx, key: key}
	f.county = mk("C", "中共某县委员会", org.TypeCommittee, org.UnitLocal, nil)
	f.organ = mk("C1", "中共某县直机关委员会", org.TypeCommittee, org.UnitOrgan, f.county)
	f.branch = mk("C11", "中共某县财政局支部委员会", org.TypeBranch, org.UnitOrgan, f.organ)
	f.general = mk("C12", "中共某县教育局总支部委员会", org.TypeGeneralBranch, org.UnitOrgan, f.organ)
	f.underGeneral = mk("C121", "中共某县教育局第一支部委员会", org.TypeBranch, org.UnitOrgan, f.general)
	f.community = mk("C2", "中共某社区委员会", org.TypeCommittee, org.UnitCommunity, f.county)
	f.villageBranch = mk("C21", "中共某社区第一支部委员会", org.TypeBranch, org.UnitCommunity, f.community)
	ms := member.NewStore(d, key)
	add := func(name, id string, full civil.Date) *member.Detail {
		m, err := ms.Create(ctx, member.Input{OrgID: f.branch.ID, Name: name, IDNumber: id, Ethnicity: "01", Education: "21",
			JoinedOn: civil.New(2010, 7, 1), FullOn: full})
		if err != nil {
			t.Fatalf("member %s: %v", name, err)
		}
		return m
	}
	f.full = []*member.Detail{
		add("张建国", idNumber("430702", "19850312", "123"), civil.New(2011, 7, 1)),
		add("李红梅", idNumber("430702", "19800101", "124"), civil.New(2011, 7, 1)),
		add("王志强", idNumber("430702", "19790505", "135"), civil.New(2011, 7, 1)),
	}
	pm, err := ms.Create(ctx, member.Input{OrgID: f.branch.ID, Name: "赵预备", IDNumber: idNumber("430702", "19990909", "146"), Ethnicity: "01", Education: "21",
		JoinedOn: civil.New(2025, 7, 1)})
	if err != nil {
		t.Fatal(err)
	}
	f.probationary = pm
	f.watched = add("钱察看", idNumber("430702", "19700101", "157"), civil.New(2011, 7, 1))
	if _, err := ms.AddHistory(ctx, f.watched.ID, member.HistoryInput{Kind: "punishment", StartedOn: civil.New(2025, 6, 1), Title: "留党察看一年"}); err != nil {
		t.Fatal(err)
	}
	f.s = NewStore(d, key)
	f.s.Today = func() civil.Date { return civil.New(2027, 12, 31) }
	return f
}

// idNumber builds a valid 18-digit 公民身份号码.
func idNumber(area, birth, seq string) string {
	base := area + birth + seq
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(base[i]-'0') * w
	}
	return base + string("10X98765432"[sum%11])
}

func day(s string) civil.Date {
	d, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

func (f *fixture) id(m *member.Detail) *int64 { return &m.ID }

// script is a case that passes every rule, from application to archive.
func (f *fixture) script() []StepInput {
	vote := func() *Vote { return &Vote{Entitled: 3, PresentEntitled: 3, Yes: 3} }
	return []StepInput{
		{Step: StepTalk, On: day("2025-01-20"), StepData: StepData{People: []Person{{Role: "talker", Name: "王芳"}}}},
		{Step: StepActivist, On: day("2025-03-03")},
		{Step: StepActivistFiling, On: day("2025-03-10")},
		{Step: StepContacts, On: day("2025-03-10"), StepData: StepData{People: []Person{{MemberID: f.id(f.full[0])}, {MemberID: f.id(f.full[1])}}}},
		{Step: StepReview, On: day("2025-09-01")},
		{Step: StepReview, On: day("2026-02-27")},
		{Step: StepCandidate, On: day("2026-03-05")},
		{Step: StepCandidateFile, On: day("2026-03-20"), StepData: StepData{PublicityFrom: day("2026-03-09"), PublicityTo: day("2026-03-13")}},
		{Step: StepIntroducers, On: day("2026-03-23"), StepData: StepData{People: []Person{{MemberID: f.id(f.full[0])}, {MemberID: f.id(f.full[1])}}}},
		{Step: StepPolitical, On: day("2026-04-10")},
		{Step: StepTraining, On: day("2026-04-20"), StepData: StepData{TrainingDays: 3}},
		{Step: StepCommitteeCheck, On: day("2026-05-06")},
		{Step: StepPreReview, On: day("2026-05-11")},
		{Step: StepForm, On: day("2026-05-15")},
		{Step: StepCongress, On: day("2026-05-25"), StepData: StepData{Vote: vote()}},
		{Step: StepUpperTalk, On: day("2026-06-01")},
		{Step: StepApproval, On: day("2026-06-15")},
		{Step: StepUpperFiling, On: day("2026-06-20")},
		{Step: StepAssign, On: day("2026-06-22")},
		{Step: StepOath, On: day("2026-07-01")},
		{Step: StepProbationEdu, On: day("2026-12-01")},
		{Step: StepFullApply, On: day("2027-05-10")},
		{Step: StepFullCongress, On: day("2027-05-25"), StepData: StepData{Outcome: OutcomeFull, Vote: vote(),
			PublicityFrom: day("2027-05-11"), PublicityTo: day("2027-05-17")}},
		{Step: StepFullApproval, On: day("2027-06-10")},
		{Step: StepArchive, On: day("2027-06-15")},
	}
}

var applicants = 0

func (f *fixture) newCase(t *testing.T) *Case {
	t.Helper()
	applicants++
	a, err := f.s.Create(f.ctx, CaseInput{OrgID: f.branch.ID, Name: fmt.Sprintf("申请人%d", applicants), Gender: "2",
		IDNumber:  idNumber(fmt.Sprintf("43%04d", 100+applicants/40), "20000229", fmt.Sprintf("%02d2", applicants%40)),
		BirthDate: day("2000-02-29"), AppliedOn: day("2025-01-06"), Documents: []string{"入党申请书（档号 2025-001）"},
		ProfileFields: ProfileFields{Ethnicity: "01", Education: "21", Phone: "13812345678"}})
	if err != nil {
		t.Fatal(err)
	}
	return a.Case
}

// upTo opens a case and records the script's steps before the first record of code.
func (f *fixture) upTo(t *testing.T, code string) *Case {
	t.Helper()
	c := f.newCase(t)
	for _, in := range f.script() {
		if in.Step == code {
			return c
		}
		c = f.must(t, c, in)
	}
	return c
}

func (f *fixture) record(c *Case, in StepInput) (*StepAnswer, error) {
	in.Version = c.Version
	return f.s.RecordStep(f.ctx, c.ID, in)
}

func (f *fixture) must(t *testing.T, c *Case, in StepInput) *Case {
	t.Helper()
	a, err := f.record(c, in)
	if err != nil {
		t.Fatalf("step %s on %s: %v %+v", in.Step, in.On, err, extra(err))
	}
	return a.Case
}

func (f *fixture) scriptStep(code string) StepInput {
	for _, in := range f.script() {
		if in.Step == code {
			return in
		}
	}
	panic(code)
}

func extra(err error) map[string]any {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Extra
	}
	return nil
}

// refused asserts a 422 naming rule.
func refused(t *testing.T, err error, rule string) {
	t.Helper()
	var e *api.Error
	if !errors.As(err, &e) || e.Status != 422 || e.Extra["rule"] != rule {
		t.Fatalf("want 422 for %s, got %v %+v", rule, err, extra(err))
	}
	if e.Extra["article"] == "" || e.Extra["source"] == "" || e.Extra["message"] == "" {
		t.Errorf("422 without article/source/message: %+v", e.Extra)
	}
}

func warned(t *testing.T, a *StepAnswer, rule string) {
	t.Helper()
	for _, w := range a.Warnings {
		if w.Rule == rule && w.Source != "" && w.Article != "" {
			return
		}
	}
	t.Errorf("want warning %s, got %+v", rule, a.Warnings)
}

func TestFullCaseFromApplicationToFullMembership(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.newCase(t)
		if c.Phase != PhaseApplicant || c.Next == nil || c.Next.Step != StepTalk || c.Next.DueOn != day("2025-02-06") {
			t.Fatalf("new case: %+v next %+v", c, c.Next)
		}
		phases := map[string]Phase{StepActivist: PhaseActivist, StepCandidate: PhaseCandidate, StepApproval: PhaseProbationary, StepFullApproval: PhaseFull}
		for _, in := range f.script() {
			a, err := f.record(c, in)
			if err != nil {
				t.Fatalf("step %s: %v %+v", in.Step, err, extra(err))
			}
			if len(a.Warnings) != 0 {
				t.Errorf("step %s: warnings %+v", in.Step, a.Warnings)
			}
			c = a.Case
			if p, ok := phases[in.Step]; ok && c.Phase != p {
				t.Errorf("after %s: phase %s, want %s", in.Step, c.Phase, p)
			}
			if in.Step == StepCandidate && c.Next.Step != StepCandidateFile {
				t.Errorf("after 确定发展对象 next is %+v", c.Next)
			}
			if in.Step == StepCongress && (c.Next.Step != StepUpperTalk) {
				t.Errorf("after 支部大会 next is %+v", c.Next)
			}
			if in.Step == StepUpperTalk && (c.Next.DueOn != day("2026-08-25") || c.Next.Limit != day("2026-11-25") || c.Next.ActorLevel != ActorUpper) {
				t.Errorf("审批 due: %+v", c.Next)
			}
		}
		if c.Status != "closed" || c.Phase != PhaseFull || c.JoinedOn != day("2026-05-25") || c.FullOn != day("2027-05-25") || c.Next != nil {
			t.Fatalf("final: %+v", c)
		}
		if len(c.Steps) != 26 || c.Steps[17].StepData.ApproverName != f.organ.Name {
			t.Errorf("steps: %d, approver %q", len(c.Steps), c.Steps[17].StepData.ApproverName)
		}
		if _, err := f.record(c, StepInput{Step: StepArchive, On: day("2027-06-16")}); err == nil {
			t.Error("a closed case took another step")
		}
	})
}

func TestOrderDatesAndConcurrentEdit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.newCase(t)
		_, err := f.record(c, StepInput{Step: StepActivist, On: day("2025-03-03")})
		refused(t, err, "dev.order")
		_, err = f.record(c, StepInput{Step: StepTalk, On: day("2028-01-01"), StepData: StepData{People: []Person{{Name: "王芳"}}}})
		refused(t, err, "dev.date.future")
		_, err = f.record(c, StepInput{Step: StepTalk, On: day("2025-01-01"), StepData: StepData{People: []Person{{Name: "王芳"}}}})
		refused(t, err, "dev.date.sequence")
		// Two people edit: the second, holding the old version, is told.
		in := f.scriptStep(StepTalk)
		in.Version = c.Version
		if _, err := f.s.RecordStep(f.ctx, c.ID, in); err != nil {
			t.Fatal(err)
		}
		other := f.scriptStep(StepActivist)
		other.Version = c.Version
		var e *api.Error
		if _, err := f.s.RecordStep(f.ctx, c.ID, other); !errors.As(err, &e) || e.Status != 409 {
			t.Fatalf("stale version: %v", err)
		}
		// Racing writers: exactly one wins.
		c, _ = f.s.Get(f.ctx, c.ID)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				in := f.scriptStep(StepActivist)
				in.Version = c.Version
				_, errs[i] = f.s.RecordStep(f.ctx, c.ID, in)
			}()
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("racing writers: %v / %v", errs[0], errs[1])
		}
		// A level set to warn lets the entry through with the warning.
		warn := map[string]rulesLevel{"dev.date.sequence": "warn"}
		if _, err := f.s.PutSettings(f.ctx, f.organ.ID, Settings{Levels: toLevels(warn)}); err != nil {
			t.Fatal(err)
		}
		c, _ = f.s.Get(f.ctx, c.ID)
		a, err := f.record(c, StepInput{Step: StepActivistFiling, On: day("2025-03-01")})
		if err != nil {
			t.Fatal(err)
		}
		warned(t, a, "dev.date.sequence")
	})
}

func TestAgeAtApplication(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := idNumber("110105", "20070107", "012") // 18 on 2025-01-07
		_, err := f.s.Create(f.ctx, CaseInput{OrgID: f.branch.ID, Name: "少年", IDNumber: id, AppliedOn: day("2025-01-06")})
		refused(t, err, "dev.age")
		a, err := f.s.Create(f.ctx, CaseInput{OrgID: f.branch.ID, Name: "少年", IDNumber: id, AppliedOn: day("2025-01-07")})
		if err != nil {
			t.Fatal(err)
		}
		if a.Case.IDNumber != pii.MaskID(id) || a.Case.BirthDate != day("2007-01-07") || a.Case.Gender != "2" {
			t.Errorf("case from the ID: %+v", a.Case)
		}
		var cipher string
		d.QueryRow(context.Background(), `SELECT id_cipher FROM dev_cases WHERE id = ?`, a.Case.ID).Scan(&cipher)
		if plain, err := f.key.Open(cipher); err != nil || plain != id || cipher == id {
			t.Errorf("ID not sealed: %q %v", cipher, err)
		}
		var e *api.Error
		if _, err := f.s.Create(f.ctx, CaseInput{OrgID: f.branch.ID, Name: "少年", IDNumber: id, AppliedOn: day("2025-02-07")}); !errors.As(err, &e) || e.Status != 409 {
			t.Errorf("second open case for one applicant: %v", err)
		}
		if _, err := f.s.Create(f.ctx, CaseInput{OrgID: f.branch.ID, Name: "张建国", IDNumber: idNumber("430702", "19850312", "123"), AppliedOn: day("2025-02-07")}); !errors.As(err, &e) || e.Status != 409 {
			t.Errorf("a registered member as applicant: %v", err)
		}
		if _, err := f.s.Create(f.ctx, CaseInput{OrgID: f.organ.ID, Name: "甲", Gender: "1", BirthDate: day("1990-01-01"), AppliedOn: day("2025-02-07")}); err == nil {
			t.Error("a case opened at a 党委")
		}
	})
}

func TestTalkWithinOneMonthWarns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.newCase(t)
		a, err := f.record(c, StepInput{Step: StepTalk, On: day("2025-02-07"), StepData: StepData{People: []Person{{Name: "王芳"}}}})
		if err != nil {
			t.Fatal(err)
		}
		warned(t, a, "dev.talk")
		c = f.newCase(t)
		if a := f.mustAnswer(t, c, StepInput{Step: StepTalk, On: day("2025-02-06"), StepData: StepData{People: []Person{{Name: "王芳"}}}}); len(a.Warnings) != 0 {
			t.Errorf("talk on the last day warned: %+v", a.Warnings)
		}
	})
}

func (f *fixture) mustAnswer(t *testing.T, c *Case, in StepInput) *StepAnswer {
	t.Helper()
	a, err := f.record(c, in)
	if err != nil {
		t.Fatalf("step %s: %v %+v", in.Step, err, extra(err))
	}
	return a
}

func TestActivistWaitIsLocal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		six := 6
		if _, err := f.s.PutSettings(f.ctx, f.organ.ID, Settings{ActivistMinMonths: &six, Levels: toLevels(map[string]rulesLevel{"dev.activist_wait": "block"})}); err != nil {
			t.Fatal(err)
		}
		c := f.upTo(t, StepActivist)
		_, err := f.record(c, StepInput{Step: StepActivist, On: day("2025-07-05")})
		refused(t, err, "dev.activist_wait")
		f.must(t, c, StepInput{Step: StepActivist, On: day("2025-07-06")})
		r, err := f.s.Rules(f.ctx, f.branch.ID)
		if err != nil || r.Effective.ActivistMinMonths != 6 || r.Effective.From["activist_min_months"] != f.organ.Name {
			t.Errorf("inherited settings: %+v %v", r.Effective, err)
		}
	})
}

func TestContactsAndIntroducers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.upTo(t, StepContacts)
		three := StepInput{Step: StepContacts, On: day("2025-03-10"), StepData: StepData{People: []Person{{MemberID: f.id(f.full[0])}, {MemberID: f.id(f.full[1])}, {MemberID: f.id(f.full[2])}}}}
		_, err := f.record(c, three)
		refused(t, err, "dev.contacts")
		_, err = f.record(c, StepInput{Step: StepContacts, On: day("2025-03-10"), StepData: StepData{People: []Person{{MemberID: f.id(f.probationary)}}}})
		refused(t, err, "dev.contacts")
		a := f.mustAnswer(t, c, StepInput{Step: StepContacts, On: day("2025-03-10"), StepData: StepData{People: []Person{{Name: "外单位党员"}}}})
		warned(t, a, "dev.contacts") // a name alone cannot be checked

		c = f.upTo(t, StepIntroducers)
		in := f.scriptStep(StepIntroducers)
		in.People = []Person{{MemberID: f.id(f.full[0])}, {MemberID: f.id(f.probationary)}}
		_, err = f.record(c, in)
		refused(t, err, "dev.introducers")
		if v := extra(err)["message"].(string); v == "" {
			t.Error("no message")
		}
		in.People = []Person{{MemberID: f.id(f.full[0])}, {MemberID: f.id(f.watched)}}
		_, err = f.record(c, in)
		refused(t, err, "dev.introducers")
		in.People = []Person{{MemberID: f.id(f.full[0])}}
		_, err = f.record(c, in)
		refused(t, err, "dev.introducers")
		in.People = []Person{{MemberID: f.id(f.full[0])}, {MemberID: f.id(f.full[2])}}
		f.must(t, c, in)
	})
}

func TestCandidateAfterOneYearAndHalfYearReviews(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.upTo(t, StepCandidate)
		if c.Next.Step != StepCandidate || c.Next.NotBefore != day("2026-03-03") {
			t.Errorf("next: %+v", c.Next)
		}
		_, err := f.record(c, StepInput{Step: StepCandidate, On: day("2026-03-02")})
		refused(t, err, "dev.candidate_one_year")
		f.must(t, c, StepInput{Step: StepCandidate, On: day("2026-03-03")})

		// Only one 考察 in a year: the gap warns (第十一条).
		c = f.upTo(t, StepReview)
		c = f.must(t, c, StepInput{Step: StepReview, On: day("2025-09-01")})
		if c.Next.Step != StepReview || c.Next.DueOn != day("2026-03-01") {
			t.Errorf("next 考察: %+v", c.Next)
		}
		a := f.mustAnswer(t, c, StepInput{Step: StepCandidate, On: day("2026-03-05")})
		warned(t, a, "dev.review_half_year")
	})
}

func TestTrainingThreeDaysOr24Hours(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.upTo(t, StepTraining)
		_, err := f.record(c, StepInput{Step: StepTraining, On: day("2026-04-20"), StepData: StepData{TrainingDays: 2, TrainingHours: 16}})
		refused(t, err, "dev.training")
		f.must(t, c, StepInput{Step: StepTraining, On: day("2026-04-20"), StepData: StepData{TrainingHours: 24}})
	})
}

func TestPublicityCountsWorkingDaysOverHolidays(t *testing.T) {
	cal := &Calendar{days: map[civil.Date]CalendarDay{}}
	for _, x := range builtinCalendar() {
		cal.days[x.Day] = x
	}
	for _, tc := range []struct {
		from, to string
		want     int
	}{
		{"2026-03-09", "2026-03-13", 5},
		{"2026-09-30", "2026-10-09", 3}, // 国庆 10/1–10/7
		{"2026-09-30", "2026-10-10", 4}, // 10/10 (Saturday) 调休上班
		{"2026-09-30", "2026-10-12", 5}, //
		{"2026-02-13", "2026-02-24", 3}, // 2/14 Saturday worked, 春节 2/15–23
		{"2025-09-26", "2025-10-10", 6}, // 9/26, 9/28 (Sunday worked), 9/29, 9/30; 10/1–8 off; 10/9, 10/10
		{"2025-12-31", "2025-12-31", 1},
	} {
		got := cal.WorkingDays(day(tc.from), day(tc.to))
		if got != tc.want {
			t.Errorf("%s–%s: %d working days, want %d", tc.from, tc.to, got, tc.want)
		}
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.upTo(t, StepCandidateFile)
		in := StepInput{Step: StepCandidateFile, On: day("2026-10-12"), StepData: StepData{PublicityFrom: day("2026-09-30"), PublicityTo: day("2026-10-10")}}
		a := f.mustAnswer(t, f.upTo(t, StepCandidateFile), in) // warn by default
		warned(t, a, "dev.publicity")
		if _, err := f.s.PutSettings(f.ctx, f.organ.ID, Settings{Levels: toLevels(map[string]rulesLevel{"dev.publicity": "block"})}); err != nil {
			t.Fatal(err)
		}
		c, _ = f.s.Get(f.ctx, c.ID)
		_, err := f.record(c, in)
		refused(t, err, "dev.publicity")
		// An edited calendar: 10/9 declared worked is not enough either; a 5-day publicity passes.
		in.PublicityTo = day("2026-10-12")
		c = f.must(t, c, in)
		if c.Steps[len(c.Steps)-1].PublicityDays != 5 {
			t.Errorf("publicity days: %d", c.Steps[len(c.Steps)-1].PublicityDays)
		}
		if _, err := f.s.SetCalendarDay(f.ctx, day("2027-02-08"), CalendarInput{Kind: DayHoliday, Name: "春节", Source: "测试"}); err != nil {
			t.Fatal(err)
		}
		cal, _ := loadCalendar(context.Background(), d)
		if cal.IsWorkday(day("2027-02-08")) || !cal.Known(2027) {
			t.Error("edited day not in force")
		}
	})
}

func TestBranchCongressQuorumPassAndCounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.upTo(t, StepCongress)
		try := func(v Vote) error {
			_, err := f.record(c, StepInput{Step: StepCongress, On: day("2026-05-25"), StepData: StepData{Vote: &v}})
			return err
		}
		// 4 正式党员 in the registry (三名 + 钱察看); the 预备党员 does not count.
		refused(t, try(Vote{Entitled: 5, PresentEntitled: 5, Yes: 5}), "dev.vote.counts")
		refused(t, try(Vote{Entitled: 4, PresentEntitled: 3, Yes: 3, No: 1}), "dev.vote.counts")
		refused(t, try(Vote{Entitled: 4, PresentEntitled: 2, Yes: 2}), "dev.congress.quorum") // 2 of 4 is not more than half
		refused(t, try(Vote{Entitled: 4, PresentEntitled: 4, Yes: 2, No: 2}), "dev.congress.pass")
		// Denominator is 应到, not 实到: 2 of 3 present is a majority of those present but not of 4.
		refused(t, try(Vote{Entitled: 4, PresentEntitled: 3, Yes: 2, No: 1}), "dev.congress.pass")
		if err := try(Vote{Entitled: 4, PresentEntitled: 3, Yes: 3}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestApprovalTimeAndApprover(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.upTo(t, StepApproval)
		_, err := f.record(c, StepInput{Step: StepApproval, On: day("2026-09-01")})
		refused(t, err, "dev.approval.time") // after three months without a reason
		_, err = f.record(c, StepInput{Step: StepApproval, On: day("2026-11-26"), StepData: StepData{DelayReason: "党组织整顿"}})
		refused(t, err, "dev.approval.time") // after six months
		_, err = f.record(c, StepInput{Step: StepApproval, On: day("2026-06-15"), StepData: StepData{ApproverOrgID: f.general.ID}})
		if e := extra(err); e != nil {
			t.Fatalf("a 党总支 that is not an ancestor: %+v", e)
		}
		var ae *api.Error
		if !errors.As(err, &ae) || ae.Status != 422 || !ae.Fields.Has("approver_org_id") {
			t.Fatalf("non-ancestor approver: %v", err)
		}
		f.must(t, c, StepInput{Step: StepApproval, On: day("2026-09-01"), StepData: StepData{DelayReason: "党组织整顿"}})

		// A 支部 under a 党总支 is approved by the 党委 above; the 总支 itself cannot approve.
		_, err = f.s.Create(f.ctx, CaseInput{OrgID: f.underGeneral.ID, Name: "乙", Gender: "1", BirthDate: day("1990-01-01"), AppliedOn: day("2025-01-06")})
		if err != nil {
			t.Fatal(err)
		}
		if why := canApprove(&orgRow{Name: "总支", Type: org.TypeGeneralBranch, Status: org.StatusActive}); why == "" {
			t.Error("a 党总支 may approve")
		}
		if why := canApprove(&orgRow{Name: "社区党委", Type: org.TypeCommittee, UnitType: org.UnitCommunity, Status: org.StatusActive}); why == "" {
			t.Error("a 社区党委 may approve")
		}
		if why := canApprove(&orgRow{Name: "机关党委", Type: org.TypeCommittee, UnitType: org.UnitOrgan, Status: org.StatusActive}); why != "" {
			t.Error(why)
		}
		if why := canApprove(&orgRow{Name: "街道党工委", Type: org.TypeWorkingCommittee, UnitType: org.UnitStreet, Status: org.StatusActive}); why != "" {
			t.Error(why)
		}
		// Naming the 社区党委 for a 社区支部 is refused; left empty the 县委 above is taken.
		k := &checker{rs: ruleSets["2014"], eff: defaults()}
		var fields api.Fields
		vb := &orgRow{ID: f.villageBranch.ID, Name: f.villageBranch.Name, Path: f.villageBranch.Path}
		data := &StepData{ApproverOrgID: f.community.ID}
		err = d.InTx(f.ctx, func(tx *db.Tx) error { return f.s.checkApprover(f.ctx, tx, k, &fields, vb, data, 0) })
		if err != nil || len(k.findings) != 1 || k.findings[0].Rule != "dev.approver" {
			t.Errorf("社区党委 approving: %+v %v", k.findings, err)
		}
		k.findings, data = nil, &StepData{}
		d.InTx(f.ctx, func(tx *db.Tx) error { return f.s.checkApprover(f.ctx, tx, k, &fields, vb, data, 0) })
		if len(k.findings) != 0 || data.ApproverOrgID != f.county.ID {
			t.Errorf("default approver: %+v %+v", data, k.findings)
		}
	})
}

func TestProbationFromCongressAndOneExtension(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.upTo(t, StepFullCongress)
		if c.ProbationEnds != day("2027-05-25") { // from the 支部大会 (2026-05-25), not the 宣誓 (2026-07-01)
			t.Fatalf("probation ends %s", c.ProbationEnds)
		}
		vote := &Vote{Entitled: 3, PresentEntitled: 3, Yes: 3}
		pub := StepData{Outcome: OutcomeFull, Vote: vote, PublicityFrom: day("2027-05-11"), PublicityTo: day("2027-05-17")}
		_, err := f.record(c, StepInput{Step: StepFullCongress, On: day("2027-05-24"), StepData: pub})
		refused(t, err, "dev.probation")
		ext := StepData{Outcome: OutcomeExtend, ExtendMonths: 5, Vote: vote}
		_, err = f.record(c, StepInput{Step: StepFullCongress, On: day("2027-05-25"), StepData: ext})
		refused(t, err, "dev.extension")
		ext.ExtendMonths = 13
		_, err = f.record(c, StepInput{Step: StepFullCongress, On: day("2027-05-25"), StepData: ext})
		refused(t, err, "dev.extension")
		ext.ExtendMonths = 6
		c = f.must(t, c, StepInput{Step: StepFullCongress, On: day("2027-05-25"), StepData: ext})
		c = f.must(t, c, StepInput{Step: StepFullApproval, On: day("2027-06-10")})
		if !c.Extended || c.ProbationEnds != day("2027-11-25") || c.Phase != PhaseProbationary || c.Next.Step != StepFullApply {
			t.Fatalf("after extension: %+v next %+v", c, c.Next)
		}
		c = f.must(t, c, StepInput{Step: StepFullApply, On: day("2027-11-01")})
		_, err = f.record(c, StepInput{Step: StepFullCongress, On: day("2027-11-25"), StepData: StepData{Outcome: OutcomeExtend, ExtendMonths: 6, Vote: vote}})
		refused(t, err, "dev.extension") // only once
		_, err = f.record(c, StepInput{Step: StepFullCongress, On: day("2027-11-24"), StepData: StepData{Outcome: OutcomeCancel, Vote: vote}})
		refused(t, err, "dev.probation")
		pub.PublicityFrom, pub.PublicityTo = day("2027-11-15"), day("2027-11-19")
		c = f.must(t, c, StepInput{Step: StepFullCongress, On: day("2027-11-25"), StepData: pub})
		c = f.must(t, c, StepInput{Step: StepFullApproval, On: day("2027-12-01")})
		if c.Phase != PhaseFull || c.FullOn != day("2027-11-25") {
			t.Errorf("after 转正: %+v", c)
		}
	})
}

func TestPreReviewDepartureWarns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.upTo(t, StepPreReview)
		a := f.mustAnswer(t, c, StepInput{Step: StepPreReview, On: day("2026-05-11"), StepData: StepData{LeavingSoon: true}})
		warned(t, a, "dev.pre_review.departure")
	})
}

func TestTodoAndScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.upTo(t, StepApproval)
		f.newCase(t)
		upper, err := f.s.Todo(f.ctx, 0, ActorUpper)
		if err != nil || len(upper) != 1 || upper[0].CaseID != c.ID || upper[0].Step != StepApproval || upper[0].Limit != day("2026-11-25") || !upper[0].Overdue {
			t.Fatalf("upper todo: %+v %v", upper, err)
		}
		// The item names both the applicant and the step, each under its own key.
		if raw, _ := json.Marshal(upper[0]); !strings.Contains(string(raw), `"name":"`+c.Name+`"`) || !strings.Contains(string(raw), `"step_name":"`+upper[0].Next.Name+`"`) || upper[0].Next.Name == "" {
			t.Errorf("todo item JSON: %s", raw)
		}
		all, _ := f.s.Todo(f.ctx, 0, "")
		if len(all) != 2 || all[0].DueOn.After(all[1].DueOn) {
			t.Errorf("todo: %+v", all)
		}
		// A user of the 社区党委 sees none of the 机关 cases.
		other := access.With(context.Background(), &access.Principal{UserID: 99, Username: "x",
			Grants: []access.Grant{{Role: "org-admin", OrgID: f.community.ID, OrgPath: f.community.Path}}})
		if l, _ := f.s.Todo(other, 0, ""); len(l) != 0 {
			t.Errorf("out of scope todo: %+v", l)
		}
		if _, err := f.s.Get(other, c.ID); err == nil {
			t.Error("out of scope case read")
		}
		if _, err := f.s.RecordStep(other, c.ID, StepInput{Step: StepApproval, On: day("2026-06-15"), Version: c.Version}); err == nil {
			t.Error("out of scope step recorded")
		}
		if l, err := f.s.List(f.ctx, ListFilter{Phase: PhaseCandidate}, api.Paging{Page: 1, Size: 10}); err != nil || l.Total != 1 || l.Items[0].ID != c.ID {
			t.Errorf("list by phase: %+v %v", l, err)
		}
		if l, _ := f.s.List(other, ListFilter{}, api.Paging{Page: 1, Size: 10}); l.Total != 0 {
			t.Errorf("out of scope list: %d", l.Total)
		}
	})
}

type rulesLevel string

func toLevels(m map[string]rulesLevel) map[string]rules.Level {
	out := map[string]rules.Level{}
	for k, v := range m {
		out[k] = rules.Level(v)
	}
	return out
}

// An administrator who wrongly edits a day of the built-in arrangement can see the edit and
// take it back: 2026-10-05 (国庆节, a Monday) made ordinary is a working day and listed as
// replacing the notice; reverting it makes it a holiday again. A day added for a year
// without a notice goes away entirely, and a day never edited cannot be "reverted".
func TestCalendarEditShownAndReverted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		find := func(days []CalendarDay, on string) *CalendarDay {
			for i := range days {
				if days[i].Day == day(on) {
					return &days[i]
				}
			}
			return nil
		}
		workday := func(on string) bool {
			cal, err := loadCalendar(context.Background(), d)
			if err != nil {
				t.Fatal(err)
			}
			return cal.IsWorkday(day(on))
		}
		if workday("2026-10-05") {
			t.Fatal("2026-10-05 should be 国庆节")
		}
		days, err := f.s.SetCalendarDay(f.ctx, day("2026-10-05"), CalendarInput{Kind: "normal"})
		if err != nil {
			t.Fatal(err)
		}
		x := find(days, "2026-10-05")
		if x == nil || x.Kind != "normal" || !x.Edited || x.Replaces != "放假：国庆节" {
			t.Fatalf("edited day as listed: %+v", x)
		}
		if !workday("2026-10-05") {
			t.Error("a day made ordinary should be worked (a Monday)")
		}
		days, err = f.s.RevertCalendarDay(f.ctx, day("2026-10-05"))
		if err != nil {
			t.Fatal(err)
		}
		if x := find(days, "2026-10-05"); x == nil || x.Kind != DayHoliday || x.Edited || x.Name != "国庆节" || x.Replaces != "" {
			t.Errorf("reverted day: %+v", x)
		}
		if workday("2026-10-05") {
			t.Error("reverted day should be 国庆节 again")
		}

		// A changed name of a built-in day says what it replaced.
		days, err = f.s.SetCalendarDay(f.ctx, day("2026-10-06"), CalendarInput{Kind: DayHoliday, Name: "国庆节（更正）", Source: "更正"})
		if err != nil {
			t.Fatal(err)
		}
		if x := find(days, "2026-10-06"); x == nil || x.Replaces != "放假：国庆节" || x.Name != "国庆节（更正）" {
			t.Errorf("corrected day: %+v", x)
		}

		// A year with no notice: an added day, then reverted, leaves no calendar for 2030.
		if _, err := f.s.SetCalendarDay(f.ctx, day("2030-01-01"), CalendarInput{Kind: DayHoliday, Name: "元旦", Source: "测试通知"}); err != nil {
			t.Fatal(err)
		}
		days, err = f.s.RevertCalendarDay(f.ctx, day("2030-01-01"))
		if err != nil {
			t.Fatal(err)
		}
		if len(days) != 0 {
			t.Errorf("2030 after revert: %+v", days)
		}
		if !workday("2030-01-01") { // a Tuesday, no notice: Monday–Friday
			t.Error("2030-01-01 should follow the week")
		}
		var ae *api.Error
		if _, err := f.s.RevertCalendarDay(f.ctx, day("2026-10-07")); !errors.As(err, &ae) || ae.Status != 404 {
			t.Errorf("revert of a day never edited: %v", err)
		}
		var n int
		if err := d.QueryRow(f.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'development.calendar'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 5 {
			t.Errorf("audit rows: %d, want 5 (3 edits, 2 reverts)", n)
		}
	})
}
