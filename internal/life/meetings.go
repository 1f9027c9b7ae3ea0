package life

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/org"
	"github.com/dangjian/dangjian/internal/rules"
)

// Meeting is one recorded meeting: the 台账 entry everything else is derived from.
type Meeting struct {
	ID         int64         `json:"id"`
	Org        Ref           `json:"org"`
	Type       string        `json:"type"`
	TypeName   string        `json:"type_name"`
	AlsoTypes  []string      `json:"also_types" doc:"同时计为的会议类型（如主题党日同时上党课）"`
	HeldOn     civil.Date    `json:"held_on"`
	StartTime  string        `json:"start_time" doc:"HH:MM，可不填"`
	EndTime    string        `json:"end_time"`
	Place      string        `json:"place"`
	Host       string        `json:"host" doc:"主持人（党课为主讲人）"`
	Topic      string        `json:"topic"`
	FirstTopic string        `json:"first_topic" doc:"第一议题"`
	Agenda     string        `json:"agenda"`
	Minutes    string        `json:"minutes"`
	Decisions  string        `json:"decisions"`
	StudyHours float64       `json:"study_hours"`
	Attendance []Attendance  `json:"attendance"`
	Counts     Counts        `json:"counts"`
	Votes      []Vote        `json:"votes"`
	Quorum     *QuorumResult `json:"quorum"`
	Warnings   []string      `json:"warnings" doc:"不阻止保存的提示"`
	CreatedBy  string        `json:"created_by"`
	Version    int           `json:"version"`
	CreatedAt  time.Time     `json:"created_at"`
	UpdatedAt  time.Time     `json:"updated_at"`
}

// Attendance is one member's attendance at a meeting.
type Attendance struct {
	MemberID   int64      `json:"member_id"`
	Name       string     `json:"name"`
	Status     string     `json:"status" doc:"present 出席 / leave 请假 / absent 缺席 / makeup 补课"`
	StatusName string     `json:"status_name"`
	Reason     string     `json:"reason"`
	MakeupOn   civil.Date `json:"makeup_on"`
}

// Counts sum up the attendance.
type Counts struct {
	Listed  int `json:"listed" doc:"出勤记录人数（应到）"`
	Present int `json:"present"`
	Leave   int `json:"leave"`
	Absent  int `json:"absent"`
	Makeup  int `json:"makeup"`
}

// AttendanceInput is one row of the attendance form.
type AttendanceInput struct {
	MemberID int64      `json:"member_id"`
	Status   string     `json:"status"`
	Reason   string     `json:"reason"`
	MakeupOn civil.Date `json:"makeup_on" doc:"补课日期（status 为 makeup 时必填）"`
}

// MeetingInput is a meeting to record.
type MeetingInput struct {
	OrgID      int64             `json:"org_id"`
	Type       string            `json:"type"`
	AlsoTypes  []string          `json:"also_types"`
	HeldOn     civil.Date        `json:"held_on"`
	StartTime  string            `json:"start_time"`
	EndTime    string            `json:"end_time"`
	Place      string            `json:"place"`
	Host       string            `json:"host"`
	Topic      string            `json:"topic"`
	FirstTopic string            `json:"first_topic"`
	Agenda     string            `json:"agenda"`
	Minutes    string            `json:"minutes"`
	Decisions  string            `json:"decisions"`
	StudyHours *float64          `json:"study_hours" doc:"不填取该类会议的默认学时"`
	Attendance []AttendanceInput `json:"attendance"`
	Votes      []VoteInput       `json:"votes"`
}

// MeetingPatch changes a recorded meeting; absent fields stay. A new version is kept.
type MeetingPatch struct {
	Type       *string            `json:"type"`
	AlsoTypes  *[]string          `json:"also_types"`
	HeldOn     *civil.Date        `json:"held_on"`
	StartTime  *string            `json:"start_time"`
	EndTime    *string            `json:"end_time"`
	Place      *string            `json:"place"`
	Host       *string            `json:"host"`
	Topic      *string            `json:"topic"`
	FirstTopic *string            `json:"first_topic"`
	Agenda     *string            `json:"agenda"`
	Minutes    *string            `json:"minutes"`
	Decisions  *string            `json:"decisions"`
	StudyHours *float64           `json:"study_hours"`
	Attendance *[]AttendanceInput `json:"attendance"`
	Votes      *[]VoteInput       `json:"votes"`
	Note       string             `json:"note" doc:"修改说明（记入版本）"`
	Version    int                `json:"version"`
}

