package life

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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

// Talk is one 谈心谈话, recorded with the organisation of the person talked with.
type Talk struct {
	ID             int64      `json:"id"`
	Org            Ref        `json:"org"`
	HeldOn         civil.Date `json:"held_on"`
	Kind           string     `json:"kind"`
	KindName       string     `json:"kind_name"`
	TalkerMemberID *int64     `json:"talker_member_id"`
	TalkerName     string     `json:"talker_name" doc:"谈话人（可为上级班子成员，不必是本支部党员）"`
	WithMemberID   *int64     `json:"with_member_id" doc:"谈话对象（本组织党员）"`
	WithLeaderID   *int64     `json:"with_leader_id" doc:"谈话对象（本组织班子成员，村干部覆盖按此统计）"`
	WithName       string     `json:"with_name"`
	Summary        string     `json:"summary" doc:"谈话要点（可不填）"`
	CreatedBy      string     `json:"created_by"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// TalkInput is a talk to record.
type TalkInput struct {
	OrgID          int64      `json:"org_id"`
	HeldOn         civil.Date `json:"held_on"`
	Kind           string     `json:"kind"`
	TalkerMemberID *int64     `json:"talker_member_id"`
	TalkerName     string     `json:"talker_name"`
	WithMemberID   *int64     `json:"with_member_id"`
	WithLeaderID   *int64     `json:"with_leader_id"`
	WithName       string     `json:"with_name"`
	Summary        string     `json:"summary"`
}

// TalkPatch changes a talk; absent fields stay.
type TalkPatch struct {
	HeldOn         *civil.Date `json:"held_on"`
	Kind           *string     `json:"kind"`
	TalkerMemberID *int64      `json:"talker_member_id" doc:"0 清除"`
	TalkerName     *string     `json:"talker_name"`
	WithMemberID   *int64      `json:"with_member_id" doc:"0 清除"`
	WithLeaderID   *int64      `json:"with_leader_id" doc:"0 清除"`
	WithName       *string     `json:"with_name"`
	Summary        *string     `json:"summary"`
}

var errTalkNotFound = api.NotFound("谈心谈话记录不存在，或不在您的管理范围内")

// checkTalk validates in against organisation u and fills the names from the records.
func (s *Store) checkTalk(ctx context.Context, tx *db.Tx, u *unit, in *TalkInput) error {
	var f api.Fields
	today := s.Today()
	switch {
	case in.HeldOn.IsZero():
		f.Add("held_on", "请填写谈话日期")
	case in.HeldOn.After(today):
		f.Add("held_on", "谈话日期不能晚于今天")
	case !u.EstablishedOn.IsZero() && in.HeldOn.Before(u.EstablishedOn):
		f.Add("held_on", "谈话日期早于“"+u.Name+"”的成立日期 "+u.EstablishedOn.String())
	}
	switch {
	case optionName(talkKinds, in.Kind) == "":
		f.Add("kind", "请选择谈话类别")
	case in.Kind == "township_village" && u.UnitType != org.UnitVillage:
		f.Add("kind", "乡镇（街道）班子与村干部的谈心谈话，请记在村党组织下（“"+u.Name+"”不是建制村党组织）")
	}
	if in.TalkerMemberID != nil {
		m, err := loadMember(ctx, tx, *in.TalkerMemberID)
		if err != nil {
			return err
		}
		if m == nil || !s.memberReadable(ctx, tx, m) {
			f.Add("talker_member_id", "谈话人不存在，或不在您的管理范围内")
		} else {
			in.TalkerName = m.name
		}
	}
	switch {
	case in.WithLeaderID != nil:
		var name string
		err := tx.QueryRow(ctx, `SELECT l.name FROM org_leaders l JOIN org_terms t ON t.id = l.term_id WHERE l.id = ? AND t.org_id = ?`, *in.WithLeaderID, u.ID).Scan(&name)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			f.Add("with_leader_id", "谈话对象不是“"+u.Name+"”的班子成员")
		case err != nil:
			return err
		default:
			in.WithName = name
		}
		if in.WithMemberID != nil {
			f.Add("with_member_id", "谈话对象请只选一项：党员或班子成员")
		}
	case in.WithMemberID != nil:
		m, err := loadMember(ctx, tx, *in.WithMemberID)
		if err != nil {
			return err
		}
		r, err := s.roster(ctx, tx, u, in.HeldOn, "")
		if err != nil {
			return err
		}
		if m == nil || r.memberByID[m.id] == nil {
			f.Add("with_member_id", "谈话对象不在“"+r.Source.Name+"”的党员名册中")
		} else {
			in.WithName = m.name
		}
	}
	if n := utf8.RuneCountInString(in.TalkerName); n == 0 || n > 30 {
		f.Add("talker_name", "请填写谈话人姓名（最长30字）")
	}
	if n := utf8.RuneCountInString(in.WithName); n == 0 || n > 30 {
		f.Add("with_name", "请填写谈话对象姓名（最长30字）")
	}
	if in.TalkerMemberID != nil && in.WithMemberID != nil && *in.TalkerMemberID == *in.WithMemberID {
		f.Add("with_member_id", "谈话人和谈话对象是同一人")
	}
	checkText(&f, "summary", "谈话要点", in.Summary, 2000)
	return f.Err()
}

func (s *Store) memberReadable(ctx context.Context, q db.Querier, m *memberRow) bool {
	var path string
	if err := q.QueryRow(ctx, `SELECT path FROM orgs WHERE id = ?`, m.orgID).Scan(&path); err != nil {
		return false
	}
	return access.Covers(ctx, access.OrgRead, path)
}

func trimTalk(in *TalkInput) {
	in.Kind, in.TalkerName, in.WithName, in.Summary = strings.TrimSpace(in.Kind), strings.TrimSpace(in.TalkerName), strings.TrimSpace(in.WithName), strings.TrimSpace(in.Summary)
}

// CreateTalk records a 谈心谈话.
func (s *Store) CreateTalk(ctx context.Context, in TalkInput) (*Talk, error) {
	trimTalk(&in)
	var id int64
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if in.OrgID == 0 {
			return api.FieldInvalid("org_id", "请选择谈话对象所在的组织")
		}
		u, err := s.writableUnit(ctx, tx, in.OrgID)
		if errors.Is(err, errOrgNotFound) {
			return api.FieldInvalid("org_id", "组织不存在，或不在您的管理范围内")
		}
		if err != nil {
			return err
		}
		if err := s.checkTalk(ctx, tx, u, &in); err != nil {
			return err
		}
		now := time.Now().UTC()
		if err := tx.QueryRow(ctx, `INSERT INTO talks (org_id, held_on, kind, talker_member_id, talker_name, with_member_id, with_leader_id, with_name,
			summary, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			u.ID, in.HeldOn, in.Kind, in.TalkerMemberID, in.TalkerName, in.WithMemberID, in.WithLeaderID, in.WithName, in.Summary,
			username(ctx), now, now).Scan(&id); err != nil {
			return err
		}
		after, err := s.talk(ctx, tx, id)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "talk.create", Entity: "talk", EntityID: strconv.FormatInt(id, 10),
			Summary: fmt.Sprintf("%s：记录 %s %s与%s的谈心谈话", u.Name, in.HeldOn, in.TalkerName, in.WithName), After: after})
	})
	if err != nil {
		return nil, err
	}
	return s.talk(ctx, s.db, id)
}

