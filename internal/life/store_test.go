package life

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
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/db/dbtest"
	"github.com/dangjian/dangjian/internal/member"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/pii"
)

// fixture: a county 党委 with a 乡镇党委 and three 党支部 under it —
//
//	b1 第一支部 (建制村, since 2010): 10 members, 9 正式 + 1 预备 (joined 2026-03-01), one 流动;
//	   a 5-person 班子 (a 支部委员会) whose names are members; a 党小组 g1.
//	b2 第二支部 (since 2026-05-10): 3 members, a 1-person 班子 (no 支部委员会).
//	b3 第三支部 (since 2015): 3 members, never holds a meeting.
//
// The life store's today is 2026-08-20: Q2 is closed, Q3 open.
type fixture struct {
	d              *db.DB
	s              *Store
	orgs           *org.Store
	ctx            context.Context
	county, town   *org.Org
	b1, b2, b3, g1 *org.Org
	m1             []int64 // b1's members, 班子 first (张书记, 李副书记, 王组织, 赵宣传, 钱纪检), then 5 others (the last is 预备党员)
	m2, m3         []int64
	mobile         int64 // b1's 流动党员 (m1[5])
	seq            int
}

var today = civil.New(2026, 8, 20)

func idNumber(seq int) string {
	base := fmt.Sprintf("43070219800101%03d", seq)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(base[i]-'0') * w
	}
	return base + string("10X98765432"[sum%11])
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := access.System(context.Background())
	orgs := org.NewStore(d)
	f := &fixture{d: d, orgs: orgs, ctx: ctx, s: NewStore(d, orgs)}
	f.s.Today = func() civil.Date { return today }
	mk := func(code, name string, typ org.Type, unit org.UnitType, parent *org.Org, est civil.Date) *org.Org {
		in := org.CreateInput{Code: code, Name: name, Type: typ, UnitType: unit, EstablishedOn: est}
		if parent != nil {
			in.ParentID = parent.ID
		}
		o, err := orgs.Create(ctx, in)
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return o
	}
	f.county = mk("C", "中共某县委员会", org.TypeCommittee, org.UnitLocal, nil, civil.Date{})
	f.town = mk("T", "中共某镇委员会", org.TypeCommittee, org.UnitTownship, f.county, civil.New(2000, 1, 1))
	f.b1 = mk("B1", "中共某村第一支部委员会", org.TypeBranch, org.UnitVillage, f.town, civil.New(2010, 1, 1))
	f.b2 = mk("B2", "中共某村第二支部委员会", org.TypeBranch, org.UnitVillage, f.town, civil.New(2026, 5, 10))
	f.b3 = mk("B3", "中共某村第三支部委员会", org.TypeBranch, org.UnitVillage, f.town, civil.New(2015, 1, 1))
	f.g1 = mk("G1", "第一党小组", org.TypeGroup, org.UnitVillage, f.b1, civil.New(2010, 1, 1))

	key, _, err := pii.Generate()
	if err != nil {
		t.Fatal(err)
	}
	ms := member.NewStore(d, key)
	add := func(o *org.Org, name string, joined, full civil.Date, mobile bool) int64 {
		f.seq++
		in := member.Input{OrgID: o.ID, Name: name, IDNumber: idNumber(f.seq), Ethnicity: "01", Education: "21", JoinedOn: joined, FullOn: full}
		if mobile {
			in.Mobile, in.MobileTo = true, "广东省深圳市"
		}
		m, err := ms.Create(ctx, in)
		if err != nil {
			t.Fatalf("member %s: %v", name, err)
		}
		return m.ID
	}
	j, fo := civil.New(2005, 7, 1), civil.New(2006, 7, 1)
	for i, name := range []string{"张书记", "李副书记", "王组织", "赵宣传", "钱纪检", "孙流动", "周党员", "吴党员", "郑党员"} {
		id := add(f.b1, name, j, fo, i == 5)
		f.m1 = append(f.m1, id)
	}
	f.m1 = append(f.m1, add(f.b1, "冯预备", civil.New(2026, 3, 1), civil.Date{}, false))
	f.mobile = f.m1[5]
	for _, name := range []string{"陈二支", "褚二支", "卫二支"} {
		f.m2 = append(f.m2, add(f.b2, name, j, fo, false))
	}
	for _, name := range []string{"蒋三支", "沈三支", "韩三支"} {
		f.m3 = append(f.m3, add(f.b3, name, j, fo, false))
	}
	term := func(o *org.Org, leaders ...org.LeaderInput) {
		if _, err := orgs.CreateTerm(ctx, o.ID, org.TermInput{ElectedOn: civil.New(2024, 1, 10), Leaders: leaders}); err != nil {
			t.Fatal(err)
		}
	}
	term(f.b1, org.LeaderInput{Name: "张书记", Post: org.PostSecretary}, org.LeaderInput{Name: "李副书记", Post: org.PostDeputySecretary},
		org.LeaderInput{Name: "王组织", Post: org.PostOrganization}, org.LeaderInput{Name: "赵宣传", Post: org.PostPropaganda},
		org.LeaderInput{Name: "钱纪检", Post: org.PostDiscipline})
	if _, err := orgs.CreateTerm(ctx, f.b2.ID, org.TermInput{ElectedOn: civil.New(2026, 5, 10), Leaders: []org.LeaderInput{{Name: "陈二支", Post: org.PostSecretary}}}); err != nil {
		t.Fatal(err)
	}
	term(f.town, org.LeaderInput{Name: "张书记", Post: org.PostMember})
	return f
}

