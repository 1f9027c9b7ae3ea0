package life

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dangjian/dangjian/internal/access"
	"github.com/dangjian/dangjian/internal/api"
	"github.com/dangjian/dangjian/internal/audit"
	"github.com/dangjian/dangjian/internal/civil"
	"github.com/dangjian/dangjian/internal/db"
	"github.com/dangjian/dangjian/internal/rules"
)

// Evaluation is one member's 民主评议 result for a year.
type Evaluation struct {
	ID             int64          `json:"id"`
	Org            Ref            `json:"org"`
	MemberID       int64          `json:"member_id"`
	MemberName     string         `json:"member_name"`
	Year           int            `json:"year"`
	MeetingID      *int64         `json:"meeting_id" doc:"开展评议的会议（可不填）"`
	SelfAssessment string         `json:"self_assessment" doc:"个人自评（党性分析）"`
	Counts         map[string]int `json:"counts" doc:"党员互评、民主测评的票数，按等次"`
	Grade          string         `json:"grade"`
	GradeName      string         `json:"grade_name"`
	Disposal       string         `json:"disposal" doc:"不合格党员的组织处置"`
	DisposalName   string         `json:"disposal_name"`
	DisposalNote   string         `json:"disposal_note"`
	DecidedOn      civil.Date     `json:"decided_on" doc:"评定日期（支委会或党员大会提出评定意见之日）"`
	CreatedBy      string         `json:"created_by"`
	Version        int            `json:"version"`
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`
}

// EvaluationInput is a result to record.
type EvaluationInput struct {
	MemberID       int64          `json:"member_id"`
	Year           int            `json:"year"`
	MeetingID      *int64         `json:"meeting_id"`
	SelfAssessment string         `json:"self_assessment"`
	Counts         map[string]int `json:"counts"`
	Grade          string         `json:"grade"`
	Disposal       string         `json:"disposal"`
	DisposalNote   string         `json:"disposal_note"`
	DecidedOn      civil.Date     `json:"decided_on"`
}

// EvaluationPatch changes a result; absent fields stay.
type EvaluationPatch struct {
	MeetingID      *int64          `json:"meeting_id"`
	SelfAssessment *string         `json:"self_assessment"`
	Counts         *map[string]int `json:"counts"`
	Grade          *string         `json:"grade"`
	Disposal       *string         `json:"disposal"`
	DisposalNote   *string         `json:"disposal_note"`
	DecidedOn      *civil.Date     `json:"decided_on"`
	Version        int             `json:"version"`
}

// EvaluationList is a page of results with the year's tally (the 党内统计 民主评议党员情况).
type EvaluationList struct {
	api.List[Evaluation]
	Grades       []Option       `json:"grades" doc:"本组织执行的等次"`
	ByGrade      map[string]int `json:"by_grade"`
	ByDisposal   map[string]int `json:"by_disposal"`
	NotEvaluated int            `json:"not_evaluated" doc:"年底前已入党、尚无该年度评议结果的党员数"`
}

var errEvaluationNotFound = api.NotFound("评议记录不存在，或不在您的管理范围内")

type memberRow struct {
	id             int64
	name           string
	orgID          int64
	joined, fullOn civil.Date
	status         string
}

func loadMember(ctx context.Context, q db.Querier, id int64) (*memberRow, error) {
	var m memberRow
	err := q.QueryRow(ctx, `SELECT id, name, org_id, joined_on, full_on, status FROM members WHERE id = ?`, id).
		Scan(&m.id, &m.name, &m.orgID, &m.joined, &m.fullOn, &m.status)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &m, err
}

// checkEvaluation validates in for member m of organisation u.
func (s *Store) checkEvaluation(ctx context.Context, tx *db.Tx, u *unit, m *memberRow, in *EvaluationInput, except int64) error {
	var f api.Fields
	today := s.Today()
	switch {
	case in.Year < 1921 || in.Year > today.Year():
		f.Add("year", fmt.Sprintf("评议年度应在 1921 到 %d 之间", today.Year()))
	case m.joined.Year() > in.Year:
		f.Add("year", fmt.Sprintf("%s %s 入党，不参加 %d 年度的评议", m.name, m.joined, in.Year))
	}
	e, err := s.effective(ctx, tx, u)
	if err != nil {
		return err
	}
	grades := e.Grades
	if optionName(grades, in.Grade) == "" {
		names := make([]string, len(grades))
		for i, g := range grades {
			names[i] = g.Name
		}
		f.Add("grade", "请选择评定等次："+strings.Join(names, "、")+"（依据："+rules.Get("life.review.grades").Source+"）")
	}
	for code, n := range in.Counts {
		if optionName(grades, code) == "" {
			f.Add("counts."+code, "不是本组织执行的评议等次："+code)
		} else if n < 0 || n > 100000 {
			f.Add("counts."+code, "票数不能为负数")
		}
	}
	switch {
	case in.Grade == "unqualified" && in.Disposal == "":
		f.Add("disposal", "评定为不合格的，请填写组织处置（依据："+rules.Get("life.review.disposal").Source+"）")
	case in.Grade != "unqualified" && in.Disposal != "":
		f.Add("disposal", "只有评定为不合格的党员才填写组织处置")
	case in.Disposal != "" && optionName(disposals, in.Disposal) == "":
		f.Add("disposal", "未知的处置方式")
	case in.Disposal == "cancel_probation" && !m.fullOn.IsZero() && (in.DecidedOn.IsZero() || !m.fullOn.After(in.DecidedOn)):
		f.Add("disposal", m.name+"是正式党员，不适用“取消预备党员资格”")
	}
	if !in.DecidedOn.IsZero() {
		switch {
		case in.DecidedOn.After(today):
			f.Add("decided_on", "评定日期不能晚于今天")
		case in.DecidedOn.Year() < in.Year || in.DecidedOn.Year() > in.Year+1:
			f.Add("decided_on", fmt.Sprintf("评定日期应在 %d 年或次年年初", in.Year))
		}
	}
	checkText(&f, "self_assessment", "个人自评", in.SelfAssessment, 10000)
	checkText(&f, "disposal_note", "处置说明", in.DisposalNote, 1000)
	if in.MeetingID != nil {
		mt, err := s.load(ctx, tx, *in.MeetingID)
		switch {
		case err != nil:
			f.Add("meeting_id", "评议会议不存在，或不在您的管理范围内")
		case mt.HeldOn.Year() != in.Year:
			f.Add("meeting_id", fmt.Sprintf("该会议于 %s 召开，不是 %d 年度", mt.HeldOn, in.Year))
		case mt.Org.ID != u.ID:
			f.Add("meeting_id", "该会议不是“"+u.Name+"”召开的")
		}
	}
	if !f.Has("year") {
		var other int64
		err := tx.QueryRow(ctx, `SELECT id FROM evaluations WHERE member_id = ? AND year = ? AND id <> ?`, m.id, in.Year, except).Scan(&other)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		default:
			f.Add("year", fmt.Sprintf("%s已有 %d 年度的评议结果（编号 %d），请修改那一条", m.name, in.Year, other))
		}
	}
	return f.Err()
}

// CreateEvaluation records a member's 民主评议 result.
func (s *Store) CreateEvaluation(ctx context.Context, in EvaluationInput) (*Evaluation, error) {
	in.SelfAssessment, in.DisposalNote = strings.TrimSpace(in.SelfAssessment), strings.TrimSpace(in.DisposalNote)
	var id int64
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		m, err := loadMember(ctx, tx, in.MemberID)
		if err != nil {
			return err
		}
		if m == nil {
			return api.FieldInvalid("member_id", "党员不存在，或不在您的管理范围内")
		}
		u, err := s.writableUnit(ctx, tx, m.orgID)
		if errors.Is(err, errOrgNotFound) {
			return api.FieldInvalid("member_id", "党员不存在，或不在您的管理范围内")
		}
		if err != nil {
			return err
		}
		if err := s.checkEvaluation(ctx, tx, u, m, &in, 0); err != nil {
			return err
		}
		counts, _ := json.Marshal(nonNil(in.Counts))
		now := time.Now().UTC()
		if err := tx.QueryRow(ctx, `INSERT INTO evaluations (org_id, member_id, year, meeting_id, self_assessment, counts, grade, disposal, disposal_note,
			decided_on, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			u.ID, m.id, in.Year, in.MeetingID, in.SelfAssessment, string(counts), in.Grade, in.Disposal, in.DisposalNote, in.DecidedOn,
			username(ctx), now, now).Scan(&id); err != nil {
			if db.IsUniqueViolation(err) {
				return api.FieldInvalid("year", "该党员已有这一年度的评议结果")
			}
			return err
		}
		after, err := s.evaluation(ctx, tx, id)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "evaluation.create", Entity: "evaluation", EntityID: strconv.FormatInt(id, 10),
			Summary: fmt.Sprintf("%s：登记%s %d 年度民主评议结果（%s）", u.Name, m.name, in.Year, after.GradeName), After: after})
	})
	if err != nil {
		return nil, err
	}
	return s.evaluation(ctx, s.db, id)
}

