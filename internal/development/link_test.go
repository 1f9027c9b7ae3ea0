package development

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/db/dbtest"
	"github.com/dangjian/dangjian/internal/member"
)

// steps records the script's steps of c from code from (included) up to code to (excluded;
// "" runs to the end), replacing the scripted input of a step where over gives one.
func (f *fixture) steps(t *testing.T, c *Case, from, to string, over map[string]StepInput) *Case {
	t.Helper()
	on := false
	for _, in := range f.script() {
		if in.Step == from {
			on = true
		}
		if in.Step == to && to != "" {
			break
		}
		if !on {
			continue
		}
		if o, ok := over[in.Step]; ok {
			in = o
		}
		c = f.must(t, c, in)
	}
	return c
}

type ledgerRow struct {
	kind, from, to, ref string
	on                  civil.Date
}

func (f *fixture) ledger(t *testing.T, memberID int64) []ledgerRow {
	t.Helper()
	rows, err := f.d.Query(f.ctx, `SELECT kind, from_path, to_path, ref, on_date FROM member_events WHERE member_id = ? ORDER BY id`, memberID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []ledgerRow
	for rows.Next() {
		var r ledgerRow
		if err := rows.Scan(&r.kind, &r.from, &r.to, &r.ref, &r.on); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func (f *fixture) counts(t *testing.T, orgID int64) (full, probationary int) {
	t.Helper()
	if err := f.d.QueryRow(f.ctx, `SELECT full_members, probationary_members FROM orgs WHERE id = ?`, orgID).Scan(&full, &probationary); err != nil {
		t.Fatal(err)
	}
	return full, probationary
}

func TestApprovalCreatesTheMemberAndFullMembershipMovesIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ms := member.NewStore(d, f.key)
		ms.Today = f.s.Today
		c := f.upTo(t, StepApproval)
		if c.MemberID != nil {
			t.Fatal("member record before the 审批")
		}
		full0, prob0 := f.counts(t, f.organ.ID)
		c = f.steps(t, c, StepApproval, StepUpperFiling, nil)
		if c.MemberID == nil {
			t.Fatal("审批 did not create the member record")
		}
		m, err := ms.Get(f.ctx, *c.MemberID, true)
		if err != nil {
			t.Fatal(err)
		}
		// 加入党组织日期 is the 支部大会 date, not the 审批 date.
		if m.JoinedOn != day("2026-05-25") || !m.FullOn.IsZero() || m.Category != member.CategoryProbationary || m.OrgID != f.branch.ID {
			t.Errorf("member after 审批: joined %s full %s category %s org %d", m.JoinedOn, m.FullOn, m.Category, m.OrgID)
		}
		if m.Ethnicity != "01" || m.Education != "21" || m.Phone != "13812345678" || m.Name != c.Name || m.Introducers != "张建国、李红梅" {
			t.Errorf("member fields from the case: %+v", m.Member)
		}
		led := f.ledger(t, m.ID)
		if len(led) != 1 || led[0].kind != string(member.EventDevelop) || led[0].on != day("2026-05-25") || led[0].to != f.branch.Path ||
			led[0].from != "" || led[0].ref != "development:"+strconv.FormatInt(c.ID, 10) {
			t.Errorf("ledger after 审批: %+v", led)
		}
		if full, prob := f.counts(t, f.organ.ID); full != full0 || prob != prob0+1 {
			t.Errorf("党委 counts after 审批: %d 正式 %d 预备, were %d %d", full, prob, full0, prob0)
		}
		// 转正 审批 sets the 转为正式党员日期 to the 预备期满之日 (one year from the 支部大会).
		c = f.steps(t, c, StepUpperFiling, "", nil)
		m, err = ms.Get(f.ctx, *c.MemberID, false)
		if err != nil {
			t.Fatal(err)
		}
		if m.FullOn != day("2027-05-25") || m.Category != member.CategoryFull || c.FullOn != day("2027-05-25") {
			t.Errorf("member after 转正: full %s category %s (case %s)", m.FullOn, m.Category, c.FullOn)
		}
		if full, prob := f.counts(t, f.organ.ID); full != full0+1 || prob != prob0 {
			t.Errorf("党委 counts after 转正: %d 正式 %d 预备, were %d %d", full, prob, full0, prob0)
		}
		if led := f.ledger(t, m.ID); len(led) != 1 {
			t.Errorf("转正 wrote a ledger row: %+v", led)
		}
	})
}