// attendance marks the first n of ids present and the rest absent.
func attendance(ids []int64, present int) []AttendanceInput {
	var out []AttendanceInput
	for i, id := range ids {
		st := "absent"
		if i < present {
			st = "present"
		}
		out = append(out, AttendanceInput{MemberID: id, Status: st})
	}
	return out
}

func fieldOf(t *testing.T, err error) (string, string) {
	t.Helper()
	var e *api.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		t.Fatalf("want a field error, got %v", err)
	}
	return e.Fields[0].Field, e.Fields[0].Message
}

func (f *fixture) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := f.d.QueryRow(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (f *fixture) requirement(t *testing.T, c *Compliance, o *org.Org, typ string) *Requirement {
	t.Helper()
	for _, it := range c.Items {
		if it.Org.ID != o.ID {
			continue
		}
		for i := range it.Requirements {
			if it.Requirements[i].Type == typ {
				return &it.Requirements[i]
			}
		}
	}
	return nil
}

func (f *fixture) compliance(t *testing.T, o *org.Org, period string) *Compliance {
	t.Helper()
	p, err := ParsePeriod(period)
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.s.Compliance(f.ctx, ComplianceFilter{Org: o.ID, Period: p}, api.Paging{Page: 1, Size: 200})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fixture) hours(t *testing.T, o *org.Org, memberID int64) HoursItem {
	t.Helper()
	h, err := f.s.StudyHours(f.ctx, o.ID, 2026, "", api.Paging{Page: 1, Size: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range h.Items {
		if it.MemberID == memberID {
			return it
		}
	}
	t.Fatalf("member %d not in the study hours", memberID)
	return HoursItem{}
}

func TestOneRecordChangesComplianceHoursAndLedger(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		before := f.requirement(t, f.compliance(t, f.b1, "2026Q3"), f.b1, TypeBranchCongress)
		if before == nil || before.Status != Pending || before.Text != "本期尚未召开，截止 2026-09-30" || !strings.Contains(before.Source, "第十一条") {
			t.Fatalf("before: %+v", before)
		}
		if h := f.hours(t, f.b1, f.m1[6]); h.Hours != 0 || h.Status != "in_progress" || h.Target != 32 {
			t.Fatalf("hours before: %+v", h)
		}
		if h := f.hours(t, f.b1, f.m1[0]); !h.Leader || h.Target != 56 || h.PostName != "书记" {
			t.Fatalf("the secretary's target: %+v", h)
		}

		roster, err := f.s.Roster(f.ctx, f.b1.ID, civil.New(2026, 8, 10), TypeBranchCongress)
		if err != nil {
			t.Fatal(err)
		}
		if len(roster.Members) != 10 || roster.Voting != 9 || !roster.HasCommittee || roster.Members[0].Name != "张书记" || !roster.Members[0].Committee {
			t.Fatalf("roster: %+v", roster)
		}
		var mobileFlagged, probationaryVotes bool
		for _, m := range roster.Members {
			mobileFlagged = mobileFlagged || (m.ID == f.mobile && m.Mobile)
			probationaryVotes = probationaryVotes || (m.Name == "冯预备" && m.Voting)
		}
		if !mobileFlagged || probationaryVotes {
			t.Fatalf("roster flags: mobile %v, probationary votes %v", mobileFlagged, probationaryVotes)
		}
		in := MeetingInput{OrgID: f.b1.ID, Type: TypeBranchCongress, HeldOn: civil.New(2026, 8, 10), Topic: "学习党章<第九条>",
			Attendance: attendance(f.m1, 7), Decisions: "同意接收冯预备为预备党员",
			Votes: []VoteInput{{Subject: "接收预备党员", Yes: 6, No: 0, Abstain: 1}}}
		in.Attendance[7].Status, in.Attendance[7].Reason = "leave", "外出务工"
		m, err := f.s.Create(f.ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if m.Counts != (Counts{Listed: 10, Present: 7, Leave: 1, Absent: 2}) || m.StudyHours != 1 || m.Version != 1 {
			t.Fatalf("meeting: %+v", m)
		}
		if m.Quorum == nil || !m.Quorum.OK || m.Quorum.Entitled != 9 || m.Quorum.Present != 7 {
			t.Fatalf("quorum: %+v", m.Quorum)
		}
		if v := m.Votes[0]; v.Entitled != 9 || v.PresentEntitled != 7 || !v.Passed {
			t.Fatalf("vote defaults from the roster: %+v", v)
		}

		after := f.requirement(t, f.compliance(t, f.b1, "2026Q3"), f.b1, TypeBranchCongress)
		if after.Status != Held || after.Periods[0].Dates[0] != civil.New(2026, 8, 10) {
			t.Fatalf("after: %+v", after)
		}
		if h := f.hours(t, f.b1, f.m1[6]); h.Hours != 1 || h.Meetings != 1 {
			t.Fatalf("hours after: %+v", h)
		}
		if h := f.hours(t, f.b1, f.m1[7]); h.Hours != 0 {
			t.Fatalf("on leave earns no hours: %+v", h)
		}

		l, err := f.s.ledger(f.ctx, f.b1.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := l.WriteXLSX(&buf); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if got := x.GetSheetList(); strings.Join(got, ",") != "会议记录,出勤情况,民主评议,谈心谈话" {
			t.Fatalf("sheets: %v", got)
		}
		rows, _ := x.GetRows("会议记录")
		if len(rows) != 3 || rows[2][1] != "2026-08-10" || rows[2][2] != "支部党员大会" || rows[2][9] != "7" {
			t.Fatalf("会议记录: %v", rows)
		}
		att, _ := x.GetRows("出勤情况")
		if len(att) != 12 || att[1][2] != "08-10 大会" || att[2][0] != "张书记" || att[2][2] != "出" || att[9][2] != "假" || att[10][2] != "缺" {
			t.Fatalf("出勤情况: %v", att)
		}
		var html bytes.Buffer
		if err := l.WriteHTML(&html); err != nil {
			t.Fatal(err)
		}
		if s := html.String(); !strings.Contains(s, "中共某村第一支部委员会 2026年组织生活台账") || !strings.Contains(s, "学习党章&lt;第九条&gt;") || strings.Contains(s, "<第九条>") {
			t.Fatalf("html ledger is not the record or not escaped")
		}
	})
}

func TestMeetingValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ok := MeetingInput{OrgID: f.b1.ID, Type: TypeBranchCongress, HeldOn: civil.New(2026, 7, 3), Attendance: attendance(f.m1, 8)}
		cases := []struct {
			name, field, msg string
			edit             func(in *MeetingInput)
		}{
			{"future", "held_on", "不能晚于今天", func(in *MeetingInput) { in.HeldOn = civil.New(2026, 8, 21) }},
			{"before established", "held_on", "成立日期 2026-05-10", func(in *MeetingInput) {
				in.OrgID, in.HeldOn, in.Attendance = f.b2.ID, civil.New(2026, 5, 1), nil
			}},
			{"not on the roster", "attendance[8].member_id", "不在", func(in *MeetingInput) { in.Attendance[8].MemberID = f.m2[0] }},
			{"joined after the day", "attendance[9].member_id", "不在", func(in *MeetingInput) { in.HeldOn = civil.New(2026, 2, 1) }},
			{"listed twice", "attendance[9].member_id", "重复", func(in *MeetingInput) { in.Attendance[9].MemberID = f.m1[0] }},
			{"no quorum", "attendance", "至少需 5 人", func(in *MeetingInput) { in.Attendance = attendance(f.m1, 4) }},
			{"probationary do not count", "attendance", "到会 4 人", func(in *MeetingInput) {
				in.Attendance = attendance(f.m1, 4)
				in.Attendance[9].Status = "present"
			}},
			{"wrong holder", "type", "党支部不召开“党小组会”", func(in *MeetingInput) { in.Type = TypeGroupMeeting }},
			{"committee meeting without a committee", "type", "未设支部委员会", func(in *MeetingInput) {
				in.OrgID, in.Type, in.HeldOn, in.Attendance = f.b2.ID, TypeBranchCommittee, civil.New(2026, 6, 1), nil
			}},
			{"committee quorum", "attendance", "应到会委员 5 人，到会 2 人", func(in *MeetingInput) {
				in.Type, in.Attendance = TypeBranchCommittee, attendance(f.m1[:5], 2)
			}},
			{"more present voters than attended", "votes[0].present_entitled", "多于出勤记录中到会的 8 人", func(in *MeetingInput) {
				n := 9
				in.Votes = []VoteInput{{Subject: "x", PresentEntitled: &n, Yes: 1}}
			}},
			{"more votes than present voters", "votes[0].yes", "超过到会有表决权的 8 人", func(in *MeetingInput) {
				in.Votes = []VoteInput{{Subject: "x", Yes: 6, No: 2, Abstain: 1}}
			}},
			{"more entitled than the roster", "votes[0].entitled", "多于名册中有表决权的 9 人", func(in *MeetingInput) {
				n := 12
				in.Votes = []VoteInput{{Subject: "x", Entitled: &n, Yes: 1}}
			}},
			{"votes where none are taken", "votes", "不记录表决", func(in *MeetingInput) {
				in.Type = TypeThemeDay
				in.Votes = []VoteInput{{Subject: "x", Yes: 1}}
			}},
			{"makeup without a date", "attendance[9].makeup_on", "补课日期", func(in *MeetingInput) { in.Attendance[9].Status = "makeup" }},
			{"times", "end_time", "晚于开始时间", func(in *MeetingInput) { in.StartTime, in.EndTime = "10:00", "09:00" }},
		}
		for _, c := range cases {
			in := ok
			in.Attendance = append([]AttendanceInput(nil), ok.Attendance...)
			c.edit(&in)
			_, err := f.s.Create(f.ctx, in)
			if err == nil {
				t.Errorf("%s: saved", c.name)
				continue
			}
			field, msg := fieldOf(t, err)
			if field != c.field || !strings.Contains(msg, c.msg) {
				t.Errorf("%s: %s %q, want %s containing %q", c.name, field, msg, c.field, c.msg)
			}
		}
		if n := f.count(t, "meetings") + f.count(t, "meeting_attendance") + f.count(t, "meeting_votes") + f.count(t, "meeting_versions"); n != 0 {
			t.Fatalf("refused meetings left %d rows behind", n)
		}
		if _, err := f.s.Create(f.ctx, ok); err != nil {
			t.Fatal(err)
		}
		committee := ok
		committee.Type, committee.Attendance = TypeBranchCommittee, attendance(f.m1[:5], 3)
		if _, err := f.s.Create(f.ctx, committee); err != nil {
			t.Fatalf("支委会 with 3 of 5: %v", err)
		}
		_, err := f.s.Create(f.ctx, ok)
		if field, msg := fieldOf(t, err); field != "held_on" || !strings.Contains(msg, "已有一条支部党员大会记录") {
			t.Fatalf("duplicate: %s %s", field, msg)
		}
		// Scope: a user who manages b2 cannot record for b1, and a viewer cannot record at all.
		b2admin := access.With(context.Background(), &access.Principal{UserID: 99, Username: "b2", Grants: []access.Grant{{Role: "org-admin", OrgID: f.b2.ID, OrgPath: f.b2.Path}}})
		in := ok
		in.HeldOn = civil.New(2026, 7, 4)
		if _, err := f.s.Create(b2admin, in); err == nil || !strings.Contains(err.Error(), "不在您的管理范围内") {
			t.Fatalf("b2's admin recorded for b1: %v", err)
		}
		viewer := access.With(context.Background(), &access.Principal{UserID: 98, Username: "v", Grants: []access.Grant{{Role: "org-viewer", OrgID: f.town.ID, OrgPath: f.town.Path}}})
		var e *api.Error
		if _, err := f.s.Create(viewer, in); !errors.As(err, &e) || e.Status != 403 {
			t.Fatalf("viewer recorded: %v", err)
		}
	})
}

func TestVersionsAreKeptAndVotesAreCounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		in := MeetingInput{OrgID: f.b1.ID, Type: TypeBranchCongress, HeldOn: civil.New(2026, 7, 3), Topic: "原主题", Attendance: attendance(f.m1, 8),
			Votes: []VoteInput{{Subject: "表决事项", Yes: 7, No: 1}}}
		m, err := f.s.Create(f.ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		topic := "更正后的主题"
		if _, err := f.s.Update(f.ctx, m.ID, MeetingPatch{Topic: &topic, Version: 5}); err == nil {
			t.Fatal("a stale version was accepted")
		}
		m2, err := f.s.Update(f.ctx, m.ID, MeetingPatch{Topic: &topic, Note: "笔误", Version: 1})
		if err != nil {
			t.Fatal(err)
		}
		if m2.Topic != topic || m2.Version != 2 || len(m2.Attendance) != 10 || len(m2.Votes) != 1 {
			t.Fatalf("patched: %+v", m2)
		}
		m3, err := f.s.Makeup(f.ctx, m.ID, MakeupInput{MemberID: f.m1[8], On: civil.New(2026, 7, 10), Note: "补学会议精神"})
		if err != nil {
			t.Fatal(err)
		}
		if m3.Version != 3 || m3.Counts.Makeup != 1 || m3.Counts.Absent != 1 {
			t.Fatalf("makeup: %+v", m3.Counts)
		}
		if _, err := f.s.Makeup(f.ctx, m.ID, MakeupInput{MemberID: f.m1[0], On: civil.New(2026, 7, 10)}); err == nil {
			t.Fatal("a present member made up")
		}
		if h := f.hours(t, f.b1, f.m1[8]); h.Hours != 1 {
			t.Fatalf("补课 counts for hours: %+v", h)
		}
		vs, err := f.s.Versions(f.ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 3 || vs[2].Version != 1 || !strings.Contains(string(vs[2].Snapshot), "原主题") || !strings.Contains(string(vs[1].Snapshot), topic) ||
			!strings.Contains(vs[1].Summary, "笔误") || vs[0].Username != "system" {
			t.Fatalf("versions: %+v", vs)
		}
		// Votes are stored as counts: the table has no column that could say who voted how.
		rows, err := d.Query(context.Background(), `SELECT * FROM meeting_votes`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		rows.Close()
		if got := strings.Join(cols, ","); got != "id,meeting_id,seq,subject,entitled,present_entitled,yes,no,abstain" {
			t.Fatalf("meeting_votes columns: %s", got)
		}
		if err := f.s.Delete(f.ctx, m.ID); err != nil {
			t.Fatal(err)
		}
		if n := f.count(t, "meetings") + f.count(t, "meeting_votes") + f.count(t, "meeting_attendance"); n != 0 {
			t.Fatalf("delete left %d rows", n)
		}
	})
}