// MakeupInput records that a member who missed a meeting made it up (补课).
type MakeupInput struct {
	MemberID int64      `json:"member_id"`
	On       civil.Date `json:"on"`
	Note     string     `json:"note"`
	Version  int        `json:"version"`
}

// VersionEntry is one saved version of a meeting.
type VersionEntry struct {
	Version  int             `json:"version"`
	Summary  string          `json:"summary"`
	Username string          `json:"username"`
	SavedAt  time.Time       `json:"saved_at"`
	Snapshot json.RawMessage `json:"snapshot" doc:"该版本的完整记录"`
}

var timePattern = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$`)

var errMeetingNotFound = api.NotFound("会议记录不存在，或不在您的管理范围内")

// checked is a validated meeting, ready to store.
type checked struct {
	in       MeetingInput
	typ      *MeetingType
	roster   *Roster
	votes    []Vote
	quorum   *QuorumResult
	warnings []string
	hours    float64
}

func checkText(f *api.Fields, field, label, v string, max int) {
	if utf8.RuneCountInString(v) > max {
		f.Add(field, fmt.Sprintf("%s最长%d字", label, max))
	}
}

// check validates in for organisation u (exceptID: the meeting being edited). Nothing is
// written; every problem is reported with the field it belongs to.
func (s *Store) check(ctx context.Context, tx *db.Tx, u *unit, in MeetingInput, exceptID int64) (*checked, error) {
	c := &checked{in: in}
	var f api.Fields
	t, ok := typeByCode(in.Type)
	switch {
	case in.Type == "":
		f.Add("type", "请选择会议类型")
	case !ok:
		f.Add("type", "未知的会议类型："+in.Type)
	case !t.heldBy(u.Type):
		f.Add("type", fmt.Sprintf("%s不召开“%s”（%s由%s召开）", u.Type.Name(), t.Name, t.Name, holderNames(t)))
	}
	c.typ = t
	seen := map[string]bool{in.Type: true}
	for i, code := range in.AlsoTypes {
		at, ok := typeByCode(code)
		field := fmt.Sprintf("also_types[%d]", i)
		switch {
		case !ok:
			f.Add(field, "未知的会议类型："+code)
		case seen[code]:
			f.Add(field, "“"+at.Name+"”重复")
		case !at.heldBy(u.Type):
			f.Add(field, fmt.Sprintf("%s不召开“%s”", u.Type.Name(), at.Name))
		case at.Quorum != QuorumNone:
			f.Add(field, "“"+at.Name+"”有到会人数要求，请单独记录")
		}
		seen[code] = true
	}
	today := s.Today()
	switch {
	case in.HeldOn.IsZero():
		f.Add("held_on", "请填写会议日期")
	case in.HeldOn.After(today):
		f.Add("held_on", "会议日期不能晚于今天（"+today.String()+"）：会议开过之后再记录")
	case !u.EstablishedOn.IsZero() && in.HeldOn.Before(u.EstablishedOn):
		f.Add("held_on", "会议日期早于“"+u.Name+"”的成立日期 "+u.EstablishedOn.String())
	case !u.DissolvedOn.IsZero() && in.HeldOn.After(u.DissolvedOn):
		f.Add("held_on", "会议日期晚于“"+u.Name+"”的撤销日期 "+u.DissolvedOn.String())
	}
	for _, tf := range []struct{ field, v string }{{"start_time", in.StartTime}, {"end_time", in.EndTime}} {
		if tf.v != "" && !timePattern.MatchString(tf.v) {
			f.Add(tf.field, "时间格式应为 HH:MM，如 09:30")
		}
	}
	if in.StartTime != "" && in.EndTime != "" && timePattern.MatchString(in.StartTime) && timePattern.MatchString(in.EndTime) && in.EndTime <= in.StartTime {
		f.Add("end_time", "结束时间应晚于开始时间")
	}
	checkText(&f, "place", "地点", in.Place, 100)
	checkText(&f, "host", "主持人", in.Host, 50)
	checkText(&f, "topic", "主题", in.Topic, 200)
	checkText(&f, "first_topic", "第一议题", in.FirstTopic, 1000)
	checkText(&f, "agenda", "议程", in.Agenda, 20000)
	checkText(&f, "minutes", "会议记录", in.Minutes, 50000)
	checkText(&f, "decisions", "决议", in.Decisions, 20000)
	if t != nil {
		c.hours = t.Hours
	}
	if in.StudyHours != nil {
		if h := *in.StudyHours; h < 0 || h > 24 || math.IsNaN(h) {
			f.Add("study_hours", "学时应在 0 到 24 之间")
		} else {
			c.hours = math.Round(h*10) / 10
		}
	}
	if f.Has("type") || f.Has("held_on") {
		return nil, f.Err()
	}

	// The roster on the meeting day decides who may be listed, who votes and the quorum.
	r, err := s.roster(ctx, tx, u, in.HeldOn, t.Code)
	if err != nil {
		return nil, err
	}
	c.roster = r
	listed := map[int64]bool{}
	presentVoting, presentCommittee, present := 0, 0, 0
	for i, a := range in.Attendance {
		field := fmt.Sprintf("attendance[%d]", i)
		m := r.memberByID[a.MemberID]
		switch {
		case m == nil:
			f.Add(field+".member_id", fmt.Sprintf("编号 %d 的党员不在“%s”%s的党员名册中（未入党、已转出或不在本组织）", a.MemberID, r.Source.Name, in.HeldOn))
			continue
		case listed[a.MemberID]:
			f.Add(field+".member_id", m.Name+"重复出现")
			continue
		}
		listed[a.MemberID] = true
		switch a.Status {
		case "present":
			present++
			if m.Voting {
				presentVoting++
			}
			if m.Committee {
				presentCommittee++
			}
		case "leave", "absent":
		case "makeup":
			switch {
			case a.MakeupOn.IsZero():
				f.Add(field+".makeup_on", m.Name+"：请填写补课日期")
			case a.MakeupOn.Before(in.HeldOn):
				f.Add(field+".makeup_on", m.Name+"：补课日期不能早于会议日期")
			case a.MakeupOn.After(today):
				f.Add(field+".makeup_on", m.Name+"：补课日期不能晚于今天")
			}
		default:
			f.Add(field+".status", m.Name+"：出勤状态应为出席、请假、缺席或补课")
		}
		checkText(&f, field+".reason", "请假/缺席原因", a.Reason, 200)
	}
	// Quorum: checked against the roster, not against what the form claims.
	switch t.Quorum {
	case QuorumVoting, QuorumElection:
		c.quorum = evalQuorum(t, r.Voting, presentVoting)
	case QuorumCommittee:
		if !r.HasCommittee {
			if !r.HasTerm {
				f.Add("type", "未录入"+in.HeldOn.String()+"时的班子，无法核对支委会到会人数：请先在组织管理中录入班子")
			} else {
				f.Add("type", fmt.Sprintf("%s的班子只有 %d 人，未设支部委员会，不召开支委会（可记为支部党员大会）", in.HeldOn, r.committeeSize))
			}
		} else {
			c.quorum = evalQuorum(t, r.committeeSize, presentCommittee)
		}
	}
	if c.quorum != nil && !c.quorum.OK {
		if c.quorum.Entitled == 0 {
			f.Add("attendance", "会议当日名册中没有有表决权的正式党员，不能召开"+t.Name)
		} else {
			f.Add("attendance", fmt.Sprintf("%s到会人数不足：%s（依据：%s）", t.Name, c.quorum.Text, c.quorum.Source))
		}
	}
	if len(in.Votes) > 0 && !t.Votes {
		f.Add("votes", "“"+t.Name+"”不记录表决；需要表决的事项请记在支部党员大会或支委会中")
	} else {
		entitled, presentE := r.Voting, presentVoting
		if t.Quorum == QuorumCommittee {
			entitled, presentE = r.committeeSize, presentCommittee
		}
		for i, v := range in.Votes {
			c.votes = append(c.votes, checkVote(v, entitled, presentE, fmt.Sprintf("votes[%d]", i), &f))
		}
	}
	if other, err := duplicate(ctx, tx, u.ID, t.Code, in.HeldOn, exceptID); err != nil {
		return nil, err
	} else if other != 0 {
		f.Add("held_on", fmt.Sprintf("“%s”%s已有一条%s记录（编号 %d），请修改那一条，不要重复记录", u.Name, in.HeldOn, t.Name, other))
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	c.warnings = s.warnings(ctx, tx, u, t, in)
	return c, nil
}

func holderNames(t *MeetingType) string {
	names := make([]string, 0, len(t.Holders))
	for _, h := range t.Holders {
		names = append(names, h.Name())
	}
	return strings.Join(names, "、")
}

func duplicate(ctx context.Context, tx *db.Tx, orgID int64, typ string, day civil.Date, except int64) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM meetings WHERE org_id = ? AND type = ? AND held_on = ? AND id <> ?`, orgID, typ, day, except).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// warnings are the reminders that do not block saving.
func (s *Store) warnings(ctx context.Context, tx *db.Tx, u *unit, t *MeetingType, in MeetingInput) []string {
	out := []string{}
	if t.Code == TypeCommitteeMeeting && strings.TrimSpace(in.FirstTopic) == "" {
		r := rules.Get("life.first_topic")
		out = append(out, "未填写第一议题（依据："+r.Source+"）")
	}
	if t.Code == TypeLifeMeeting && PeriodOf(Quarterly, in.HeldOn).N != 4 {
		out = append(out, "组织生活会一般安排在第四季度（依据："+rules.Get("life.life_meeting").Source+"）；根据工作需要随时召开的，可不理会本提示")
	}
	if t.Code == TypeThemeDay || slices.Contains(in.AlsoTypes, TypeThemeDay) {
		if e, err := s.effective(ctx, tx, u); err == nil && e.ThemeDay > 0 && themeDayOf(e.ThemeDay, in.HeldOn) != in.HeldOn {
			out = append(out, fmt.Sprintf("本支部主题党日固定为每月 %d 日；如本月调整了日期，可不理会本提示", e.ThemeDay))
		}
	}
	return out
}