func nonNil(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}

const evaluationSelect = `SELECT e.id, e.org_id, o.code, o.name, o.type, e.member_id, m.name, e.year, e.meeting_id, e.self_assessment, e.counts,
	e.grade, e.disposal, e.disposal_note, e.decided_on, e.created_by, e.version, e.created_at, e.updated_at
	FROM evaluations e JOIN orgs o ON o.id = e.org_id JOIN members m ON m.id = e.member_id`

func scanEvaluation(row interface{ Scan(...any) error }) (*Evaluation, error) {
	var e Evaluation
	var counts string
	if err := row.Scan(&e.ID, &e.Org.ID, &e.Org.Code, &e.Org.Name, &e.Org.Type, &e.MemberID, &e.MemberName, &e.Year, &e.MeetingID,
		&e.SelfAssessment, &counts, &e.Grade, &e.Disposal, &e.DisposalNote, &e.DecidedOn, &e.CreatedBy, &e.Version, &e.CreatedAt, &e.UpdatedAt); err != nil {
		return nil, err
	}
	e.Org.TypeName = e.Org.Type.Name()
	e.Counts = map[string]int{}
	_ = json.Unmarshal([]byte(counts), &e.Counts)
	e.GradeName = optionName(grades4, e.Grade)
	e.DisposalName = optionName(disposals, e.Disposal)
	return &e, nil
}