func TestApprovalNeedsTheRegistryFields(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		// At application the member package's rules check what is given.
		_, err := f.s.Create(f.ctx, CaseInput{OrgID: f.branch.ID, Name: "孙民族", Gender: "1", BirthDate: day("1999-01-01"),
			AppliedOn: day("2025-01-06"), ProfileFields: ProfileFields{Ethnicity: "火星族", Phone: "12345"}})
		if !hasField(err, "ethnicity") || !hasField(err, "phone") {
			t.Errorf("bad 民族 and phone at application: %v", err)
		}
		// A case without 公民身份号码 and 学历 cannot be approved; the 审批 form completes it.
		a, err := f.s.Create(f.ctx, CaseInput{OrgID: f.branch.ID, Name: "周补录", Gender: "1", BirthDate: day("1999-03-15"),
			AppliedOn: day("2025-01-06"), ProfileFields: ProfileFields{Ethnicity: "汉族"}})
		if err != nil {
			t.Fatal(err)
		}
		if a.Case.Profile.Ethnicity != "01" || len(a.Case.Profile.Missing) != 2 {
			t.Errorf("profile after application: %+v", a.Case.Profile)
		}
		c := f.steps(t, a.Case, StepTalk, StepApproval, nil)
		approval := f.scriptStep(StepApproval)
		_, err = f.record(c, approval)
		if !hasField(err, "id_number") || !hasField(err, "education") {
			t.Fatalf("审批 without 公民身份号码 and 学历: %v", err)
		}
		if now, _ := f.s.Get(f.ctx, c.ID); now.MemberID != nil || now.Phase != PhaseCandidate {
			t.Errorf("refused 审批 left something behind: %+v", now)
		}
		approval.Profile = &Profile{IDNumber: idNumber("430702", "19990315", "771"), ProfileFields: ProfileFields{Education: "大学本科"}}
		c = f.must(t, c, approval)
		if c.MemberID == nil || len(c.Profile.Missing) != 0 || c.IDNumber == "" || strings.Contains(c.IDNumber, "19990315") {
			t.Errorf("after 审批 with the profile: member %v profile %+v id %q", c.MemberID, c.Profile, c.IDNumber)
		}
		if _, err := f.s.UpdateProfile(f.ctx, c.ID, Profile{ProfileFields: ProfileFields{Job: "01"}}); !isStatus(err, 409) {
			t.Errorf("profile change after the record exists: %v", err)
		}
	})
}

func hasField(err error, field string) bool {
	var e *api.Error
	if !errors.As(err, &e) {
		return false
	}
	for _, x := range e.Fields {
		if x.Field == field {
			return true
		}
	}
	return false
}

func isStatus(err error, status int) bool {
	var e *api.Error
	return errors.As(err, &e) && e.Status == status
}