const talkSelect = `SELECT t.id, t.org_id, o.code, o.name, o.type, t.held_on, t.kind, t.talker_member_id, t.talker_name, t.with_member_id, t.with_leader_id,
	t.with_name, t.summary, t.created_by, t.created_at, t.updated_at FROM talks t JOIN orgs o ON o.id = t.org_id`

func scanTalk(row interface{ Scan(...any) error }) (*Talk, error) {
	var t Talk
	if err := row.Scan(&t.ID, &t.Org.ID, &t.Org.Code, &t.Org.Name, &t.Org.Type, &t.HeldOn, &t.Kind, &t.TalkerMemberID, &t.TalkerName,
		&t.WithMemberID, &t.WithLeaderID, &t.WithName, &t.Summary, &t.CreatedBy, &t.CreatedAt, &t.UpdatedAt); err != nil {
		return nil, err
	}
	t.Org.TypeName = t.Org.Type.Name()
	t.KindName = optionName(talkKinds, t.Kind)
	return &t, nil
}

func (s *Store) talk(ctx context.Context, q db.Querier, id int64) (*Talk, error) {
	where, args := access.Filter(ctx, "o.path", access.OrgRead)
	t, err := scanTalk(q.QueryRow(ctx, talkSelect+` WHERE t.id = ? AND `+where, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errTalkNotFound
	}
	return t, err
}

// GetTalk returns one talk.
func (s *Store) GetTalk(ctx context.Context, id int64) (*Talk, error) { return s.talk(ctx, s.db, id) }

func clearable(dst **int64, v *int64) {
	if v == nil {
		return
	}
	if *v == 0 {
		*dst = nil
		return
	}
	id := *v
	*dst = &id
}

// UpdateTalk changes a talk.
func (s *Store) UpdateTalk(ctx context.Context, id int64, p TalkPatch) (*Talk, error) {
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		old, err := s.talk(ctx, tx, id)
		if err != nil {
			return err
		}
		u, err := s.writableUnit(ctx, tx, old.Org.ID)
		if errors.Is(err, errOrgNotFound) {
			return errTalkNotFound
		}
		if err != nil {
			return err
		}
		in := TalkInput{OrgID: old.Org.ID, HeldOn: old.HeldOn, Kind: old.Kind, TalkerMemberID: old.TalkerMemberID, TalkerName: old.TalkerName,
			WithMemberID: old.WithMemberID, WithLeaderID: old.WithLeaderID, WithName: old.WithName, Summary: old.Summary}
		set(&in.HeldOn, p.HeldOn)
		set(&in.Kind, p.Kind)
		clearable(&in.TalkerMemberID, p.TalkerMemberID)
		set(&in.TalkerName, p.TalkerName)
		clearable(&in.WithMemberID, p.WithMemberID)
		clearable(&in.WithLeaderID, p.WithLeaderID)
		set(&in.WithName, p.WithName)
		set(&in.Summary, p.Summary)
		trimTalk(&in)
		if err := s.checkTalk(ctx, tx, u, &in); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE talks SET held_on = ?, kind = ?, talker_member_id = ?, talker_name = ?, with_member_id = ?, with_leader_id = ?,
			with_name = ?, summary = ?, updated_at = ? WHERE id = ?`, in.HeldOn, in.Kind, in.TalkerMemberID, in.TalkerName, in.WithMemberID,
			in.WithLeaderID, in.WithName, in.Summary, time.Now().UTC(), id); err != nil {
			return err
		}
		after, err := s.talk(ctx, tx, id)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "talk.update", Entity: "talk", EntityID: strconv.FormatInt(id, 10),
			Summary: fmt.Sprintf("%s：修改谈心谈话记录（%s %s与%s）", u.Name, in.HeldOn, in.TalkerName, in.WithName), Before: old, After: after})
	})
	if err != nil {
		return nil, err
	}
	return s.talk(ctx, s.db, id)
}

// DeleteTalk removes a talk entered by mistake.
func (s *Store) DeleteTalk(ctx context.Context, id int64) error {
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		old, err := s.talk(ctx, tx, id)
		if err != nil {
			return err
		}
		u, err := s.writableUnit(ctx, tx, old.Org.ID)
		if errors.Is(err, errOrgNotFound) {
			return errTalkNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM talks WHERE id = ?`, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "talk.delete", Entity: "talk", EntityID: strconv.FormatInt(id, 10),
			Summary: fmt.Sprintf("%s：删除误录入的谈心谈话记录（%s）", u.Name, old.HeldOn), Before: old})
	})
}