// TestComplianceFixture: known answers for a hand-built quarter.
func TestComplianceFixture(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		rec := func(o *org.Org, typ string, day civil.Date, att []AttendanceInput, also ...string) {
			t.Helper()
			if _, err := f.s.Create(f.ctx, MeetingInput{OrgID: o.ID, Type: typ, HeldOn: day, Attendance: att, AlsoTypes: also}); err != nil {
				t.Fatalf("%s %s %s: %v", o.Name, typ, day, err)
			}
		}
		// b1: 支部大会 in May; 主题党日 in April and June (June's also a 党课); 支委会 every month of
		// Q2; the 党小组 meets in April only.
		rec(f.b1, TypeBranchCongress, civil.New(2026, 5, 6), attendance(f.m1, 9))
		rec(f.b1, TypeThemeDay, civil.New(2026, 4, 15), attendance(f.m1, 9))
		rec(f.b1, TypeThemeDay, civil.New(2026, 6, 15), attendance(f.m1, 9), TypePartyLecture)
		for _, m := range []time.Month{4, 5, 6} {
			rec(f.b1, TypeBranchCommittee, civil.New(2026, m, 2), attendance(f.m1[:5], 5))
		}
		rec(f.g1, TypeGroupMeeting, civil.New(2026, 4, 20), attendance(f.m1[:4], 4))
		// b2 (established 2026-05-10) holds its first 主题党日 in June.
		rec(f.b2, TypeThemeDay, civil.New(2026, 6, 1), attendance(f.m2, 3))

		c := f.compliance(t, f.town, "2026Q2")
		if !c.Closed {
			t.Fatal("Q2 is closed on 2026-08-20")
		}
		want := map[*org.Org]map[string]Status{
			f.b1: {TypeBranchCongress: Held, TypeBranchCommittee: Held, TypePartyLecture: Held, TypeThemeDay: Missed,
				TypeLifeMeeting: Pending, TypeMemberReview: Pending},
			f.g1: {TypeGroupMeeting: Missed},
			// 成立当期不作要求: b2's Q2 and its year 2026 began before it was established.
			f.b2: {TypeBranchCongress: NA, TypePartyLecture: NA, TypeThemeDay: Held, TypeLifeMeeting: NA, TypeMemberReview: NA},
			f.b3: {TypeBranchCongress: Missed, TypePartyLecture: Missed, TypeThemeDay: Missed, TypeLifeMeeting: Pending, TypeMemberReview: Pending},
		}
		for o, types := range want {
			for typ, st := range types {
				r := f.requirement(t, c, o, typ)
				if r == nil || r.Status != st {
					t.Errorf("%s %s: %+v, want %s", o.Name, typ, r, st)
				}
			}
		}
		if r := f.requirement(t, c, f.b2, TypeBranchCommittee); r != nil {
			t.Errorf("b2 has no 支部委员会 and owes no 支委会: %+v", r)
		}
		if r := f.requirement(t, c, f.b1, TypeThemeDay); r.Text != "已召开 2 期；2026年5月未召开" {
			t.Errorf("b1 theme days: %q", r.Text)
		}
		if r := f.requirement(t, c, f.b2, TypeThemeDay); r.Periods[0].Status != NA || r.Periods[1].Status != NA || r.Periods[2].Status != Held {
			t.Errorf("b2 theme days by month: %+v", r.Periods)
		}
		if r := f.requirement(t, c, f.b1, TypeLifeMeeting); r.Text != "本期尚未召开，截止 2026-12-31（一般安排在第四季度）" {
			t.Errorf("组织生活会 text: %q", r.Text)
		}
		if r := f.requirement(t, c, f.town, TypePartyBuilding); r == nil || r.Status != Missed || !strings.Contains(r.Source, "本地要求") {
			t.Errorf("the township's half-yearly 党建 meeting: %+v", r)
		}
		// Summary upward: one row per direct child of the township (each branch), plus the township.
		got := map[int64]ChildSummary{}
		for _, s := range c.Summary {
			got[s.Org.ID] = s
		}
		if s := got[f.b1.ID]; s.Units != 2 || s.Tally.Missed != 2 || s.UnitsMissing != 2 { // b1 (theme day) and g1
			t.Errorf("b1 summary: %+v", s)
		}
		if s := got[f.b3.ID]; s.Units != 1 || s.Tally.Missed != 3 || s.Silent != 1 || s.Lapsed != 0 {
			t.Errorf("b3 summary: %+v", s)
		}
		if s := got[f.town.ID]; !s.Self || s.Units != 1 {
			t.Errorf("the township itself: %+v", s)
		}
		if c.Totals.Units != 5 {
			t.Errorf("totals: %+v", c.Totals)
		}

		q3 := f.compliance(t, f.town, "2026Q3")
		if r := f.requirement(t, q3, f.b1, TypeBranchCongress); r.Status != Pending || r.Text != "本期尚未召开，截止 2026-09-30" {
			t.Errorf("Q3 open: %+v", r)
		}
		if r := f.requirement(t, q3, f.b1, TypeBranchCommittee); r.Status != Missed || !strings.Contains(r.Text, "2026年7月未召开") || !strings.Contains(r.Text, "2026年8月尚未召开，截止 2026-08-31") {
			t.Errorf("Q3 支委会: %q", r.Text)
		}
		// Local variation: the township wants a 党课 every month; b1 keeps the quarter.
		month := Monthly
		if _, err := f.s.PutSettings(f.ctx, f.town.ID, Settings{Frequencies: map[string]Frequency{TypePartyLecture: month}}); err != nil {
			t.Fatal(err)
		}
		q2 := f.compliance(t, f.town, "2026Q2")
		if r := f.requirement(t, q2, f.b3, TypePartyLecture); r.Frequency != Monthly || len(r.Periods) != 3 || r.FrequencyFrom != f.town.Name {
			t.Errorf("inherited frequency: %+v", r)
		}
		if _, err := f.s.PutSettings(f.ctx, f.b1.ID, Settings{Frequencies: map[string]Frequency{TypePartyLecture: Quarterly}}); err != nil {
			t.Fatal(err)
		}
		q2 = f.compliance(t, f.town, "2026Q2")
		if r := f.requirement(t, q2, f.b1, TypePartyLecture); r.Frequency != Quarterly || r.FrequencyFrom != "本组织" || r.Status != Held {
			t.Errorf("own override: %+v", r)
		}
		if _, err := f.s.PutSettings(f.ctx, f.b1.ID, Settings{Frequencies: map[string]Frequency{"nonsense": Monthly}}); err == nil {
			t.Error("an unknown type was accepted")
		}
	})
}