func TestCancelProbationLeavesAndExtensionChangesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ms := member.NewStore(d, f.key)
		ms.Today = f.s.Today
		vote := &Vote{Entitled: 3, PresentEntitled: 3, Yes: 3}
		// 延长预备期 six months: the record stays a 预备党员, nothing in the ledger.
		c := f.upTo(t, StepFullCongress)
		c = f.must(t, c, StepInput{Step: StepFullCongress, On: day("2027-05-25"), StepData: StepData{Outcome: OutcomeExtend, ExtendMonths: 6, Vote: vote}})
		c = f.must(t, c, StepInput{Step: StepFullApproval, On: day("2027-06-10")})
		m, _ := ms.Get(f.ctx, *c.MemberID, false)
		if m.Status != member.StatusNormal || !m.FullOn.IsZero() || len(f.ledger(t, m.ID)) != 1 {
			t.Errorf("after 延长预备期: %+v", m.Member)
		}
		// 转正 at the end of the extended 预备期: 转为正式党员日期 is the day it ends (one year and six months).
		c = f.must(t, c, StepInput{Step: StepFullApply, On: day("2027-11-20")})
		c = f.must(t, c, StepInput{Step: StepFullCongress, On: day("2027-11-26"), StepData: StepData{Outcome: OutcomeFull, Vote: vote}})
		c = f.must(t, c, StepInput{Step: StepFullApproval, On: day("2027-12-10")})
		if m, _ = ms.Get(f.ctx, *c.MemberID, false); m.FullOn != day("2027-11-25") || m.Category != member.CategoryFull {
			t.Errorf("转正 after the extension: full %s category %s", m.FullOn, m.Category)
		}
		// 取消预备党员资格: the member leaves, with its status change and ledger row.
		c = f.upTo(t, StepFullCongress)
		full0, prob0 := f.counts(t, f.branch.ID)
		c = f.must(t, c, StepInput{Step: StepFullCongress, On: day("2027-05-25"), StepData: StepData{Outcome: OutcomeCancel, Vote: vote}})
		c = f.must(t, c, StepInput{Step: StepFullApproval, On: day("2027-06-10")})
		if c.Phase != PhaseCancelled {
			t.Errorf("phase %s", c.Phase)
		}
		m, err := ms.Get(f.ctx, *c.MemberID, false)
		if err != nil {
			t.Fatal(err)
		}
		if m.Status != member.StatusLeft || m.StatusOn != day("2027-06-10") {
			t.Errorf("member after 取消: %s %s", m.Status, m.StatusOn)
		}
		var kind, approvedBy string
		if err := d.QueryRow(f.ctx, `SELECT kind, approved_by FROM member_status_changes WHERE member_id = ?`, m.ID).Scan(&kind, &approvedBy); err != nil ||
			kind != "cancel_probation" || approvedBy != f.organ.Name {
			t.Errorf("status change: %q %q %v", kind, approvedBy, err)
		}
		led := f.ledger(t, m.ID)
		if len(led) != 2 || led[1].kind != string(member.EventCancelProbation) || led[1].from != f.branch.Path || led[1].to != "" || led[1].on != day("2027-06-10") {
			t.Errorf("ledger after 取消: %+v", led)
		}
		if full, prob := f.counts(t, f.branch.ID); full != full0 || prob != prob0-1 {
			t.Errorf("branch counts after 取消: %d %d, were %d %d", full, prob, full0, prob0)
		}
	})
}

func TestOnlyTheApprovingCommitteeApproves(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		as := func(uid int64, name string, orgID int64, path string) context.Context {
			return access.With(context.Background(), &access.Principal{UserID: uid, Username: name,
				Grants: []access.Grant{{Role: "org-admin", OrgID: orgID, OrgPath: path}}})
		}
		secretary := as(11, "zhibu", f.branch.ID, f.branch.Path)
		committee := as(12, "dangwei", f.organ.ID, f.organ.Path)
		c := f.upTo(t, StepPreReview)
		// The 待办 of the 预审 is the 党委's, not the branch's.
		todo := func(ctx context.Context) []TodoItem {
			items, err := f.s.Todo(ctx, 0, "")
			if err != nil {
				t.Fatal(err)
			}
			var out []TodoItem
			for _, it := range items {
				if it.CaseID == c.ID {
					out = append(out, it)
				}
			}
			return out
		}
		if items := todo(secretary); len(items) != 0 {
			t.Errorf("branch secretary sees the 预审 in the 待办: %+v", items)
		}
		if items := todo(committee); len(items) != 1 || items[0].Step != StepPreReview || items[0].Approver != f.organ.Name {
			t.Errorf("党委 待办: %+v", items)
		}
		if now, err := f.s.Get(secretary, c.ID); err != nil || now.Next == nil || now.Next.Approver != f.organ.Name {
			t.Errorf("the case names who records the 预审: %+v %v", now.Next, err)
		}
		in := f.scriptStep(StepPreReview)
		in.Version = c.Version
		_, err := f.s.RecordStep(secretary, c.ID, in)
		var e *api.Error
		if !errors.As(err, &e) || e.Status != 403 || !strings.Contains(e.Detail, f.organ.Name) || e.Extra["rule"] != "dev.approver" {
			t.Fatalf("branch secretary recording the 预审: %v", err)
		}
		a, err := f.s.RecordStep(committee, c.ID, in)
		if err != nil {
			t.Fatalf("党委 recording the 预审: %v", err)
		}
		c = a.Case
		// The branch records its own steps; the 审批 is the 党委's again.
		for _, code := range []string{StepForm, StepCongress, StepUpperTalk} {
			in := f.scriptStep(code)
			in.Version = c.Version
			ctx := secretary
			if code == StepUpperTalk {
				ctx = committee
			}
			a, err := f.s.RecordStep(ctx, c.ID, in)
			if err != nil {
				t.Fatalf("%s: %v", code, err)
			}
			c = a.Case
		}
		in = f.scriptStep(StepApproval)
		in.Version = c.Version
		if _, err := f.s.RecordStep(secretary, c.ID, in); !isStatus(err, 403) {
			t.Fatalf("branch secretary recording the 审批: %v", err)
		}
		if now, _ := f.s.Get(f.ctx, c.ID); now.MemberID != nil || now.Version != c.Version {
			t.Error("refused 审批 changed the case")
		}
		a, err = f.s.RecordStep(committee, c.ID, in)
		if err != nil || a.Case.MemberID == nil || a.Case.Phase != PhaseProbationary {
			t.Fatalf("党委 recording the 审批: %v", err)
		}
	})
}