func (s *Store) evaluation(ctx context.Context, q db.Querier, id int64) (*Evaluation, error) {
	where, args := access.Filter(ctx, "o.path", access.OrgRead)
	e, err := scanEvaluation(q.QueryRow(ctx, evaluationSelect+` WHERE e.id = ? AND `+where, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errEvaluationNotFound
	}
	return e, err
}

// GetEvaluation returns one result.
func (s *Store) GetEvaluation(ctx context.Context, id int64) (*Evaluation, error) {
	return s.evaluation(ctx, s.db, id)
}

// UpdateEvaluation changes a result.
func (s *Store) UpdateEvaluation(ctx context.Context, id int64, p EvaluationPatch) (*Evaluation, error) {
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		old, err := s.evaluation(ctx, tx, id)
		if err != nil {
			return err
		}
		u, err := s.writableUnit(ctx, tx, old.Org.ID)
		if errors.Is(err, errOrgNotFound) {
			return errEvaluationNotFound
		}
		if err != nil {
			return err
		}
		if p.Version != old.Version {
			return api.Conflict("该评议记录已被他人修改，请刷新后重试")
		}
		in := EvaluationInput{MemberID: old.MemberID, Year: old.Year, MeetingID: old.MeetingID, SelfAssessment: old.SelfAssessment,
			Counts: old.Counts, Grade: old.Grade, Disposal: old.Disposal, DisposalNote: old.DisposalNote, DecidedOn: old.DecidedOn}
		if p.MeetingID != nil {
			if *p.MeetingID == 0 {
				in.MeetingID = nil
			} else {
				in.MeetingID = p.MeetingID
			}
		}
		set(&in.SelfAssessment, p.SelfAssessment)
		set(&in.Counts, p.Counts)
		set(&in.Grade, p.Grade)
		set(&in.Disposal, p.Disposal)
		set(&in.DisposalNote, p.DisposalNote)
		set(&in.DecidedOn, p.DecidedOn)
		in.SelfAssessment, in.DisposalNote = strings.TrimSpace(in.SelfAssessment), strings.TrimSpace(in.DisposalNote)
		m, err := loadMember(ctx, tx, old.MemberID)
		if err != nil || m == nil {
			return errors.Join(err, errEvaluationNotFound)
		}
		if err := s.checkEvaluation(ctx, tx, u, m, &in, id); err != nil {
			return err
		}
		counts, _ := json.Marshal(nonNil(in.Counts))
		if _, err := tx.Exec(ctx, `UPDATE evaluations SET meeting_id = ?, self_assessment = ?, counts = ?, grade = ?, disposal = ?, disposal_note = ?,
			decided_on = ?, updated_at = ?, version = version + 1 WHERE id = ?`, in.MeetingID, in.SelfAssessment, string(counts), in.Grade,
			in.Disposal, in.DisposalNote, in.DecidedOn, time.Now().UTC(), id); err != nil {
			return err
		}
		after, err := s.evaluation(ctx, tx, id)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "evaluation.update", Entity: "evaluation", EntityID: strconv.FormatInt(id, 10),
			Summary: fmt.Sprintf("%s：修改%s %d 年度民主评议结果", u.Name, old.MemberName, old.Year), Before: old, After: after})
	})
	if err != nil {
		return nil, err
	}
	return s.evaluation(ctx, s.db, id)
}