func TestSixMonthsWithoutOrganisationalLife(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		// b1 meets in March, May and July; 郑党员 (m1[8]) is absent each time, 吴党员 (m1[7]) is on
		// leave twice and makes one up, the 流动党员 is absent.
		for i, day := range []civil.Date{civil.New(2026, 3, 5), civil.New(2026, 5, 5), civil.New(2026, 7, 5)} {
			att := attendance(f.m1[:5], 5)
			att = append(att, AttendanceInput{MemberID: f.mobile, Status: "absent"}, AttendanceInput{MemberID: f.m1[6], Status: "present"},
				AttendanceInput{MemberID: f.m1[7], Status: "leave", Reason: "住院"}, AttendanceInput{MemberID: f.m1[8], Status: "absent"})
			m, err := f.s.Create(f.ctx, MeetingInput{OrgID: f.b1.ID, Type: TypeThemeDay, HeldOn: day, Attendance: att})
			if err != nil {
				t.Fatal(err)
			}
			if i == 2 {
				if _, err := f.s.Makeup(f.ctx, m.ID, MakeupInput{MemberID: f.m1[7], On: civil.New(2026, 7, 20)}); err != nil {
					t.Fatal(err)
				}
			}
		}
		c := f.compliance(t, f.town, "2026Q3")
		lapsed := map[int64]Lapse{}
		var b1, b3 *UnitCompliance
		for i := range c.Items {
			switch c.Items[i].Org.ID {
			case f.b1.ID:
				b1 = &c.Items[i]
			case f.b3.ID:
				b3 = &c.Items[i]
			}
		}
		for _, l := range b1.Lapses {
			lapsed[l.MemberID] = l
		}
		if _, ok := lapsed[f.m1[8]]; !ok || !strings.Contains(lapsed[f.m1[8]].Source, "章程》第九条") {
			t.Errorf("郑党员 not flagged: %+v", b1.Lapses)
		}
		if l, ok := lapsed[f.mobile]; !ok || !l.Mobile || !strings.Contains(l.Text, "流入地") {
			t.Errorf("the 流动党员 should be flagged with a note: %+v", l)
		}
		if _, ok := lapsed[f.m1[7]]; ok {
			t.Errorf("a 补课 counts as taking part")
		}
		if _, ok := lapsed[f.m1[6]]; ok {
			t.Errorf("a present member was flagged")
		}
		if _, ok := lapsed[f.m1[9]]; ok {
			t.Errorf("冯预备 joined 2026-03-01, less than 6 months before: not flagged")
		}
		if len(b1.Lapses) != 2 {
			t.Errorf("b1 lapses: %+v", b1.Lapses)
		}
		// b3 held nothing: its own finding, not its members'.
		if b3 == nil || len(b3.Lapses) != 0 || len(b3.Findings) != 1 || b3.Findings[0].RuleID != "life.silent" {
			t.Fatalf("b3: %+v", b3)
		}
	})
}