// meeting records a 支部党员大会 (or another type) in 组织生活's tables.
func (f *fixture) meeting(t *testing.T, orgID int64, typ string, on civil.Date, present, absent []*member.Detail, votes ...[4]any) int64 {
	t.Helper()
	var id int64
	now := time.Now().UTC()
	err := f.d.InTx(f.ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(f.ctx, `INSERT INTO meetings (org_id, type, held_on, created_by, created_at, updated_at) VALUES (?, ?, ?, 'test', ?, ?) RETURNING id`,
			orgID, typ, on, now, now).Scan(&id); err != nil {
			return err
		}
		for _, m := range present {
			if _, err := tx.Exec(f.ctx, `INSERT INTO meeting_attendance (meeting_id, member_id, status) VALUES (?, ?, 'present')`, id, m.ID); err != nil {
				return err
			}
		}
		for _, m := range absent {
			if _, err := tx.Exec(f.ctx, `INSERT INTO meeting_attendance (meeting_id, member_id, status) VALUES (?, ?, 'leave')`, id, m.ID); err != nil {
				return err
			}
		}
		for i, v := range votes {
			c := v[1].([3]int)
			if _, err := tx.Exec(f.ctx, `INSERT INTO meeting_votes (meeting_id, seq, subject, entitled, present_entitled, yes, no, abstain) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				id, i+1, v[0], v[2], v[3], c[0], c[1], c[2]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestBranchCongressTakesItsFiguresFromTheMeeting(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.upTo(t, StepCongress)
		on := day("2026-05-25")
		// Four 正式党员 on the list (the 预备党员 present has no vote), three present.
		present := []*member.Detail{f.full[0], f.full[1], f.full[2], f.probationary}
		other := f.meeting(t, f.underGeneral.ID, "branch_congress", on, nil, nil)
		wrongDay := f.meeting(t, f.branch.ID, "branch_congress", day("2026-05-26"), present, nil)
		lesson := f.meeting(t, f.branch.ID, "party_lecture", on, present, nil)
		for what, id := range map[string]int64{"another branch's": other, "another day's": wrongDay, "a 党课": lesson} {
			in := StepInput{Step: StepCongress, On: on, StepData: StepData{MeetingID: &id}}
			if _, err := f.record(c, in); !hasField(err, "meeting_id") {
				t.Errorf("%s meeting: %v", what, err)
			}
		}
		// Two 赞成 of four 应到: not more than half, refused with the rule, figures from the meeting.
		failing := f.meeting(t, f.branch.ID, "branch_congress", on, present, []*member.Detail{f.watched},
			[4]any{"接收" + c.Name + "为预备党员", [3]int{2, 1, 0}, 4, 3})
		in := StepInput{Step: StepCongress, On: on, StepData: StepData{MeetingID: &failing, Vote: &Vote{Entitled: 3, PresentEntitled: 3, Yes: 3}}}
		_, err := f.record(c, in)
		refused(t, err, "dev.congress.pass")
		if v := extra(err)["violations"].([]Finding); !strings.Contains(v[len(v)-1].Message, "赞成 2 票") || !strings.Contains(v[len(v)-1].Message, "4 人") {
			t.Errorf("refusal does not use the meeting's figures: %+v", v)
		}
		d.Exec(f.ctx, `DELETE FROM meetings WHERE id = ?`, failing)
		passing := f.meeting(t, f.branch.ID, "branch_congress", on, present, []*member.Detail{f.watched},
			[4]any{"接收" + c.Name + "为预备党员", [3]int{3, 0, 0}, 4, 3}, [4]any{"其他事项", [3]int{1, 0, 0}, 4, 3})
		in = StepInput{Step: StepCongress, On: on, StepData: StepData{MeetingID: &passing}}
		c = f.must(t, c, in)
		v := c.Steps[len(c.Steps)-1].Vote
		if v == nil || v.Entitled != 4 || v.PresentEntitled != 3 || v.Yes != 3 || !v.Passed {
			t.Errorf("vote taken from the meeting: %+v", v)
		}
	})
}

func TestLettersCarryTheCaseData(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.upTo(t, StepCandidate)
		if _, err := f.s.Letter(f.ctx, c.ID, LetterCandidatePublicity); !isStatus(err, 409) {
			t.Errorf("公示 before 确定发展对象: %v", err)
		}
		if _, err := f.s.Letter(f.ctx, c.ID, "nonsense"); !isStatus(err, 404) {
			t.Errorf("unknown letter: %v", err)
		}
		c = f.steps(t, c, StepCandidate, StepCandidateFile, nil)
		html := func(kind string) string {
			t.Helper()
			b, err := f.s.Letter(f.ctx, c.ID, kind)
			if err != nil {
				t.Fatalf("%s: %v", kind, err)
			}
			return string(b)
		}
		// Before the 备案 the 公示 period is suggested from the calendar: 5 working days from
		// the working day after 2026-03-05 (a Thursday): 3月6日 to 3月12日.
		pub := html(LetterCandidatePublicity)
		for _, want := range []string{c.Name, "2026年3月5日", "2026年3月6日至2026年3月12日（5个工作日）", f.branch.Name, "汉族", "大学本科", "2000年2月"} {
			if !strings.Contains(pub, want) {
				t.Errorf("发展对象公示 lacks %q", want)
			}
		}
		c = f.steps(t, c, StepCandidateFile, StepPreReview, nil)
		filing := html(LetterCandidateFiling)
		for _, want := range []string{f.organ.Name, "已于2026年3月9日至2026年3月13日在本单位公示（5个工作日）", "请予备案", "张建国、李红梅"} {
			if !strings.Contains(filing, want) {
				t.Errorf("备案报告 lacks %q", want)
			}
		}
		pre := html(LetterPreReview)
		for _, want := range []string{"预审的请示", "张建国、李红梅", "2026年4月20日结业（3天、0学时）", "2026年5月6日", f.organ.Name} {
			if !strings.Contains(pre, want) {
				t.Errorf("预审请示 lacks %q", want)
			}
		}
		c = f.steps(t, c, StepPreReview, StepUpperFiling, nil)
		reply := html(LetterApproval)
		for _, want := range []string{"同意接收" + c.Name + "同志为中共预备党员的批复", "2026年5月25日", "赞成3票", "2026年6月15日", "至2027年5月25日止", f.organ.Name} {
			if !strings.Contains(reply, want) {
				t.Errorf("批复 lacks %q", want)
			}
		}
		c = f.steps(t, c, StepUpperFiling, StepFullCongress, nil)
		full := html(LetterFullPublicity)
		for _, want := range []string{"拟按期转为正式党员的公示", "2027年5月25日届满", "2027年5月10日"} {
			if !strings.Contains(full, want) {
				t.Errorf("拟转正公示 lacks %q", want)
			}
		}
		for _, l := range []string{pub, filing, pre, reply, full} {
			if strings.Contains(l, "13812345678") || strings.Contains(l, "20000229") {
				t.Error("a letter shows personal data")
			}
		}
		if len(c.Letters) != 5 {
			t.Errorf("letters offered: %+v", c.Letters)
		}
	})
}