// DeleteEvaluation removes a result entered by mistake.
func (s *Store) DeleteEvaluation(ctx context.Context, id int64) error {
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		old, err := s.evaluation(ctx, tx, id)
		if err != nil {
			return err
		}
		u, err := s.writableUnit(ctx, tx, old.Org.ID)
		if errors.Is(err, errOrgNotFound) {
			return errEvaluationNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM evaluations WHERE id = ?`, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "evaluation.delete", Entity: "evaluation", EntityID: strconv.FormatInt(id, 10),
			Summary: fmt.Sprintf("%s：删除误录入的%s %d 年度评议结果", u.Name, old.MemberName, old.Year), Before: old})
	})
}

// Evaluations lists the results of a subtree for a year, with the tally.
func (s *Store) Evaluations(ctx context.Context, orgID int64, year int, grade string, page api.Paging) (*EvaluationList, error) {
	root, err := s.unitRequired(ctx, orgID)
	if err != nil {
		return nil, err
	}
	e, err := s.effective(ctx, s.db, root)
	if err != nil {
		return nil, err
	}
	out := &EvaluationList{List: api.List[Evaluation]{Items: []Evaluation{}, Page: page.Page, PageSize: page.Size},
		Grades: e.Grades, ByGrade: map[string]int{}, ByDisposal: map[string]int{}}
	where, args := access.Filter(ctx, "o.path", access.OrgRead)
	where += " AND o.path LIKE ? AND e.year = ?"
	args = append(args, root.Path+"%", year)
	rows, err := s.db.Query(ctx, `SELECT e.grade, e.disposal, COUNT(*) FROM evaluations e JOIN orgs o ON o.id = e.org_id WHERE `+where+` GROUP BY e.grade, e.disposal`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var g, d string
		var n int
		if err := rows.Scan(&g, &d, &n); err != nil {
			rows.Close()
			return nil, err
		}
		out.ByGrade[g] += n
		if d != "" {
			out.ByDisposal[d] += n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	mwhere, margs := access.Filter(ctx, "o.path", access.OrgRead)
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE ? AND `+mwhere+`
		AND m.status = 'normal' AND m.joined_on <= ? AND NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.member_id = m.id AND e.year = ?)`,
		append(append([]any{root.Path + "%"}, margs...), civil.New(year, 12, 31), year)...).Scan(&out.NotEvaluated); err != nil {
		return nil, err
	}
	if grade != "" {
		where += " AND e.grade = ?"
		args = append(args, grade)
	}
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM evaluations e JOIN orgs o ON o.id = e.org_id WHERE `+where, args...).Scan(&out.Total); err != nil {
		return nil, err
	}
	lrows, err := s.db.Query(ctx, evaluationSelect+` WHERE `+where+` ORDER BY o.path, e.member_id LIMIT ? OFFSET ?`, append(args, page.Size, page.Offset())...)
	if err != nil {
		return nil, err
	}
	defer lrows.Close()
	for lrows.Next() {
		ev, err := scanEvaluation(lrows)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, *ev)
	}
	return out, lrows.Err()
}