// themeDayOf is the fixed 主题党日 in d's month (the month's last day when it has no such day).
func themeDayOf(day int, d civil.Date) civil.Date {
	first := civil.New(d.Year(), d.Time().Month(), 1)
	last := first.AddDate(0, 1, -1)
	if day > last.Time().Day() {
		return last
	}
	return civil.New(d.Year(), d.Time().Month(), day)
}

func trimInput(in *MeetingInput) {
	for _, p := range []*string{&in.Type, &in.StartTime, &in.EndTime, &in.Place, &in.Host, &in.Topic} {
		*p = strings.TrimSpace(*p)
	}
	for i := range in.Attendance {
		in.Attendance[i].Reason = strings.TrimSpace(in.Attendance[i].Reason)
		if in.Attendance[i].Status != "makeup" {
			in.Attendance[i].MakeupOn = civil.Date{}
		}
	}
	for i := range in.Votes {
		in.Votes[i].Subject = strings.TrimSpace(in.Votes[i].Subject)
	}
}

// save writes the meeting's rows (insert when id is 0) and its attendance and votes.
func (s *Store) save(ctx context.Context, tx *db.Tx, u *unit, id int64, c *checked) (int64, error) {
	now := time.Now().UTC()
	in := c.in
	also := strings.Join(in.AlsoTypes, ",")
	if id == 0 {
		err := tx.QueryRow(ctx, `INSERT INTO meetings (org_id, type, also_types, held_on, start_time, end_time, place, host, topic, first_topic,
			agenda, minutes, decisions, study_hours, created_by, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
			u.ID, in.Type, also, in.HeldOn, in.StartTime, in.EndTime, in.Place, in.Host, in.Topic, in.FirstTopic,
			in.Agenda, in.Minutes, in.Decisions, c.hours, username(ctx), now, now).Scan(&id)
		if err != nil {
			if db.IsUniqueViolation(err) {
				return 0, api.FieldInvalid("held_on", "同一天已有一条同类会议记录，请勿重复记录")
			}
			return 0, err
		}
	} else {
		_, err := tx.Exec(ctx, `UPDATE meetings SET type = ?, also_types = ?, held_on = ?, start_time = ?, end_time = ?, place = ?, host = ?,
			topic = ?, first_topic = ?, agenda = ?, minutes = ?, decisions = ?, study_hours = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			in.Type, also, in.HeldOn, in.StartTime, in.EndTime, in.Place, in.Host, in.Topic, in.FirstTopic,
			in.Agenda, in.Minutes, in.Decisions, c.hours, now, id)
		if err != nil {
			if db.IsUniqueViolation(err) {
				return 0, api.FieldInvalid("held_on", "同一天已有一条同类会议记录，请勿重复记录")
			}
			return 0, err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM meeting_attendance WHERE meeting_id = ?`, id); err != nil {
			return 0, err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM meeting_votes WHERE meeting_id = ?`, id); err != nil {
			return 0, err
		}
	}
	for _, a := range in.Attendance {
		if _, err := tx.Exec(ctx, `INSERT INTO meeting_attendance (meeting_id, member_id, status, reason, makeup_on) VALUES (?, ?, ?, ?, ?)`,
			id, a.MemberID, a.Status, a.Reason, a.MakeupOn); err != nil {
			return 0, err
		}
	}
	for i, v := range c.votes {
		if _, err := tx.Exec(ctx, `INSERT INTO meeting_votes (meeting_id, seq, subject, entitled, present_entitled, yes, no, abstain)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, i, v.Subject, v.Entitled, v.PresentEntitled, v.Yes, v.No, v.Abstain); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// keepVersion stores the meeting as it now is as a new version, and audits the change.
func (s *Store) keepVersion(ctx context.Context, tx *db.Tx, id int64, action, summary string, before *Meeting) (*Meeting, error) {
	m, err := s.load(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	snap, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO meeting_versions (meeting_id, version, snapshot, summary, user_id, username, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, m.Version, string(snap), summary, userID(ctx), username(ctx), time.Now().UTC()); err != nil {
		return nil, err
	}
	var b any
	if before != nil {
		b = before
	}
	return m, audit.Record(ctx, tx, audit.Entry{Action: action, Entity: "meeting", EntityID: strconv.FormatInt(id, 10),
		Summary: m.Org.Name + "：" + summary, Before: b, After: m})
}

// Create records a meeting.
func (s *Store) Create(ctx context.Context, in MeetingInput) (*Meeting, error) {
	trimInput(&in)
	var out *Meeting
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if in.OrgID == 0 {
			return api.FieldInvalid("org_id", "请选择召开会议的组织")
		}
		u, err := s.writableUnit(ctx, tx, in.OrgID)
		if errors.Is(err, errOrgNotFound) {
			return api.FieldInvalid("org_id", "组织不存在，或不在您的管理范围内")
		}
		if err != nil {
			return err
		}
		c, err := s.check(ctx, tx, u, in, 0)
		if err != nil {
			return err
		}
		id, err := s.save(ctx, tx, u, 0, c)
		if err != nil {
			return err
		}
		out, err = s.keepVersion(ctx, tx, id, "meeting.create", fmt.Sprintf("记录 %s %s", in.HeldOn, c.typ.Name), nil)
		if err != nil {
			return err
		}
		out.Warnings = c.warnings
		return nil
	})
	return out, err
}

// inputOf turns a stored meeting back into an input, for edits.
func inputOf(m *Meeting) MeetingInput {
	hours := m.StudyHours
	in := MeetingInput{OrgID: m.Org.ID, Type: m.Type, AlsoTypes: slices.Clone(m.AlsoTypes), HeldOn: m.HeldOn, StartTime: m.StartTime, EndTime: m.EndTime,
		Place: m.Place, Host: m.Host, Topic: m.Topic, FirstTopic: m.FirstTopic, Agenda: m.Agenda, Minutes: m.Minutes,
		Decisions: m.Decisions, StudyHours: &hours}
	for _, a := range m.Attendance {
		in.Attendance = append(in.Attendance, AttendanceInput{MemberID: a.MemberID, Status: a.Status, Reason: a.Reason, MakeupOn: a.MakeupOn})
	}
	for _, v := range m.Votes {
		e, p := v.Entitled, v.PresentEntitled
		in.Votes = append(in.Votes, VoteInput{Subject: v.Subject, Entitled: &e, PresentEntitled: &p, Yes: v.Yes, No: v.No, Abstain: v.Abstain})
	}
	return in
}

// writableMeeting loads a meeting the caller may change.
func (s *Store) writableMeeting(ctx context.Context, tx *db.Tx, id int64) (*Meeting, *unit, error) {
	m, err := s.load(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	u, err := s.writableUnit(ctx, tx, m.Org.ID)
	if errors.Is(err, errOrgNotFound) {
		return nil, nil, errMeetingNotFound
	}
	return m, u, err
}

// Update edits a meeting after the fact; the previous versions are kept.
func (s *Store) Update(ctx context.Context, id int64, p MeetingPatch) (*Meeting, error) {
	var out *Meeting
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		old, u, err := s.writableMeeting(ctx, tx, id)
		if err != nil {
			return err
		}
		if p.Version != old.Version {
			return api.Conflict("该会议记录已被他人修改，请刷新后重试")
		}
		in := inputOf(old)
		set(&in.Type, p.Type)
		set(&in.AlsoTypes, p.AlsoTypes)
		set(&in.HeldOn, p.HeldOn)
		set(&in.StartTime, p.StartTime)
		set(&in.EndTime, p.EndTime)
		set(&in.Place, p.Place)
		set(&in.Host, p.Host)
		set(&in.Topic, p.Topic)
		set(&in.FirstTopic, p.FirstTopic)
		set(&in.Agenda, p.Agenda)
		set(&in.Minutes, p.Minutes)
		set(&in.Decisions, p.Decisions)
		set(&in.Attendance, p.Attendance)
		set(&in.Votes, p.Votes)
		if p.StudyHours != nil {
			in.StudyHours = p.StudyHours
		}
		trimInput(&in)
		c, err := s.check(ctx, tx, u, in, id)
		if err != nil {
			return err
		}
		if _, err := s.save(ctx, tx, u, id, c); err != nil {
			return err
		}
		summary := "修改会议记录（第 " + strconv.Itoa(old.Version+1) + " 版）"
		if note := strings.TrimSpace(p.Note); note != "" {
			summary += "：" + note
		}
		out, err = s.keepVersion(ctx, tx, id, "meeting.update", summary, old)
		if err != nil {
			return err
		}
		out.Warnings = c.warnings
		return nil
	})
	return out, err
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// Makeup records a 补课 for a member who was on leave or absent.
func (s *Store) Makeup(ctx context.Context, id int64, in MakeupInput) (*Meeting, error) {
	var out *Meeting
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		old, _, err := s.writableMeeting(ctx, tx, id)
		if err != nil {
			return err
		}
		if in.Version != 0 && in.Version != old.Version {
			return api.Conflict("该会议记录已被他人修改，请刷新后重试")
		}
		var row *Attendance
		for i := range old.Attendance {
			if old.Attendance[i].MemberID == in.MemberID {
				row = &old.Attendance[i]
			}
		}
		var f api.Fields
		switch {
		case row == nil:
			f.Add("member_id", "该党员不在本次会议的出勤记录中")
		case row.Status == "present":
			f.Add("member_id", row.Name+"已出席本次会议，无需补课")
		case row.Status == "makeup":
			f.Add("member_id", row.Name+"已于 "+row.MakeupOn.String()+" 补课")
		}
		switch {
		case in.On.IsZero():
			f.Add("on", "请填写补课日期")
		case in.On.Before(old.HeldOn):
			f.Add("on", "补课日期不能早于会议日期 "+old.HeldOn.String())
		case in.On.After(s.Today()):
			f.Add("on", "补课日期不能晚于今天")
		}
		checkText(&f, "note", "补课说明", in.Note, 200)
		if err := f.Err(); err != nil {
			return err
		}
		reason := row.Reason
		if note := strings.TrimSpace(in.Note); note != "" {
			reason = strings.TrimSpace(reason + "；补课：" + note)
		}
		if _, err := tx.Exec(ctx, `UPDATE meeting_attendance SET status = 'makeup', makeup_on = ?, reason = ? WHERE meeting_id = ? AND member_id = ?`,
			in.On, reason, id, in.MemberID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE meetings SET version = version + 1, updated_at = ? WHERE id = ?`, time.Now().UTC(), id); err != nil {
			return err
		}
		out, err = s.keepVersion(ctx, tx, id, "meeting.makeup", fmt.Sprintf("%s于 %s 补课（%s %s）", row.Name, in.On, old.HeldOn, old.TypeName), old)
		return err
	})
	return out, err
}