func TestEvaluationsAndTalks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		_, err := f.s.CreateEvaluation(f.ctx, EvaluationInput{MemberID: f.m1[8], Year: 2025, Grade: "unqualified"})
		if field, _ := fieldOf(t, err); field != "disposal" {
			t.Fatalf("不合格 without a disposal: %v", err)
		}
		e, err := f.s.CreateEvaluation(f.ctx, EvaluationInput{MemberID: f.m1[8], Year: 2025, Grade: "unqualified", Disposal: "correct",
			Counts: map[string]int{"qualified": 3, "unqualified": 6}, DecidedOn: civil.New(2026, 1, 10)})
		if err != nil {
			t.Fatal(err)
		}
		if e.GradeName != "不合格" || e.DisposalName != "限期改正" || e.Counts["unqualified"] != 6 {
			t.Fatalf("evaluation: %+v", e)
		}
		if _, err := f.s.CreateEvaluation(f.ctx, EvaluationInput{MemberID: f.m1[8], Year: 2025, Grade: "qualified"}); err == nil {
			t.Fatal("a second result for the same year")
		}
		if _, err := f.s.CreateEvaluation(f.ctx, EvaluationInput{MemberID: f.m1[0], Year: 2025, Grade: "basic"}); err != nil {
			t.Fatalf("基本合格 with the default 4 grades: %v", err)
		}
		three := "3"
		if _, err := f.s.PutSettings(f.ctx, f.county.ID, Settings{GradeSet: &three}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.CreateEvaluation(f.ctx, EvaluationInput{MemberID: f.m1[1], Year: 2025, Grade: "basic"}); err == nil {
			t.Fatal("基本合格 accepted where the county uses 3 grades")
		}
		if _, err := f.s.CreateEvaluation(f.ctx, EvaluationInput{MemberID: f.m1[1], Year: 2025, Grade: "qualified", Disposal: "correct"}); err == nil {
			t.Fatal("a disposal for a qualified member")
		}
		list, err := f.s.Evaluations(f.ctx, f.b1.ID, 2025, "", api.Paging{Page: 1, Size: 50})
		if err != nil {
			t.Fatal(err)
		}
		if list.Total != 2 || list.ByGrade["unqualified"] != 1 || list.ByDisposal["correct"] != 1 || list.NotEvaluated != 7 || len(list.Grades) != 3 {
			t.Fatalf("list: total %d by %v %v not %d grades %v", list.Total, list.ByGrade, list.ByDisposal, list.NotEvaluated, list.Grades)
		}

		// Talks: b1 yearly coverage of members; village cadres (b1's 班子) quarterly.
		talker := f.m1[0]
		for _, with := range f.m1[1:4] {
			w := with
			if _, err := f.s.CreateTalk(f.ctx, TalkInput{OrgID: f.b1.ID, HeldOn: civil.New(2026, 7, 1), Kind: "committee_member", TalkerMemberID: &talker, WithMemberID: &w}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.s.CreateTalk(f.ctx, TalkInput{OrgID: f.b1.ID, HeldOn: civil.New(2026, 7, 1), Kind: "committee_member", TalkerName: "张书记", WithMemberID: &f.m2[0]}); err == nil {
			t.Fatal("a talk with a member of another branch")
		}
		if _, err := f.s.CreateTalk(f.ctx, TalkInput{OrgID: f.b1.ID, HeldOn: civil.New(2026, 9, 1), Kind: "committee_member", TalkerName: "张书记", WithName: "某人"}); err == nil {
			t.Fatal("a talk in the future")
		}
		cov, err := f.s.TalkCoverage(f.ctx, f.b1.ID, "branch", PeriodOf(Yearly, today), api.Paging{Page: 1, Size: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(cov.Items) != 1 || cov.Items[0].Total != 10 || cov.Items[0].Covered != 4 || cov.Items[0].Status != Pending {
			t.Fatalf("branch coverage: %+v", cov.Items)
		}
		committee, _, _ := f.s.committeeOn(f.ctx, f.b1.ID, today)
		for _, seat := range committee[:4] {
			id := seat.LeaderID
			if _, err := f.s.CreateTalk(f.ctx, TalkInput{OrgID: f.b1.ID, HeldOn: civil.New(2026, 7, 8), Kind: "township_village", TalkerName: "镇党委书记", WithLeaderID: &id}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.s.CreateTalk(f.ctx, TalkInput{OrgID: f.town.ID, HeldOn: civil.New(2026, 7, 8), Kind: "township_village", TalkerName: "镇党委书记", WithName: "某人"}); err == nil {
			t.Fatal("a village-cadre talk recorded on the township")
		}
		vc, err := f.s.TalkCoverage(f.ctx, f.town.ID, "village", PeriodOf(Quarterly, today), api.Paging{Page: 1, Size: 50})
		if err != nil {
			t.Fatal(err)
		}
		byOrg := map[int64]CoverageItem{}
		for _, it := range vc.Items {
			byOrg[it.Org.ID] = it
		}
		if it := byOrg[f.b1.ID]; it.Total != 5 || it.Covered != 4 || len(it.Uncovered) != 1 || it.Uncovered[0].Name != "钱纪检" || !strings.Contains(it.Source, "本地要求") {
			t.Fatalf("village coverage: %+v", it)
		}
	})
}

func TestWorkbench(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, err := f.s.Create(f.ctx, MeetingInput{OrgID: f.b1.ID, Type: TypeThemeDay, HeldOn: civil.New(2026, 8, 5), Attendance: attendance(f.m1, 9)}); err != nil {
			t.Fatal(err)
		}
		b1admin := access.With(context.Background(), &access.Principal{UserID: 7, Username: "b1", Grants: []access.Grant{{Role: "org-admin", OrgID: f.b1.ID, OrgPath: f.b1.Path}}})
		w, err := f.s.Workbench(b1admin)
		if err != nil {
			t.Fatal(err)
		}
		titles := map[string]WorkItem{}
		for _, it := range w.Items {
			if it.Source == "" || (it.Kind == "meeting" && it.DueOn.IsZero()) {
				t.Errorf("item without date or source: %+v", it)
			}
			if it.Org.ID != f.b1.ID && it.Org.ID != f.g1.ID {
				t.Errorf("item of another org: %+v", it)
			}
			titles[it.Title] = it
		}
		if _, ok := titles["2026年8月主题党日尚未召开"]; ok {
			t.Error("the August theme day was held")
		}
		if it, ok := titles["2026年第三季度支部党员大会尚未召开"]; !ok || it.DueOn != civil.New(2026, 9, 30) || it.Link != fmt.Sprintf("/life/meetings/%d?new=branch_congress", f.b1.ID) {
			t.Errorf("支部大会 reminder: %+v in %v", it, w.Items)
		}
		if _, ok := titles["2026年8月党小组会尚未召开"]; !ok {
			t.Errorf("the 党小组's reminder goes to its branch: %v", w.Items)
		}
		// The township admin gets the township's own duties, not every branch's.
		townAdmin := access.With(context.Background(), &access.Principal{UserID: 8, Username: "t", Grants: []access.Grant{{Role: "org-admin", OrgID: f.town.ID, OrgPath: f.town.Path}}})
		w, err = f.s.Workbench(townAdmin)
		if err != nil {
			t.Fatal(err)
		}
		var villageTalk bool
		for _, it := range w.Items {
			if it.Kind == "meeting" && it.Org.ID != f.town.ID {
				t.Errorf("a branch's meeting on the township's workbench: %+v", it)
			}
			villageTalk = villageTalk || (it.Kind == "talk" && strings.Contains(it.Title, "名村干部"))
		}
		if !villageTalk {
			t.Errorf("the township's quarterly talks with village cadres: %+v", w.Items)
		}
	})
}
