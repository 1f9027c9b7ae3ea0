package life

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/db"
)

// LoadMeetings records many past meetings in one transaction: a 党支部's old 台账 at once, or
// demo data. Every meeting goes through the checks Create makes (the organisation holds that
// type, the date, the roster of the day, the quorum, vote counts, no second record of the same
// type on the same day); the first refused one stops the load and nothing is saved. Each
// meeting keeps its first version as Create keeps it; one audit entry per call says what was
// loaded, instead of one per meeting. Returns how many meetings were recorded.
func (s *Store) LoadMeetings(ctx context.Context, summary string, ins []MeetingInput) (int, error) {
	if len(ins) == 0 {
		return 0, nil
	}
	n := 0
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		units := map[int64]*unit{}
		orgs := map[int64]bool{}
		for i := range ins {
			in := ins[i]
			trimInput(&in)
			u := units[in.OrgID]
			if u == nil {
				var err error
				if u, err = s.writableUnit(ctx, tx, in.OrgID); err != nil {
					if errors.Is(err, errOrgNotFound) {
						err = api.FieldInvalid("org_id", "组织不存在，或不在您的管理范围内")
					}
					return fmt.Errorf("第 %d 条会议记录（组织 %d）：%w", i+1, in.OrgID, err)
				}
				units[in.OrgID] = u
			}
			c, err := s.check(ctx, tx, u, in, 0)
			if err != nil {
				return fmt.Errorf("第 %d 条会议记录（%s %s %s）：%w", i+1, u.Name, in.HeldOn, typeName(in.Type), err)
			}
			if err := s.saveLoaded(ctx, tx, u, c); err != nil {
				return err
			}
			orgs[u.ID] = true
			n++
		}
		ids := make([]string, 0, len(orgs))
		for id := range orgs {
			ids = append(ids, strconv.FormatInt(id, 10))
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "meeting.load", Entity: "org", EntityID: strings.Join(ids, ","),
			Summary: fmt.Sprintf("%s：批量录入会议记录 %d 次", summary, n)})
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// saveLoaded writes a checked new meeting as save does, the attendance in multi-row inserts,
// and its first version from what was checked (the roster names the members).
func (s *Store) saveLoaded(ctx context.Context, tx *db.Tx, u *unit, c *checked) error {
	now := time.Now().UTC()
	in := c.in
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO meetings (org_id, type, also_types, held_on, start_time, end_time, place, host, topic, first_topic,
		agenda, minutes, decisions, study_hours, created_by, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
		u.ID, in.Type, strings.Join(in.AlsoTypes, ","), in.HeldOn, in.StartTime, in.EndTime, in.Place, in.Host, in.Topic, in.FirstTopic,
		in.Agenda, in.Minutes, in.Decisions, c.hours, username(ctx), now, now).Scan(&id)
	if err != nil {
		if db.IsUniqueViolation(err) {
			return api.FieldInvalid("held_on", "同一天已有一条同类会议记录，请勿重复记录")
		}
		return err
	}
	const batch = 200
	for rest := in.Attendance; len(rest) > 0; {
		k := min(len(rest), batch)
		var q strings.Builder
		q.WriteString(`INSERT INTO meeting_attendance (meeting_id, member_id, status, reason, makeup_on) VALUES `)
		args := make([]any, 0, 5*k)
		for j, a := range rest[:k] {
			if j > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, ?)")
			args = append(args, id, a.MemberID, a.Status, a.Reason, a.MakeupOn)
		}
		if _, err := tx.Exec(ctx, q.String(), args...); err != nil {
			return err
		}
		rest = rest[k:]
	}
	for i, v := range c.votes {
		if _, err := tx.Exec(ctx, `INSERT INTO meeting_votes (meeting_id, seq, subject, entitled, present_entitled, yes, no, abstain)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, i, v.Subject, v.Entitled, v.PresentEntitled, v.Yes, v.No, v.Abstain); err != nil {
			return err
		}
	}
	// The first version, as load would read the meeting back.
	m := Meeting{ID: id, Org: u.ref(), Type: in.Type, TypeName: c.typ.Name, AlsoTypes: append([]string{}, in.AlsoTypes...), HeldOn: in.HeldOn,
		StartTime: in.StartTime, EndTime: in.EndTime, Place: in.Place, Host: in.Host, Topic: in.Topic, FirstTopic: in.FirstTopic,
		Agenda: in.Agenda, Minutes: in.Minutes, Decisions: in.Decisions, StudyHours: c.hours, Attendance: []Attendance{},
		Votes: append([]Vote{}, c.votes...), Quorum: c.quorum, Warnings: []string{}, CreatedBy: username(ctx), Version: 1,
		CreatedAt: now, UpdatedAt: now}
	for _, a := range in.Attendance {
		m.Attendance = append(m.Attendance, Attendance{MemberID: a.MemberID, Name: c.roster.memberByID[a.MemberID].Name, Status: a.Status,
			StatusName: attendanceNames[a.Status], Reason: a.Reason, MakeupOn: a.MakeupOn})
		m.Counts.add(a.Status)
	}
	snap, err := json.Marshal(m)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO meeting_versions (meeting_id, version, snapshot, summary, user_id, username, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, 1, string(snap), fmt.Sprintf("记录 %s %s", in.HeldOn, c.typ.Name), userID(ctx), username(ctx), now)
	return err
}