// Delete removes a meeting recorded by mistake; the audit log keeps what it was.
func (s *Store) Delete(ctx context.Context, id int64) error {
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		m, _, err := s.writableMeeting(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE evaluations SET meeting_id = NULL WHERE meeting_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM meetings WHERE id = ?`, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "meeting.delete", Entity: "meeting", EntityID: strconv.FormatInt(id, 10),
			Summary: fmt.Sprintf("%s：删除误录入的会议记录（%s %s）", m.Org.Name, m.HeldOn, m.TypeName), Before: m})
	})
}

const meetingSelect = `SELECT mt.id, mt.org_id, o.code, o.name, o.type, mt.type, mt.also_types, mt.held_on, mt.start_time, mt.end_time, mt.place, mt.host,
	mt.topic, mt.first_topic, mt.agenda, mt.minutes, mt.decisions, mt.study_hours, mt.created_by, mt.version, mt.created_at, mt.updated_at
	FROM meetings mt JOIN orgs o ON o.id = mt.org_id`

func scanMeeting(row interface{ Scan(...any) error }) (*Meeting, error) {
	var m Meeting
	var also string
	err := row.Scan(&m.ID, &m.Org.ID, &m.Org.Code, &m.Org.Name, &m.Org.Type, &m.Type, &also, &m.HeldOn, &m.StartTime, &m.EndTime,
		&m.Place, &m.Host, &m.Topic, &m.FirstTopic, &m.Agenda, &m.Minutes, &m.Decisions, &m.StudyHours, &m.CreatedBy, &m.Version,
		&m.CreatedAt, &m.UpdatedAt)
	if err != nil {
		return nil, err
	}
	m.Org.TypeName = m.Org.Type.Name()
	m.TypeName = typeName(m.Type)
	m.AlsoTypes = []string{}
	if also != "" {
		m.AlsoTypes = strings.Split(also, ",")
	}
	m.Attendance, m.Votes, m.Warnings = []Attendance{}, []Vote{}, []string{}
	return &m, nil
}

// load reads one meeting the caller may read, with attendance, votes and quorum.
func (s *Store) load(ctx context.Context, q db.Querier, id int64) (*Meeting, error) {
	where, args := access.Filter(ctx, "o.path", access.OrgRead)
	m, err := scanMeeting(q.QueryRow(ctx, meetingSelect+` WHERE mt.id = ? AND `+where, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errMeetingNotFound
	}
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT a.member_id, m.name, a.status, a.reason, a.makeup_on, m.full_on FROM meeting_attendance a
		JOIN members m ON m.id = a.member_id WHERE a.meeting_id = ? ORDER BY a.member_id`, id)
	if err != nil {
		return nil, err
	}
	presentVoting := 0
	for rows.Next() {
		var a Attendance
		var fullOn civil.Date
		if err := rows.Scan(&a.MemberID, &a.Name, &a.Status, &a.Reason, &a.MakeupOn, &fullOn); err != nil {
			rows.Close()
			return nil, err
		}
		a.StatusName = attendanceNames[a.Status]
		m.Attendance = append(m.Attendance, a)
		m.Counts.add(a.Status)
		if a.Status == "present" && !fullOn.IsZero() && !fullOn.After(m.HeldOn) {
			presentVoting++
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	vrows, err := q.Query(ctx, `SELECT subject, entitled, present_entitled, yes, no, abstain FROM meeting_votes WHERE meeting_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	for vrows.Next() {
		var v Vote
		if err := vrows.Scan(&v.Subject, &v.Entitled, &v.PresentEntitled, &v.Yes, &v.No, &v.Abstain); err != nil {
			vrows.Close()
			return nil, err
		}
		v.Passed = Passes(v.Yes, v.Entitled)
		m.Votes = append(m.Votes, v)
	}
	vrows.Close()
	if err := vrows.Err(); err != nil {
		return nil, err
	}
	if t, ok := typeByCode(m.Type); ok && t.Quorum != QuorumNone {
		// Recomputed from the roster of the day, as it was checked when saved.
		if u, err := s.unit(ctx, q, m.Org.ID); err == nil {
			if r, err := s.roster(ctx, q, u, m.HeldOn, m.Type); err == nil {
				if t.Quorum == QuorumCommittee {
					n := 0
					for _, a := range m.Attendance {
						if rm := r.memberByID[a.MemberID]; rm != nil && rm.Committee && a.Status == "present" {
							n++
						}
					}
					if r.HasCommittee {
						m.Quorum = evalQuorum(t, r.committeeSize, n)
					}
				} else {
					m.Quorum = evalQuorum(t, r.Voting, presentVoting)
				}
			}
		}
	}
	return m, nil
}

func (c *Counts) add(status string) {
	c.Listed++
	switch status {
	case "present":
		c.Present++
	case "leave":
		c.Leave++
	case "absent":
		c.Absent++
	case "makeup":
		c.Makeup++
	}
}

// Get returns one meeting.
func (s *Store) Get(ctx context.Context, id int64) (*Meeting, error) { return s.load(ctx, s.db, id) }

// Versions lists a meeting's saved versions, newest first.
func (s *Store) Versions(ctx context.Context, id int64) ([]VersionEntry, error) {
	if _, err := s.load(ctx, s.db, id); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT version, summary, username, saved_at, snapshot FROM meeting_versions WHERE meeting_id = ? ORDER BY version DESC`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []VersionEntry{}
	for rows.Next() {
		var v VersionEntry
		var snap string
		if err := rows.Scan(&v.Version, &v.Summary, &v.Username, &v.SavedAt, &snap); err != nil {
			return nil, err
		}
		v.Snapshot = json.RawMessage(snap)
		out = append(out, v)
	}
	return out, rows.Err()
}

// MeetingSummary is a meeting in a list.
type MeetingSummary struct {
	ID         int64      `json:"id"`
	Org        Ref        `json:"org"`
	Type       string     `json:"type"`
	TypeName   string     `json:"type_name"`
	AlsoTypes  []string   `json:"also_types"`
	HeldOn     civil.Date `json:"held_on"`
	Topic      string     `json:"topic"`
	Place      string     `json:"place"`
	StudyHours float64    `json:"study_hours"`
	Counts     Counts     `json:"counts"`
	Version    int        `json:"version"`
}

// ListFilter selects meetings.
type ListFilter struct {
	Org      int64 // subtree root, included; 0: the caller's whole scope
	Type     string
	From, To civil.Date
}

// List returns a page of meetings of a subtree, newest first.
func (s *Store) List(ctx context.Context, f ListFilter, page api.Paging) (api.List[MeetingSummary], error) {
	out := api.List[MeetingSummary]{Items: []MeetingSummary{}, Page: page.Page, PageSize: page.Size}
	where, args := access.Filter(ctx, "o.path", access.OrgRead)
	if f.Org != 0 {
		u, err := s.unit(ctx, s.db, f.Org)
		if err != nil {
			return out, err
		}
		where += " AND o.path LIKE ?"
		args = append(args, u.Path+"%")
	}
	if f.Type != "" {
		if _, ok := typeByCode(f.Type); !ok {
			return out, api.FieldInvalid("type", "未知的会议类型")
		}
		where += " AND (mt.type = ? OR ',' || mt.also_types || ',' LIKE ?)"
		args = append(args, f.Type, "%,"+f.Type+",%")
	}
	if !f.From.IsZero() {
		where += " AND mt.held_on >= ?"
		args = append(args, f.From)
	}
	if !f.To.IsZero() {
		where += " AND mt.held_on <= ?"
		args = append(args, f.To)
	}
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM meetings mt JOIN orgs o ON o.id = mt.org_id WHERE `+where, args...).Scan(&out.Total); err != nil {
		return out, err
	}
	rows, err := s.db.Query(ctx, `SELECT mt.id, mt.org_id, o.code, o.name, o.type, mt.type, mt.also_types, mt.held_on, mt.topic, mt.place, mt.study_hours, mt.version,
		(SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = mt.id),
		(SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = mt.id AND a.status = 'present'),
		(SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = mt.id AND a.status = 'leave'),
		(SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = mt.id AND a.status = 'absent'),
		(SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = mt.id AND a.status = 'makeup')
		FROM meetings mt JOIN orgs o ON o.id = mt.org_id WHERE `+where+` ORDER BY mt.held_on DESC, mt.id DESC LIMIT ? OFFSET ?`,
		append(args, page.Size, page.Offset())...)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var m MeetingSummary
		var also string
		if err := rows.Scan(&m.ID, &m.Org.ID, &m.Org.Code, &m.Org.Name, &m.Org.Type, &m.Type, &also, &m.HeldOn, &m.Topic, &m.Place, &m.StudyHours,
			&m.Version, &m.Counts.Listed, &m.Counts.Present, &m.Counts.Leave, &m.Counts.Absent, &m.Counts.Makeup); err != nil {
			return out, err
		}
		m.Org.TypeName = m.Org.Type.Name()
		m.TypeName = typeName(m.Type)
		m.AlsoTypes = []string{}
		if also != "" {
			m.AlsoTypes = strings.Split(also, ",")
		}
		out.Items = append(out.Items, m)
	}
	return out, rows.Err()
}

// holdsLife reports whether an organisation of type t holds any meeting type at all.
func holdsLife(t org.Type) bool {
	for _, mt := range meetingTypes {
		if mt.heldBy(t) {
			return true
		}
	}
	return false
}