// Talks lists the talks of a subtree in [from, to], newest first.
func (s *Store) Talks(ctx context.Context, orgID int64, kind string, from, to civil.Date, page api.Paging) (api.List[Talk], error) {
	out := api.List[Talk]{Items: []Talk{}, Page: page.Page, PageSize: page.Size}
	root, err := s.unitRequired(ctx, orgID)
	if err != nil {
		return out, err
	}
	where, args := access.Filter(ctx, "o.path", access.OrgRead)
	where += " AND o.path LIKE ?"
	args = append(args, root.Path+"%")
	if kind != "" {
		if optionName(talkKinds, kind) == "" {
			return out, api.FieldInvalid("kind", "未知的谈话类别")
		}
		where += " AND t.kind = ?"
		args = append(args, kind)
	}
	if !from.IsZero() {
		where += " AND t.held_on >= ?"
		args = append(args, from)
	}
	if !to.IsZero() {
		where += " AND t.held_on <= ?"
		args = append(args, to)
	}
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM talks t JOIN orgs o ON o.id = t.org_id WHERE `+where, args...).Scan(&out.Total); err != nil {
		return out, err
	}
	rows, err := s.db.Query(ctx, talkSelect+` WHERE `+where+` ORDER BY t.held_on DESC, t.id DESC LIMIT ? OFFSET ?`, append(args, page.Size, page.Offset())...)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		t, err := scanTalk(rows)
		if err != nil {
			return out, err
		}
		out.Items = append(out.Items, *t)
	}
	return out, rows.Err()
}

// Person is someone in a coverage list.
type Person struct {
	ID   int64  `json:"id" doc:"党员编号或班子成员编号"`
	Name string `json:"name"`
	Post string `json:"post,omitempty"`
}

// CoverageItem is one organisation's 谈心谈话 coverage in a period.
type CoverageItem struct {
	Org       Ref        `json:"org"`
	Period    PeriodJSON `json:"period"`
	Total     int        `json:"total" doc:"应谈人数：党支部为党员，村党组织为本届班子成员"`
	Covered   int        `json:"covered"`
	Uncovered []Person   `json:"uncovered"`
	Status    Status     `json:"status" doc:"held 已全覆盖 / pending 未到期 / missed 期末未全覆盖 / na"`
	Text      string     `json:"text"`
	RuleID    string     `json:"rule_id"`
	Source    string     `json:"source"`
}

// Coverage is the talk coverage of a subtree.
type Coverage struct {
	Org      Ref            `json:"org"`
	Scope    string         `json:"scope" doc:"branch：党支部全年覆盖党员；village：村党组织本季度覆盖村干部"`
	Period   PeriodJSON     `json:"period"`
	Items    []CoverageItem `json:"items"`
	Total    int            `json:"total"`
	Page     int            `json:"page"`
	PageSize int            `json:"page_size"`
	Summary  struct {
		Orgs     int `json:"orgs"`
		Complete int `json:"complete" doc:"已全覆盖的组织数"`
		People   int `json:"people"`
		Covered  int `json:"covered"`
	} `json:"summary"`
}

// TalkCoverage reports, for scope "branch", each branch's members talked with in year p (支委
// 和党员之间每年一般不少于1次), and for scope "village", each village organisation's 班子
// members talked with in quarter p (乡镇班子每季度对村干部全覆盖, 本地要求).
func (s *Store) TalkCoverage(ctx context.Context, orgID int64, scope string, p Period, page api.Paging) (*Coverage, error) {
	root, err := s.unitRequired(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if scope == "" {
		scope = "branch"
	}
	ruleID := "life.talk.branch"
	switch scope {
	case "branch":
		p = PeriodOf(Yearly, p.From())
	case "village":
		ruleID = "life.talk.village"
		if p.Kind != Quarterly {
			p = PeriodOf(Quarterly, earlier(p.To(), s.Today()))
		}
	default:
		return nil, api.FieldInvalid("scope", "应为 branch（党支部）或 village（村干部）")
	}
	rule := rules.Get(ruleID)
	out := &Coverage{Org: root.ref(), Scope: scope, Period: p.JSON(), Items: []CoverageItem{}, Page: page.Page, PageSize: page.Size}
	units, _, _, err := s.subtreeUnits(ctx, s.db, root)
	if err != nil {
		return nil, err
	}
	today := s.Today()
	n := 0
	for _, u := range units {
		var people []Person
		covered := map[int64]bool{}
		switch {
		case scope == "branch" && u.Type.IsBranchLike():
			r, err := s.roster(ctx, s.db, u, earlier(p.To(), today), "")
			if err != nil {
				return nil, err
			}
			for _, m := range r.Members {
				people = append(people, Person{ID: m.ID, Name: m.Name, Post: m.PostName})
			}
			rows, err := s.db.Query(ctx, `SELECT talker_member_id, with_member_id FROM talks WHERE org_id = ? AND held_on >= ? AND held_on <= ?
				AND kind IN ('committee_member', 'committee_peer', 'member_peer')`, u.ID, p.From(), p.To())
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var a, b *int64
				if err := rows.Scan(&a, &b); err != nil {
					rows.Close()
					return nil, err
				}
				for _, id := range []*int64{a, b} {
					if id != nil {
						covered[*id] = true
					}
				}
			}
			rows.Close()
		case scope == "village" && u.UnitType == org.UnitVillage && u.Type != org.TypeGroup:
			seats, _, err := s.committeeOn(ctx, u.ID, earlier(p.To(), today))
			if err != nil {
				return nil, err
			}
			for _, seat := range seats {
				people = append(people, Person{ID: seat.LeaderID, Name: seat.Name, Post: seat.PostName})
			}
			rows, err := s.db.Query(ctx, `SELECT t.with_leader_id, t.with_name FROM talks t WHERE t.org_id = ? AND t.held_on >= ? AND t.held_on <= ?
				AND t.kind = 'township_village'`, u.ID, p.From(), p.To())
			if err != nil {
				return nil, err
			}
			names := map[string]bool{}
			for rows.Next() {
				var id *int64
				var name string
				if err := rows.Scan(&id, &name); err != nil {
					rows.Close()
					return nil, err
				}
				if id != nil {
					covered[*id] = true
				}
				names[name] = true
			}
			rows.Close()
			for _, seat := range seats {
				if names[seat.Name] {
					covered[seat.LeaderID] = true
				}
			}
		default:
			continue
		}
		it := CoverageItem{Org: u.ref(), Period: p.JSON(), Total: len(people), Uncovered: []Person{}, RuleID: rule.ID, Source: rule.Source}
		for _, person := range people {
			if covered[person.ID] {
				it.Covered++
			} else {
				it.Uncovered = append(it.Uncovered, person)
			}
		}
		switch {
		case it.Total == 0:
			it.Status, it.Text = NA, "无应谈人员（名册或班子为空）"
		case len(it.Uncovered) == 0:
			it.Status, it.Text = Held, fmt.Sprintf("已全覆盖（%d 人）", it.Total)
		case !today.After(p.To()):
			it.Status, it.Text = Pending, fmt.Sprintf("已谈 %d / %d 人，尚有 %d 人，截止 %s", it.Covered, it.Total, len(it.Uncovered), p.To())
		default:
			it.Status, it.Text = Missed, fmt.Sprintf("%s已谈 %d / %d 人，%d 人未谈", p.Label(), it.Covered, it.Total, len(it.Uncovered))
		}
		out.Summary.Orgs++
		out.Summary.People += it.Total
		out.Summary.Covered += it.Covered
		if it.Status == Held {
			out.Summary.Complete++
		}
		if n >= page.Offset() && len(out.Items) < page.Size {
			out.Items = append(out.Items, it)
		}
		n++
	}
	out.Total = n
	return out, nil
}

func earlier(a, b civil.Date) civil.Date {
	if a.Before(b) {
		return a
	}
	return b
}
